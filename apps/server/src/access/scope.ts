import { and, eq } from 'drizzle-orm';
import type { Role, Scope } from '@pingan/core';
import { applicationInScope, isStaff } from '@pingan/core';
import type { Db } from '../db/client.js';
import { categories, expertAssignments, organisations, regions } from '../db/schema.js';
import { forbidden, notFound } from '../errors.js';

/** The signed-in account as the handlers see it. */
export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  org: { id: number; name: string; kind: string; deptCode: string; regionId: number; regionName: string; regionPath: string } | null;
  subjectId: number | null;
  scope: Scope;
}

/**
 * Builds an account's scope: its organisation's region subtree and, for a department, the
 * categories it leads or cooperates on. The one place that decides what an account may see.
 */
export async function buildScope(
  db: Db,
  u: { id: number; role: Role; orgId: number | null; subjectId: number | null },
): Promise<{ scope: Scope; org: CurrentUser['org'] }> {
  // an expert sees only the applications assigned to it, while the assignment is open
  const applicationIds =
    u.role === 'expert'
      ? (
          await db
            .select({ id: expertAssignments.applicationId })
            .from(expertAssignments)
            .where(and(eq(expertAssignments.expertId, u.id), eq(expertAssignments.status, 'open')))
        ).map((r) => r.id)
      : null;
  if (!u.orgId)
    return { scope: { role: u.role, regionPath: null, categoryCodes: null, subjectId: u.subjectId, applicationIds }, org: null };
  const [row] = await db
    .select({ org: organisations, regionName: regions.name, regionPath: regions.path })
    .from(organisations)
    .innerJoin(regions, eq(regions.id, organisations.regionId))
    .where(eq(organisations.id, u.orgId));
  if (!row) throw new Error(`organisation ${u.orgId} missing`);
  let categoryCodes: string[] | null = null;
  if (row.org.kind === 'department') {
    const cats = await db.select().from(categories);
    categoryCodes = cats
      .filter((c) => c.leadDepts.includes(row.org.deptCode) || c.cooperateDepts.includes(row.org.deptCode))
      .map((c) => c.code);
  }
  return {
    scope: {
      role: u.role,
      regionPath: row.regionPath,
      categoryCodes,
      subjectId: u.subjectId,
      applicationIds,
      deptCode: row.org.kind === 'department' ? row.org.deptCode : null,
    },
    org: {
      id: row.org.id,
      name: row.org.name,
      kind: row.org.kind,
      deptCode: row.org.deptCode,
      regionId: row.org.regionId,
      regionName: row.regionName,
      regionPath: row.regionPath,
    },
  };
}

/** Throws NOT_FOUND (not FORBIDDEN: an id outside scope must not reveal that it exists). */
export function assertApplicationVisible(
  user: CurrentUser,
  app: { id?: number; regionPath: string; categoryCode: string; subjectId: number; supervisingDept?: string | null },
): void {
  if (!canReadApplications(user.role) || !applicationInScope(user.scope, app)) throw notFound('申报');
}

export function canReadApplications(role: Role): boolean {
  return role === 'applicant' || isStaff(role);
}

export function requireRole(user: CurrentUser, ...roles: Role[]): void {
  if (!roles.includes(user.role)) throw forbidden();
}
