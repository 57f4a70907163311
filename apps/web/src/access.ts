import { isStaff, type Role } from '@pingan/core';

/** Who may do what in the web app. The server decides again on every call; this only shapes the UI. */
export const STAFF: readonly Role[] = ['safety_office', 'lead_department', 'cooperating_department', 'expert'];
export const APPLICATION_READERS: readonly Role[] = [...STAFF, 'applicant'];
export const EVERYONE: readonly Role[] = [...APPLICATION_READERS, 'sys_admin', 'audit_admin'];

export const access = {
  seeDashboard: (r: Role) => isStaff(r),
  createCampaign: (r: Role) => r === 'safety_office',
  createApplication: (r: Role) => r === 'applicant',
  manageNotices: (r: Role) => r === 'safety_office',
};

/** The page an account lands on after signing in. */
export function homePath(role: Role): string {
  if (isStaff(role)) return '/dashboard';
  if (role === 'applicant') return '/applications';
  return '/standards';
}

export function allowed(roles: readonly Role[], role: Role): boolean {
  return roles.includes(role);
}
