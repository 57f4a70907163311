import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { startServer } from './server.js';
import { SHOTS, cspViolations, inputOf, launchChromium, loginAs, pickOption, shot } from './ui.js';

/**
 * The 平安办 keeps its standards: reads the version history, drafts version 2 of the campus
 * standard in the editor (a wrong points value is caught as it is typed), saves it, sees the diff
 * between versions 1 and 2, downloads it; then batch-rates the demo campaign. Screenshots land
 * in test-results/screenshots/standards-*.png.
 */
const CAMPUS = 'datuopu-2020-campus';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
let standardId: number;
let v1Id: number;
let v2Id: number;

interface VersionSummary {
  id: number;
  version: number;
}
interface StandardSummary {
  id: number;
  code: string;
  versions: VersionSummary[];
}

const as = (username: string) => loginAs(browser, server.url, username);

describe('standards: version history, editor, diff; batch rating', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
    page = await as('city_office');
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.stop();
  });

  it('1. the standard page lists its versions with links and downloads', async () => {
    const list = (await (await page.request.get(`${server.url}/api/standards`)).json()) as StandardSummary[];
    const campus = list.find((s) => s.code === CAMPUS)!;
    standardId = campus.id;
    v1Id = campus.versions[0]!.id;
    await page.goto(`${server.url}/standards`);
    await page.getByTestId(`standard-${standardId}`).click();
    await page.waitForURL(`${server.url}/standards/${standardId}`);
    await expect.poll(() => page.getByTestId('standard-versions').innerText()).toContain('第1版');
    await expect.poll(() => page.getByTestId(`version-link-${v1Id}`).isVisible()).toBe(true);
  });

  it('2. a new version: a negative points value is an error at once; a valid change is saved', async () => {
    await page.getByTestId('new-version').click();
    await page.waitForURL(new RegExp(`/standards/${standardId}/new-version`));
    const points1 = inputOf(page.getByTestId('edit-points-1'));
    await expect.poll(() => points1.inputValue()).toBe('15');
    await expect.poll(() => page.getByTestId('save-version').isDisabled()).toBe(true); // nothing changed yet

    await points1.fill('-3');
    await expect.poll(() => page.getByTestId('editor-errors').innerText()).toContain('groups[0].criteria[0].points');
    await expect.poll(() => page.getByTestId('editor-errors').innerText()).toContain('不能小于0');
    await expect.poll(() => page.getByTestId('edit-criterion-1').innerText()).toContain('不能小于0');
    await expect.poll(() => page.getByTestId('save-version').isDisabled()).toBe(true);
    await shot(page, 'standards-01-editor-error');

    // 15 → 16 on criterion 1 and 15 → 14 on criterion 2: the total stays 100
    await points1.fill('16');
    await inputOf(page.getByTestId('edit-points-2')).fill('14');
    await expect.poll(() => page.getByTestId('editor-errors').count()).toBe(0);
    await expect.poll(() => page.getByTestId('editor-total').innerText()).toContain('合计100分');
    await page.getByTestId('version-note').fill('调整第1、2项分值（浏览器验收）');

    // the advanced view is the same document
    await page.getByTestId('editor-tab-json').click();
    await expect.poll(() => page.getByTestId('editor-json').inputValue()).toContain('"points": 16');
    await page.getByTestId('editor-tab-form').click();

    await page.getByTestId('save-version').click();
    await expect.poll(() => page.getByTestId('save-diff').innerText()).toContain('第1项分值由15改为16');
    await shot(page, 'standards-02-save-preview');
    await page.getByTestId('save-confirm').click();
    await page.waitForURL(/\/standards\/versions\/\d+$/);
    v2Id = Number(new URL(page.url()).pathname.split('/').pop());
    expect(v2Id).not.toBe(v1Id);
    await expect.poll(() => page.getByText('第2版').count()).toBeGreaterThan(0);
  });

  it('3. the diff between versions 1 and 2 lists the change; version 2 downloads as JSON', async () => {
    await page.goto(`${server.url}/standards/${standardId}`);
    await expect.poll(() => page.getByTestId('standard-versions').innerText()).toContain('调整第1、2项分值');
    await expect.poll(() => page.getByTestId(`version-link-${v2Id}`).isVisible()).toBe(true);
    await pickOption(page, page.getByTestId('diff-a'), '第1版');
    await pickOption(page, page.getByTestId('diff-b'), '第2版');
    const table = page.getByTestId('diff-table');
    await expect.poll(() => table.innerText()).toContain('第1项分值由15改为16');
    await expect.poll(() => table.innerText()).toContain('第2项分值由15改为14');
    await expect.poll(() => table.locator('[data-kind=changed]').count()).toBe(2);
    await shot(page, 'standards-03-history-diff');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${v2Id}-json`).click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-std-')), `${CAMPUS}-v2.json`);
    await download.saveAs(file);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { groups: { criteria: { id: string; points: number }[] }[] };
    expect(doc.groups[0]!.criteria.find((c) => c.id === '1')!.points).toBe(16);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('4. 批量评级 of the demo campaign runs in the background and reports its counts', async () => {
    const campaigns = (await (await page.request.get(`${server.url}/api/campaigns`)).json()) as { id: number; name: string }[];
    const id = campaigns.find((c) => /^云州市\d+年“十大平安”创建$/.test(c.name))!.id;
    await page.goto(`${server.url}/campaigns`);
    await page.getByTestId(`rate-campaign-${id}`).click();
    await expect.poll(() => page.getByTestId('rate-progress').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('rate-progress').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('rate-result').innerText()).toContain('已评级申报');
    await expect.poll(() => page.getByTestId('rate-progress').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await shot(page, 'standards-04-batch-rating');
    await page.getByTestId('rate-close').click();
  });

  it('5. the pages ran under the Content-Security-Policy without a violation; so does the API explorer', async () => {
    const res = await page.goto(`${server.url}/standards`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self';");
    await expect.poll(() => page.getByTestId(`standard-${standardId}`).isVisible()).toBe(true);
    await page.goto(`${server.url}/api/docs`);
    await expect.poll(() => page.locator('.swagger-ui .opblock').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    expect(cspViolations).toEqual([]);
  });
});
