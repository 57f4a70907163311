import { and, eq, ilike, inArray, like, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { APPLICANT_ONLY_STATUSES } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applications, campaigns, regions, subjects, titles } from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';
import { forbidden, notFound } from '../../errors.js';
import { applicationScopeSql } from '../applications/queries.js';
import { titleScopeSql } from '../titles/queries.js';

/** 数据分析: the reads behind the dashboards, each limited to the account's scope. */

export type RegionRow = typeof regions.$inferSelect;
export interface RegionRef {
  id: number;
  name: string;
  level: RegionRow['level'];
  hasChildren: boolean;
}

const ANALYSTS = ['safety_office', 'lead_department', 'cooperating_department'] as const;

/** Offices and departments read the dashboards; every other role is refused. */
export function requireAnalyst(user: CurrentUser): string {
  if (!(ANALYSTS as readonly string[]).includes(user.role) || !user.scope.regionPath) throw forbidden('只有平安办和部门可以查看数据分析');
  return user.scope.regionPath;
}

/** A region the account may see (its own by default), or 404. */
export async function regionInScope(db: Db, user: CurrentUser, regionId?: number): Promise<RegionRow> {
  const root = requireAnalyst(user);
  const [row] = regionId
    ? await db.select().from(regions).where(eq(regions.id, regionId))
    : await db.select().from(regions).where(eq(regions.path, root));
  if (!row || !row.path.startsWith(root)) throw notFound('区域');
  return row;
}

export async function childRegions(db: Db, parentId: number): Promise<RegionRow[]> {
  return db.select().from(regions).where(eq(regions.parentId, parentId)).orderBy(regions.id);
}

/** The refs of regions, with whether each has subregions. */
export async function refsOf(db: Db, rows: RegionRow[]): Promise<RegionRef[]> {
  if (!rows.length) return [];
  const parents = await db
    .selectDistinct({ id: regions.parentId })
    .from(regions)
    .where(
      inArray(
        regions.parentId,
        rows.map((r) => r.id),
      ),
    );
  const has = new Set(parents.map((p) => p.id));
  return rows.map((r) => ({ id: r.id, name: r.name, level: r.level, hasChildren: has.has(r.id) }));
}

/** From the account's own region down to `path`. */
export async function breadcrumbOf(db: Db, user: CurrentUser, path: string): Promise<RegionRef[]> {
  const ids = path.split('/').filter(Boolean).map(Number);
  const rows = await db.select().from(regions).where(inArray(regions.id, ids));
  const root = user.scope.regionPath ?? '/';
  const chain = ids.map((id) => rows.find((r) => r.id === id)!).filter((r) => r && r.path.startsWith(root));
  return refsOf(db, chain);
}

/**
 * The subjects a scope covers: an office every subject of its subtree; a department those it
 * supervises or that applied in one of its categories.
 */
export function subjectScopeSql(user: CurrentUser): SQL {
  const s = user.scope;
  if (s.categoryCodes === null) return sql`true`;
  const supervised = s.deptCode ? eq(subjects.supervisingDept, s.deptCode) : sql`false`;
  if (!s.categoryCodes.length) return supervised;
  const applied = sql`exists (select 1 from ${applications} where ${applications.subjectId} = ${subjects.id} and ${inArray(
    applications.categoryCode,
    s.categoryCodes,
  )} and ${notInArray(applications.status, [...APPLICANT_ONLY_STATUSES])})`;
  return or(supervised, applied)!;
}

const n = sql<number>`count(*)::int`;

/** Subjects by kind under each region. */
export async function subjectsByRegion(db: Db, user: CurrentUser, ids: number[]) {
  const r = alias(regions, 'r');
  const sr = alias(regions, 'sr');
  return db
    .select({ rid: r.id, kind: subjects.kind, n })
    .from(r)
    .innerJoin(sr, sql`${sr.path} like ${r.path} || '%'`)
    .innerJoin(subjects, eq(subjects.regionId, sr.id))
    .where(and(inArray(r.id, ids), subjectScopeSql(user)))
    .groupBy(r.id, subjects.kind);
}

/** The year's applications in scope under each region, by status. */
export async function applicationsByRegion(db: Db, user: CurrentUser, ids: number[], year: number) {
  const r = alias(regions, 'r');
  return db
    .select({ rid: r.id, status: applications.status, n })
    .from(r)
    .innerJoin(applications, sql`${applications.regionPath} like ${r.path} || '%'`)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(inArray(r.id, ids), eq(campaigns.year, year), applicationScopeSql(user.scope)))
    .groupBy(r.id, applications.status);
}

/** Subjects under each region with a submitted (non-draft) application in the year. */
export async function coveredByRegion(db: Db, user: CurrentUser, ids: number[], year: number) {
  const r = alias(regions, 'r');
  return db
    .select({ rid: r.id, n: sql<number>`count(distinct ${applications.subjectId})::int` })
    .from(r)
    .innerJoin(applications, sql`${applications.regionPath} like ${r.path} || '%'`)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(inArray(r.id, ids), eq(campaigns.year, year), applicationScopeSql(user.scope)))
    .groupBy(r.id);
}

/** Titles in force on `asOf` conferred in `year` or before, under each region. */
export async function titlesInForceByRegion(db: Db, user: CurrentUser, ids: number[], year: number, asOf: string) {
  const r = alias(regions, 'r');
  return db
    .select({ rid: r.id, n })
    .from(r)
    .innerJoin(titles, sql`${titles.regionPath} like ${r.path} || '%'`)
    .where(
      and(
        inArray(r.id, ids),
        titleScopeSql(user),
        sql`${titles.year} <= ${year}`,
        ne(titles.status, 'revoked'),
        sql`(${titles.validUntil} is null or ${titles.validUntil} >= ${asOf})`,
      ),
    )
    .groupBy(r.id);
}

/** The years that have campaigns above, at or below the account's region, with this year. */
export async function campaignYears(db: Db, user: CurrentUser, thisYear: number): Promise<number[]> {
  const root = user.scope.regionPath ?? '/';
  const rows = await db
    .selectDistinct({ year: campaigns.year })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(or(like(regions.path, `${root}%`), sql`${root} like ${regions.path} || '%'`));
  return [...new Set([thisYear, ...rows.map((r) => r.year)])].sort((a, b) => b - a);
}

/** The subjects of a subtree in scope, searchable, paged. */
export async function unitsPage(
  db: Db,
  user: CurrentUser,
  path: string,
  f: { q?: string | undefined; limit: number | null; offset: number },
) {
  const where = and(like(regions.path, `${path}%`), subjectScopeSql(user), f.q ? ilike(subjects.name, `%${escapeLike(f.q)}%`) : undefined);
  const [{ total } = { total: 0 }] = await db
    .select({ total: n })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(where);
  const q = db
    .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, regionName: regions.name })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(where)
    .orderBy(regions.path, subjects.name, subjects.id)
    .offset(f.offset);
  const rows = f.limit === null ? await q : await q.limit(f.limit);
  return { rows, total };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Applications in scope of some subjects (any year), with their year and category. */
export async function applicationsOfSubjects(db: Db, user: CurrentUser, subjectIds: number[]) {
  if (!subjectIds.length) return [];
  return db
    .select({
      id: applications.id,
      subjectId: applications.subjectId,
      status: applications.status,
      score: applications.score,
      stars: applications.stars,
      categoryCode: applications.categoryCode,
      year: campaigns.year,
      campaignName: campaigns.name,
    })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(inArray(applications.subjectId, subjectIds), applicationScopeSql(user.scope)));
}

/** Titles in scope of some subjects. */
export async function titlesOfSubjects(db: Db, user: CurrentUser, subjectIds: number[]) {
  if (!subjectIds.length) return [];
  return db
    .select()
    .from(titles)
    .where(and(inArray(titles.subjectId, subjectIds), titleScopeSql(user)));
}

/** One subject the account may see, with its region, or 404. */
export async function subjectInScope(db: Db, user: CurrentUser, subjectId: number) {
  const root = requireAnalyst(user);
  const [row] = await db
    .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, regionName: regions.name, regionPath: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(and(eq(subjects.id, subjectId), subjectScopeSql(user)));
  if (!row || !row.regionPath.startsWith(root)) throw notFound('单位');
  return row;
}

/** Applications in scope under a region, by category, year and status. */
export async function applicationsByCategoryYear(db: Db, user: CurrentUser, path: string) {
  return db
    .select({ categoryCode: applications.categoryCode, year: campaigns.year, status: applications.status, n })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(like(applications.regionPath, `${path}%`), applicationScopeSql(user.scope)))
    .groupBy(applications.categoryCode, campaigns.year, applications.status);
}

/** Titles in scope under a region conferred per category and year. */
export async function titlesByCategoryYear(db: Db, user: CurrentUser, path: string) {
  return db
    .select({ categoryCode: titles.categoryCode, year: titles.year, n })
    .from(titles)
    .where(and(like(titles.regionPath, `${path}%`), titleScopeSql(user)))
    .groupBy(titles.categoryCode, titles.year);
}
