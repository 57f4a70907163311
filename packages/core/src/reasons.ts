/**
 * Reasons as message codes with parameters (评级依据). The engine says what it found as a code and
 * the figures; the reader's interface renders it in its own language, so the English interface
 * shows no Chinese reasons. A parameter that reads differently by language comes as a pair:
 * `label` (Chinese) and `label_en` (English); rendering in English takes `label_en` when present.
 */

export type Lang = 'zh' | 'en';

export type ReasonParams = Record<string, string | number>;

export interface Reason {
  code: string;
  params: ReasonParams;
}

/** Reads one parameter in the reader's language; a missing one reads as ''. */
type Get = (name: string) => string;
/** Reads a numeric parameter (0 when missing). */
type Num = (name: string) => number;

interface Message {
  zh: (g: Get, n: Num) => string;
  en: (g: Get, n: Num) => string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The catalogue: one entry a code, a Chinese and an English rendering. */
export const REASON_MESSAGES = {
  // figures (量化指标)
  'measure.missing': {
    zh: (g) => `${g('label')}未填报（要求：${g('want')}）`,
    en: (g) => `${g('label')} not reported (required: ${g('want')})`,
  },
  'measure.previousMissing': {
    zh: (g) => `${g('label')}未填报上年数（要求：${g('want')}）`,
    en: (g) => `${g('label')}: last year's figure not reported (required: ${g('want')})`,
  },
  'measure.rateNotComputable': {
    zh: (g) => `${g('label')}无法计算：${g('denominator')}为0（要求：${g('want')}）`,
    en: (g) => `${g('label')} cannot be computed: ${g('denominator')} is 0 (required: ${g('want')})`,
  },
  'measure.met': {
    zh: (g) => `${g('shown')}，要求${g('want')}，达标`,
    en: (g) => `${g('shown')}, required ${g('want')}: met`,
  },
  'measure.notMet': {
    zh: (g) => `${g('shown')}，要求${g('want')}，未达标`,
    en: (g) => `${g('shown')}, required ${g('want')}: not met`,
  },
  // one criterion
  'figures.notMet': {
    zh: () => '量化指标未达标，本项不得分',
    en: () => 'Figures not met: no points for this item',
  },
  'figures.incomplete': {
    zh: () => '量化指标未填报完整，本项待定，暂不计分',
    en: () => 'Figures incomplete: the item stays pending and earns no points yet',
  },
  'criterion.veto': {
    zh: () => '本项为一票否决项',
    en: () => 'This is a veto item: failing it disqualifies the application',
  },
  'criterion.awaitFiguresAndReview': {
    zh: () => '待填报指标并评审',
    en: () => 'Figures to be reported, then reviewed',
  },
  'criterion.awaitReview': {
    zh: () => '待评审',
    en: () => 'Awaiting review',
  },
  'review.notApplicable': {
    zh: (g) => `${g('stage')}认定本项不适用${g('comment') ? `：${g('comment')}` : ''}`,
    en: (g) => `${g('stage')} found the item not applicable${g('comment') ? `: ${g('comment')}` : ''}`,
  },
  'review.verdict': {
    zh: (g, n) =>
      `${g('stage')}：${n('met') ? '符合' : '不符合'}，得${g('score')}/${g('points')}分${g('comment') ? `（${g('comment')}）` : ''}`,
    en: (g, n) =>
      `${g('stage')}: ${n('met') ? 'met' : 'not met'}, ${g('score')}/${g('points')} points${g('comment') ? ` (${g('comment')})` : ''}`,
  },
  // star conditions
  'condition.unmet': {
    zh: (g) => g('text'),
    en: (g) => g('text'),
  },
  // the whole rating
  'summary.vetoed': {
    zh: (g) => `第${g('items')}项一票否决，不予命名（得分${g('total')}/${g('max')}）`,
    en: (g) => `Vetoed on item ${g('items')}: not conferred (score ${g('total')}/${g('max')})`,
  },
  'summary.stars': {
    zh: (g, n) =>
      `得分${g('total')}/${g('max')}（${g('percent')}%），${n('stars') ? `${n('stars')}星，${g('level')}` : '未达到1星'}${
        n('pending') ? `；${n('pending')}项待评审，评级为暂定` : ''
      }`,
    en: (g, n) =>
      `Score ${g('total')}/${g('max')} (${g('percent')}%), ${n('stars') ? `${n('stars')} ${plural(n('stars'), 'star', 'stars')}, ${g('level')}` : 'below 1 star'}${
        n('pending') ? `; ${n('pending')} ${plural(n('pending'), 'item', 'items')} awaiting review, the rating is provisional` : ''
      }`,
  },
  'summary.title': {
    zh: (g, n) =>
      `得分${g('total')}/${g('max')}（${g('percent')}%），${
        n('pending')
          ? `${n('pending')}项待评审，尚不能判定是否符合命名条件（暂定）`
          : n('conferrable')
            ? '符合命名条件'
            : `不符合命名条件（须达到${g('minPercent')}%）`
      }`,
    en: (g, n) =>
      `Score ${g('total')}/${g('max')} (${g('percent')}%), ${
        n('pending')
          ? `${n('pending')} ${plural(n('pending'), 'item', 'items')} awaiting review: whether the title can be conferred is not yet decided (provisional)`
          : n('conferrable')
            ? 'meets the conditions for the title'
            : `does not meet the conditions for the title (needs ${g('minPercent')}%)`
      }`,
  },
  // the gap to the next star, or to the title
  'gap.star': {
    zh: (g, n) => `${n('stars')}星${gapZh(g, n) || '条件已具备，待评审确认'}`,
    en: (g, n) =>
      `${n('stars')} ${plural(n('stars'), 'star', 'stars')}: ${gapEn(g, n) || 'conditions in place, awaiting confirmation by review'}`,
  },
  'gap.title': {
    zh: (g, n) => `距符合命名条件：${gapZh(g, n) || '条件已具备，待评审确认'}`,
    en: (g, n) => `To meet the title conditions: ${gapEn(g, n) || 'conditions in place, awaiting confirmation by review'}`,
  },
} satisfies Record<string, Message>;

export type ReasonCode = keyof typeof REASON_MESSAGES;

function gapZh(g: Get, n: Num): string {
  const parts: string[] = [];
  if (n('pointsNeeded') > 0) parts.push(`还需${g('pointsNeeded')}分`);
  if (g('items')) parts.push(`第${g('items')}项须达标（一票否决）`);
  if (n('pending') > 0) parts.push(`${n('pending')}项待评审`);
  if (g('conditions')) parts.push(g('conditions'));
  return parts.join('，');
}

function gapEn(g: Get, n: Num): string {
  const parts: string[] = [];
  if (n('pointsNeeded') > 0) parts.push(`${g('pointsNeeded')} more points`);
  if (g('items')) parts.push(`item ${g('items')} must be met (veto)`);
  if (n('pending') > 0) parts.push(`${n('pending')} ${plural(n('pending'), 'item', 'items')} awaiting review`);
  if (g('conditions')) parts.push(g('conditions'));
  return parts.join(', ');
}

export function reason(code: ReasonCode, params: ReasonParams = {}): Reason {
  return { code, params };
}

function isCode(code: string): code is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASON_MESSAGES, code);
}

/**
 * Renders a reason in the reader's language. A plain string (a rating stored before reasons were
 * codes) is returned as it is; an unknown code renders as the code itself.
 */
export function renderReason(r: Reason | string, lang: Lang): string {
  if (typeof r === 'string') return r;
  if (!isCode(r.code)) return r.code;
  const p = r.params ?? {};
  const g: Get = (name) => {
    const v = (lang === 'en' ? p[`${name}_en`] : undefined) ?? p[name];
    return v === undefined ? '' : String(v);
  };
  const n: Num = (name) => {
    const v = Number(p[name]);
    return Number.isFinite(v) ? v : 0;
  };
  const m: Message = REASON_MESSAGES[r.code];
  return m[lang](g, n);
}
