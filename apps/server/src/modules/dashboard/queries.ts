import { and, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, categories, regions, subjects, titles } from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';
import { applicationScopeSql } from '../applications/queries.js';
import { titleScopeSql } from '../titles/queries.js';

/*
 * The dashboard's figures are exact counts, each one set-based GROUP BY over an index that holds
 * every column it reads (an index-only scan where the visibility map allows): no join is made
 * before counting, and the applications are read once for both the status and the category figures.
 */

/** Subjects in a region subtree, counted by kind: the subtree's regions first, then (region_id, kind) only. */
export function subjectsByKind(db: Db, regionPath: string) {
  const inSubtree = db
    .select({ id: regions.id })
    .from(regions)
    .where(like(regions.path, `${regionPath}%`));
  return db
    .select({ kind: subjects.kind, n: sql<number>`count(*)::int` })
    .from(subjects)
    .where(inArray(subjects.regionId, inSubtree))
    .groupBy(subjects.kind);
}

/** Applications in the account's scope, counted by category and status; the category's name joined to the counts, not to the rows. */
export function applicationsByCategory(db: Db, user: CurrentUser) {
  const counts = db
    .select({ code: applications.categoryCode, status: applications.status, n: sql<number>`count(*)::int`.as('n') })
    .from(applications)
    .where(applicationScopeSql(user.scope))
    .groupBy(applications.categoryCode, applications.status)
    .as('counts');
  return db
    .select({ code: counts.code, name: categories.name, status: counts.status, n: counts.n })
    .from(counts)
    .innerJoin(categories, eq(categories.code, counts.code))
    .orderBy(counts.code, counts.status);
}

/** Titles in force in the account's scope, counted by stars. */
export function titlesByStars(db: Db, user: CurrentUser) {
  return db
    .select({ stars: titles.stars, n: sql<number>`count(*)::int` })
    .from(titles)
    .where(and(titleScopeSql(user), isNull(titles.revokedAt)))
    .groupBy(titles.stars);
}

/** The status figures from the category figures: the same rows, summed (one pass over the applications). */
export function byStatusOf<S extends string>(rows: readonly { status: S; n: number }[]): Partial<Record<S, number>> {
  const out: Partial<Record<S, number>> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + r.n;
  return out;
}
