import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { launchChromium, loginAs, SHOTS } from './ui';

/**
 * 问卷调查 in the browser: the city 平安办 opens a 两率一度 survey over its four towns (through the
 * staff API, from its signed-in page); on a 375 px phone the public opens the survey, picks a town,
 * answers, confirms a number with the SMS code (read from the server log, where the default sender
 * writes it), submits and sees the thanks; the same number with a fresh code is refused; once the
 * office closes the survey the page says so. The office's progress tab shows the answer.
 * Screenshots: test-results/screenshots/survey-*.png.
 */
const PHONE = { width: 375, height: 800 };
const NUMBER = '13912340077';
const MASKED = '139\\*\\*\\*\\*0077';

async function fits(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `survey-${name}.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(PHONE.width);
}

describe('survey (the office opens it, the public answers on a phone)', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let publicCtx: BrowserContext;
  let pub: Page;
  let survey = { id: 0, publicCode: '' };
  let firstCodeAt = 0;

  /** The newest survey code the log shows for the number, once there are `n` of them. */
  const codeFromLog = async (n: number): Promise<string> => {
    const re = new RegExp(`sms code → ${MASKED}: 【平安创建】您的验证码为(\\d{6})，用于问卷调查`, 'g');
    await expect.poll(() => [...server.log().matchAll(re)].length, { timeout: 10_000 }).toBe(n);
    return [...server.log().matchAll(re)].at(-1)![1]!;
  };
  /** A staff call from the office's signed-in page (same origin, its session cookie). */
  const staff = (method: string, url: string, body?: unknown) =>
    office.evaluate(
      async ([m, u, b]) => {
        const r = await fetch(u as string, {
          method: m as string,
          headers: b ? { 'content-type': 'application/json' } : {},
          body: b ? JSON.stringify(b) : m === 'POST' ? '{}' : undefined,
        });
        return { status: r.status, body: await r.json() };
      },
      [method, url, body] as const,
    );

  const answerAll = async () => {
    await pub.getByTestId('survey-region').selectOption('东湖街道');
    await pub.getByTestId('survey-opt-q1-是').click();
    await pub.getByTestId('survey-opt-q2-否').click();
    await pub.getByTestId('survey-opt-q3-基本满意').click();
    await pub.getByTestId('survey-q-q4').locator('textarea').fill('希望多开展防诈骗宣传');
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ env: { LOG_LEVEL: 'info', SMS_RESEND_SECONDS: '5' } });
    browser = await launchChromium();
    office = await loginAs(browser, server.url, 'city_office');
    const year = new Date().getFullYear();
    const c = await staff('POST', '/api/surveys', { template: 'two_rates_one_degree', year, identity: 'phone' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const p = await staff('GET', `/api/surveys/${c.body.id}/target-proposal?total=80&min=10&level=town`);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const t = await staff('PUT', `/api/surveys/${c.body.id}/targets`, {
      targets: p.body.items.map((x: { regionId: number; target: number }) => ({ regionId: x.regionId, target: x.target })),
    });
    expect(t.status).toBe(200);
    const o = await staff('POST', `/api/surveys/${c.body.id}/open`);
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    survey = { id: c.body.id, publicCode: c.body.publicCode };
    publicCtx = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    pub = await publicCtx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the public answers on a phone, confirms the number by SMS code, and sees the thanks', async () => {
    await pub.goto(`${server.url}/public/surveys/${survey.publicCode}`);
    await pub.getByTestId('survey-form').waitFor();
    const text = await pub.getByTestId('public-survey').innerText();
    expect(text).toContain('平安建设“两率一度”群众问卷调查');
    expect(text).toContain('问卷匿名填写');
    await fits(pub, '01-open');
    // submitting with nothing answered: the page says what is missing, nothing is sent
    await pub.getByTestId('survey-submit').click();
    expect(await pub.getByTestId('survey-form').innerText()).toContain('还有 3 道必答题未回答');
    await answerAll();
    await pub.getByTestId('survey-phone').fill(NUMBER);
    await pub.getByTestId('survey-send-code').click();
    await pub.getByTestId('survey-code-sent').waitFor();
    firstCodeAt = Date.now();
    expect(await pub.getByTestId('survey-code-sent').innerText()).toContain('139****0077');
    await pub.getByTestId('survey-sms-code').fill(await codeFromLog(1));
    await fits(pub, '02-answered');
    await pub.getByTestId('survey-submit').click();
    await pub.getByTestId('survey-done').waitFor();
    expect(await pub.getByTestId('survey-done').innerText()).toContain('提交成功，感谢您的参与');
    await fits(pub, '03-thanks');
    expect(server.log()).not.toContain(NUMBER);
  });

  it('the same number is refused a second answer with a clear message', async () => {
    await pub.reload();
    await pub.getByTestId('survey-form').waitFor();
    await answerAll();
    await pub.getByTestId('survey-phone').fill(NUMBER);
    const wait = 6_000 - (Date.now() - firstCodeAt);
    if (wait > 0) await pub.waitForTimeout(wait);
    await pub.getByTestId('survey-send-code').click();
    await pub.getByTestId('survey-code-sent').waitFor();
    await pub.getByTestId('survey-sms-code').fill(await codeFromLog(2));
    await pub.getByTestId('survey-submit').click();
    await pub.getByTestId('survey-error').waitFor();
    expect(await pub.getByTestId('survey-error').innerText()).toContain('您已参与本次问卷调查，每个手机号码只能提交一次');
    expect(await pub.getByTestId('survey-done').count()).toBe(0);
    await fits(pub, '04-refused');
  });

  it('reads in English beside Chinese on the same phone page', async () => {
    await pub.reload();
    await pub.getByTestId('survey-form').waitFor();
    await pub.getByTestId('lang-switch').getByRole('button', { name: 'EN' }).click();
    await pub.getByText('Anonymous: your number is not kept').waitFor();
    await fits(pub, '08-english');
    await pub.getByTestId('lang-switch').getByRole('button', { name: '中文' }).click();
    await pub.getByText('问卷匿名填写').first().waitFor();
  });

  it('the office sees the answer in the progress; once closed, the public page says so', async () => {
    await office.goto(`${server.url}/surveys/${survey.id}`);
    await office.getByTestId('survey-status').waitFor();
    await office.getByRole('tab', { name: '进度' }).click();
    await office.getByTestId('survey-progress-chart').waitFor();
    await expect.poll(() => office.locator('.ant-table-row', { hasText: '东湖街道' }).innerText()).toMatch(/东湖街道\s+20\s+1\s+0\s+1/);
    await office.waitForTimeout(1200); // the bars grow in for a second
    await office.screenshot({ path: path.join(SHOTS, 'survey-05-office-progress.png'), fullPage: true });
    await office.getByRole('tab', { name: '结果' }).click();
    await office.getByTestId('results-q3').waitFor();
    await office.screenshot({ path: path.join(SHOTS, 'survey-06-office-results.png'), fullPage: true });

    const closed = await staff('POST', `/api/surveys/${survey.id}/close`);
    expect(closed.status).toBe(200);
    await pub.reload();
    await pub.getByTestId('survey-unavailable').waitFor();
    expect(await pub.getByTestId('survey-unavailable').innerText()).toContain('本次问卷调查已结束，感谢您的关注');
    await fits(pub, '07-closed');
  });
});
