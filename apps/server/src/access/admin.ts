import { ADMIN_ROLES, ROLE_ATTACHMENT, ROLE_ORG_KIND, isAdminRole } from '@pingan/contract';
import { ROLE_LABELS, type Role } from '@pingan/core';
import { AppError, forbidden } from '../errors.js';
import type { CurrentUser } from './scope.js';

/**
 * 三员分立, in one place. Three administrators, each with one job and no business work:
 *
 * - 系统管理员 sys_admin: accounts and organisations. It may create accounts of any role, the other
 *   two administrators' included (someone must), but never changes its own role and never disables
 *   itself, and resets its own password only through the account page (current password required).
 * - 安全管理员 security_admin: the security policy, nothing else.
 * - 审计管理员 audit_admin: the audit trail (modules/audit), nothing else.
 *
 * An account has exactly one role (one column). An administrator is attached to no organisation and
 * no subject, so its scope is empty and every business route refuses it (scope.ts, ownership.ts);
 * staff are attached to an organisation of the right kind, an applicant to its subject.
 */

export type AdminRole = (typeof ADMIN_ROLES)[number];

/** What each administrator may do here; everyone else gets 403. */
export const ADMIN_DUTIES = {
  manageAccounts: ['sys_admin'],
  readPolicy: ['security_admin'],
  writePolicy: ['security_admin'],
  readAudit: ['audit_admin'],
} as const satisfies Record<string, readonly AdminRole[]>;
export type AdminDuty = keyof typeof ADMIN_DUTIES;

const DUTY_NAMES: Record<AdminDuty, string> = {
  manageAccounts: '账号与组织管理仅限系统管理员',
  readPolicy: '安全策略仅限安全管理员',
  writePolicy: '安全策略仅限安全管理员',
  readAudit: '审计记录仅限审计管理员',
};

export function mayDo(user: { role: Role }, duty: AdminDuty): boolean {
  return (ADMIN_DUTIES[duty] as readonly Role[]).includes(user.role);
}

/** Throws 403 unless the account is the administrator of that duty. */
export function requireDuty(user: CurrentUser, duty: AdminDuty): void {
  if (!mayDo(user, duty)) throw forbidden(DUTY_NAMES[duty]);
}

/**
 * The only routes an administrator may call at all: its own account, its inbox, and the two
 * administration areas (where each route then checks its duty). Every business route answers 403
 * to the three administrators here, before any business code runs (modules/auth/session.ts).
 */
const ADMIN_ROUTE_PREFIXES = ['/api/me', '/api/auth/', '/api/notifications', '/api/admin/', '/api/audit'] as const;

export function adminMayUseRoute(path: string): boolean {
  return ADMIN_ROUTE_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

/** Throws 403 when an administrator calls a business route. */
export function assertNoBusinessForAdmins(user: { role: Role }, routePath: string): void {
  if (isAdminRole(user.role) && !adminMayUseRoute(routePath)) throw forbidden('系统管理员、安全管理员、审计管理员不办理业务');
}

/** The account as it is, for the rules below. */
export interface AccountState {
  id: number;
  role: Role;
  orgId: number | null;
  subjectId: number | null;
  disabled: boolean;
}

/** What the organisation an account is attached to is (looked up by the caller). */
export interface OrgFacts {
  kind: 'safety_office' | 'department';
}

/**
 * The rules of an account's role and attachment, whoever sets them. Returns the problems (Chinese),
 * empty when the account is acceptable. Used by create, update and the Excel import alike.
 */
export function attachmentProblems(role: Role, orgId: number | null, subjectId: number | null, org: OrgFacts | null): string[] {
  const label = ROLE_LABELS[role].zh;
  const problems: string[] = [];
  switch (ROLE_ATTACHMENT[role]) {
    case 'none':
      if (orgId !== null || subjectId !== null) problems.push(`${label}不得隶属任何组织或申报主体（三员不参与业务）`);
      break;
    case 'org': {
      if (orgId === null) problems.push(`${label}须指定所属组织`);
      if (subjectId !== null) problems.push(`${label}不能关联申报主体`);
      const kind = ROLE_ORG_KIND[role];
      if (orgId !== null && org && kind && org.kind !== kind)
        problems.push(`${label}须属于${kind === 'safety_office' ? '平安办' : '部门'}`);
      break;
    }
    case 'subject':
      if (subjectId === null) problems.push(`${label}须指定申报主体`);
      if (orgId !== null) problems.push(`${label}不能隶属组织`);
      break;
  }
  return problems;
}

/** Throws 400 with every problem of the role and attachment. */
export function assertAttachment(role: Role, orgId: number | null, subjectId: number | null, org: OrgFacts | null): void {
  const problems = attachmentProblems(role, orgId, subjectId, org);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), { problems });
}

/** The system administrator's limits on changing an account, itself in particular. */
export function assertMayChange(actor: CurrentUser, target: AccountState, change: { role?: Role; disabled?: boolean }): void {
  requireDuty(actor, 'manageAccounts');
  if (target.id !== actor.id) return;
  if (change.role !== undefined && change.role !== target.role) throw forbidden('不能修改自己的角色');
  if (change.disabled === true) throw forbidden('不能停用自己的账号');
}

/** Resetting a password is for other accounts; one's own is changed on the account page. */
export function assertMayReset(actor: CurrentUser, target: AccountState): void {
  requireDuty(actor, 'manageAccounts');
  if (target.id === actor.id) throw forbidden('不能重置自己的密码，请在“我的账号”中修改');
}

/** A change that alters what the account may see or do: its sessions end. */
export function endsSessions(before: AccountState, after: AccountState): boolean {
  return (
    before.role !== after.role ||
    before.orgId !== after.orgId ||
    before.subjectId !== after.subjectId ||
    (!before.disabled && after.disabled)
  );
}

export { isAdminRole };
