import { standardVersion } from './standardCache.js';
import { and, asc, desc, eq, ilike, inArray, isNull, like, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { ApplicationStatus, CriterionAnswer, CriterionScore, RatingContext, StandardDoc } from '@pingan/core';
import type { Rating } from '@pingan/core';
import { APPLICANT_ONLY_STATUSES, levelForStars, rate, reason } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { answers, applications, campaigns, categories, regions, reviewScores, reviews, subjects, titles } from '../../db/schema.js';
import type { Scope } from '@pingan/core';
import { assertApplicationVisible, type CurrentUser } from '../../access/scope.js';
import { notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** One application the account may see (the scope, the draft rule included), or 404. */
export async function loadVisibleApplication(db: Db | Tx, user: CurrentUser, id: number) {
  const [app] = await db.select().from(applications).where(eq(applications.id, id));
  if (!app) throw notFound('申报');
  assertApplicationVisible(user, app);
  return app;
}

/**
 * The WHERE clause that limits applications to a scope: the SQL twin of applicationInScope, the
 * draft rule included (a never-submitted draft is the applicant's alone: core APPLICANT_ONLY_STATUSES).
 */
export function applicationScopeSql(scope: Scope): SQL {
  if (scope.role === 'applicant') return scope.subjectId ? eq(applications.subjectId, scope.subjectId) : sql`false`;
  const inScope = staffScopeSql(scope);
  return and(notInArray(applications.status, [...APPLICANT_ONLY_STATUSES]), inScope)!;
}

function staffScopeSql(scope: Scope): SQL {
  if (scope.role === 'expert') return scope.applicationIds?.length ? inArray(applications.id, scope.applicationIds) : sql`false`;
  if (!scope.regionPath) return sql`false`;
  const inRegion = like(applications.regionPath, `${scope.regionPath}%`);
  if (scope.categoryCodes === null) return inRegion;
  const supervised = scope.deptCode ? eq(applications.supervisingDept, scope.deptCode) : undefined;
  if (!scope.categoryCodes.length) return supervised ? and(inRegion, supervised)! : sql`false`;
  const inCategories = inArray(applications.categoryCode, scope.categoryCodes);
  return and(inRegion, supervised ? or(inCategories, supervised) : inCategories)!;
}

/** A stored standard version never changes: read once per database and kept (standardCache.ts). */
export async function loadStandardDoc(db: Db | Tx, versionId: number): Promise<StandardDoc> {
  return (await standardVersion(db, versionId)).doc;
}

export async function loadAnswers(db: Db | Tx, applicationId: number): Promise<CriterionAnswer[]> {
  const rows = await db.select().from(answers).where(eq(answers.applicationId, applicationId));
  return rows.map((r) => ({ criterionId: r.criterionId, statement: r.statement, figures: r.figures ?? {} }));
}

export async function loadScores(db: Db | Tx, applicationId: number): Promise<CriterionScore[]> {
  const rows = await db
    .select({ s: reviewScores, stage: reviews.stage, at: reviews.createdAt, reviewId: reviews.id })
    .from(reviewScores)
    .innerJoin(reviews, eq(reviews.id, reviewScores.reviewId))
    .where(eq(reviewScores.applicationId, applicationId))
    .orderBy(asc(reviews.id));
  return rows.map((r) => ({
    criterionId: r.s.criterionId,
    score: r.s.score,
    met: r.s.met,
    notApplicable: r.s.notApplicable,
    comment: r.s.comment,
    stage: r.stage,
    // the review id orders reviews of one stage even within the same millisecond
    at: `${r.at.toISOString()}#${String(r.reviewId).padStart(10, '0')}`,
  }));
}

/** Titles the subject held in the same category in earlier years: the star rules may need them. */
export async function ratingContext(
  db: Db | Tx,
  app: { subjectId: number; categoryCode: string; campaignId: number },
): Promise<RatingContext> {
  const [c] = await db.select({ year: campaigns.year }).from(campaigns).where(eq(campaigns.id, app.campaignId));
  const held = await db
    .select({ stars: titles.stars, year: titles.year })
    .from(titles)
    .where(and(eq(titles.subjectId, app.subjectId), eq(titles.categoryCode, app.categoryCode), isNull(titles.revokedAt)));
  return { priorTitleStars: held.map((t) => ({ stars: t.stars, yearsAgo: (c?.year ?? t.year) - t.year })) };
}

/** Recomputes and stores an application's rating; returns it. */
export async function refreshRating(db: Db | Tx, applicationId: number) {
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!app) throw new Error(`application ${applicationId} missing`);
  // one after another: inside a transaction all queries share one connection
  const doc = await loadStandardDoc(db, app.standardVersionId);
  const ans = await loadAnswers(db, applicationId);
  const scores = await loadScores(db, applicationId);
  const ctx = await ratingContext(db, app);
  const rating = capUnselected(rate(doc, ans, scores, ctx), app.selected, await selectionStars(db, app.campaignId));
  await db.update(applications).set({ rating, score: rating.total, stars: rating.stars }).where(eq(applications.id, applicationId));
  return rating;
}

/** The star that 000 gives by 评选 (a selection within a number) rather than by points: 4 (先进). */
async function selectionStars(db: Db | Tx, campaignId: number): Promise<number | null> {
  const [c] = await db.select({ chain: campaigns.chain }).from(campaigns).where(eq(campaigns.id, campaignId));
  return c?.chain?.rules.selectionForStars ?? null;
}

/**
 * 000: 4 stars (先进单位) are given by 评选 among the candidates, within the number available. A
 * candidate not selected keeps the star below (达标); one not yet through the selection keeps its
 * points' star, marked as awaiting the selection.
 */
export function capUnselected(rating: Rating, selected: boolean | null, selectionFor: number | null): Rating {
  if (selectionFor === null || rating.stars !== selectionFor) return rating;
  if (selected === true) return rating;
  const text =
    selected === false
      ? `未入选${selectionFor}星评选（须经评选，名额有限），按${selectionFor - 1}星评定`
      : `${selectionFor}星须经评选，待评选`;
  const textEn =
    selected === false
      ? `Not chosen in the ${selectionFor}-star selection; rated ${selectionFor - 1} stars`
      : `${selectionFor} stars need the selection, still to come`;
  const out = {
    ...rating,
    conditionsUnmet: [...rating.conditionsUnmet, text],
    conditionsUnmetReasons: [...rating.conditionsUnmetReasons, reason('condition.unmet', { text, text_en: textEn })],
  };
  if (selected === false) return { ...out, stars: selectionFor - 1, level: levelForStars(selectionFor - 1) };
  return out;
}

export const listColumns = {
  id: applications.id,
  status: applications.status,
  categoryCode: applications.categoryCode,
  categoryName: categories.name,
  campaignId: applications.campaignId,
  campaignName: campaigns.name,
  year: campaigns.year,
  subjectId: applications.subjectId,
  subjectName: subjects.name,
  regionPath: applications.regionPath,
  score: applications.score,
  stars: applications.stars,
  /** the row's standard version: its scheme (stars or a title) comes from the in-memory cache, not from
   * reading the version's whole document out of the database for every row of a page */
  standardVersionId: applications.standardVersionId,
  submittedAt: applications.submittedAt,
  updatedAt: applications.updatedAt,
};

export interface ListFilter {
  status?: ApplicationStatus;
  campaignId?: number;
  categoryCode?: string;
  q?: string;
  limit: number;
  offset: number;
  /** keyset paging: the nextCursor of the page before; offset is then ignored */
  cursor?: string;
}

/** `%text%` for LIKE, with the pattern characters in the text taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** updated_at to the microsecond, UTC: the exact key a cursor carries (a JS Date would drop the microseconds). */
const updatedKey = sql<string>`to_char(${applications.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The applications list: newest change first (updated_at desc, id desc). Paged by offset (the web
 * app's numbered pages) or by cursor (nextCursor: keyset, as fast on the thousandth page as on the
 * first). The total is counted on the applications alone (subjects and regions joined only for a
 * search), and only for a page asked without a cursor: a cursor's pages say only whether more follow.
 *
 * A row changed while someone pages moves to the front and is not seen again by that walk: the
 * order is "last changed", so a walk reflects the moment of each page.
 */
export async function listApplications(db: Db, user: CurrentUser, f: ListFilter) {
  const q = f.q?.trim();
  const filter = and(
    applicationScopeSql(user.scope),
    f.status ? eq(applications.status, f.status) : undefined,
    f.campaignId ? eq(applications.campaignId, f.campaignId) : undefined,
    f.categoryCode ? eq(applications.categoryCode, f.categoryCode) : undefined,
    q ? or(ilike(subjects.name, contains(q)), ilike(regions.name, contains(q))) : undefined,
  );
  const after = f.cursor ? decodeCursor(f.cursor, ['t', 'i'] as const) : null;
  const where = after
    ? and(filter, sql`(${applications.updatedAt}, ${applications.id}) < (${after[0]}::timestamptz, ${after[1]})`)
    : filter;
  const page = db
    .select({ ...listColumns, regionName: regions.name, key: updatedKey })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, applications.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(where)
    .orderBy(desc(applications.updatedAt), desc(applications.id))
    // one row more than asked: whether another page follows, without counting
    .limit(f.limit + 1)
    .offset(after ? 0 : f.offset);
  const counted = after ? null : countApplications(db, filter, !!q);
  const [rows, total] = await Promise.all([page, counted]);
  const more = rows.length > f.limit;
  const items = rows.slice(0, f.limit);
  const last = items[items.length - 1];
  // stars (000) or a title conferred or not (001, 002): a page holds a handful of versions
  const schemes = new Map<number, 'stars' | 'title'>();
  for (const id of new Set(items.map((a) => a.standardVersionId))) schemes.set(id, (await standardVersion(db, id)).doc.scheme ?? 'stars');
  return {
    items: items.map(({ key: _k, standardVersionId, ...a }) => ({
      ...a,
      scheme: schemes.get(standardVersionId)!,
      submittedAt: iso(a.submittedAt),
      updatedAt: iso(a.updatedAt),
    })),
    total,
    nextCursor: more && last ? encodeCursor([last.key, last.id]) : null,
  };
}

/** How many match: the applications alone, unless a search needs the subject's and the region's names. */
async function countApplications(db: Db, where: SQL | undefined, joined: boolean): Promise<number> {
  const base = db.select({ n: sql<number>`count(*)::int` }).from(applications);
  const [row] = joined
    ? await base
        .innerJoin(subjects, eq(subjects.id, applications.subjectId))
        .innerJoin(regions, eq(regions.id, applications.regionId))
        .where(where)
    : await base.where(where);
  return row?.n ?? 0;
}
