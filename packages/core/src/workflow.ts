/**
 * The life of an application (申报) as a pure state machine. Handlers ask `nextStatus` and never
 * write a status the machine did not give them.
 *
 * draft 草稿 → submitted 已申报 → preliminary_passed 初评通过 → evaluated 综合评定 →
 * in_notice 公示中 → conferred 已命名; returned 退回 (editable again) and rejected 不予通过
 * can be reached with a reason from every review step.
 */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'preliminary_passed',
  'evaluated',
  'in_notice',
  'conferred',
  'returned',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const STATUS_LABELS: Record<ApplicationStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已申报，待初评', en: 'Submitted' },
  preliminary_passed: { zh: '初评通过，待综合评定', en: 'Passed preliminary review' },
  evaluated: { zh: '综合评定完成，待公示', en: 'Evaluated' },
  in_notice: { zh: '公示中', en: 'In public notice' },
  conferred: { zh: '已命名', en: 'Title conferred' },
  returned: { zh: '已退回修改', en: 'Returned for changes' },
  rejected: { zh: '不予通过', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

export const ROLES = [
  'safety_office',
  'lead_department',
  'cooperating_department',
  'expert',
  'applicant',
  'sys_admin',
  'security_admin',
  'audit_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  safety_office: { zh: '平安办', en: 'Safety office' },
  lead_department: { zh: '牵头部门', en: 'Lead department' },
  cooperating_department: { zh: '配合部门', en: 'Cooperating department' },
  expert: { zh: '专家/核查人员', en: 'Expert / inspector' },
  applicant: { zh: '申报单位', en: 'Applicant unit' },
  sys_admin: { zh: '系统管理员', en: 'System administrator' },
  security_admin: { zh: '安全管理员', en: 'Security administrator' },
  audit_admin: { zh: '审计管理员', en: 'Audit administrator' },
};

export const ACTIONS = ['submit', 'preliminary_pass', 'evaluate', 'publish', 'confer', 'return', 'reject', 'withdraw'] as const;
export type Action = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<Action, { zh: string; en: string }> = {
  submit: { zh: '提交申报', en: 'Submit' },
  preliminary_pass: { zh: '初评通过', en: 'Pass preliminary review' },
  evaluate: { zh: '综合评定', en: 'Evaluate' },
  publish: { zh: '发布公示', en: 'Publish notice' },
  confer: { zh: '命名授牌', en: 'Confer title' },
  return: { zh: '退回修改', en: 'Return' },
  reject: { zh: '不予通过', en: 'Reject' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
};

interface Rule {
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  roles: readonly Role[];
  needsReason: boolean;
}

const RULES: Record<Action, Rule> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', roles: ['applicant'], needsReason: false },
  preliminary_pass: { from: ['submitted'], to: 'preliminary_passed', roles: ['lead_department'], needsReason: false },
  evaluate: { from: ['preliminary_passed'], to: 'evaluated', roles: ['safety_office'], needsReason: false },
  publish: { from: ['evaluated'], to: 'in_notice', roles: ['safety_office'], needsReason: false },
  confer: { from: ['in_notice'], to: 'conferred', roles: ['safety_office'], needsReason: false },
  return: {
    from: ['submitted', 'preliminary_passed', 'evaluated', 'in_notice'],
    to: 'returned',
    roles: ['lead_department', 'safety_office'],
    needsReason: true,
  },
  reject: {
    from: ['submitted', 'preliminary_passed', 'evaluated', 'in_notice'],
    to: 'rejected',
    roles: ['lead_department', 'safety_office'],
    needsReason: true,
  },
  // the office takes a candidate off a notice (公示期间撤回), e.g. on an upheld objection
  withdraw: { from: ['evaluated', 'in_notice'], to: 'withdrawn', roles: ['safety_office'], needsReason: true },
};

export type TransitionResult =
  { ok: true; to: ApplicationStatus } | { ok: false; code: 'WRONG_STATUS' | 'WRONG_ROLE' | 'REASON_REQUIRED'; message: string };

export function nextStatus(from: ApplicationStatus, action: Action, role: Role, reason?: string | null): TransitionResult {
  const rule = RULES[action];
  if (!rule.roles.includes(role))
    return { ok: false, code: 'WRONG_ROLE', message: `${ROLE_LABELS[role].zh}不能执行「${ACTION_LABELS[action].zh}」` };
  if (!rule.from.includes(from))
    return {
      ok: false,
      code: 'WRONG_STATUS',
      message: `申报当前状态为「${STATUS_LABELS[from].zh}」，不能执行「${ACTION_LABELS[action].zh}」`,
    };
  if (rule.needsReason && !(reason && reason.trim()))
    return { ok: false, code: 'REASON_REQUIRED', message: `「${ACTION_LABELS[action].zh}」须填写理由` };
  return { ok: true, to: rule.to };
}

/** The actions this role may take on an application in this status (for buttons). */
export function allowedActions(from: ApplicationStatus, role: Role): Action[] {
  return ACTIONS.filter((a) => RULES[a].roles.includes(role) && RULES[a].from.includes(from));
}

export function isEditable(status: ApplicationStatus): boolean {
  return status === 'draft' || status === 'returned';
}
