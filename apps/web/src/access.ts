import { isStaff, type Role } from '@pingan/core';

/** Who may do what in the web app. The server decides again on every call; this only shapes the UI. */
export const STAFF: readonly Role[] = ['safety_office', 'lead_department', 'cooperating_department', 'expert'];
export const APPLICATION_READERS: readonly Role[] = [...STAFF, 'applicant'];
/** Every account that does business work: staff and applicants (not the three administrators). */
export const EVERYONE: readonly Role[] = APPLICATION_READERS;
/** The three administrators (三员分立): each sees only its own pages, no business page. */
export const ADMINS: readonly Role[] = ['sys_admin', 'security_admin', 'audit_admin'];
/** Every signed-in account, whatever its role (我的账号). */
export const SIGNED_IN: readonly Role[] = [...APPLICATION_READERS, ...ADMINS];

export const access = {
  seeDashboard: (r: Role) => isStaff(r),
  createCampaign: (r: Role) => r === 'safety_office',
  createApplication: (r: Role) => r === 'applicant',
  manageNotices: (r: Role) => r === 'safety_office',
  manageAccounts: (r: Role) => r === 'sys_admin',
  managePolicy: (r: Role) => r === 'security_admin',
};

export const isAdmin = (r: Role) => ADMINS.includes(r);

/** The page an account lands on after signing in. */
export function homePath(role: Role): string {
  if (isStaff(role)) return '/dashboard';
  if (role === 'applicant') return '/applications';
  if (role === 'sys_admin') return '/admin/users';
  if (role === 'security_admin') return '/admin/policy';
  if (role === 'audit_admin') return '/audit';
  return '/account';
}

export function allowed(roles: readonly Role[], role: Role): boolean {
  return roles.includes(role);
}
