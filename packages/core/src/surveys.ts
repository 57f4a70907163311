/**
 * 问卷调查 (surveys): the pure rules of a questionnaire — its questions and their validation, the
 * templates (两率一度, 公众安全感, 平安创建知晓率), the sampling plan (a target per subregion from a
 * total), the tallies and the favourable share each indicator question gives. No I/O; the server
 * (apps/server/src/modules/surveys) stores surveys and answers and calls these.
 *
 * The favourable share of a question that measures an indicator, in percent, 2 decimals:
 *   satisfaction  (满意 + 基本满意) ÷ answered × 100
 *   yes_no        是 ÷ answered × 100
 *   scale 1..max  mean ÷ max × 100  (= Σ answers × 100 ÷ (answered × max))
 * A question nobody answered gives no share (null), never 0.
 */

export const SURVEY_QUESTION_KINDS = ['satisfaction', 'scale', 'yes_no', 'single', 'open'] as const;
export type SurveyQuestionKind = (typeof SURVEY_QUESTION_KINDS)[number];

/** The fixed options of a satisfaction question, favourable first. */
export const SATISFACTION_OPTIONS = ['满意', '基本满意', '不满意'] as const;
export const SATISFACTION_FAVOURABLE: readonly string[] = ['满意', '基本满意'];

/** The indicators a question may measure (region_indicators.indicator). */
export const SURVEY_INDICATORS = [
  'participation',
  'awareness',
  'legal_team_satisfaction',
  'satisfaction',
  'public_safety_feeling',
] as const;
export type SurveyIndicator = (typeof SURVEY_INDICATORS)[number];

export const SURVEY_INDICATOR_LABELS: Record<SurveyIndicator | 'two_rates_one_degree', { zh: string; en: string }> = {
  participation: { zh: '参与率', en: 'Participation' },
  awareness: { zh: '知晓率', en: 'Awareness' },
  legal_team_satisfaction: { zh: '政法队伍满意度', en: 'Satisfaction with the legal services' },
  satisfaction: { zh: '群众满意度', en: 'Public satisfaction' },
  public_safety_feeling: { zh: '安全感', en: 'Sense of safety' },
  two_rates_one_degree: { zh: '两率一度', en: 'Two rates, one degree' },
};

/** 两率一度 = the mean of these three, when all three are present. */
export const TWO_RATES_ONE_DEGREE: readonly SurveyIndicator[] = ['awareness', 'participation', 'satisfaction'];

export const SCALE_MAX_LIMIT = 10;
export const SURVEY_MAX_QUESTIONS = 60;
export const SINGLE_MAX_OPTIONS = 20;

export interface SurveyQuestionDef {
  id: string;
  kind: SurveyQuestionKind;
  text: string;
  textEn?: string;
  options?: string[];
  max?: number;
  required: boolean;
  indicator?: string | null;
}

export type SurveyAnswerValue = string | number | boolean;
export type SurveyAnswers = Record<string, SurveyAnswerValue>;

const MEASURABLE: readonly SurveyQuestionKind[] = ['satisfaction', 'scale', 'yes_no'];

/** What is wrong with a questionnaire, in Chinese, one line a problem; empty when it is right. */
export function questionProblems(questions: readonly SurveyQuestionDef[]): string[] {
  const out: string[] = [];
  if (questions.length > SURVEY_MAX_QUESTIONS) out.push(`问卷最多${SURVEY_MAX_QUESTIONS}题`);
  const ids = new Set<string>();
  const indicators = new Map<string, number>();
  questions.forEach((q, i) => {
    const n = `第${i + 1}题`;
    if (!/^q\d{1,4}$/.test(q.id)) out.push(`${n}编号须为q加数字`);
    else if (ids.has(q.id)) out.push(`${n}编号${q.id}重复`);
    ids.add(q.id);
    if (!q.text.trim()) out.push(`${n}题目不能为空`);
    if (q.kind === 'single') {
      const opts = (q.options ?? []).map((o) => o.trim());
      if (opts.length < 2) out.push(`${n}单选题至少须有2个选项`);
      if (opts.length > SINGLE_MAX_OPTIONS) out.push(`${n}最多${SINGLE_MAX_OPTIONS}个选项`);
      if (opts.some((o) => !o)) out.push(`${n}选项不能为空`);
      if (new Set(opts).size !== opts.length) out.push(`${n}选项重复`);
    }
    if (q.kind === 'scale' && !(Number.isInteger(q.max) && q.max! >= 2 && q.max! <= SCALE_MAX_LIMIT))
      out.push(`${n}量表最高分须为2到${SCALE_MAX_LIMIT}的整数`);
    if (q.indicator) {
      if (!(SURVEY_INDICATORS as readonly string[]).includes(q.indicator)) out.push(`${n}指标「${q.indicator}」不存在`);
      else if (!MEASURABLE.includes(q.kind)) out.push(`${n}只有满意度、量表、是否题可以计算指标`);
      else if (indicators.has(q.indicator))
        out.push(`${n}与第${indicators.get(q.indicator)! + 1}题测量同一指标（${indicatorLabel(q.indicator)}），每个指标只能由一题测量`);
      else indicators.set(q.indicator, i);
    }
  });
  return out;
}

export const indicatorLabel = (id: string) => SURVEY_INDICATOR_LABELS[id as SurveyIndicator]?.zh ?? id;

/** The options a question offers (satisfaction: the fixed three). */
export function optionsOf(q: SurveyQuestionDef): readonly string[] {
  if (q.kind === 'satisfaction') return SATISFACTION_OPTIONS;
  if (q.kind === 'single') return q.options ?? [];
  return [];
}

/** Is `v` a valid answer to `q`? (answers to open questions are text of at most 500 characters) */
export function answerFits(q: SurveyQuestionDef, v: SurveyAnswerValue): boolean {
  switch (q.kind) {
    case 'satisfaction':
    case 'single':
      return typeof v === 'string' && optionsOf(q).includes(v);
    case 'scale':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= (q.max ?? 0);
    case 'yes_no':
      return typeof v === 'boolean';
    case 'open':
      return typeof v === 'string' && v.length <= 500;
  }
}

/** What is wrong with one answer sheet: unknown questions, wrong values, required ones left out. */
export function answerProblems(questions: readonly SurveyQuestionDef[], answers: SurveyAnswers): string[] {
  const out: string[] = [];
  const byId = new Map(questions.map((q, i) => [q.id, { q, i }]));
  for (const k of Object.keys(answers)) if (!byId.has(k)) out.push(`问卷中没有题目${k}`);
  questions.forEach((q, i) => {
    const v = answers[q.id];
    const blank = v === undefined || (typeof v === 'string' && !v.trim());
    if (blank) {
      if (q.required) out.push(`第${i + 1}题须作答`);
    } else if (!answerFits(q, v)) out.push(`第${i + 1}题的答案不正确`);
  });
  return out;
}

// ───────────────────────────── templates ─────────────────────────────

export type SurveyTemplateKind = 'two_rates_one_degree' | 'safety_feeling' | 'awareness';

export interface SurveyTemplate {
  kind: SurveyTemplateKind;
  title: { zh: string; en: string };
  intro: string;
  questions: SurveyQuestionDef[];
}

/**
 * The templates. 两率一度: the source documents (003 and 004) rank regions by “两率一度” but never
 * define it; the common reading in 平安建设 work is 知晓率 (awareness of the campaign), 参与率
 * (participation in it) and 满意度 (satisfaction with it), which is what this template measures and
 * what TWO_RATES_ONE_DEGREE averages.
 */
export const SURVEY_TEMPLATES: readonly SurveyTemplate[] = [
  {
    kind: 'two_rates_one_degree',
    title: { zh: '平安建设“两率一度”群众问卷调查', en: 'Two rates, one degree: public survey' },
    intro: '为了解群众对平安建设的知晓、参与和满意情况，特开展本次调查。问卷匿名填写，感谢您的支持！',
    questions: [
      {
        id: 'q1',
        kind: 'yes_no',
        text: '您是否知道本地正在开展平安建设（平安创建）活动？',
        textEn: 'Do you know about the local safety campaign?',
        required: true,
        indicator: 'awareness',
      },
      {
        id: 'q2',
        kind: 'yes_no',
        text: '过去一年，您是否参加过平安建设活动（如巡逻、宣传、矛盾调解、志愿服务）？',
        textEn: 'Did you take part in the campaign in the past year?',
        required: true,
        indicator: 'participation',
      },
      {
        id: 'q3',
        kind: 'satisfaction',
        text: '您对本地平安建设工作是否满意？',
        textEn: 'Are you satisfied with the local safety work?',
        required: true,
        indicator: 'satisfaction',
      },
      { id: 'q4', kind: 'open', text: '您对平安建设还有什么意见和建议？', textEn: 'Any suggestions?', required: false, indicator: null },
    ],
  },
  {
    kind: 'safety_feeling',
    title: { zh: '公众安全感问卷调查', en: 'Public sense of safety survey' },
    intro: '本次调查了解您对所在地区社会治安的感受，问卷匿名填写。',
    questions: [
      {
        id: 'q1',
        kind: 'satisfaction',
        text: '您觉得您所在地区的社会治安状况安全吗？（满意＝安全，基本满意＝基本安全，不满意＝不安全）',
        textEn: 'Do you feel safe where you live?',
        required: true,
        indicator: 'public_safety_feeling',
      },
      {
        id: 'q2',
        kind: 'satisfaction',
        text: '您对政法队伍（公安、检察、法院、司法行政）的工作是否满意？',
        textEn: 'Are you satisfied with the police, prosecutors, courts and justice bureau?',
        required: true,
        indicator: 'legal_team_satisfaction',
      },
      {
        id: 'q3',
        kind: 'scale',
        text: '夜间独自出行，您感到安全的程度（1 很不安全 — 5 很安全）',
        textEn: 'How safe do you feel out alone at night (1–5)?',
        max: 5,
        required: true,
        indicator: null,
      },
      {
        id: 'q4',
        kind: 'single',
        text: '您认为当前最突出的治安问题是？',
        textEn: 'The most pressing problem?',
        options: ['盗窃', '诈骗', '交通安全', '邻里纠纷', '其他'],
        required: false,
        indicator: null,
      },
    ],
  },
  {
    kind: 'awareness',
    title: { zh: '平安创建知晓率调查', en: 'Safety campaign awareness survey' },
    intro: '了解群众对平安创建活动的知晓情况，问卷匿名填写。',
    questions: [
      {
        id: 'q1',
        kind: 'yes_no',
        text: '您是否知道本地正在开展平安创建活动？',
        textEn: 'Do you know about the campaign?',
        required: true,
        indicator: 'awareness',
      },
      {
        id: 'q2',
        kind: 'yes_no',
        text: '您是否知道平安建设的举报、求助电话或渠道？',
        textEn: 'Do you know how to report or ask for help?',
        required: true,
        indicator: null,
      },
      {
        id: 'q3',
        kind: 'single',
        text: '您主要通过什么渠道了解平安创建？',
        textEn: 'Where did you hear about it?',
        options: ['宣传栏、横幅', '电视、广播、报纸', '网络、微信', '社区（村）干部、网格员', '没有了解过'],
        required: false,
        indicator: null,
      },
    ],
  },
];

// ───────────────────────────── sampling plan ─────────────────────────────

export interface SampleUnit {
  id: number;
  /** population or households; null/0 when unknown */
  weight: number | null;
}

/** Why a total cannot be spread over `n` regions with `min` each; null when it can. */
export function sampleProblem(total: number, n: number, min: number): string | null {
  if (n === 0) return '没有可分配样本的地区';
  if (!Number.isInteger(total) || total < 1) return '样本总量须为正整数';
  if (!Number.isInteger(min) || min < 0) return '每个地区的最少样本须为非负整数';
  if (total < n * min) return `样本总量${total}不足：${n}个地区每个至少${min}份，共需${n * min}份`;
  return null;
}

/**
 * Spreads `total` answers over the regions in proportion to their weight, each at least `min`:
 * regions whose share falls below the minimum are fixed at it and the rest re-spread over the others,
 * until none falls below; then the largest remainder method (ties: the larger weight, then the order
 * given) makes the targets whole numbers that add up to exactly `total`. Regions of unknown weight
 * get the minimum; when no weight is known, all weigh the same. Throws RangeError (sampleProblem).
 */
export function allocateSample(total: number, units: readonly SampleUnit[], min = 0): { id: number; target: number }[] {
  const problem = sampleProblem(total, units.length, min);
  if (problem) throw new RangeError(problem);
  const known = units.some((u) => (u.weight ?? 0) > 0);
  const w = units.map((u) => (known ? Math.max(0, u.weight ?? 0) : 1));
  const fixed = new Map<number, number>();
  let free = units.map((_, i) => i);
  let rest = total;
  for (;;) {
    const sum = free.reduce((t, i) => t + w[i]!, 0);
    const low = free.filter((i) => (sum > 0 ? (rest * w[i]!) / sum : 0) < min);
    if (!low.length || sum === 0) break;
    for (const i of low) fixed.set(i, min);
    rest -= low.length * min;
    free = free.filter((i) => !fixed.has(i));
  }
  const sum = free.reduce((t, i) => t + w[i]!, 0);
  const quota = new Map(free.map((i) => [i, sum > 0 ? (rest * w[i]!) / sum : rest / free.length]));
  const whole = new Map([...quota].map(([i, q]) => [i, Math.floor(q + 1e-9)]));
  let left = rest - [...whole.values()].reduce((t, v) => t + v, 0);
  const order = [...free].sort((a, b) => quota.get(b)! - whole.get(b)! - (quota.get(a)! - whole.get(a)!) || w[b]! - w[a]! || a - b);
  for (const i of order) {
    if (left <= 0) break;
    whole.set(i, whole.get(i)! + 1);
    left--;
  }
  return units.map((u, i) => ({ id: u.id, target: fixed.get(i) ?? whole.get(i) ?? 0 }));
}

// ───────────────────────────── tallies ─────────────────────────────

/** Rounds to 2 decimals, half away from zero, without binary noise (80.005 → 80.01). */
export function round2(n: number): number {
  const s = Math.sign(n);
  return (s * Math.round(Number(`${Math.abs(n)}e2`))) / 100 || 0;
}

export interface QuestionTally {
  questionId: string;
  kind: SurveyQuestionKind;
  indicator: string | null;
  /** sheets that answered the question */
  answered: number;
  /** option → count (satisfaction, single), 是/否 (yes_no), "1".."max" (scale) */
  counts: Record<string, number>;
  /** satisfaction: 满意 + 基本满意; yes_no: 是; scale: Σ answers ÷ max; null for single and open */
  favourable: number | null;
  /** favourable ÷ answered × 100, 2 decimals; null when nobody answered or the kind has none */
  share: number | null;
  /** scale: the mean answer, 2 decimals */
  mean: number | null;
}

/** Tallies one question over answer sheets. */
export function tallyQuestion(q: SurveyQuestionDef, sheets: readonly SurveyAnswers[]): QuestionTally {
  const counts: Record<string, number> = {};
  if (q.kind === 'yes_no') Object.assign(counts, { 是: 0, 否: 0 });
  for (const o of optionsOf(q)) counts[o] = 0;
  if (q.kind === 'scale') for (let v = 1; v <= (q.max ?? 0); v++) counts[String(v)] = 0;
  let answered = 0;
  let fav = 0;
  let sum = 0;
  for (const s of sheets) {
    const v = s[q.id];
    if (v === undefined || !answerFits(q, v) || (typeof v === 'string' && !v.trim())) continue;
    answered++;
    if (q.kind === 'open') continue;
    const key = q.kind === 'yes_no' ? (v ? '是' : '否') : String(v);
    counts[key] = (counts[key] ?? 0) + 1;
    if (q.kind === 'satisfaction' && SATISFACTION_FAVOURABLE.includes(v as string)) fav++;
    if (q.kind === 'yes_no' && v === true) fav++;
    if (q.kind === 'scale') sum += v as number;
  }
  return { questionId: q.id, kind: q.kind, indicator: q.indicator ?? null, answered, counts, ...favourableShare(q, answered, fav, sum) };
}

/** The favourable part and share of a question from its counts (see the file's header). */
export function favourableShare(
  q: Pick<SurveyQuestionDef, 'kind' | 'max'>,
  answered: number,
  favourableCount: number,
  scaleSum = 0,
): { favourable: number | null; share: number | null; mean: number | null } {
  if (q.kind === 'scale') {
    const max = q.max ?? 0;
    if (!answered || !max) return { favourable: answered ? 0 : null, share: null, mean: null };
    return { favourable: round2(scaleSum / max), share: round2((scaleSum * 100) / (answered * max)), mean: round2(scaleSum / answered) };
  }
  if (q.kind !== 'satisfaction' && q.kind !== 'yes_no') return { favourable: null, share: null, mean: null };
  return { favourable: favourableCount, share: answered ? round2((favourableCount * 100) / answered) : null, mean: null };
}

export interface IndicatorFigure {
  indicator: string;
  value: number;
  responses: number;
  answered: number;
  favourable: number;
  questionId: string | null;
}

/**
 * The indicator figures of a set of answer sheets: one per indicator question answered at least once,
 * and 两率一度 (the mean of 知晓率, 参与率, 满意度, 2 decimals) when all three are there.
 */
export function indicatorFigures(questions: readonly SurveyQuestionDef[], sheets: readonly SurveyAnswers[]): IndicatorFigure[] {
  const out: IndicatorFigure[] = [];
  for (const q of questions) {
    if (!q.indicator) continue;
    const t = tallyQuestion(q, sheets);
    if (t.share === null) continue;
    out.push({
      indicator: q.indicator,
      value: t.share,
      responses: sheets.length,
      answered: t.answered,
      favourable: t.favourable ?? 0,
      questionId: q.id,
    });
  }
  const trod = twoRatesOneDegree(out);
  if (trod) out.push(trod);
  return out;
}

/** 两率一度 from the three figures, or null when one is missing. */
export function twoRatesOneDegree(figures: readonly Pick<IndicatorFigure, 'indicator' | 'value' | 'responses'>[]): IndicatorFigure | null {
  const parts = TWO_RATES_ONE_DEGREE.map((id) => figures.find((f) => f.indicator === id));
  if (parts.some((p) => !p)) return null;
  const value = round2(parts.reduce((t, p) => t + p!.value, 0) / parts.length);
  return { indicator: 'two_rates_one_degree', value, responses: parts[0]!.responses, answered: 0, favourable: 0, questionId: null };
}

/** The question whose share fills a unit's measure: the one measuring 群众满意度, else the first measuring anything. */
export function measureQuestion(questions: readonly SurveyQuestionDef[]): SurveyQuestionDef | null {
  return questions.find((q) => q.indicator === 'satisfaction') ?? questions.find((q) => q.indicator) ?? null;
}
