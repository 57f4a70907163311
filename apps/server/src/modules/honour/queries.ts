import { and, asc, desc, eq, inArray, like, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { categories, regions, subjects, titleEvents, titles } from '../../db/schema.js';

/**
 * The honour roll's reads. The public status is computed in SQL exactly as core
 * publicTitleStatus does (revoked, then suspended → yellow, then past validUntil → expired), so
 * filters and counts agree with the title page; honour.test.ts holds the two to each other.
 */
export function publicStatusSql(today: string): SQL<'valid' | 'yellow' | 'revoked' | 'expired'> {
  return sql<'valid' | 'yellow' | 'revoked' | 'expired'>`(case
    when ${titles.status} = 'revoked' then 'revoked'
    when ${titles.status} = 'suspended' then 'yellow'
    when ${titles.validUntil} is not null and ${titles.validUntil} < ${today}::date then 'expired'
    else 'valid' end)`;
}

/** The holder's name as the public sees it (core maskName, in SQL): what a search matches. */
export const holderSql = sql<string>`(case
  when ${subjects.kind} = 'household' then substr(${subjects.name}, 1, 1) || '**家庭'
  when ${subjects.kind} = 'individual' then substr(${subjects.name}, 1, 1) || '**'
  else ${subjects.name} end)`;

const PERSONAL_KINDS = ['household', 'individual'] as const;

export interface RollFilter {
  today: string;
  statuses: readonly ('valid' | 'yellow' | 'revoked' | 'expired')[] | null;
  year?: number;
  category?: string;
  /** a resolved region: its id path and whether it lies below the township */
  region?: { path: string; belowTown: boolean } | null;
  q?: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE of a roll query; `facet` leaves out the year, category and region (the facets count across them). */
function whereOf(f: RollFilter, facet = false): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (f.statuses) parts.push(inArray(publicStatusSql(f.today), [...f.statuses]));
  if (f.q) parts.push(sql`${holderSql} ilike ${`%${escapeLike(f.q)}%`} escape '\\'`);
  if (!facet) {
    if (f.year !== undefined) parts.push(eq(titles.year, f.year));
    if (f.category !== undefined) parts.push(eq(titles.categoryCode, f.category));
    if (f.region === null) parts.push(sql`false`);
    else if (f.region) {
      parts.push(like(titles.regionPath, `${f.region.path}%`));
      // a village or grid holds units only: a household's village never shows, not even as a filter's result
      if (f.region.belowTown) parts.push(notInArray(subjects.kind, [...PERSONAL_KINDS]));
    }
  }
  return and(...parts);
}

const rowColumns = (today: string) => ({
  certificateNo: titles.certificateNo,
  subjectName: subjects.name,
  subjectKind: subjects.kind,
  regionPath: titles.regionPath,
  categoryCode: titles.categoryCode,
  categoryName: categories.name,
  categoryNameEn: categories.nameEn,
  titleName: titles.titleName,
  year: titles.year,
  level: titles.level,
  stars: titles.stars,
  issuer: titles.issuer,
  namingDocument: titles.namingDocument,
  conferredOn: titles.conferredOn,
  status: publicStatusSql(today),
  statusSince: titles.statusSince,
  statusReason: titles.statusReason,
  validUntil: titles.validUntil,
  signature: titles.signature,
});

export type RollRow = Awaited<ReturnType<typeof rollRows>>[number];

/** A page of the roll (limit/offset) or all of it (limit null): newest year first, then category, stars, name. */
export async function rollRows(db: Db, f: RollFilter, page: { limit: number; offset: number } | null) {
  const q = db
    .select(rowColumns(f.today))
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .leftJoin(categories, eq(categories.code, titles.categoryCode))
    .where(whereOf(f))
    .orderBy(desc(titles.year), asc(titles.categoryCode), desc(titles.stars), asc(holderSql), asc(titles.certificateNo));
  return page ? q.limit(page.limit).offset(page.offset) : q;
}

export async function rollCount(db: Db, f: RollFilter): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .where(whereOf(f));
  return r?.n ?? 0;
}

/** Counts by year, by category and by region path, under the status filter and the search only. */
export async function rollFacetCounts(db: Db, f: RollFilter) {
  const w = whereOf(f, true);
  const years = await db
    .select({ year: titles.year, count: sql<number>`count(*)::int` })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .where(w)
    .groupBy(titles.year)
    .orderBy(desc(titles.year));
  const cats = await db
    .select({ code: titles.categoryCode, name: categories.name, nameEn: categories.nameEn, count: sql<number>`count(*)::int` })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .leftJoin(categories, eq(categories.code, titles.categoryCode))
    .where(w)
    .groupBy(titles.categoryCode, categories.name, categories.nameEn)
    .orderBy(asc(titles.categoryCode));
  const paths = await db
    .select({ path: titles.regionPath, count: sql<number>`count(*)::int` })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .where(w)
    .groupBy(titles.regionPath);
  return { years, categories: cats, paths };
}

export interface RegionNode {
  id: number;
  parentId: number | null;
  name: string;
  level: 'province' | 'city' | 'county' | 'town' | 'village' | 'grid';
  path: string;
}

/** The regions with these ids (from id paths like /1/4/17/). */
export async function regionsByIds(db: Db, ids: number[]): Promise<Map<number, RegionNode>> {
  const uniq = [...new Set(ids)].filter((n) => Number.isSafeInteger(n) && n > 0);
  if (!uniq.length) return new Map();
  const rows = await db
    .select({ id: regions.id, parentId: regions.parentId, name: regions.name, level: regions.level, path: regions.path })
    .from(regions)
    .where(inArray(regions.id, uniq));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Every region carrying one of these names (to resolve a path of names). */
export async function regionsByNames(db: Db, names: string[]): Promise<RegionNode[]> {
  if (!names.length) return [];
  return db
    .select({ id: regions.id, parentId: regions.parentId, name: regions.name, level: regions.level, path: regions.path })
    .from(regions)
    .where(inArray(regions.name, [...new Set(names)]));
}

/** One title by its certificate number, with its holder and category. */
export async function titleByNo(db: Db, certificateNo: string, today: string) {
  const [row] = await db
    .select({ titleId: titles.id, ...rowColumns(today) })
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .leftJoin(categories, eq(categories.code, titles.categoryCode))
    .where(eq(titles.certificateNo, certificateNo));
  return row ?? null;
}

/** A title's history, oldest first; who acted is not read. */
export async function titleHistory(db: Db, titleId: number) {
  return db
    .select({
      kind: titleEvents.kind,
      on: titleEvents.on,
      fromStatus: titleEvents.fromStatus,
      toStatus: titleEvents.toStatus,
      fromStars: titleEvents.fromStars,
      toStars: titleEvents.toStars,
      reason: titleEvents.reason,
    })
    .from(titleEvents)
    .where(eq(titleEvents.titleId, titleId))
    .orderBy(asc(titleEvents.on), asc(titleEvents.id));
}
