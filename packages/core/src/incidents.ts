import type { RatingScheme, StandardDoc } from './standard.js';
import type { TitleLevel } from './rating.js';
import type { TitleStatusStored } from './titleStatus.js';

/**
 * Incidents that cost a title (动态管理): a serious case at a titled unit or in a titled region
 * suspends (黄牌警告), revokes (一票否决) or lowers the title, or takes away the next year's
 * eligibility (取消评先资格). Pure rules: what an incident type proposes, what it does to one
 * title, the appeal deadline. The server records, the office confirms, the holder may appeal.
 *
 * NOTE: this file imports only types from standard.ts (standard.ts imports the enums below for
 * its optional `incidentRules`): a value import would make a cycle that breaks at module load.
 */

export const INCIDENT_TYPES = [
  'homicide',
  'major_accident',
  'mass_incident',
  'criminal_case',
  'abnormal_petition',
  'organised_crime',
  'fire_accident',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_TYPE_LABELS: Record<IncidentType, { zh: string; en: string }> = {
  homicide: { zh: '命案', en: 'Homicide' },
  major_accident: { zh: '重大安全事故', en: 'Major safety accident' },
  mass_incident: { zh: '群体性事件', en: 'Mass incident' },
  criminal_case: { zh: '刑事案件', en: 'Criminal case' },
  abnormal_petition: { zh: '非正常上访', en: 'Abnormal petition' },
  organised_crime: { zh: '涉黑涉恶案件', en: 'Organised crime' },
  fire_accident: { zh: '火灾等安全事故', en: 'Fire or other safety accident' },
  other: { zh: '其他', en: 'Other' },
};

export const CONSEQUENCES = ['suspend', 'revoke', 'lower_stars', 'lose_eligibility', 'none'] as const;
export type Consequence = (typeof CONSEQUENCES)[number];

export const CONSEQUENCE_LABELS: Record<Consequence, { zh: string; en: string }> = {
  suspend: { zh: '黄牌警告', en: 'Yellow card (suspended)' },
  revoke: { zh: '撤销称号', en: 'Revoke the title' },
  lower_stars: { zh: '降低一个星级', en: 'Lower by one star' },
  lose_eligibility: { zh: '取消下一年度评先资格', en: 'No applications next year' },
  none: { zh: '不影响称号', en: 'No consequence' },
};

/**
 * Days the holder has to appeal, counted from the decision day: the last day is decision + 15
 * (inclusive). The sources set no period; 15 days is the platform's default (系统默认值).
 */
export const APPEAL_DAYS = 15;

export interface SourceQuote {
  /** the source document (standards/sources/…) */
  file: string;
  quote: string;
}

const F003 = '003_35323d3e4965a557.txt';
const F004 = '004_3749b02772093a94.txt';
const F000 = '000_aa59b18e80377b6c.txt';

export const INCIDENT_SOURCES = {
  veto003: {
    file: F003,
    quote: '对因工作不力……导致发生严重社会治安问题和安全生产事故的地方、部门和单位，按照有关规定进行责任查究和一票否决。',
  },
  eligibility004: {
    file: F004,
    quote: '……或平安创建工作受到中省通报或一年内两次被市综治委通报、约谈的县（区）和单位，取消年度平安建设评先资格',
  },
  yellow003: { file: F003, quote: '对排名倒数第一的县（市）区、单位给予黄牌警告' },
  curb003: {
    file: F003,
    quote: '“五个有效遏制”是：刑事案件高发势头得到有效遏制……越级集访和非正常上访得到有效遏制，公共安全重大事故得到有效遏制',
  },
  prevent003: {
    file: F003,
    quote: '防止发生有重大影响的群死群伤恶性治安灾害事故，防止发生有重大影响的涉黑恶团伙犯罪案件',
  },
  quality000: { file: F000, quote: '建设质效标准……不发生重大安全事件……不发生重大群体性事件……不发生黑恶势力犯罪等重大刑事犯罪活动' },
} satisfies Record<string, SourceQuote>;

export interface IncidentRule {
  consequences: Consequence[];
  sources: SourceQuote[];
  /** why, in a sentence; says where the platform chose a default the sources do not give */
  note: { zh: string; en: string };
}

/**
 * The default table: incident type → consequences, with the sentences it rests on. A standard may
 * set its own (StandardDoc.incidentRules); a veto criterion of the title's standard that the
 * incident breaks makes the title revoked whatever the table says.
 */
export const DEFAULT_INCIDENT_RULES: Record<IncidentType, IncidentRule> = {
  homicide: {
    consequences: ['revoke', 'lose_eligibility'],
    sources: [INCIDENT_SOURCES.veto003, INCIDENT_SOURCES.eligibility004],
    note: {
      zh: '命案属严重社会治安问题：一票否决，撤销称号，并取消下一年度评先资格',
      en: 'A homicide is a serious public-security problem: veto (revoke) and no applications next year',
    },
  },
  major_accident: {
    consequences: ['revoke', 'lose_eligibility'],
    sources: [INCIDENT_SOURCES.veto003, INCIDENT_SOURCES.prevent003, INCIDENT_SOURCES.eligibility004],
    note: {
      zh: '重大安全生产事故：一票否决，撤销称号，并取消下一年度评先资格',
      en: 'A major safety accident: veto (revoke) and no applications next year',
    },
  },
  organised_crime: {
    consequences: ['revoke', 'lose_eligibility'],
    sources: [INCIDENT_SOURCES.prevent003, INCIDENT_SOURCES.quality000, INCIDENT_SOURCES.eligibility004],
    note: {
      zh: '涉黑涉恶案件属“防止发生”之列：撤销称号，并取消下一年度评先资格',
      en: 'Organised crime is one of the outcomes to prevent: revoke and no applications next year',
    },
  },
  mass_incident: {
    consequences: ['suspend'],
    sources: [INCIDENT_SOURCES.quality000, INCIDENT_SOURCES.yellow003],
    note: {
      zh: '群体性事件：系统默认黄牌警告（源文件以“重大群体性事件”为否决项；标准的否决项被违反时撤销）',
      en: 'Mass incident: a yellow card by default (the sources veto major ones; a broken veto item of the standard revokes)',
    },
  },
  criminal_case: {
    consequences: ['suspend'],
    sources: [INCIDENT_SOURCES.curb003, INCIDENT_SOURCES.yellow003],
    note: {
      zh: '刑事案件：系统默认黄牌警告；标准要求“无刑事案件”等否决项时撤销',
      en: 'Criminal case: a yellow card by default; revoked where the standard vetoes criminal cases',
    },
  },
  abnormal_petition: {
    consequences: ['lower_stars'],
    sources: [INCIDENT_SOURCES.curb003],
    note: {
      zh: '非正常上访：系统默认降低一个星级（只命名不评星的称号改为黄牌警告）；标准以“无非正常上访”为否决项时撤销',
      en: 'Abnormal petition: one star less by default (a yellow card for a title without stars); revoked where the standard vetoes it',
    },
  },
  fire_accident: {
    consequences: ['suspend'],
    sources: [INCIDENT_SOURCES.veto003, INCIDENT_SOURCES.yellow003],
    note: {
      zh: '火灾等安全事故：系统默认黄牌警告；标准要求“无安全责任事故”“无消防安全事故”等否决项时撤销',
      en: 'Fire or other safety accident: a yellow card by default; revoked where the standard vetoes safety accidents',
    },
  },
  other: {
    consequences: ['none'],
    sources: [],
    note: { zh: '其他事件：由平安办根据情况确定处理', en: 'Other: the office decides' },
  },
};

/**
 * Words that say a veto criterion forbids what an incident of this type is. A veto criterion
 * (veto: true) whose title or text contains one of them is broken by the incident.
 */
export const VETO_KEYWORDS: Record<IncidentType, readonly string[]> = {
  homicide: ['命案', '刑事案件', '刑事犯罪', '治安刑事', '违法犯罪', '犯罪行为', '犯罪现象', '重大案件'],
  criminal_case: ['刑事案件', '刑事犯罪', '治安刑事', '违法犯罪', '犯罪行为', '犯罪现象', '重大案件'],
  organised_crime: ['黑恶', '涉黑', '涉恶', '黑社会'],
  major_accident: ['安全事故', '安全责任事故', '安全生产事故', '重大安全事件', '治安灾害事故', '重大事故'],
  fire_accident: ['消防安全事故', '火灾', '安全事故', '安全责任事故', '治安灾害事故'],
  mass_incident: ['群体性事件', '集体上访'],
  abnormal_petition: ['非正常上访', '越级集体上访', '越级上访', '极端上访', '集体上访', '缠访闹访'],
  other: [],
};

export interface BrokenVeto {
  criterionId: string;
  title: string | null;
  text: string;
  /** the word that matched */
  keyword: string;
}

/** The veto criteria (一票否决) of a standard that an incident of this type breaks. */
export function brokenVetoCriteria(type: IncidentType, standard: Pick<StandardDoc, 'groups'>): BrokenVeto[] {
  const words = VETO_KEYWORDS[type];
  const out: BrokenVeto[] = [];
  for (const g of standard.groups)
    for (const c of g.criteria) {
      if (!c.veto) continue;
      const hay = `${c.title ?? ''} ${c.text}`;
      const keyword = words.find((w) => hay.includes(w));
      if (keyword) out.push({ criterionId: c.id, title: c.title ?? null, text: c.text, keyword });
    }
  return out;
}

const TITLE_ACTIONS = ['revoke', 'lower_stars', 'suspend'] as const;
export type TitleAction = (typeof TITLE_ACTIONS)[number];

/**
 * Whether a set of consequences can stand together: 'none' alone, or at most one action on the
 * title (revoke, lower_stars, suspend) with or without lose_eligibility. Null when it can; the
 * problem in Chinese otherwise.
 */
export function consequencesProblem(list: readonly Consequence[]): string | null {
  if (!list.length) return '请选择处理结果';
  const set = new Set(list);
  if (set.size !== list.length) return '处理结果有重复';
  if (set.has('none') && set.size > 1) return '“不影响称号”不能与其他处理结果同时选择';
  const actions = TITLE_ACTIONS.filter((a) => set.has(a));
  if (actions.length > 1) return `对称号的处理只能选择一种：${actions.map((a) => CONSEQUENCE_LABELS[a].zh).join('、')}不能同时选择`;
  return null;
}

/** The consequences in a fixed order (title action first), without duplicates. */
export function sortConsequences(list: readonly Consequence[]): Consequence[] {
  return CONSEQUENCES.filter((c) => list.includes(c)).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}
const ORDER: readonly Consequence[] = ['revoke', 'lower_stars', 'suspend', 'lose_eligibility', 'none'];

/** Stored as text: 'revoke+lose_eligibility'. */
export function joinConsequences(list: readonly Consequence[]): string {
  return sortConsequences(list).join('+');
}
export function splitConsequences(s: string | null | undefined): Consequence[] {
  if (!s) return [];
  return sortConsequences(s.split('+').filter((x): x is Consequence => (CONSEQUENCES as readonly string[]).includes(x)));
}

export interface Proposal {
  consequences: Consequence[];
  /** where the proposal comes from: the standard's own rule, a broken veto item, or the default table */
  basis: 'standard_rule' | 'veto' | 'default';
  vetoCriteria: BrokenVeto[];
  sources: SourceQuote[];
  note: { zh: string; en: string };
}

/**
 * What an incident of `type` costs a title of a standard with `scheme`:
 *   1. the standard's own rule for the type (StandardDoc.incidentRules), if it has one;
 *   2. else, a veto criterion of the standard the incident breaks: revoke (一票否决), keeping the
 *      default table's lose_eligibility where it has one;
 *   3. else the default table.
 * A title-only scheme has no stars: lower_stars becomes suspend.
 */
export function proposeConsequence(
  type: IncidentType,
  scheme: RatingScheme,
  standard?: Pick<StandardDoc, 'groups'> & { incidentRules?: StandardIncidentRule[] },
): Proposal {
  const def = DEFAULT_INCIDENT_RULES[type];
  const own = standard?.incidentRules?.find((r) => r.type === type);
  const vetoCriteria = standard ? brokenVetoCriteria(type, standard) : [];
  let p: Proposal;
  if (own)
    p = {
      consequences: sortConsequences(own.consequences),
      basis: 'standard_rule',
      vetoCriteria,
      sources: own.source ? [{ file: own.source, quote: own.note ?? '' }] : [],
      note: { zh: own.note ?? '按本标准规定的事件处理规则', en: "By the standard's own incident rule" },
    };
  else if (vetoCriteria.length) {
    const ids = vetoCriteria.map((v) => v.criterionId).join('、');
    p = {
      consequences: sortConsequences(['revoke', ...(def.consequences.includes('lose_eligibility') ? (['lose_eligibility'] as const) : [])]),
      basis: 'veto',
      vetoCriteria,
      sources: [INCIDENT_SOURCES.veto003, ...def.sources.filter((s) => s !== INCIDENT_SOURCES.veto003)],
      note: {
        zh: `违反标准第${ids}项一票否决要求（${vetoCriteria[0]!.keyword}）：撤销称号`,
        en: `Breaks the standard's veto item ${ids} (${vetoCriteria[0]!.keyword}): revoke`,
      },
    };
  } else p = { consequences: [...def.consequences], basis: 'default', vetoCriteria, sources: def.sources, note: def.note };
  if (scheme === 'title' && p.consequences.includes('lower_stars'))
    p = { ...p, consequences: sortConsequences(p.consequences.map((c) => (c === 'lower_stars' ? 'suspend' : c))) };
  return p;
}

/** A standard's own incident rule (StandardDoc.incidentRules), as standard.ts declares it. */
export interface StandardIncidentRule {
  type: IncidentType;
  consequences: Consequence[];
  /** the source sentence or document it rests on */
  source?: string;
  note?: string;
}

/**
 * The proposals for several titles of one subject, merged into one for the incident: the
 * strongest title action (revoke > lower_stars > suspend) and lose_eligibility if any has it.
 */
export function mergeProposals(list: readonly Proposal[], fallback: Proposal): Consequence[] {
  if (!list.length) return fallback.consequences;
  const all = new Set(list.flatMap((p) => p.consequences));
  const action = TITLE_ACTIONS.find((a) => all.has(a));
  const out: Consequence[] = [...(action ? [action] : []), ...(all.has('lose_eligibility') ? (['lose_eligibility'] as const) : [])];
  return out.length ? out : ['none'];
}

export interface TitleChange {
  /** what happens to the title: null = nothing (see note) */
  action: TitleAction | null;
  toStatus: TitleStatusStored;
  toStars: number;
  toLevel: TitleLevel;
  /** why nothing happens, or why the action differs from the consequence asked for */
  note: { zh: string; en: string } | null;
}

const levelForStars = (stars: number): TitleLevel =>
  stars >= 5 ? 'exemplary' : stars === 4 ? 'advanced' : stars >= 1 ? 'standard' : 'none';

/**
 * What the confirmed consequences do to one title on `today`. A revoked or expired title is not
 * changed again; a suspended one is not suspended twice; lower_stars lowers by one, never below
 * one star: a title without stars, or at one star, gets the yellow card instead.
 */
export function titleChange(
  title: { status: TitleStatusStored; stars: number; level: TitleLevel; validUntil: string | null },
  consequences: readonly Consequence[],
  today: string,
): TitleChange {
  const same = { toStatus: title.status, toStars: title.stars, toLevel: title.level };
  if (title.status === 'revoked')
    return { action: null, ...same, note: { zh: '称号已撤销，不再变更', en: 'Already revoked: not changed again' } };
  if (title.validUntil && today > title.validUntil)
    return {
      action: null,
      ...same,
      note: { zh: `称号已于${title.validUntil}到期，不再变更`, en: `Expired on ${title.validUntil}: not changed` },
    };
  const action = TITLE_ACTIONS.find((a) => consequences.includes(a)) ?? null;
  if (!action) return { action: null, ...same, note: null };
  if (action === 'revoke') return { action, toStatus: 'revoked', toStars: title.stars, toLevel: title.level, note: null };
  const suspend = (note: TitleChange['note']): TitleChange =>
    title.status === 'suspended'
      ? { action: null, ...same, note: { zh: '称号已是黄牌警告', en: 'Already on a yellow card' } }
      : { action: 'suspend', toStatus: 'suspended', toStars: title.stars, toLevel: title.level, note };
  if (action === 'suspend') return suspend(null);
  // lower_stars
  if (title.level === 'title' || title.stars <= 0)
    return suspend({ zh: '该称号只命名不评星，降星改为黄牌警告', en: 'The title has no stars: a yellow card instead' });
  if (title.stars === 1) return suspend({ zh: '已是一星级，不能再降，改为黄牌警告', en: 'Already one star: a yellow card instead' });
  return { action: 'lower_stars', toStatus: title.status, toStars: title.stars - 1, toLevel: levelForStars(title.stars - 1), note: null };
}

/** 取消下一年度评先资格: the year after the incident's. */
export function ineligibleYearFor(occurredOn: string): number {
  return Number(occurredOn.slice(0, 4)) + 1;
}

/** The last day (inclusive) to appeal a decision taken on `decidedOn`. */
export function appealUntilFor(decidedOn: string, days = APPEAL_DAYS): string {
  return new Date(Date.parse(`${decidedOn}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whether an appeal may still be filed on `today` (the last day included). */
export function appealOpen(appealUntil: string | null, today: string): boolean {
  return appealUntil !== null && today <= appealUntil;
}
