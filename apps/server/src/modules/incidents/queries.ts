import { and, asc, count, desc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client.js';
import {
  appeals,
  applications,
  campaigns,
  incidentFiles,
  incidentTitles,
  incidents,
  organisations,
  regions,
  standardVersions,
  subjects,
  titleEvents,
  titles,
  users,
} from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';

/** Recording and deciding are staff work with a region: the office and the departments. */
export const RECORDERS = ['safety_office', 'lead_department', 'cooperating_department'] as const;

/**
 * Incidents an account may see: staff of an office or department, those in their region subtree
 * (an incident is not of one category: every department of the region may read it); an applicant,
 * the confirmed incidents against its own subject (or against its region, for a region subject).
 */
export function incidentScopeSql(user: CurrentUser): SQL {
  if (user.role === 'applicant') {
    if (!user.subjectId) return sql`false`;
    return and(
      eq(incidents.status, 'confirmed'),
      or(
        eq(incidents.subjectId, user.subjectId),
        sql`${incidents.regionId} in (select ${subjects.regionId} from ${subjects} where ${subjects.id} = ${user.subjectId} and ${subjects.kind} = 'region')`,
      ),
    )!;
  }
  if (!(RECORDERS as readonly string[]).includes(user.role) || !user.org) return sql`false`;
  return like(incidents.regionPath, `${user.org.regionPath}%`);
}

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface IncidentFilter {
  status?: 'reported' | 'confirmed' | 'dismissed';
  type?: string;
  q?: string;
}

const subjectRegion = alias(regions, 'subject_region');
const incidentRegion = alias(regions, 'incident_region');

function filterSql(user: CurrentUser, f: IncidentFilter): SQL {
  const q = f.q?.trim();
  return and(
    incidentScopeSql(user),
    f.status ? eq(incidents.status, f.status) : undefined,
    f.type ? eq(incidents.type, f.type) : undefined,
    q
      ? or(
          ilike(incidents.place, escapeLike(q)),
          ilike(incidents.description, escapeLike(q)),
          ilike(subjects.name, escapeLike(q)),
          ilike(incidentRegion.name, escapeLike(q)),
          ilike(subjectRegion.name, escapeLike(q)),
        )
      : undefined,
  )!;
}

const listColumns = {
  i: incidents,
  subjectName: subjects.name,
  subjectKind: subjects.kind,
  subjectRegionName: subjectRegion.name,
  incidentRegionName: incidentRegion.name,
  orgName: organisations.name,
  appealStatus: appeals.status,
};

function baseSelect(db: Db | Tx) {
  return db
    .select(listColumns)
    .from(incidents)
    .leftJoin(subjects, eq(subjects.id, incidents.subjectId))
    .leftJoin(subjectRegion, eq(subjectRegion.id, subjects.regionId))
    .leftJoin(incidentRegion, eq(incidentRegion.id, incidents.regionId))
    .innerJoin(organisations, eq(organisations.id, incidents.reportedByOrg))
    .leftJoin(appeals, eq(appeals.incidentId, incidents.id));
}
export type IncidentRow = NonNullable<Awaited<ReturnType<typeof incidentRow>>>;

/** One page of the incidents in scope, newest first, and how many match. */
export async function incidentRows(db: Db, user: CurrentUser, f: IncidentFilter, page: { limit: number; offset: number } | null) {
  const where = filterSql(user, f);
  const q = baseSelect(db).where(where).orderBy(desc(incidents.createdAt), desc(incidents.id));
  const rows = page ? await q.limit(page.limit).offset(page.offset) : await q;
  const [{ n }] = (await db
    .select({ n: count() })
    .from(incidents)
    .leftJoin(subjects, eq(subjects.id, incidents.subjectId))
    .leftJoin(subjectRegion, eq(subjectRegion.id, subjects.regionId))
    .leftJoin(incidentRegion, eq(incidentRegion.id, incidents.regionId))
    .where(where)) as [{ n: number }];
  return { rows, total: Number(n) };
}

/** One incident with its names, whatever the scope (callers check it). */
export async function incidentRow(db: Db | Tx, id: number) {
  const [row] = await baseSelect(db).where(eq(incidents.id, id));
  return row ?? null;
}

/** The subjects that hold titles for an incident: its subject, or a region's own subject(s). */
export async function holderSubjectIds(db: Db | Tx, inc: { subjectId: number | null; regionId: number | null }): Promise<number[]> {
  if (inc.subjectId) return [inc.subjectId];
  if (!inc.regionId) return [];
  const rows = await db
    .select({ id: subjects.id })
    .from(subjects)
    .where(and(eq(subjects.kind, 'region'), eq(subjects.regionId, inc.regionId)));
  return rows.map((r) => r.id);
}

/** The holders' titles with what deciding needs: the conferring campaign's region and office, the standard. */
export async function titlesOfHolders(db: Db | Tx, subjectIds: readonly number[]) {
  if (!subjectIds.length) return [];
  return db
    .select({
      t: titles,
      campaignName: campaigns.name,
      campaignRegionPath: regions.path,
      conferredBy: organisations.name,
      conferredByOrgId: organisations.id,
      doc: standardVersions.doc,
    })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .innerJoin(organisations, eq(organisations.id, campaigns.orgId))
    .innerJoin(standardVersions, eq(standardVersions.id, applications.standardVersionId))
    .where(inArray(titles.subjectId, [...subjectIds]))
    .orderBy(asc(titles.year), asc(titles.id));
}
export type HolderTitle = Awaited<ReturnType<typeof titlesOfHolders>>[number];

export async function filesOf(db: Db | Tx, incidentId: number) {
  return db.select().from(incidentFiles).where(eq(incidentFiles.incidentId, incidentId)).orderBy(asc(incidentFiles.id));
}

export async function affectedOf(db: Db | Tx, incidentId: number) {
  return db.select().from(incidentTitles).where(eq(incidentTitles.incidentId, incidentId));
}

export async function eventsOf(db: Db | Tx, titleIds: readonly number[]) {
  if (!titleIds.length) return [];
  return db
    .select()
    .from(titleEvents)
    .where(inArray(titleEvents.titleId, [...titleIds]))
    .orderBy(asc(titleEvents.at), asc(titleEvents.id));
}

export async function appealOf(db: Db | Tx, incidentId: number) {
  const filer = alias(users, 'filer');
  const decider = alias(users, 'decider');
  const [row] = await db
    .select({ a: appeals, filedBy: filer.displayName, decidedBy: decider.displayName })
    .from(appeals)
    .innerJoin(filer, eq(filer.id, appeals.filedBy))
    .leftJoin(decider, eq(decider.id, appeals.decidedBy))
    .where(eq(appeals.incidentId, incidentId));
  return row ?? null;
}

export async function userBrief(db: Db | Tx, id: number | null) {
  if (!id) return null;
  const [u] = await db.select({ id: users.id, displayName: users.displayName, orgId: users.orgId }).from(users).where(eq(users.id, id));
  return u ?? null;
}

/** Applicant accounts of the holders, to notify. */
export async function holderAccounts(db: Db | Tx, subjectIds: readonly number[]): Promise<number[]> {
  if (!subjectIds.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.subjectId, [...subjectIds]), eq(users.role, 'applicant'), eq(users.disabled, false)));
  return rows.map((r) => r.id);
}

/** Office accounts of an organisation, to notify of an appeal. */
export async function orgAccounts(db: Db | Tx, orgId: number): Promise<number[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'safety_office'), eq(users.disabled, false)));
  return rows.map((r) => r.id);
}

export const TARGET_MATCHES = 50;
/** Units, households and persons in a region subtree, for recording an incident against (one more than shown: is there more?). */
export async function targetsUnder(db: Db, regionPath: string, q: string | undefined, today: string) {
  const current = sql<number>`(select count(*)::int from ${titles} where ${titles.subjectId} = ${subjects.id}
    and ${titles.status} <> 'revoked' and (${titles.validUntil} is null or ${titles.validUntil} >= ${today}))`;
  return db
    .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, regionName: regions.name, currentTitles: current })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(and(like(regions.path, `${regionPath}%`), q?.trim() ? ilike(subjects.name, escapeLike(q.trim())) : undefined))
    .orderBy(desc(current), asc(subjects.name))
    .limit(TARGET_MATCHES + 1);
}

/** The confirmed incidents that take away a subject's eligibility for `year`. */
export async function ineligibilityOf(db: Db | Tx, subject: { id: number; kind: string; regionId: number }, year: number) {
  return db
    .select({ id: incidents.id, type: incidents.type, occurredOn: incidents.occurredOn })
    .from(incidents)
    .where(
      and(
        eq(incidents.status, 'confirmed'),
        eq(incidents.ineligibleYear, year),
        subject.kind === 'region'
          ? or(eq(incidents.subjectId, subject.id), eq(incidents.regionId, subject.regionId))
          : eq(incidents.subjectId, subject.id),
      ),
    )
    .orderBy(asc(incidents.occurredOn));
}
