import type { Comparator, Criterion, Measure, Period, StandardDoc, StarCondition } from './standard.js';
import { allCriteria } from './standard.js';

/**
 * The rating engine (评级). Pure: from a standard version, an application's figures and the
 * reviewers' scores it gives, per criterion, met / not met / not applicable / pending with the
 * reasons; the total; the vetoes (一票否决); the star level; and the gap to the next star.
 */

export interface FigureAnswer {
  value: number;
  /** last year's figure, for change measures */
  previous?: number | null;
}

export interface CriterionAnswer {
  criterionId: string;
  statement?: string | null;
  figures?: Record<string, FigureAnswer | undefined>;
}

/** Review stages in rising authority: a later stage's score replaces an earlier one's. */
export const REVIEW_STAGES = ['preliminary', 'onsite', 'evaluation'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

export const REVIEW_STAGE_LABELS: Record<ReviewStage, { zh: string; en: string }> = {
  preliminary: { zh: '牵头部门初评', en: 'Preliminary review' },
  onsite: { zh: '现场核查', en: 'On-site check' },
  evaluation: { zh: '平安办综合评定', en: 'Comprehensive evaluation' },
};

export interface CriterionScore {
  criterionId: string;
  /** points given, within the criterion's points; null = not scored */
  score: number | null;
  /** the reviewer's judgement; null = no judgement */
  met: boolean | null;
  notApplicable?: boolean;
  comment?: string | null;
  stage: ReviewStage;
  /** ordering within a stage (ISO time or sequence): later wins */
  at: string;
}

export interface RatingContext {
  /** stars of the subject's title in the same category within the look-back window */
  priorTitleStars?: { stars: number; yearsAgo: number }[];
  higherCheckPassed?: boolean;
  recommended?: boolean;
  lowerTitleHeld?: boolean;
}

export type CriterionStatus = 'met' | 'not_met' | 'not_applicable' | 'pending';

export interface CriterionRating {
  criterionId: string;
  status: CriterionStatus;
  score: number;
  points: number;
  veto: boolean;
  /** reasons in Chinese, one line each: "群众知晓率 92% ≥ 90%，达标" */
  reasons: string[];
  /** which review stage the score came from, if any */
  scoredBy: ReviewStage | null;
}

export type TitleLevel = 'none' | 'standard' | 'advanced' | 'exemplary';

export const LEVEL_LABELS: Record<TitleLevel, { zh: string; en: string }> = {
  none: { zh: '未达标', en: 'Not qualified' },
  standard: { zh: '达标单位', en: 'Qualified unit' },
  advanced: { zh: '先进单位', en: 'Advanced unit' },
  exemplary: { zh: '示范单位', en: 'Exemplary unit' },
};

/** 1–3 stars 达标, 4 先进, 5 示范 (000_aa59b18e80377b6c.txt §4.3). */
export function levelForStars(stars: number): TitleLevel {
  if (stars >= 5) return 'exemplary';
  if (stars === 4) return 'advanced';
  if (stars >= 1) return 'standard';
  return 'none';
}

export interface StarGap {
  stars: number;
  pointsNeeded: number;
  /** unmet criteria (ids) that would also have to be met: vetoes first */
  criteriaToMeet: string[];
  conditions: string[];
  summary: string;
}

export interface Rating {
  criteria: CriterionRating[];
  total: number;
  /** the maximum over applicable criteria */
  max: number;
  percent: number;
  vetoed: string[];
  pending: string[];
  stars: number;
  level: TitleLevel;
  /** stars earned by points alone, before conditions */
  starsByPoints: number;
  conditionsUnmet: string[];
  nextStar: StarGap | null;
  summary: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function compare(a: number, op: Comparator, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '=':
      return a === b;
  }
}

const OP_ZH: Record<Comparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=' };
const PERIOD_ZH: Record<Period, string> = { week: '周', month: '月', quarter: '季度', half_year: '半年', year: '年' };

/** The requirement in words, e.g. "≥ 90%", "6～10人", "每季度不少于1次". */
export function describeMeasure(m: Measure): string {
  switch (m.kind) {
    case 'threshold':
      return `${m.label} ${OP_ZH[m.comparator]} ${m.value}${m.unit}${m.of ? `（占${m.of}）` : ''}`;
    case 'change':
      return `${m.label}较上年变化 ${OP_ZH[m.comparator]} ${m.value}%`;
    case 'range':
      return `${m.label} ${m.min}～${m.max}${m.unit}`;
    case 'frequency':
      return `${m.label} 每${PERIOD_ZH[m.per]}不少于${m.min}次`;
    case 'distance':
      return `${m.label} ${OP_ZH[m.comparator]} ${m.value}${m.unit === 'm' ? '米' : '公里'}`;
  }
}

export interface MeasureCheck {
  measureId: string;
  met: boolean | null;
  reason: string;
}

export function checkMeasure(m: Measure, a: FigureAnswer | undefined): MeasureCheck {
  const want = describeMeasure(m);
  if (!a || !Number.isFinite(a.value)) return { measureId: m.id, met: null, reason: `${m.label}未填报（要求：${want}）` };
  let met: boolean;
  let shown: string;
  switch (m.kind) {
    case 'threshold':
      met = compare(a.value, m.comparator, m.value);
      shown = `${m.label} ${a.value}${m.unit}`;
      break;
    case 'change': {
      if (a.previous == null || !Number.isFinite(a.previous))
        return { measureId: m.id, met: null, reason: `${m.label}未填报上年数（要求：${want}）` };
      if (a.previous === 0) {
        // no baseline: a change cannot be computed; zero now is still no increase
        met = compare(a.value === 0 ? 0 : Infinity, m.comparator, m.value);
        shown = `${m.label} 本年${a.value}，上年0`;
      } else {
        const pct = round2(((a.value - a.previous) / a.previous) * 100);
        met = compare(pct, m.comparator, m.value);
        shown = `${m.label} 本年${a.value}，上年${a.previous}，变化${pct}%`;
      }
      break;
    }
    case 'range':
      met = a.value >= m.min && a.value <= m.max;
      shown = `${m.label} ${a.value}${m.unit}`;
      break;
    case 'frequency':
      met = a.value >= m.min;
      shown = `${m.label} 每${PERIOD_ZH[m.per]}${a.value}次`;
      break;
    case 'distance':
      met = compare(a.value, m.comparator, m.value);
      shown = `${m.label} ${a.value}${m.unit === 'm' ? '米' : '公里'}`;
      break;
  }
  return { measureId: m.id, met, reason: `${shown}，要求${want}，${met ? '达标' : '未达标'}` };
}

/** Measures combine by AND, except those sharing an anyOfGroup, of which one is enough. */
function combineMeasures(c: Criterion, checks: MeasureCheck[]): boolean | null {
  const groups = new Map<string, (boolean | null)[]>();
  c.measures.forEach((m, i) => {
    const key = m.anyOfGroup ?? `#${m.id}`;
    groups.set(key, [...(groups.get(key) ?? []), checks[i]!.met]);
  });
  let result: boolean | null = true;
  for (const vals of groups.values()) {
    const g = vals.some((v) => v === true) ? true : vals.some((v) => v === null) ? null : false;
    if (g === false) return false;
    if (g === null) result = null;
  }
  return result;
}

/** The verdict on a criterion's reported figures: true, false, or null while any is missing. */
export function figuresMet(c: Criterion, answer: CriterionAnswer | undefined): boolean | null {
  if (!c.measures.length) return true;
  return combineMeasures(c, c.measures.map((m) => checkMeasure(m, answer?.figures?.[m.id])));
}

/** An entry with no score, no judgement and no "not applicable" says nothing and overrides nothing. */
export function isEmptyScore(s: { score?: number | null; met?: boolean | null; notApplicable?: boolean }): boolean {
  return s.score == null && s.met == null && !s.notApplicable;
}

function latestScore(scores: CriterionScore[]): CriterionScore | undefined {
  let best: CriterionScore | undefined;
  for (const s of scores) {
    if (isEmptyScore(s)) continue;
    if (!best) best = s;
    else {
      const rs = REVIEW_STAGES.indexOf(s.stage);
      const rb = REVIEW_STAGES.indexOf(best.stage);
      if (rs > rb || (rs === rb && s.at > best.at)) best = s;
    }
  }
  return best;
}

export function rateCriterion(c: Criterion, answer: CriterionAnswer | undefined, scores: CriterionScore[]): CriterionRating {
  const reasons: string[] = [];
  const checks = c.measures.map((m) => checkMeasure(m, answer?.figures?.[m.id]));
  for (const ch of checks) reasons.push(ch.reason);
  const figures = c.measures.length ? combineMeasures(c, checks) : true;
  const review = latestScore(scores);
  const base = { criterionId: c.id, points: c.points, veto: c.veto, scoredBy: review?.stage ?? null };

  if (review?.notApplicable) {
    reasons.push(`${stageZh(review)}认定本项不适用${review.comment ? `：${review.comment}` : ''}`);
    return { ...base, status: 'not_applicable', score: 0, reasons };
  }
  if (figures === false) {
    reasons.push('量化指标未达标，本项不得分');
    if (c.veto) reasons.push('本项为一票否决项');
    return { ...base, status: 'not_met', score: 0, reasons };
  }
  if (!review || (review.met === null && review.score === null)) {
    reasons.push(figures === null ? '待填报指标并评审' : '待评审');
    return { ...base, status: 'pending', score: 0, reasons };
  }
  let score: number;
  let met: boolean;
  if (c.judge === 'yesno') {
    met = review.met ?? (review.score ?? 0) > 0;
    score = met ? c.points : 0;
  } else {
    score = Math.min(Math.max(review.score ?? (review.met ? c.points : 0), 0), c.points);
    met = review.met ?? score > 0;
  }
  if (!met) score = 0;
  reasons.push(
    `${stageZh(review)}：${met ? '符合' : '不符合'}，得${round2(score)}/${c.points}分${review.comment ? `（${review.comment}）` : ''}`,
  );
  if (!met && c.veto) reasons.push('本项为一票否决项');
  if (figures === null && met) {
    reasons.push('量化指标未填报完整，本项暂不计为达标');
    return { ...base, status: 'pending', score, reasons };
  }
  return { ...base, status: met ? 'met' : 'not_met', score, reasons };
}

function stageZh(s: CriterionScore): string {
  return s.stage === 'preliminary' ? '初评' : s.stage === 'onsite' ? '现场核查' : '综合评定';
}

function conditionMet(cond: StarCondition, ctx: RatingContext): boolean {
  switch (cond.kind) {
    case 'prior_title':
      return (ctx.priorTitleStars ?? []).some((t) => t.stars >= cond.minStars && t.yearsAgo <= cond.withinYears && t.yearsAgo >= 1);
    case 'higher_check':
      return ctx.higherCheckPassed === true;
    case 'recommendation':
      return ctx.recommended === true;
    case 'lower_title':
      return ctx.lowerTitleHeld === true;
  }
}

export function rate(
  standard: StandardDoc,
  answers: CriterionAnswer[],
  scores: CriterionScore[],
  ctx: RatingContext = {},
): Rating {
  const answerById = new Map(answers.map((a) => [a.criterionId, a]));
  const scoresById = new Map<string, CriterionScore[]>();
  for (const s of scores) scoresById.set(s.criterionId, [...(scoresById.get(s.criterionId) ?? []), s]);

  const criteria = allCriteria(standard).map((c) => rateCriterion(c, answerById.get(c.id), scoresById.get(c.id) ?? []));
  const applicable = criteria.filter((c) => c.status !== 'not_applicable');
  const total = round2(applicable.reduce((t, c) => t + c.score, 0));
  const max = round2(applicable.reduce((t, c) => t + c.points, 0));
  const percent = max > 0 ? round2((total / max) * 100) : 0;
  const vetoed = criteria.filter((c) => c.veto && c.status === 'not_met').map((c) => c.criterionId);
  const pending = criteria.filter((c) => c.status === 'pending').map((c) => c.criterionId);

  const bands = [...standard.starRules.bands].sort((a, b) => a.stars - b.stars);
  let starsByPoints = 0;
  for (const b of bands) if (percent >= b.minPercent) starsByPoints = b.stars;

  const unmetFor = (stars: number) =>
    standard.starRules.conditions.filter((c) => c.stars <= stars && !conditionMet(c, ctx)).map((c) => c.text);
  let stars = vetoed.length ? 0 : starsByPoints;
  while (stars > 0 && unmetFor(stars).length) stars--;
  const conditionsUnmet = vetoed.length ? [] : unmetFor(starsByPoints);

  const nextBand = bands.find((b) => b.stars > stars);
  let nextStar: StarGap | null = null;
  if (nextBand) {
    const pointsNeeded = Math.max(0, round2((nextBand.minPercent / 100) * max - total));
    const criteriaToMeet = [...vetoed];
    const conditions = unmetFor(nextBand.stars);
    const parts: string[] = [];
    if (pointsNeeded > 0) parts.push(`还需${pointsNeeded}分`);
    if (criteriaToMeet.length) parts.push(`第${criteriaToMeet.join('、')}项须达标（一票否决）`);
    if (conditions.length) parts.push(conditions.join('；'));
    nextStar = {
      stars: nextBand.stars,
      pointsNeeded,
      criteriaToMeet,
      conditions,
      summary: `${nextBand.stars}星${parts.length ? parts.join('，') : '条件已具备，待评审确认'}`,
    };
  }
  const level = levelForStars(stars);
  const summary = vetoed.length
    ? `第${vetoed.join('、')}项一票否决，不予命名（得分${total}/${max}）`
    : `得分${total}/${max}（${percent}%），${stars ? `${stars}星，${LEVEL_LABELS[level].zh}` : '未达到1星'}${
        pending.length ? `；${pending.length}项待评审` : ''
      }`;
  return { criteria, total, max, percent, vetoed, pending, stars, level, starsByPoints, conditionsUnmet, nextStar, summary };
}
