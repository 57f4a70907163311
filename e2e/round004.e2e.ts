import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer } from './server.js';
import { SHOTS, inputOf, launchChromium, loginAs, loginAtViewport, pickOption, shot as fullShot } from './ui.js';

/**
 * A 004-style round in the browser: two counties have named their 平安校园; they recommend to the
 * city within quota (an over-quota recommendation is refused), two city departments 会签 their
 * items, an expert is assigned (a conflicted one is refused) and checks on site from a phone with a
 * photo, one rectification is answered and accepted, and the city 平安办 passes 网络评选 and
 * evaluates. Screenshots: test-results/screenshots/round004-*.png.
 */
const year = new Date().getFullYear();
const CITY = `云州市${year}年“平安校园”市级评定（县区推荐）`;
const DONGHU = '青山区东湖中学';
const YUEHU = '青山区月湖小学';
const BAISHA = '临江县白沙镇中心小学';
const PHONE = { width: 375, height: 812 };
/** where the check happens (长沙 area): the browser's position and the photo's EXIF GPS */
const HERE = { latitude: 28.2083, longitude: 112.9792 };
const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let campaignId: number;
let applicationId: number;
let rectCriterion: string;
let rectificationId: number;

/** A full-page screenshot from the top (a scrolled page would draw its sticky header mid-picture). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  // let the toasts fade so they cover nothing (they have been read by then)
  const toasts = page.locator('.ant-message-notice');
  for (let i = 0; i < 40 && (await toasts.count()); i++) await page.waitForTimeout(200);
  if (await toasts.count()) console.warn(`${name}: toasts still shown: ${(await toasts.allInnerTexts()).join(' | ')}`);
  // an error toast is a failure, whatever the step was checking
  expect(await page.locator('.ant-message-notice .ant-message-error').allInnerTexts(), name).toEqual([]);
  await fullShot(page, name);
}

const as = (username: string) => loginAs(browser, server.url, username);
const phone = async (username: string) => {
  const page = await loginAtViewport(browser, server.url, username, PHONE);
  await page.context().grantPermissions(['geolocation'], { origin: server.url });
  await page.context().setGeolocation(HERE);
  return page;
};
const api = async <T>(page: Page, url: string): Promise<T> => {
  const res = await page.request.get(`${server.url}${url}`);
  expect(res.ok(), `${url}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
};
interface AppState {
  status: string;
  step: { key: string; name: string } | null;
}
const appState = (page: Page) => api<AppState>(page, `/api/applications/${applicationId}`);

/** A multiple-mode antd Select: picks one option; the dropdown stays open in that mode, so close it. */
async function pickMulti(page: Page, select: Locator, text: string) {
  await select.click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  const option = dropdown.locator('.ant-select-item-option', { hasText: text }).first();
  await option.waitFor({ state: 'visible' });
  await page.waitForTimeout(200);
  await option.click();
  await expect.poll(() => select.innerText()).toContain(text);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
}

/** antd date pickers: type the date into the input and confirm. */
async function typeDate(input: Locator, date: string) {
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** The page is no wider than the phone; names the widest offenders when it is. */
async function expectFitsPhone(page: Page, what: string) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400);
  const r = await page.evaluate((w) => {
    const offenders = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5 && el.getClientRects().length)
      .slice(0, 5)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, offenders };
  }, PHONE.width);
  expect(r.scrollWidth, `${what}: ${r.offenders.join(' | ')}`).toBeLessThanOrEqual(PHONE.width);
}

/** A minimal TIFF/EXIF block: DateTimeOriginal (local time, UTC+8) and GPS of HERE. */
function exifSegment(when: Date): Buffer {
  const t = Buffer.alloc(178);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number | string) => {
    t.writeUInt16LE(tag, at);
    t.writeUInt16LE(type, at + 2);
    t.writeUInt32LE(count, at + 4);
    if (typeof value === 'string') t.write(value, at + 8, 'latin1');
    else t.writeUInt32LE(value, at + 8);
  };
  t.writeUInt16LE(2, 8); // IFD0: Exif and GPS pointers
  entry(10, 0x8769, 4, 1, 38);
  entry(22, 0x8825, 4, 1, 76);
  t.writeUInt16LE(1, 38); // Exif IFD: DateTimeOriginal
  entry(40, 0x9003, 2, 20, 56);
  const cst = new Date(when.getTime() + 8 * 3600_000).toISOString(); // the camera's clock shows China time
  t.write(`${cst.slice(0, 10).replaceAll('-', ':')} ${cst.slice(11, 19)}\0`, 56, 'latin1');
  t.writeUInt16LE(4, 76); // GPS IFD
  entry(78, 1, 2, 2, 'N\0');
  entry(90, 2, 5, 3, 130);
  entry(102, 3, 2, 2, 'E\0');
  entry(114, 4, 5, 3, 154);
  const dms = (x: number): [number, number][] => {
    const d = Math.floor(x);
    const m = Math.floor((x - d) * 60);
    const s = Math.round(((x - d) * 60 - m) * 60 * 100);
    return [
      [d, 1],
      [m, 1],
      [s, 100],
    ];
  };
  const rationals = (at: number, parts: [number, number][]) =>
    parts.forEach(([n, d], i) => {
      t.writeUInt32LE(n, at + i * 8);
      t.writeUInt32LE(d, at + i * 8 + 4);
    });
  rationals(130, dms(HERE.latitude));
  rationals(154, dms(HERE.longitude));
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A real, viewable JPEG drawn by the browser (a school gate, roughly), with EXIF time and GPS spliced in. */
async function sitePhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d')!;
    g.fillStyle = '#9cc7e8';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#7a9a5a';
    g.fillRect(0, 170, 320, 70);
    g.fillStyle = '#c8b48a';
    g.fillRect(60, 70, 200, 110);
    g.fillStyle = '#8b1a1a';
    g.fillRect(60, 55, 200, 22);
    g.fillStyle = '#333';
    g.fillRect(140, 120, 40, 60);
    g.fillStyle = '#fff';
    g.font = '16px sans-serif';
    g.fillText('校门 监控 门卫室', 90, 72);
    return c.toDataURL('image/jpeg', 0.85);
  });
  const jpeg = Buffer.from(dataUrl.split(',')[1]!, 'base64');
  expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
  // after SOI and the JFIF APP0 segment
  const at = jpeg[2] === 0xff && jpeg[3] === 0xe0 ? 4 + jpeg.readUInt16BE(4) : 2;
  return Buffer.concat([jpeg.subarray(0, at), exifSegment(new Date()), jpeg.subarray(at)]);
}

interface SignoffItem {
  id: number;
  status: string;
  application: { id: number };
  criteria: { id: string; judge: 'yesno' | 'score'; points: number }[];
}

/** A department scores every item of its 会签 on the worklist (all met, full points) and signs. */
async function signOff(username: string, shotName: string) {
  const page = await as(username);
  await page.goto(`${server.url}/signoffs`);
  await pickOption(page, page.getByTestId('signoff-campaign'), CITY);
  const card = page.getByTestId(`signoff-row-${applicationId}`);
  await card.waitFor();
  const list = await api<{ items: SignoffItem[] }>(page, `/api/signoffs/worklist?status=pending&campaignId=${campaignId}`);
  const item = list.items.find((i) => i.application.id === applicationId)!;
  expect(item, `${username} has a pending 会签 for ${DONGHU}`).toBeTruthy();
  for (const c of item.criteria) {
    const key = `${item.id}-${c.id}`;
    if (c.judge === 'yesno') await page.getByTestId(`signoff-met-${key}-yes`).click();
    else await inputOf(page.getByTestId(`signoff-score-${key}`)).fill(String(c.points));
    await page.getByTestId(`signoff-comment-${key}`).fill('台账、制度与现场记录相符');
  }
  await page.getByTestId(`signoff-overall-${item.id}`).fill('本部门负责条目均已落实，同意。');
  await page.getByTestId(`signoff-save-${item.id}`).click();
  await expect.poll(() => page.getByTestId(`signoff-save-${item.id}`).isDisabled()).toBe(true);
  await expect
    .poll(async () =>
      (
        await api<{ items: { application: { id: number }; criteria: { id: string; current: { score: number | null } | null }[] }[] }>(
          page,
          `/api/signoffs/worklist?status=pending&campaignId=${campaignId}`,
        )
      ).items
        .find((i) => i.application.id === applicationId)
        ?.criteria.every((c) => c.current?.score != null),
    )
    .toBe(true);
  await expect.poll(() => page.getByTestId(`signoff-progress-${item.id}`).innerText()).toContain(String(item.criteria.length));
  await shot(page, shotName);
  await page.getByTestId(`signoff-sign-${item.id}`).click();
  await page.getByTestId(`signoff-sign-comment-${item.id}`).fill('经核对，同意会签。');
  await page.getByTestId(`signoff-sign-ok-${item.id}`).click();
  // signed: it leaves the pending list
  await expect.poll(() => card.count()).toBe(0);
  const signed = await api<{ items: SignoffItem[] }>(page, `/api/signoffs/worklist?status=signed&campaignId=${campaignId}`);
  expect(signed.items.find((i) => i.application.id === applicationId)?.status).toBe('signed');
  return page;
}

describe('a 004 round: county recommendations to the city, 会签, on-site check, 整改, evaluation', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('1. 青山区 recommends 东湖中学 within its quota; a second one, and 临江县’s over-quota one, are refused with the rule', async () => {
    const page = await as('qs_office');
    const campaigns = await api<{ id: number; name: string }[]>(page, '/api/campaigns');
    campaignId = campaigns.find((c) => c.name === CITY)!.id;
    expect(campaignId).toBeTruthy();
    await page.goto(`${server.url}/recommendations`);
    await pickOption(page, page.getByTestId('recommend-campaign'), CITY);
    await expect.poll(() => page.getByTestId('recommend-rules').innerText()).toContain('名额');

    interface Recs {
      eligible: { titleId: number; subjectName: string; recommended: boolean }[];
      recommendations: { id: number; subjectName: string; status: string }[];
      quotas: { count: number; used: number }[];
    }
    const before = await api<Recs>(page, `/api/campaigns/${campaignId}/recommendations`);
    expect(before.quotas[0]).toMatchObject({ count: 1, used: 0 });
    const donghu = before.eligible.find((e) => e.subjectName === DONGHU)!;
    const yuehu = before.eligible.find((e) => e.subjectName === YUEHU)!;
    expect(donghu && yuehu).toBeTruthy();

    await page.getByTestId(`recommend-${donghu.titleId}`).click();
    await expect.poll(() => page.getByTestId(`quota-row-campus`).innerText()).toContain('1/1');
    await expect
      .poll(async () => (await api<Recs>(page, `/api/campaigns/${campaignId}/recommendations`)).recommendations.map((r) => r.subjectName))
      .toContain(DONGHU);
    const recs = await api<Recs>(page, `/api/campaigns/${campaignId}/recommendations`);
    applicationId = recs.recommendations.find((r) => r.subjectName === DONGHU)!.id;
    expect(await page.getByTestId('recommend-error').count()).toBe(0);

    // the quota is used: a second school is refused and the page names the rule
    await page.getByTestId(`recommend-${yuehu.titleId}`).click();
    const refusal = page.getByTestId('recommend-error');
    await expect.poll(() => refusal.count()).toBe(1);
    const text = await refusal.innerText();
    expect(text).toContain(YUEHU);
    expect(text).toContain('按比例（见附件）向市综治办推荐申报');
    expect(text).toMatch(/推荐名额1个，已推荐1个/);
    expect((await api<Recs>(page, `/api/campaigns/${campaignId}/recommendations`)).recommendations).toHaveLength(1);
    await shot(page, 'round004-01-qingshan-refused');
    await page.context().close();

    // 临江县 recommended 第二中学 already: 白沙镇中心小学 is over its quota
    const lj = await as('lj_office');
    await lj.goto(`${server.url}/recommendations`);
    await pickOption(lj, lj.getByTestId('recommend-campaign'), CITY);
    const ljRecs = await api<Recs>(lj, `/api/campaigns/${campaignId}/recommendations`);
    expect(ljRecs.quotas[0]).toMatchObject({ count: 1, used: 1 });
    const baisha = ljRecs.eligible.find((e) => e.subjectName === BAISHA)!;
    await lj.getByTestId(`recommend-${baisha.titleId}`).click();
    await expect.poll(() => lj.getByTestId('recommend-error').count()).toBe(1);
    expect(await lj.getByTestId('recommend-error').innerText()).toMatch(/推荐名额1个，已推荐1个/);
    expect((await api<Recs>(lj, `/api/campaigns/${campaignId}/recommendations`)).recommendations).toHaveLength(1);
    await shot(lj, 'round004-01-linjiang-refused');
    await lj.context().close();

    const office = await as('city_office');
    const state = await appState(office);
    expect(state.status).toBe('submitted');
    expect(state.step?.key).toBe('dept_signoff');
    await office.context().close();
  });

  it('2. 教育局 (lead) and 公安局 (cooperating) 会签 their items; after the last signature it moves to 实地核查', async () => {
    const edu = await signOff('city_edu', 'round004-02-signoff-edu');
    // one department signed: still at 会签
    expect((await appState(edu)).step?.key).toBe('dept_signoff');
    await edu.context().close();

    const police = await signOff('city_police', 'round004-02-signoff-police');
    await expect.poll(async () => (await appState(police)).step?.key).toBe('onsite');
    await police.getByTestId('signoff-filter-signed').click();
    await police.getByTestId(`signoff-row-${applicationId}`).waitFor();
    await shot(police, 'round004-02-signoff-police-signed');
    await police.context().close();

    const office = await as('city_office');
    await office.goto(`${server.url}/signoffs/matrix`);
    await pickOption(office, office.getByTestId('matrix-campaign'), CITY);
    await office.getByTestId('matrix-state-all').click();
    const cells = office.locator(`[data-testid^="matrix-cell-${applicationId}-"]`);
    await expect.poll(() => cells.count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => office.locator(`[data-testid^="matrix-cell-${applicationId}-"][data-state="signed"]`).count()).toBe(2);
    await shot(office, 'round004-02-matrix');
    await office.context().close();
  });

  it('3. the office assigns an expert: 孙立新 (works at 东湖中学) is refused with the 回避 reason; 周敏 is assigned', async () => {
    const page = await as('city_office');
    await page.goto(`${server.url}/experts/assign/${campaignId}`);
    const row = page.locator('tr.ant-table-row', { hasText: DONGHU });
    await row.waitFor();
    const select = row.getByTestId('assign-expert-select');
    await pickMulti(page, select, '孙立新');
    await row.getByTestId('assign-submit').click();
    const refusal = row.getByTestId('assign-refusal');
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toContain('孙立新');
    expect(text).toContain('专家所在单位即申报单位，须回避'); // the 回避 reason
    await shot(page, 'round004-03-assign-refused');

    // take 孙立新 out, put 周敏 in
    await select.locator('.ant-select-selection-item', { hasText: '孙立新' }).locator('.ant-select-selection-item-remove').click();
    await expect.poll(() => select.innerText()).not.toContain('孙立新');
    await pickMulti(page, select, '周敏');
    await typeDate(inputOf(row.getByTestId('assign-due')), day(10));
    await page.getByText('专家指派', { exact: true }).first().click(); // close the picker
    await row.getByTestId('assign-submit').click();
    await expect.poll(() => row.innerText()).toContain('周敏');
    interface Assign {
      items: { id: number; assignments: { expertName: string; status: string; dueOn: string | null }[] }[];
    }
    const a = await api<Assign>(page, `/api/campaigns/${campaignId}/assignments`);
    expect(a.items.find((i) => i.id === applicationId)!.assignments).toMatchObject([{ expertName: '周敏', dueOn: day(10) }]);
    await shot(page, 'round004-03-assigned');
    await page.context().close();
  });

  it('4. 周敏 checks on site from a phone: every item met, a photo with time and place, one rectification asked', async () => {
    const page = await phone('expert_zhou');
    await page.goto(`${server.url}/onsite`);
    await page.getByTestId(`onsite-open-${applicationId}`).waitFor();
    expect(await page.getByTestId(`onsite-open-${applicationId}`).innerText()).toContain(day(10));
    await expectFitsPhone(page, 'onsite list');
    await shot(page, 'round004-04-phone-list');
    await page.getByTestId(`onsite-open-${applicationId}`).click();
    await page.waitForURL(new RegExp(`/onsite/${applicationId}$`));
    await page.getByTestId('onsite-place').waitFor();

    interface Onsite {
      checklist: { criterionId: string; judge: 'yesno' | 'score'; points: number }[];
      findings: { criterionId: string; met: boolean | null; score: number | null }[];
      photos: { criterionId: string; source: string; latitude: number | null; takenAt: string | null }[];
      check: { place: string | null } | null;
    }
    const before = await api<Onsite>(page, `/api/onsite/${applicationId}`);
    expect(before.checklist.length).toBeGreaterThan(0);
    for (const c of before.checklist) {
      await page.getByTestId(`onsite-criterion-${c.criterionId}-met`).click();
      if (c.judge === 'score') await inputOf(page.getByTestId(`onsite-criterion-${c.criterionId}-score`)).fill(String(c.points));
    }
    await page.getByTestId('onsite-place').fill('青山区东湖中学 校门口及门卫室');

    // a photo of the gate on the first item: taken now, here
    const first = before.checklist[0]!.criterionId;
    await page
      .getByTestId(`onsite-photo-${first}`)
      .setInputFiles({ name: 'gate.jpg', mimeType: 'image/jpeg', buffer: await sitePhoto(page) });
    await expect.poll(() => page.getByTestId(`onsite-criterion-${first}`).locator('img').count()).toBe(1);
    await expect
      .poll(() =>
        page
          .getByTestId(`onsite-criterion-${first}`)
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBe(320);

    // autosaved: every finding and the place are on the server
    await expect
      .poll(
        async () => {
          const s = await api<Onsite>(page, `/api/onsite/${applicationId}`);
          return s.findings.filter((f) => f.met === true).length === s.checklist.length && s.check?.place?.includes('校门口');
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    const saved = await api<Onsite>(page, `/api/onsite/${applicationId}`);
    expect(saved.photos).toHaveLength(1);
    expect(saved.photos[0]).toMatchObject({ criterionId: first, source: 'exif' });
    expect(saved.photos[0]!.latitude).toBeCloseTo(HERE.latitude, 3);

    // one rectification: the last item, within a week
    rectCriterion = before.checklist[before.checklist.length - 1]!.criterionId;
    await page.getByTestId(`onsite-rectify-${rectCriterion}`).click();
    await page.getByTestId('rect-request-text').fill('门卫室监控录像仅保存15天，请调整为保存30天以上并提供截图。');
    await typeDate(inputOf(page.getByTestId('rect-request-due')), day(7));
    await page.getByTestId('rect-request-text').click(); // close the picker
    await page.getByTestId('rect-request-submit').click();
    await expect.poll(() => page.getByTestId('rect-panel').innerText()).toContain('保存30天以上');
    const rects = await api<{ items: { id: number; criterionId: string; status: string; dueOn: string }[] }>(
      page,
      `/api/applications/${applicationId}/rectifications`,
    );
    expect(rects.items).toHaveLength(1);
    expect(rects.items[0]).toMatchObject({ criterionId: rectCriterion, status: 'open', dueOn: day(7) });
    rectificationId = rects.items[0]!.id;
    // the check cannot be submitted while its rectification waits for the re-check
    const early = await page.request.post(`${server.url}/api/onsite/${applicationId}/submit`);
    expect(early.status()).toBe(409);
    expect((await early.json()) as { code: string; message: string }).toMatchObject({
      code: 'WRONG_STATUS',
      message: expect.stringContaining('整改尚未复查'),
    });

    await expectFitsPhone(page, 'onsite check');
    await shot(page, 'round004-04-phone-onsite');
    // the photo's card, close up
    await page.getByTestId(`onsite-criterion-${first}`).screenshot({ path: `${SHOTS}/round004-04-phone-photo.png` });
    await page.context().close();
  });

  it('5. 东湖中学 answers the rectification with a file', async () => {
    const page = await as('school_dh');
    await page.goto(`${server.url}/applications/${applicationId}`);
    const panel = page.getByTestId('rect-panel');
    await panel.waitFor();
    expect(await panel.innerText()).toContain('保存30天以上');
    await page.getByTestId(`rect-answer-text-${rectificationId}`).fill('已将门卫室监控硬盘扩容，录像保存期调整为45天，附设置截图。');
    await page.getByTestId(`rect-answer-file-${rectificationId}`).setInputFiles({
      name: '监控保存期设置.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
    });
    await page.getByTestId('rect-answer').click();
    await expect.poll(() => panel.innerText()).toContain('监控保存期设置.pdf');
    const rects = await api<{ items: { id: number; status: string; answer: string | null }[] }>(
      page,
      `/api/applications/${applicationId}/rectifications`,
    );
    expect(rects.items[0]).toMatchObject({ status: 'answered' });
    await shot(page, 'round004-05-rectification-answered');
    await page.context().close();
  });

  it('6. 周敏 re-checks on the phone, accepts it and submits the check: on to 网络评选', async () => {
    const page = await phone('expert_zhou');
    await page.goto(`${server.url}/onsite/${applicationId}`);
    await page.getByTestId('rect-recheck-accept').click();
    await expect
      .poll(
        async () =>
          (await api<{ items: { status: string }[] }>(page, `/api/applications/${applicationId}/rectifications`)).items[0]!.status,
      )
      .toBe('accepted');
    await expect.poll(() => page.getByTestId(`onsite-criterion-${rectCriterion}`).innerText()).toContain('保存30天以上');
    await expectFitsPhone(page, 'onsite re-check');
    await shot(page, 'round004-06-phone-recheck');
    await expect.poll(() => page.getByTestId('onsite-submit').isEnabled()).toBe(true);
    await page.getByTestId('onsite-submit').click();
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    await page.waitForURL(/\/onsite$/);
    // the check is done: it leaves the expert's list
    await expect.poll(() => page.getByTestId(`onsite-open-${applicationId}`).count()).toBe(0);
    await shot(page, 'round004-06-phone-list');
    await page.context().close();
    const office = await as('city_office');
    await expect.poll(async () => (await appState(office)).step?.key).toBe('online_vote');
    await office.context().close();
  });

  it('7. the city 平安办 records the 网络评选 and evaluates: 综合评定完成', async () => {
    const page = await as('city_office');
    await page.goto(`${server.url}/applications/${applicationId}?tab=review`);
    await page.getByTestId('review-pass').waitFor();
    // a vote is decided, not scored: no 保存评分 here
    expect(await page.getByTestId('review-save').count()).toBe(0);
    await page.getByTestId('review-comment').fill('网络评选：得票 3,218 票，在 2 所推荐学校中列第 1 位，同意通过。');
    await page.getByTestId('review-pass').click();
    await expect.poll(async () => (await appState(page)).step?.key).toBe('evaluation');
    await expect.poll(() => page.getByTestId('detail-status').innerText()).not.toContain('网络评选');

    await page.goto(`${server.url}/applications/${applicationId}?tab=review`);
    await page.getByTestId('review-pass').waitFor();
    await page.getByTestId('review-comment').fill('经市综治办检查评定，达到平安校园标准。');
    await page.getByTestId('review-pass').click();
    await expect.poll(async () => (await appState(page)).status).toBe('evaluated');
    await expect.poll(() => page.getByTestId('detail-status').innerText()).toContain('综合评定完成');

    const detail = await api<{ reviews: { step: string; comment: string | null }[] }>(page, `/api/applications/${applicationId}`);
    expect(detail.reviews.find((r) => r.step === 'online_vote')?.comment).toContain('得票');
    await page.getByRole('tab', { name: '评级结果' }).click();
    await page.getByTestId('rating-summary').waitFor();
    await shot(page, 'round004-07-rating');
    await page.getByRole('tab', { name: '流转记录' }).click();
    const events = page.getByTestId('history').locator('[data-testid^="event-"]');
    await expect.poll(() => events.count()).toBeGreaterThanOrEqual(7);
    // the chain's events read as words, not codes
    const history = await page.getByTestId('history').innerText();
    for (const words of ['推荐申报', '部门会签', '「市级部门会签」通过', '「实地核查」通过', '「网络评选」通过'])
      expect(history).toContain(words);
    expect(history).not.toMatch(/pass:|signoff:/);
    await events.last().scrollIntoViewIfNeeded();
    await shot(page, 'round004-07-history');
    await page.context().close();
  });
});
