import { forgetStandardVersions } from '../src/modules/applications/standardCache.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  allCriteria,
  figuresMet,
  rate,
  type Criterion,
  type FigureAnswer,
  type Measure,
  type Rating,
  type StandardDoc,
} from '@pingan/core';
import type { Db } from '../src/db/client.js';
import { answers, applications, campaigns, reviewScores, reviews, standardVersions, subjects, users } from '../src/db/schema.js';
import { loadAnswers, loadScores, loadStandardDoc, ratingContext } from '../src/modules/applications/queries.js';
import { rateCampaign } from '../src/modules/rating/campaign.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/** What the JS engine gives for an application, computed as refreshRating does, without writing. */
async function engineRating(db: Db, applicationId: number): Promise<Rating> {
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  const [doc, ans, scores, ctx] = await Promise.all([
    loadStandardDoc(db, app!.standardVersionId),
    loadAnswers(db, applicationId),
    loadScores(db, applicationId),
    ratingContext(db, app!),
  ]);
  return rate(doc, ans, scores, ctx);
}

async function campaignApps(db: Db, campaignId: number) {
  return db
    .select({
      id: applications.id,
      status: applications.status,
      score: applications.score,
      stars: applications.stars,
      subject: subjects.name,
      versionId: applications.standardVersionId,
    })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .where(eq(applications.campaignId, campaignId))
    .orderBy(asc(applications.id));
}

/** Every application past draft carries exactly the engine's total and stars. */
async function expectEveryApplicationMatchesEngine(db: Db, campaignId: number) {
  let compared = 0;
  for (const a of await campaignApps(db, campaignId)) {
    if (a.status === 'draft') continue;
    const r = await engineRating(db, a.id);
    expect({ id: a.id, subject: a.subject, score: a.score, stars: a.stars }).toEqual({
      id: a.id,
      subject: a.subject,
      score: r.total,
      stars: r.stars,
    });
    compared++;
  }
  return compared;
}

/** A figure that fails the measure (core checkMeasure says not met). */
function failingFigure(m: Measure): FigureAnswer {
  switch (m.kind) {
    case 'threshold':
    case 'distance':
      return { value: m.comparator.startsWith('>') ? -1 : m.comparator.startsWith('<') ? m.value + 1000 : m.value + 1 };
    case 'change':
      return { value: 1000, previous: 1 };
    case 'range':
      return { value: m.max + 1 };
    case 'frequency':
      return { value: 0 };
  }
}

/** A figure that meets the measure (at its boundary where the comparator includes it). */
function passingFigure(m: Measure): FigureAnswer {
  switch (m.kind) {
    case 'threshold':
    case 'distance':
      return { value: m.comparator === '>' ? m.value + 1 : m.comparator === '<' ? m.value - 1 : m.value };
    case 'change':
      return { value: 0, previous: 10 };
    case 'range':
      return { value: m.min };
    case 'frequency':
      return { value: m.min };
  }
}

describe.each(DB_KINDS)('campaign rating on %s', (kind) => {
  let s: TestServer;
  let db: Db;
  let campaignId: number;
  let officeId: number;
  const docs = new Map<number, StandardDoc>();
  const docOf = async (versionId: number) => {
    if (!docs.has(versionId)) docs.set(versionId, await loadStandardDoc(db, versionId));
    return docs.get(versionId)!;
  };
  /** adds a review at a stage with the given scores, dated `at` (default now) */
  let reviewSeq = 0;
  const addReview = async (
    applicationId: number,
    stage: 'preliminary' | 'onsite' | 'evaluation',
    scores: { criterionId: string; score?: number | null; met?: boolean | null; notApplicable?: boolean }[],
    at?: Date,
  ) => {
    const [r] = await db
      .insert(reviews)
      // each test review stands for a different reviewer's pass: its own step key
      .values({
        applicationId,
        stage,
        step: `test_${++reviewSeq}`,
        reviewerId: officeId,
        comment: '测试评审',
        ...(at ? { createdAt: at } : {}),
      })
      .returning({ id: reviews.id });
    await db.insert(reviewScores).values(
      scores.map((x) => ({
        reviewId: r!.id,
        applicationId,
        criterionId: x.criterionId,
        score: x.score ?? null,
        met: x.met ?? null,
        notApplicable: x.notApplicable ?? false,
      })),
    );
    return r!.id;
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    db = s.database.db;
    // the city's 十大平安 round: the demo's first campaign
    const [c] = await db.select({ id: campaigns.id }).from(campaigns).orderBy(asc(campaigns.id)).limit(1);
    campaignId = c!.id;
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'city_office'));
    officeId = u!.id;
  });
  afterAll(() => s?.close());

  it('rates every application past draft in one pass, exactly as the JS engine, and leaves drafts alone', async () => {
    await db.update(applications).set({ score: null, stars: null });
    const before = await campaignApps(db, campaignId);
    const drafts = before.filter((a) => a.status === 'draft');
    expect(drafts.length).toBeGreaterThan(0);

    const progress: [number, number, string][] = [];
    const res = await rateCampaign(db, campaignId, (done, total, message) => progress.push([done, total, message]));
    expect(res.rated).toBe(before.length - drafts.length);
    expect(res.updated).toBe(res.rated);
    expect(res.draftsSkipped).toBe(drafts.length);
    expect(res.reratedByEngine).toBe(0);
    expect(progress.at(-1)).toEqual([res.rated, res.rated, expect.stringContaining('评级')]);

    expect(await expectEveryApplicationMatchesEngine(db, campaignId)).toBe(res.rated);
    const after = await campaignApps(db, campaignId);
    for (const d of after.filter((a) => a.status === 'draft')) expect([d.score, d.stars]).toEqual([null, null]);
    // the demo world has both: titles with stars, and a veto (family.chen was rejected on one)
    expect(after.some((a) => (a.stars ?? 0) >= 1)).toBe(true);
    expect(after.some((a) => a.status === 'rejected' && a.stars === 0)).toBe(true);

    // a second pass changes nothing and writes nothing
    const again = await rateCampaign(db, campaignId);
    expect(again.updated).toBe(0);
    // an unknown campaign rates nothing
    expect((await rateCampaign(db, 999_999)).rated).toBe(0);
  });

  it('follows the engine on vetoes, not applicable, failed or missing figures, stage order and odd scores', async () => {
    const apps = (await campaignApps(db, campaignId)).filter((a) => a.status !== 'draft');
    const bySubject = (name: string) => {
      const a = apps.find((x) => x.subject === name);
      if (!a) throw new Error(`demo application of ${name} missing`);
      return a;
    };
    const criteriaOf = async (a: { versionId: number }) => allCriteria(await docOf(a.versionId));

    // 1. a veto criterion judged not met at evaluation: no stars whatever the points
    const vetoApp = bySubject('云州市人民医院');
    const vetoId = (await criteriaOf(vetoApp)).find((c) => c.veto)!.id;
    await addReview(vetoApp.id, 'evaluation', [{ criterionId: vetoId, met: false, score: 0 }]);

    // 2. a criterion judged not applicable: out of the total and of the maximum
    const naApp = bySubject('张德福家庭');
    const naCrit = (await criteriaOf(naApp)).find((c) => !c.veto)!;
    await addReview(naApp.id, 'evaluation', [{ criterionId: naCrit.id, notApplicable: true }]);

    // 3. figures that fail (figures_met = false, as saveDraft would store): not met, 0 points
    const figApp = bySubject('青山区东湖中学');
    const measured = (await criteriaOf(figApp)).filter((c) => c.measures.length);
    expect(measured.length).toBeGreaterThan(1);
    const failCrit: Criterion = measured[0]!;
    const failing = Object.fromEntries(failCrit.measures.map((m) => [m.id, failingFigure(m)]));
    const verdict = figuresMet(failCrit, { criterionId: failCrit.id, figures: failing });
    expect(verdict).toBe(false);
    await db
      .update(answers)
      .set({ figures: failing, figuresMet: verdict })
      .where(and(eq(answers.applicationId, figApp.id), eq(answers.criterionId, failCrit.id)));
    // 4. figures missing altogether while the reviewer says met: the item stays pending and earns nothing
    const missingCrit = measured[1]!;
    await db.delete(answers).where(and(eq(answers.applicationId, figApp.id), eq(answers.criterionId, missingCrit.id)));
    await addReview(figApp.id, 'onsite', [{ criterionId: missingCrit.id, met: true, score: missingCrit.points }]);

    // 5. stage order: a later preliminary review does not override the evaluation; within a stage
    //    the later review wins, by time first (a review inserted later but dated earlier loses)
    const orderApp = bySubject('临江县人民医院');
    const orderCrits = (await criteriaOf(orderApp)).filter((c) => !c.veto && c.judge === 'score');
    const [c1, c2] = [orderCrits[0]!, orderCrits[1]!];
    const t = Date.now();
    await addReview(orderApp.id, 'evaluation', [{ criterionId: c1.id, met: true, score: c1.points }], new Date(t + 2000));
    await addReview(orderApp.id, 'preliminary', [{ criterionId: c1.id, met: false, score: 0 }], new Date(t + 5000));
    await addReview(orderApp.id, 'evaluation', [{ criterionId: c2.id, met: true, score: c2.points }], new Date(t + 4000));
    await addReview(orderApp.id, 'evaluation', [{ criterionId: c2.id, met: true, score: 0.5 }], new Date(t + 3000)); // higher id, earlier time

    // 6. odd scores straight in the table: above the points (clamped), met only, score only, yes/no by score
    const oddApp = bySubject('临江县第二中学');
    const oddCrits = await criteriaOf(oddApp);
    const scored = oddCrits.filter((c) => c.judge === 'score' && !c.veto && !c.measures.length);
    const yesno = oddCrits.filter((c) => c.judge === 'yesno' && !c.veto);
    const odd = [
      { criterionId: scored[0]!.id, score: scored[0]!.points + 50, met: null },
      { criterionId: scored[1]!.id, score: null, met: true },
      { criterionId: scored[2]!.id, score: 0, met: null },
      ...(yesno[0] ? [{ criterionId: yesno[0].id, score: 0, met: null }] : []),
    ];
    await addReview(oddApp.id, 'onsite', odd);

    // 7. a draft carrying an old figure is left exactly as it is
    const [draft] = await db.select({ id: applications.id }).from(applications).where(eq(applications.status, 'draft')).limit(1);
    await db.update(applications).set({ score: 12.34, stars: 3 }).where(eq(applications.id, draft!.id));

    await rateCampaign(db, campaignId);
    await expectEveryApplicationMatchesEngine(db, campaignId);

    const stored = async (id: number) => (await db.select().from(applications).where(eq(applications.id, id)))[0]!;
    const vetoRating = await engineRating(db, vetoApp.id);
    expect(vetoRating.vetoed).toContain(vetoId);
    expect((await stored(vetoApp.id)).stars).toBe(0);

    const naRating = await engineRating(db, naApp.id);
    const naDoc = await docOf(naApp.versionId);
    expect(naRating.criteria.find((c) => c.criterionId === naCrit.id)!.status).toBe('not_applicable');
    expect(naRating.max).toBe(allCriteria(naDoc).reduce((sum, c) => sum + c.points, 0) - naCrit.points);

    const figRating = await engineRating(db, figApp.id);
    expect(figRating.criteria.find((c) => c.criterionId === failCrit.id)).toMatchObject({ status: 'not_met', score: 0 });
    // DOMAIN.md: "An item not yet judged earns nothing; a rating with such items is provisional."
    const pendingItem = figRating.criteria.find((c) => c.criterionId === missingCrit.id)!;
    expect(pendingItem.status).toBe('pending');
    expect(pendingItem.score).toBe(0);
    expect(figRating.provisional).toBe(true);

    const orderRating = await engineRating(db, orderApp.id);
    expect(orderRating.criteria.find((c) => c.criterionId === c1.id)).toMatchObject({
      status: 'met',
      score: c1.points,
      scoredBy: 'evaluation',
    });
    expect(orderRating.criteria.find((c) => c.criterionId === c2.id)).toMatchObject({ status: 'met', score: c2.points });

    const oddRating = await engineRating(db, oddApp.id);
    expect(oddRating.criteria.find((c) => c.criterionId === scored[0]!.id)).toMatchObject({ status: 'met', score: scored[0]!.points });
    expect(oddRating.criteria.find((c) => c.criterionId === scored[1]!.id)).toMatchObject({ status: 'met', score: scored[1]!.points });
    expect(oddRating.criteria.find((c) => c.criterionId === scored[2]!.id)).toMatchObject({ status: 'not_met', score: 0 });
    if (yesno[0]) expect(oddRating.criteria.find((c) => c.criterionId === yesno[0]!.id)).toMatchObject({ status: 'not_met', score: 0 });

    expect(await stored(draft!.id)).toMatchObject({ score: 12.34, stars: 3 });
  });

  it('vetoes on failed figures of a veto criterion that no review has scored', async () => {
    // make a measured campus criterion a veto item, in the stored document and its criteria row alike
    const [app] = await db
      .select({ id: applications.id, versionId: applications.standardVersionId })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      // the school's application in this campaign (the demo has it in the county's round too)
      .where(and(eq(subjects.name, '青山区东湖中学'), eq(applications.campaignId, campaignId)));
    const [v] = await db.select({ doc: standardVersions.doc }).from(standardVersions).where(eq(standardVersions.id, app!.versionId));
    const original = v!.doc;
    const target = allCriteria(original)
      .filter((c) => c.measures.length && !c.veto)
      .at(-1)!;
    const vetoDoc: StandardDoc = {
      ...original,
      groups: original.groups.map((g) => ({ ...g, criteria: g.criteria.map((c) => (c.id === target.id ? { ...c, veto: true } : c)) })),
    };
    const setVeto = async (doc: StandardDoc, veto: boolean) => {
      await db.update(standardVersions).set({ doc }).where(eq(standardVersions.id, app!.versionId));
      await db.execute(
        sql`update criteria set veto = ${veto} where standard_version_id = ${app!.versionId} and criterion_id = ${target.id}`,
      );
      docs.clear();
      forgetStandardVersions(db);
    };
    await setVeto(vetoDoc, true);
    try {
      // every other criterion met with full marks (figures that pass, where it has measures): an item
      // left pending earns nothing, so only the veto may stand between it and the stars
      const others = allCriteria(vetoDoc).filter((c) => c.id !== target.id);
      for (const c of others.filter((x) => x.measures.length)) {
        const figures = Object.fromEntries(c.measures.map((m) => [m.id, passingFigure(m)]));
        const met = figuresMet(c, { criterionId: c.id, figures });
        expect(met).toBe(true);
        await db
          .insert(answers)
          .values({ applicationId: app!.id, criterionId: c.id, statement: '达标', figures, figuresMet: met })
          .onConflictDoUpdate({ target: [answers.applicationId, answers.criterionId], set: { figures, figuresMet: met } });
      }
      await addReview(
        app!.id,
        'evaluation',
        others.map((c) => ({ criterionId: c.id, met: true, score: c.points })),
      );
      const before = await engineRating(db, app!.id);
      expect(before.vetoed).toEqual([]);
      expect(before.starsByPoints).toBeGreaterThan(0);
      const failing = Object.fromEntries(target.measures.map((m) => [m.id, failingFigure(m)]));
      await db
        .update(answers)
        .set({ figures: failing, figuresMet: figuresMet(target, { criterionId: target.id, figures: failing }) })
        .where(and(eq(answers.applicationId, app!.id), eq(answers.criterionId, target.id)));
      await db.delete(reviewScores).where(and(eq(reviewScores.applicationId, app!.id), eq(reviewScores.criterionId, target.id)));

      await rateCampaign(db, campaignId);
      const after = await engineRating(db, app!.id);
      expect(after.starsByPoints).toBeGreaterThan(0);
      expect(after.vetoed).toEqual([target.id]);
      expect(after.criteria.find((c) => c.criterionId === target.id)).toMatchObject({ status: 'not_met', scoredBy: null });
      const [row] = await db
        .select({ stars: applications.stars, score: applications.score })
        .from(applications)
        .where(eq(applications.id, app!.id));
      expect(row).toEqual({ stars: 0, score: after.total });
      await expectEveryApplicationMatchesEngine(db, campaignId);
    } finally {
      await setVeto(original, false);
    }
  });

  it('leaves star conditions to the JS engine, for the applications that reach such a star', async () => {
    // give the hospital standard a condition on 1 star: a title held last year (no demo subject has one)
    const [hospital] = await db
      .select({ versionId: applications.standardVersionId })
      .from(applications)
      .where(and(eq(applications.campaignId, campaignId), eq(applications.categoryCode, 'hospital')))
      .limit(1);
    const [v] = await db.select({ doc: standardVersions.doc }).from(standardVersions).where(eq(standardVersions.id, hospital!.versionId));
    const original = v!.doc;
    const withCondition: StandardDoc = {
      ...original,
      starRules: {
        ...original.starRules,
        conditions: [{ kind: 'prior_title', stars: 1, minStars: 1, withinYears: 1, text: '上年度已获命名' }],
      },
    };
    await db.update(standardVersions).set({ doc: withCondition }).where(eq(standardVersions.id, hospital!.versionId));
    forgetStandardVersions(db);
    try {
      await db
        .update(applications)
        .set({ score: null, stars: null, rating: null })
        .where(sql`${applications.status} <> 'draft'`);
      const res = await rateCampaign(db, campaignId);
      // those hospitals whose points reach 1 star and which no veto zeroes went through the engine
      const hospitals = (await campaignApps(db, campaignId)).filter((a) => a.status !== 'draft' && a.versionId === hospital!.versionId);
      let reach = 0;
      for (const a of hospitals) {
        const r = await engineRating(db, a.id);
        if (!r.vetoed.length && r.starsByPoints >= 1) {
          reach++;
          expect(r.stars).toBe(0);
          expect(r.conditionsUnmet).toEqual(['上年度已获命名']);
          // refreshRating wrote the explanation too
          const [row] = await db.select({ rating: applications.rating }).from(applications).where(eq(applications.id, a.id));
          expect(row!.rating?.conditionsUnmet).toEqual(['上年度已获命名']);
        }
      }
      expect(reach).toBeGreaterThan(0);
      expect(res.reratedByEngine).toBe(reach);
      await expectEveryApplicationMatchesEngine(db, campaignId);
    } finally {
      await db.update(standardVersions).set({ doc: original }).where(eq(standardVersions.id, hospital!.versionId));
      docs.clear();
      forgetStandardVersions(db);
    }
  });

  it('runs as a background job for the 平安办 of the campaign region, and re-rates one application', async () => {
    const start = await call(s, 'city_office', 'POST', `/api/campaigns/${campaignId}/rate`);
    expect(start.status).toBe(202);
    const jobId = start.body.jobId as string;
    expect(typeof jobId).toBe('string');

    let status = (await call(s, 'city_office', 'GET', `/api/jobs/${jobId}`)).body;
    for (let i = 0; i < 500 && status.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await call(s, 'city_office', 'GET', `/api/jobs/${jobId}`)).body;
    }
    const nonDraft = (await campaignApps(db, campaignId)).filter((a) => a.status !== 'draft').length;
    expect(status).toMatchObject({ id: jobId, kind: 'rate_campaign', state: 'done', done: nonDraft, total: nonDraft });
    expect(status.result).toMatchObject({ campaignId, rated: nonDraft });
    expect(status.message).toMatch(/评级/);
    expect(status.finishedAt).toEqual(expect.any(String));

    // only the owner sees the job; unknown ids are 404 too
    expect((await call(s, 'qs_office', 'GET', `/api/jobs/${jobId}`)).status).toBe(404);
    expect((await call(s, 'city_edu', 'GET', `/api/jobs/${jobId}`)).status).toBe(404);
    expect((await call(s, 'city_office', 'GET', `/api/jobs/no-such-job`)).status).toBe(404);
    expect((await call(s, null, 'GET', `/api/jobs/${jobId}`)).status).toBe(401);

    // a district or county office cannot rate the city's campaign: for it, the campaign does not exist
    expect((await call(s, 'qs_office', 'POST', `/api/campaigns/${campaignId}/rate`)).status).toBe(404);
    expect((await call(s, 'lj_office', 'POST', `/api/campaigns/${campaignId}/rate`)).status).toBe(404);
    expect((await call(s, 'city_office', 'POST', `/api/campaigns/999999/rate`)).status).toBe(404);
    // only a 平安办 rates a campaign
    expect((await call(s, 'school_nm', 'POST', `/api/campaigns/${campaignId}/rate`)).status).toBe(403);
    expect((await call(s, 'city_edu', 'POST', `/api/campaigns/${campaignId}/rate`)).status).toBe(403);
    expect((await call(s, null, 'POST', `/api/campaigns/${campaignId}/rate`)).status).toBe(401);

    // one application: staff in scope only
    const [renmin] = await db
      .select({ id: applications.id })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .where(and(eq(subjects.name, '云州市人民医院'), eq(applications.campaignId, campaignId)));
    await db.update(applications).set({ score: null, stars: null }).where(eq(applications.id, renmin!.id));
    const one = await call(s, 'city_office', 'POST', `/api/applications/${renmin!.id}/rate`);
    expect(one.status).toBe(200);
    const expected = await engineRating(db, renmin!.id);
    expect(one.body).toMatchObject({ total: expected.total, stars: expected.stars, max: expected.max });
    expect((await db.select().from(applications).where(eq(applications.id, renmin!.id)))[0]).toMatchObject({
      score: expected.total,
      stars: expected.stars,
    });
    expect((await call(s, 'city_health', 'POST', `/api/applications/${renmin!.id}/rate`)).status).toBe(200);
    expect((await call(s, 'lj_office', 'POST', `/api/applications/${renmin!.id}/rate`)).status).toBe(404);
    expect((await call(s, 'hospital_rm', 'POST', `/api/applications/${renmin!.id}/rate`)).status).toBe(403);
    expect((await call(s, 'city_office', 'POST', `/api/applications/999999/rate`)).status).toBe(404);
  });
});
