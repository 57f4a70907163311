import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { startServer } from './server.js';
import { DEMO_PASSWORD, SHOTS, cspViolations, inputOf, launchChromium, loginAtViewport, pickOption, shot } from './ui.js';

/**
 * 三员分立 in the browser: the system administrator creates an account and reads its one-time
 * password once; the new account must change it before anything else and then lands on its home;
 * imports accounts from the Excel template (a wrong row refused in words) and exports them; the
 * security administrator changes the policy (a wrong value is refused in words); each
 * administrator's menu holds only its own pages and 我的账号; a staff account turns on a TOTP
 * second factor and signs in with a code; 我的账号 fits a 375 px phone. Screenshots land in
 * test-results/screenshots/admin-*.png.
 */
const RESULTS = path.resolve(import.meta.dirname, '../test-results');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 812 };
const NEW_USER = 'e2e_clerk';
const NEW_PASSWORD = 'Yunzhou#2026safe';
/** business pages: none of them may show in an administrator's menu */
const BUSINESS_NAV = [
  'dashboard',
  'campaigns',
  'applications',
  'signoffs',
  'experts',
  'onsite',
  'inspections',
  'notices',
  'quotas',
  'recommendations',
  'selections',
  'titles',
  'standards',
  'notifications',
];

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let oneTimePassword = '';

/** A fresh context at the login page, signed in with the given password (no waiting for a page). */
async function signIn(username: string, password: string, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport, acceptDownloads: true });
  context.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text()))
      cspViolations.push(`${m.location().url}: ${m.text()}`);
  });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  return page;
}

/** The keys of the menu entries shown (nav-<key>). */
async function menuKeys(page: Page): Promise<string[]> {
  await page.locator('.app-sider [data-testid^="nav-"]').first().waitFor();
  const ids = await page
    .locator('.app-sider [data-testid^="nav-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.slice('nav-'.length)).sort();
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret at a time step. */
function totp(secret: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1]! & 0xf;
  const n = ((h[o]! & 0x7f) << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!;
  return String(n % 1_000_000).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 1000 / 30);

describe('三员分立: accounts, forced password change, the security policy, menus, 我的账号 on a phone', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('1. the system administrator lands on 账号管理, creates an account and reads its one-time password once', async () => {
    const page = await signIn('sysadmin', DEMO_PASSWORD);
    await page.waitForURL(`${server.url}/admin/users`);
    await expect.poll(() => page.getByTestId('user-row-city_office').isVisible()).toBe(true);
    expect(await menuKeys(page)).toEqual(['account', 'admin/orgs', 'admin/users']);

    // search narrows the list
    await inputOf(page.getByTestId('user-search')).fill('city_edu');
    await inputOf(page.getByTestId('user-search')).press('Enter');
    await expect.poll(() => page.locator('[data-testid^="user-row-"]').count()).toBe(1);
    await inputOf(page.getByTestId('user-search')).fill('');
    await inputOf(page.getByTestId('user-search')).press('Enter');
    await expect.poll(() => page.locator('[data-testid^="user-row-"]').count()).toBeGreaterThan(10);

    await page.getByTestId('user-new').click();
    // a wrong username is refused in words before anything is sent
    await page.getByTestId('user-username').fill('x');
    await page.getByTestId('user-save').click();
    await expect.poll(() => page.locator('.ant-modal').innerText()).toContain('用户名为3–64位字母');
    await page.getByTestId('user-username').fill(NEW_USER);
    await page.getByTestId('user-display-name').fill('测试办事员');
    await pickOption(page, page.getByTestId('user-role'), '平安办');
    await inputOf(page.getByTestId('user-org')).fill('云州市平安办');
    await pickOption(page, page.getByTestId('user-org'), '云州市平安办');
    await page.getByTestId('user-save').click();

    const pw = page.getByTestId('one-time-password');
    await expect.poll(() => pw.isVisible()).toBe(true);
    oneTimePassword = (await pw.innerText()).trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(8);
    expect(await page.locator('.ant-modal').last().innerText()).toContain('只显示这一次');
    await shot(page, 'admin-01-one-time-password');
    await page.getByTestId('one-time-close').click();
    await expect.poll(() => page.getByTestId(`user-row-${NEW_USER}`).innerText()).toContain('待改密');
    // closed, the password is nowhere on the page any more
    await expect.poll(() => page.locator('body').innerText()).not.toContain(oneTimePassword);
    await shot(page, 'admin-02-accounts');
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.context().close();
  });

  it('2. accounts come in from the Excel template (a wrong row is refused in words) and go out to Excel', async () => {
    const page = await signIn('sysadmin', DEMO_PASSWORD);
    await page.waitForURL(`${server.url}/admin/users`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-import-'));

    // the template: its header row names the columns the import reads
    const [tpl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('user-template').click()]);
    const tplFile = path.join(dir, 'template.xlsx');
    await tpl.saveAs(tplFile);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(tplFile);
    const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).filter(Boolean).map(String);
    expect(header.slice(0, 4)).toEqual(['用户名', '姓名', '角色', '组织编号']);

    const orgs = (await (await page.request.get(`${server.url}/api/admin/orgs?q=${encodeURIComponent('云州市教育局')}`)).json()) as {
      items: { id: number; name: string }[];
    };
    const eduId = orgs.items.find((o) => o.name === '云州市教育局')!.id;
    const write = async (rows: unknown[][], name: string) => {
      const out = new ExcelJS.Workbook();
      const ws = out.addWorksheet('账号');
      ws.addRow(header);
      for (const r of rows) ws.addRow(r);
      const file = path.join(dir, name);
      await out.xlsx.writeFile(file);
      return file;
    };
    const upload = (file: string) => page.locator('input[type=file]').setInputFiles(file);

    // row 3 names a role that does not exist: nothing is imported, the row is listed in Chinese
    await upload(
      await write(
        [
          ['e2e_imp1', '导入一', '牵头部门', eduId],
          ['e2e_imp2', '导入二', '科长', eduId],
        ],
        'bad.xlsx',
      ),
    );
    await expect.poll(() => page.getByTestId('import-problems').innerText()).toContain('第3行');
    expect(await page.getByTestId('import-problems').innerText()).toContain('角色「科长」不存在');
    expect(((await (await page.request.get(`${server.url}/api/admin/users?q=e2e_imp`)).json()) as { total: number }).total).toBe(0);
    await shot(page, 'admin-02-import-refused');

    // corrected, both accounts come in, each with its one-time password shown once
    await upload(
      await write(
        [
          ['e2e_imp1', '导入一', '牵头部门', eduId],
          ['e2e_imp2', '导入二', '配合部门', eduId],
        ],
        'good.xlsx',
      ),
    );
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.innerText()).toContain('e2e_imp2');
    expect(await result.locator('tbody code').count()).toBe(2);
    await shot(page, 'admin-02-import-result');
    await page.getByTestId('import-result-close').click();
    await expect.poll(() => page.getByTestId('user-row-e2e_imp1').innerText()).toContain('待改密');

    // the export carries the same filter: searching e2e_imp exports the two accounts
    await inputOf(page.getByTestId('user-search')).fill('e2e_imp');
    await inputOf(page.getByTestId('user-search')).press('Enter');
    await expect.poll(() => page.locator('[data-testid^="user-row-"]').count()).toBe(2);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('user-export').click()]);
    const outFile = path.join(dir, 'export.xlsx');
    await xlsx.saveAs(outFile);
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.readFile(outFile);
    const sheet = exported.worksheets[0]!;
    const col = (sheet.getRow(1).values as unknown[]).findIndex((v) => v === '用户名');
    expect(col).toBeGreaterThan(0);
    const names: string[] = [];
    sheet.eachRow((r, n) => {
      if (n > 1) names.push(String(r.getCell(col).value));
    });
    expect(names.sort()).toEqual(['e2e_imp1', 'e2e_imp2']);
    fs.rmSync(dir, { recursive: true, force: true });
    await page.context().close();
  });

  it('3. the new account must change its password before anything else, then lands on its home', async () => {
    const page = await signIn(NEW_USER, oneTimePassword);
    await expect.poll(() => page.getByTestId('forced-password').isVisible()).toBe(true);
    expect(await page.getByTestId('password-rules').innerText()).toContain('至少8个字符');
    // no menu, no business page while the change is due
    expect(await page.locator('.app-sider').count()).toBe(0);
    const blocked = await page.request.get(`${server.url}/api/campaigns`);
    expect(blocked.status()).toBe(403);
    expect(((await blocked.json()) as { code: string }).code).toBe('PASSWORD_CHANGE_REQUIRED');

    await page.getByTestId('password-current').fill(oneTimePassword);
    await page.getByTestId('password-new').fill('short');
    await page.getByTestId('password-confirm').fill('short');
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.getByTestId('forced-password').innerText()).toContain('密码至少8个字符');
    await shot(page, 'admin-04-forced-change');

    await page.getByTestId('password-new').fill(NEW_PASSWORD);
    await page.getByTestId('password-confirm').fill(NEW_PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.waitForURL(`${server.url}/dashboard`);
    await expect.poll(() => page.getByTestId('forced-password').count()).toBe(0);
    await expect.poll(() => page.getByTestId('nav-dashboard').isVisible()).toBe(true);
    expect(await menuKeys(page)).toContain('account');
    expect((await page.request.get(`${server.url}/api/campaigns`)).status()).toBe(200);
    await page.context().close();
  });

  it('4. the security administrator changes the policy; a value out of bounds is refused in words', async () => {
    const page = await signIn('secadmin', DEMO_PASSWORD);
    await page.waitForURL(`${server.url}/admin/policy`);
    expect(await menuKeys(page)).toEqual(['account', 'admin/policy']);
    const failures = inputOf(page.getByTestId('policy-lockoutFailures'));
    await expect.poll(() => failures.inputValue()).not.toBe('');
    const before = Number(await failures.inputValue());

    await failures.fill('2');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.getByTestId('policy-form').innerText()).toContain('须为3到20之间的整数');

    await failures.fill('6');
    await inputOf(page.getByTestId('policy-idleMinutes')).fill('20');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('安全策略已保存');
    await shot(page, 'admin-05-policy');

    const saved = (await (await page.request.get(`${server.url}/api/admin/policy`)).json()) as {
      policy: { lockoutFailures: number; idleMinutes: number };
      updatedBy: string | null;
    };
    expect(saved.policy.lockoutFailures).toBe(6);
    expect(saved.policy.idleMinutes).toBe(20);
    expect(before).not.toBe(6);
    await page.reload();
    await expect.poll(() => inputOf(page.getByTestId('policy-lockoutFailures')).inputValue()).toBe('6');
    // the security administrator may not manage accounts, nor the system administrator the policy
    expect((await page.request.get(`${server.url}/api/admin/users`)).status()).toBe(403);
    await page.goto(`${server.url}/admin/users`);
    await expect.poll(() => page.locator('.ant-result-403').count()).toBe(1);
    await page.context().close();
  });

  it('5. each administrator sees only its own menu entries and 我的账号; no business page', async () => {
    for (const [username, own] of [
      ['sysadmin', ['admin/users', 'admin/orgs']],
      ['secadmin', ['admin/policy']],
      ['auditor', ['audit']],
    ] as const) {
      const page = await signIn(username, DEMO_PASSWORD);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      const keys = await menuKeys(page);
      expect(keys, username).toContain('account');
      for (const k of own) expect(keys, username).toContain(k);
      for (const k of BUSINESS_NAV) expect(keys, username).not.toContain(k);
      await page.goto(`${server.url}/campaigns`);
      await expect.poll(() => page.locator('.ant-result-403').count()).toBe(1);
      await page.context().close();
    }
  });

  it('6. a staff account turns on a TOTP second factor and then signs in with a code', async () => {
    const page = await signIn(NEW_USER, NEW_PASSWORD);
    await page.waitForURL(`${server.url}/dashboard`);
    await page.getByTestId('nav-account').click();
    await page.waitForURL(`${server.url}/account`);
    await page.getByTestId('totp-enable').click();
    await page.getByTestId('totp-start').click();
    await expect.poll(() => page.getByTestId('totp-qr').locator('canvas').count()).toBe(1);
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret'))!;
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByTestId('totp-code').fill('123');
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('totp-error').innerText()).toContain('6位');
    await shot(page, 'admin-06-totp-setup');
    const step = stepNow();
    await page.getByTestId('totp-code').fill(totp(secret, step));
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('totp-enabled').isVisible()).toBe(true);
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.context().close();

    const again = await signIn(NEW_USER, NEW_PASSWORD);
    await expect.poll(() => again.getByTestId('login-otp-step').isVisible()).toBe(true);
    await again.getByTestId('login-otp').fill(totp(secret, step - 5)); // long expired
    await again.getByTestId('login-otp-submit').click();
    await expect.poll(() => again.getByTestId('login-error').innerText()).toContain('动态口令');
    await shot(again, 'admin-06-login-otp');
    // a code later than the one used to confirm (one step of drift is allowed)
    await again.getByTestId('login-otp').fill(totp(secret, Math.max(stepNow(), step + 1)));
    await again.getByTestId('login-otp-submit').click();
    await again.waitForURL(`${server.url}/dashboard`);
    await again.context().close();
  });

  it('7. 我的账号 fits a 375 px phone: password rules, sessions, second factor; no sideways scroll', async () => {
    const page = await loginAtViewport(browser, server.url, 'city_office', PHONE);
    await page.goto(`${server.url}/account`);
    await expect.poll(() => page.getByTestId('password-rules').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('session-current').count()).toBe(1);
    await page.waitForLoadState('networkidle');
    fs.mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'admin-account-375.png'), fullPage: true });
    await shot(page, 'admin-07-account-375');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // a second session of the same account is ended from here
    const other = await loginAtViewport(browser, server.url, 'city_office', DESKTOP);
    await page.reload();
    await expect.poll(() => page.getByTestId('session-other').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('sessions-revoke').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('session-other').count()).toBe(0);
    expect((await other.request.get(`${server.url}/api/me`)).status()).toBe(401);
    await other.context().close();
    await page.context().close();
  });

  it('8. once the policy requires a second factor for staff, a staff account sets one up at login (on a phone)', async () => {
    const sec = await signIn('secadmin', DEMO_PASSWORD);
    await sec.waitForURL(`${server.url}/admin/policy`);
    await expect.poll(() => sec.getByTestId('policy-totp-staff').isEnabled()).toBe(true);
    await sec.getByTestId('policy-totp-staff').click();
    await sec.getByTestId('policy-save').click();
    await expect.poll(() => sec.locator('.ant-message').innerText()).toContain('安全策略已保存');
    await sec.context().close();

    const page = await signIn('city_edu', DEMO_PASSWORD, PHONE);
    await expect.poll(() => page.getByTestId('forced-totp').isVisible()).toBe(true);
    expect((await page.request.get(`${server.url}/api/campaigns`)).status()).toBe(403);
    await page.getByTestId('totp-start').click();
    await expect.poll(() => page.getByTestId('totp-qr').locator('canvas').count()).toBe(1);
    await shot(page, 'admin-08-forced-totp-375');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret'))!;
    await page.getByTestId('totp-code').fill(totp(secret, stepNow()));
    await page.getByTestId('totp-confirm').click();
    await page.waitForURL(`${server.url}/dashboard`);
    await expect.poll(() => page.getByTestId('forced-totp').count()).toBe(0);
    expect((await page.request.get(`${server.url}/api/campaigns`)).status()).toBe(200);
    await page.context().close();
  });

  it('9. every page ran under the Content-Security-Policy without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
