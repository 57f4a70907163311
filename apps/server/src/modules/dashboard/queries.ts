import { and, eq, isNull, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, categories, regions, subjects, titles } from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';
import { applicationScopeSql } from '../applications/queries.js';
import { titleScopeSql } from '../titles/queries.js';

/** Subjects in a region subtree, counted by kind. */
export function subjectsByKind(db: Db, regionPath: string) {
  return db
    .select({ kind: subjects.kind, n: sql<number>`count(*)::int` })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(like(regions.path, `${regionPath}%`))
    .groupBy(subjects.kind);
}

/** Applications in the account's scope, counted by status. */
export function applicationsByStatus(db: Db, user: CurrentUser) {
  return db
    .select({ status: applications.status, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(applicationScopeSql(user.scope))
    .groupBy(applications.status);
}

/** Titles in force in the account's scope, counted by stars. */
export function titlesByStars(db: Db, user: CurrentUser) {
  return db
    .select({ stars: titles.stars, n: sql<number>`count(*)::int` })
    .from(titles)
    .where(and(titleScopeSql(user), isNull(titles.revokedAt)))
    .groupBy(titles.stars);
}

/** Applications in the account's scope, counted by category and status. */
export function applicationsByCategory(db: Db, user: CurrentUser) {
  return db
    .select({ code: applications.categoryCode, name: categories.name, status: applications.status, n: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(applicationScopeSql(user.scope))
    .groupBy(applications.categoryCode, categories.name, applications.status);
}
