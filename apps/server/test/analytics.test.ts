import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import {
  applications,
  campaignCategories,
  campaigns,
  organisations,
  regionIndicators,
  regionRankings,
  regionSanctions,
  regions,
  subjects,
  surveyResponses,
  surveyTargets,
  surveys,
  titles,
} from '../src/db/schema.js';
import { today } from '../src/clock.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * 数据分析 (issue 8): on a small world of its own under 云州市 (测试县 with 甲镇 and 乙镇), the
 * figures are counted exactly (subjects by kind, applications by status without drafts, titles in
 * force, coverage, pass rate), per year; departments see their categories only; other offices get
 * 404; the lists open in Excel with the same rows.
 */
describe.each(DB_KINDS)('analytics on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  const Y = Number(today().slice(0, 4));
  const w = {} as {
    county: number;
    townA: number;
    townB: number;
    u1: number;
    u2: number;
    u3: number;
    u4: number;
    h1: number;
    ranking: number;
  };

  const region = async (name: string, level: 'county' | 'town', parentId: number, parentPath: string) => {
    const [r] = await db().insert(regions).values({ name, level, parentId }).returning();
    const path = `${parentPath}${r!.id}/`;
    await db().update(regions).set({ path }).where(eq(regions.id, r!.id));
    return { id: r!.id, path };
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    const [city] = await db().select().from(regions).where(eq(regions.name, '云州市'));
    const [office] = await db().select().from(organisations).where(eq(organisations.name, '云州市平安办'));
    const county = await region('测试县', 'county', city!.id, city!.path);
    const townA = await region('甲镇', 'town', county.id, county.path);
    const townB = await region('乙镇', 'town', county.id, county.path);
    const subject = async (name: string, r: { id: number }, k: 'unit' | 'household', dept: string | null) =>
      (await db().insert(subjects).values({ name, kind: k, regionId: r.id, supervisingDept: dept }).returning())[0]!.id;
    const u1 = await subject('甲镇第一小学', townA, 'unit', 'education');
    const u2 = await subject('甲镇第二小学', townA, 'unit', 'education');
    const u3 = await subject('甲镇卫生院', townA, 'unit', 'health');
    const h1 = await subject('甲镇某家庭', townA, 'household', null);
    const u4 = await subject('乙镇中学', townB, 'unit', 'education');
    Object.assign(w, { county: county.id, townA: townA.id, townB: townB.id, u1, u2, u3, u4, h1 });

    // this year's campaign (the demo's) and last year's, made here
    const [thisYear] = await db()
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.regionId, city!.id), eq(campaigns.year, Y)));
    const cats = await db().select().from(campaignCategories).where(eq(campaignCategories.campaignId, thisYear!.id));
    const version = (code: string) => cats.find((c) => c.categoryCode === code)!.standardVersionId;
    const [lastYear] = await db()
      .insert(campaigns)
      .values({
        regionId: city!.id,
        orgId: office!.id,
        year: Y - 1,
        name: `云州市${Y - 1}年测试活动`,
        applyDeadline: `${Y - 1}-12-20`,
        reviewDeadline: `${Y - 1}-12-31`,
      })
      .returning();
    await db()
      .insert(campaignCategories)
      .values({ campaignId: lastYear!.id, categoryCode: 'campus', standardVersionId: version('campus') });

    const pathOf = (id: number) => (id === u4 ? townB.path : townA.path);
    const regionOf = (id: number) => (id === u4 ? townB.id : townA.id);
    const app = async (subjectId: number, campaignId: number, cat: string, status: string, dept: string | null) =>
      (
        await db()
          .insert(applications)
          .values({
            campaignId,
            categoryCode: cat,
            standardVersionId: version(cat),
            subjectId,
            regionId: regionOf(subjectId),
            regionPath: pathOf(subjectId),
            supervisingDept: dept,
            status: status as 'draft',
          })
          .returning()
      )[0]!.id;
    let cert = 0;
    const title = async (applicationId: number, subjectId: number, year: number, status: 'valid' | 'revoked', validUntil: string) =>
      db()
        .insert(titles)
        .values({
          applicationId,
          subjectId,
          regionPath: pathOf(subjectId),
          categoryCode: 'campus',
          titleName: '平安校园',
          year,
          stars: 0,
          level: 'title',
          issuer: '云州市平安办',
          certificateNo: `ANALYTICS-${kind}-${++cert}`,
          conferredOn: `${year}-12-01`,
          status,
          validUntil,
        });
    // this year: u1 conferred, u2 rejected, u3 a draft (never counted), h1 submitted, u4 conferred
    await title(await app(u1, thisYear!.id, 'campus', 'conferred', 'education'), u1, Y, 'valid', `${Y + 1}-12-31`);
    await app(u2, thisYear!.id, 'campus', 'rejected', 'education');
    await app(u3, thisYear!.id, 'hospital', 'draft', 'health');
    await app(h1, thisYear!.id, 'family', 'submitted', null);
    await title(await app(u4, thisYear!.id, 'campus', 'conferred', 'education'), u4, Y, 'valid', `${Y + 1}-12-31`);
    // last year: u1 conferred (title still in force to the end of this year), u4 conferred but revoked, u2 rejected
    await title(await app(u1, lastYear!.id, 'campus', 'conferred', 'education'), u1, Y - 1, 'valid', `${Y}-12-31`);
    await title(await app(u4, lastYear!.id, 'campus', 'conferred', 'education'), u4, Y - 1, 'revoked', `${Y}-12-31`);
    await app(u2, lastYear!.id, 'campus', 'rejected', 'education');

    // a published ranking of the city's counties with cards, a draft one, and a published one of 测试县's towns
    const row = (regionId: number, name: string, rank: number, cards: Partial<Record<'yellowCard' | 'veto' | 'ineligible', boolean>>) => ({
      regionId,
      region: name,
      score: 100 - rank * 10,
      rank,
      components: [{ indicator: 'two_rates_one_degree', value: 0.9 - rank / 100, points: 50 - rank, source: 'survey' }],
      yellowCard: !!cards.yellowCard,
      veto: !!cards.veto,
      lastStreak: cards.veto ? 3 : 0,
      ineligible: !!cards.ineligible,
      reasons: cards.veto ? ['连续三年排名末位'] : [],
    });
    // the demo's own three years of rankings give way to the ones this world sets out by hand
    await db().delete(regionSanctions);
    await db().delete(regionRankings);
    const components = [{ indicator: 'two_rates_one_degree', label: '两率一度', weight: 50, better: 'higher' as const }];
    const [pub] = await db()
      .insert(regionRankings)
      .values({
        scopeRegionId: city!.id,
        level: 'county',
        year: Y - 1,
        components,
        rows: [row(w.county, '测试县', 3, { yellowCard: true, veto: true, ineligible: true }), row(city!.id + 1, '青山区', 1, {})],
        status: 'published',
        publishedAt: new Date(),
      })
      .returning();
    w.ranking = pub!.id;
    await db()
      .insert(regionRankings)
      .values({ scopeRegionId: city!.id, level: 'county', year: Y, components, rows: [row(w.county, '测试县', 1, {})], status: 'draft' });
    await db()
      .insert(regionRankings)
      .values({
        scopeRegionId: w.county,
        level: 'town',
        year: Y - 1,
        components,
        rows: [row(w.townA, '甲镇', 1, {}), row(w.townB, '乙镇', 2, { yellowCard: true })],
        status: 'published',
        publishedAt: new Date(),
      });

    // a survey of this year: targets 100 for 甲镇 and 50 for 乙镇, 3 + 1 answers, 甲镇's favourable share
    const [survey] = await db()
      .insert(surveys)
      .values({
        publicCode: `AN${kind}`,
        regionId: city!.id,
        orgId: office!.id,
        year: Y,
        title: '两率一度测评',
        kind: 'two_rates_one_degree',
        questions: [],
      })
      .returning();
    await db()
      .insert(surveyTargets)
      .values([
        { surveyId: survey!.id, regionId: townA.id, target: 100 },
        { surveyId: survey!.id, regionId: townB.id, target: 50 },
      ]);
    await db()
      .insert(surveyResponses)
      .values([
        ...[1, 2, 3].map((i) => ({ surveyId: survey!.id, regionId: townA.id, respondentHash: `a${i}`, answers: {} })),
        { surveyId: survey!.id, regionId: townB.id, respondentHash: 'b1', answers: {} },
      ]);
    await db()
      .insert(regionIndicators)
      .values([
        { regionId: townA.id, year: Y, indicator: 'two_rates_one_degree', value: 0.92, source: 'survey', sourceRef: `AN${kind}` },
        { regionId: townA.id, year: Y, indicator: 'inspection_score', value: 88, source: 'manual' },
        { regionId: w.county, year: Y - 1, indicator: 'coverage', value: 0.4, source: 'computed', sourceRef: 'applications' },
        { regionId: w.county, year: Y, indicator: 'coverage', value: 0.8, source: 'computed', sourceRef: 'applications' },
        { regionId: w.county, year: Y, indicator: 'two_rates_one_degree', value: 0.91, source: 'survey', sourceRef: `AN${kind}` },
      ]);
  });
  afterAll(() => s?.close());

  const get = (user: string, url: string) => call(s, user, 'GET', url);
  const xlsx = async (user: string, url: string) => {
    const res = await s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };

  it('counts a region and its subregions for a year: subjects, applications without drafts, titles, coverage, pass rate', async () => {
    const r = await get('city_office', `/api/analytics/drilldown?regionId=${w.county}&year=${Y}`);
    expect(r.status).toBe(200);
    const d = r.body;
    expect(d.breadcrumb.map((b: { name: string }) => b.name)).toEqual(['云州市', '测试县']);
    expect(d.region).toMatchObject({ name: '测试县', level: 'county', hasChildren: true });
    expect(d.figures.subjects).toEqual({ unit: 4, household: 1, individual: 0, region: 0, total: 5 });
    expect(d.figures.applications).toEqual({ conferred: 2, rejected: 1, submitted: 1 });
    expect(d.figures).toMatchObject({
      applicationsTotal: 4,
      covered: 4,
      coverage: 0.8,
      conferred: 2,
      decided: 3,
      passRate: 0.6667,
      titlesInForce: 3,
    });
    const byName = Object.fromEntries(d.children.map((c: { region: { name: string } }) => [c.region.name, c]));
    expect(Object.keys(byName)).toEqual(['甲镇', '乙镇']);
    expect(byName['甲镇'].figures).toMatchObject({ applicationsTotal: 3, covered: 3, coverage: 0.75, passRate: 0.5, titlesInForce: 2 });
    expect(byName['甲镇'].figures.subjects.total).toBe(4);
    expect(byName['乙镇'].figures).toMatchObject({ applicationsTotal: 1, covered: 1, coverage: 1, passRate: 1, titlesInForce: 1 });
    expect(byName['乙镇'].region.hasChildren).toBe(false);
    expect(d.years).toEqual(expect.arrayContaining([Y, Y - 1]));

    // last year: three decided, two conferred; the revoked title is not in force
    const last = (await get('city_office', `/api/analytics/drilldown?regionId=${w.county}&year=${Y - 1}`)).body;
    expect(last.figures).toMatchObject({ applicationsTotal: 3, covered: 3, coverage: 0.6, passRate: 0.6667, titlesInForce: 1 });

    // the account's own region by default: the city, whose children are the demo's counties and ours
    const own = (await get('city_office', '/api/analytics/drilldown')).body;
    expect(own.region.name).toBe('云州市');
    expect(own.children.map((c: { region: { name: string } }) => c.region.name)).toEqual(['青山区', '临江县', '测试县']);
    expect(own.year).toBe(Y);
  });

  it('limits a department to its categories and the units it supervises', async () => {
    const d = (await get('city_edu', `/api/analytics/drilldown?regionId=${w.county}&year=${Y}`)).body;
    // 甲镇卫生院 (health) and the household are not the education bureau's
    expect(d.figures.subjects).toMatchObject({ unit: 3, household: 0, total: 3 });
    expect(d.figures.applications).toEqual({ conferred: 2, rejected: 1 });
    expect(d.figures).toMatchObject({ covered: 3, coverage: 1, titlesInForce: 3 });
    const units = (await get('city_edu', `/api/analytics/units?regionId=${w.townA}`)).body;
    expect(units.items.map((u: { name: string }) => u.name).sort()).toEqual(['甲镇第一小学', '甲镇第二小学']);
    expect((await get('city_edu', `/api/analytics/unit-history?subjectId=${w.h1}`)).status).toBe(404);
    expect((await get('city_health', `/api/analytics/unit-history?subjectId=${w.u1}`)).status).toBe(404);
  });

  it('refuses regions and units outside the account’s scope with 404, and other roles with 403', async () => {
    for (const url of [
      `/api/analytics/drilldown?regionId=${w.county}`,
      `/api/analytics/units?regionId=${w.townA}`,
      `/api/analytics/unit-history?subjectId=${w.u1}`,
      `/api/analytics/category-years?regionId=${w.county}`,
      `/api/analytics/trends?regionId=${w.county}`,
      `/api/analytics/surveys?regionId=${w.county}`,
      `/api/analytics/region-years?regionId=${w.county}`,
      `/api/analytics/drilldown?regionId=${w.county}&format=xlsx`,
      `/api/analytics/ranking?scopeRegionId=${w.county}`,
    ]) {
      const r = await get('qs_office', url);
      expect(r.status, url).toBe(404);
      expect(r.body.message).toContain('不存在');
    }
    // the city above is not the county office's to open either
    const [city] = await db().select().from(regions).where(eq(regions.name, '云州市'));
    expect((await get('lj_office', `/api/analytics/drilldown?regionId=${city!.id}`)).status).toBe(404);
    expect((await get('school_nm', '/api/analytics/drilldown')).status).toBe(403);
    expect((await get('expert_zhou', '/api/analytics/trends')).status).toBe(403);
    expect((await get('city_office', '/api/analytics/drilldown?year=1999')).status).toBe(400);
    expect((await get('city_office', '/api/analytics/units?limit=100000')).status).toBe(400);
  });

  it('lists a subtree’s units, searchable and paged, with the latest application and title; a unit across years', async () => {
    const p1 = (await get('city_office', `/api/analytics/units?regionId=${w.townA}&limit=2`)).body;
    expect(p1.total).toBe(4);
    expect(p1.items).toHaveLength(2);
    const p2 = (await get('city_office', `/api/analytics/units?regionId=${w.townA}&limit=2&offset=2`)).body;
    expect(new Set([...p1.items, ...p2.items].map((u: { subjectId: number }) => u.subjectId)).size).toBe(4);
    const found = (await get('city_office', `/api/analytics/units?regionId=${w.county}&q=${encodeURIComponent('第一')}`)).body;
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({
      name: '甲镇第一小学',
      regionName: '甲镇',
      latestYear: Y,
      latestStatus: 'conferred',
      titleYear: Y,
      titleStatus: 'valid',
    });
    // the draft is the applicant's: staff see no application for 甲镇卫生院
    const clinic = (await get('city_office', `/api/analytics/units?regionId=${w.county}&q=${encodeURIComponent('卫生院')}`)).body.items[0];
    expect(clinic).toMatchObject({ latestStatus: null, latestYear: null });

    const h = (await get('city_office', `/api/analytics/unit-history?subjectId=${w.u4}`)).body;
    expect(h.subject.name).toBe('乙镇中学');
    expect(h.breadcrumb.map((b: { name: string }) => b.name)).toEqual(['云州市', '测试县', '乙镇']);
    expect(h.years.map((y: { year: number }) => y.year)).toEqual([Y, Y - 1]);
    expect(h.years[1].applications[0]).toMatchObject({ status: 'conferred', categoryCode: 'campus' });
    expect(h.years[1].titles[0]).toMatchObject({ status: 'revoked' });
  });

  it('gives the category × year matrix and the trends over years', async () => {
    const m = (await get('city_office', `/api/analytics/category-years?regionId=${w.county}`)).body;
    expect(m.years).toEqual([Y - 1, Y]);
    expect(m.categories.map((c: { code: string }) => c.code).sort()).toEqual(['campus', 'family']);
    const cell = (c: string, y: number) =>
      m.cells.find((x: { categoryCode: string; year: number }) => x.categoryCode === c && x.year === y);
    expect(cell('campus', Y)).toMatchObject({ applications: 3, titles: 2 });
    expect(cell('campus', Y - 1)).toMatchObject({ applications: 3, titles: 2 });
    expect(cell('family', Y)).toMatchObject({ applications: 1, titles: 0 });
    expect(cell('hospital', Y)).toBeUndefined();

    const t = (await get('city_office', `/api/analytics/trends?regionId=${w.county}`)).body;
    expect(t.items).toEqual([
      { year: Y - 1, applications: 3, titles: 2, conferred: 2, decided: 3, passRate: 0.6667 },
      { year: Y, applications: 4, titles: 2, conferred: 2, decided: 3, passRate: 0.6667 },
    ]);
  });

  it('reads the published ranking with its cards, never a draft; survey progress and a region across years', async () => {
    const r = (await get('city_office', `/api/analytics/ranking?level=county&year=${Y - 1}`)).body;
    expect(r.ranking.id).toBe(w.ranking);
    expect(r.ranking.rows.map((x: { region: string }) => x.region)).toEqual(['青山区', '测试县']);
    expect(r.ranking.rows[1]).toMatchObject({ rank: 3, yellowCard: true, veto: true, ineligible: true, reasons: ['连续三年排名末位'] });
    // this year's ranking is a draft: not there
    expect((await get('city_office', `/api/analytics/ranking?level=county&year=${Y}`)).body.ranking).toBeNull();
    // a county office reads the city's ranking it is ranked in, not another county's
    const qs = (await get('qs_office', '/api/analytics/ranking')).body;
    expect(qs.available).toContainEqual({ scopeRegionId: expect.any(Number), scopeRegionName: '云州市', level: 'county', year: Y - 1 });
    expect(qs.available.map((a: { scopeRegionName: string }) => a.scopeRegionName)).not.toContain('测试县');
    const towns = (await get('city_office', `/api/analytics/ranking?scopeRegionId=${w.county}`)).body;
    expect(towns.ranking.rows.find((x: { region: string }) => x.region === '乙镇').yellowCard).toBe(true);

    const sv = (await get('city_office', `/api/analytics/surveys?regionId=${w.county}&year=${Y}`)).body;
    expect(
      sv.items.map((i: { region: { name: string }; target: number; responses: number; progress: number }) => [
        i.region.name,
        i.target,
        i.responses,
        i.progress,
      ]),
    ).toEqual([
      ['甲镇', 100, 3, 0.03],
      ['乙镇', 50, 1, 0.02],
    ]);
    // only figures taken from a survey are its results
    expect(sv.items[0].indicators).toEqual([expect.objectContaining({ indicator: 'two_rates_one_degree', value: 0.92, source: 'survey' })]);

    const ry = (await get('city_office', `/api/analytics/region-years?regionId=${w.county}`)).body;
    expect(ry.years).toEqual([Y - 1, Y]);
    const cov = ry.indicators.find((i: { indicator: string }) => i.indicator === 'coverage');
    expect(cov.values.map((v: { year: number; value: number; source: string }) => [v.year, v.value, v.source])).toEqual([
      [Y - 1, 0.4, 'computed'],
      [Y, 0.8, 'computed'],
    ]);
  });

  it('answers every list as an Excel file with the same rows', async () => {
    const d = await xlsx('city_office', `/api/analytics/drilldown?regionId=${w.county}&year=${Y}&format=xlsx`);
    expect(d[0]![0]).toBe('区域');
    expect(d.slice(1).map((r) => r[0])).toEqual(['测试县（合计）', '甲镇', '乙镇']);
    expect(d[1]![5]).toBe(5); // subjects
    expect(d[1]![6]).toBe(4); // applications
    expect(d[1]![11]).toBe(80); // coverage %
    const u = await xlsx('city_office', `/api/analytics/units?regionId=${w.townA}&format=xlsx`);
    expect(
      u
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['甲镇卫生院', '甲镇某家庭', '甲镇第一小学', '甲镇第二小学'].sort());
    const h = await xlsx('city_office', `/api/analytics/unit-history?subjectId=${w.u1}&format=xlsx`);
    expect(h.slice(1).map((r) => [r[0], r[1]])).toEqual([
      [Y, '申报'],
      [Y, '称号'],
      [Y - 1, '申报'],
      [Y - 1, '称号'],
    ]);
    const t = await xlsx('city_office', `/api/analytics/trends?regionId=${w.county}&format=xlsx`);
    expect(t.slice(1).map((r) => r[0])).toEqual([Y - 1, Y]);
    const m = await xlsx('city_office', `/api/analytics/category-years?regionId=${w.county}&format=xlsx`);
    expect(m).toHaveLength(4);
    const r = await xlsx('city_office', `/api/analytics/ranking?scopeRegionId=${w.county}&format=xlsx`);
    expect(r.slice(1).map((x) => [x[0], x[1], x[4]])).toEqual([
      [1, '甲镇', ''],
      [2, '乙镇', '是'],
    ]);
    const sv = await xlsx('city_office', `/api/analytics/surveys?regionId=${w.county}&year=${Y}&format=xlsx`);
    expect(sv.slice(1).map((x) => [x[0], x[1], x[2]])).toEqual([
      ['甲镇', 100, 3],
      ['乙镇', 50, 1],
    ]);
    const ry = await xlsx('city_office', `/api/analytics/region-years?regionId=${w.county}&format=xlsx`);
    expect(ry).toHaveLength(4);
    // the department's Excel holds only what it sees
    const edu = await xlsx('city_edu', `/api/analytics/units?regionId=${w.townA}&format=xlsx`);
    expect(edu).toHaveLength(3);
  });
});
