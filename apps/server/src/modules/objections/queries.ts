import { and, asc, count, desc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client.js';
import {
  applications,
  campaigns,
  categories,
  noticeItems,
  objectionFiles,
  objections,
  publicNotices,
  regions,
  standardVersions,
  subjects,
  users,
} from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';

export type ObjectionRow = typeof objections.$inferSelect;
export type ObjectionStatus = ObjectionRow['status'];

/** open or investigating: the candidate is not conferred while any such objection is on it */
export const OPEN_STATUSES: ObjectionStatus[] = ['open', 'investigating'];

/** A candidate on a notice by its public code, with what filing an objection needs to know. */
export async function candidateByCode(db: Db | Tx, code: string) {
  const [r] = await db
    .select({
      noticeId: publicNotices.id,
      noticeTitle: publicNotices.title,
      noticeStatus: publicNotices.status,
      startsOn: publicNotices.startsOn,
      endsOn: publicNotices.endsOn,
      removedAt: noticeItems.removedAt,
      app: applications,
      subjectName: subjects.name,
      subjectKind: subjects.kind,
      categoryName: categories.name,
    })
    .from(noticeItems)
    .innerJoin(publicNotices, eq(publicNotices.id, noticeItems.noticeId))
    .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(eq(noticeItems.publicCode, code));
  return r ?? null;
}

/** Objections filed from one client address since `since` (all candidates). */
export async function countByAddress(db: Db | Tx, ipHash: string, since: Date): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(objections)
    .where(and(eq(objections.ipHash, ipHash), gt(objections.createdAt, since)));
  return r?.n ?? 0;
}

/** Objections filed with one confirmed phone against one candidate of one notice since `since`. */
export async function countByPhone(db: Db | Tx, phoneHash: string, noticeId: number, applicationId: number, since: Date): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(objections)
    .where(
      and(
        eq(objections.phoneHash, phoneHash),
        eq(objections.noticeId, noticeId),
        eq(objections.applicationId, applicationId),
        gt(objections.createdAt, since),
      ),
    );
  return r?.n ?? 0;
}

export async function insertObjection(tx: Tx | Db, values: typeof objections.$inferInsert) {
  const [r] = await tx.insert(objections).values(values).returning();
  return r!;
}

export async function objectionByReceipt(db: Db | Tx, receipt: string) {
  const [r] = await db
    .select({
      o: objections,
      noticeCode: publicNotices.publicCode,
      noticeTitle: publicNotices.title,
      subjectName: subjects.name,
      subjectKind: subjects.kind,
      categoryName: categories.name,
    })
    .from(objections)
    .innerJoin(publicNotices, eq(publicNotices.id, objections.noticeId))
    .innerJoin(applications, eq(applications.id, objections.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(eq(objections.publicCode, receipt));
  return r ?? null;
}

export async function fileCount(db: Db | Tx, objectionId: number): Promise<number> {
  const [r] = await db.select({ n: count() }).from(objectionFiles).where(eq(objectionFiles.objectionId, objectionId));
  return r?.n ?? 0;
}

export interface ObjectionCounts {
  filed: number;
  open: number;
  upheld: number;
  dismissed: number;
}

/** Per candidate of a notice: how many objections were filed and how they stand. */
export async function countsByApplication(db: Db | Tx, noticeId: number): Promise<Map<number, ObjectionCounts>> {
  const rows = await db
    .select({
      applicationId: objections.applicationId,
      filed: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${objections.status} in ('open', 'investigating')))::int`,
      upheld: sql<number>`(count(*) filter (where ${objections.status} = 'upheld'))::int`,
      dismissed: sql<number>`(count(*) filter (where ${objections.status} = 'dismissed'))::int`,
    })
    .from(objections)
    .where(eq(objections.noticeId, noticeId))
    .groupBy(objections.applicationId);
  return new Map(rows.map((r) => [r.applicationId, { filed: r.filed, open: r.open, upheld: r.upheld, dismissed: r.dismissed }]));
}

/** Open objections (open or investigating) per candidate of a notice. */
export async function openCountsByApplication(db: Db | Tx, noticeId: number, applicationIds: number[]): Promise<Map<number, number>> {
  if (!applicationIds.length) return new Map();
  const rows = await db
    .select({ applicationId: objections.applicationId, n: sql<number>`count(*)::int` })
    .from(objections)
    .where(
      and(eq(objections.noticeId, noticeId), inArray(objections.applicationId, applicationIds), inArray(objections.status, OPEN_STATUSES)),
    )
    .groupBy(objections.applicationId);
  return new Map(rows.map((r) => [r.applicationId, r.n]));
}

/**
 * The objections an account may see, as SQL: the office that owns the notice (the campaign's own
 * 平安办), and the candidate's lead department: a department of the campaign's region leading the
 * category (the standard's named lead, else the category's) or supervising the unit — the same rule
 * as ownership.ts `loadOwnership` + core `ownsStep` for a `lead_department` step.
 */
export function visibleTo(user: CurrentUser): SQL {
  const org = user.org;
  if (!org) return sql`false`;
  if (user.role === 'safety_office' && org.kind === 'safety_office') return sql`${campaigns.regionId} = ${org.regionId}`;
  if (user.role === 'lead_department' && org.kind === 'department') {
    const dept = sql`jsonb_build_array(${org.deptCode}::text)`;
    const named = sql`coalesce(${standardVersions.doc} -> 'responsible' -> 'lead', '[]'::jsonb)`;
    return sql`(${campaigns.regionId} = ${org.regionId} and (
      (case when jsonb_array_length(${named}) > 0 then ${named} @> ${dept} else ${categories.leadDepts} @> ${dept} end)
      or ${subjects.supervisingDept} = ${org.deptCode}))`;
  }
  return sql`false`;
}

export interface ObjectionFilter {
  noticeId?: number;
  status?: ObjectionStatus;
  q?: string | null;
  limit: number;
  offset: number;
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (m) => '\\' + m)}%`;

/** The staff worklist: visible objections, filtered, open ones first, newest first, paged. */
export async function objectionRows(db: Db, user: CurrentUser, f: ObjectionFilter) {
  const where = and(
    visibleTo(user),
    f.noticeId ? eq(objections.noticeId, f.noticeId) : undefined,
    f.status ? eq(objections.status, f.status) : undefined,
    f.q
      ? or(ilike(subjects.name, like(f.q)), ilike(publicNotices.title, like(f.q)), eq(objections.publicCode, f.q.toUpperCase()))
      : undefined,
  );
  const base = db
    .select({
      id: objections.id,
      noticeId: objections.noticeId,
      noticeTitle: publicNotices.title,
      applicationId: objections.applicationId,
      subjectName: subjects.name,
      regionName: regions.name,
      categoryName: categories.name,
      anonymous: objections.anonymous,
      status: objections.status,
      outcome: objections.outcome,
      files: sql<number>`(select count(*)::int from ${objectionFiles} where ${objectionFiles.objectionId} = ${objections.id})`,
      createdAt: objections.createdAt,
      decidedAt: objections.decidedAt,
    })
    .from(objections)
    .$dynamic();
  const joined = <T extends PgSelect>(q: T) =>
    q
      .innerJoin(publicNotices, eq(publicNotices.id, objections.noticeId))
      .innerJoin(campaigns, eq(campaigns.id, publicNotices.campaignId))
      .innerJoin(applications, eq(applications.id, objections.applicationId))
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .innerJoin(categories, eq(categories.code, applications.categoryCode))
      .innerJoin(standardVersions, eq(standardVersions.id, applications.standardVersionId))
      .where(where);
  const [items, [total]] = await Promise.all([
    joined(base)
      .orderBy(sql`(${objections.status} in ('open', 'investigating')) desc`, desc(objections.createdAt), desc(objections.id))
      .limit(f.limit)
      .offset(f.offset),
    // the count runs over the same joins and filter as the page: one place says which rows are listed
    joined(db.select({ n: count() }).from(objections).$dynamic()),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** One objection with its notice, candidate and decider, for staff (no scope check: callers check). */
export async function objectionDetailRow(db: Db | Tx, id: number) {
  const [r] = await db
    .select({
      o: objections,
      notice: publicNotices,
      app: applications,
      subjectName: subjects.name,
      regionName: regions.name,
      categoryName: categories.name,
      /** stars (000) or a title conferred or not (001, 002) */
      scheme: sql<'stars' | 'title'>`coalesce(${standardVersions.doc}->>'scheme', 'stars')`,
      decidedByName: users.displayName,
    })
    .from(objections)
    .innerJoin(publicNotices, eq(publicNotices.id, objections.noticeId))
    .innerJoin(applications, eq(applications.id, objections.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .innerJoin(standardVersions, eq(standardVersions.id, applications.standardVersionId))
    .leftJoin(users, eq(users.id, objections.decidedBy))
    .where(eq(objections.id, id));
  return r ?? null;
}

export async function filesOf(db: Db | Tx, objectionId: number) {
  return db.select().from(objectionFiles).where(eq(objectionFiles.objectionId, objectionId)).orderBy(asc(objectionFiles.id));
}

export async function fileById(db: Db, id: number) {
  const [r] = await db.select().from(objectionFiles).where(eq(objectionFiles.id, id));
  return r ?? null;
}

/** Updates an objection only if it is still at `revision` and in one of `from`; answers the row or null. */
export async function updateObjection(
  tx: Db | Tx,
  id: number,
  revision: number,
  from: ObjectionStatus[],
  values: Partial<typeof objections.$inferInsert>,
) {
  const [r] = await tx
    .update(objections)
    .set({ ...values, revision: sql`${objections.revision} + 1` })
    .where(and(eq(objections.id, id), eq(objections.revision, revision), inArray(objections.status, from)))
    .returning();
  return r ?? null;
}

/** Serialises filings from one client address (its throttle is counted inside the lock). */
export async function lockAddress(tx: Tx, ipHash: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'objection:' + ipHash}))`);
}
