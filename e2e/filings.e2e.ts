import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer } from './server.js';
import { SHOTS, launchChromium, loginAs, pickOption, shot } from './ui.js';

/**
 * 报备 in the browser: the city 平安办 creates the 004 requirements of its star-rating round from the
 * encoded plan; 青山区 opens its plan, uploads the document and submits; the city returns it with a
 * reason; 青山区 corrects and resubmits; the city accepts and the matrix shows 已接收; 青山区's yearly
 * summary opens prefilled with the system's figures and is filed. Screenshots:
 * test-results/screenshots/filings-*.png.
 */
const year = new Date().getFullYear();
const STAR = `云州市${year}年平安建设单位星级评定`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let city: Page;
let qs: Page;
let campaignId = 0;
const req: Record<string, number> = {};
let planFiling = 0;

const api = async <T>(page: Page, url: string): Promise<T> => {
  const res = await page.request.get(`${server.url}${url}`);
  expect(res.ok(), `${url}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
};
const stateIs = async (page: Page, state: string) => page.locator(`.page-header [data-testid=filing-state-${state}]`).waitFor();
const upload = (page: Page, name: string) =>
  page.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });

describe('filings (报备) between the city and a county', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
    city = await loginAs(browser, server.url, 'city_office');
    qs = await loginAs(browser, server.url, 'qs_office');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the city creates the requirements from the encoded plan', async () => {
    const camps = await api<{ id: number; name: string }[]>(city, '/api/campaigns');
    campaignId = camps.find((c) => c.name === STAR)!.id;
    await city.goto(`${server.url}/filings?tab=manage`);
    await pickOption(city, city.getByTestId('filings-campaign'), STAR);
    await city.getByTestId('filings-from-plan').click();
    await expect.poll(() => city.locator('[data-testid=filings-requirements] tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(8);
    const { items } = await api<{ items: { id: number; kind: string; filers: string; dueOn: string }[] }>(
      city,
      `/api/filings/requirements?campaignId=${campaignId}`,
    );
    for (const r of items) req[`${r.filers}.${r.kind}`] = r.id;
    expect(items.find((r) => r.id === req['county.plan'])!.dueOn).toBe(`${year}-03-20`);
    await city.locator('[data-testid=filings-matrix] tbody tr.ant-table-row', { hasText: '青山区平安办' }).waitFor();
    await shot(city, 'filings-01-matrix');
  });

  it('青山区 files its plan; the city returns it with a reason', async () => {
    await qs.goto(`${server.url}/filings`);
    await qs.getByTestId(`filing-open-${req['county.plan']}`).click();
    await qs.waitForURL(/\/filings\/\d+$/);
    planFiling = Number(qs.url().split('/').pop());
    await upload(qs, '青山区创建方案.pdf');
    await qs.getByTestId('filing-file').filter({ hasText: '青山区创建方案.pdf' }).waitFor();
    await qs.getByTestId('filing-submit').click();
    await stateIs(qs, 'submitted');
    await shot(qs, 'filings-02-submitted');

    await city.goto(`${server.url}/filings/${planFiling}`);
    await city.getByTestId('filing-return').click();
    await city.getByTestId('filing-return-reason').fill('未列明年度示范点，请补充');
    await city.locator('.ant-modal-footer .ant-btn-dangerous').click();
    await stateIs(city, 'returned');
  });

  it('青山区 corrects and resubmits; the city accepts; the matrix shows it', async () => {
    await qs.reload();
    await qs.getByText('退回理由：未列明年度示范点，请补充').waitFor();
    await upload(qs, '青山区创建方案（修改稿）.pdf');
    await qs.getByTestId('filing-file').filter({ hasText: '修改稿' }).waitFor();
    await qs.getByTestId('filing-submit').click();
    await stateIs(qs, 'submitted');

    await city.reload();
    await city.getByTestId('filing-accept').click();
    await city.locator('.ant-popconfirm .ant-btn-primary').click();
    await stateIs(city, 'accepted');
    expect(await city.locator('.ant-timeline').innerText()).toContain('退回');
    await shot(city, 'filings-03-accepted');

    await city.goto(`${server.url}/filings?tab=manage`);
    await pickOption(city, city.getByTestId('filings-campaign'), STAR);
    const cell = city.getByTestId(
      `cell-${req['county.plan']}-${(await api<{ org: { id: number } }>(city, `/api/filings/${planFiling}`)).org.id}`,
    );
    await cell.getByTestId('filing-state-accepted').waitFor();
    const x = await city.request.get(`${server.url}/api/filings/matrix?campaignId=${campaignId}&format=xlsx`);
    expect(x.status()).toBe(200);
  });

  it('青山区’s summary opens prefilled with the system’s figures and is filed', async () => {
    await qs.goto(`${server.url}/filings`);
    await qs.getByTestId(`filing-open-${req['county.summary']}`).click();
    await qs.waitForURL(/\/filings\/\d+$/);
    await qs.getByTestId('filing-summary').waitFor();
    const f = await api<{ prefill: { titlesConferred: number; applicationsTotal: number } }>(
      qs,
      `/api/filings/${qs.url().split('/').pop()}`,
    );
    expect(f.prefill.applicationsTotal).toBeGreaterThan(0);
    await qs.getByTestId('filing-summary-text').fill(`${year}年青山区平安创建工作总结：以平安校园、平安医院为重点，全区各街道均开展创建。`);
    await shot(qs, 'filings-04-summary');
    await qs.getByTestId('filing-submit').click();
    await stateIs(qs, 'submitted');
  });
});
