import { and, asc, eq, inArray, isNull, like, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { CriterionAnswer, CriterionScore, RatingContext, StandardDoc } from '@pingan/core';
import type { Rating } from '@pingan/core';
import { APPLICANT_ONLY_STATUSES, levelForStars, rate, reason } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  answers,
  applications,
  campaigns,
  categories,
  reviewScores,
  reviews,
  standardVersions,
  subjects,
  titles,
} from '../../db/schema.js';
import type { Scope } from '@pingan/core';
import { assertApplicationVisible, type CurrentUser } from '../../access/scope.js';
import { notFound } from '../../errors.js';

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

export async function loadStandardDoc(db: Db | Tx, versionId: number): Promise<StandardDoc> {
  const [v] = await db.select({ doc: standardVersions.doc }).from(standardVersions).where(eq(standardVersions.id, versionId));
  if (!v) throw new Error(`standard version ${versionId} missing`);
  return v.doc;
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
  /** stars (000) or a title conferred or not (001, 002) */
  scheme: sql<'stars' | 'title'>`coalesce(${standardVersions.doc}->>'scheme', 'stars')`,
  submittedAt: applications.submittedAt,
  updatedAt: applications.updatedAt,
};
