import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { expertAssignments, expertProfiles, organisations, regions, users } from '../../db/schema.js';

/** Expert accounts whose organisation lies in a region subtree, with their profile and open load. */
export async function expertsUnder(db: Db | Tx, regionPath: string, ids?: readonly number[]) {
  const rows = await db
    .select({
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      disabled: users.disabled,
      orgName: organisations.name,
      profile: expertProfiles,
    })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .innerJoin(regions, eq(regions.id, organisations.regionId))
    .leftJoin(expertProfiles, eq(expertProfiles.userId, users.id))
    .where(
      and(
        eq(users.role, 'expert'),
        like(regions.path, `${regionPath}%`),
        ids ? (ids.length ? inArray(users.id, [...ids]) : sql`false`) : undefined,
      ),
    )
    .orderBy(asc(users.id));
  const loads = await openLoads(
    db,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => ({ ...r, load: loads.get(r.userId) ?? 0 }));
}

/** Open assignments per expert. */
export async function openLoads(db: Db | Tx, expertIds: readonly number[]): Promise<Map<number, number>> {
  if (!expertIds.length) return new Map();
  const rows = await db
    .select({ expertId: expertAssignments.expertId, n: sql<number>`count(*)::int` })
    .from(expertAssignments)
    .where(and(inArray(expertAssignments.expertId, [...expertIds]), eq(expertAssignments.status, 'open')))
    .groupBy(expertAssignments.expertId);
  return new Map(rows.map((r) => [r.expertId, r.n]));
}

/** The applicant's village/community and street/town ids, from its region path. */
export async function applicantRegionLevels(db: Db | Tx, regionPath: string): Promise<{ village?: number; town?: number }> {
  const ids = regionPath.split('/').filter(Boolean).map(Number);
  if (!ids.length) return {};
  const rows = await db.select({ id: regions.id, level: regions.level }).from(regions).where(inArray(regions.id, ids));
  const out: { village?: number; town?: number } = {};
  for (const r of rows) if (r.level === 'village' || r.level === 'town') out[r.level] = r.id;
  return out;
}

/** Open assignments on an application, with the experts' names. */
export async function assignmentsOf(db: Db | Tx, applicationIds: readonly number[]) {
  if (!applicationIds.length) return [];
  return db
    .select({
      id: expertAssignments.id,
      applicationId: expertAssignments.applicationId,
      expertId: expertAssignments.expertId,
      expertName: users.displayName,
      status: expertAssignments.status,
      dueOn: expertAssignments.dueOn,
      assignedAt: expertAssignments.assignedAt,
    })
    .from(expertAssignments)
    .innerJoin(users, eq(users.id, expertAssignments.expertId))
    .where(inArray(expertAssignments.applicationId, [...applicationIds]))
    .orderBy(asc(expertAssignments.id));
}

/** The open assignment of this expert on this application, or null. */
export async function openAssignment(db: Db | Tx, applicationId: number, expertId: number) {
  const [row] = await db
    .select()
    .from(expertAssignments)
    .where(
      and(
        eq(expertAssignments.applicationId, applicationId),
        eq(expertAssignments.expertId, expertId),
        eq(expertAssignments.status, 'open'),
      ),
    );
  return row ?? null;
}
