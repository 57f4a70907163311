import type { EligibilityRule } from './programme.js';
import { rankRegions } from './programme.js';

/**
 * Region assessment (区域考评, issue 8): the indicators a region is measured by, the yearly score
 * of a ranking from weighted components, and what the ranking brings: 黄牌警告 for the last,
 * 一票否决 after N years last in a row (003 四（六）), 取消评先资格 when 两率一度 is below the
 * average and the region in the bottom N (004 四（四）). Pure; the server feeds it the figures.
 *
 * How a component scores (每项得分):
 * - a rate or a 0–100 score (kind 'rate' / 'score'), better higher: value / 100 × weight, the value
 *   clamped to 0–100 (公众安全感 92% with weight 20 → 18.4);
 * - better lower (事件数), or a count: min-max over the regions ranked, so the best gets the whole
 *   weight and the worst none: (max − value) / (max − min) × weight for 'lower',
 *   (value − min) / (max − min) × weight for a count better higher; all equal → the whole weight;
 * - a region without the figure gets 0 for that component, and the reason says so.
 * Each component's points are rounded to 0.01 and the score is the sum of the rounded points, so
 * the parts shown always add up to the total.
 */

export type IndicatorKind = 'rate' | 'score' | 'count';
export type IndicatorOrigin = 'computed' | 'survey' | 'manual';

export interface AssessmentIndicator {
  id: string;
  zh: string;
  en: string;
  unit: string;
  kind: IndicatorKind;
  /** where it normally comes from: computed from the system's data, a survey, or entered */
  origin: IndicatorOrigin;
  /** better higher or lower */
  better: 'higher' | 'lower';
}

/** Every region indicator the platform knows; ids as in standards/region-targets (003) and region_indicators. */
export const ASSESSMENT_INDICATORS = [
  { id: 'coverage', zh: '创建覆盖率', en: 'Coverage', unit: '%', kind: 'rate', origin: 'computed', better: 'higher' },
  { id: 'pass_rate', zh: '平安建设合格率', en: 'Pass rate', unit: '%', kind: 'rate', origin: 'computed', better: 'higher' },
  { id: 'inspection_score', zh: '明查暗访得分', en: 'Inspection score', unit: '分', kind: 'score', origin: 'computed', better: 'higher' },
  { id: 'incidents', zh: '重大事件数', en: 'Confirmed incidents', unit: '起', kind: 'count', origin: 'computed', better: 'lower' },
  {
    id: 'participation',
    zh: '群众参与平安建设面',
    en: 'Public participation',
    unit: '%',
    kind: 'rate',
    origin: 'survey',
    better: 'higher',
  },
  {
    id: 'prevention_coverage',
    zh: '社会治安防控体系覆盖面',
    en: 'Prevention system coverage',
    unit: '%',
    kind: 'rate',
    origin: 'manual',
    better: 'higher',
  },
  {
    id: 'legal_team_satisfaction',
    zh: '群众对政法队伍的满意度',
    en: 'Satisfaction with the legal organs',
    unit: '%',
    kind: 'rate',
    origin: 'survey',
    better: 'higher',
  },
  {
    id: 'public_safety_feeling',
    zh: '公众安全感',
    en: 'Public sense of security',
    unit: '%',
    kind: 'rate',
    origin: 'survey',
    better: 'higher',
  },
  { id: 'awareness', zh: '知晓率', en: 'Awareness', unit: '%', kind: 'rate', origin: 'survey', better: 'higher' },
  { id: 'satisfaction', zh: '满意度', en: 'Satisfaction', unit: '%', kind: 'rate', origin: 'survey', better: 'higher' },
  {
    id: 'two_rates_one_degree',
    zh: '两率一度',
    en: 'Two rates and one degree',
    unit: '%',
    kind: 'rate',
    origin: 'survey',
    better: 'higher',
  },
] as const satisfies readonly AssessmentIndicator[];

export type AssessmentIndicatorId = (typeof ASSESSMENT_INDICATORS)[number]['id'];
export const ASSESSMENT_INDICATOR_IDS = ASSESSMENT_INDICATORS.map((i) => i.id) as [AssessmentIndicatorId, ...AssessmentIndicatorId[]];
export const COMPUTED_INDICATORS = [
  'coverage',
  'pass_rate',
  'inspection_score',
  'incidents',
] as const satisfies readonly AssessmentIndicatorId[];

export function indicatorInfo(id: string): AssessmentIndicator | undefined {
  return (ASSESSMENT_INDICATORS as readonly AssessmentIndicator[]).find((i) => i.id === id);
}

/** The encoded documents name 两率一度 by its label; region_indicators by its id. */
export function indicatorIdOf(labelOrId: string): string {
  return (ASSESSMENT_INDICATORS as readonly AssessmentIndicator[]).find((i) => i.zh === labelOrId || i.id === labelOrId)?.id ?? labelOrId;
}

export interface RankingComponent {
  indicator: string;
  label: string;
  weight: number;
  better: 'higher' | 'lower';
}

/**
 * The default components: 004 judges towns and counties by 两率一度, 003 ranks by the year's
 * 明查暗访 and names the 五个90% (公众安全感, 合格率); coverage and pass rate from the campaigns'
 * data, incidents lower-better. Weights add up to 100. Neither document gives weights: these are
 * the platform's defaults, and an office sets its own.
 */
export const DEFAULT_RANKING_COMPONENTS: RankingComponent[] = [
  { indicator: 'two_rates_one_degree', label: '两率一度', weight: 25, better: 'higher' },
  { indicator: 'public_safety_feeling', label: '公众安全感', weight: 20, better: 'higher' },
  { indicator: 'pass_rate', label: '平安建设合格率', weight: 15, better: 'higher' },
  { indicator: 'coverage', label: '创建覆盖率', weight: 10, better: 'higher' },
  { indicator: 'inspection_score', label: '明查暗访得分', weight: 20, better: 'higher' },
  { indicator: 'incidents', label: '重大事件数', weight: 10, better: 'lower' },
];

/** What is wrong with a component list, in Chinese; null when it can be used. */
export function componentsProblem(components: readonly RankingComponent[]): string | null {
  if (!components.length) return '请至少设置一个评分项';
  const seen = new Set<string>();
  for (const c of components) {
    if (!indicatorInfo(c.indicator)) return `未知指标「${c.indicator}」`;
    if (seen.has(c.indicator)) return `指标「${c.label || c.indicator}」重复`;
    seen.add(c.indicator);
    if (!Number.isFinite(c.weight) || c.weight <= 0) return `「${c.label || c.indicator}」的权重须大于0`;
  }
  return null;
}

const round2 = (x: number) => Math.round((x + Number.EPSILON) * 100) / 100;

export interface ScoreInput {
  /** the region's name (unique in the set) */
  key: string;
  values: Record<string, number | null | undefined>;
}

export interface ComponentPoints {
  indicator: string;
  value: number | null;
  points: number;
  /** in Chinese: how the points came about */
  how: string;
}

export interface RegionScore {
  key: string;
  score: number;
  components: ComponentPoints[];
  /** indicators without a figure (0 points) */
  missing: string[];
}

function pointsFor(c: RankingComponent, v: number, min: number, max: number): { points: number; how: string } {
  const kind = indicatorInfo(c.indicator)?.kind ?? 'count';
  if (c.better === 'higher' && kind !== 'count') {
    const x = Math.min(100, Math.max(0, v));
    return { points: round2((x / 100) * c.weight), how: `${v}÷100×${c.weight}` };
  }
  if (max === min) return { points: round2(c.weight), how: `各地相同，得满分${c.weight}` };
  const share = c.better === 'lower' ? (max - v) / (max - min) : (v - min) / (max - min);
  const how =
    c.better === 'lower'
      ? `(最高${max}−${v})÷(最高${max}−最低${min})×${c.weight}`
      : `(${v}−最低${min})÷(最高${max}−最低${min})×${c.weight}`;
  return { points: round2(share * c.weight), how };
}

/** Each region's points per component and its score (see the header for the method). */
export function scoreRegions(components: readonly RankingComponent[], inputs: readonly ScoreInput[]): RegionScore[] {
  const bounds = components.map((c) => {
    const vs = inputs.map((i) => i.values[c.indicator]).filter((v): v is number => v != null && Number.isFinite(v));
    return vs.length ? { min: Math.min(...vs), max: Math.max(...vs) } : { min: 0, max: 0 };
  });
  return inputs.map((input) => {
    const missing: string[] = [];
    const parts = components.map((c, i): ComponentPoints => {
      const v = input.values[c.indicator];
      if (v == null || !Number.isFinite(v)) {
        missing.push(c.indicator);
        return { indicator: c.indicator, value: null, points: 0, how: '无数据，计0分' };
      }
      return { indicator: c.indicator, value: v, ...pointsFor(c, v, bounds[i]!.min, bounds[i]!.max) };
    });
    return { key: input.key, score: round2(parts.reduce((s, p) => s + p.points, 0)), components: parts, missing };
  });
}

export type IndicatorRankRule = Extract<EligibilityRule, { kind: 'indicator_rank' }>;

export interface IneligibilityInput {
  key: string;
  /** the rule's indicator (两率一度) */
  value: number | null;
  /** the region's rank in the ranking (1 = best; ties share a rank) */
  rank: number;
}

export interface AverageBasis {
  value: number;
  /** in Chinese: 全市平均 (entered), 参评镇（办）平均 (the mean of the ranked set) */
  label: string;
}

/** The mean of the ranked set's figures, rounded to 0.01; null without any figure. */
export function meanOf(values: readonly (number | null | undefined)[]): number | null {
  const vs = values.filter((v): v is number => v != null && Number.isFinite(v));
  return vs.length ? round2(vs.reduce((a, b) => a + b, 0) / vs.length) : null;
}

/**
 * 004: 两率一度 below the average AND in the bottom N of the ranking → loses eligibility. "Bottom N"
 * is by the region's rank: with n ranked, a rank above n − N (a tie counts at its best place).
 * A region without the figure cannot be judged and is not made ineligible.
 */
export function indicatorRankIneligible(
  rule: Pick<IndicatorRankRule, 'bottomN' | 'indicator'>,
  rows: readonly IneligibilityInput[],
  average: AverageBasis | null,
): { key: string; ineligible: boolean; reason: string | null }[] {
  const n = rows.length;
  return rows.map((r) => {
    if (!average) return { key: r.key, ineligible: false, reason: null };
    if (r.value == null) return { key: r.key, ineligible: false, reason: `${r.key}缺${rule.indicator}数据，不能判断评先资格` };
    const below = r.value < average.value;
    const bottom = r.rank > n - rule.bottomN;
    if (!below || !bottom) return { key: r.key, ineligible: false, reason: null };
    return {
      key: r.key,
      ineligible: true,
      reason: `${r.key}${rule.indicator}${r.value}%低于${average.label}${average.value}%，且排名第${r.rank}位（共${n}个，位于后${rule.bottomN}位），取消年度评先资格`,
    };
  });
}

export interface AssessRankingInput {
  year: number;
  components: readonly RankingComponent[];
  regions: readonly ScoreInput[];
  /** the published years before: their scores by region name */
  previous: readonly { year: number; scores: Record<string, number> }[];
  vetoAfterConsecutiveLast: number;
  /** the 004 rule for the level ranked, if any */
  rule?: Pick<IndicatorRankRule, 'bottomN' | 'indicator'> | null;
  /** an entered average (全省/全市平均) of the rule's indicator; else the mean of the ranked set */
  enteredAverage?: AverageBasis | null;
  /** the mean's label: 参评镇（办）平均 */
  meanLabel?: string;
  /** the documents' words, appended to each reason in brackets */
  citations?: { yellowCard?: string; veto?: string; ineligible?: string };
}

export interface AssessedRegion {
  key: string;
  score: number;
  rank: number;
  components: ComponentPoints[];
  yellowCard: boolean;
  veto: boolean;
  lastStreak: number;
  ineligible: boolean;
  /** in Chinese: one line for each consequence, with the document cited */
  reasons: string[];
  /** the reason of each consequence given, as a sanction records it */
  because: { yellowCard?: string; veto?: string; ineligible?: string };
}

export interface AssessedRanking {
  rows: AssessedRegion[];
  /** the average the 004 rule compared with, null without a rule or figures */
  average: AverageBasis | null;
}

/** The year's ranking: scores, ranks (rankRegions), yellow card, veto and the 004 ineligibility. */
export function assessRanking(input: AssessRankingInput): AssessedRanking {
  const scored = scoreRegions(input.components, input.regions);
  const scores = Object.fromEntries(scored.map((s) => [s.key, s.score]));
  const history = [...input.previous.filter((p) => p.year < input.year), { year: input.year, scores }];
  const ranked = rankRegions(history, { vetoAfterConsecutiveLast: input.vetoAfterConsecutiveLast });
  const thisYear = ranked.find((r) => r.year === input.year)!;
  const cite = (k: keyof NonNullable<AssessRankingInput['citations']>) => (input.citations?.[k] ? `（${input.citations[k]}）` : '');
  const indicatorId = input.rule ? indicatorIdOf(input.rule.indicator) : null;
  const average =
    input.rule && indicatorId
      ? (input.enteredAverage ??
        (() => {
          const m = meanOf(input.regions.map((r) => r.values[indicatorId]));
          return m === null ? null : { value: m, label: input.meanLabel ?? '参评地区平均' };
        })())
      : null;
  const ineligible = input.rule
    ? indicatorRankIneligible(
        input.rule,
        thisYear.ranking.map((r) => ({
          key: r.region,
          rank: r.rank,
          value: input.regions.find((x) => x.key === r.region)!.values[indicatorId!] ?? null,
        })),
        average,
      )
    : [];
  const rows = thisYear.ranking.map((r): AssessedRegion => {
    const s = scored.find((x) => x.key === r.region)!;
    const streak = thisYear.lastStreak[r.region] ?? 0;
    const yellowCard = thisYear.yellowCard.includes(r.region);
    const veto = thisYear.veto.includes(r.region);
    const inel = ineligible.find((x) => x.key === r.region);
    const because: AssessedRegion['because'] = {};
    if (yellowCard)
      because.yellowCard = `${r.region}${input.year}年排名倒数第一（${r.score}分），给予黄牌警告${streak > 1 ? `，已连续${streak}年倒数第一` : ''}${cite('yellowCard')}`;
    if (veto) because.veto = `${r.region}连续${streak}年排名倒数第一，给予一票否决${cite('veto')}`;
    if (inel?.ineligible) because.ineligible = `${inel.reason}${cite('ineligible')}`;
    const reasons = [because.yellowCard, because.veto, because.ineligible].filter((x): x is string => !!x);
    if (inel?.reason && !inel.ineligible) reasons.push(inel.reason);
    if (s.missing.length) reasons.push(`缺少数据（计0分）：${s.missing.map((m) => indicatorInfo(m)?.zh ?? m).join('、')}`);
    return {
      key: r.region,
      score: r.score,
      rank: r.rank,
      components: s.components,
      yellowCard,
      veto,
      lastStreak: streak,
      ineligible: !!inel?.ineligible,
      reasons,
      because,
    };
  });
  return { rows, average };
}
