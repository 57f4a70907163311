import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { PRESET_000, parseStandard, type StandardInput } from '@pingan/core';
import type { Db } from '../src/db/client.js';
import {
  applicationEvents,
  applications,
  campaignCategories,
  campaigns,
  notifications,
  organisations,
  regions,
  reviews,
  signoffs,
  subjects,
  users,
} from '../src/db/schema.js';
import { importStandard } from '../src/modules/standards/files.js';
import { loadOwnership } from '../src/access/ownership.js';
import { enterChain } from '../src/modules/applications/chain.js';
import { today } from '../src/modules/applications/service.js';
import { seedSignoffs } from '../src/modules/signoffs/demo.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/** A standard whose criteria name education, police and health (all at the city) and transport (no organisation there). */
function standard(code: string, criteria: StandardInput['groups'][number]['criteria']): StandardInput {
  return {
    format: 'pingan-standard/v1',
    code,
    title: '会签测试标准',
    issuer: '测试',
    year: 2026,
    category: { code: code.replace(/-/g, '_'), name: '会签测试类别', subjectKinds: ['unit'] },
    groups: [{ id: 'G1', name: '第一组', criteria }],
  } as StandardInput;
}

const SUBJECT_NAMES = ['云州市南门实验小学', '青山区东湖中学', '临江县白沙镇中心小学'];

/** A city campaign running PRESET_000 (first step 会签) with one application per subject, entered into the chain. */
async function setup(db: Db, code: string, criteria: StandardInput['groups'][number]['criteria']) {
  const parsed = parseStandard(standard(code, criteria));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const version = await importStandard(db, parsed.standard, null, 'test');
  const [city] = await db.select().from(regions).where(eq(regions.level, 'city'));
  const [office] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.regionId, city!.id), eq(organisations.kind, 'safety_office')));
  const year = Number(today().slice(0, 4));
  const [camp] = await db
    .insert(campaigns)
    .values({
      regionId: city!.id,
      orgId: office!.id,
      year,
      name: `会签测试${code}`,
      applyDeadline: `${year}-12-20`,
      reviewDeadline: `${year}-12-31`,
      chain: PRESET_000,
    })
    .returning();
  const categoryCode = parsed.standard.category.code;
  await db.insert(campaignCategories).values({ campaignId: camp!.id, categoryCode, standardVersionId: version.id });
  const subs = await db
    .select({ id: subjects.id, regionId: subjects.regionId, path: regions.path, name: subjects.name })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(inArray(subjects.name, SUBJECT_NAMES));
  subs.sort((a, b) => SUBJECT_NAMES.indexOf(a.name) - SUBJECT_NAMES.indexOf(b.name));
  const ids: number[] = [];
  for (const s of subs) {
    const [app] = await db
      .insert(applications)
      .values({
        campaignId: camp!.id,
        categoryCode,
        standardVersionId: version.id,
        subjectId: s.id,
        regionId: s.regionId,
        regionPath: s.path,
        status: 'submitted',
        submittedAt: new Date(),
      })
      .returning();
    await db.transaction(async (tx) => {
      const info = await loadOwnership(tx, app!);
      await enterChain(tx, app!, info);
    });
    ids.push(app!.id);
  }
  return { campaignId: camp!.id, appIds: ids };
}

const CRITERIA = [
  { id: '1', text: '学校安全工作领导机构健全', lead: ['education'], judge: 'yesno', points: 5 },
  { id: '2', text: '校园周边治安秩序良好', lead: ['police'], cooperate: ['education'], judge: 'score', points: 10 },
  { id: '3', text: '校医室配备齐全', lead: ['health'], judge: 'score', points: 5 },
  { id: '4', text: '校车安全管理', lead: ['transport'], judge: 'yesno', points: 5 },
] as StandardInput['groups'][number]['criteria'];

for (const kind of DB_KINDS) {
  describe(`会签 signoffs (${kind})`, () => {
    let s: TestServer;
    let campaignId: number;
    let appIds: number[];
    /** signoff id of (application index, department) */
    const sid = new Map<string, number>();

    beforeAll(async () => {
      s = await getTestServer(kind);
      ({ campaignId, appIds } = await setup(s.database.db, 'signoff-test', CRITERIA));
      const rows = await s.database.db.select().from(signoffs).where(inArray(signoffs.applicationId, appIds));
      for (const r of rows) sid.set(`${appIds.indexOf(r.applicationId)}:${r.deptCode}`, r.id);
    }, 120_000);
    afterAll(async () => s?.close());

    it('opens one pending row per city department named on the criteria, and tells its accounts', async () => {
      const rows = await s.database.db.select().from(signoffs).where(eq(signoffs.applicationId, appIds[0]!));
      expect(rows.map((r) => r.deptCode).sort()).toEqual(['education', 'health', 'police']);
      const year = today().slice(0, 4);
      for (const r of rows) {
        expect(r.status).toBe('pending');
        expect(r.step).toBe('dept_signoff');
        expect(r.deadline).toBe(`${year}-12-31`);
      }
      const [app] = await s.database.db.select().from(applications).where(eq(applications.id, appIds[0]!));
      expect(app!.step).toBe('dept_signoff');
      const [police] = await s.database.db.select().from(users).where(eq(users.username, 'city_police'));
      const told = await s.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, police!.id), eq(notifications.kind, 'assigned')));
      expect(told.filter((n) => n.title.includes('会签')).length).toBeGreaterThanOrEqual(3);
    });

    it('shows each department exactly its own criteria across applications', async () => {
      const edu = await call(s, 'city_edu', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(edu.status).toBe(200);
      expect(edu.body.total).toBe(3);
      expect(edu.body.items.map((i: any) => i.application.id).sort()).toEqual([...appIds].sort());
      for (const i of edu.body.items) {
        expect(i.criteria.map((c: any) => c.id)).toEqual(['1', '2']);
        expect(i.criteria.map((c: any) => c.role)).toEqual(['lead', 'cooperate']);
        expect(i.application.subjectName).toBeTruthy();
        expect(i.application.campaignName).toContain('会签测试');
      }
      const police = await call(s, 'city_police', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(police.body.items[0].criteria.map((c: any) => c.id)).toEqual(['2']);
      const health = await call(s, 'city_health', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(health.body.items[0].criteria.map((c: any) => c.id)).toEqual(['3']);
      const paged = await call(s, 'city_edu', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}&limit=2&offset=2`);
      expect(paged.body.total).toBe(3);
      expect(paged.body.items).toHaveLength(1);
    });

    it('refuses scores on another department’s criterion, naming it, and bad values', async () => {
      const id = sid.get('0:education')!;
      const other = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '3', score: 5 }] });
      expect(other.status).toBe(403);
      expect(other.body.message).toContain('第3项');
      const unknown = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '99', met: true }] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('第99项');
      const tooHigh = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '2', score: 11 }] });
      expect(tooHigh.status).toBe(400);
      const yesnoScore = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '1', score: 3 }] });
      expect(yesnoScore.status).toBe(400);
      const nul = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [], comment: 'a\u0000b' });
      expect(nul.status).toBe(400);
      const badId = await call(s, 'city_edu', 'PUT', `/api/signoffs/abc/scores`, { scores: [] });
      expect(badId.status).toBe(400);
    });

    it('keeps other departments and other regions out (404)', async () => {
      const id = sid.get('0:education')!;
      expect((await call(s, 'city_police', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '2', score: 3 }] })).status).toBe(
        404,
      );
      expect((await call(s, 'qs_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '1', met: true }] })).status).toBe(
        404,
      );
      expect((await call(s, 'qs_edu', 'POST', `/api/signoffs/${id}/sign`, {})).status).toBe(404);
      expect((await call(s, 'city_office', 'POST', `/api/signoffs/${id}/sign`, {})).status).toBe(404);
      const qs = await call(s, 'qs_edu', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(qs.status).toBe(200);
      expect(qs.body.total).toBe(0);
      expect((await call(s, 'city_office', 'GET', '/api/signoffs/worklist')).status).toBe(403);
      expect((await call(s, 'school_nm', 'POST', `/api/signoffs/${id}/override`, { reason: '测试' })).status).toBe(404);
    });

    it('refuses to sign while items are unjudged, naming them; stores scores as the department’s review', async () => {
      const id = sid.get('0:education')!;
      const none = await call(s, 'city_edu', 'POST', `/api/signoffs/${id}/sign`, {});
      expect(none.status).toBe(422);
      expect(none.body.details.missing).toEqual(['1', '2']);
      expect(none.body.message).toContain('第1、2项');
      const saved = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, {
        scores: [{ criterionId: '1', met: true, comment: '机构健全' }],
        comment: '总体良好',
      });
      expect(saved.status).toBe(200);
      expect(saved.body.missing).toEqual(['2']);
      const one = await call(s, 'city_edu', 'POST', `/api/signoffs/${id}/sign`, {});
      expect(one.status).toBe(422);
      expect(one.body.details.missing).toEqual(['2']);
      // the same review is updated in place; the overall comment is kept
      const again = await call(s, 'city_edu', 'PUT', `/api/signoffs/${id}/scores`, { scores: [{ criterionId: '2', score: 8 }] });
      expect(again.status).toBe(200);
      expect(again.body.reviewId).toBe(saved.body.reviewId);
      expect(again.body.missing).toEqual([]);
      const [rev] = await s.database.db.select().from(reviews).where(eq(reviews.id, saved.body.reviewId));
      expect(rev).toMatchObject({ applicationId: appIds[0], step: 'dept_signoff', stage: 'preliminary', comment: '总体良好' });
      const [app] = await s.database.db.select().from(applications).where(eq(applications.id, appIds[0]!));
      expect(app!.rating).not.toBeNull();
      const list = await call(s, 'city_edu', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      const item = list.body.items.find((i: any) => i.id === id);
      expect(item.judged).toBe(2);
      expect(item.criteria[0].current).toMatchObject({ met: true, comment: '机构健全' });
      expect(item.criteria[1].current).toMatchObject({ score: 8 });
      expect(item.reviewComment).toBe('总体良好');
    });

    it('moves the application on only when the last department has signed', async () => {
      const app = appIds[0]!;
      const edu = await call(s, 'city_edu', 'POST', `/api/signoffs/${sid.get('0:education')}/sign`, { comment: '同意' });
      expect(edu.status).toBe(200);
      expect(edu.body.application).toMatchObject({ step: 'dept_signoff', advanced: false });
      expect(
        (await call(s, 'city_edu', 'PUT', `/api/signoffs/${sid.get('0:education')}/scores`, { scores: [{ criterionId: '1', met: false }] }))
          .status,
      ).toBe(409);
      expect(
        (await call(s, 'city_police', 'PUT', `/api/signoffs/${sid.get('0:police')}/scores`, { scores: [{ criterionId: '2', score: 9 }] }))
          .status,
      ).toBe(200);
      const police = await call(s, 'city_police', 'POST', `/api/signoffs/${sid.get('0:police')}/sign`, {});
      expect(police.body.application.advanced).toBe(false);
      expect(
        (
          await call(s, 'city_health', 'PUT', `/api/signoffs/${sid.get('0:health')}/scores`, {
            scores: [{ criterionId: '3', notApplicable: true }],
          })
        ).status,
      ).toBe(200);
      const health = await call(s, 'city_health', 'POST', `/api/signoffs/${sid.get('0:health')}/sign`, {});
      expect(health.status).toBe(200);
      expect(health.body.application).toMatchObject({ status: 'submitted', step: 'lead_review', advanced: true });
      const [row] = await s.database.db.select().from(applications).where(eq(applications.id, app));
      expect(row!.step).toBe('lead_review');
      const events = await s.database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app));
      expect(events.map((e) => e.action)).toEqual(
        expect.arrayContaining(['signoff:education', 'signoff:police', 'signoff:health', 'pass:dept_signoff']),
      );
      // signed twice: refused
      expect((await call(s, 'city_health', 'POST', `/api/signoffs/${sid.get('0:health')}/sign`, {})).status).toBe(409);
      // the pending worklist no longer holds it; the signed one does
      const pending = await call(s, 'city_health', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(pending.body.items.map((i: any) => i.application.id)).not.toContain(app);
      const signed = await call(s, 'city_health', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}&status=signed`);
      expect(signed.body.items.map((i: any) => i.application.id)).toEqual([app]);
    });

    it('lets only the campaign office override a late department, with the reason recorded', async () => {
      const db = s.database.db;
      const app = appIds[1]!;
      for (const [user, dept, crit] of [
        [
          'city_edu',
          'education',
          [
            { criterionId: '1', met: true },
            { criterionId: '2', score: 7 },
          ],
        ],
        ['city_police', 'police', [{ criterionId: '2', score: 6 }]],
      ] as const) {
        expect((await call(s, user, 'PUT', `/api/signoffs/${sid.get(`1:${dept}`)}/scores`, { scores: crit })).status).toBe(200);
        expect((await call(s, user, 'POST', `/api/signoffs/${sid.get(`1:${dept}`)}/sign`, {})).status).toBe(200);
      }
      const id = sid.get('1:health')!;
      const early = await call(s, 'city_office', 'POST', `/api/signoffs/${id}/override`, { reason: '逾期未签' });
      expect(early.status).toBe(409);
      expect(early.body.message).toContain('尚未逾期');
      await db.update(signoffs).set({ deadline: '2020-01-01' }).where(eq(signoffs.id, id));
      expect((await call(s, 'qs_office', 'POST', `/api/signoffs/${id}/override`, { reason: '逾期未签' })).status).toBe(403);
      expect((await call(s, 'city_office', 'POST', `/api/signoffs/${id}/override`, { reason: '   ' })).status).toBe(400);
      const ok = await call(s, 'city_office', 'POST', `/api/signoffs/${id}/override`, { reason: '卫健委逾期未会签，经领导小组同意越过' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'overridden', application: { step: 'lead_review', advanced: true } });
      const [row] = await db.select().from(signoffs).where(eq(signoffs.id, id));
      expect(row).toMatchObject({ status: 'overridden', overrideReason: '卫健委逾期未会签，经领导小组同意越过' });
      expect(row!.overriddenBy).not.toBeNull();
      const [health] = await db.select().from(users).where(eq(users.username, 'city_health'));
      const told = await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, health!.id), eq(notifications.kind, 'override')));
      expect(told).toHaveLength(1);
      const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app));
      expect(events.find((e) => e.action === 'signoff_override:health')?.reason).toContain('经领导小组同意越过');
      // overriding again: refused
      expect((await call(s, 'city_office', 'POST', `/api/signoffs/${id}/override`, { reason: '再次' })).status).toBe(409);
    });

    it('shows the office a matrix of departments × applications with who signed and who is late', async () => {
      const db = s.database.db;
      await db
        .update(signoffs)
        .set({ deadline: '2020-01-01' })
        .where(eq(signoffs.id, sid.get('2:police')!));
      const open = await call(s, 'city_office', 'GET', `/api/signoffs/matrix?campaignId=${campaignId}`);
      expect(open.status).toBe(200);
      expect(open.body.departments.map((d: any) => d.deptCode).sort()).toEqual(['education', 'health', 'police']);
      expect(open.body.total).toBe(1);
      const cells = open.body.rows[0].cells;
      expect(Object.fromEntries(cells.map((c: any) => [c.deptCode, c.state]))).toEqual({
        education: 'pending',
        police: 'late',
        health: 'pending',
      });
      const all = await call(s, 'city_office', 'GET', `/api/signoffs/matrix?campaignId=${campaignId}&state=all`);
      expect(all.body.total).toBe(3);
      const first = all.body.rows.find((r: any) => r.application.id === appIds[0]);
      const edu = first.cells.find((c: any) => c.deptCode === 'education');
      expect(edu).toMatchObject({ state: 'signed', by: '李文博', comment: '同意' });
      expect(edu.at).toBeTruthy();
      const second = all.body.rows.find((r: any) => r.application.id === appIds[1]);
      expect(second.cells.find((c: any) => c.deptCode === 'health')).toMatchObject({
        state: 'overridden',
        by: '王青山',
        reason: '卫健委逾期未会签，经领导小组同意越过',
      });
      expect(all.body.summary).toEqual({ signed: 5, overridden: 1, late: 1, pending: 2 });
      const paged = await call(s, 'city_office', 'GET', `/api/signoffs/matrix?campaignId=${campaignId}&state=all&limit=1&offset=1`);
      expect(paged.body.rows).toHaveLength(1);
      expect(paged.body.rows[0].application.id).toBe(appIds[1]);
      expect((await call(s, 'qs_office', 'GET', `/api/signoffs/matrix?campaignId=${campaignId}`)).status).toBe(404);
      expect((await call(s, 'city_edu', 'GET', `/api/signoffs/matrix?campaignId=${campaignId}`)).status).toBe(404);
    });

    it('exports the worklist and the matrix to Excel', async () => {
      for (const [user, url] of [
        ['city_police', `/api/signoffs/worklist?campaignId=${campaignId}&status=all&format=xlsx`],
        ['city_office', `/api/signoffs/matrix?campaignId=${campaignId}&state=all&format=xlsx`],
      ] as const) {
        const res = await s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('spreadsheetml');
        expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
      }
    });

    it('reopens every department’s row when a returned application comes back to the step', async () => {
      const db = s.database.db;
      const appId = appIds[2]!;
      expect(
        (await call(s, 'city_health', 'PUT', `/api/signoffs/${sid.get('2:health')}/scores`, { scores: [{ criterionId: '3', score: 4 }] }))
          .status,
      ).toBe(200);
      expect((await call(s, 'city_health', 'POST', `/api/signoffs/${sid.get('2:health')}/sign`, {})).status).toBe(200);
      // returned by the office: the rows stay behind but leave the pending worklist
      await db.update(applications).set({ status: 'returned', step: null }).where(eq(applications.id, appId));
      const gone = await call(s, 'city_edu', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(gone.body.items.map((i: any) => i.application.id)).not.toContain(appId);
      expect(
        (await call(s, 'city_edu', 'PUT', `/api/signoffs/${sid.get('2:education')}/scores`, { scores: [{ criterionId: '1', met: true }] }))
          .status,
      ).toBe(409);
      // resubmitted: entering the chain again reopens the same rows, signed or late
      const [app] = await db.update(applications).set({ status: 'submitted' }).where(eq(applications.id, appId)).returning();
      await db.transaction(async (tx) => enterChain(tx, app!, await loadOwnership(tx, app!)));
      const rows = await db.select().from(signoffs).where(eq(signoffs.applicationId, appId));
      expect(rows).toHaveLength(3);
      const year = today().slice(0, 4);
      for (const r of rows) expect(r).toMatchObject({ status: 'pending', signedBy: null, signedAt: null, deadline: `${year}-12-31` });
      const back = await call(s, 'city_health', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(back.body.items.map((i: any) => i.application.id)).toEqual([appId]);
      // a withdrawn campaign takes its rows off the worklist and refuses scores
      await db.update(campaigns).set({ status: 'withdrawn' }).where(eq(campaigns.id, campaignId));
      const withdrawn = await call(s, 'city_health', 'GET', `/api/signoffs/worklist?campaignId=${campaignId}`);
      expect(withdrawn.body.total).toBe(0);
      const refused = await call(s, 'city_health', 'PUT', `/api/signoffs/${sid.get('2:health')}/scores`, {
        scores: [{ criterionId: '3', score: 4 }],
      });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('撤回');
      await db.update(campaigns).set({ status: 'active' }).where(eq(campaigns.id, campaignId));
    });

    it('seeds the demo 会签 campaign: one school signed by education, one with the police late', async () => {
      const r = await seedSignoffs(s.database.db);
      expect(r?.applicationIds).toHaveLength(3);
      const m = await call(s, 'city_office', 'GET', `/api/signoffs/matrix?campaignId=${r!.campaignId}`);
      expect(m.status).toBe(200);
      expect(m.body.departments.map((d: any) => d.deptCode).sort()).toEqual(['education', 'police']);
      const state = (i: number, dept: string) =>
        m.body.rows.find((x: any) => x.application.id === r!.applicationIds[i]).cells.find((c: any) => c.deptCode === dept).state;
      expect([state(0, 'education'), state(0, 'police'), state(1, 'police'), state(2, 'education')]).toEqual([
        'signed',
        'pending',
        'late',
        'pending',
      ]);
    });

    it('passes the step at once when no department named on the criteria exists in the region', async () => {
      const db = s.database.db;
      const { appIds: ids } = await setup(db, 'signoff-none', [
        { id: '1', text: '校车安全管理', lead: ['transport'], judge: 'yesno', points: 5 },
      ] as StandardInput['groups'][number]['criteria']);
      const [app] = await db.select().from(applications).where(eq(applications.id, ids[0]!));
      expect(app).toMatchObject({ status: 'submitted', step: 'lead_review' });
      const [{ n }] = (await db
        .select({ n: sql<number>`count(*)::int` })
        .from(signoffs)
        .where(eq(signoffs.applicationId, ids[0]!))) as [{ n: number }];
      expect(n).toBe(0);
      const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, ids[0]!));
      expect(events.find((e) => e.action === 'pass:dept_signoff')?.reason).toBe('无需会签的部门，自动通过');
    });
  });
}
