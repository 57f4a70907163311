import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, asc, eq, sql } from 'drizzle-orm';
import { appealUntilFor } from '@pingan/core';
import {
  applications,
  campaignCategories,
  campaigns,
  incidentTitles,
  incidents,
  notifications,
  regions,
  subjects,
  titleEvents,
  titles,
  users,
} from '../src/db/schema.js';
import { today, setClockOffsetDays } from '../src/clock.js';
import { issueTitle } from '../src/modules/titles/issue.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * 事件与申诉 (issue 7 §5): record → confirm → the title changes at once, its history, the holder's
 * notification; lower_stars, suspend, lose_eligibility; appeals within and after the deadline; an
 * upheld appeal restores; scope and dates.
 */
describe.each(DB_KINDS)('incidents on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  const year = Number(today().slice(0, 4));

  const subjectId = async (name: string) => (await db().select().from(subjects).where(eq(subjects.name, name)))[0]!.id;
  const regionId = async (name: string) => (await db().select().from(regions).where(eq(regions.name, name)))[0]!.id;
  const userId = async (username: string) => (await db().select().from(users).where(eq(users.username, username)))[0]!.id;
  const titleOf = async (name: string) =>
    (
      await db()
        .select({ t: titles })
        .from(titles)
        .innerJoin(subjects, eq(subjects.id, titles.subjectId))
        .where(eq(subjects.name, name))
        .orderBy(asc(titles.id))
    ).map((r) => r.t);
  const eventsOf = async (titleId: number) =>
    db().select().from(titleEvents).where(eq(titleEvents.titleId, titleId)).orderBy(asc(titleEvents.id));
  const notes = async (username: string, kindOf: string) =>
    db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, await userId(username)), eq(notifications.kind, kindOf)))
      .orderBy(asc(notifications.id));
  const record = (user: string, body: Record<string, unknown>) =>
    call(s, user, 'POST', '/api/incidents', {
      type: 'homicide',
      occurredOn: today(),
      place: '校门口',
      description: '测试事件经过',
      ...body,
    });

  beforeAll(async () => {
    s = await getTestServer(kind);
  });
  afterAll(async () => {
    setClockOffsetDays(0);
    await s?.close();
  });

  it('the demo: a confirmed fire put 云州市人民医院 on 黄牌警告, the holder told, its appeal window open', async () => {
    const [title] = await titleOf('云州市人民医院');
    expect(title!.status).toBe('suspended');
    expect(title!.statusSince).toBe(today());
    // the public reason names the date, the type and the office, never a person
    expect(title!.statusReason).toContain('火灾等安全事故');
    expect(title!.statusReason).toContain('云州市平安办');
    const ev = (await eventsOf(title!.id)).at(-1)!;
    expect(ev).toMatchObject({ kind: 'suspended', fromStatus: 'valid', toStatus: 'suspended' });
    expect(ev.incidentId).not.toBeNull();
    const [told] = await notes('hospital_rm', 'incident');
    expect(told!.title).toContain('黄牌警告');
    expect(told!.link).toBe(`/incidents/${ev.incidentId}`);
    const mine = await call(s, 'hospital_rm', 'GET', '/api/incidents');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    const detail = await call(s, 'hospital_rm', 'GET', `/api/incidents/${ev.incidentId}`);
    expect(detail.body).toMatchObject({
      status: 'confirmed',
      consequences: ['suspend'],
      appealUntil: appealUntilFor(today()),
      canAppeal: true,
      files: [], // the holder sees the decision, not the evidence
      reportedBy: null,
    });
    expect(detail.body.titles[0]).toMatchObject({ status: 'suspended', publicStatus: 'yellow', fromStatus: 'valid' });
    // staff of the city see the evidence
    const staff = await call(s, 'city_police', 'GET', `/api/incidents/${ev.incidentId}`);
    expect(staff.body.files).toHaveLength(1);
    expect(staff.body.canDecide).toBe(false);
    // another holder sees nothing of it
    expect((await call(s, 'school_nm', 'GET', `/api/incidents/${ev.incidentId}`)).status).toBe(404);
    expect((await call(s, 'school_nm', 'GET', '/api/incidents')).body.total).toBe(0);
  });

  it('records a homicide, proposes revoke + lose_eligibility, and the county office’s confirmation revokes at once', async () => {
    const school = await subjectId('临江县白沙镇中心小学');
    const [before] = await titleOf('临江县白沙镇中心小学');
    expect(before!.status).toBe('valid');
    const created = await record('lj_edu', { subjectId: school, place: '白沙镇中心小学操场', description: '一名校外人员持刀伤人致死' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ status: 'reported', proposedConsequences: ['revoke', 'lose_eligibility'], target: 'subject' });
    // the county's campus standard (jiangzhou 2015) has no veto item: the default table, with its sources
    expect(created.body.proposal.basis).toBe('default');
    expect(created.body.proposal.sources.map((x: { quote: string }) => x.quote).join()).toContain('一票否决');
    expect(created.body.titles[0].change).toMatchObject({ action: 'revoke', toStatus: 'revoked' });
    // nothing has changed yet, and the holder does not see a report not yet confirmed
    expect((await titleOf('临江县白沙镇中心小学'))[0]!.status).toBe('valid');
    expect((await call(s, 'school_bs', 'GET', `/api/incidents/${id}`)).status).toBe(404);

    // who decides: the conferring county office (and the city above it); not the department, not another county
    expect((await call(s, 'lj_office', 'GET', `/api/incidents/${id}`)).body.canDecide).toBe(true);
    expect((await call(s, 'lj_edu', 'GET', `/api/incidents/${id}`)).body.canDecide).toBe(false);
    expect((await call(s, 'qs_office', 'GET', `/api/incidents/${id}`)).status).toBe(404);
    const body = { consequences: ['revoke', 'lose_eligibility'], reason: '经公安机关通报，事件属实' };
    expect((await call(s, 'qs_office', 'POST', `/api/incidents/${id}/confirm`, body)).status).toBe(404);
    expect((await call(s, 'lj_edu', 'POST', `/api/incidents/${id}/confirm`, body)).status).toBe(403);
    expect(
      (await call(s, 'lj_office', 'POST', `/api/incidents/${id}/confirm`, { ...body, consequences: ['revoke', 'suspend'] })).status,
    ).toBe(400);
    expect((await call(s, 'lj_office', 'POST', `/api/incidents/${id}/confirm`, { ...body, reason: '   ' })).status).toBe(422);

    const done = await call(s, 'lj_office', 'POST', `/api/incidents/${id}/confirm`, body);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      status: 'confirmed',
      consequences: ['revoke', 'lose_eligibility'],
      ineligibleYear: year + 1,
      decidedOn: today(),
      appealUntil: appealUntilFor(today()),
    });
    // at once: the stored title, the title list, the public check
    const [after] = await titleOf('临江县白沙镇中心小学');
    expect(after).toMatchObject({ status: 'revoked', statusSince: today() });
    expect(after!.revokedAt).not.toBeNull();
    const mine = (await call(s, 'school_bs', 'GET', '/api/titles')).body;
    const listed = (Array.isArray(mine) ? mine : mine.items).find((t: { id: number }) => t.id === after!.id);
    expect(listed.revokedAt).not.toBeNull();
    const ev = (await eventsOf(after!.id)).at(-1)!;
    expect(ev).toMatchObject({ kind: 'revoked', fromStatus: 'valid', toStatus: 'revoked', incidentId: id, on: today() });
    const affected = await db().select().from(incidentTitles).where(eq(incidentTitles.incidentId, id));
    expect(affected).toEqual([{ incidentId: id, titleId: after!.id, fromStatus: 'valid', fromStars: before!.stars }]);
    const [told] = await notes('school_bs', 'incident');
    expect(told!.title).toContain('撤销称号');
    expect(told!.body).toContain(`${year + 1}年度不能提交创建申报`);
    expect(told!.body).toContain(appealUntilFor(today()));
    // the recorder hears of it too; the holder now sees it
    expect((await notes('lj_edu', 'incident')).length).toBe(1);
    expect((await call(s, 'school_bs', 'GET', `/api/incidents/${id}`)).body.canAppeal).toBe(true);
    // a decided incident is not decided again
    expect((await call(s, 'lj_office', 'POST', `/api/incidents/${id}/confirm`, body)).status).toBe(409);

    // a revoked title is not changed again, and the answer says so
    const second = await record('lj_edu', { type: 'mass_incident', subjectId: school });
    const again = await call(s, 'lj_office', 'POST', `/api/incidents/${second.body.id}/confirm`, {
      consequences: ['suspend'],
      reason: '属实',
    });
    expect(again.status).toBe(200);
    expect(again.body.titles[0].change).toMatchObject({ action: null, toStatus: 'revoked' });
    expect(again.body.titles[0].change.note.zh).toContain('已撤销');
    expect((await titleOf('临江县白沙镇中心小学'))[0]!.status).toBe('revoked');
  });

  it('lose_eligibility refuses a submission for next year’s campaign with a clear 422', async () => {
    const version = (
      await db()
        .select({ v: campaignCategories.standardVersionId })
        .from(campaignCategories)
        .innerJoin(campaigns, eq(campaigns.id, campaignCategories.campaignId))
        .where(and(eq(campaigns.name, `临江县${year}年平安校园评定命名`), eq(campaignCategories.categoryCode, 'campus')))
    )[0]!.v;
    const next = await call(s, 'lj_office', 'POST', '/api/campaigns', {
      name: `临江县${year + 1}年平安校园评定命名`,
      year: year + 1,
      applyDeadline: `${year + 1}-10-31`,
      reviewDeadline: `${year + 1}-12-31`,
      categories: [{ standardVersionId: version }],
    });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    const app = await call(s, 'school_bs', 'POST', '/api/applications', { campaignId: next.body.id, categoryCode: 'campus' });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const refused = await call(s, 'school_bs', 'POST', `/api/applications/${app.body.id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('RULE_BROKEN');
    expect(refused.body.message).toContain(`取消${year + 1}年度评先资格`);
    expect(refused.body.message).toContain('命案');
    // another school of the county is not barred: it is told what is missing instead
    const other = await call(s, 'school_jiangbin', 'POST', '/api/applications', { campaignId: next.body.id, categoryCode: 'campus' });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const incomplete = await call(s, 'school_jiangbin', 'POST', `/api/applications/${other.body.id}/submit`);
    expect(incomplete.body.code).toBe('INCOMPLETE');
  });

  it('lowers a star title by one, and only the conferring office (or the one above) may', async () => {
    // a 4-star title of the city's 000 star rating, conferred on 青山区中医院's application
    const [app] = await db()
      .select({ a: applications })
      .from(applications)
      .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .where(and(eq(subjects.name, '青山区中医院'), eq(campaigns.name, `云州市${year}年平安建设单位星级评定`)));
    const title = await db().transaction((tx) =>
      issueTitle(
        tx,
        {
          applicationId: app!.a.id,
          subjectId: app!.a.subjectId,
          regionPath: app!.a.regionPath,
          categoryCode: app!.a.categoryCode,
          titleName: '平安建设单位',
          year,
          stars: 4,
          level: 'advanced',
          issuer: '云州市平安办',
          conferredOn: today(),
        },
        null,
      ),
    );
    const created = await record('city_health', { type: 'abnormal_petition', subjectId: app!.a.subjectId });
    expect(created.status).toBe(201);
    expect(created.body.proposedConsequences).toEqual(['lower_stars']);
    const id = created.body.id;
    // 青山区 sees it (its region) but did not confer the city's title
    const qs = await call(s, 'qs_office', 'GET', `/api/incidents/${id}`);
    expect(qs.status).toBe(200);
    expect(qs.body.canDecide).toBe(false);
    expect(
      (await call(s, 'qs_office', 'POST', `/api/incidents/${id}/confirm`, { consequences: ['lower_stars'], reason: '属实' })).status,
    ).toBe(403);
    const done = await call(s, 'city_office', 'POST', `/api/incidents/${id}/confirm`, { consequences: ['lower_stars'], reason: '属实' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const [t] = await db().select().from(titles).where(eq(titles.id, title.id));
    expect(t).toMatchObject({ status: 'valid', stars: 3, level: 'standard' });
    const ev = (await eventsOf(title.id)).at(-1)!;
    expect(ev).toMatchObject({ kind: 'stars_lowered', fromStars: 4, toStars: 3, incidentId: id });
    expect(done.body.ineligibleYear).toBeNull();
  });

  it('the holder appeals within the days; the office upholds and the title is restored, with its history', async () => {
    const [title] = await titleOf('云州市人民医院');
    const [demo] = await db().select().from(incidents).where(eq(incidents.status, 'confirmed')).orderBy(asc(incidents.id));
    const id = demo!.id;
    expect((await call(s, 'hospital_rm', 'POST', `/api/incidents/${id}/appeal`, { text: ' ' })).status).toBe(422);
    expect((await call(s, 'city_office', 'POST', `/api/incidents/${id}/appeal`, { text: '申诉' })).status).toBe(403);
    // the last day is still within the deadline
    setClockOffsetDays(15);
    try {
      const filed = await call(s, 'hospital_rm', 'POST', `/api/incidents/${id}/appeal`, {
        text: '火灾系供电企业线路故障引发，医院已于事发当日完成整改，请求撤销黄牌警告。',
      });
      expect(filed.status, JSON.stringify(filed.body)).toBe(201);
      expect(filed.body.appeal).toMatchObject({ status: 'open', filedBy: '许院长' });
      expect(filed.body.canAppeal).toBe(false);
      expect((await call(s, 'hospital_rm', 'POST', `/api/incidents/${id}/appeal`, { text: '再次申诉' })).status).toBe(409);
    } finally {
      setClockOffsetDays(0);
    }
    expect((await eventsOf(title!.id)).at(-1)).toMatchObject({ kind: 'appeal_filed', incidentId: id });
    expect((await notes('city_office', 'appeal')).at(-1)!.title).toContain('申诉');
    // only the deciding office answers
    const reply = { decision: 'upheld', reply: '经复核，火灾系外部供电故障所致，申诉成立，恢复称号。' };
    expect((await call(s, 'qs_office', 'POST', `/api/incidents/${id}/appeal/decision`, reply)).status).toBe(403);
    expect((await call(s, 'city_health', 'POST', `/api/incidents/${id}/appeal/decision`, reply)).status).toBe(403);
    expect((await call(s, 'city_office', 'GET', `/api/incidents/${id}`)).body.canDecideAppeal).toBe(true);
    const decided = await call(s, 'city_office', 'POST', `/api/incidents/${id}/appeal/decision`, reply);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.appeal).toMatchObject({ status: 'upheld', reply: reply.reply });
    const [restored] = await titleOf('云州市人民医院');
    expect(restored).toMatchObject({ status: 'valid', statusReason: null, stars: title!.stars });
    const kinds = (await eventsOf(title!.id)).map((e) => e.kind);
    expect(kinds.slice(-4)).toEqual(['suspended', 'appeal_filed', 'appeal_upheld', 'restored']);
    expect((await notes('hospital_rm', 'appeal')).at(-1)!.title).toContain('申诉成立');
    expect((await call(s, 'city_office', 'POST', `/api/incidents/${id}/appeal/decision`, reply)).status).toBe(409);
  });

  it('refuses an appeal after the deadline; an upheld appeal gives the eligibility back; a dismissed one keeps the decision', async () => {
    const [homicide] = await db().select().from(incidents).where(eq(incidents.type, 'homicide')).orderBy(asc(incidents.id));
    setClockOffsetDays(16);
    try {
      const late = await call(s, 'school_bs', 'POST', `/api/incidents/${homicide!.id}/appeal`, { text: '申诉' });
      expect(late.status).toBe(422);
      expect(late.body.message).toContain('申诉期已于');
    } finally {
      setClockOffsetDays(0);
    }
    const filed = await call(s, 'school_bs', 'POST', `/api/incidents/${homicide!.id}/appeal`, { text: '事件发生在校外，请求复核' });
    expect(filed.status).toBe(201);
    const dismissed = await call(s, 'lj_office', 'POST', `/api/incidents/${homicide!.id}/appeal/decision`, {
      decision: 'dismissed',
      reply: '经复核，事发地点在校园内，维持原决定。',
    });
    expect(dismissed.status).toBe(200);
    const [t] = await titleOf('临江县白沙镇中心小学');
    expect(t!.status).toBe('revoked');
    expect((await eventsOf(t!.id)).at(-1)).toMatchObject({ kind: 'appeal_dismissed', incidentId: homicide!.id });
    expect(dismissed.body.ineligibleYear).toBe(year + 1);

    // upheld on a lose_eligibility-only incident: the subject may apply again
    const zhang = await subjectId('临江县第二中学');
    const inc = await record('lj_edu', { type: 'criminal_case', subjectId: zhang });
    const ok = await call(s, 'lj_office', 'POST', `/api/incidents/${inc.body.id}/confirm`, {
      consequences: ['lose_eligibility'],
      reason: '属实，取消下一年度评先资格',
    });
    expect(ok.body.ineligibleYear).toBe(year + 1);
    expect(ok.body.titles.every((x: { change: { action: string | null } }) => x.change.action === null)).toBe(true);
    const nextApp = (
      await db()
        .select({ id: applications.id })
        .from(applications)
        .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
        .where(and(eq(applications.subjectId, zhang), eq(campaigns.year, year + 1)))
    )[0]!.id;
    expect((await call(s, 'school_jiangbin', 'POST', `/api/applications/${nextApp}/submit`)).body.code).toBe('RULE_BROKEN');
    await call(s, 'school_jiangbin', 'POST', `/api/incidents/${inc.body.id}/appeal`, { text: '案件与学校无关' });
    const up = await call(s, 'lj_office', 'POST', `/api/incidents/${inc.body.id}/appeal/decision`, {
      decision: 'upheld',
      reply: '申诉成立',
    });
    expect(up.body.ineligibleYear).toBeNull();
    expect((await call(s, 'school_jiangbin', 'POST', `/api/applications/${nextApp}/submit`)).body.code).toBe('INCOMPLETE');
  });

  it('keeps recording to its region and to staff, and refuses impossible dates and bodies with 4xx', async () => {
    const donghu = await subjectId('青山区东湖中学');
    const linjiangSchool = await subjectId('临江县第二中学');
    // another county's subject or region: 404; applicants and experts: 403
    expect((await record('lj_edu', { subjectId: donghu })).status).toBe(404);
    expect((await record('lj_office', { regionId: await regionId('东湖街道') })).status).toBe(404);
    expect((await record('school_bs', { subjectId: linjiangSchool })).status).toBe(403);
    expect((await record('expert_zhou', { subjectId: linjiangSchool })).status).toBe(403);
    expect(
      (
        await call(s, null, 'POST', '/api/incidents', {
          type: 'homicide',
          occurredOn: today(),
          place: '校门口',
          description: '经过',
          subjectId: linjiangSchool,
        })
      ).status,
    ).toBe(401);
    // dates: tomorrow, 30 February, not a date
    const tomorrow = new Date(Date.parse(today()) + 86_400_000).toISOString().slice(0, 10);
    const future = await record('lj_edu', { subjectId: linjiangSchool, occurredOn: tomorrow });
    expect(future.status).toBe(422);
    expect(future.body.message).toContain('晚于今天');
    for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '2026-2-1']) {
      const r = await record('lj_edu', { subjectId: linjiangSchool, occurredOn: bad });
      expect(r.status, bad).toBe(400);
    }
    // one target, exactly; free text without NUL; a known type
    expect((await record('lj_edu', {})).status).toBe(400);
    expect((await record('lj_edu', { subjectId: linjiangSchool, regionId: await regionId('临江县') })).status).toBe(400);
    expect((await record('lj_edu', { subjectId: linjiangSchool, place: '校门\u0000口' })).status).toBe(400);
    expect((await record('lj_edu', { subjectId: linjiangSchool, place: '   ' })).status).toBe(400);
    expect((await record('lj_edu', { subjectId: linjiangSchool, type: 'earthquake' })).status).toBe(400);
    expect((await call(s, 'lj_office', 'GET', '/api/incidents/99999999')).status).toBe(404);
    expect((await call(s, 'lj_office', 'GET', '/api/incidents/abc')).status).toBe(400);
    // a region incident: against 白沙镇, listed, dismissed with a reason; nothing changes
    const region = await record('lj_office', { type: 'mass_incident', regionId: await regionId('白沙镇'), place: '白沙镇政府门前' });
    expect(region.status).toBe(201);
    expect(region.body).toMatchObject({ target: 'region', targetName: '白沙镇', subjectId: null, titles: [] });
    expect((await call(s, 'lj_office', 'POST', `/api/incidents/${region.body.id}/dismiss`, { reason: '' })).status).toBe(422);
    const dis = await call(s, 'lj_office', 'POST', `/api/incidents/${region.body.id}/dismiss`, { reason: '经核实，系正常信访' });
    expect(dis.body).toMatchObject({ status: 'dismissed', decisionReason: '经核实，系正常信访', appealUntil: null });
  });

  it('takes evidence files by their bytes, lets staff read them and not the holder', async () => {
    const school = await subjectId('临江县第二中学');
    const inc = await record('lj_edu', { type: 'fire_accident', subjectId: school });
    const url = `/api/incidents/${inc.body.id}/files`;
    const send = async (user: string, name: string, type: string, data: Buffer) => {
      const mp = multipart(name, type, data);
      const res = await s.app.inject({ method: 'POST', url, headers: { ...mp.headers, cookie: await s.login(user) }, payload: mp.payload });
      return { status: res.statusCode, body: res.json() };
    };
    const ok = await send('lj_edu', '现场照片.pdf', 'application/pdf', PDF_BYTES);
    expect(ok.status).toBe(201);
    expect(ok.body.size).toBe(PDF_BYTES.length);
    expect((await send('lj_edu', '假照片.jpg', 'image/jpeg', Buffer.from('not a jpeg at all'))).status).toBe(415);
    expect((await send('lj_edu', '脚本.exe', 'application/octet-stream', Buffer.from('MZ'))).status).toBe(415);
    expect((await send('lj_edu', '大文件.pdf', 'application/pdf', Buffer.concat([PDF_BYTES, Buffer.alloc(1024 * 1024 + 1)]))).status).toBe(
      413,
    );
    expect((await send('qs_edu', '现场照片.pdf', 'application/pdf', PDF_BYTES)).status).toBe(404);
    expect((await send('school_jiangbin', '现场照片.pdf', 'application/pdf', PDF_BYTES)).status).toBe(403);
    const got = await s.app.inject({
      method: 'GET',
      url: `/api/incident-files/${ok.body.id}`,
      headers: { cookie: await s.login('lj_office') },
    });
    expect(got.statusCode).toBe(200);
    expect(Buffer.compare(got.rawPayload, PDF_BYTES)).toBe(0);
    expect((await call(s, 'school_jiangbin', 'GET', `/api/incident-files/${ok.body.id}`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'GET', `/api/incident-files/${ok.body.id}`)).status).toBe(404);
    // once decided, no more evidence
    await call(s, 'lj_office', 'POST', `/api/incidents/${inc.body.id}/dismiss`, { reason: '不属实' });
    expect((await send('lj_edu', '补充.pdf', 'application/pdf', PDF_BYTES)).status).toBe(409);
  });

  it('lists in pages with search and filters, and exports the same list to Excel', async () => {
    const all = await call(s, 'city_office', 'GET', '/api/incidents?limit=500');
    expect(all.status).toBe(200);
    const [{ n }] = (await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(incidents)) as [{ n: number }];
    expect(all.body.total).toBe(n);
    const page = await call(s, 'city_office', 'GET', '/api/incidents?limit=2&offset=1');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].id).toBe(all.body.items[1].id);
    const found = await call(s, 'city_office', 'GET', `/api/incidents?q=${encodeURIComponent('配电间')}`);
    expect(found.body.items.map((i: { type: string }) => i.type)).toEqual(['fire_accident']);
    const baisha = await call(s, 'city_office', 'GET', `/api/incidents?q=${encodeURIComponent('白沙')}`);
    expect(baisha.body.items.map((i: { targetName: string }) => i.targetName).sort(), JSON.stringify(baisha.body)).toEqual([
      '临江县白沙镇中心小学',
      '临江县白沙镇中心小学',
      '白沙镇',
    ]);
    expect(
      (await call(s, 'city_office', 'GET', '/api/incidents?status=dismissed')).body.items.every(
        (i: { status: string }) => i.status === 'dismissed',
      ),
    ).toBe(true);
    expect((await call(s, 'city_office', 'GET', '/api/incidents?q=%25')).body.total).toBe(0);
    // 青山区 sees only its own region's; 临江县 its own
    const qs = await call(s, 'qs_office', 'GET', '/api/incidents?limit=500');
    expect(qs.body.items.every((i: { regionName: string }) => i.regionName !== '白沙村')).toBe(true);
    expect((await call(s, 'expert_zhou', 'GET', '/api/incidents')).status).toBe(403);
    const xlsx = await s.app.inject({
      method: 'GET',
      url: '/api/incidents?format=xlsx',
      headers: { cookie: await s.login('city_office') },
    });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.getWorksheet('事件')!;
    expect(ws.rowCount).toBe(n + 1);
    const text = JSON.stringify(ws.getSheetValues());
    expect(text).toContain('火灾等安全事故');
    expect(text).toContain('取消下一年度评先资格');
    expect((await call(s, 'school_bs', 'GET', '/api/incidents?format=xlsx')).status).toBe(403);
    // targets: the recorder's subtree only
    const targets = await call(s, 'lj_edu', 'GET', `/api/incidents/targets?q=${encodeURIComponent('中学')}`);
    expect(targets.body.items.map((t: { name: string }) => t.name)).toEqual(['临江县第二中学']);
    expect((await call(s, 'school_bs', 'GET', '/api/incidents/targets')).status).toBe(403);
  });
});
