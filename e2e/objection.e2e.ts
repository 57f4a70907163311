import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { launchChromium, loginAs, SHOTS } from './ui';

/**
 * 异议 in the browser: the public reads the open notice on a phone, confirms a number with the SMS
 * code (read from the server log, where the default sender writes it), objects with evidence and
 * follows the receipt; the 妇联 records findings; after the notice the 平安办's conferral waits for
 * the open objections, the office dismisses them with a written reply, and the next conferral goes through.
 */
const PHONE = { width: 375, height: 812 };
const NUMBER = '13912345678';
const TEXT = '张德福家庭今年5月因宅基地边界与邻居发生争执，派出所出警两次，矛盾至今未化解。';
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

async function fits(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(SHOTS, `objection-${name}.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(PHONE.width);
}

describe('objections during a notice (public on a phone, then staff)', () => {
  let server: RunningServer;
  let browser: Browser;
  let publicCtx: BrowserContext;
  let pub: Page;
  let noticeCode = '';
  let noticeId = 0;
  let receipt = '';

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // LOG_LEVEL=info: the default SMS sender writes each code to the log
    server = await startServer({ env: { LOG_LEVEL: 'info' } });
    browser = await launchChromium();
    publicCtx = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    pub = await publicCtx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the public reads the notice, confirms a number by SMS code, objects with evidence and keeps the receipt', async () => {
    const list = (await (await fetch(`${server.url}/api/public/notices`)).json()) as {
      items: { code: string; open: boolean; title: string }[];
    };
    const open = list.items.find((n) => n.open && n.title.includes('第二批'))!;
    noticeCode = open.code;
    await pub.goto(`${server.url}/public/notices/${noticeCode}`);
    await pub.getByTestId('public-notice').waitFor();
    // households masked; the demo's objections counted, never who filed them
    const zhang = pub.locator('[data-testid^=candidate-]', { hasText: '张**家庭' });
    await expect.poll(() => zhang.count()).toBe(1);
    await expect.poll(() => zhang.getByTestId(/objection-counts/).innerText()).toContain('共1件：办理中1');
    expect(await pub.locator('body').innerText()).not.toContain('张德福');
    await fits(pub, 'notice');

    await zhang.getByTestId(/^object-/).click();
    const form = zhang.getByTestId('objection-form');
    await form.getByTestId('objector-name').fill('赵志远');
    await form.getByTestId('objector-phone').fill(NUMBER);
    await form.getByTestId('send-code').click();
    await form.getByTestId('code-sent').waitFor();
    let code = '';
    await expect
      .poll(() => {
        code = /sms code → 139\*\*\*\*5678: 【平安创建】您的验证码为(\d{6})/.exec(server.log())?.[1] ?? '';
        return code;
      })
      .toMatch(/^\d{6}$/);
    expect(server.log()).not.toContain(NUMBER);
    await form.getByTestId('sms-code').fill(code);
    await form.getByTestId('objection-text').fill(TEXT);
    await form.getByTestId('objection-files').setInputFiles({ name: '出警记录.pdf', mimeType: 'application/pdf', buffer: PDF });
    await fits(pub, 'form');
    await form.getByTestId('objection-submit').click();
    const done = zhang.getByTestId('objection-done');
    await done.waitFor();
    receipt = (await done.getByTestId('objection-receipt').innerText()).trim();
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(await done.innerText()).toContain('已上传证据 1 个');
    await expect.poll(() => zhang.getByTestId(/objection-counts/).innerText()).toContain('共2件：办理中2');
    await fits(pub, 'filed');

    await done.getByTestId('objection-follow').click();
    await pub.getByTestId('objection-receipt-page').waitFor();
    expect(await pub.getByTestId('receipt-status').getAttribute('data-status')).toBe('open');
    await pub.getByTestId('receipt-pending').waitFor();
    const page = await pub.locator('body').innerText();
    for (const secret of ['赵志远', NUMBER, '宅基地']) expect(page).not.toContain(secret);
    await fits(pub, 'receipt');
  });

  it('the lead department (妇联) finds the objection in its worklist and records its findings', async () => {
    const women = await loginAs(browser, server.url, 'city_women');
    await women.goto(`${server.url}/objections`);
    await women.getByTestId('objection-search').locator('input').fill(receipt);
    await women.getByTestId('objection-search').locator('input').press('Enter');
    const row = women.getByTestId('objection-table').locator('a[data-testid^=objection-]');
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    await women.getByTestId('objection-text').waitFor();
    expect(await women.getByTestId('objection-text').innerText()).toContain('宅基地');
    // masked until revealed (audited)
    expect(await women.getByTestId('objector').innerText()).toContain('139****5678');
    await women.getByTestId('findings-input').fill('经会同白沙镇柳溪村核实：双方宅基地纠纷已于6月经村调委会调解，签订协议，未再发生冲突。');
    await women.getByTestId('findings-save').click();
    await women.getByTestId('objection-findings').waitFor();
    // the department investigates; the office decides
    expect(await women.getByTestId('decision-submit').count()).toBe(0);
    await women.screenshot({ path: path.join(SHOTS, 'objection-staff-lead.png'), fullPage: true });
    await women.context().close();
  });

  it('after the notice conferral waits for the open objections; once dismissed with a reply it goes through', async () => {
    // the same platform a week later (the notice ended): restarted on the same data, its calendar moved on
    await server.stop({ keepData: true });
    server = await startServer({ dataDir: server.dataDir, env: { LOG_LEVEL: 'info', CLOCK_OFFSET_DAYS: '6' } });
    const office = await loginAs(browser, server.url, 'city_office');
    const notices = (await (await office.request.get(`${server.url}/api/notices`)).json()) as { id: number; publicCode: string }[];
    noticeId = notices.find((n) => n.publicCode === noticeCode)!.id;
    await office.goto(`${server.url}/notices/${noticeId}`);
    await office.getByTestId('notice-detail-confer').click();
    const waiting = office.getByTestId('confer-waiting');
    await waiting.waitFor();
    expect(await waiting.innerText()).toContain('张德福家庭：2件异议未办结');
    await office.screenshot({ path: path.join(SHOTS, 'objection-staff-waiting.png'), fullPage: true });

    // the office dismisses both open objections on 张德福家庭, each with a written reply
    await office.goto(`${server.url}/objections?notice=${noticeId}&status=investigating`);
    await office.getByTestId('objection-table').locator('a[data-testid^=objection-]').first().click();
    await office.getByTestId('objector-reveal').click();
    await expect.poll(() => office.getByTestId('objector').innerText()).toContain(NUMBER);
    const reply = '经云州市妇联会同柳溪村核实，所反映的宅基地纠纷已调解结案，双方已签订调解协议，异议不成立。感谢您的监督。';
    const decide = async () => {
      await office.getByTestId('decision-reply').fill(reply);
      await office.getByTestId('decision-submit').click();
      await office.getByTestId('decision-confirm').click();
      await office.getByTestId('objection-decision').waitFor();
    };
    await decide();
    await office.goto(`${server.url}/objections?notice=${noticeId}&status=open`);
    await office.getByTestId('objection-table').locator('a[data-testid^=objection-]').first().click();
    await office.getByTestId('decision-reply').waitFor();
    await decide();

    await office.goto(`${server.url}/notices/${noticeId}`);
    await office.getByTestId('notice-detail-confer').click();
    await expect
      .poll(
        async () =>
          (
            (await (await office.request.get(`${server.url}/api/notices/${noticeId}`)).json()) as {
              items: { subjectName: string; status: string }[];
            }
          ).items.find((i) => i.subjectName === '张德福家庭')?.status,
      )
      .toBe('conferred');
    await office.context().close();

    // the objector reads the written reply by the receipt
    await pub.goto(`${server.url}/public/objections/${receipt}`);
    await pub.getByTestId('receipt-reply').waitFor();
    expect(await pub.getByTestId('receipt-status').getAttribute('data-status')).toBe('dismissed');
    expect(await pub.getByTestId('receipt-reply').innerText()).toContain('异议不成立');
    await fits(pub, 'receipt-replied');
  });
});
