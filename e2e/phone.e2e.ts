import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer } from './server';
import { launchChromium, loginAtViewport, SHOTS } from './ui';

/** Households apply from a phone: every page they and the expert use fits 375 px, with no sideways scroll. */
const PHONE = { width: 375, height: 812 };

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400); // let antd's responsive observers and animations finish
}

/** The page is no wider than the screen; names the widest offenders when it is. */
async function expectFits(page: Page, name: string) {
  await settle(page);
  const r = await page.evaluate((w) => {
    const offenders = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5 && el.getClientRects().length)
      .slice(0, 5)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, offenders };
  }, PHONE.width);
  await page.screenshot({ path: path.join(SHOTS, `phone-${name}.png`), fullPage: true });
  expect(r.scrollWidth, `${name}: ${r.offenders.join(' | ')}`).toBeLessThanOrEqual(PHONE.width);
}

/** One tab of an application's detail page (by its ?tab= address) fits. */
async function expectTabFits(page: Page, detailUrl: string, tab: string, name: string) {
  await page.goto(`${detailUrl}?tab=${tab}`);
  await page.getByTestId('application-detail').waitFor();
  await expectFits(page, name);
}

/** The header: brand, bell and account menu side by side, none overlapping another. */
async function expectHeaderApart(page: Page) {
  const boxes = await Promise.all(
    ['.app-header .brand-seal', '[data-testid=notification-bell]', '[data-testid=current-user]', '[data-testid=menu-button]'].map((sel) =>
      page.locator(sel).first().boundingBox(),
    ),
  );
  const [brand, bell, user, menu] = boxes;
  expect(brand && bell && user && menu).toBeTruthy();
  const apart = (a: typeof brand, b: typeof brand) => a!.x + a!.width <= b!.x + 0.5;
  expect(apart(menu, brand)).toBe(true);
  expect(apart(brand, bell)).toBe(true);
  expect(apart(bell, user)).toBe(true);
  expect(user!.x + user!.width).toBeLessThanOrEqual(PHONE.width);
}

/** family_wang's application: the one they have, or a new one in an open campaign for households. */
async function householdApplication(page: Page, base: string): Promise<number> {
  const mine = await page.request.get(`${base}/api/applications?limit=5`);
  const list = (await mine.json()) as { items: { id: number }[] };
  if (list.items.length) return list.items[0]!.id;
  const today = new Date().toISOString().slice(0, 10);
  const campaigns = (await (await page.request.get(`${base}/api/campaigns`)).json()) as {
    id: number;
    applyDeadline: string;
    categories: { code: string; subjectKinds: string[] }[];
  }[];
  for (const c of campaigns.filter((x) => x.applyDeadline >= today))
    for (const cat of c.categories.filter((x) => x.subjectKinds.includes('household'))) {
      const res = await page.request.post(`${base}/api/applications`, { data: { campaignId: c.id, categoryCode: cat.code } });
      const body = (await res.json()) as { id?: number; details?: { id?: number } };
      if (res.ok() && body.id) return body.id;
      if (body.details?.id) return body.details.id;
    }
  throw new Error('no campaign open to households');
}

describe('phones (375 px)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the public pages and the sign-in page fit', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/public`);
    await page.getByTestId('home-notices').waitFor();
    await expectFits(page, 'public');
    // a notice, reached through the home page's list (its address is a public code, never an id)
    await page.getByTestId('notice-link').first().click();
    await page.waitForURL(/\/public\/notices\/[0-9A-Z]+$/);
    await expectFits(page, 'public-notice');
    // the honour roll shows cards on a phone, and a card opens the title's live status page
    await page.goto(`${server.url}/public/honour?status=all`);
    await page.getByTestId('honour-item').first().waitFor();
    expect(await page.getByTestId('honour-table').isVisible()).toBe(false);
    await expectFits(page, 'honour');
    await page.getByTestId('honour-item').first().click();
    await page.waitForURL(/\/t\/PA\d{4}-/);
    await page.getByTestId('title-status').waitFor();
    await expectFits(page, 'title');
    // the check by number: typed in lower case, it lands on the same page
    const no = await page.getByTestId('title-no').innerText();
    await page.goto(`${server.url}/verify`);
    await expectFits(page, 'verify');
    await page.getByTestId('verify-input').fill(no.toLowerCase());
    await page.getByTestId('verify-submit').click();
    await page.waitForURL(`${server.url}/t/${no}`);
    expect(await page.getByTestId('title-no').innerText()).toBe(no);
    await page.goto(`${server.url}/login`);
    await expectFits(page, 'login');
    await context.close();
  });

  it('a household applies from a phone: list, form and self-assessment fit, the menu is a drawer', async () => {
    const page = await loginAtViewport(browser, server.url, 'family_wang', PHONE);
    await page.goto(`${server.url}/applications`);
    await page.getByTestId('notification-bell').waitFor();
    await expectHeaderApart(page);
    await expectFits(page, 'applications');

    // the side menu is a drawer behind the menu button
    await expect.poll(() => page.locator('.app-sider').count()).toBe(0);
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-applications').waitFor({ state: 'visible' });
    await expectFits(page, 'menu-drawer');
    await page.keyboard.press('Escape');

    // the account menu folds into the avatar
    await page.getByTestId('current-user').click();
    await page.getByTestId('logout').waitFor({ state: 'visible' });
    await expectFits(page, 'account-menu');
    await page.keyboard.press('Escape');

    const id = await householdApplication(page, server.url);
    await page.goto(`${server.url}/applications/${id}`);
    await page.getByTestId('application-detail').waitFor();
    await expectFits(page, 'application-form');
    await page.getByRole('tab', { name: /自查自评|Self/ }).click();
    await expectFits(page, 'application-self');
    for (const tab of ['rating', 'reviews', 'history'])
      await expectTabFits(page, `${server.url}/applications/${id}`, tab, `application-${tab}`);

    // the bell opens the latest notifications, and the page lists them all
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-panel').waitFor({ state: 'visible' });
    await page.waitForTimeout(400);
    const panel = await page.getByTestId('notification-panel').boundingBox();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(PHONE.width);
    await expectFits(page, 'bell');
    await page.getByTestId('notifications-view-all').click();
    await page.waitForURL(/\/notifications$/);
    await expectFits(page, 'notifications');
    await page.context().close();
  });

  it("the expert's pages fit", async () => {
    const page = await loginAtViewport(browser, server.url, 'expert_zhou', PHONE);
    await settle(page);
    await expectHeaderApart(page);
    await expectFits(page, 'expert-home');
    // the notification centre: the bell's latest, and a click marks one read and opens its link
    await page.goto(`${server.url}/notifications`);
    await expectFits(page, 'expert-notifications');
    const unread = page.locator('.notif-unread').first();
    if (await unread.count()) {
      const before = await page.locator('.notif-unread').count();
      await unread.click();
      await settle(page);
      await page.goto(`${server.url}/notifications`);
      await settle(page);
      expect(await page.locator('.notif-unread').count()).toBe(before - 1);
    }
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-panel').waitFor({ state: 'visible' });
    await page.waitForTimeout(400);
    const panel = await page.getByTestId('notification-panel').boundingBox();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(PHONE.width);
    await expectFits(page, 'expert-bell');
    await page.keyboard.press('Escape');

    await page.goto(`${server.url}/applications`);
    await expectFits(page, 'expert-applications');
    const row = page.locator('.ant-table-row, .app-card').first();
    expect(await row.count()).toBeGreaterThan(0);
    await row.click();
    await page.getByTestId('application-detail').waitFor();
    await expectFits(page, 'expert-application');
    const detailUrl = page.url().split('?')[0]!;
    for (const tab of ['form', 'self', 'rating', 'reviews', 'history'])
      await expectTabFits(page, detailUrl, tab, `expert-application-${tab}`);
    await page.context().close();
  });

  it('fits in English too', async () => {
    const page = await loginAtViewport(browser, server.url, 'family_wang', PHONE, 'en-US');
    await page.goto(`${server.url}/applications`);
    await page.getByTestId('notification-bell').waitFor();
    await expectHeaderApart(page);
    await expectFits(page, 'applications-en');
    await page.context().close();
  });
});
