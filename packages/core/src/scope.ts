import type { ApplicationStatus, Role } from './workflow.js';

/**
 * Scope (数据权限): what an account may see. Regions are addressed by a materialised path
 * ("/1/4/17/"), so "inside my region" is a prefix test, in memory and in SQL alike.
 */
export interface Scope {
  role: Role;
  /** path of the account's organisation's region; null for applicants and admins without one */
  regionPath: string | null;
  /** category codes a department account is limited to; null = all categories of the region */
  categoryCodes: string[] | null;
  /** for applicants: the subject the account acts for */
  subjectId: number | null;
  /**
   * for experts: the applications with an open assignment, the only ones they may see;
   * null for every other role
   */
  applicationIds?: number[] | null;
  /** for departments: its department code (it sees the units it supervises) */
  deptCode?: string | null;
}

export function regionInScope(scope: Scope, regionPath: string): boolean {
  return scope.regionPath !== null && regionPath.startsWith(scope.regionPath);
}

/**
 * Statuses only the applicant sees: a draft that was never submitted is the household's or unit's
 * own working paper, invisible to every other role (lists, details, counts, files) as if it did not
 * exist. A returned application stays visible: staff see its last submitted revision.
 */
export const APPLICANT_ONLY_STATUSES: readonly ApplicationStatus[] = ['draft'];

export function visibleToStaff(status: ApplicationStatus): boolean {
  return !APPLICANT_ONLY_STATUSES.includes(status);
}

/**
 * Whether an account may see an application. Callers pass the row's status (the draft rule above);
 * a caller without it only learns about region, category and subject.
 */
export function applicationInScope(
  scope: Scope,
  app: {
    id?: number;
    regionPath: string;
    categoryCode: string;
    subjectId: number;
    supervisingDept?: string | null;
    status?: ApplicationStatus;
  },
): boolean {
  if (scope.role === 'applicant') return scope.subjectId !== null && app.subjectId === scope.subjectId;
  if (app.status !== undefined && !visibleToStaff(app.status)) return false;
  if (scope.role === 'expert') return app.id !== undefined && (scope.applicationIds ?? []).includes(app.id);
  if (!regionInScope(scope, app.regionPath)) return false;
  if (scope.categoryCodes === null || scope.categoryCodes.includes(app.categoryCode)) return true;
  // a department also sees the units it supervises (under 000 it is their 牵头部门)
  return !!scope.deptCode && app.supervisingDept === scope.deptCode;
}

export const STAFF_ROLES: readonly Role[] = ['safety_office', 'lead_department', 'cooperating_department', 'expert'];

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}
