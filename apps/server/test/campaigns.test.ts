import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEFAULT_CHAIN, PRESET_002, addDays, earliestNoticeEnd } from '@pingan/core';
import { applications, campaigns, publicNotices, titles } from '../src/db/schema.js';
import { today } from '../src/modules/applications/service.js';
import { assertCampaignOpen } from '../src/modules/campaigns/service.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/** 创建活动: owned by its region's office, dated within its year, editable and withdrawable. */
describe.each(DB_KINDS)('campaigns on %s', (kind) => {
  let s: TestServer;
  let campus: number;
  let family: number;
  const t0 = today();
  const year = Number(t0.slice(0, 4));
  const base = () => ({
    name: `云州市${year}年活动测试`,
    year,
    applyDeadline: `${year}-12-31`,
    reviewDeadline: `${year}-12-31`,
    phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-31` }],
    categories: [{ standardVersionId: campus }],
  });
  type Listed = {
    id: number;
    name: string;
    owned: boolean;
    canEdit: boolean;
    status: string;
    minNoticeDays: number;
    structureLocked: boolean;
    chain: { preset: string; steps: { name: string; deadline: string | null }[] };
    categories: { code: string }[];
  };
  const listed = async (user: string, id: number) =>
    ((await call(s, user, 'GET', '/api/campaigns')).body as Listed[]).find((c) => c.id === id);

  beforeAll(async () => {
    s = await getTestServer(kind);
    const standards = (await call(s, 'city_office', 'GET', '/api/standards')).body as { code: string; versions: { id: number }[] }[];
    campus = standards.find((x) => x.code === 'datuopu-2020-campus')!.versions[0]!.id;
    family = standards.find((x) => x.code === 'datuopu-2020-family')!.versions[0]!.id;
  });
  afterAll(() => s?.close());

  it('refuses dates outside the campaign’s year and phases that disagree with the deadlines', async () => {
    const nextYear = await call(s, 'city_office', 'POST', '/api/campaigns', {
      ...base(),
      applyDeadline: `${year + 1}-01-31`,
      reviewDeadline: `${year + 1}-02-28`,
    });
    expect(nextYear.status).toBe(422);
    expect(nextYear.body.code).toBe('DATE_INVALID');
    expect(nextYear.body.message).toContain(`不在${year}年内`);
    const phase = await call(s, 'city_office', 'POST', '/api/campaigns', {
      ...base(),
      applyDeadline: `${year}-12-20`,
      phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-31` }],
    });
    expect(phase.status).toBe(422);
    expect(phase.body.message).toContain('须与申报截止日期');
    const unreal = await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), applyDeadline: `${year}-02-30` });
    expect(unreal.status).toBe(422);
    expect(unreal.body.message).toContain('不是有效日期');
    // a step deadline outside the window between the deadlines
    const chain = { ...PRESET_002, steps: PRESET_002.steps.map((st, i) => (i === 0 ? { ...st, deadline: `${year}-01-05` } : st)) };
    const step = await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), applyDeadline: `${year}-06-30`, phases: [], chain });
    expect(step.status).toBe(422);
    expect(step.body.message).toContain('村（社区）初审期限');
    expect((await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), chainPreset: 'no-such-chain' })).status).toBe(400);
    expect((await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), minNoticeDays: 0 })).status).toBe(400);
    expect(
      (await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), chain: { ...PRESET_002, steps: PRESET_002.steps.slice(0, 2) } }))
        .status,
    ).toBe(400);
  });

  it('creates a campaign with a chain preset, lists it with its chain and who owns it, and edits it', async () => {
    const r = await call(s, 'city_office', 'POST', '/api/campaigns', {
      ...base(),
      name: `云州市${year}年“十大平安”链条测试`,
      chainPreset: 'datuopu-002',
      minNoticeDays: 7,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = r.body.id as number;
    const mine = (await listed('city_office', id))!;
    expect(mine).toMatchObject({ owned: true, canEdit: true, status: 'active', minNoticeDays: 7, structureLocked: false });
    expect(mine.chain.preset).toBe('datuopu-002');
    expect(mine.chain.steps.map((x) => x.name)).toEqual(['村（社区）初审', '街道审核', '领导小组审定']);
    // the county office follows the city's campaign but does not own it
    expect(await listed('qs_office', id)).toMatchObject({ owned: false, canEdit: false });
    // a request without a chain runs the default chain
    const plain = await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), name: `云州市${year}年默认链条` });
    expect((await listed('city_office', plain.body.id))!.chain.preset).toBe(DEFAULT_CHAIN.preset);
    expect((await listed('city_office', plain.body.id))!.minNoticeDays).toBe(5);

    // edit: only the owner; the dates must still agree
    expect((await call(s, 'qs_office', 'PUT', `/api/campaigns/${id}`, { name: '县区改名' })).status).toBe(404);
    expect((await call(s, 'school_nm', 'PUT', `/api/campaigns/${id}`, { name: '学校改名' })).status).toBe(404);
    expect((await call(s, 'city_office', 'PUT', `/api/campaigns/${id}`, { reviewDeadline: `${year + 1}-01-15` })).status).toBe(422);
    const steps = PRESET_002.steps.map((st) => ({ ...st, deadline: st.key === 'street_review' ? `${year}-12-31` : null }));
    const ok = await call(s, 'city_office', 'PUT', `/api/campaigns/${id}`, {
      name: `云州市${year}年“十大平安”链条测试（修订）`,
      applyDeadline: `${year}-12-30`,
      phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-30` }],
      chain: { ...PRESET_002, steps },
      minNoticeDays: 6,
      categories: [{ standardVersionId: campus }, { standardVersionId: family }],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const edited = (await listed('city_office', id))!;
    expect(edited.name).toContain('修订');
    expect(edited.minNoticeDays).toBe(6);
    expect(edited.chain.steps[1]!.deadline).toBe(`${year}-12-31`);
    expect(edited.categories.map((c) => c.code).sort()).toEqual(['campus', 'family']);

    // once an application has left draft, categories and the chain are fixed; dates may still move
    const a = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: id, categoryCode: 'campus' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    await s.database.db.update(applications).set({ status: 'submitted', step: 'village_review' }).where(eq(applications.id, a.body.id));
    expect((await listed('city_office', id))!.structureLocked).toBe(true);
    expect((await call(s, 'city_office', 'PUT', `/api/campaigns/${id}`, { categories: [{ standardVersionId: campus }] })).status).toBe(409);
    expect((await call(s, 'city_office', 'PUT', `/api/campaigns/${id}`, { chainPreset: 'zhenjiang-000' })).status).toBe(409);
    const moved = await call(s, 'city_office', 'PUT', `/api/campaigns/${id}`, {
      reviewDeadline: `${year}-12-31`,
      chain: { ...PRESET_002, steps: PRESET_002.steps.map((st) => ({ ...st, deadline: null })) },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  });

  it('withdraws a campaign with a reason: no new applications; refused once a title was conferred', async () => {
    const r = await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), name: `云州市${year}年待撤销活动` });
    const id = r.body.id as number;
    expect((await call(s, 'qs_office', 'POST', `/api/campaigns/${id}/withdraw`, { reason: '越权撤销' })).status).toBe(404);
    expect((await call(s, 'city_office', 'POST', `/api/campaigns/${id}/withdraw`, { reason: '' })).status).toBe(400);
    const w = await call(s, 'city_office', 'POST', `/api/campaigns/${id}/withdraw`, { reason: '与市级活动重复，合并开展' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    const [row] = await s.database.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row).toMatchObject({ status: 'withdrawn', withdrawnReason: '与市级活动重复，合并开展' });
    expect(() => assertCampaignOpen(row!)).toThrow(/已撤销/);
    expect(() => assertCampaignOpen({ status: 'active' })).not.toThrow();
    expect(await listed('city_office', id)).toMatchObject({ status: 'withdrawn', canEdit: false });
    expect((await call(s, 'city_office', 'PUT', `/api/campaigns/${id}`, { name: '撤销后改名' })).status).toBe(409);
    expect((await call(s, 'city_office', 'POST', `/api/campaigns/${id}/withdraw`, { reason: '再撤一次' })).status).toBe(409);

    // a campaign with a conferred title stays
    const c2 = (await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), name: `云州市${year}年已命名活动` })).body.id as number;
    const a = (await call(s, 'school_dh', 'POST', '/api/applications', { campaignId: c2, categoryCode: 'campus' })).body.id as number;
    await s.database.db.update(applications).set({ status: 'evaluated', step: null }).where(eq(applications.id, a));
    const n = await call(s, 'city_office', 'POST', '/api/notices', {
      campaignId: c2,
      title: '东湖中学拟命名公示',
      startsOn: t0,
      endsOn: earliestNoticeEnd(t0, 5),
      applicationIds: [a],
    });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(t0, -20), endsOn: addDays(t0, -10) })
      .where(eq(publicNotices.id, n.body.id));
    expect((await call(s, 'city_office', 'POST', `/api/notices/${n.body.id}/confer`)).body.conferred).toEqual([a]);
    const refused = await call(s, 'city_office', 'POST', `/api/campaigns/${c2}/withdraw`, { reason: '想撤销' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('已命名');
  });

  it('lets a county run its own campaign under the city’s, conferring in the county leading group’s name', async () => {
    const city = (
      await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), name: `云州市${year}年市级评定`, chainPreset: 'shangluo-004' })
    ).body.id as number;
    // the city cannot hang its campaign under a county's; an unknown parent is 404 too
    const county = await call(s, 'qs_office', 'POST', '/api/campaigns', {
      ...base(),
      name: `青山区${year}年县区命名`,
      chainPreset: DEFAULT_CHAIN.preset,
      parentCampaignId: city,
    });
    expect(county.status, JSON.stringify(county.body)).toBe(201);
    expect((await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), parentCampaignId: county.body.id })).status).toBe(404);
    expect((await call(s, 'qs_office', 'POST', '/api/campaigns', { ...base(), parentCampaignId: 99999 })).status).toBe(404);
    expect(await listed('qs_office', county.body.id)).toMatchObject({ owned: true });
    expect(await listed('city_office', county.body.id)).toMatchObject({ owned: false });

    const a = (await call(s, 'school_dh', 'POST', '/api/applications', { campaignId: county.body.id, categoryCode: 'campus' })).body
      .id as number;
    await s.database.db.update(applications).set({ status: 'evaluated', step: null }).where(eq(applications.id, a));
    // the city office does not own the county's campaign either
    expect(
      (
        await call(s, 'city_office', 'POST', '/api/notices', {
          campaignId: county.body.id,
          title: '市里代发公示',
          startsOn: t0,
          endsOn: earliestNoticeEnd(t0, 5),
          applicationIds: [a],
        })
      ).status,
    ).toBe(404);
    const n = await call(s, 'qs_office', 'POST', '/api/notices', {
      campaignId: county.body.id,
      title: '青山区拟命名公示',
      startsOn: t0,
      endsOn: earliestNoticeEnd(t0, 5),
      applicationIds: [a],
    });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(t0, -20), endsOn: addDays(t0, -10) })
      .where(eq(publicNotices.id, n.body.id));
    expect((await call(s, 'city_office', 'POST', `/api/notices/${n.body.id}/confer`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'POST', `/api/notices/${n.body.id}/confer`)).status).toBe(200);
    const [title] = await s.database.db.select().from(titles).where(eq(titles.applicationId, a));
    expect(title!.issuer).toBe('青山区平安建设领导小组');
  });

  it('lets no county office evaluate an application of the city’s campaign', async () => {
    const id = (await call(s, 'city_office', 'POST', '/api/campaigns', { ...base(), name: `云州市${year}年评定权限测试` })).body
      .id as number;
    const a = (await call(s, 'school_dh', 'POST', '/api/applications', { campaignId: id, categoryCode: 'campus' })).body.id as number;
    await s.database.db.update(applications).set({ status: 'preliminary_passed', step: 'evaluation' }).where(eq(applications.id, a));
    const r = await call(s, 'qs_office', 'POST', `/api/applications/${a}/reviews`, {
      decision: 'pass',
      comment: '县区越权评定',
      scores: [],
    });
    expect(r.status).toBe(404);
    const [row] = await s.database.db.select().from(applications).where(eq(applications.id, a));
    expect(row!.status).toBe('preliminary_passed');
  });
});
