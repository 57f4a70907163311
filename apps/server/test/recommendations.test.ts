import { publicCode } from '../src/crypto/codes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { Chain, PRESET_000, PRESET_002, PRESET_004 } from '@pingan/core';

/** 004's rules on a chain whose first step (the lead department's review) holds the application. */
const CITY_CHAIN: Chain = Chain.parse({
  preset: 'test-004',
  name: '市级评定（测试）',
  steps: [
    { key: 'lead_review', kind: 'review', phase: 'preliminary', name: '主责部门初评', owner: { kind: 'lead_department' } },
    { key: 'evaluation', kind: 'evaluate', phase: 'evaluation', name: '市综治办检查评定', owner: { kind: 'office', level: 'campaign' } },
  ],
  rules: PRESET_004.rules,
});
/** the county's own naming round */
const COUNTY_CHAIN: Chain = Chain.parse({ ...CITY_CHAIN, preset: 'test-county', name: '县区评定命名（测试）', rules: {} });
import type { Db } from '../src/db/client.js';
import {
  applicationEvents,
  applications,
  campaignCategories,
  campaigns,
  evidenceFiles,
  noticeItems,
  organisations,
  publicNotices,
  regions,
  selections,
  standardVersions,
  standards,
  subjects,
  titles,
  users,
} from '../src/db/schema.js';
import { today } from '../src/modules/applications/service.js';
import { assertNominationRule } from '../src/modules/recommendations/service.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

const YEAR = Number(today().slice(0, 4));

async function regionId(db: Db, name: string): Promise<number> {
  const [r] = await db.select({ id: regions.id }).from(regions).where(eq(regions.name, name));
  return r!.id;
}

async function officeOf(db: Db, region: number): Promise<number> {
  const [o] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.regionId, region), eq(organisations.kind, 'safety_office')));
  return o!.id;
}

async function campusVersion(db: Db): Promise<number> {
  const [v] = await db
    .select({ id: standardVersions.id })
    .from(standardVersions)
    .innerJoin(standards, eq(standards.id, standardVersions.standardId))
    .where(eq(standards.categoryCode, 'campus'))
    .limit(1);
  return v!.id;
}

/** A campaign written directly (the campaigns API is another area's), running `chain`. */
async function campaign(
  db: Db,
  regionName: string,
  name: string,
  chain: Chain,
  categories: { code: string; versionId: number; quota?: number }[],
  year = YEAR,
) {
  const region = await regionId(db, regionName);
  const [c] = await db
    .insert(campaigns)
    .values({
      regionId: region,
      orgId: await officeOf(db, region),
      year,
      name,
      applyDeadline: `${year}-12-20`,
      reviewDeadline: `${year}-12-31`,
      chain,
    })
    .returning();
  for (const x of categories)
    await db
      .insert(campaignCategories)
      .values({ campaignId: c!.id, categoryCode: x.code, standardVersionId: x.versionId, quota: x.quota ?? null });
  return c!;
}

async function subject(db: Db, name: string) {
  const [s] = await db
    .select({ id: subjects.id, regionId: subjects.regionId, path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(eq(subjects.name, name));
  return s!;
}

let certNo = 0;
/** A county application conferred with a title (as the county's naming round would leave it). */
async function countyTitle(
  db: Db,
  c: { id: number; year: number },
  subjectName: string,
  versionId: number,
  opts: { year?: number; revoked?: boolean } = {},
) {
  const s = await subject(db, subjectName);
  const [app] = await db
    .insert(applications)
    .values({
      campaignId: c.id,
      categoryCode: 'campus',
      standardVersionId: versionId,
      subjectId: s.id,
      regionId: s.regionId,
      regionPath: s.path,
      status: 'conferred',
      form: { contact: '张三', phone: '13800000000' } as never,
    })
    .returning();
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'lj_office'));
  await db.insert(evidenceFiles).values({
    applicationId: app!.id,
    criterionId: null,
    fileName: '制度汇编.pdf',
    contentType: 'application/pdf',
    size: 10,
    sha256: 'a'.repeat(64),
    storageKey: `test/${app!.id}.pdf`,
    uploadedBy: u!.id,
  });
  const [t] = await db
    .insert(titles)
    .values({
      applicationId: app!.id,
      subjectId: s.id,
      regionPath: s.path,
      categoryCode: 'campus',
      titleName: '平安校园',
      year: opts.year ?? c.year,
      stars: 0,
      level: 'title',
      issuer: '临江县平安办',
      certificateNo: `TEST-${++certNo}-${app!.id}`,
      conferredOn: `${c.year}-11-30`,
      revokedAt: opts.revoked ? new Date() : null,
      revokeReason: opts.revoked ? '发生重大安全事故' : null,
    })
    .returning();
  return t!;
}

describe.each(DB_KINDS)('recommendations, nominations and selections (%s)', (kind) => {
  let s: TestServer;
  let db: Db;
  let version: number;
  let city: { id: number };
  let county: { id: number; year: number };
  const t: Record<string, { id: number }> = {};

  beforeAll(async () => {
    s = await getTestServer(kind);
    db = s.database.db;
    version = await campusVersion(db);
    city = await campaign(db, '云州市', '云州市平安校园市级评定', CITY_CHAIN, [{ code: 'campus', versionId: version }]);
    county = await campaign(db, '临江县', '临江县平安校园评定命名', COUNTY_CHAIN, [{ code: 'campus', versionId: version }]);
    await db.update(campaigns).set({ parentCampaignId: city.id }).where(eq(campaigns.id, county.id));
    t.baisha = await countyTitle(db, county, '临江县白沙镇中心小学', version);
    t.jiangbin = await countyTitle(db, county, '临江县第二中学', version);
    t.revoked = await countyTitle(db, county, '临江县白沙镇卫生院', version, { revoked: true });
    const lastYear = await campaign(db, '临江县', '临江县上年评定命名', COUNTY_CHAIN, [{ code: 'campus', versionId: version }], YEAR - 1);
    t.lastYear = await countyTitle(db, lastYear, '临江县人民医院', version);
    // the city office gives 临江县 one place for 平安校园
    const linjiang = await regionId(db, '临江县');
    const put = await call(s, 'city_office', 'PUT', `/api/campaigns/${city.id}/quotas`, {
      rows: [{ regionId: linjiang, deptCode: null, categoryCode: 'campus', count: 1 }],
    });
    expect(put.status).toBe(200);
  }, 120_000);
  afterAll(async () => s?.close());

  it('the county office sees its quota, the rules and its titles eligible this year', async () => {
    const r = await call(s, 'lj_office', 'GET', `/api/campaigns/${city.id}/recommendations`);
    expect(r.status).toBe(200);
    expect(r.body.role).toBe('recommender');
    expect(r.body.quotas).toEqual([expect.objectContaining({ categoryCode: 'campus', count: 1, used: 0 })]);
    expect(r.body.rules.join()).toContain('推荐对象须已获得县区级命名');
    const ids = r.body.eligible.map((e: any) => e.titleId);
    expect(ids).toEqual(expect.arrayContaining([t.baisha!.id, t.jiangbin!.id]));
    expect(ids).not.toContain(t.lastYear!.id);
    expect(ids).not.toContain(t.revoked!.id);
    expect(r.body.eligible.find((e: any) => e.titleId === t.baisha!.id).problem).toBeNull();
  });

  it('pages the eligible titles and searches them by the unit’s name, with the total', async () => {
    const url = `/api/campaigns/${city.id}/recommendations`;
    const all = await call(s, 'lj_office', 'GET', url);
    const total = all.body.eligibleTotal;
    expect(total).toBe(all.body.eligible.length);
    expect(total).toBeGreaterThanOrEqual(2);
    const first = await call(s, 'lj_office', 'GET', `${url}?limit=1&offset=0`);
    const second = await call(s, 'lj_office', 'GET', `${url}?limit=1&offset=1`);
    expect(first.body.eligible).toHaveLength(1);
    expect(second.body.eligible).toHaveLength(1);
    expect(first.body.eligibleTotal).toBe(total);
    expect(second.body.eligible[0].titleId).not.toBe(first.body.eligible[0].titleId);
    const past = await call(s, 'lj_office', 'GET', `${url}?limit=1&offset=${total}`);
    expect(past.body.eligible).toEqual([]);
    expect(past.body.eligibleTotal).toBe(total);
    const found = await call(s, 'lj_office', 'GET', `${url}?q=${encodeURIComponent('白沙镇中心')}`);
    expect(found.body.eligible.map((e: any) => e.titleId)).toContain(t.baisha!.id);
    expect(found.body.eligible.every((e: any) => e.subjectName.includes('白沙镇中心'))).toBe(true);
    expect(found.body.eligibleTotal).toBe(found.body.eligible.length);
    expect(found.body.eligibleTotal).toBeLessThan(total);
    // LIKE's wildcards are searched as themselves
    for (const q of ['%', '_']) {
      const w = await call(s, 'lj_office', 'GET', `${url}?q=${encodeURIComponent(q)}`);
      expect(w.status).toBe(200);
      expect(w.body.eligibleTotal).toBe(0);
    }
    expect((await call(s, 'lj_office', 'GET', `${url}?limit=501`)).status).toBe(400);
  });

  it('a unit without a county title this year is refused with the rule named', async () => {
    for (const id of [t.revoked!.id, t.lastYear!.id]) {
      const r = await call(s, 'lj_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: id });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('RULE_BROKEN');
      expect(r.body.details.rule).toBe('推荐对象须已获得县区级命名');
      expect(r.body.message).toContain('推荐对象须已获得县区级命名');
    }
  });

  it('recommends within quota: the application enters the city campaign with the county content', async () => {
    const r = await call(s, 'lj_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.baisha!.id });
    expect(r.status).toBe(201);
    expect(r.body.copied.files).toBe(1);
    const [app] = await db.select().from(applications).where(eq(applications.id, r.body.id));
    expect(app!.campaignId).toBe(city.id);
    expect(app!.lowerTitleId).toBe(t.baisha!.id);
    expect(app!.recommendedByOrgId).toBe(await officeOf(db, await regionId(db, '临江县')));
    expect(['submitted', 'preliminary_passed']).toContain(app!.status);
    expect(app!.step).not.toBeNull();
    expect((app!.form as Record<string, unknown>).contact).toBe('张三');
    const files = await db.select().from(evidenceFiles).where(eq(evidenceFiles.applicationId, app!.id));
    expect(files.map((f) => f.storageKey)).toEqual([expect.stringMatching(/^test\/\d+\.pdf$/)]);
    const events = await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app!.id));
    expect(events.map((e) => e.action)).toContain('recommend');
    // the same unit twice is a duplicate, not a second place
    const again = await call(s, 'lj_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.baisha!.id });
    expect(again.status).toBe(409);
  });

  it('refuses the recommendation over quota, naming the rule', async () => {
    const r = await call(s, 'lj_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.jiangbin!.id });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('RULE_BROKEN');
    expect(r.body.details.rule).toBe('按比例（见附件）向市综治办推荐申报');
    expect(r.body.message).toContain('推荐名额1个，已推荐1个');
    const list = await call(s, 'lj_office', 'GET', `/api/campaigns/${city.id}/recommendations`);
    expect(list.body.quotas[0].used).toBe(1);
    expect(list.body.recommendations).toHaveLength(1);
    expect(list.body.eligible.find((e: any) => e.titleId === t.jiangbin!.id).problem.rule).toBe('按比例（见附件）向市综治办推荐申报');
  });

  it('the city office sees every recommendation; other regions and departments get 404', async () => {
    const office = await call(s, 'city_office', 'GET', `/api/campaigns/${city.id}/recommendations`);
    expect(office.body.role).toBe('office');
    expect(office.body.recommendations).toHaveLength(1);
    expect(office.body.recommendations[0].recommendedByName).toBe('临江县平安办');
    // a department of another region (not an office, not of the city)
    for (const [m, u, b] of [
      ['GET', `/api/campaigns/${city.id}/recommendations`, undefined],
      ['GET', `/api/campaigns/${city.id}/quotas`, undefined],
      ['POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.jiangbin!.id }],
    ] as const) {
      const r = await call(s, 'qs_edu', m, u, b);
      expect(r.status).toBe(404);
    }
    // 青山区's office may recommend into the city campaign, but not 临江县's units
    const qs = await call(s, 'qs_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.jiangbin!.id });
    expect(qs.status).toBe(404);
    // a lead department of the city recommends within its own (table 2) quota: it has none here
    const edu = await call(s, 'city_edu', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.jiangbin!.id });
    expect(edu.status).toBe(422);
    expect(edu.body.details.rule).toBe('按比例（见附件）向市综治办推荐申报');
    expect(edu.body.message).toContain('没有推荐名额');
    // the city office does not recommend into its own campaign
    expect((await call(s, 'city_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.jiangbin!.id })).status).toBe(
      403,
    );
  });

  it('withdrawing a recommendation at the first step gives the place back', async () => {
    const list = await call(s, 'lj_office', 'GET', `/api/campaigns/${city.id}/recommendations`);
    const rec = list.body.recommendations[0];
    const noReason = await call(s, 'lj_office', 'DELETE', `/api/campaigns/${city.id}/recommendations/${rec.id}`, { reason: '' });
    expect(noReason.status).toBe(400);
    expect(rec.step).toBe(CITY_CHAIN.steps[0]!.key);
    const other = await call(s, 'qs_office', 'DELETE', `/api/campaigns/${city.id}/recommendations/${rec.id}`, { reason: '越权撤回' });
    expect(other.status).toBe(404);
    const w = await call(s, 'lj_office', 'DELETE', `/api/campaigns/${city.id}/recommendations/${rec.id}`, {
      reason: '材料需补充，撤回后重报',
    });
    expect(w.status).toBe(200);
    const twice = await call(s, 'lj_office', 'DELETE', `/api/campaigns/${city.id}/recommendations/${rec.id}`, { reason: '再次撤回' });
    expect(twice.status).toBe(409);
    const r = await call(s, 'lj_office', 'POST', `/api/campaigns/${city.id}/recommendations`, { titleId: t.jiangbin!.id });
    expect(r.status).toBe(201);
  });

  it('002 nominations: at least twice the award quota, with the source sentence; evaluation refused until met', async () => {
    const c = await campaign(db, '云州市', '云州市十大平安表彰', PRESET_002, [{ code: 'campus', versionId: version, quota: 3 }]);
    const r = await call(s, 'city_office', 'GET', `/api/campaigns/${c.id}/nominations`);
    expect(r.status).toBe(200);
    expect(r.body.factor).toBe(2);
    expect(r.body.categories[0]).toEqual(
      expect.objectContaining({
        awardQuota: 3,
        nominated: 0,
        required: 6,
        met: false,
        message: '按照不低于表彰名额2倍的要求做好推荐申报：表彰名额3个，至少须推荐6个，现有0个',
      }),
    );
    await expect(assertNominationRule(db, c.id, 'campus')).rejects.toMatchObject({ code: 'RULE_BROKEN' });
    // any subjects will do: a nomination is an application of the category
    const pool = await db
      .select({ id: subjects.id, regionId: subjects.regionId, path: regions.path })
      .from(subjects)
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .orderBy(subjects.id)
      .limit(7);
    expect(pool).toHaveLength(7);
    const statuses = ['submitted', 'preliminary_passed', 'evaluated', 'submitted', 'submitted', 'returned'] as const;
    for (const [i, x] of pool.slice(0, 6).entries())
      await db.insert(applications).values({
        campaignId: c.id,
        categoryCode: 'campus',
        standardVersionId: version,
        subjectId: x.id,
        regionId: x.regionId,
        regionPath: x.path,
        status: statuses[i]!,
      });
    const five = await call(s, 'city_office', 'GET', `/api/campaigns/${c.id}/nominations`);
    expect(five.body.categories[0].nominated).toBe(5);
    expect(five.body.categories[0].met).toBe(false);
    const x = pool[6]!;
    await db.insert(applications).values({
      campaignId: c.id,
      categoryCode: 'campus',
      standardVersionId: version,
      subjectId: x.id,
      regionId: x.regionId,
      regionPath: x.path,
      status: 'submitted',
    });
    const six = await call(s, 'city_office', 'GET', `/api/campaigns/${c.id}/nominations`);
    expect(six.body.categories[0]).toEqual(expect.objectContaining({ nominated: 6, met: true }));
    await expect(assertNominationRule(db, c.id, 'campus')).resolves.toBeUndefined();
  });

  it('000 selection: picks within capacity, keeps the ranking and reasons, asks the office to break a tie', async () => {
    const c = await campaign(db, '云州市', '云州市星级评选', PRESET_000, [{ code: 'campus', versionId: version }]);
    const names = ['云州市南门实验小学', '青山区东湖中学', '临江县白沙镇中心小学', '临江县第二中学'];
    const ids: number[] = [];
    for (const n of names) {
      const x = await subject(db, n);
      const [a] = await db
        .insert(applications)
        .values({
          campaignId: c.id,
          categoryCode: 'campus',
          standardVersionId: version,
          subjectId: x.id,
          regionId: x.regionId,
          regionPath: x.path,
          status: 'evaluated',
        })
        .returning();
      ids.push(a!.id);
    }
    /** the stored ratings the selection reads (refreshed afterwards from the real reviews) */
    const setRatings = async (scores: number[], starsByPoints = [4, 4, 4, 4]) => {
      for (const [i, id] of ids.entries())
        await db
          .update(applications)
          .set({ score: scores[i]!, stars: starsByPoints[i]!, rating: { starsByPoints: starsByPoints[i]!, vetoed: [] } as never })
          .where(eq(applications.id, id));
    };
    await setRatings([90, 80, 85, 70], [4, 4, 4, 3]);
    const run = await call(s, 'city_office', 'POST', `/api/campaigns/${c.id}/selections`, { categoryCode: 'campus', capacity: 2 });
    expect(run.status).toBe(201);
    expect(run.body.ranking.map((x: any) => [x.applicationId, x.rank, x.selected])).toEqual([
      [ids[0], 1, true],
      [ids[2], 2, true],
      [ids[1], 3, false],
    ]);
    expect(run.body.ranking[2].reason).toContain('超出评选名额2个');
    const sel = await db
      .select({ id: applications.id, selected: applications.selected })
      .from(applications)
      .where(inArray(applications.id, ids));
    expect(Object.fromEntries(sel.map((x) => [x.id, x.selected]))).toEqual({
      [ids[0]!]: true,
      [ids[1]!]: false,
      [ids[2]!]: true,
      [ids[3]!]: null,
    });
    const list = await call(s, 'city_office', 'GET', `/api/campaigns/${c.id}/selections`);
    expect(list.body.selections).toHaveLength(1);
    expect(list.body.selections[0].ranking[0].subjectName).toBe('云州市南门实验小学');
    // only the office runs or reads it
    expect((await call(s, 'lj_office', 'POST', `/api/campaigns/${c.id}/selections`, { categoryCode: 'campus', capacity: 2 })).status).toBe(
      404,
    );

    // a tie at the cut-off is not dropped silently
    await setRatings([90, 85, 85, 70], [4, 4, 4, 3]);
    const tie = await call(s, 'city_office', 'POST', `/api/campaigns/${c.id}/selections`, { categoryCode: 'campus', capacity: 2 });
    expect(tie.status).toBe(422);
    expect(tie.body.message).toContain('请平安办确定');
    expect(tie.body.details.tie.applicationIds.sort()).toEqual([ids[1], ids[2]].sort());
    const broken = await call(s, 'city_office', 'POST', `/api/campaigns/${c.id}/selections`, {
      categoryCode: 'campus',
      capacity: 2,
      tieBreak: [ids[1], ids[2]],
    });
    expect(broken.status).toBe(201);
    expect(broken.body.ranking.filter((x: any) => x.selected).map((x: any) => x.applicationId)).toEqual([ids[0], ids[1]]);
    expect(await db.select().from(selections).where(eq(selections.campaignId, c.id))).toHaveLength(1);

    // once a selected one is on a notice, the selection stands
    const [office] = await db
      .select()
      .from(organisations)
      .where(eq(organisations.id, (await db.select().from(campaigns).where(eq(campaigns.id, c.id)))[0]!.orgId));
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'city_office'));
    const [n] = await db
      .insert(publicNotices)
      .values({
        campaignId: c.id,
        regionId: office!.regionId,
        orgId: office!.id,
        title: '星级评选公示',
        startsOn: `${YEAR}-12-01`,
        endsOn: `${YEAR}-12-08`,
        publishedBy: u!.id,
        publicCode: publicCode(),
      })
      .returning();
    await db.insert(noticeItems).values({ noticeId: n!.id, applicationId: ids[0]!, publicCode: publicCode() });
    await setRatings([90, 85, 85, 70], [4, 4, 4, 3]);
    const late = await call(s, 'city_office', 'POST', `/api/campaigns/${c.id}/selections`, { categoryCode: 'campus', capacity: 3 });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('公示');
  });
});
