import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

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
