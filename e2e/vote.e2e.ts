import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { launchChromium, loginAs, SHOTS } from './ui';

/**
 * 网络评选 in the browser: on a phone the public opens the demo's open vote, chooses two schools,
 * confirms a number with the SMS code (read from the server log, where the default sender writes
 * it) and votes; the city 平安办 reads the tally with the flagged burst (14 ballots from one network
 * and device) and sets the burst aside, seeing both figures; the same number, with a fresh code,
 * is refused a second ballot with a clear message. Screenshots: test-results/screenshots/vote-*.png.
 */
const PHONE = { width: 375, height: 812 };
const NUMBER = '13912340001';
const MASKED = '139\\*\\*\\*\\*0001';

async function fits(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `vote-${name}.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(PHONE.width);
}

describe('online vote (public on a phone, then the city office)', () => {
  let server: RunningServer;
  let browser: Browser;
  let publicCtx: BrowserContext;
  let pub: Page;
  let voteUrl = '';
  /** when the first code was sent: a number gets a new code a minute later (otp.ts) */
  let firstCodeAt = 0;

  /** The newest code the log shows for the number, once there are `n` of them. */
  const codeFromLog = async (n: number): Promise<string> => {
    const re = new RegExp(`sms code → ${MASKED}: 【平安创建】您的验证码为(\\d{6})`, 'g');
    await expect.poll(() => [...server.log().matchAll(re)].length, { timeout: 10_000 }).toBe(n);
    return [...server.log().matchAll(re)].at(-1)![1]!;
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // LOG_LEVEL=info: the default SMS sender writes each code to the log
    // one code per number per 5 s instead of a minute, so the second attempt need not wait
    server = await startServer({ env: { LOG_LEVEL: 'info', SMS_RESEND_SECONDS: '5' } });
    browser = await launchChromium();
    publicCtx = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    pub = await publicCtx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the public opens the vote on a phone, chooses, confirms the number by SMS code and votes', async () => {
    await pub.goto(`${server.url}/public/votes`);
    await pub.getByTestId('vote-link').first().waitFor();
    await fits(pub, '01-list');
    await pub.getByTestId('vote-link').first().click();
    await pub.getByTestId('vote-form').waitFor();
    voteUrl = pub.url();
    // candidates masked where they are households, no counts while the vote runs
    expect(await pub.getByTestId('public-vote').innerText()).toContain('投票期间不公布得票情况');
    const cands = pub.locator('[data-testid^=vote-candidate-]');
    await expect.poll(() => cands.count()).toBe(3);
    await cands.nth(0).click();
    await cands.nth(1).click();
    // a third choice is refused on the page: at most 2
    await cands.nth(2).click();
    expect(await pub.getByTestId('vote-choice-error').innerText()).toContain('最多只能选择 2 个');
    expect(await cands.nth(2).getAttribute('aria-pressed')).toBe('false');

    await pub.getByTestId('vote-phone').fill(NUMBER);
    await pub.getByTestId('vote-send-code').click();
    await pub.getByTestId('vote-code-sent').waitFor();
    firstCodeAt = Date.now();
    expect(await pub.getByTestId('vote-code-sent').innerText()).toContain('139****0001');
    await pub.getByTestId('vote-sms-code').fill(await codeFromLog(1));
    await fits(pub, '02-choose');
    await pub.getByTestId('vote-submit').click();
    await pub.getByTestId('vote-done').waitFor();
    expect(await pub.getByTestId('vote-done').innerText()).toContain('投票成功');
    await fits(pub, '03-done');
    // the number itself is in no answer and no log line
    expect(server.log()).not.toContain(NUMBER);
  });

  it('the city office reads the tally with the flagged burst and sets it aside, seeing both figures', async () => {
    const page = await loginAs(browser, server.url, 'city_office');
    await page.goto(`${server.url}/votes`);
    await page.locator('[data-testid^=vote-open-]').first().click();
    await page.getByTestId('vote-detail').waitFor();
    await expect.poll(() => page.getByTestId('tally-all').innerText()).toContain('93');
    const burst = page.getByTestId('flag-group-burst_network');
    await burst.waitFor();
    expect(await burst.innerText()).toContain('14');
    expect(await page.getByTestId('flag-group-same_device').innerText()).toContain('14');
    expect(await page.getByTestId('flag-group-time_cluster').innerText()).toContain('11');
    expect(await page.getByTestId('flags-summary').innerText()).toContain('14张选票被标记');
    await page.screenshot({ path: path.join(SHOTS, 'vote-04-tally-flagged.png'), fullPage: true });

    await page.getByTestId('flag-set-aside-burst_network').click();
    await page.getByTestId('set-aside-modal-reason').fill('同一网络、同一设备两分钟内集中投票14张，经核查为组织代投');
    await page.getByTestId('set-aside-modal-ok').click();
    await expect.poll(() => page.getByTestId('tally-set-aside').innerText()).toContain('14');
    expect(await page.getByTestId('tally-counted').innerText()).toContain('79');
    // the candidate the burst voted for: all ballots and without the set-aside ones, side by side
    const row = page.locator('[data-testid^=tally-row-]', { hasText: '临江县白沙镇第二小学' });
    const cells = await row.locator('td').allInnerTexts();
    expect(Number(cells[2]) - Number(cells[3])).toBe(14);
    // a full-page picture from the top (a scrolled page draws its sticky header mid-picture), the toast gone
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'vote-05-tally-set-aside.png'), fullPage: true });
    await page.context().close();
  });

  it('the same number is refused a second ballot with a clear message', async () => {
    await pub.goto(voteUrl);
    await pub.getByTestId('vote-form').waitFor();
    await pub.locator('[data-testid^=vote-candidate-]').nth(2).click();
    await pub.getByTestId('vote-phone').fill(NUMBER);
    // one code per number per SMS_RESEND_SECONDS (5 s here)
    const wait = 6_000 - (Date.now() - firstCodeAt);
    if (wait > 0) await pub.waitForTimeout(wait);
    await pub.getByTestId('vote-send-code').click();
    await pub.getByTestId('vote-code-sent').waitFor();
    await pub.getByTestId('vote-sms-code').fill(await codeFromLog(2));
    await pub.getByTestId('vote-submit').click();
    await pub.getByTestId('vote-error').waitFor();
    expect(await pub.getByTestId('vote-error').innerText()).toContain('您已参与本次投票');
    expect(await pub.getByTestId('vote-done').count()).toBe(0);
    // the server's answer stands alone: no field hint under it
    expect(await pub.locator('.pp-field-error').count()).toBe(0);
    await fits(pub, '06-refused');
  });
});
