import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Chain } from '@pingan/core';
import { allCriteria, checklistFor } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  applications,
  campaigns,
  categories,
  expertAssignments,
  onsiteChecks,
  onsiteFindings,
  onsitePhotos,
  rectifications,
  regions,
  reviewScores,
  reviews,
  subjects,
} from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import { assertApplicationVisible, type CurrentUser } from '../../access/scope.js';
import { chainOf, loadApplicationRow, loadOwnership } from '../../access/ownership.js';
import type { FileStorage } from '../../storage/storage.js';
import { loadAnswers, loadStandardDoc, refreshRating } from '../applications/queries.js';
import { advanceFromStep } from '../applications/chain.js';
import { openAssignment } from './queries.js';
import { readExif } from './exif.js';

/**
 * The expert's side of an on-site check (现场核查): my open assignments, the checklist generated
 * from the standard, findings per criterion with photos, and submission as the onsite-stage review.
 * An expert without an open assignment on the application gets 404 on all of it.
 */

type AppRow = typeof applications.$inferSelect;

/** The application, if this expert has an open assignment on it; otherwise NOT_FOUND. */
export async function loadAssigned(db: Db | Tx, user: CurrentUser, applicationId: number) {
  if (user.role !== 'expert') throw notFound('申报');
  const a = await openAssignment(db, applicationId, user.id);
  if (!a) throw notFound('申报');
  const app = await loadApplicationRow(db, applicationId);
  return { app, assignment: a };
}

/** The key of the onsite step the application's review belongs to. */
export function onsiteStepKey(chain: Chain, app: { step: string | null }): string {
  const cur = chain.steps.find((s) => s.key === app.step);
  if (cur?.kind === 'onsite') return cur.key;
  return chain.steps.find((s) => s.kind === 'onsite')?.key ?? 'onsite';
}

export async function listMyAssignments(db: Db, user: CurrentUser) {
  if (user.role !== 'expert') return { items: [] };
  const rows = await db
    .select({
      assignmentId: expertAssignments.id,
      applicationId: applications.id,
      dueOn: expertAssignments.dueOn,
      assignedAt: expertAssignments.assignedAt,
      subjectName: subjects.name,
      address: subjects.address,
      regionName: regions.name,
      categoryName: categories.name,
      campaignName: campaigns.name,
      status: applications.status,
      checkStatus: onsiteChecks.status,
    })
    .from(expertAssignments)
    .innerJoin(applications, eq(applications.id, expertAssignments.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, applications.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .leftJoin(onsiteChecks, and(eq(onsiteChecks.applicationId, applications.id), eq(onsiteChecks.expertId, user.id)))
    .where(and(eq(expertAssignments.expertId, user.id), eq(expertAssignments.status, 'open')))
    .orderBy(asc(expertAssignments.dueOn), asc(expertAssignments.id));
  const openRect = rows.length
    ? await db
        .select({ applicationId: rectifications.applicationId, n: sql<number>`count(*)::int` })
        .from(rectifications)
        .where(
          and(
            inArray(
              rectifications.applicationId,
              rows.map((r) => r.applicationId),
            ),
            eq(rectifications.requestedBy, user.id),
            inArray(rectifications.status, ['open', 'answered', 'reopened']),
          ),
        )
        .groupBy(rectifications.applicationId)
    : [];
  return {
    items: rows.map((r) => ({
      ...r,
      assignedAt: iso(r.assignedAt),
      checkStatus: r.checkStatus ?? ('none' as const),
      openRectifications: openRect.find((x) => x.applicationId === r.applicationId)?.n ?? 0,
    })),
  };
}

function presentPhoto(p: typeof onsitePhotos.$inferSelect) {
  return {
    id: p.id,
    criterionId: p.criterionId,
    size: p.size,
    contentType: p.contentType,
    takenAt: iso(p.takenAt),
    latitude: p.latitude,
    longitude: p.longitude,
    source: p.source,
    createdAt: iso(p.createdAt),
  };
}

async function myCheck(db: Db | Tx, applicationId: number, expertId: number) {
  const [c] = await db
    .select()
    .from(onsiteChecks)
    .where(and(eq(onsiteChecks.applicationId, applicationId), eq(onsiteChecks.expertId, expertId)));
  return c ?? null;
}

/** The checklist page: the standard's criteria with what to look at, my check, findings and photos. */
export async function getOnsite(db: Db, user: CurrentUser, applicationId: number) {
  const { app, assignment } = await loadAssigned(db, user, applicationId);
  const [doc, ans, [meta], check] = await Promise.all([
    loadStandardDoc(db, app.standardVersionId),
    loadAnswers(db, applicationId),
    db
      .select({
        subjectName: subjects.name,
        address: subjects.address,
        regionName: regions.name,
        categoryName: categories.name,
        campaignName: campaigns.name,
      })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .innerJoin(regions, eq(regions.id, applications.regionId))
      .innerJoin(categories, eq(categories.code, applications.categoryCode))
      .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
      .where(eq(applications.id, applicationId)),
    myCheck(db, applicationId, user.id),
  ]);
  const [findings, photos, rects] = await Promise.all([
    check ? db.select().from(onsiteFindings).where(eq(onsiteFindings.checkId, check.id)) : [],
    check ? db.select().from(onsitePhotos).where(eq(onsitePhotos.checkId, check.id)).orderBy(asc(onsitePhotos.id)) : [],
    db.select().from(rectifications).where(eq(rectifications.applicationId, applicationId)).orderBy(asc(rectifications.id)),
  ]);
  return {
    application: { id: app.id, status: app.status, step: app.step, ...meta! },
    assignment: { id: assignment.id, dueOn: assignment.dueOn },
    checklist: checklistFor(doc).map((item) => ({
      ...item,
      // what the unit reported, so the expert can verify the figures on site
      reported: Object.fromEntries(
        Object.entries(ans.find((a) => a.criterionId === item.criterionId)?.figures ?? {}).map(([k, v]) => [k, v?.value ?? null]),
      ),
      statement: ans.find((a) => a.criterionId === item.criterionId)?.statement ?? null,
    })),
    check: check
      ? {
          id: check.id,
          status: check.status,
          place: check.place,
          latitude: check.latitude,
          longitude: check.longitude,
          startedAt: iso(check.startedAt),
          submittedAt: iso(check.submittedAt),
          summary: check.summary,
        }
      : null,
    findings: findings.map((f) => ({ criterionId: f.criterionId, met: f.met, score: f.score, note: f.note, figures: f.figures })),
    photos: photos.map(presentPhoto),
    rectifications: rects.map((r) => ({
      id: r.id,
      criterionId: r.criterionId,
      request: r.request,
      dueOn: r.dueOn,
      status: r.status,
      answer: r.answer,
      mine: r.requestedBy === user.id,
    })),
  };
}

export interface FindingInput {
  criterionId: string;
  met?: boolean | null;
  score?: number | null;
  note?: string | null;
  figures?: Record<string, number>;
}

export interface CheckInput {
  place?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  summary?: string | null;
  findings: FindingInput[];
}

/** Makes (or finds) the expert's check row; refuses once submitted. */
export async function draftCheck(tx: Db | Tx, app: AppRow, assignmentId: number, expertId: number) {
  const existing = await myCheck(tx, app.id, expertId);
  if (existing) {
    if (existing.status === 'submitted') throw new AppError('WRONG_STATUS', '现场核查已提交，不能再修改');
    return existing;
  }
  const [c] = await tx.insert(onsiteChecks).values({ applicationId: app.id, assignmentId, expertId }).onConflictDoNothing().returning();
  return c ?? (await myCheck(tx, app.id, expertId))!;
}

/** Saves the draft of the check (autosave): place, position, findings. */
export async function saveCheck(db: Db, user: CurrentUser, applicationId: number, input: CheckInput) {
  return db.transaction(async (tx) => {
    const { app, assignment } = await loadAssigned(tx, user, applicationId);
    const doc = await loadStandardDoc(tx, app.standardVersionId);
    const byId = new Map(allCriteria(doc).map((c) => [c.id, c]));
    for (const f of input.findings) {
      const c = byId.get(f.criterionId);
      if (!c) throw new AppError('VALIDATION', `标准中没有第${f.criterionId}项`);
      if (f.score != null && (f.score < 0 || f.score > c.points)) throw new AppError('VALIDATION', `第${c.id}项得分须在0到${c.points}之间`);
      for (const mid of Object.keys(f.figures ?? {}))
        if (!c.measures.some((m) => m.id === mid)) throw new AppError('VALIDATION', `第${c.id}项没有指标「${mid}」`);
    }
    const check = await draftCheck(tx, app, assignment.id, user.id);
    await tx
      .update(onsiteChecks)
      .set({
        place: input.place ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        summary: input.summary ?? null,
      })
      .where(eq(onsiteChecks.id, check.id));
    for (const f of input.findings) {
      const values = { met: f.met ?? null, score: f.score ?? null, note: f.note ?? null, figures: f.figures ?? {} };
      await tx
        .insert(onsiteFindings)
        .values({ checkId: check.id, criterionId: f.criterionId, ...values })
        .onConflictDoUpdate({ target: [onsiteFindings.checkId, onsiteFindings.criterionId], set: values });
    }
    return { checkId: check.id, savedAt: new Date().toISOString() };
  });
}

const PHOTO_TYPES: { type: string; magic: number[] }[] = [
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export interface PhotoInput {
  data: Buffer;
  criterionId: string | null;
  /** what the browser knew at capture: navigator.geolocation and the clock */
  browser: { takenAt: Date | null; latitude: number | null; longitude: number | null };
}

/**
 * Adds a photo to a finding. The capture time and position come from the photo's EXIF when it
 * has them, else from the browser; the source is recorded ('exif' | 'browser' | 'none').
 */
export async function addPhoto(db: Db, storage: FileStorage, user: CurrentUser, applicationId: number, input: PhotoInput) {
  const { app, assignment } = await loadAssigned(db, user, applicationId);
  if (!input.data.length) throw new AppError('VALIDATION', '文件为空');
  const kind = PHOTO_TYPES.find((t) => t.magic.every((b, i) => input.data[i] === b));
  if (!kind) throw new AppError('UNSUPPORTED_TYPE', '现场照片须为JPG或PNG图片');
  if (input.criterionId) {
    const doc = await loadStandardDoc(db, app.standardVersionId);
    if (!allCriteria(doc).some((c) => c.id === input.criterionId)) throw new AppError('VALIDATION', `标准中没有第${input.criterionId}项`);
  }
  const exif = kind.type === 'image/jpeg' ? readExif(input.data) : { takenAt: null, latitude: null, longitude: null };
  const b = input.browser;
  const hasExif = exif.takenAt !== null || exif.latitude !== null;
  const hasBrowser = b.takenAt !== null || b.latitude !== null;
  const source: 'exif' | 'browser' | 'none' = hasExif ? 'exif' : hasBrowser ? 'browser' : 'none';
  // each value from the best source that has it
  const takenAt = exif.takenAt ?? b.takenAt;
  const [latitude, longitude] = exif.latitude !== null ? [exif.latitude, exif.longitude] : [b.latitude, b.longitude];
  const stored = await storage.put(input.data);
  try {
    return await db.transaction(async (tx) => {
      const check = await draftCheck(tx, app, assignment.id, user.id);
      const [row] = await tx
        .insert(onsitePhotos)
        .values({
          checkId: check.id,
          criterionId: input.criterionId,
          storageKey: stored.key,
          sha256: stored.sha256,
          size: stored.size,
          contentType: kind.type,
          takenAt,
          latitude,
          longitude,
          source,
          uploadedBy: user.id,
        })
        .returning();
      return presentPhoto(row!);
    });
  } catch (e) {
    await storage.delete(stored.key);
    throw e;
  }
}

/**
 * A photo for download: the expert with an open assignment on the application, or staff and
 * applicants who can see the application (the scope decides); anyone else 404.
 */
export async function loadPhoto(db: Db, user: CurrentUser, photoId: number) {
  const [row] = await db
    .select({ p: onsitePhotos, applicationId: onsiteChecks.applicationId })
    .from(onsitePhotos)
    .innerJoin(onsiteChecks, eq(onsiteChecks.id, onsitePhotos.checkId))
    .where(eq(onsitePhotos.id, photoId));
  if (!row) throw notFound('照片');
  try {
    if (user.role === 'expert') await loadAssigned(db, user, row.applicationId);
    else assertApplicationVisible(user, await loadApplicationRow(db, row.applicationId));
  } catch {
    throw notFound('照片');
  }
  return row.p;
}

export async function deletePhoto(db: Db, storage: FileStorage, user: CurrentUser, applicationId: number, photoId: number) {
  const { app } = await loadAssigned(db, user, applicationId);
  const check = await myCheck(db, app.id, user.id);
  if (!check) throw notFound('照片');
  if (check.status === 'submitted') throw new AppError('WRONG_STATUS', '现场核查已提交，不能删除照片');
  const [p] = await db
    .select()
    .from(onsitePhotos)
    .where(and(eq(onsitePhotos.id, photoId), eq(onsitePhotos.checkId, check.id)));
  if (!p) throw notFound('照片');
  await db.delete(onsitePhotos).where(eq(onsitePhotos.id, p.id));
  await storage.delete(p.storageKey);
  return { ok: true as const };
}

/** True when every rectification of the application is settled. */
async function rectificationsSettled(tx: Db | Tx, applicationId: number, requestedBy?: number): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(rectifications)
    .where(
      and(
        eq(rectifications.applicationId, applicationId),
        inArray(rectifications.status, ['open', 'answered', 'reopened']),
        requestedBy ? eq(rectifications.requestedBy, requestedBy) : undefined,
      ),
    );
  return r?.n ?? 0;
}

/**
 * Submits the check (提交核查): every criterion needs a finding; the expert's own rectification
 * requests must be re-checked first. The findings become the expert's onsite-stage review (one per
 * expert and step, scores replaced), the assignment closes, the rating is refreshed, and when no
 * assignment and no rectification is left open the application passes the onsite step.
 */
export async function submitCheck(db: Db, user: CurrentUser, applicationId: number) {
  return db.transaction(async (tx) => {
    const { app, assignment } = await loadAssigned(tx, user, applicationId);
    const check = await myCheck(tx, applicationId, user.id);
    if (check?.status === 'submitted') throw new AppError('WRONG_STATUS', '现场核查已提交');
    const doc = await loadStandardDoc(tx, app.standardVersionId);
    const findings = check ? await tx.select().from(onsiteFindings).where(eq(onsiteFindings.checkId, check.id)) : [];
    const missing = allCriteria(doc).filter((c) => {
      const f = findings.find((x) => x.criterionId === c.id);
      return !f || (f.met === null && f.score === null);
    });
    if (!check || missing.length)
      throw new AppError(
        'INCOMPLETE',
        `还有${missing.length}项未记录核查结论：第${missing
          .slice(0, 5)
          .map((c) => c.id)
          .join('、')}项${missing.length > 5 ? '等' : ''}`,
        {
          missing: missing.map((c) => ({ criterionId: c.id, field: 'finding', message: `第${c.id}项未记录核查结论` })),
        },
      );
    const pending = await rectificationsSettled(tx, applicationId, user.id);
    if (pending) throw new AppError('WRONG_STATUS', `您提出的${pending}项整改尚未复查，复查后再提交核查`);
    const [c] = await tx.select({ chain: campaigns.chain }).from(campaigns).where(eq(campaigns.id, app.campaignId));
    const step = onsiteStepKey(chainOf({ chain: c?.chain ?? null }), app);
    const [review] = await tx
      .insert(reviews)
      .values({ applicationId, stage: 'onsite', step, reviewerId: user.id, orgId: user.org?.id ?? null, comment: check.summary })
      .onConflictDoUpdate({
        target: [reviews.applicationId, reviews.step, reviews.reviewerId],
        set: { stage: 'onsite', comment: check.summary, updatedAt: new Date() },
      })
      .returning();
    await tx.delete(reviewScores).where(eq(reviewScores.reviewId, review!.id));
    await tx.insert(reviewScores).values(
      findings.map((f) => ({
        reviewId: review!.id,
        applicationId,
        criterionId: f.criterionId,
        score: f.score,
        met: f.met,
        notApplicable: false,
        comment: f.note,
      })),
    );
    await tx.update(onsiteChecks).set({ status: 'submitted', submittedAt: new Date() }).where(eq(onsiteChecks.id, check.id));
    await tx.update(expertAssignments).set({ status: 'done', closedAt: new Date() }).where(eq(expertAssignments.id, assignment.id));
    const rating = await refreshRating(tx, applicationId);
    const advanced = await advanceIfOnsiteDone(tx, user.id, applicationId);
    return { reviewId: review!.id, rating: { total: rating.total, max: rating.max, stars: rating.stars }, advanced };
  });
}

/** Passes the onsite step when no assignment is open and no rectification is unsettled. */
export async function advanceIfOnsiteDone(
  tx: Db | Tx,
  actorId: number,
  applicationId: number,
): Promise<{ status: AppRow['status']; step: string | null } | null> {
  const app = await loadApplicationRow(tx, applicationId);
  const info = await loadOwnership(tx, app);
  if (info.step?.kind !== 'onsite') return null;
  if (info.ctx.assignedExperts.length) return null;
  if (await rectificationsSettled(tx, applicationId)) return null;
  // the step needs at least one submitted check
  const [done] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(onsiteChecks)
    .where(and(eq(onsiteChecks.applicationId, applicationId), eq(onsiteChecks.status, 'submitted')));
  if (!done?.n) return null;
  return advanceFromStep(tx, actorId, app, info, '现场核查已完成');
}

/** The latest submitted checks of an application (for the detail page and the office). */
export async function checksOf(db: Db | Tx, applicationId: number) {
  return db.select().from(onsiteChecks).where(eq(onsiteChecks.applicationId, applicationId)).orderBy(desc(onsiteChecks.id));
}
