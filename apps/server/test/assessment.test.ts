import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { parseStandard } from '@pingan/core';
import {
  answers,
  applications,
  campaignCategories,
  campaigns,
  incidents,
  inspectionItems,
  inspectionSamples,
  organisations,
  regionIndicators,
  regionRankings,
  regionSanctions,
  regions,
  standardVersions,
  subjects,
  users,
} from '../src/db/schema.js';
import { today } from '../src/clock.js';
import { hashPassword } from '../src/modules/auth/service.js';
import { importStandard } from '../src/modules/standards/files.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * 区域考评 (issue 8): the yearly ranking equals a table computed by hand (4 towns × 3 years, the
 * weights, scores, ranks, yellow cards, the veto, 004's ineligibility); a vetoed or ineligible
 * region's application is refused with the rule named while another region's goes through; the
 * computed coverage, pass rate, inspection score and incidents on a small world; scope.
 */

const COMPONENTS = [
  { indicator: 'two_rates_one_degree', label: '两率一度', weight: 50, better: 'higher' },
  { indicator: 'inspection_score', label: '明查暗访', weight: 30, better: 'higher' },
  { indicator: 'incidents', label: '重大事件', weight: 20, better: 'lower' },
] as const;

type Town = '城南街道' | '东湖街道' | '白沙镇' | '临江镇';
/** [两率一度, 明查暗访, 事件数] of each town, by year offset (−2, −1, 0) */
const DATA: Record<number, Record<Town, [number, number, number]>> = {
  [-2]: { 城南街道: [95, 90, 0], 东湖街道: [90, 85, 1], 白沙镇: [89, 80, 0], 临江镇: [80, 70, 2] },
  [-1]: { 城南街道: [93, 88, 1], 东湖街道: [91, 90, 0], 白沙镇: [90, 86, 2], 临江镇: [82, 75, 4] },
  [0]: { 城南街道: [94, 92, 0], 东湖街道: [89, 84, 1], 白沙镇: [92, 88, 2], 临江镇: [84, 78, 4] },
};
/**
 * By hand. score = 两率一度/100×50 + 明查暗访/100×30 + (max−事件)/(max−min)×20.
 * −2: 城南 47.5+27+20=94.5; 白沙 44.5+24+20=88.5; 东湖 45+25.5+10=80.5; 临江 40+21+0=61.
 *     两率一度 mean (95+90+89+80)/4 = 88.5: 临江 80 below → ineligible (all four are in the bottom 10).
 * −1: 东湖 45.5+27+20=92.5; 城南 46.5+26.4+15=87.9; 白沙 45+25.8+10=80.8; 临江 41+22.5+0=63.5.
 *     mean (93+91+90+82)/4 = 89: 临江 below.
 *  0: 城南 47+27.6+20=94.6; 东湖 44.5+25.2+15=84.7; 白沙 46+26.4+10=82.4; 临江 42+23.4+0=65.4.
 *     the city's entered 两率一度 92.5 replaces the mean (89.75): 东湖 89, 白沙 92, 临江 84 below.
 * 临江 last three years running: yellow cards with streaks 1, 2, 3 and the veto in year 0.
 */
const EXPECTED: Record<number, { region: Town; score: number; rank: number; yellow: boolean; veto: boolean; ineligible: boolean }[]> = {
  [-2]: [
    { region: '城南街道', score: 94.5, rank: 1, yellow: false, veto: false, ineligible: false },
    { region: '白沙镇', score: 88.5, rank: 2, yellow: false, veto: false, ineligible: false },
    { region: '东湖街道', score: 80.5, rank: 3, yellow: false, veto: false, ineligible: false },
    { region: '临江镇', score: 61, rank: 4, yellow: true, veto: false, ineligible: true },
  ],
  [-1]: [
    { region: '东湖街道', score: 92.5, rank: 1, yellow: false, veto: false, ineligible: false },
    { region: '城南街道', score: 87.9, rank: 2, yellow: false, veto: false, ineligible: false },
    { region: '白沙镇', score: 80.8, rank: 3, yellow: false, veto: false, ineligible: false },
    { region: '临江镇', score: 63.5, rank: 4, yellow: true, veto: false, ineligible: true },
  ],
  [0]: [
    { region: '城南街道', score: 94.6, rank: 1, yellow: false, veto: false, ineligible: false },
    { region: '东湖街道', score: 84.7, rank: 2, yellow: false, veto: false, ineligible: true },
    { region: '白沙镇', score: 82.4, rank: 3, yellow: false, veto: false, ineligible: true },
    { region: '临江镇', score: 65.4, rank: 4, yellow: true, veto: true, ineligible: true },
  ],
};

describe.each(DB_KINDS)('region assessment on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  const year = Number(today().slice(0, 4));
  const regionId = async (name: string) => (await db().select().from(regions).where(eq(regions.name, name)))[0]!.id;
  const userId = async (username: string) => (await db().select().from(users).where(eq(users.username, username)))[0]!.id;
  const orgId = async (name: string) => (await db().select().from(organisations).where(eq(organisations.name, name)))[0]!.id;

  /** A region under a parent, its path set as the demo sets it. */
  async function addRegion(name: string, level: 'county' | 'town', parentId: number) {
    const [parent] = await db().select().from(regions).where(eq(regions.id, parentId));
    const [r] = await db().insert(regions).values({ name, level, parentId }).returning();
    const path = `${parent!.path}${r!.id}/`;
    await db().update(regions).set({ path }).where(eq(regions.id, r!.id));
    return { id: r!.id, path };
  }
  async function addCampaign(y: number, name: string) {
    const [c] = await db()
      .insert(campaigns)
      .values({
        regionId: await regionId('云州市'),
        orgId: await orgId('云州市平安办'),
        year: y,
        name,
        applyDeadline: `${y}-12-31`,
        reviewDeadline: `${y}-12-31`,
      })
      .returning();
    return c!.id;
  }
  async function figure(
    name: string,
    y: number,
    indicator: string,
    value: number,
    source: 'import' | 'survey' = 'import',
    sourceRef = '2026年平安建设考评表.xlsx',
  ) {
    await db()
      .insert(regionIndicators)
      .values({ regionId: await regionId(name), year: y, indicator, value, source, sourceRef, detail: { test: true } });
  }

  beforeAll(async () => {
    s = await getTestServer(kind);
    // the demo's three years of figures, rankings and sanctions give way to the world set out here by hand
    await db().delete(regionSanctions);
    await db().delete(regionRankings);
    await db().delete(regionIndicators);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the ranking equals the table computed by hand: scores, ranks, yellow cards, the veto and 取消评先资格', async () => {
    const city = await regionId('云州市');
    for (const off of [-2, -1, 0])
      for (const [town, [t, i, n]] of Object.entries(DATA[off]!)) {
        await figure(town, year + off, 'two_rates_one_degree', t);
        await figure(town, year + off, 'inspection_score', i);
        await figure(town, year + off, 'incidents', n);
      }
    // the city's own 两率一度 of this year (a city-wide survey): the 全市平均 the 004 rule compares with
    await figure('云州市', year, 'two_rates_one_degree', 92.5, 'survey', 'QWE789');

    for (const off of [-2, -1, 0]) {
      const key = { scopeRegionId: city, level: 'town', year: year + off };
      const computed = await call(s, 'city_office', 'POST', '/api/assessment/ranking/compute', { ...key, components: COMPONENTS });
      expect(computed.status, JSON.stringify(computed.body)).toBe(200);
      const r = computed.body.ranking;
      expect(r.status).toBe('draft');
      expect(
        r.rows.map((x: any) => ({
          region: x.region,
          score: x.score,
          rank: x.rank,
          yellow: x.yellowCard,
          veto: x.veto,
          ineligible: x.ineligible,
        })),
      ).toEqual(EXPECTED[off]);
      // every rank shows what each component contributed, and they add up to the score
      for (const x of r.rows) {
        expect(x.components.map((c: any) => c.indicator)).toEqual(COMPONENTS.map((c) => c.indicator));
        expect(Math.round(x.components.reduce((a: number, c: any) => a + c.points, 0) * 100) / 100).toBe(x.score);
        expect(x.components[2].how).toContain('×20');
      }
      // nothing is sanctioned before publication
      expect(r.sanctions).toEqual([]);
      const pub = await call(s, 'city_office', 'POST', '/api/assessment/ranking/publish', key);
      expect(pub.status, JSON.stringify(pub.body)).toBe(200);
      expect(pub.body.ranking.status).toBe('published');
    }
    const last = (await call(s, 'city_office', 'GET', `/api/assessment/ranking?scopeRegionId=${city}&level=town&year=${year}`)).body;
    expect(last.publishedYears).toEqual([year - 2, year - 1, year]);
    const lj = last.ranking.rows.find((x: any) => x.region === '临江镇');
    expect(lj.lastStreak).toBe(3);
    expect(lj.reasons.join('\n')).toContain(
      '临江镇连续3年排名倒数第一，给予一票否决（市平安创建工作意见 四（六）：“连续三年排名倒数第一的，给予一票否决”）',
    );
    const dh = last.ranking.rows.find((x: any) => x.region === '东湖街道');
    expect(dh.reasons[0]).toContain('东湖街道两率一度89%低于云州市平均水平92.5%');
    // the sanctions of the year name their rules
    const sanctions = await db().select().from(regionSanctions).where(eq(regionSanctions.year, year));
    const of = (name: string) => last.ranking.sanctions.filter((x: any) => x.region === name).map((x: any) => `${x.kind}:${x.ruleId}`);
    expect(of('临江镇')).toEqual(['yellow_card:yellow_card', 'veto:veto', 'ineligible:town_two_rates_one_degree']);
    expect(of('东湖街道')).toEqual(['ineligible:town_two_rates_one_degree']);
    expect(of('城南街道')).toEqual([]);
    expect(sanctions).toHaveLength(5);
    // the county office above 临江镇 is told of the veto, with the rule
    const told = await call(s, 'lj_office', 'GET', '/api/notifications?limit=50');
    const veto = told.body.items.find((n: any) => n.title === `临江镇${year}年度排名：一票否决`);
    expect(veto?.body).toContain('连续三年排名倒数第一的，给予一票否决');
    // and the office of another county is not
    const other = await call(s, 'qs_office', 'GET', '/api/notifications?limit=50');
    expect(other.body.items.some((n: any) => String(n.title).includes('临江镇'))).toBe(false);
    // published: not computed again
    const again = await call(s, 'city_office', 'POST', '/api/assessment/ranking/compute', {
      scopeRegionId: city,
      level: 'town',
      year,
      components: COMPONENTS,
    });
    expect(again.status).toBe(409);
    // the workbook carries the same table
    const file = await s.app.inject({
      method: 'GET',
      url: `/api/assessment/ranking?scopeRegionId=${city}&level=town&year=${year}&format=xlsx`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).getCell(2).value).toBe('城南街道');
    expect(ws.getRow(2).getCell(3).value).toBe(94.6);
    expect(String(ws.getRow(5).getCell(ws.columnCount).value)).toContain('一票否决');
    const list = await call(s, 'city_office', 'GET', `/api/assessment/rankings?level=town`);
    expect(list.body.items.map((x: any) => [x.year, x.vetoes])).toEqual([
      [year, ['临江镇']],
      [year - 1, []],
      [year - 2, []],
    ]);
  });

  it('a vetoed and an ineligible region are refused with the rule named; another region goes through, filled from its indicators', async () => {
    const parsed = parseStandard({
      format: 'pingan-standard/v1',
      code: 'assessment-test-town',
      title: '平安镇（办）测试标准',
      issuer: '测试',
      year,
      scheme: 'title',
      category: { code: 'assess_town', name: '平安镇（办）', subjectKinds: ['region'] },
      responsible: { lead: ['safety_office'], assist: [] },
      groups: [
        {
          id: 'A',
          name: '指标',
          criteria: [
            {
              id: '1',
              text: '公众安全感达到90%以上，两率一度达到85%以上。',
              points: 100,
              measures: [
                {
                  id: 'feeling',
                  label: '公众安全感',
                  kind: 'threshold',
                  comparator: '>=',
                  value: 90,
                  unit: '%',
                  indicator: 'public_safety_feeling',
                },
                {
                  id: 'two_rates',
                  label: '两率一度',
                  kind: 'threshold',
                  comparator: '>=',
                  value: 85,
                  unit: '%',
                  indicator: 'two_rates_one_degree',
                },
              ],
            },
          ],
        },
      ],
    });
    expect(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors)).toBe(true);
    if (!parsed.ok) return;
    const v = await importStandard(db(), parsed.standard, null, null);
    const campaignId = await addCampaign(year, `云州市${year}年平安镇（办）创建`);
    await db().insert(campaignCategories).values({ campaignId, categoryCode: 'assess_town', standardVersionId: v.id });
    const hash = await hashPassword(DEMO_PASSWORD);
    const applicant = async (town: Town) => {
      const [subj] = await db()
        .insert(subjects)
        .values({ kind: 'region', name: town, regionId: await regionId(town) })
        .returning();
      const username = `region_${(await regionId(town)).toString()}`;
      await db()
        .insert(users)
        .values({ username, passwordHash: hash, displayName: `${town}平安办`, role: 'applicant', subjectId: subj!.id });
      return username;
    };
    await figure('城南街道', year, 'public_safety_feeling', 93.4, 'survey', 'ABC123');
    const draftFor = async (town: Town) => {
      const u = await applicant(town);
      const created = await call(s, u, 'POST', '/api/applications', { campaignId, categoryCode: 'assess_town' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id;
      const saved = await call(s, u, 'PUT', `/api/applications/${id}/draft`, {
        revision: (await db().select().from(applications).where(eq(applications.id, id)))[0]!.revision,
        form: { content: `申报平安镇（办）`, plan: '创建计划', contactName: '张三', contactPhone: '0731-88886666' },
        answers: [{ criterionId: '1', statement: '已达标', figures: {} }],
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      return { u, id };
    };

    // 城南街道: filled from its indicators (the survey's figure and the imported 两率一度), then submitted
    const cn = await draftFor('城南街道');
    const filled = await call(s, cn.u, 'POST', `/api/applications/${cn.id}/indicator-figures`);
    expect(filled.status, JSON.stringify(filled.body)).toBe(200);
    expect(filled.body.missing).toEqual([]);
    expect(filled.body.filled.map((f: any) => [f.measureId, f.value])).toEqual([
      ['feeling', 93.4],
      ['two_rates', 94],
    ]);
    expect(filled.body.filled[0].label).toMatch(new RegExp(`^${year}年公众安全感（问卷 ABC123，\\d{4}-\\d{2}-\\d{2}）$`));
    const [ans] = await db()
      .select()
      .from(answers)
      .where(and(eq(answers.applicationId, cn.id), eq(answers.criterionId, '1')));
    expect(ans!.figures?.feeling).toMatchObject({ value: 93.4, source: { kind: 'indicator', ref: 'public_safety_feeling' } });
    expect(ans!.figuresMet).toBe(true);
    // the applicant's own statement is kept
    expect(ans!.statement).toBe('已达标');
    expect((await call(s, cn.u, 'POST', `/api/applications/${cn.id}/submit`)).status).toBe(200);
    // submitted: nothing is filled any more
    expect((await call(s, cn.u, 'POST', `/api/applications/${cn.id}/indicator-figures`)).status).toBe(409);

    // 临江镇: vetoed (3 years last); its draft cannot go in, and the message names the rule
    const lj = await draftFor('临江镇');
    const refused = await call(s, lj.u, 'POST', `/api/applications/${lj.id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('RULE_BROKEN');
    expect(refused.body.message).toBe(
      `临江镇连续3年排名倒数第一，给予一票否决（市平安创建工作意见 四（六）：“连续三年排名倒数第一的，给予一票否决”），不能申报${year}年度称号`,
    );
    expect(refused.body.details).toMatchObject({ ruleId: 'veto', sanction: 'veto' });
    // 东湖街道: 两率一度 below the city's average and in the bottom 10 → 004's rule
    const dh = await draftFor('东湖街道');
    const inel = await call(s, dh.u, 'POST', `/api/applications/${dh.id}/submit`);
    expect(inel.status).toBe(422);
    expect(inel.body.details).toMatchObject({ ruleId: 'town_two_rates_one_degree', sanction: 'ineligible' });
    expect(inel.body.message).toContain('东湖街道两率一度89%低于云州市平均水平92.5%');
    expect(inel.body.message).toContain('深化“平安商洛”创建活动实施方案');
    expect(inel.body.message).toContain(`不能申报${year}年度称号`);
    const [after] = await db().select().from(applications).where(eq(applications.id, dh.id));
    expect(after!.status).toBe('draft');

    // who fills: not a department, not another region's applicant; a unit's draft is not a region's
    expect((await call(s, 'city_edu', 'POST', `/api/applications/${lj.id}/indicator-figures`)).status).toBe(403);
    expect((await call(s, dh.u, 'POST', `/api/applications/${lj.id}/indicator-figures`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'POST', `/api/applications/${lj.id}/indicator-figures`)).status).toBe(404);
    // a draft is the applicant's: the county office does not see it, the town's desk fills it
    expect((await call(s, 'lj_office', 'POST', `/api/applications/${lj.id}/indicator-figures`)).status).toBe(404);
    expect((await call(s, lj.u, 'POST', `/api/applications/${lj.id}/indicator-figures`)).status).toBe(200);
    const [unitDraft] = await db()
      .select({ id: applications.id, username: users.username })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .innerJoin(users, and(eq(users.subjectId, subjects.id), eq(users.role, 'applicant')))
      .where(and(eq(applications.status, 'draft'), eq(subjects.kind, 'unit')))
      .orderBy(applications.id)
      .limit(1);
    // a unit's own draft, filled by its own applicant: refused, it is not a region's
    const unitFill = await call(s, unitDraft!.username, 'POST', `/api/applications/${unitDraft!.id}/indicator-figures`);
    expect(unitFill.status).toBe(400);
    expect(unitFill.body.message).toContain('只有以地区为主体的申报');
  });

  it('computes coverage, pass rate, inspection score and incidents on a small world, keeping figures entered by hand', async () => {
    const city = await regionId('云州市');
    const county = await addRegion('测试县', 'county', city);
    const jia = await addRegion('甲镇', 'town', county.id);
    const yi = await addRegion('乙镇', 'town', county.id);
    const unit = async (name: string, r: { id: number }) =>
      (await db().insert(subjects).values({ kind: 'unit', name, regionId: r.id, unitType: 'school' }).returning())[0]!.id;
    const a1 = await unit('甲一校', jia);
    const a2 = await unit('甲二校', jia);
    const a3 = await unit('甲三校', jia);
    const b1 = await unit('乙一校', yi);
    const thisYear = await addCampaign(year, '测试本年活动');
    const lastYear = await addCampaign(year - 1, '测试上年活动');
    const [campus] = await db().select().from(standardVersions).limit(1);
    const category = (await db().select().from(campaignCategories).limit(1))[0]!.categoryCode;
    for (const c of [thisYear, lastYear])
      await db().insert(campaignCategories).values({ campaignId: c, categoryCode: category, standardVersionId: campus!.id });
    const app = (
      campaignId: number,
      subjectId: number,
      r: { id: number; path: string },
      status: 'draft' | 'submitted' | 'conferred' | 'rejected',
    ) => ({
      campaignId,
      categoryCode: category,
      standardVersionId: campus!.id,
      subjectId,
      regionId: r.id,
      regionPath: r.path,
      status,
    });
    await db()
      .insert(applications)
      .values([
        app(thisYear, a1, jia, 'conferred'),
        app(thisYear, a2, jia, 'rejected'),
        app(thisYear, a3, jia, 'draft'),
        app(thisYear, b1, yi, 'submitted'),
        // last year's does not count this year
        app(lastYear, b1, yi, 'conferred'),
      ]);
    const [sample] = await db()
      .insert(inspectionSamples)
      .values({
        regionId: city,
        orgId: await orgId('云州市平安办'),
        year,
        quarter: 2,
        mode: 'unannounced',
        seed: 'test',
        size: 4,
        population: 4,
        createdBy: await userId('city_office'),
      })
      .returning();
    await db()
      .insert(inspectionItems)
      .values([
        { sampleId: sample!.id, subjectId: a1, regionPath: jia.path, score: 80 },
        { sampleId: sample!.id, subjectId: a2, regionPath: jia.path, score: 90 },
        { sampleId: sample!.id, subjectId: b1, regionPath: yi.path, score: 70 },
        // not yet inspected: no score, not counted
        { sampleId: sample!.id, subjectId: a3, regionPath: jia.path, score: null },
      ]);
    const incident = (status: 'confirmed' | 'reported', occurredOn: string) => ({
      type: 'homicide',
      occurredOn,
      place: '甲镇',
      description: '测试',
      regionId: jia.id,
      regionPath: jia.path,
      status,
      proposedConsequence: 'revoke',
    });
    const office = await orgId('云州市平安办');
    const officer = await userId('city_office');
    await db()
      .insert(incidents)
      .values(
        [incident('confirmed', `${year}-03-01`), incident('reported', `${year}-04-01`), incident('confirmed', `${year - 1}-05-01`)].map(
          (i) => ({
            ...i,
            reportedByOrg: office,
            reportedBy: officer,
          }),
        ),
      );
    // entered by hand before: the computation keeps it
    const manual = await call(s, 'city_office', 'POST', '/api/assessment/indicators', {
      regionId: yi.id,
      year,
      indicator: 'coverage',
      value: 55,
      note: '省综治办通报（2026年第3期）',
    });
    expect(manual.status, JSON.stringify(manual.body)).toBe(201);
    expect(
      (
        await call(s, 'city_office', 'POST', '/api/assessment/indicators', {
          regionId: yi.id,
          year,
          indicator: 'coverage',
          value: 101,
          note: 'x',
        })
      ).status,
    ).toBe(400);

    const done = await call(s, 'city_office', 'POST', '/api/assessment/indicators/compute', { year, regionId: county.id });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ year, regions: 3, kept: 1 });

    const table = await call(s, 'city_office', 'GET', `/api/assessment/indicators?year=${year}&regionId=${county.id}&level=town`);
    expect(table.status).toBe(200);
    const row = (name: string) => table.body.items.find((x: any) => x.name === name);
    const v = (name: string, ind: string) => row(name).values[ind];
    // 甲镇: 2 of 3 units took part; 1 conferred of 2 decided; (80 + 90) / 2; 1 confirmed incident this year
    expect(v('甲镇', 'coverage')).toMatchObject({ value: 66.67, source: 'computed', detail: { numerator: 2, denominator: 3 } });
    expect(v('甲镇', 'pass_rate')).toMatchObject({ value: 50, detail: { numerator: 1, denominator: 2 } });
    expect(v('甲镇', 'inspection_score')).toMatchObject({ value: 85, detail: { numerator: 170, denominator: 2 } });
    expect(v('甲镇', 'incidents')).toMatchObject({ value: 1, sourceRef: 'incidents' });
    // 乙镇: the hand-entered coverage stays, with its note; nothing decided → no pass rate
    expect(v('乙镇', 'coverage')).toMatchObject({
      value: 55,
      source: 'manual',
      sourceRef: '省综治办通报（2026年第3期）',
      recordedBy: '王青山',
    });
    expect(v('乙镇', 'pass_rate')).toBeUndefined();
    expect(v('乙镇', 'inspection_score').value).toBe(70);
    expect(v('乙镇', 'incidents').value).toBe(0);
    // 五个90%: 甲镇's pass rate 50 < 90
    expect(row('甲镇').evaluation.met).toBe(false);
    expect(row('甲镇').evaluation.summary).toContain('全市平安建设合格率');
    expect(table.body.passShare).toMatchObject({ level: 'town', passed: 0, total: 2, share: 0, met: false });
    // the county itself: 3 of 4, 1 of 2, (80 + 90 + 70) / 3
    const c = await call(s, 'city_office', 'GET', `/api/assessment/indicators?year=${year}&regionId=${city}&level=county&q=测试`);
    expect(c.body.total).toBe(1);
    expect(c.body.items[0].values.coverage.value).toBe(75);
    expect(c.body.items[0].values.inspection_score.value).toBe(80);
    // a recomputation replaces computed figures, not entered ones
    const again = await call(s, 'city_office', 'POST', '/api/assessment/indicators/compute', { year, regionId: county.id });
    expect(again.body.kept).toBe(1);
    const rows = await db()
      .select()
      .from(regionIndicators)
      .where(and(eq(regionIndicators.regionId, jia.id), eq(regionIndicators.year, year)));
    expect(rows).toHaveLength(4);
    // the workbook: one row per town, the sources on a second sheet
    const file = await s.app.inject({
      method: 'GET',
      url: `/api/assessment/indicators?year=${year}&regionId=${county.id}&level=town&format=xlsx`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(3);
    expect(JSON.stringify(wb.worksheets[1]!.getSheetValues())).toContain('省综治办通报（2026年第3期）');
  });

  it('scope: a county office cannot read, compute or rank the other county (404); departments are refused', async () => {
    const lj = await regionId('临江县');
    const qs = await regionId('青山区');
    const city = await regionId('云州市');
    expect((await call(s, 'qs_office', 'GET', `/api/assessment/indicators?year=${year}&regionId=${lj}`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'POST', '/api/assessment/indicators/compute', { year, regionId: lj })).status).toBe(404);
    expect(
      (
        await call(s, 'qs_office', 'POST', '/api/assessment/indicators', {
          regionId: await regionId('白沙镇'),
          year,
          indicator: 'awareness',
          value: 90,
          note: '通报',
        })
      ).status,
    ).toBe(404);
    expect((await call(s, 'qs_office', 'GET', `/api/assessment/ranking?scopeRegionId=${lj}&level=town&year=${year}`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'GET', `/api/assessment/ranking?scopeRegionId=${city}&level=town&year=${year}`)).status).toBe(404);
    expect(
      (
        await call(s, 'qs_office', 'POST', '/api/assessment/ranking/compute', {
          scopeRegionId: lj,
          level: 'town',
          year,
          components: COMPONENTS,
        })
      ).status,
    ).toBe(404);
    // its own towns it ranks; the city's rankings are not in its list
    const own = await call(s, 'qs_office', 'POST', '/api/assessment/ranking/compute', { level: 'town', year, components: COMPONENTS });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.ranking.scopeRegionId).toBe(qs);
    expect(own.body.ranking.rows.map((r: any) => r.region).sort()).toEqual(['东湖街道', '城南街道'].sort());
    expect((await call(s, 'qs_office', 'GET', '/api/assessment/rankings')).body.items.map((x: any) => x.scopeRegion)).toEqual(['青山区']);
    // its table of towns shows only its own
    const t = await call(s, 'qs_office', 'GET', `/api/assessment/indicators?year=${year}`);
    expect(t.body.items.map((r: any) => r.name).sort()).toEqual(['东湖街道', '城南街道'].sort());
    expect((await call(s, 'city_edu', 'GET', `/api/assessment/indicators?year=${year}`)).status).toBe(403);
    expect((await call(s, 'school_nm', 'GET', '/api/assessment/rankings')).status).toBe(403);
    // bad input is a 400 in Chinese, never a 5xx
    const bad = await call(s, 'city_office', 'POST', '/api/assessment/ranking/compute', {
      level: 'town',
      year,
      components: [COMPONENTS[0], COMPONENTS[0]],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('重复');
  });
});
