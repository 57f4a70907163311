import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { allCriteria, carryForwardPlan, type StandardDoc } from '@pingan/core';
import {
  answers,
  applications,
  campaignCategories,
  campaigns,
  evidenceFiles,
  organisations,
  regions,
  standardVersions,
  users,
} from '../src/db/schema.js';
import { today } from '../src/clock.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * 沿用上年申报 (issue 8): 南门实验小学's application of last year, under an older version of the
 * campus standard (one criterion worded differently, one missing), is carried into this year's
 * campaign: unchanged criteria copied, the changed and the new one marked, files not copied; only
 * the applicant owning the subject may do it, once per campaign and category.
 */
describe.each(DB_KINDS)('carry forward on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  const Y = Number(today().slice(0, 4));
  const w = {} as {
    source: number;
    campaign: number;
    lastCampaign: number;
    changed: string;
    added: string;
    kept: string;
    doc: StandardDoc;
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    const [city] = await db().select().from(regions).where(eq(regions.name, '云州市'));
    const [office] = await db().select().from(organisations).where(eq(organisations.name, '云州市平安办'));
    const [thisYear] = await db()
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.regionId, city!.id), eq(campaigns.year, Y)));
    const [cc] = await db()
      .select()
      .from(campaignCategories)
      .where(and(eq(campaignCategories.campaignId, thisYear!.id), eq(campaignCategories.categoryCode, 'campus')));
    const [current] = await db().select().from(standardVersions).where(eq(standardVersions.id, cc!.standardVersionId));
    const doc = current!.doc;
    const ids = allCriteria(doc).map((c) => c.id);
    // last year's version: criterion 1 worded differently, criterion 2 not there yet
    const [changed, added, kept] = [ids[0]!, ids[1]!, ids[2]!];
    const old = structuredClone(doc);
    for (const g of old.groups) {
      g.criteria = g.criteria.filter((c) => c.id !== added);
      for (const c of g.criteria) if (c.id === changed) c.text = `${c.text}（${Y - 1}年表述）`;
    }
    const [oldVersion] = await db()
      .insert(standardVersions)
      .values({ standardId: current!.standardId, version: 99, doc: old, note: '上年版本' })
      .returning();
    const [last] = await db()
      .insert(campaigns)
      .values({
        regionId: city!.id,
        orgId: office!.id,
        year: Y - 1,
        name: `云州市${Y - 1}年“十大平安”创建`,
        applyDeadline: `${Y - 1}-12-20`,
        reviewDeadline: `${Y - 1}-12-31`,
      })
      .returning();
    await db().insert(campaignCategories).values({ campaignId: last!.id, categoryCode: 'campus', standardVersionId: oldVersion!.id });
    const [school] = await db().select().from(users).where(eq(users.username, 'school_nm'));
    const [nm] = await db().select().from(regions).where(eq(regions.name, '南门社区'));
    const [src] = await db()
      .insert(applications)
      .values({
        campaignId: last!.id,
        categoryCode: 'campus',
        standardVersionId: oldVersion!.id,
        subjectId: school!.subjectId!,
        regionId: nm!.id,
        regionPath: nm!.path,
        supervisingDept: 'education',
        status: 'conferred',
        form: { content: `申报${Y - 1}年度平安校园`, plan: '去年的创建计划', contactName: '何校长' },
      })
      .returning();
    await db()
      .insert(answers)
      .values(
        allCriteria(old).map((c) => ({
          applicationId: src!.id,
          criterionId: c.id,
          statement: `去年第${c.id}项的自评说明`,
          figures: c.measures.length ? { [c.measures[0]!.id]: { value: 7 } } : {},
          figuresMet: null,
        })),
      );
    await db()
      .insert(evidenceFiles)
      .values({
        applicationId: src!.id,
        criterionId: kept,
        fileName: '去年的台账.pdf',
        contentType: 'application/pdf',
        size: 10,
        sha256: 'x'.repeat(64),
        storageKey: 'nowhere',
        uploadedBy: school!.id,
      });
    Object.assign(w, { source: src!.id, campaign: thisYear!.id, lastCampaign: last!.id, changed, added, kept, doc });
  });
  afterAll(() => s?.close());

  it('the plan: a criterion whose text changed is marked, a new one is marked, the rest is copied', () => {
    const old = structuredClone(w.doc);
    old.groups[0]!.criteria[0]!.points += 1; // points alone do not stop a copy
    const plan = carryForwardPlan(old, w.doc);
    expect(plan.marks).toEqual([]);
    expect(plan.copy).toEqual(allCriteria(w.doc).map((c) => c.id));
  });

  it('offers this year’s open campaign, and copies unchanged criteria while marking the changed and the new', async () => {
    const opts = await call(s, 'school_nm', 'GET', `/api/multiyear/carry-forward/options?applicationId=${w.source}`);
    expect(opts.status).toBe(200);
    expect(opts.body.source).toMatchObject({ applicationId: w.source, year: Y - 1, categoryCode: 'campus' });
    expect(opts.body.campaigns).toContainEqual(expect.objectContaining({ id: w.campaign, year: Y, existingApplicationId: null }));

    const r = await call(s, 'school_nm', 'POST', '/api/multiyear/carry-forward', { applicationId: w.source, campaignId: w.campaign });
    expect(r.status).toBe(201);
    expect(r.body.fromYear).toBe(Y - 1);
    expect(r.body.filesNotCopied).toBe(1);
    expect(r.body.changed).toEqual([
      expect.objectContaining({ criterionId: w.changed, kind: 'changed' }),
      expect.objectContaining({ criterionId: w.added, kind: 'added' }),
    ]);
    expect(r.body.copied).toContain(w.kept);
    expect(r.body.copied).not.toContain(w.changed);
    expect(r.body.copied).toHaveLength(allCriteria(w.doc).length - 2);

    const id = r.body.applicationId as number;
    const [app] = await db().select().from(applications).where(eq(applications.id, id));
    expect(app).toMatchObject({ status: 'draft', campaignId: w.campaign, standardVersionId: expect.any(Number) });
    expect(app!.form).toMatchObject({ plan: '去年的创建计划', contactName: '何校长' });
    const rows = await db().select().from(answers).where(eq(answers.applicationId, id));
    const byId = new Map(rows.map((a) => [a.criterionId, a]));
    expect(byId.get(w.kept)?.statement).toBe(`去年第${w.kept}项的自评说明`);
    expect(byId.has(w.changed)).toBe(false);
    expect(byId.has(w.added)).toBe(false);
    expect(await db().select().from(evidenceFiles).where(eq(evidenceFiles.applicationId, id))).toEqual([]);

    // the applicant's page shows its draft with the marks; the marks outlive the first save
    const detail = await call(s, 'school_nm', 'GET', `/api/applications/${id}`);
    expect(detail.status).toBe(200);
    const answer = detail.body.answers.find((a: { criterionId: string }) => a.criterionId === w.kept);
    expect(answer.statement).toBe(`去年第${w.kept}项的自评说明`);
    expect(detail.body.answers.find((a: { criterionId: string }) => a.criterionId === w.changed)?.statement ?? null).toBeNull();
    const marks = await call(s, 'school_nm', 'GET', `/api/multiyear/carry-forward/marks?applicationId=${id}`);
    expect(marks.body.carriedFrom).toMatchObject({ applicationId: w.source, year: Y - 1 });
    expect(marks.body.changed.map((c: { criterionId: string }) => c.criterionId)).toEqual([w.changed, w.added]);
    expect(marks.body.changed[0].summary).toContain('条文');
    // an application that was not carried forward has no marks
    const none = await call(s, 'school_nm', 'GET', `/api/multiyear/carry-forward/marks?applicationId=${w.source}`);
    expect(none.body).toEqual({ carriedFrom: null, copied: [], changed: [] });

    // once per campaign, category and subject
    const again = await call(s, 'school_nm', 'POST', '/api/multiyear/carry-forward', { applicationId: w.source, campaignId: w.campaign });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('已有此类别的申报');
    const opts2 = await call(s, 'school_nm', 'GET', `/api/multiyear/carry-forward/options?applicationId=${w.source}`);
    expect(opts2.body.campaigns).toContainEqual(expect.objectContaining({ id: w.campaign, existingApplicationId: id }));
    // the draft stays the applicant's: staff do not see it, nor its marks
    expect((await call(s, 'city_office', 'GET', `/api/multiyear/carry-forward/marks?applicationId=${id}`)).status).toBe(404);
  });

  it('only the applicant owning the subject may carry forward; later to earlier is refused', async () => {
    const body = { applicationId: w.source, campaignId: w.campaign };
    const other = await call(s, 'school_dh', 'POST', '/api/multiyear/carry-forward', body);
    expect(other.status).toBe(404);
    expect(other.body.message).toContain('不存在');
    expect((await call(s, 'school_dh', 'GET', `/api/multiyear/carry-forward/options?applicationId=${w.source}`)).status).toBe(404);
    expect((await call(s, 'city_office', 'POST', '/api/multiyear/carry-forward', body)).status).toBe(403);
    const back = await call(s, 'school_nm', 'POST', '/api/multiyear/carry-forward', {
      applicationId: w.source,
      campaignId: w.lastCampaign,
    });
    expect(back.status).toBe(400);
    expect(back.body.message).toContain('以往年度');
    expect(
      (await call(s, 'school_nm', 'POST', '/api/multiyear/carry-forward', { applicationId: w.source, campaignId: 2147483647 })).status,
    ).toBe(404);
    expect((await call(s, 'school_nm', 'POST', '/api/multiyear/carry-forward', { applicationId: 0, campaignId: w.campaign })).status).toBe(
      400,
    );
  });
});
