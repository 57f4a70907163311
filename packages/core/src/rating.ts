import type { Comparator, Criterion, Measure, Period, RatingScheme, StandardDoc, StarCondition } from './standard.js';
import { allCriteria } from './standard.js';
import { reason, renderReason, type Lang, type Reason } from './reasons.js';

/**
 * The rating engine (评级). Pure: from a standard version, an application's figures and the
 * reviewers' scores it gives, per criterion, met / not met / not applicable / pending with the
 * reasons; the total; the vetoes (一票否决); the star level or, for a title-only standard, whether
 * the title can be conferred; and the gap to the next star.
 *
 * An item still pending earns nothing: only a criterion judged met counts toward the total, the
 * percent and the stars, and a rating with pending items is provisional (暂定).
 */

export interface FigureAnswer {
  /** the figure; for a rate measure (rateOf) given as counts, the rate computed from them */
  value: number;
  /** last year's figure, for change measures */
  previous?: number | null;
  /** for a rate measure (rateOf): the count of the numerator, e.g. 刑满释放人员重新犯罪人数 */
  numerator?: number | null;
  /** for a rate measure (rateOf): the count of the denominator, e.g. 刑满释放人员总数 */
  denominator?: number | null;
  /**
   * Where the figure came from when the system filled it (a survey's result, a region indicator),
   * shown beside the criterion. Absent when the applicant typed it. Set only by the server.
   */
  source?: FigureSource | null;
}

export interface FigureSource {
  kind: 'survey' | 'indicator';
  /** a survey's public code, or the indicator id */
  ref: string;
  /** in Chinese: 2026年南门实验小学家长满意度调查（312份） */
  label: string;
  /** ISO date-time the figure was taken */
  at: string;
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
  /** points earned: only a criterion judged met earns any (pending earns 0) */
  score: number;
  points: number;
  veto: boolean;
  /** reasons as message codes, one a line; render with renderReason(r, lang) */
  reasons: Reason[];
  /** which review stage the score came from, if any */
  scoredBy: ReviewStage | null;
}

/**
 * The level a rating reaches. 'none', 'standard', 'advanced', 'exemplary' are 000's star levels;
 * 'title' is a title-only standard's (001, 002) title conferred, with no stars and no level name.
 */
export type TitleLevel = 'none' | 'standard' | 'advanced' | 'exemplary' | 'title';

export const LEVEL_LABELS: Record<TitleLevel, { zh: string; en: string }> = {
  none: { zh: '未达标', en: 'Not qualified' },
  standard: { zh: '达标单位', en: 'Qualified unit' },
  advanced: { zh: '先进单位', en: 'Advanced unit' },
  exemplary: { zh: '示范单位', en: 'Exemplary unit' },
  title: { zh: '符合命名条件', en: 'Meets the title conditions' },
};

/** 1–3 stars 达标, 4 先进, 5 示范 (000_aa59b18e80377b6c.txt §4.3). */
export function levelForStars(stars: number): TitleLevel {
  if (stars >= 5) return 'exemplary';
  if (stars === 4) return 'advanced';
  if (stars >= 1) return 'standard';
  return 'none';
}

export interface StarGap {
  /** the star aimed at; for a title-only standard the lowest band (the pass mark) */
  stars: number;
  pointsNeeded: number;
  /** unmet criteria (ids) that would also have to be met: vetoes first */
  criteriaToMeet: string[];
  conditions: string[];
  /** Chinese rendering of summaryReason */
  summary: string;
  summaryReason: Reason;
}

export interface Rating {
  /** 'stars' (000) or 'title' (001, 002): a title-only rating never shows stars or level names */
  scheme: RatingScheme;
  criteria: CriterionRating[];
  total: number;
  /** the maximum over applicable criteria */
  max: number;
  percent: number;
  vetoed: string[];
  pending: string[];
  /** some criterion is still pending: the rating may still rise (暂定) */
  provisional: boolean;
  /**
   * The band the points reach, after vetoes and star conditions. For a title-only standard it is
   * kept for the set-based SQL twin (rating/campaign.ts) and for ordering, and is never shown.
   */
  stars: number;
  level: TitleLevel;
  /** stars earned by points alone, before conditions */
  starsByPoints: number;
  /**
   * Whether the title can be conferred on this rating: for stars, at least one star; for a
   * title-only standard, no veto, nothing pending and the percent at the pass mark.
   */
  conferrable: boolean;
  /** the score bands are the system's defaults, not the source's: say so wherever shown */
  defaultBands: boolean;
  conditionsUnmet: string[];
  conditionsUnmetReasons: Reason[];
  nextStar: StarGap | null;
  /** Chinese rendering of summaryReason */
  summary: string;
  summaryReason: Reason;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
/** removes floating noise (14 / 500 × 100 = 2.8000000000000003) so a boundary compares exactly */
const exact = (n: number) => Math.round(n * 1e9) / 1e9;

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

const OP: Record<Comparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=' };
const PERIOD_ZH: Record<Period, string> = { week: '周', month: '月', quarter: '季度', half_year: '半年', year: '年' };
const PERIOD_EN: Record<Period, string> = { week: 'week', month: 'month', quarter: 'quarter', half_year: 'half-year', year: 'year' };
/** units of the standards, in English; others are shown as they are */
const UNIT_EN: Record<string, string> = {
  '%': '%',
  人: ' people',
  次: ' times',
  户: ' households',
  个: '',
  名: ' people',
  起: ' cases',
  件: ' cases',
  天: ' days',
  m: ' m',
  km: ' km',
};

function unitText(unit: string, lang: Lang): string {
  return lang === 'en' ? (UNIT_EN[unit] ?? ` ${unit}`) : unit;
}

function labelOf(m: Measure, lang: Lang): string {
  return lang === 'en' ? (m.labelEn ?? m.label) : m.label;
}

/** The requirement in words, e.g. "群众知晓率 ≥ 90%", "6～10人", "每季度不少于1次"; English with lang 'en'. */
export function describeMeasure(m: Measure, lang: Lang = 'zh'): string {
  const label = labelOf(m, lang);
  if (lang === 'en') {
    switch (m.kind) {
      case 'threshold': {
        const of = m.ofEn ?? (m.rateOf ? (m.rateOf.denominatorEn ?? null) : null);
        return `${label} ${OP[m.comparator]} ${m.value}${unitText(m.unit, 'en')}${of ? ` (of ${of})` : ''}`;
      }
      case 'change':
        return `${label}: change on last year ${OP[m.comparator]} ${m.value}%`;
      case 'range':
        return `${label} ${m.min}–${m.max}${unitText(m.unit, 'en')}`;
      case 'frequency':
        return `${label} at least ${m.min} ${m.min === 1 ? 'time' : 'times'} a ${PERIOD_EN[m.per]}`;
      case 'distance':
        return `${label} ${OP[m.comparator]} ${m.value} ${m.unit}`;
    }
  }
  switch (m.kind) {
    case 'threshold':
      return `${label} ${OP[m.comparator]} ${m.value}${m.unit}${m.of ? `（占${m.of}）` : ''}`;
    case 'change':
      return `${label}较上年变化 ${OP[m.comparator]} ${m.value}%`;
    case 'range':
      return `${label} ${m.min}～${m.max}${m.unit}`;
    case 'frequency':
      return `${label} 每${PERIOD_ZH[m.per]}不少于${m.min}次`;
    case 'distance':
      return `${label} ${OP[m.comparator]} ${m.value}${m.unit === 'm' ? '米' : '公里'}`;
  }
}

/** A measure's requirement in both languages, as reason parameters `want` / `want_en`. */
function wantParams(m: Measure) {
  return { label: m.label, label_en: labelOf(m, 'en'), want: describeMeasure(m, 'zh'), want_en: describeMeasure(m, 'en') };
}

export interface MeasureCheck {
  measureId: string;
  met: boolean | null;
  /** the figure judged (for a rate measure given as counts, the computed rate); null when none */
  value: number | null;
  reason: Reason;
}

const isCount = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** Whether the answer gives a rate measure's two counts (then the rate comes from them). */
export function hasCounts(m: Measure, a: FigureAnswer | undefined): boolean {
  return m.kind === 'threshold' && !!m.rateOf && !!a && isCount(a.numerator) && isCount(a.denominator);
}

/**
 * The rate in percent from two counts, exact at a boundary (numerator × 100 / denominator, float
 * noise removed); null when the denominator is 0.
 */
export function rateFromCounts(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return exact((numerator * 100) / denominator);
}

export function checkMeasure(m: Measure, a: FigureAnswer | undefined): MeasureCheck {
  const want = wantParams(m);
  const missing = (): MeasureCheck => ({ measureId: m.id, met: null, value: null, reason: reason('measure.missing', want) });
  if (!a) return missing();
  let value = a.value;
  let countsZh = '';
  let countsEn = '';
  if (m.kind === 'threshold' && m.rateOf && hasCounts(m, a)) {
    const n = a.numerator as number;
    const d = a.denominator as number;
    const r = rateFromCounts(n, d);
    if (r === null)
      return {
        measureId: m.id,
        met: null,
        value: null,
        reason: reason('measure.rateNotComputable', {
          ...want,
          denominator: m.rateOf.denominator,
          denominator_en: m.rateOf.denominatorEn ?? m.rateOf.denominator,
        }),
      };
    value = r;
    countsZh = `（${m.rateOf.numerator}${n}，${m.rateOf.denominator}${d}）`;
    countsEn = ` (${m.rateOf.numeratorEn ?? m.rateOf.numerator} ${n}, ${m.rateOf.denominatorEn ?? m.rateOf.denominator} ${d})`;
  }
  if (!Number.isFinite(value)) return missing();
  let met: boolean;
  let zh: string;
  let en: string;
  const labelEn = labelOf(m, 'en');
  switch (m.kind) {
    case 'threshold':
      met = compare(value, m.comparator, m.value);
      zh = `${m.label} ${round2(value)}${m.unit}${countsZh}`;
      en = `${labelEn} ${round2(value)}${unitText(m.unit, 'en')}${countsEn}`;
      break;
    case 'change': {
      if (a.previous == null || !Number.isFinite(a.previous))
        return { measureId: m.id, met: null, value: null, reason: reason('measure.previousMissing', want) };
      if (a.previous === 0) {
        // no baseline: a change cannot be computed; zero now is still no increase
        met = compare(value === 0 ? 0 : Infinity, m.comparator, m.value);
        zh = `${m.label} 本年${value}，上年0`;
        en = `${labelEn} this year ${value}, last year 0`;
      } else {
        const pct = round2(((value - a.previous) / a.previous) * 100);
        met = compare(pct, m.comparator, m.value);
        zh = `${m.label} 本年${value}，上年${a.previous}，变化${pct}%`;
        en = `${labelEn} this year ${value}, last year ${a.previous}, change ${pct}%`;
      }
      break;
    }
    case 'range':
      met = value >= m.min && value <= m.max;
      zh = `${m.label} ${value}${m.unit}`;
      en = `${labelEn} ${value}${unitText(m.unit, 'en')}`;
      break;
    case 'frequency':
      met = value >= m.min;
      zh = `${m.label} 每${PERIOD_ZH[m.per]}${value}次`;
      en = `${labelEn} ${value} ${value === 1 ? 'time' : 'times'} a ${PERIOD_EN[m.per]}`;
      break;
    case 'distance':
      met = compare(value, m.comparator, m.value);
      zh = `${m.label} ${value}${m.unit === 'm' ? '米' : '公里'}`;
      en = `${labelEn} ${value} ${m.unit}`;
      break;
  }
  return { measureId: m.id, met, value, reason: reason(met ? 'measure.met' : 'measure.notMet', { ...want, shown: zh, shown_en: en }) };
}

/**
 * Whether a reported figure can be accepted at all (saving a draft refuses it otherwise): a
 * share is between 0 and 100 %; counts, distances and frequencies are not negative; a rate's two
 * counts are whole numbers, both given, and the part is not more than the whole. Returns the
 * Chinese message, or null when the figure is fine.
 */
export function validateFigure(m: Measure, a: FigureAnswer): string | null {
  const label = `「${m.label}」`;
  const hasN = a.numerator != null;
  const hasD = a.denominator != null;
  if (hasN || hasD) {
    if (m.kind !== 'threshold' || !m.rateOf) return `${label}不是按两个人数（户数）计算的比率，不能填写分子和分母 not a rate of two counts`;
    const { numerator: nl, denominator: dl } = m.rateOf;
    if (!hasN || !hasD) return `${label}须同时填写${nl}和${dl} both counts are required`;
    const n = a.numerator as number;
    const d = a.denominator as number;
    if (!Number.isInteger(n) || n < 0) return `${label}：${nl}须为非负整数，填报的是${n} must be a non-negative whole number`;
    if (!Number.isInteger(d) || d < 0) return `${label}：${dl}须为非负整数，填报的是${d} must be a non-negative whole number`;
    if (n > d) return `${label}：${nl}（${n}）不能大于${dl}（${d}） the part cannot exceed the whole`;
    return null;
  }
  if (!Number.isFinite(a.value)) return `${label}须为数字 must be a number`;
  if (m.kind === 'threshold' && m.unit === '%') {
    if (a.value < 0 || a.value > 100) return `${label}为百分比，须在0～100%之间，填报的是${a.value}% a share must be between 0 and 100 %`;
    return null;
  }
  if (a.value < 0) return `${label}不能为负数，填报的是${a.value} cannot be negative`;
  if (m.kind === 'change' && a.previous != null && (!Number.isFinite(a.previous) || a.previous < 0))
    return `${label}上年数不能为负数，填报的是${a.previous} last year's figure cannot be negative`;
  return null;
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
  return combineMeasures(
    c,
    c.measures.map((m) => checkMeasure(m, answer?.figures?.[m.id])),
  );
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

const STAGE_SHORT: Record<ReviewStage, { zh: string; en: string }> = {
  preliminary: { zh: '初评', en: 'Preliminary review' },
  onsite: { zh: '现场核查', en: 'On-site check' },
  evaluation: { zh: '综合评定', en: 'Comprehensive evaluation' },
};

function stageParams(s: CriterionScore) {
  const l = STAGE_SHORT[s.stage] ?? { zh: String(s.stage), en: String(s.stage) };
  return { stage: l.zh, stage_en: l.en };
}

export function rateCriterion(c: Criterion, answer: CriterionAnswer | undefined, scores: CriterionScore[]): CriterionRating {
  const reasons: Reason[] = [];
  const checks = c.measures.map((m) => checkMeasure(m, answer?.figures?.[m.id]));
  for (const ch of checks) reasons.push(ch.reason);
  const figures = c.measures.length ? combineMeasures(c, checks) : true;
  const review = latestScore(scores);
  const base = { criterionId: c.id, points: c.points, veto: c.veto, scoredBy: review?.stage ?? null };
  const comment: Record<string, string> = review?.comment ? { comment: review.comment } : {};

  if (review?.notApplicable) {
    reasons.push(reason('review.notApplicable', { ...stageParams(review), ...comment }));
    return { ...base, status: 'not_applicable', score: 0, reasons };
  }
  if (figures === false) {
    reasons.push(reason('figures.notMet'));
    if (c.veto) reasons.push(reason('criterion.veto'));
    return { ...base, status: 'not_met', score: 0, reasons };
  }
  if (!review || (review.met === null && review.score === null)) {
    reasons.push(reason(figures === null ? 'criterion.awaitFiguresAndReview' : 'criterion.awaitReview'));
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
  reasons.push(reason('review.verdict', { ...stageParams(review), met: met ? 1 : 0, score: round2(score), points: c.points, ...comment }));
  if (!met && c.veto) reasons.push(reason('criterion.veto'));
  if (figures === null && met) {
    // the reviewer says met but figures are missing: pending, and a pending item earns nothing
    reasons.push(reason('figures.incomplete'));
    return { ...base, status: 'pending', score: 0, reasons };
  }
  return { ...base, status: met ? 'met' : 'not_met', score, reasons };
}

/** A star condition in English, from its kind (the standard's own text is Chinese). */
function conditionEn(c: StarCondition): string {
  const s = `${c.stars} ${c.stars === 1 ? 'star' : 'stars'}`;
  switch (c.kind) {
    case 'prior_title':
      return `${s} need a title of at least ${c.minStars} stars within the last ${c.withinYears} ${c.withinYears === 1 ? 'year' : 'years'}`;
    case 'higher_check':
      return `${s} need a check passed at a higher level`;
    case 'recommendation':
      return `${s} need the lead department's recommendation`;
    case 'lower_title':
      return `${s} need the lower-level title`;
  }
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

export function rate(standard: StandardDoc, answers: CriterionAnswer[], scores: CriterionScore[], ctx: RatingContext = {}): Rating {
  const answerById = new Map(answers.map((a) => [a.criterionId, a]));
  const scoresById = new Map<string, CriterionScore[]>();
  for (const s of scores) scoresById.set(s.criterionId, [...(scoresById.get(s.criterionId) ?? []), s]);

  const scheme: RatingScheme = standard.scheme ?? 'stars';
  const defaultBands = standard.starRules.defaultBands ?? false;
  const criteria = allCriteria(standard).map((c) => rateCriterion(c, answerById.get(c.id), scoresById.get(c.id) ?? []));
  const applicable = criteria.filter((c) => c.status !== 'not_applicable');
  // only met criteria carry a score (rateCriterion gives pending and not met 0)
  const total = round2(applicable.reduce((t, c) => t + (c.status === 'met' ? c.score : 0), 0));
  const max = round2(applicable.reduce((t, c) => t + c.points, 0));
  const percent = max > 0 ? round2((total / max) * 100) : 0;
  const vetoed = criteria.filter((c) => c.veto && c.status === 'not_met').map((c) => c.criterionId);
  const pending = criteria.filter((c) => c.status === 'pending').map((c) => c.criterionId);
  const provisional = pending.length > 0;

  const bands = [...standard.starRules.bands].sort((a, b) => a.stars - b.stars);
  let starsByPoints = 0;
  for (const b of bands) if (percent >= b.minPercent) starsByPoints = b.stars;

  const unmetConditions = (stars: number) => standard.starRules.conditions.filter((c) => c.stars <= stars && !conditionMet(c, ctx));
  const unmetFor = (stars: number) => unmetConditions(stars).map((c) => c.text);
  let stars = vetoed.length ? 0 : starsByPoints;
  while (stars > 0 && unmetFor(stars).length) stars--;
  const unmetNow = vetoed.length ? [] : unmetConditions(starsByPoints);
  const conditionsUnmet = unmetNow.map((c) => c.text);
  const conditionsUnmetReasons = unmetNow.map((c) => reason('condition.unmet', { text: c.text, text_en: conditionEn(c) }));

  const title = scheme === 'title';
  const lowest = bands[0]!;
  const conferrable = title ? !vetoed.length && !provisional && stars >= 1 : stars >= 1;
  const level: TitleLevel = title ? (conferrable ? 'title' : 'none') : levelForStars(stars);

  const gapParams = (target: number, conds: StarCondition[]) => {
    const pointsNeeded = Math.max(0, round2(((bands.find((b) => b.stars === target)?.minPercent ?? 0) / 100) * max - total));
    return {
      pointsNeeded,
      params: {
        stars: target,
        pointsNeeded,
        items: vetoed.join('、'),
        items_en: vetoed.join(', '),
        pending: pending.length,
        conditions: conds.map((c) => c.text).join('；'),
        conditions_en: conds.map(conditionEn).join('; '),
      },
    };
  };
  let nextStar: StarGap | null = null;
  if (title) {
    if (!conferrable) {
      const conds = unmetConditions(lowest.stars);
      const { pointsNeeded, params } = gapParams(lowest.stars, conds);
      const summaryReason = reason('gap.title', params);
      nextStar = {
        stars: lowest.stars,
        pointsNeeded,
        criteriaToMeet: [...vetoed],
        conditions: conds.map((c) => c.text),
        summary: renderReason(summaryReason, 'zh'),
        summaryReason,
      };
    }
  } else {
    const nextBand = bands.find((b) => b.stars > stars);
    if (nextBand) {
      const conds = unmetConditions(nextBand.stars);
      const { pointsNeeded, params } = gapParams(nextBand.stars, conds);
      const summaryReason = reason('gap.star', params);
      nextStar = {
        stars: nextBand.stars,
        pointsNeeded,
        criteriaToMeet: [...vetoed],
        conditions: conds.map((c) => c.text),
        summary: renderReason(summaryReason, 'zh'),
        summaryReason,
      };
    }
  }

  const summaryReason: Reason = vetoed.length
    ? reason('summary.vetoed', { items: vetoed.join('、'), items_en: vetoed.join(', '), total, max })
    : title
      ? reason('summary.title', {
          total,
          max,
          percent,
          pending: pending.length,
          conferrable: conferrable ? 1 : 0,
          minPercent: lowest.minPercent,
        })
      : reason('summary.stars', {
          total,
          max,
          percent,
          stars,
          level: LEVEL_LABELS[level].zh,
          level_en: LEVEL_LABELS[level].en,
          pending: pending.length,
        });
  return {
    scheme,
    criteria,
    total,
    max,
    percent,
    vetoed,
    pending,
    provisional,
    stars,
    level,
    starsByPoints,
    conferrable,
    defaultBands,
    conditionsUnmet,
    conditionsUnmetReasons,
    nextStar,
    summary: renderReason(summaryReason, 'zh'),
    summaryReason,
  };
}
