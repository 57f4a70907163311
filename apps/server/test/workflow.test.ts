import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { addDays, earliestNoticeEnd } from '@pingan/core';
import { publicNotices } from '../src/db/schema.js';
import { today as shanghaiToday } from '../src/modules/applications/service.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';

/** The first pass through a title's life, through the API, as the different roles. */
describe.each(DB_KINDS)('life of a title on %s', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer(kind);
  });
  afterAll(() => s?.close());

  it('runs from a new campaign to a downloadable certificate, recording every change', async () => {
    // 1. the city 平安办 creates a campaign for 平安校园 with a standard and deadlines
    const standards = (await call(s, 'city_office', 'GET', '/api/standards')).body as {
      categoryCode: string;
      code: string;
      versions: { id: number }[];
    }[];
    const campus = standards.find((x) => x.code === 'datuopu-2020-campus')!;
    // a campaign's dates lie in its year
    const year = Number(shanghaiToday().slice(0, 4));
    const created = await call(s, 'city_office', 'POST', '/api/campaigns', {
      name: `云州市${year}年平安校园专项创建`,
      year,
      applyDeadline: `${year}-12-31`,
      reviewDeadline: `${year}-12-31`,
      phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-31` }],
      categories: [{ standardVersionId: campus.versions[0]!.id, quota: 5 }],
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.id as number;
    const visible = (await call(s, 'school_nm', 'GET', '/api/campaigns')).body as { id: number }[];
    expect(visible.map((c) => c.id)).toContain(campaignId);

    // 2. the school starts an application, saves a draft, comes back, and submits
    const app = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId, categoryCode: 'campus' });
    expect(app.status).toBe(201);
    const id = app.body.id as number;
    let detail = (await call(s, 'school_nm', 'GET', `/api/applications/${id}`)).body;
    expect(detail.status).toBe('draft');
    expect(detail.canEdit).toBe(true);
    const criteria = detail.standard.groups.flatMap((g: { criteria: unknown[] }) => g.criteria) as {
      id: string;
      points: number;
      evidenceRequired: boolean;
      judge: 'yesno' | 'score';
      measures: { id: string; kind: string; value?: number; min?: number; comparator?: string; unit?: string }[];
    }[];

    const early = await call(s, 'school_nm', 'POST', `/api/applications/${id}/submit`);
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('INCOMPLETE');
    expect(early.body.details.missing.length).toBeGreaterThan(criteria.length);
    expect(early.body.message).toContain('申报材料不完整');

    const answers = criteria.map((c) => ({
      criterionId: c.id,
      statement: `第${c.id}项自查情况：已落实。`,
      figures: Object.fromEntries(
        c.measures.map((m) => [
          m.id,
          m.kind === 'distance'
            ? { value: 500 }
            : m.kind === 'threshold'
              ? { value: m.comparator?.startsWith('>') ? 95 : 0 }
              : m.kind === 'range'
                ? { value: m.min }
                : m.kind === 'change'
                  ? { value: 5, previous: 10 }
                  : { value: 4 },
        ]),
      ),
    }));
    const half = await call(s, 'school_nm', 'PUT', `/api/applications/${id}/draft`, {
      revision: detail.revision,
      form: { content: '申报平安校园', plan: '一、健全组织；二、落实三防', contactName: '何校长', contactPhone: '0731-88886666' },
      answers: answers.slice(0, 2),
    });
    expect(half.status).toBe(200);
    // a second tab with the old revision must not overwrite
    const stale = await call(s, 'school_nm', 'PUT', `/api/applications/${id}/draft`, { revision: detail.revision, form: {}, answers: [] });
    expect(stale.status).toBe(409);
    detail = (await call(s, 'school_nm', 'GET', `/api/applications/${id}`)).body;
    expect(detail.answers).toHaveLength(2);
    expect(detail.form.contactName).toBe('何校长');
    const full = await call(s, 'school_nm', 'PUT', `/api/applications/${id}/draft`, {
      revision: detail.revision,
      form: detail.form,
      answers,
    });
    expect(full.status).toBe(200);

    for (const c of criteria.filter((x) => x.evidenceRequired)) {
      const mp = multipart(`第${c.id}项台账.pdf`, 'application/pdf', PDF_BYTES, c.id);
      const up = await s.app.inject({
        method: 'POST',
        url: `/api/applications/${id}/files`,
        headers: { ...mp.headers, cookie: await s.login('school_nm') },
        payload: mp.payload,
      });
      expect(up.statusCode).toBe(201);
    }
    const submitted = await call(s, 'school_nm', 'POST', `/api/applications/${id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    expect((await call(s, 'school_nm', 'PUT', `/api/applications/${id}/draft`, { revision: 99, form: {}, answers: [] })).status).toBe(409);

    // 3. the education bureau reviews and passes it on; the 平安办 evaluates
    const scores = criteria.map((c) => ({ criterionId: c.id, score: c.points, met: true, comment: '符合' }));
    const prelim = await call(s, 'city_edu', 'POST', `/api/applications/${id}/reviews`, { decision: 'pass', comment: '初评通过', scores });
    expect(prelim.status, JSON.stringify(prelim.body)).toBe(200);
    expect(prelim.body.status).toBe('preliminary_passed');
    // the 平安办 takes 2 points off the first criterion judged by score (a yes/no one gives all or nothing)
    const scored = criteria.find((c) => c.judge === 'score' && c.points > 2)!;
    const evalScores = scores.map((x) => (x.criterionId === scored.id ? { ...x, score: scored.points - 2 } : x));
    const evaluated = await call(s, 'city_office', 'POST', `/api/applications/${id}/reviews`, {
      decision: 'pass',
      comment: '综合评定通过',
      scores: evalScores,
    });
    expect(evaluated.status, JSON.stringify(evaluated.body)).toBe(200);
    expect(evaluated.body.status).toBe('evaluated');

    // 4. the rating explains itself
    detail = (await call(s, 'city_office', 'GET', `/api/applications/${id}`)).body;
    const max = criteria.reduce((t, c) => t + c.points, 0);
    expect(detail.rating.max).toBe(max);
    expect(detail.rating.total).toBeCloseTo(max - 2, 5);
    // 002 is a title-only standard: the title is conferred or not, with no stars
    expect(detail.rating).toMatchObject({ scheme: 'title', conferrable: true, level: 'title', provisional: false });
    // the list says so too (its 星级 column stays empty in the export), and a 000 application's row says stars
    const listed = (await call(s, 'city_office', 'GET', '/api/applications?limit=500')).body.items as { id: number; scheme: string }[];
    expect(listed.find((x) => x.id === id)?.scheme).toBe('title');
    expect(listed.some((x) => x.scheme === 'stars')).toBe(true);
    expect(detail.rating.criteria).toHaveLength(criteria.length);
    for (const c of detail.rating.criteria) expect(c.reasons.length).toBeGreaterThan(0);

    // 5. public notice, readable without logging in
    // a notice starts today or later and lasts at least the campaign's minimum (5 working days)
    const today = shanghaiToday();
    const notice = await call(s, 'city_office', 'POST', '/api/notices', {
      campaignId,
      title: '平安校园拟命名单位公示',
      startsOn: today,
      endsOn: earliestNoticeEnd(today, 5),
      applicationIds: [id],
    });
    expect(notice.status).toBe(201);
    // the public reads it by its random public code, never by its id
    const noticeCode = (await call(s, 'city_office', 'GET', `/api/notices/${notice.body.id}`)).body.publicCode as string;
    const pub = await call(s, null, 'GET', `/api/public/notices/${noticeCode}`);
    expect(pub.status).toBe(200);
    expect(pub.body.items.map((i: { subjectName: string }) => i.subjectName)).toContain('云州市南门实验小学');
    expect(
      (await call(s, null, 'GET', '/api/public/notices?limit=500')).body.items.some((n: { code: string }) => n.code === noticeCode),
    ).toBe(true);

    // a notice still running cannot be conferred
    const running = await call(s, 'city_office', 'GET', '/api/notices');
    const open = (running.body as { id: number; endsOn: string }[]).find((n) => n.endsOn >= today)!;
    expect((await call(s, 'city_office', 'POST', `/api/notices/${open.id}/confer`)).status).toBe(422);
    expect((await call(s, 'city_office', 'POST', `/api/notices/${notice.body.id}/confer`)).status).toBe(422);
    // time passes: the notice ran from 10 to 3 days ago
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(today, -10), endsOn: addDays(today, -3) })
      .where(eq(publicNotices.id, notice.body.id));

    // 6. after the notice the title is conferred and the certificate downloads
    const conferred = await call(s, 'city_office', 'POST', `/api/notices/${notice.body.id}/confer`);
    expect(conferred.status).toBe(200);
    expect(conferred.body.conferred).toEqual([id]);
    detail = (await call(s, 'school_nm', 'GET', `/api/applications/${id}`)).body;
    expect(detail.status).toBe('conferred');
    const pdf = await s.app.inject({
      method: 'GET',
      url: `/api/titles/${detail.title.id}/certificate.pdf`,
      headers: { cookie: await s.login('school_nm') },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.includes(Buffer.from('NotoSansHans'))).toBe(true);
    const verified = await call(s, null, 'GET', `/api/public/titles/${detail.title.certificateNo}`);
    expect(verified.body).toMatchObject({ holder: '云州市南门实验小学', titleName: '平安校园', status: 'valid' });

    // every change of state is recorded: who, when, from, to, why
    const trail = detail.events.map((e: { from: string | null; to: string }) => `${e.from ?? ''}>${e.to}`);
    expect(trail).toEqual([
      '>draft',
      'draft>submitted',
      'submitted>preliminary_passed',
      'preliminary_passed>evaluated',
      'evaluated>in_notice',
      'in_notice>conferred',
    ]);
    expect(detail.events.every((e: { actorName: string | null; at: string }) => e.actorName && e.at)).toBe(true);
  });

  it('a return needs a reason, goes back to the applicant, and can be resubmitted', async () => {
    const list = (await call(s, 'city_health', 'GET', '/api/applications?status=submitted')).body;
    const target = list.items.find((a: { subjectName: string }) => a.subjectName === '青山区中医院');
    expect(target).toBeTruthy();
    const noReason = await call(s, 'city_health', 'POST', `/api/applications/${target.id}/reviews`, { decision: 'return', scores: [] });
    expect(noReason.status).toBe(422);
    expect(noReason.body.message).toContain('理由');
    const ret = await call(s, 'city_health', 'POST', `/api/applications/${target.id}/reviews`, {
      decision: 'return',
      reason: '请补充监控室建设照片',
      scores: [],
    });
    expect(ret.body.status).toBe('returned');
    const back = await call(s, 'hospital_tcm', 'POST', `/api/applications/${target.id}/submit`);
    expect(back.status).toBe(200);
    const d = (await call(s, 'hospital_tcm', 'GET', `/api/applications/${target.id}`)).body;
    expect(d.events.find((e: { to: string }) => e.to === 'returned').reason).toBe('请补充监控室建设照片');
  });

  it('the dashboard counts the region, and the demo world has applications at every stage', async () => {
    const d = (await call(s, 'city_office', 'GET', '/api/dashboard')).body;
    for (const st of ['submitted', 'preliminary_passed', 'evaluated', 'in_notice', 'conferred', 'returned', 'rejected'])
      expect(d.applicationsByStatus[st], st).toBeGreaterThan(0);
    // drafts exist (the applicants see them) but are no one else's to count
    expect(d.applicationsByStatus.draft).toBeUndefined();
    expect((await call(s, 'school_yuehu', 'GET', '/api/applications?status=draft')).body.total).toBeGreaterThan(0);
    expect(d.subjects.unit).toBeGreaterThan(5);
    expect(Object.values(d.titlesByStars as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
