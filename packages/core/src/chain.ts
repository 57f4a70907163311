import { z } from 'zod';
import type { Role } from './workflow.js';

/**
 * Review chains (评审流程): who owns each step of an application's way from submission to
 * evaluation. A campaign picks a chain (a preset from the source documents, or its own); each step
 * names its owner relative to the campaign or to the applicant's region, what it decides, and its
 * deadline. Seeing is the scope (scope.ts); acting is ownership, decided here and nowhere else.
 *
 * Statuses stay coarse (workflow.ts): steps of phase `preliminary` run while an application is
 * `submitted`, steps of phase `evaluation` while it is `preliminary_passed`. Passing the last step
 * of a phase moves the status on; the application's `step` says which step holds it now.
 */

export const STEP_KINDS = ['review', 'signoff', 'onsite', 'vote', 'evaluate'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const OFFICE_LEVELS = ['campaign', 'county', 'town', 'village'] as const;
export type OfficeLevel = (typeof OFFICE_LEVELS)[number];

/** Who owns a step. */
export const StepOwner = z.discriminatedUnion('kind', [
  // the safety office (平安办 / 领导小组办公室) of the campaign's region, or of the applicant's
  // ancestor region at a level (村/社区初审 by the village, 街道审核 by the street)
  z.object({ kind: z.literal('office'), level: z.enum(OFFICE_LEVELS) }),
  // the campaign region's department that leads the category (牵头部门初评)
  z.object({ kind: z.literal('lead_department') }),
  // every campaign-region department named on the application's criteria (会签)
  z.object({ kind: z.literal('departments') }),
  // the experts assigned to the application (现场核查)
  z.object({ kind: z.literal('experts') }),
]);
export type StepOwner = z.infer<typeof StepOwner>;

export const ChainStep = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/),
  kind: z.enum(STEP_KINDS),
  phase: z.enum(['preliminary', 'evaluation']),
  name: z.string().min(1).max(50),
  nameEn: z.string().max(80).optional(),
  owner: StepOwner,
  /** what the step decides, in the source's words */
  decides: z.string().max(200).optional(),
  /** last day, YYYY-MM-DD; null = the campaign's review deadline */
  deadline: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
  /** the source sentence the step comes from */
  source: z.string().max(500).optional(),
});
export type ChainStep = z.infer<typeof ChainStep>;

export const ChainRules = z.object({
  /** 004: applications enter the campaign by a lower office's recommendation, not by self-submission */
  entry: z.enum(['self', 'recommendation']).default('self'),
  /** 004: 推荐对象须已获得县区级命名 */
  lowerTitleRequired: z.boolean().default(false),
  /** 004: recommendations per recommending body within its quota */
  recommendationsWithinQuota: z.boolean().default(false),
  /** 002: 按照不低于表彰名额2倍的要求做好推荐申报 — nominations ≥ factor × award quota */
  nominationFactor: z.number().min(0).max(10).nullable().default(null),
  /** 000: 4 stars (先进) by 评选 among candidates within a number */
  selectionForStars: z.number().int().min(1).max(5).nullable().default(null),
});
export type ChainRules = z.infer<typeof ChainRules>;

export const Chain = z
  .object({
    preset: z.string().max(40),
    name: z.string().max(80),
    steps: z.array(ChainStep).min(1).max(12),
    rules: ChainRules.default({
      entry: 'self',
      lowerTitleRequired: false,
      recommendationsWithinQuota: false,
      nominationFactor: null,
      selectionForStars: null,
    }),
  })
  .superRefine((c, ctx) => {
    const keys = new Set<string>();
    c.steps.forEach((s, i) => {
      if (keys.has(s.key)) ctx.addIssue({ code: 'custom', message: `步骤代码重复：${s.key}`, path: ['steps', i, 'key'] });
      keys.add(s.key);
      if (i > 0 && c.steps[i - 1]!.phase === 'evaluation' && s.phase === 'preliminary')
        ctx.addIssue({ code: 'custom', message: '初评阶段的步骤须排在综合评定阶段之前', path: ['steps', i, 'phase'] });
    });
    // steps.min(1) reports an empty list; zod runs this refinement anyway, so it must not assume a step
    const last = c.steps.at(-1);
    if (!last) return;
    if (last.kind !== 'evaluate' || last.owner.kind !== 'office' || last.owner.level !== 'campaign')
      ctx.addIssue({ code: 'custom', message: '最后一步须为创建活动所属平安办的综合评定', path: ['steps'] });
    if (!c.steps.some((s) => s.phase === 'preliminary'))
      ctx.addIssue({ code: 'custom', message: '至少须有一个初评阶段的步骤', path: ['steps'] });
  });
export type Chain = z.infer<typeof Chain>;
export type ChainInput = z.input<typeof Chain>;

const step = (s: z.input<typeof ChainStep>): ChainStep => ChainStep.parse(s);

/** 000 (镇江): 自查自评 → 牵头部门初评 → 平安办综合评定 by 现场核查 / 资料核查 / 专家论证. */
export const PRESET_000: Chain = Chain.parse({
  preset: 'zhenjiang-000',
  name: '星级评定（镇江规范）',
  steps: [
    step({
      key: 'dept_signoff',
      kind: 'signoff',
      phase: 'preliminary',
      name: '部门会签',
      nameEn: 'Departments sign off',
      owner: { kind: 'departments' },
      decides: '各牵头、配合部门对本部门负责的条目评分并签署意见',
    }),
    step({
      key: 'lead_review',
      kind: 'review',
      phase: 'preliminary',
      name: '牵头部门初评',
      nameEn: 'Lead department preliminary review',
      owner: { kind: 'lead_department' },
      decides: '初评通过、退回或不予通过',
      source: '自查自评 → 牵头部门初评 → 平安办综合评定',
    }),
    step({
      key: 'onsite',
      kind: 'onsite',
      phase: 'evaluation',
      name: '现场核查',
      nameEn: 'On-site check',
      owner: { kind: 'experts' },
      decides: '专家现场核查、资料核查，逐项记录发现',
      source: '平安办综合评定采取现场核查、资料核查、专家论证等方式',
    }),
    step({
      key: 'evaluation',
      kind: 'evaluate',
      phase: 'evaluation',
      name: '平安办综合评定',
      nameEn: 'Comprehensive evaluation',
      owner: { kind: 'office', level: 'campaign' },
      decides: '1—3星为达标单位（评定），4星为先进单位（评选），5星为示范单位（评定）',
    }),
  ],
  rules: { selectionForStars: 4 },
});

/** 002 (大托铺): the 申报表/审核表 chain: 村/社区初审 → 街道审核 → 领导小组审定. */
export const PRESET_002: Chain = Chain.parse({
  preset: 'datuopu-002',
  name: '“十大平安”审核表流程（大托铺方案）',
  steps: [
    step({
      key: 'village_review',
      kind: 'review',
      phase: 'preliminary',
      name: '村（社区）初审',
      nameEn: 'Village / community first review',
      owner: { kind: 'office', level: 'village' },
      decides: '申报表“牵头单位意见”',
    }),
    step({
      key: 'street_review',
      kind: 'review',
      phase: 'preliminary',
      name: '街道审核',
      nameEn: 'Street review',
      owner: { kind: 'office', level: 'town' },
      decides: '审核表“审核单位意见”（初步验收）',
      source:
        '验收采取创建单位填写“十大平安”创建审核表、向公共安全办提出验收申请、相关单位初步验收后，报区平安建设领导小组进行联审的程序进行',
    }),
    step({
      key: 'evaluation',
      kind: 'evaluate',
      phase: 'evaluation',
      name: '领导小组审定',
      nameEn: 'Leading group decision',
      owner: { kind: 'office', level: 'campaign' },
      decides: '验收并审核认定表彰名单',
      source: '区平安建设领导小组验收并审核认定表彰名单后，统一制作“十大平安”创建奖牌进行专题表彰',
    }),
  ],
  rules: { nominationFactor: 2 },
});

/**
 * 004 (商洛): a county names its own titles first, then recommends to the city within its quota,
 * only units it has already named; the city checks on site, runs an online vote and a media
 * notice, and names.
 */
export const PRESET_004: Chain = Chain.parse({
  preset: 'shangluo-004',
  name: '县区命名、推荐市级评定（商洛“985”）',
  steps: [
    step({
      key: 'dept_signoff',
      kind: 'signoff',
      phase: 'preliminary',
      name: '市级部门会签',
      nameEn: 'City departments sign off',
      owner: { kind: 'departments' },
      decides: '主责部门与配合部门对各自负责的条目评分并签署意见',
    }),
    step({
      key: 'onsite',
      kind: 'onsite',
      phase: 'evaluation',
      name: '实地核查',
      nameEn: 'On-site check',
      owner: { kind: 'experts' },
      source: '对各县（区）推荐申报对象采取实地核查、网络评选、媒体公示等方式进行评选',
    }),
    step({
      key: 'online_vote',
      kind: 'vote',
      phase: 'evaluation',
      name: '网络评选',
      nameEn: 'Online vote',
      owner: { kind: 'office', level: 'campaign' },
      decides: '平安办登记网络评选结果后进入下一步',
      source: '对各县（区）推荐申报对象采取实地核查、网络评选、媒体公示等方式进行评选',
    }),
    step({
      key: 'evaluation',
      kind: 'evaluate',
      phase: 'evaluation',
      name: '市综治办检查评定',
      nameEn: 'City evaluation',
      owner: { kind: 'office', level: 'campaign' },
      decides: '达到相关标准要求的由市委、市政府命名表彰（媒体公示在公示环节进行）',
    }),
  ],
  rules: { entry: 'recommendation', lowerTitleRequired: true, recommendationsWithinQuota: true },
});

/**
 * The plain chain: the lead department's preliminary review, then the campaign office's
 * evaluation. Also a county's own naming round under 004 (各县（区）组织评定命名), before it
 * recommends to the city.
 */
export const PRESET_LEAD_OFFICE: Chain = Chain.parse({
  preset: 'lead-office',
  name: '牵头部门初评、平安办评定（县区评定命名）',
  steps: [
    step({
      key: 'lead_review',
      kind: 'review',
      phase: 'preliminary',
      name: '牵头部门初评',
      nameEn: 'Lead department review',
      owner: { kind: 'lead_department' },
    }),
    step({
      key: 'evaluation',
      kind: 'evaluate',
      phase: 'evaluation',
      name: '平安办评定命名',
      nameEn: 'Evaluation and naming',
      owner: { kind: 'office', level: 'campaign' },
      source: '11月底前，各县（区）组织实施本县（区）年度评定命名',
    }),
  ],
});

export const CHAIN_PRESETS: Record<string, Chain> = {
  [PRESET_000.preset]: PRESET_000,
  [PRESET_002.preset]: PRESET_002,
  [PRESET_004.preset]: PRESET_004,
  [PRESET_LEAD_OFFICE.preset]: PRESET_LEAD_OFFICE,
};

/** The chain a campaign runs when it names none: the lead department, then the office. */
export const DEFAULT_CHAIN: Chain = PRESET_LEAD_OFFICE;

// ─────────────────────────────── moving along ───────────────────────────────

export function firstStep(chain: Chain): ChainStep {
  return chain.steps[0]!;
}

export function stepByKey(chain: Chain, key: string | null | undefined): ChainStep | null {
  return chain.steps.find((s) => s.key === key) ?? null;
}

/**
 * Where passing `current` leads: the next step, moving the status from `submitted` to
 * `preliminary_passed` when it crosses into the evaluation phase; after the last step, `evaluated`.
 */
export function afterStep(
  chain: Chain,
  currentKey: string,
): { status: 'submitted' | 'preliminary_passed' | 'evaluated'; step: string | null } {
  const i = chain.steps.findIndex((s) => s.key === currentKey);
  if (i < 0) throw new RangeError(`step ${currentKey} is not in the chain`);
  const next = chain.steps[i + 1];
  if (!next) return { status: 'evaluated', step: null };
  return { status: next.phase === 'preliminary' ? 'submitted' : 'preliminary_passed', step: next.key };
}

/** The status that belongs to being at a step. */
export function statusAtStep(step: ChainStep): 'submitted' | 'preliminary_passed' {
  return step.phase === 'preliminary' ? 'submitted' : 'preliminary_passed';
}

// ─────────────────────────────── ownership ───────────────────────────────

/** The account, as ownership sees it. */
export interface Actor {
  userId: number;
  role: Role;
  org: { id: number; kind: 'safety_office' | 'department'; deptCode: string; regionId: number } | null;
}

/** The application, as ownership sees it. */
export interface OwnershipContext {
  /** the campaign's region */
  campaignRegionId: number;
  /** region ids of the applicant's region and its ancestors, keyed by level */
  applicantRegions: Partial<Record<'province' | 'city' | 'county' | 'town' | 'village' | 'grid', number>>;
  /** lead department codes of the category */
  leadDepts: readonly string[];
  /** department codes named (lead or cooperating) on any criterion of the standard */
  criteriaDepts: readonly string[];
  /** users with an open expert assignment on the application */
  assignedExperts: readonly number[];
}

/** The region id that owns a step of `office` kind, or null when the applicant has no such region. */
export function officeRegionFor(owner: Extract<StepOwner, { kind: 'office' }>, ctx: OwnershipContext): number | null {
  if (owner.level === 'campaign') return ctx.campaignRegionId;
  return ctx.applicantRegions[owner.level] ?? null;
}

/** Whether this account owns this step of this application. The one rule; the server and web both ask it. */
export function ownsStep(actor: Actor, step: ChainStep, ctx: OwnershipContext): boolean {
  const o = step.owner;
  switch (o.kind) {
    case 'office': {
      const region = officeRegionFor(o, ctx);
      return actor.role === 'safety_office' && actor.org?.kind === 'safety_office' && region !== null && actor.org.regionId === region;
    }
    case 'lead_department':
      return (
        actor.role === 'lead_department' &&
        actor.org?.kind === 'department' &&
        actor.org.regionId === ctx.campaignRegionId &&
        ctx.leadDepts.includes(actor.org.deptCode)
      );
    case 'departments':
      return (
        (actor.role === 'lead_department' || actor.role === 'cooperating_department') &&
        actor.org?.kind === 'department' &&
        actor.org.regionId === ctx.campaignRegionId &&
        ctx.criteriaDepts.includes(actor.org.deptCode)
      );
    case 'experts':
      return actor.role === 'expert' && ctx.assignedExperts.includes(actor.userId);
  }
}

/** The campaign's own office: it evaluates, publishes, confers, overrides and withdraws. */
export function ownsCampaign(actor: Actor, campaignRegionId: number): boolean {
  return actor.role === 'safety_office' && actor.org?.kind === 'safety_office' && actor.org.regionId === campaignRegionId;
}

/** The criteria a department answers for in a 会签: those naming it as lead or cooperating. */
export function criteriaOfDepartment(
  criteria: readonly { id: string; lead: readonly string[]; cooperate: readonly string[] }[],
  deptCode: string,
): string[] {
  return criteria.filter((c) => c.lead.includes(deptCode) || c.cooperate.includes(deptCode)).map((c) => c.id);
}

/** Department codes named on a standard's criteria, in the order they first appear. */
export function departmentsOnCriteria(criteria: readonly { lead: readonly string[]; cooperate: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const c of criteria) for (const d of [...c.lead, ...c.cooperate]) if (!out.includes(d)) out.push(d);
  return out;
}

// ─────────────────────────────── dates ───────────────────────────────

const DAY = 86_400_000;
const parseDay = (s: string) => Date.parse(`${s}T00:00:00Z`);
const fmtDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A date that exists: 2026-02-30 and 2026-13-01 do not. */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = parseDay(s);
  return Number.isFinite(t) && fmtDay(t) === s && Number(s.slice(0, 4)) >= 1900;
}

export function addDays(s: string, n: number): string {
  return fmtDay(parseDay(s) + n * DAY);
}

/**
 * Working days from `start` to `end`, both included, counting Monday to Friday. Public holidays
 * and the weekend days worked in their stead (调休) are not in this count: an office that needs
 * them sets a longer minimum.
 */
export function workingDaysBetween(start: string, end: string): number {
  let n = 0;
  for (let t = parseDay(start); t <= parseDay(end); t += DAY) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

/** The first day on which a notice starting `start` has lasted `minWorkingDays` working days. */
export function earliestNoticeEnd(start: string, minWorkingDays: number): string {
  let t = parseDay(start);
  let n = 0;
  for (;;) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
    if (n >= minWorkingDays) return fmtDay(t);
    t += DAY;
  }
}

/** Problems with a notice's dates, in Chinese; empty when fine. */
export function noticeDateProblems(startsOn: string, endsOn: string, today: string, minWorkingDays: number): string[] {
  const out: string[] = [];
  if (!isRealDate(startsOn)) out.push(`公示开始日期「${startsOn}」不是有效日期`);
  if (!isRealDate(endsOn)) out.push(`公示结束日期「${endsOn}」不是有效日期`);
  if (out.length) return out;
  if (startsOn < today) out.push(`公示开始日期${startsOn}早于今天（${today}），公示只能从今天或以后开始`);
  if (endsOn < startsOn) out.push('公示结束日期不能早于开始日期');
  else if (workingDaysBetween(startsOn, endsOn) < minWorkingDays)
    out.push(`公示期不少于${minWorkingDays}个工作日：自${startsOn}起最早于${earliestNoticeEnd(startsOn, minWorkingDays)}结束`);
  return out;
}

/** Problems with a campaign's dates, in Chinese; empty when fine. */
export function campaignDateProblems(c: {
  year: number;
  applyDeadline: string;
  reviewDeadline: string;
  phases: readonly { key: string; name: string; start: string; end: string }[];
  steps?: readonly { name: string; deadline: string | null }[];
}): string[] {
  const out: string[] = [];
  const y = String(c.year);
  const dates: [string, string][] = [
    ['申报截止日期', c.applyDeadline],
    ['评审截止日期', c.reviewDeadline],
    ...c.phases.flatMap((p): [string, string][] => [
      [`${p.name}开始日期`, p.start],
      [`${p.name}结束日期`, p.end],
    ]),
    ...(c.steps ?? []).filter((s) => s.deadline).map((s): [string, string] => [`${s.name}期限`, s.deadline!]),
  ];
  for (const [label, d] of dates) {
    if (!isRealDate(d)) out.push(`${label}「${d}」不是有效日期`);
    else if (!d.startsWith(y)) out.push(`${label}${d}不在${c.year}年内`);
  }
  if (out.length) return out;
  if (c.reviewDeadline < c.applyDeadline) out.push('评审截止日期不能早于申报截止日期');
  for (const p of c.phases) if (p.end < p.start) out.push(`${p.name}结束日期不能早于开始日期`);
  const apply = c.phases.find((p) => p.key === 'apply');
  if (apply && apply.end !== c.applyDeadline)
    out.push(`“${apply.name}”阶段结束日期（${apply.end}）须与申报截止日期（${c.applyDeadline}）一致`);
  const accept = c.phases.find((p) => p.key === 'accept');
  if (accept && accept.end < c.reviewDeadline)
    out.push(`“${accept.name}”阶段结束日期（${accept.end}）不能早于评审截止日期（${c.reviewDeadline}）`);
  for (const s of c.steps ?? [])
    if (s.deadline && (s.deadline < c.applyDeadline || s.deadline > c.reviewDeadline))
      out.push(`${s.name}期限${s.deadline}须在申报截止日期与评审截止日期之间`);
  return out;
}
