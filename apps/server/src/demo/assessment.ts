import { eq, inArray } from 'drizzle-orm';
import { DEFAULT_RANKING_COMPONENTS, type RankingComponent } from '@pingan/core';
import type { Db } from '../db/client.js';
import { regionIndicators, regions } from '../db/schema.js';
import type { CurrentUser } from '../access/scope.js';
import { today } from '../modules/applications/service.js';
import { computeIndicators } from '../modules/assessment/service.js';
import { computeRanking, publishRanking } from '../modules/assessment/ranking.js';

/**
 * 区域考评 demo: three years of figures for the two counties and four towns, with the yearly
 * rankings published. Fixed numbers, so the outcome is the same every time:
 * - counties (003): the ranking of last year is published, 临江县 last → one 黄牌警告; this
 *   year's is left for the walkthrough to compute and publish;
 * - towns (004 ranks 镇（办） city-wide): 临江镇 last three years running → 一票否决 this year (and
 *   its 两率一度 below the towns' average → 取消评先资格).
 * The earlier years are imported figures (source 'import'); this year the four computed figures
 * come from the demo's own data, and the survey figures are added only where none exists yet
 * (a survey seeder may have written them), so nothing another seeder wrote is overwritten.
 */

type Name = '青山区' | '临江县' | '城南街道' | '东湖街道' | '白沙镇' | '临江镇';
/** per indicator: [two years ago, last year, this year] */
type Series = Record<string, [number, number, number]>;

/** The survey-type figures, every year. */
const SURVEYED: Record<Name, Series> = {
  青山区: {
    two_rates_one_degree: [91.2, 92.0, 92.6],
    public_safety_feeling: [93.1, 93.5, 94.2],
    participation: [88.0, 90.5, 91.3],
    legal_team_satisfaction: [90.4, 91.2, 92.0],
    prevention_coverage: [92.0, 93.0, 95.0],
  },
  临江县: {
    two_rates_one_degree: [90.5, 88.4, 90.1],
    public_safety_feeling: [92.0, 90.2, 91.8],
    participation: [86.2, 88.1, 90.4],
    legal_team_satisfaction: [89.1, 89.9, 91.0],
    prevention_coverage: [88.0, 90.0, 92.0],
  },
  城南街道: {
    two_rates_one_degree: [92.4, 93.0, 93.8],
    public_safety_feeling: [94.0, 94.6, 95.1],
    participation: [90.2, 91.0, 92.4],
    legal_team_satisfaction: [91.5, 92.0, 92.8],
    prevention_coverage: [93.0, 94.0, 95.0],
  },
  东湖街道: {
    two_rates_one_degree: [91.0, 91.8, 92.5],
    public_safety_feeling: [93.2, 93.0, 94.0],
    participation: [89.0, 90.4, 91.1],
    legal_team_satisfaction: [90.6, 91.1, 91.9],
    prevention_coverage: [91.0, 92.0, 93.0],
  },
  白沙镇: {
    two_rates_one_degree: [90.2, 90.6, 91.4],
    public_safety_feeling: [92.1, 92.8, 93.3],
    participation: [87.5, 89.2, 90.6],
    legal_team_satisfaction: [89.8, 90.3, 91.2],
    prevention_coverage: [89.0, 91.0, 92.0],
  },
  临江镇: {
    two_rates_one_degree: [86.5, 87.0, 84.8],
    public_safety_feeling: [88.3, 88.9, 86.1],
    participation: [84.0, 85.2, 86.0],
    legal_team_satisfaction: [86.7, 87.1, 87.5],
    prevention_coverage: [82.0, 84.0, 85.0],
  },
};

/** The figures the system computes this year, imported for the two years before. */
const EARLIER: Record<Name, Record<string, [number, number]>> = {
  青山区: { pass_rate: [88.0, 91.0], coverage: [80.0, 86.0], inspection_score: [86.5, 88.0], incidents: [1, 0] },
  临江县: { pass_rate: [86.0, 84.5], coverage: [76.0, 74.0], inspection_score: [84.0, 80.5], incidents: [1, 3] },
  城南街道: { pass_rate: [90.0, 92.0], coverage: [85.0, 88.0], inspection_score: [89.0, 90.0], incidents: [0, 0] },
  东湖街道: { pass_rate: [88.0, 90.0], coverage: [82.0, 84.0], inspection_score: [87.0, 88.0], incidents: [0, 1] },
  白沙镇: { pass_rate: [86.0, 89.0], coverage: [78.0, 82.0], inspection_score: [85.0, 86.0], incidents: [1, 0] },
  临江镇: { pass_rate: [80.0, 82.0], coverage: [70.0, 72.0], inspection_score: [78.0, 79.0], incidents: [2, 2] },
};

/**
 * The towns' components: the surveyed figures and the campaigns' own, without 明查暗访 (no demo
 * sample is scored) and incidents (the demo's one confirmed fire is at a city hospital in 城南街道,
 * which would make the city's best street last this year and hide the story of 临江镇).
 */
const TOWN_COMPONENTS: RankingComponent[] = [
  { indicator: 'two_rates_one_degree', label: '两率一度', weight: 30, better: 'higher' },
  { indicator: 'public_safety_feeling', label: '公众安全感', weight: 20, better: 'higher' },
  { indicator: 'prevention_coverage', label: '社会治安防控体系覆盖面', weight: 20, better: 'higher' },
  { indicator: 'pass_rate', label: '平安建设合格率', weight: 15, better: 'higher' },
  { indicator: 'coverage', label: '创建覆盖率', weight: 15, better: 'higher' },
];

export async function seedAssessment(db: Db, ctx: { as: (username: string) => Promise<CurrentUser> }): Promise<void> {
  const year = Number(today().slice(0, 4));
  const names = Object.keys(SURVEYED) as Name[];
  const found = await db.select({ id: regions.id, name: regions.name }).from(regions).where(inArray(regions.name, names));
  const idOf = new Map(found.map((r) => [r.name, r.id]));
  const [city] = await db.select({ id: regions.id }).from(regions).where(eq(regions.name, '云州市'));
  if (!city || idOf.size !== names.length) throw new Error('seedAssessment: the demo regions are missing (run seedDemo first)');

  const rows: (typeof regionIndicators.$inferInsert)[] = [];
  for (const name of names)
    for (const [offset, i] of [
      [-2, 0],
      [-1, 1],
      [0, 2],
    ] as const) {
      const y = year + offset;
      const at = offset === 0 ? new Date() : new Date(`${y}-12-20T10:00:00+08:00`);
      const values: Record<string, number> = Object.fromEntries(Object.entries(SURVEYED[name]).map(([k, v]) => [k, v[i]]));
      if (offset !== 0) for (const [k, v] of Object.entries(EARLIER[name])) values[k] = v[i]!;
      for (const [indicator, value] of Object.entries(values))
        rows.push({
          regionId: idOf.get(name)!,
          year: y,
          indicator,
          value,
          source: 'import',
          sourceRef: offset === 0 ? `云州市${y}年度群众安全感和满意度测评（第三方）` : `云州市${y}年度平安建设考评汇总表.xlsx`,
          detail: { note: offset === 0 ? '第三方测评结果导入（演示数据）' : '历年考评数据导入（演示数据）' },
          recordedAt: at,
        });
    }
  // only where absent: a survey seeder's figures of this year stay as they are
  await db.insert(regionIndicators).values(rows).onConflictDoNothing();

  const office = await ctx.as('city_office');
  // this year's computed figures from the demo's own applications, inspections and incidents
  await computeIndicators(db, office, { year });

  // counties: last year's ranking published (临江县 last → 黄牌警告), with the default components
  await computeRanking(db, office, { scopeRegionId: city.id, level: 'county', year: year - 1, components: DEFAULT_RANKING_COMPONENTS });
  await publishRanking(db, office, { scopeRegionId: city.id, level: 'county', year: year - 1 });
  // towns, city-wide (004): three years, 临江镇 last each year → 一票否决 this year
  for (const y of [year - 2, year - 1, year]) {
    await computeRanking(db, office, { scopeRegionId: city.id, level: 'town', year: y, components: TOWN_COMPONENTS });
    await publishRanking(db, office, { scopeRegionId: city.id, level: 'town', year: y });
  }
}
