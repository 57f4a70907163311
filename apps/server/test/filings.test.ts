import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { addDays } from '@pingan/core';
import { campaigns, filings, notifications, regionIndicators, regions, subjects, users } from '../src/db/schema.js';
import { setClockOffsetDays, today } from '../src/clock.js';
import { buildScope, type CurrentUser } from '../src/access/scope.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { seedFilings } from '../src/demo/filings.js';
import { sendFilingReminders } from '../src/modules/filings/reminders.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * 报备 (004 三（一）3, 三（二）3): requirements from the encoded plan, a county files and the city
 * returns, the county resubmits and the city accepts; lateness by the platform's day; reminders at
 * most once a day, by hand and automatically; scope; the summary prefilled from the system's
 * figures; file types; the demo.
 */
describe.each(DB_KINDS)('filings on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  const year = Number(today().slice(0, 4));
  let star = 0; // the city's 000 star-rating campaign of this year: the tests' own requirements
  const req: Record<string, number> = {};
  const org: Record<string, number> = {};

  const as = async (username: string): Promise<CurrentUser> => {
    const [u] = await db().select().from(users).where(eq(users.username, username));
    const { scope, org: o } = await buildScope(db(), u!);
    return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, org: o, subjectId: u!.subjectId, scope };
  };
  const userId = async (username: string) => (await db().select().from(users).where(eq(users.username, username)))[0]!.id;
  const orgOf = async (username: string) => (await db().select().from(users).where(eq(users.username, username)))[0]!.orgId!;
  const filingNotes = async (username: string) =>
    db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, await userId(username)), eq(notifications.kind, 'filing')));
  const upload = (user: string, id: number, name: string, type: string, data: Buffer) =>
    s.app
      .inject({ method: 'POST', url: `/api/filings/${id}/file`, ...withCookie(multipart(name, type, data), user) })
      .then((r) => ({ status: r.statusCode, body: r.json() }));
  let cookies: Record<string, string> = {};
  const withCookie = (m: { payload: Buffer; headers: Record<string, string> }, user: string) => ({
    payload: m.payload,
    headers: { ...m.headers, cookie: cookies[user]! },
  });
  const countFiles = (dir: string): number =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0)
      : 0;
  /** moves the platform's day to `day` */
  const clockTo = (day: string) => {
    setClockOffsetDays(0);
    setClockOffsetDays(Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / 86_400_000));
    expect(today()).toBe(day);
  };
  const matrixCell = async (requirementId: number, orgId: number) => {
    const m = await call(s, 'city_office', 'GET', `/api/filings/matrix?campaignId=${star}&limit=500`);
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    const row = m.body.rows.find((r: { org: { id: number } }) => r.org.id === orgId);
    return row?.cells.find((c: { requirementId: number }) => c.requirementId === requirementId);
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    // the demo's filings, unless the demo world already wrote them (the seed is idempotent)
    await seedFilings(db(), new LocalDiskStorage(s.filesDir), { as });
    const [c] = await db()
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.year, year), sql`${campaigns.chain}->>'preset' = 'zhenjiang-000'`));
    star = c!.id;
    for (const u of ['city_office', 'qs_office', 'lj_office', 'city_edu', 'qs_edu']) {
      cookies[u] = await s.login(u);
      org[u] = await orgOf(u);
    }
  });
  afterAll(async () => {
    setClockOffsetDays(0);
    cookies = {};
    await s?.close();
  });

  it('creates the 004 set from the encoded plan: the dates in the campaign’s year, the counties and the city’s departments as filers', async () => {
    expect((await call(s, 'qs_office', 'POST', '/api/filings/requirements/from-plan', { campaignId: star })).status).toBe(404);
    expect((await call(s, 'city_edu', 'POST', '/api/filings/requirements/from-plan', { campaignId: star })).status).toBe(404);
    expect((await call(s, 'school_nm', 'POST', '/api/filings/requirements/from-plan', { campaignId: star })).status).toBe(403);
    const res = await call(s, 'city_office', 'POST', '/api/filings/requirements/from-plan', { campaignId: star });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.created).toBe(8);
    const due = Object.fromEntries(res.body.items.map((r: any) => [`${r.filers}.${r.kind}`, r.dueOn]));
    expect(due).toEqual({
      'county.plan': `${year}-03-20`,
      'county.standards': `${year}-03-20`,
      'county.demo_sites': `${year}-03-20`,
      'county.summary': `${year}-11-30`,
      'department.plan': `${year}-03-31`,
      'department.standards': `${year}-03-31`,
      'department.demo_sites': `${year}-03-31`,
      'department.summary': `${year}-11-30`,
    });
    for (const r of res.body.items) req[`${r.filers}.${r.kind}`] = r.id;
    const byKey = (k: string) => res.body.items.find((r: any) => r.id === req[k]);
    expect(byKey('county.plan').text).toContain('3月20日前');
    expect(byKey('county.plan').text).toContain('上报备案');
    // the departments' summary: the 主责部门's 11月底前, and the other departments' 12月20日前 in its words
    expect(byKey('department.summary').text).toContain('12月20日前');
    expect(byKey('county.plan').filerCount).toBe(2);
    expect(byKey('department.plan').filerCount).toBe(5);
    expect(byKey('county.plan').counts).toMatchObject({ not_filed: 2, submitted: 0 });

    const m = await call(s, 'city_office', 'GET', `/api/filings/matrix?campaignId=${star}`);
    expect(m.status).toBe(200);
    const names = m.body.rows.map((r: any) => r.org.name);
    expect(names).toEqual(expect.arrayContaining(['青山区平安办', '临江县平安办', '云州市教育局', '云州市公安局']));
    expect(m.body.total).toBe(7);
    expect(m.body.rows.find((r: any) => r.org.name === '青山区平安办').cells).toHaveLength(4);
    const counties = await call(s, 'city_office', 'GET', `/api/filings/matrix?campaignId=${star}&filers=county`);
    expect(counties.body.total).toBe(2);

    // again: nothing new; by hand: the towns' offices file; the same kind and filers twice is refused
    expect((await call(s, 'city_office', 'POST', '/api/filings/requirements/from-plan', { campaignId: star })).body.created).toBe(0);
    const town = await call(s, 'city_office', 'POST', '/api/filings/requirements', {
      campaignId: star,
      kind: 'plan',
      filers: 'town',
      title: '各镇（街道）平安创建方案',
      dueOn: `${year}-04-15`,
      text: '参照县区要求报备',
    });
    expect(town.status, JSON.stringify(town.body)).toBe(201);
    expect(town.body.filerCount).toBe(2); // 城南街道平安办, 白沙镇平安办
    req['town.plan'] = town.body.id;
    const dup = await call(s, 'city_office', 'POST', '/api/filings/requirements', { ...town.body, campaignId: star, text: null });
    expect(dup.status).toBe(409);
    // a county's own campaign is not one the city's plan fits
    const [county] = await db()
      .select({ id: campaigns.id })
      .from(campaigns)
      .innerJoin(regions, eq(regions.id, campaigns.regionId))
      .where(and(eq(regions.name, '青山区'), eq(campaigns.year, year)));
    expect((await call(s, 'qs_office', 'POST', '/api/filings/requirements/from-plan', { campaignId: county!.id })).status).toBe(422);
  });

  it('a county files, the city returns it with a reason, the county resubmits, the city accepts and it is locked', async () => {
    const mine = await call(s, 'qs_office', 'GET', `/api/filings/mine?campaignId=${star}`);
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(4);
    expect(mine.body.items.every((i: any) => i.state === 'not_filed')).toBe(true);

    const opened = await call(s, 'qs_office', 'POST', '/api/filings', { requirementId: req['county.plan'] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.id;
    expect(opened.body).toMatchObject({ state: 'draft', canEdit: true, canDecide: false, org: { name: '青山区平安办' } });
    const early = await call(s, 'qs_office', 'POST', `/api/filings/${id}/submit`);
    expect(early.status).toBe(422);
    expect(early.body.message).toContain('请上传创建方案文件');

    const up = await upload('qs_office', id, '青山区创建方案.pdf', 'application/pdf', PDF_BYTES);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.fileName).toBe('青山区创建方案.pdf');
    const sent = await call(s, 'qs_office', 'POST', `/api/filings/${id}/submit`);
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe('submitted');
    expect((await filingNotes('city_office')).some((n) => n.title.includes('青山区平安办报送了'))).toBe(true);
    // submitted: the filer waits; the department and the other county cannot decide
    expect((await call(s, 'qs_office', 'PUT', `/api/filings/${id}`, { revision: sent.body.revision, note: 'x' })).status).toBe(409);
    expect((await call(s, 'qs_office', 'POST', `/api/filings/${id}/accept`)).status).toBe(403);
    expect((await call(s, 'lj_office', 'POST', `/api/filings/${id}/accept`)).status).toBe(404);

    expect((await call(s, 'city_office', 'POST', `/api/filings/${id}/return`, { reason: '   ' })).status).toBe(422);
    const back = await call(s, 'city_office', 'POST', `/api/filings/${id}/return`, { reason: '未列明示范点，请补充' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ state: 'returned', reason: '未列明示范点，请补充', canDecide: false });
    expect((await filingNotes('qs_office')).some((n) => n.title.includes('被退回') && n.body?.includes('未列明示范点'))).toBe(true);
    const listed = await call(s, 'qs_office', 'GET', `/api/filings/mine?campaignId=${star}&state=returned`);
    expect(listed.body.items.map((i: any) => i.reason)).toEqual(['未列明示范点，请补充']);

    expect((await upload('qs_office', id, '青山区创建方案（修改稿）.pdf', 'application/pdf', PDF_BYTES)).status).toBe(201);
    const again = await call(s, 'qs_office', 'POST', `/api/filings/${id}/submit`);
    expect(again.body.state).toBe('submitted');
    const ok = await call(s, 'city_office', 'POST', `/api/filings/${id}/accept`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'accepted', decidedBy: '王青山', fileName: '青山区创建方案（修改稿）.pdf' });
    expect(ok.body.history.map((h: any) => h.action)).toEqual([
      'created',
      'uploaded',
      'submitted',
      'returned',
      'uploaded',
      'submitted',
      'accepted',
    ]);

    // accepted: locked for the filer; the requirement can no longer be edited or removed
    expect((await upload('qs_office', id, 'x.pdf', 'application/pdf', PDF_BYTES)).status).toBe(409);
    expect((await call(s, 'qs_office', 'POST', `/api/filings/${id}/submit`)).status).toBe(409);
    const edit = await call(s, 'city_office', 'PUT', `/api/filing-requirements/${req['county.plan']}`, {
      title: '改',
      dueOn: `${year}-03-25`,
    });
    expect(edit.status).toBe(409);
    expect((await call(s, 'city_office', 'DELETE', `/api/filing-requirements/${req['county.plan']}`)).status).toBe(409);
    // one nothing was filed against can be edited and removed
    const town = await call(s, 'city_office', 'PUT', `/api/filing-requirements/${req['town.plan']}`, {
      title: '各镇（街道）平安创建方案（修订）',
      dueOn: `${year}-04-20`,
    });
    expect(town.status).toBe(200);
    expect(town.body.dueOn).toBe(`${year}-04-20`);
    expect((await call(s, 'city_office', 'DELETE', `/api/filing-requirements/${req['town.plan']}`)).status).toBe(200);

    const file = await s.app.inject({ method: 'GET', url: `/api/filings/${id}/file`, headers: { cookie: cookies.city_office! } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect((await matrixCell(req['county.plan']!, org.qs_office!)).state).toBe('accepted');
  });

  it('marks late by the platform’s day and reminds at most once a day, by hand and automatically', async () => {
    const standards = req['county.standards']!;
    const due = `${year}-03-20`;
    try {
      clockTo(due);
      expect((await matrixCell(standards, org.lj_office!)).late).toBe(false);
      clockTo(addDays(due, 1));
      const cell = await matrixCell(standards, org.lj_office!);
      expect(cell).toMatchObject({ state: 'not_filed', late: true, filingId: null });
      // a late filter finds it; the Excel carries the same with 逾期
      const late = await call(s, 'city_office', 'GET', `/api/filings/matrix?campaignId=${star}&late=1&filers=county`);
      expect(late.body.rows.map((r: any) => r.org.name)).toContain('临江县平安办');
      const x = await s.app.inject({
        method: 'GET',
        url: `/api/filings/matrix?campaignId=${star}&format=xlsx&filers=county`,
        headers: { cookie: cookies.city_office! },
      });
      expect(x.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as never);
      const ws = wb.worksheets[0]!;
      const rows: string[] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).join('|')));
      expect(rows.find((r) => r.startsWith('临江县平安办'))).toContain('未报（逾期）');
      expect(rows.find((r) => r.startsWith('青山区平安办'))).toContain('已接收');

      const before = (await filingNotes('lj_office')).length;
      const r1 = await call(s, 'city_office', 'POST', `/api/filing-requirements/${standards}/remind`, { orgId: org.lj_office });
      expect(r1.status, JSON.stringify(r1.body)).toBe(200);
      expect((await filingNotes('lj_office')).length).toBe(before + 1);
      const r2 = await call(s, 'city_office', 'POST', `/api/filing-requirements/${standards}/remind`, { orgId: org.lj_office });
      expect(r2.status).toBe(409);
      expect(r2.body.message).toContain('今天已提醒过');
      // the accepted one is not reminded; another county cannot remind
      expect(
        (await call(s, 'city_office', 'POST', `/api/filing-requirements/${req['county.plan']}/remind`, { orgId: org.qs_office })).status,
      ).toBe(409);
      expect((await call(s, 'qs_office', 'POST', `/api/filing-requirements/${standards}/remind`, { orgId: org.lj_office })).status).toBe(
        404,
      );
      // all the late: 临江县 skipped (reminded today), the others told
      const qsBefore = (await filingNotes('qs_office')).length;
      const all = await call(s, 'city_office', 'POST', '/api/filings/remind-late', { campaignId: star });
      expect(all.status).toBe(200);
      expect(all.body.skipped).toBe(1);
      expect(all.body.reminded).toBeGreaterThanOrEqual(1);
      // 临江县's plan and 示范点 are late too on 03-21: told of those two, not of the standards again
      expect((await filingNotes('lj_office')).length).toBe(before + 3);
      expect((await filingNotes('qs_office')).length).toBeGreaterThan(qsBefore); // 青山区's standards are late too
      const again = await call(s, 'city_office', 'POST', '/api/filings/remind-late', { campaignId: star });
      expect(again.body.reminded).toBe(0);
      // the reminder leaves it 未报, with the time recorded
      const after = await matrixCell(standards, org.lj_office!);
      expect(after.state).toBe('not_filed');
      expect(after.remindedAt).not.toBeNull();
      clockTo(addDays(due, 2));
      expect((await call(s, 'city_office', 'POST', `/api/filing-requirements/${standards}/remind`, { orgId: org.lj_office })).status).toBe(
        200,
      );
    } finally {
      setClockOffsetDays(0);
    }

    // automatic: three days before the date and on it, once a day, never to one that has filed
    const summaryDue = `${year}-11-30`;
    const three = await sendFilingReminders(db(), addDays(summaryDue, -3));
    expect(three).toBeGreaterThan(0);
    expect(await sendFilingReminders(db(), addDays(summaryDue, -3))).toBe(0);
    expect(await sendFilingReminders(db(), addDays(summaryDue, -2))).toBe(0);
    const [ljSummary] = await db()
      .select()
      .from(filings)
      .where(and(eq(filings.requirementId, req['county.summary']!), eq(filings.orgId, org.lj_office!)));
    expect((ljSummary!.content as { remindedOn?: string }).remindedOn).toBe(addDays(summaryDue, -3));
    expect(await sendFilingReminders(db(), summaryDue)).toBeGreaterThan(0);
    const [qsPlan] = await db()
      .select()
      .from(filings)
      .where(and(eq(filings.requirementId, req['county.plan']!), eq(filings.orgId, org.qs_office!)));
    await sendFilingReminders(db(), `${year}-03-20`);
    const [qsPlanAfter] = await db().select().from(filings).where(eq(filings.id, qsPlan!.id));
    expect(qsPlanAfter!.remindedAt).toEqual(qsPlan!.remindedAt); // accepted: left alone
  });

  it('keeps each filer to its own: the other county and another region’s department get 404', async () => {
    const [qsPlan] = await db()
      .select()
      .from(filings)
      .where(and(eq(filings.requirementId, req['county.plan']!), eq(filings.orgId, org.qs_office!)));
    const id = qsPlan!.id;
    expect((await call(s, 'lj_office', 'GET', `/api/filings/${id}`)).status).toBe(404);
    expect((await call(s, 'lj_office', 'PUT', `/api/filings/${id}`, { revision: 1, note: 'x' })).status).toBe(404);
    expect((await call(s, 'lj_office', 'POST', `/api/filings/${id}/submit`)).status).toBe(404);
    expect((await call(s, 'lj_office', 'GET', `/api/filings/${id}/file`)).status).toBe(404);
    expect((await upload('lj_office', id, 'a.pdf', 'application/pdf', PDF_BYTES)).status).toBe(404);
    expect((await call(s, 'lj_office', 'GET', `/api/filings/matrix?campaignId=${star}`)).status).toBe(404);
    // a county's department files nothing with the city, and sees nothing of it
    expect((await call(s, 'qs_edu', 'POST', '/api/filings', { requirementId: req['department.plan'] })).status).toBe(404);
    expect((await call(s, 'qs_edu', 'POST', '/api/filings', { requirementId: req['county.plan'] })).status).toBe(404);
    expect((await call(s, 'qs_edu', 'GET', `/api/filings/mine?campaignId=${star}`)).body.total).toBe(0);
    expect((await call(s, 'qs_edu', 'GET', `/api/filings/${id}`)).status).toBe(404);
    // the city's department files its own, not a county's
    const edu = await call(s, 'city_edu', 'POST', '/api/filings', { requirementId: req['department.plan'] });
    expect(edu.status).toBe(201);
    expect(edu.body.org.name).toBe('云州市教育局');
    expect((await call(s, 'city_edu', 'POST', '/api/filings', { requirementId: req['county.plan'] })).status).toBe(404);
    expect((await call(s, 'city_edu', 'GET', `/api/filings/${id}`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'GET', `/api/filings/${edu.body.id}`)).status).toBe(404);
    // the city office sees both; the applicant is refused outright
    expect((await call(s, 'city_office', 'GET', `/api/filings/${edu.body.id}`)).body.canRemind).toBe(true);
    expect((await call(s, 'school_nm', 'GET', '/api/filings/mine')).status).toBe(403);
  });

  it('prefills the summary with the figures held for the filer’s region and year, editable before filing', async () => {
    const [qs] = await db().select().from(regions).where(eq(regions.name, '青山区'));
    // the demo's own figures for 青山区 this year give way to the three this test sets out
    await db()
      .delete(regionIndicators)
      .where(and(eq(regionIndicators.regionId, qs!.id), eq(regionIndicators.year, year)));
    await db()
      .insert(regionIndicators)
      .values([
        {
          regionId: qs!.id,
          year,
          indicator: 'coverage',
          value: 96.5,
          source: 'survey',
          sourceRef: 'S-TEST',
          detail: { numerator: 193, denominator: 200 },
        },
        { regionId: qs!.id, year, indicator: 'pass_rate', value: 92, source: 'import', sourceRef: '达标率.xlsx' },
        { regionId: qs!.id, year, indicator: 'public_safety_feeling', value: 95.1, source: 'manual', sourceRef: null },
      ]);
    const opened = await call(s, 'qs_office', 'POST', '/api/filings', { requirementId: req['county.summary'] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const p = opened.body.prefill;
    const counted = (await db().execute(
      sql`select a.status, count(*)::int as n from applications a join campaigns c on c.id = a.campaign_id
          where c.year = ${year} and a.region_path like ${`${qs!.path}%`} and a.status <> 'draft' group by a.status order by a.status`,
    )) as unknown as { rows: { status: string; n: number }[] };
    expect(p.applications).toEqual(counted.rows.map((r) => ({ status: r.status, count: Number(r.n) })));
    expect(p.applicationsTotal).toBeGreaterThan(0);
    const [t] = (
      (await db().execute(
        sql`select count(*)::int as n from titles where year = ${year} and region_path like ${`${qs!.path}%`}`,
      )) as unknown as {
        rows: { n: number }[];
      }
    ).rows;
    expect(p.titlesConferred).toBe(Number(t!.n));
    expect(p.titlesConferred).toBeGreaterThan(0);
    expect(p.coverage).toMatchObject({ value: 96.5, source: 'indicator', numerator: 193, denominator: 200 });
    expect(p.coverage.sourceRef).toContain('S-TEST');
    expect(p.passRate).toMatchObject({ value: 92, source: 'indicator' });
    expect(p.indicators.map((i: any) => [i.indicator, i.value, i.source])).toEqual([
      ['coverage', 96.5, 'survey'],
      ['pass_rate', 92, 'import'],
      ['public_safety_feeling', 95.1, 'manual'],
    ]);
    // the draft starts from the prefill; the filer edits a figure and writes the text
    expect(opened.body.summary.figures).toEqual(p);
    const edited = { ...p, titlesConferred: p.titlesConferred + 1 };
    const saved = await call(s, 'qs_office', 'PUT', `/api/filings/${opened.body.id}`, {
      revision: opened.body.revision,
      summary: { figures: edited, text: '全年创建工作总结' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.summary.figures.titlesConferred).toBe(p.titlesConferred + 1);
    expect(saved.body.prefill.titlesConferred).toBe(p.titlesConferred);
    // a stale revision is refused
    expect(
      (await call(s, 'qs_office', 'PUT', `/api/filings/${opened.body.id}`, { revision: opened.body.revision, note: 'x' })).status,
    ).toBe(409);
    expect((await call(s, 'qs_office', 'POST', `/api/filings/${opened.body.id}/submit`)).body.state).toBe('submitted');
  });

  it('refuses a file that is not PDF, Word or Excel in Chinese and writes nothing; 示范点 from its own region only', async () => {
    const opened = await call(s, 'lj_office', 'POST', '/api/filings', { requirementId: req['county.demo_sites'] });
    const id = opened.body.id;
    const files = countFiles(s.filesDir);
    const exe = await upload('lj_office', id, 'virus.exe', 'application/octet-stream', Buffer.from('MZ\u0090\u0000'));
    expect(exe.status).toBe(415);
    expect(exe.body.message).toContain('不支持的文件类型');
    expect(exe.body.message).toContain('PDF、Word或Excel');
    const png = await upload('lj_office', id, 'photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect(png.status).toBe(415);
    const fake = await upload('lj_office', id, 'fake.pdf', 'application/pdf', Buffer.from('not a pdf at all'));
    expect(fake.status).toBe(415);
    expect(fake.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(countFiles(s.filesDir)).toBe(files);
    const after = await call(s, 'lj_office', 'GET', `/api/filings/${id}`);
    expect(after.body).toMatchObject({ fileName: null, revision: opened.body.revision });

    const subjectId = async (name: string) => (await db().select().from(subjects).where(eq(subjects.name, name)))[0]!.id;
    const foreign = await call(s, 'lj_office', 'PUT', `/api/filings/${id}`, {
      revision: opened.body.revision,
      sites: [{ subjectId: await subjectId('青山区东湖中学'), categoryCode: 'campus' }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain('不是本地区');
    const own = await call(s, 'lj_office', 'PUT', `/api/filings/${id}`, {
      revision: opened.body.revision,
      sites: [{ subjectId: await subjectId('临江县白沙镇中心小学'), categoryCode: 'campus', note: '乡村校园示范' }],
    });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.sites).toEqual([
      expect.objectContaining({ subjectName: '临江县白沙镇中心小学', categoryCode: 'campus', note: '乡村校园示范' }),
    ]);
    const found = await call(s, 'lj_office', 'GET', `/api/filings/${id}/subjects?q=${encodeURIComponent('白沙')}`);
    expect(found.body.items.map((i: any) => i.name)).toContain('临江县白沙镇中心小学');
    expect(found.body.items.map((i: any) => i.name)).not.toContain('青山区东湖中学');
    expect((await call(s, 'lj_office', 'POST', `/api/filings/${id}/submit`)).body.state).toBe('submitted');
  });

  it('the demo: 青山区 filed and accepted, 临江县 returned once and resubmitted, its standards late after 03-20', async () => {
    const [c] = await db()
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.year, year), sql`${campaigns.chain}->>'preset' = 'shangluo-004'`, sql`${campaigns.name} like '云州市%'`));
    const m = await call(s, 'city_office', 'GET', `/api/filings/matrix?campaignId=${c!.id}&filers=county`);
    expect(m.status).toBe(200);
    const row = (name: string) => m.body.rows.find((r: any) => r.org.name === name);
    expect(row('青山区平安办').cells.map((x: any) => x.state)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const kindOf = (id: number) => m.body.requirements.find((r: any) => r.id === id).kind;
    const lj = Object.fromEntries(row('临江县平安办').cells.map((x: any) => [kindOf(x.requirementId), x]));
    expect(lj.plan.state).toBe('submitted');
    const plan = await call(s, 'city_office', 'GET', `/api/filings/${lj.plan.filingId}`);
    expect(plan.body.history.map((h: any) => h.action)).toContain('returned');
    expect(plan.body.canDecide).toBe(true);
    expect(lj.standards).toMatchObject({ state: 'not_filed', late: today() > `${year}-03-20` });
    // what the authorisation matrix reads: the first filing (青山区's accepted plan) opens, with its file, for the city
    const [first] = await db().select({ id: filings.id }).from(filings).orderBy(filings.id).limit(1);
    expect(first!.id).toBe(row('青山区平安办').cells[0].filingId);
    for (const url of [`/api/filings/${first!.id}`, `/api/filings/${first!.id}/file`, `/api/filings/${first!.id}/subjects`])
      expect((await call(s, 'city_office', 'GET', url)).status, url).toBe(200);
    const qs = await call(s, 'qs_office', 'GET', `/api/filings/mine?campaignId=${c!.id}`);
    expect(qs.body.items.map((i: any) => i.state)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
  });
});
