import { expect } from 'vitest';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Chooses an option of an antd Select by its text. */
export async function pickOption(page: Page, select: Locator, text: string) {
  // a click during the dropdown's opening animation can be lost on a busy machine: retry until
  // the select shows the choice
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await select.innerText()).includes(text)) break;
    if (!(await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count())) await select.click();
    // the dropdown just opened is the last one not hidden; a closing one may still be in the page
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    const option = dropdown.locator('.ant-select-item-option', { hasText: text }).first();
    await option.waitFor({ state: 'visible' });
    await page.waitForTimeout(200); // let the opening animation settle
    await option.click();
    await page.waitForTimeout(200);
  }
  expect(await select.innerText()).toContain(text);
  // let the dropdown finish closing (no Escape: inside a modal it would close the modal)
  await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
}

export const SHOTS = path.resolve(import.meta.dirname, '../test-results/screenshots');
export const DEMO_PASSWORD = 'Pingan@2026';

/** Content-Security-Policy violations any page of a watched context reported in its console. */
export const cspViolations: string[] = [];
function watchCsp(context: BrowserContext) {
  context.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text()))
      cspViolations.push(`${m.location().url}: ${m.text()}`);
  });
}

/** A fresh browser context signed in as a demo account. */
export async function loginAs(browser: Browser, baseUrl: string, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  watchCsp(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** loginAs with a chosen viewport and language, e.g. a phone: { width: 375, height: 812 }. */
export async function loginAtViewport(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport: { width: number; height: number },
  lang: 'zh-CN' | 'en-US' = 'zh-CN',
): Promise<Page> {
  const context = await browser.newContext({
    locale: lang,
    viewport,
    acceptDownloads: true,
    isMobile: viewport.width < 768,
    hasTouch: viewport.width < 768,
  });
  watchCsp(context);
  if (lang !== 'zh-CN') await context.addInitScript((l) => localStorage.setItem('pingan.lang', l), lang);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** A full-page screenshot once the page has settled. */
export async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The <input> of an antd control, whether the test id sits on the input or its wrapper. */
export const inputOf = (l: Locator) => l.locator('xpath=descendant-or-self::input').first();

/** Debian's chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
