import { and, desc, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, campaigns, regions, subjects, titles } from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';

/** Titles in scope: the applicant's own, or the region subtree (and categories) of staff. */
export function titleScopeSql(user: CurrentUser): SQL {
  const s = user.scope;
  if (s.role === 'applicant') return s.subjectId ? eq(titles.subjectId, s.subjectId) : sql`false`;
  if (!s.regionPath) return sql`false`;
  const inRegion = like(titles.regionPath, `${s.regionPath}%`);
  if (s.categoryCodes === null) return inRegion;
  return s.categoryCodes.length ? and(inRegion, inArray(titles.categoryCode, s.categoryCodes))! : sql`false`;
}

/** Titles in the account's scope, newest first, with the subject's name and region. */
export async function titleRows(db: Db, user: CurrentUser, limit: number) {
  return db
    .select({ t: titles, subjectName: subjects.name, regionName: regions.name })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(titleScopeSql(user))
    .orderBy(desc(titles.id))
    .limit(limit);
}

/** One title in the account's scope, with what its certificate prints. */
export async function certificateRow(db: Db, user: CurrentUser, id: number) {
  const [row] = await db
    .select({ t: titles, subjectName: subjects.name, campaignName: campaigns.name })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(eq(titles.id, id), titleScopeSql(user)));
  return row ?? null;
}

/** A title by its certificate number, for the public check. */
export async function titleByCertificateNo(db: Db, certificateNo: string) {
  const [row] = await db
    .select({ t: titles, subjectName: subjects.name, subjectKind: subjects.kind, regionName: regions.name })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(eq(titles.certificateNo, certificateNo));
  return row ?? null;
}
