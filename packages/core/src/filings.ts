import type { PhasePlan } from './programme.js';
import { addDays } from './chain.js';

/**
 * 报备 (filings): what a lower level files with the level above in a campaign: its plan (创建方案),
 * its standards (创建标准), its demonstration sites (示范点) and its yearly summary (年度总结), each by
 * a due date. Pure rules: a filing's state, lateness, what is missing before submission, the
 * requirements the 004 plan sets, when an automatic reminder goes out.
 */

export const FILING_KINDS = ['plan', 'standards', 'demo_sites', 'summary'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];
export const FILER_KINDS = ['county', 'town', 'department'] as const;
export type FilerKind = (typeof FILER_KINDS)[number];
/** the stored status of a filing row */
export const FILING_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];
/** what the matrix shows: 未报, 草稿, 已报, 已接收, 退回 */
export const FILING_STATES = ['not_filed', 'draft', 'submitted', 'accepted', 'returned'] as const;
export type FilingState = (typeof FILING_STATES)[number];

export const FILING_KIND_LABELS: Record<FilingKind, { zh: string; en: string }> = {
  plan: { zh: '创建方案', en: 'Plan' },
  standards: { zh: '创建标准', en: 'Standards' },
  demo_sites: { zh: '示范点', en: 'Demonstration sites' },
  summary: { zh: '年度总结', en: 'Annual summary' },
};
export const FILER_KIND_LABELS: Record<FilerKind, { zh: string; en: string }> = {
  county: { zh: '各县（区）', en: 'Counties' },
  town: { zh: '各镇（街道）', en: 'Towns and streets' },
  department: { zh: '各部门', en: 'Departments' },
};
export const FILING_STATE_LABELS: Record<FilingState, { zh: string; en: string }> = {
  not_filed: { zh: '未报', en: 'Not filed' },
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已报', en: 'Submitted' },
  accepted: { zh: '已接收', en: 'Accepted' },
  returned: { zh: '退回', en: 'Returned' },
};

/** One step of a filing's history, kept with the filing. */
export interface FilingEvent {
  at: string;
  action: 'created' | 'saved' | 'uploaded' | 'submitted' | 'accepted' | 'returned' | 'reminded';
  by: string | null;
  org: string | null;
  reason?: string | null;
  revision?: number;
}

/**
 * The state of one filer against one requirement. A row written only by a reminder (the filer has
 * not opened it) is still 未报.
 */
export function filingState(row: { status: FilingStatus; history: readonly Pick<FilingEvent, 'action'>[] } | null): FilingState {
  if (!row) return 'not_filed';
  if (row.status !== 'draft') return row.status;
  return row.history.some((h) => h.action !== 'reminded') ? 'draft' : 'not_filed';
}

/** Late: the due date has passed (today is after it) and nothing was submitted or accepted. */
export function isFilingLate(state: FilingState, dueOn: string, today: string): boolean {
  return today > dueOn && state !== 'submitted' && state !== 'accepted';
}

/** The filer may still change it: not yet submitted, or returned for correction. */
export const filerMayEdit = (state: FilingState) => state === 'not_filed' || state === 'draft' || state === 'returned';

/** What is missing before a filing can be submitted, in Chinese; empty when complete. */
export function missingForFiling(
  kind: FilingKind,
  f: { hasFile: boolean; sites: number; summaryText: string | null | undefined },
): string[] {
  const out: string[] = [];
  if ((kind === 'plan' || kind === 'standards') && !f.hasFile) out.push(`请上传${FILING_KIND_LABELS[kind].zh}文件（PDF、Word或Excel）`);
  if (kind === 'demo_sites' && f.sites === 0 && !f.hasFile) out.push('请至少填报一个示范点，或上传示范点名单');
  if (kind === 'summary' && !f.hasFile && !(f.summaryText ?? '').trim()) out.push('请填写年度总结正文，或上传总结文件');
  return out;
}

/** The last day a reminder was sent counts once: at most one reminder a day per filing. */
export const remindedToday = (remindedOn: string | null | undefined, today: string) => remindedOn === today;

/** Automatic reminders: three days before the due date and on it. */
export const AUTO_REMINDER_DAYS = [3, 0] as const;
export function autoReminderDue(dueOn: string, today: string): boolean {
  return AUTO_REMINDER_DAYS.some((d) => addDays(today, d) === dueOn);
}

export interface PlannedRequirement {
  kind: FilingKind;
  filers: FilerKind;
  title: string;
  dueOn: string;
  /** the source's words, with the phase it comes from */
  text: string;
}

/**
 * The requirements the 平安商洛 plan (004, 三（一）3 and 三（二）3) sets for a campaign of `year`:
 * counties file their plan, standards and 示范点 by 03-20 and the yearly summary by 11-30; the lead
 * departments (主责部门) file theirs by 03-31 and their summary by 11-30. The city's other
 * departments file their summary by 12-20: one requirement per kind and filer type, so the
 * departments' summary carries the 主责部门 date and names the later one in its text.
 */
export function planRequirements(plan: Pick<PhasePlan, 'phases'>, year: number): PlannedRequirement[] {
  const phase = (id: string) => {
    const p = plan.phases.find((x) => x.id === id);
    if (!p) throw new Error(`phase ${id} missing from the plan`);
    return p;
  };
  const on = (mmdd: string) => `${year}-${mmdd}`;
  const brandsDeploy = phase('brands_deploy');
  const brandsRecommend = phase('brands_recommend');
  const domainsDeploy = phase('domains_deploy');
  const domainsRecommend = phase('domains_recommend');
  const departmentsDeploy = phase('departments_deploy');
  const departmentsSummary = phase('departments_summary');
  const quote = (p: { when: string; text: string }) => (p.text.startsWith(p.when) ? p.text : `${p.when}：${p.text}`);
  const county = (kind: FilingKind, title: string, p = brandsDeploy): PlannedRequirement => ({
    kind,
    filers: 'county',
    title,
    dueOn: on(p.end),
    text: quote(p),
  });
  const dept = (kind: FilingKind, title: string, p = domainsDeploy, extra?: { when: string; text: string }): PlannedRequirement => ({
    kind,
    filers: 'department',
    title,
    dueOn: on(p.end),
    text: extra ? `${quote(p)}\n${quote(extra)}` : quote(p),
  });
  return [
    county('plan', `各县（区）${year}年度平安创建方案`),
    county('standards', `各县（区）${year}年度平安创建标准`),
    county('demo_sites', `各县（区）${year}年度市级平安品牌创建示范点`),
    county('summary', `各县（区）${year}年度平安创建活动年度总结`, brandsRecommend),
    dept('plan', `各部门${year}年度平安创建实施方案`, domainsDeploy, departmentsDeploy),
    dept('standards', `各主责部门${year}年度领域创建标准`),
    dept('demo_sites', `各主责部门${year}年度领域创建示范点`),
    dept('summary', `各部门${year}年度平安创建活动年度总结`, domainsRecommend, departmentsSummary),
  ];
}
