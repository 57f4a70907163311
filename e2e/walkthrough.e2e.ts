import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Locator } from 'playwright-core';
import { startServer } from './server.js';
import { SHOTS, inputOf, launchChromium, loginAs, pickOption, shot } from './ui.js';

/**
 * Steps 1–7 of a title's life, clicked through in chromium as the different roles.
 * Screenshots land in test-results/screenshots/.
 */
const year = new Date().getFullYear();
const CAMPAIGN = `云州市${year}年平安校园专项创建（浏览器验收）`;
const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let applicationId: number;
let noticeId: number;

interface Measure {
  id: string;
  kind: string;
  comparator?: string;
  value?: number;
  min?: number;
  max?: number;
  unit?: string;
}
interface Criterion {
  id: string;
  points: number;
  judge: string;
  evidenceRequired: boolean;
  measures: Measure[];
}

const as = (username: string) => loginAs(browser, server.url, username);

/** antd date pickers: type the date into the input and confirm. */
async function typeDate(input: Locator, date: string) {
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

function passingValue(m: Measure): { value: number; previous?: number } {
  switch (m.kind) {
    case 'threshold':
      return { value: m.comparator?.startsWith('>') ? (m.unit === '%' ? 96 : (m.value ?? 0) + 5) : 0 };
    case 'change':
      return { value: 4, previous: 10 };
    case 'range':
      return { value: m.min ?? 0 };
    case 'frequency':
      return { value: (m.min ?? 1) + 1 };
    default:
      return { value: (m.value ?? 0) * 2 };
  }
}

describe('a title’s life in the browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('1. the city 平安办 creates a campaign with a standard and deadlines', async () => {
    const page = await as('city_office');
    await page.goto(`${server.url}/campaigns/new`);
    await page.getByTestId('campaign-name').fill(CAMPAIGN);
    await typeDate(inputOf(page.getByTestId('campaign-apply-deadline')), `${year}-12-20`);
    await typeDate(inputOf(page.getByTestId('campaign-review-deadline')), `${year}-12-31`);
    // the four phases of 002: 动员部署 → 推荐申报 → 指导培育 → 验收表彰
    const phases: [string, string, string][] = [
      ['mobilise', `${year}-01-05`, `${year}-01-31`],
      ['apply', `${year}-02-01`, `${year}-12-20`],
      ['guide', `${year}-03-01`, `${year}-12-25`],
      ['accept', `${year}-04-01`, `${year}-12-31`],
    ];
    for (const [key, start, end] of phases) {
      const inputs = page.getByTestId(`campaign-phase-${key}`).locator('xpath=descendant-or-self::input');
      await inputs.first().click();
      await inputs.first().fill(start);
      await inputs.first().press('Enter');
      await inputs.last().fill(end);
      await inputs.last().press('Enter');
    }
    await page.getByTestId('campaign-name').click(); // close any open picker
    await pickOption(page, page.getByTestId('campaign-standard-0'), '大托铺街道2020年“十大平安”创建实施方案：平安校园');
    await shot(page, '01-campaign-form');
    await page.getByTestId('campaign-form-submit').click();
    await page.waitForURL(`${server.url}/campaigns`);
    await expect.poll(() => page.getByText(CAMPAIGN).count()).toBeGreaterThan(0);
    await shot(page, '01-campaigns');
    await page.context().close();
  });

  it('2. the school fills in the 申报表 and self-assessment, is told what is missing, comes back and submits', async () => {
    const page = await as('school_nm');
    await page.goto(`${server.url}/applications`);
    await page.getByTestId('new-application').click();
    await pickOption(page, page.getByTestId('new-application-campaign'), CAMPAIGN);
    await pickOption(page, page.getByTestId('new-application-category'), '平安校园');
    await page.getByTestId('new-application-ok').click();
    await page.waitForURL(/\/applications\/\d+$/);
    applicationId = Number(new URL(page.url()).pathname.split('/').pop());

    await page.getByTestId('form-content').fill(`申报${year}年度“平安校园”`);
    await page.getByTestId('form-plan').fill('一、健全安保组织；二、每月开展安全隐患自查自纠；三、开展防溺水、交通、消防安全教育。');
    await page.getByTestId('form-contact-name').fill('何建平');
    await page.getByTestId('form-contact-phone').fill('0731-88881234');
    await page.getByTestId('save-draft').click();
    await expect.poll(() => page.getByTestId('save-state').getAttribute('class')).not.toContain('dirty');

    // submitting now says exactly what is missing
    await page.getByTestId('submit-application').click();
    await expect.poll(() => page.getByTestId('missing-list').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('missing-list').innerText()).toContain('未填写自评说明');
    await shot(page, '02-missing');

    const detail = (await (await page.request.get(`${server.url}/api/applications/${applicationId}`)).json()) as {
      standard: { groups: { criteria: Criterion[] }[] };
    };
    const criteria = detail.standard.groups.flatMap((g) => g.criteria);
    await page.getByRole('tab', { name: '自查自评' }).click();
    for (const c of criteria) {
      await page.getByTestId(`statement-${c.id}`).fill(`第${c.id}项：已对照标准逐项落实，台账齐全。`);
      for (const m of c.measures) {
        const v = passingValue(m);
        await inputOf(page.getByTestId(`figure-${c.id}-${m.id}`)).fill(String(v.value));
        if (v.previous !== undefined) await inputOf(page.getByTestId(`figure-${c.id}-${m.id}-previous`)).fill(String(v.previous));
      }
      if (c.evidenceRequired) {
        await page
          .getByTestId(`upload-${c.id}`)
          .locator('input[type=file]')
          .setInputFiles({
            name: `第${c.id}项台账.pdf`,
            mimeType: 'application/pdf',
            buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
          });
        await expect.poll(() => page.getByTestId(`files-${c.id}`).innerText()).toContain(`第${c.id}项台账.pdf`);
      }
    }
    await page.getByTestId('save-draft').click();
    await expect.poll(() => page.getByTestId('save-state').getAttribute('class')).not.toContain('dirty');

    // come back later: what was saved is there
    await page.reload();
    await page.getByRole('tab', { name: '自查自评' }).click();
    await expect.poll(() => page.getByTestId(`statement-${criteria[0]!.id}`).inputValue()).toContain('台账齐全');
    await page.getByTestId('submit-application').click();
    await expect.poll(() => page.getByTestId('detail-status').innerText()).toContain('已申报');
    await shot(page, '02-submitted');
    await page.context().close();
  });

  it('3. the education bureau scores every criterion and passes it on; the 平安办 evaluates', async () => {
    const edu = await as('city_edu');
    await edu.goto(`${server.url}/applications/${applicationId}`);
    const detail = (await (await edu.request.get(`${server.url}/api/applications/${applicationId}`)).json()) as {
      standard: { groups: { criteria: Criterion[] }[] };
    };
    const criteria = detail.standard.groups.flatMap((g) => g.criteria);
    await edu.getByRole('tab', { name: '评审', exact: true }).click();
    for (const c of criteria) {
      await inputOf(edu.getByTestId(`review-score-${c.id}`)).fill(String(c.points));
      await edu.getByTestId(`review-met-${c.id}`).getByText('符合', { exact: true }).click();
    }
    await shot(edu, '03-preliminary-review');
    await edu.getByTestId('review-pass').click();
    await expect.poll(() => edu.getByTestId('detail-status').innerText()).toContain('初评通过');
    await edu.context().close();

    const office = await as('city_office');
    await office.goto(`${server.url}/applications/${applicationId}`);
    await office.getByRole('tab', { name: '评审', exact: true }).click();
    await office.getByTestId('review-pass').click();
    await expect.poll(() => office.getByTestId('detail-status').innerText()).toContain('综合评定');
    await office.context().close();
  });

  it('4. the rating shows total, the title decision and a reason per criterion', async () => {
    const page = await as('city_office');
    await page.goto(`${server.url}/applications/${applicationId}`);
    await page.getByRole('tab', { name: '评级结果' }).click();
    await expect.poll(() => page.getByTestId('rating-summary').innerText()).toMatch(/得分100\/100/);
    // 002 confers the title or not, with no stars
    await expect.poll(() => page.getByTestId('rating-summary').innerText()).toContain('符合命名条件');
    await shot(page, '04-rating');
    await page.context().close();
  });

  it('5. the 平安办 publishes a public notice that anyone can read without logging in', async () => {
    const page = await as('city_office');
    await page.goto(`${server.url}/notices`);
    await page.getByTestId('publish-notice').click();
    await page.waitForURL(/\/notices\/new/);
    await pickOption(page, page.getByTestId('notice-campaign'), CAMPAIGN);
    await page.getByTestId('notice-title').fill(`${CAMPAIGN}拟命名单位公示`);
    const period = page.getByTestId('notice-period').locator('xpath=descendant-or-self::input');
    await period.nth(0).click();
    // a notice starts today and lasts at least five working days
    await period.nth(0).fill(day(0));
    await period.nth(0).press('Enter');
    await period.nth(1).fill(day(9));
    await period.nth(1).press('Enter');
    await page.getByTestId('notice-body').fill('公示期间如有异议，请向云州市平安办书面反映。');
    await page.getByTestId(`notice-pick-${applicationId}`).check();
    await shot(page, '05-notice-form');
    await page.getByTestId('notice-form-submit').click();
    await page.waitForURL(`${server.url}/notices`);
    const notices = (await (await page.request.get(`${server.url}/api/notices`)).json()) as {
      id: number;
      title: string;
      publicCode: string;
    }[];
    const notice = notices.find((n) => n.title.startsWith(CAMPAIGN))!;
    noticeId = notice.id;
    await page.context().close();

    const publicCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const pub = await publicCtx.newPage();
    // the public finds the notice in the list on the public home page: its address is its random public code, never its id
    await pub.goto(`${server.url}/public`);
    await pub.getByTestId('notice-link').filter({ hasText: CAMPAIGN }).first().click();
    await pub.waitForURL(`${server.url}/public/notices/${notice.publicCode}`);
    await expect.poll(() => pub.getByText('云州市南门实验小学').count()).toBeGreaterThan(0);
    await shot(pub, '05-public-notice');
    await publicCtx.close();
  });

  it('6. after the notice the title is conferred and the certificate PDF downloads', async () => {
    // before the notice ends the title cannot be conferred
    const early = await as('city_office');
    const refused = await early.request.post(`${server.url}/api/notices/${noticeId}/confer`);
    expect(refused.status()).toBe(422);
    await early.context().close();
    // the same platform, twelve days later: restarted on the same data with its calendar moved on
    await server.stop({ keepData: true });
    server = await startServer({ dataDir: server.dataDir, env: { CLOCK_OFFSET_DAYS: '12' } });
    const office = await as('city_office');
    await office.goto(`${server.url}/notices`);
    await office.getByTestId(`confer-${noticeId}`).click();
    await office.getByTestId(`confer-ok-${noticeId}`).click();
    await expect
      .poll(async () => (await (await office.request.get(`${server.url}/api/applications/${applicationId}`)).json()).status)
      .toBe('conferred');
    await office.context().close();

    const school = await as('school_nm');
    await school.goto(`${server.url}/applications/${applicationId}`);
    await expect.poll(() => school.getByTestId('detail-status').innerText()).toContain('已命名');
    const [download] = await Promise.all([school.waitForEvent('download'), school.getByTestId('download-certificate').click()]);
    const file = path.join(SHOTS, 'certificate.pdf');
    await download.saveAs(file);
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await shot(school, '06-conferred');
    await school.getByRole('tab', { name: '流转记录' }).click();
    await expect.poll(() => school.getByTestId('history').innerText()).toContain('命名');
    expect(await school.getByTestId('history').locator('[data-testid^="event-"]').count()).toBe(6);
    await shot(school, '06-history');
    await school.context().close();

    // anyone checks the title: found on the honour roll, its page says 有效; the number typed on /verify opens the same page
    const publicCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const pub = await publicCtx.newPage();
    await pub.goto(`${server.url}/public/honour`);
    await pub.getByTestId('honour-q').fill('南门实验小学');
    await pub.getByTestId('honour-search').click();
    await pub.getByTestId('honour-table').getByRole('link', { name: '云州市南门实验小学' }).first().click();
    await pub.waitForURL(/\/t\/PA\d{4}-/);
    await expect.poll(() => pub.getByTestId('title-status').innerText()).toBe('有效');
    const no = await pub.getByTestId('title-no').innerText();
    await shot(pub, '06-public-title');
    await pub.goto(`${server.url}/verify`);
    await pub.getByTestId('verify-input').fill(` ${no.toLowerCase()} `);
    await pub.getByTestId('verify-submit').click();
    await pub.waitForURL(`${server.url}/t/${no}`);
    await expect.poll(() => pub.getByTestId('title-status').innerText()).toBe('有效');
    await publicCtx.close();
  });

  it('7. the dashboard shows the region’s units, applications by stage and titles by star', async () => {
    const page = await as('city_office');
    await page.goto(`${server.url}/dashboard`);
    await expect.poll(() => page.getByTestId('stat-units').innerText()).toMatch(/\d/);
    await expect.poll(() => page.getByTestId('dashboard-by-status').innerText()).toContain('已命名');
    await shot(page, '07-dashboard');
    await page.context().close();

    const county = await as('lj_office');
    await county.goto(`${server.url}/dashboard`);
    await expect.poll(() => county.getByText('临江县').count()).toBeGreaterThan(0);
    await shot(county, '07-dashboard-county');
    await county.context().close();
  });
});
