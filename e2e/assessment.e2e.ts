import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { launchChromium, loginAs, pickOption, shot, SHOTS } from './ui';

/**
 * 区域考评 in the browser: the city 平安办 recomputes this year's indicators (each figure with its
 * source tag), then computes the counties' ranking with the default components, sees each rank with
 * its components and consequences, and publishes it after the confirmation.
 */
describe('region assessment (city office)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
    page = await loginAs(browser, server.url, 'city_office');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('recomputes the indicators: the counties with computed figures and their source', async () => {
    await page.goto(`${server.url}/assessment`);
    await page.getByTestId('indicator-table').waitFor();
    await page.getByTestId('indicator-recompute').click();
    await page.getByText(/已计算\d+个地区/).waitFor();
    const table = page.getByTestId('indicator-table');
    await expect.poll(() => table.innerText()).toContain('青山区');
    expect(await table.innerText()).toContain('计算');
    expect(await page.getByTestId('pass-share').innerText()).toContain('达标比例');
    await shot(page, 'assessment-01-indicators');
  });

  it('computes the counties’ ranking, shows every component, and publishes it', async () => {
    await page.goto(`${server.url}/assessment/ranking`);
    // the towns' ranking of this year is published in the demo (临江镇's veto); the counties' is not yet
    await pickOption(page, page.getByTestId('ranking-level'), '县（区）');
    // the counties' answer is in (no ranking of this year yet), with the default components (003/004);
    // the towns' components also hold 两率一度, so the alert is what tells the two answers apart
    await page.getByText('尚未计算本年度排名').waitFor();
    await page.locator('input[value="两率一度"]').waitFor();
    await page.getByTestId('ranking-compute').click();
    const table = page.getByTestId('ranking-table');
    await table.waitFor();
    const text = await table.innerText();
    for (const county of ['青山区', '临江县']) expect(text).toContain(county);
    // the last gets the yellow card, and its reason cites the document
    expect(text).toContain('黄牌警告');
    expect(text).toContain('市平安创建工作意见');
    expect(await page.getByTestId('ranking-status').innerText()).toBe('草稿');
    await page.getByTestId('ranking-publish').click();
    const confirm = page.locator('.ant-popconfirm .ant-btn-primary');
    await confirm.waitFor();
    // the publish answer itself, so that a refusal shows its reason here rather than as a stale tag
    const [published] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/assessment/ranking/publish') && r.request().method() === 'POST'),
      confirm.click(),
    ]);
    expect(published.status(), await published.text()).toBe(200);
    await expect.poll(() => page.getByTestId('ranking-status').innerText()).toBe('已发布');
    await shot(page, 'assessment-02-ranking');
  });
});
