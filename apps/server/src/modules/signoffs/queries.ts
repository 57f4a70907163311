import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Criterion, StandardDoc } from '@pingan/core';
import { allCriteria, criteriaOfDepartment } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  applications,
  campaigns,
  categories,
  organisations,
  reviewScores,
  reviews,
  signoffs,
  standardVersions,
  subjects,
  users,
} from '../../db/schema.js';

/**
 * SQL of 会签. The worklist and the matrix are each a handful of set-based statements, whatever
 * the number of applications on the page: no query per row.
 */

export type SignoffRow = typeof signoffs.$inferSelect;

// ───────────────────────────── standard docs ─────────────────────────────

/** Standard versions never change once stored, so their docs are cached by id for the process. */
const docCache = new Map<number, StandardDoc>();
const deptCriteriaCache = new Map<string, Criterion[]>();

/** The docs of these versions: from the cache, the rest in one statement. */
export async function standardDocs(db: Db | Tx, versionIds: readonly number[]): Promise<Map<number, StandardDoc>> {
  const missing = [...new Set(versionIds)].filter((id) => !docCache.has(id));
  if (missing.length) {
    const rows = await db
      .select({ id: standardVersions.id, doc: standardVersions.doc })
      .from(standardVersions)
      .where(inArray(standardVersions.id, missing));
    for (const r of rows) docCache.set(r.id, r.doc);
  }
  const out = new Map<number, StandardDoc>();
  for (const id of versionIds) {
    const d = docCache.get(id);
    if (d) out.set(id, d);
  }
  return out;
}

/** The criteria a department answers for in a version (cached alongside the doc). */
export function departmentCriteria(versionId: number, doc: StandardDoc, deptCode: string): Criterion[] {
  const key = `${versionId}:${deptCode}`;
  let hit = deptCriteriaCache.get(key);
  if (!hit) {
    const all = allCriteria(doc);
    const ids = new Set(criteriaOfDepartment(all, deptCode));
    hit = all.filter((c) => ids.has(c.id));
    deptCriteriaCache.set(key, hit);
  }
  return hit;
}

// ───────────────────────────── opening ─────────────────────────────

/** The department organisations of a region whose codes are among `codes`. */
export async function departmentOrgs(db: Db | Tx, regionId: number, codes: readonly string[]) {
  if (!codes.length) return [];
  return db
    .select({ id: organisations.id, deptCode: organisations.deptCode, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.regionId, regionId), eq(organisations.kind, 'department'), inArray(organisations.deptCode, [...codes])))
    .orderBy(asc(organisations.id));
}

/** Active department accounts of these organisations, with their organisation. */
export async function departmentUsers(db: Db | Tx, orgIds: readonly number[]) {
  if (!orgIds.length) return [];
  return db
    .select({ id: users.id, orgId: users.orgId })
    .from(users)
    .where(
      and(inArray(users.orgId, [...orgIds]), eq(users.disabled, false), inArray(users.role, ['lead_department', 'cooperating_department'])),
    );
}

// ───────────────────────────── worklist ─────────────────────────────

export interface WorklistFilter {
  orgId: number;
  campaignId?: number;
  status: 'pending' | 'signed' | 'all';
  limit: number;
  offset: number;
}

/** One statement: a department's rows with their application, subject, category and campaign, and the total. */
export async function worklistRows(db: Db | Tx, f: WorklistFilter) {
  const where: SQL[] = [eq(signoffs.orgId, f.orgId)];
  if (f.campaignId) where.push(eq(applications.campaignId, f.campaignId));
  // a pending row counts only while its application is still at that step (a returned
  // application leaves its rows behind; a resubmission reopens them)
  const atStep = sql`${applications.step} = ${signoffs.step} and ${applications.status} in ('submitted', 'preliminary_passed')`;
  // …and while its campaign has not been withdrawn
  if (f.status === 'pending') where.push(eq(signoffs.status, 'pending'), atStep, eq(campaigns.status, 'active'));
  else if (f.status === 'signed') where.push(inArray(signoffs.status, ['signed', 'overridden']));
  else where.push(sql`(${signoffs.status} <> 'pending' or (${atStep}))`);
  return db
    .select({
      s: signoffs,
      app: {
        id: applications.id,
        status: applications.status,
        step: applications.step,
        categoryCode: applications.categoryCode,
        standardVersionId: applications.standardVersionId,
        campaignId: applications.campaignId,
        submittedAt: applications.submittedAt,
      },
      subjectName: subjects.name,
      categoryName: categories.name,
      campaignName: campaigns.name,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(signoffs)
    .innerJoin(applications, eq(applications.id, signoffs.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(...where))
    .orderBy(
      sql`${signoffs.status} = 'pending' desc`,
      sql`${signoffs.deadline} asc nulls last`,
      asc(signoffs.applicationId),
      asc(signoffs.id),
    )
    .limit(f.limit)
    .offset(f.offset);
}

export interface OrgScore {
  applicationId: number;
  step: string;
  criterionId: string;
  score: number | null;
  met: boolean | null;
  notApplicable: boolean;
  comment: string | null;
}

/**
 * One statement: what an organisation's accounts recorded on these applications, latest first
 * per criterion, and each application's latest overall comment of the organisation.
 */
export async function orgReviews(db: Db | Tx, orgId: number, applicationIds: readonly number[]) {
  if (!applicationIds.length) return { scores: new Map<string, OrgScore>(), comments: new Map<string, string | null>() };
  const rows = await db
    .select({
      applicationId: reviews.applicationId,
      step: reviews.step,
      comment: reviews.comment,
      criterionId: reviewScores.criterionId,
      score: reviewScores.score,
      met: reviewScores.met,
      notApplicable: reviewScores.notApplicable,
      scoreComment: reviewScores.comment,
    })
    .from(reviews)
    // the application filter on the scores too lets the planner use review_scores_app_idx
    // instead of scanning every score of the campaign
    .leftJoin(reviewScores, and(eq(reviewScores.reviewId, reviews.id), inArray(reviewScores.applicationId, [...applicationIds])))
    .where(and(eq(reviews.orgId, orgId), inArray(reviews.applicationId, [...applicationIds])))
    .orderBy(desc(reviews.updatedAt), desc(reviews.id));
  const scores = new Map<string, OrgScore>();
  const comments = new Map<string, string | null>();
  for (const r of rows) {
    const appStep = `${r.applicationId}:${r.step}`;
    if (!comments.has(appStep) && r.comment) comments.set(appStep, r.comment);
    if (r.criterionId === null) continue;
    const key = `${appStep}:${r.criterionId}`;
    // rows come latest review first: the first seen is the one in force
    if (!scores.has(key))
      scores.set(key, {
        applicationId: r.applicationId,
        step: r.step,
        criterionId: r.criterionId,
        score: r.score,
        met: r.met,
        notApplicable: r.notApplicable ?? false,
        comment: r.scoreComment,
      });
  }
  return { scores, comments };
}

// ───────────────────────────── one row ─────────────────────────────

/** A signoff row with what access and ownership need about its application. */
export async function loadSignoff(db: Db | Tx, id: number) {
  const [row] = await db
    .select({ s: signoffs, app: applications, subjectName: subjects.name, campaignStatus: campaigns.status })
    .from(signoffs)
    .innerJoin(applications, eq(applications.id, signoffs.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(eq(signoffs.id, id));
  return row ?? null;
}

export async function pendingCount(db: Db | Tx, applicationId: number, step: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(signoffs)
    .where(and(eq(signoffs.applicationId, applicationId), eq(signoffs.step, step), eq(signoffs.status, 'pending')));
  return r?.n ?? 0;
}

/** Locks the application row for the rest of the transaction: two last signatures cannot both miss each other. */
export async function lockApplication(tx: Tx, id: number) {
  const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
  return app ?? null;
}

// ───────────────────────────── matrix ─────────────────────────────

/** The departments with rows in a campaign (the matrix's columns), in one statement. */
export async function matrixDepartments(db: Db | Tx, campaignId: number) {
  return db
    .selectDistinct({ orgId: signoffs.orgId, deptCode: signoffs.deptCode, name: organisations.name })
    .from(signoffs)
    .innerJoin(applications, eq(applications.id, signoffs.applicationId))
    .innerJoin(organisations, eq(organisations.id, signoffs.orgId))
    .where(eq(applications.campaignId, campaignId))
    .orderBy(asc(signoffs.deptCode), asc(signoffs.orgId));
}

/** The matrix's rows: applications of the campaign with signoff rows, at a signoff step now unless `all`. */
export async function matrixApplications(db: Db | Tx, campaignId: number, state: 'open' | 'all', limit: number, offset: number) {
  const has = sql`exists (select 1 from ${signoffs} where ${signoffs.applicationId} = ${applications.id}${
    state === 'open' ? sql` and ${signoffs.step} = ${applications.step}` : sql``
  })`;
  const where: SQL[] = [eq(applications.campaignId, campaignId), has];
  if (state === 'open') where.push(inArray(applications.status, ['submitted', 'preliminary_passed']));
  return db
    .select({
      id: applications.id,
      status: applications.status,
      step: applications.step,
      categoryCode: applications.categoryCode,
      categoryName: categories.name,
      subjectName: subjects.name,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(...where))
    .orderBy(asc(applications.id))
    .limit(limit)
    .offset(offset);
}

/** Every signoff row of these applications, with who signed or overrode, in one statement. */
export async function matrixCells(db: Db | Tx, applicationIds: readonly number[]) {
  if (!applicationIds.length) return [];
  const signer = sql<string | null>`(select ${users.displayName} from ${users} where ${users.id} = ${signoffs.signedBy})`;
  const overrider = sql<string | null>`(select ${users.displayName} from ${users} where ${users.id} = ${signoffs.overriddenBy})`;
  return db
    .select({ s: signoffs, signedByName: signer, overriddenByName: overrider })
    .from(signoffs)
    .where(inArray(signoffs.applicationId, [...applicationIds]))
    .orderBy(asc(signoffs.id));
}

/**
 * Stores a department account's scores at a signoff step as its review (one per application, step
 * and reviewer, updated in place; the overall comment is kept unless a new one is given) and
 * replaces its scores for the criteria sent.
 */
export async function saveOrgReview(
  tx: Db | Tx,
  r: { applicationId: number; step: string; reviewerId: number; orgId: number; comment: string | null },
  scores: readonly { criterionId: string; score: number | null; met: boolean | null; notApplicable: boolean; comment: string | null }[],
): Promise<number> {
  const [row] = await tx
    .insert(reviews)
    .values({
      applicationId: r.applicationId,
      step: r.step,
      stage: 'preliminary',
      reviewerId: r.reviewerId,
      orgId: r.orgId,
      comment: r.comment,
    })
    .onConflictDoUpdate({
      target: [reviews.applicationId, reviews.step, reviews.reviewerId],
      set: { updatedAt: new Date(), orgId: r.orgId, ...(r.comment ? { comment: r.comment } : {}) },
    })
    .returning({ id: reviews.id });
  const reviewId = row!.id;
  if (scores.length)
    await tx
      .insert(reviewScores)
      .values(scores.map((s) => ({ reviewId, applicationId: r.applicationId, ...s })))
      .onConflictDoUpdate({
        target: [reviewScores.reviewId, reviewScores.criterionId],
        set: {
          score: sql`excluded.score`,
          met: sql`excluded.met`,
          notApplicable: sql`excluded.not_applicable`,
          comment: sql`excluded.comment`,
        },
      });
  return reviewId;
}

export async function orgName(db: Db | Tx, orgId: number): Promise<string | null> {
  const [o] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
  return o?.name ?? null;
}
