import { and, asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Action, ApplicationForm, ApplicationStatus, CriterionAnswer, ReviewStage } from '@pingan/core';
import { allCriteria, allowedActions, figuresMet, isEditable, isEmptyScore, missingForSubmission, nextStatus, rate } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  answers,
  applicationEvents,
  applications,
  campaignCategories,
  campaigns,
  categories,
  evidenceFiles,
  noticeItems,
  publicNotices,
  regions,
  reviewScores,
  reviews,
  subjects,
  titles,
  users,
} from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { assertApplicationVisible, requireRole, type CurrentUser } from '../../access/scope.js';
import { applicationScopeSql, listColumns, loadAnswers, loadScores, loadStandardDoc, ratingContext, refreshRating } from './queries.js';

export interface ListFilter {
  status?: ApplicationStatus;
  campaignId?: number;
  categoryCode?: string;
  q?: string;
  limit: number;
  offset: number;
}

export async function listApplications(db: Db, user: CurrentUser, f: ListFilter) {
  const where = and(
    applicationScopeSql(user.scope),
    f.status ? eq(applications.status, f.status) : undefined,
    f.campaignId ? eq(applications.campaignId, f.campaignId) : undefined,
    f.categoryCode ? eq(applications.categoryCode, f.categoryCode) : undefined,
    f.q ? or(ilike(subjects.name, `%${f.q}%`), ilike(regions.name, `%${f.q}%`)) : undefined,
  );
  const base = db
    .select({ ...listColumns, regionName: regions.name })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, applications.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(where);
  const [items, [count]] = await Promise.all([
    base.orderBy(desc(applications.updatedAt), desc(applications.id)).limit(f.limit).offset(f.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .innerJoin(regions, eq(regions.id, applications.regionId))
      .where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

async function loadVisible(db: Db | Tx, user: CurrentUser, id: number) {
  const [app] = await db.select().from(applications).where(eq(applications.id, id));
  if (!app) throw notFound('申报');
  assertApplicationVisible(user, app);
  return app;
}

/** An applicant starts an application for its own subject in a campaign's category. */
export async function createApplication(db: Db, user: CurrentUser, input: { campaignId: number; categoryCode: string }) {
  requireRole(user, 'applicant');
  if (!user.subjectId) throw forbidden('账号未关联申报主体');
  const [cc] = await db
    .select({ cc: campaignCategories, campaignRegionPath: regions.path, applyDeadline: campaigns.applyDeadline })
    .from(campaignCategories)
    .innerJoin(campaigns, eq(campaigns.id, campaignCategories.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(and(eq(campaignCategories.campaignId, input.campaignId), eq(campaignCategories.categoryCode, input.categoryCode)));
  if (!cc) throw notFound('创建活动或类别');
  const [subj] = await db
    .select({ s: subjects, path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(eq(subjects.id, user.subjectId));
  if (!subj || !subj.path.startsWith(cc.campaignRegionPath)) throw notFound('创建活动');
  const doc = await loadStandardDoc(db, cc.cc.standardVersionId);
  if (!doc.category.subjectKinds.includes(subj.s.kind))
    throw new AppError('VALIDATION', `「${doc.category.name}」不接受此类主体申报`);
  if (subj.s.kind === 'unit' && doc.category.unitTypes.length && !doc.category.unitTypes.includes(subj.s.unitType ?? ''))
    throw new AppError('VALIDATION', `「${doc.category.name}」只接受${doc.category.unitTypes.join('、')}类单位申报`);
  if (cc.applyDeadline < today()) throw new AppError('VALIDATION', `申报截止日期${cc.applyDeadline}已过`);
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ id: applications.id })
      .from(applications)
      .where(and(eq(applications.campaignId, input.campaignId), eq(applications.categoryCode, input.categoryCode), eq(applications.subjectId, subj.s.id)));
    if (existing.length) throw new AppError('DUPLICATE', `本单位已有此类别的申报（编号${existing[0]!.id}）`, { id: existing[0]!.id });
    const [app] = await tx
      .insert(applications)
      .values({
        campaignId: input.campaignId,
        categoryCode: input.categoryCode,
        standardVersionId: cc.cc.standardVersionId,
        subjectId: subj.s.id,
        regionId: subj.s.regionId,
        regionPath: subj.path,
        createdBy: user.id,
      })
      .returning();
    await tx.insert(applicationEvents).values({ applicationId: app!.id, actorId: user.id, action: 'create', toStatus: 'draft' });
    return app!;
  });
}

export function today(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export async function getApplicationDetail(db: Db, user: CurrentUser, id: number) {
  const app = await loadVisible(db, user, id);
  const [doc, ans, scores, ctx, files, revs, events, meta, notice, title] = await Promise.all([
    loadStandardDoc(db, app.standardVersionId),
    loadAnswers(db, id),
    loadScores(db, id),
    ratingContext(db, app),
    db.select().from(evidenceFiles).where(eq(evidenceFiles.applicationId, id)).orderBy(asc(evidenceFiles.id)),
    db
      .select({ r: reviews, reviewerName: users.displayName })
      .from(reviews)
      .innerJoin(users, eq(users.id, reviews.reviewerId))
      .where(eq(reviews.applicationId, id))
      .orderBy(asc(reviews.id)),
    db
      .select({ e: applicationEvents, actorName: users.displayName })
      .from(applicationEvents)
      .leftJoin(users, eq(users.id, applicationEvents.actorId))
      .where(eq(applicationEvents.applicationId, id))
      .orderBy(asc(applicationEvents.id)),
    db
      .select({ subject: subjects, regionName: regions.name, campaign: campaigns, categoryName: categories.name })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .innerJoin(regions, eq(regions.id, applications.regionId))
      .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
      .innerJoin(categories, eq(categories.code, applications.categoryCode))
      .where(eq(applications.id, id)),
    db
      .select({ n: publicNotices })
      .from(noticeItems)
      .innerJoin(publicNotices, eq(publicNotices.id, noticeItems.noticeId))
      .where(eq(noticeItems.applicationId, id)),
    db.select().from(titles).where(eq(titles.applicationId, id)),
  ]);
  const reviewRows = await db.select().from(reviewScores).where(eq(reviewScores.applicationId, id));
  const scoresByReview = new Map<number, typeof reviewRows>();
  for (const s of reviewRows) scoresByReview.set(s.reviewId, [...(scoresByReview.get(s.reviewId) ?? []), s]);
  const m = meta[0]!;
  const evidenceCount: Record<string, number> = {};
  for (const f of files) if (f.criterionId) evidenceCount[f.criterionId] = (evidenceCount[f.criterionId] ?? 0) + 1;
  return {
    id: app.id,
    status: app.status,
    revision: app.revision,
    form: app.form,
    categoryCode: app.categoryCode,
    categoryName: m.categoryName,
    campaign: { id: m.campaign.id, name: m.campaign.name, year: m.campaign.year, applyDeadline: m.campaign.applyDeadline, reviewDeadline: m.campaign.reviewDeadline },
    subject: { id: m.subject.id, name: m.subject.name, kind: m.subject.kind, unitType: m.subject.unitType, address: m.subject.address, regionName: m.regionName },
    standardVersionId: app.standardVersionId,
    standard: doc,
    answers: ans,
    files: files.map(presentFile),
    reviews: revs.map(({ r, reviewerName }) => ({
      id: r.id,
      stage: r.stage,
      reviewerName,
      comment: r.comment,
      createdAt: r.createdAt,
      scores: (scoresByReview.get(r.id) ?? []).map((s) => ({ criterionId: s.criterionId, score: s.score, met: s.met, notApplicable: s.notApplicable, comment: s.comment })),
    })),
    events: events.map(({ e, actorName }) => ({ id: e.id, action: e.action, from: e.fromStatus, to: e.toStatus, reason: e.reason, at: e.at, actorName })),
    rating: rate(doc, ans, scores, ctx),
    missing: isEditable(app.status) ? missingForSubmission(doc, app.form, ans, evidenceCount) : [],
    allowedActions: allowedActions(app.status, user.role),
    canEdit: user.role === 'applicant' && isEditable(app.status),
    canReview: canReview(user, app.status),
    notice: notice[0] ? { id: notice[0].n.id, title: notice[0].n.title, startsOn: notice[0].n.startsOn, endsOn: notice[0].n.endsOn } : null,
    title: title[0] ? { id: title[0].id, certificateNo: title[0].certificateNo, titleName: title[0].titleName, stars: title[0].stars, level: title[0].level, conferredOn: title[0].conferredOn } : null,
    submittedAt: app.submittedAt,
    updatedAt: app.updatedAt,
  };
}

export function presentFile(f: typeof evidenceFiles.$inferSelect) {
  return { id: f.id, criterionId: f.criterionId, fileName: f.fileName, contentType: f.contentType, size: f.size, sha256: f.sha256, createdAt: f.createdAt };
}

function canReview(user: CurrentUser, status: ApplicationStatus): boolean {
  return stageFor(user, status) !== null;
}

/** Which review stage an account's review counts as, in this status; null = may not review. */
function stageFor(user: CurrentUser, status: ApplicationStatus): ReviewStage | null {
  switch (user.role) {
    case 'lead_department':
    case 'cooperating_department':
      return status === 'submitted' ? 'preliminary' : null;
    case 'expert':
      return status === 'submitted' || status === 'preliminary_passed' ? 'onsite' : null;
    case 'safety_office':
      // after evaluation the 平安办 can still return or reject (e.g. on an upheld objection)
      return status === 'preliminary_passed' || status === 'evaluated' || status === 'in_notice' ? 'evaluation' : null;
    default:
      return null;
  }
}

export interface DraftInput {
  revision: number;
  form: ApplicationForm;
  answers: CriterionAnswer[];
}

/**
 * Saves the applicant's draft: the form and the self-assessment. Refuses a stale revision so that
 * two tabs cannot silently overwrite each other; unknown criteria or figures are refused whole.
 */
export async function saveDraft(db: Db, user: CurrentUser, id: number, input: DraftInput) {
  requireRole(user, 'applicant');
  const app = await loadVisible(db, user, id);
  if (!isEditable(app.status)) throw new AppError('WRONG_STATUS', '申报已提交，不能再修改');
  const doc = await loadStandardDoc(db, app.standardVersionId);
  const byId = new Map(allCriteria(doc).map((c) => [c.id, c]));
  for (const a of input.answers) {
    const c = byId.get(a.criterionId);
    if (!c) throw new AppError('VALIDATION', `标准中没有第${a.criterionId}项`);
    for (const mid of Object.keys(a.figures ?? {})) {
      if (!c.measures.some((m) => m.id === mid)) throw new AppError('VALIDATION', `第${c.id}项没有指标「${mid}」`);
    }
  }
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(applications)
      .set({ form: input.form, revision: sql`${applications.revision} + 1`, updatedAt: new Date() })
      .where(and(eq(applications.id, id), eq(applications.revision, input.revision)))
      .returning({ revision: applications.revision });
    if (!updated.length) throw new AppError('CONFLICT');
    for (const a of input.answers) {
      const figures = Object.fromEntries(Object.entries(a.figures ?? {}).filter(([, v]) => v && Number.isFinite(v.value)));
      const met = figuresMet(byId.get(a.criterionId)!, { criterionId: a.criterionId, figures });
      await tx
        .insert(answers)
        .values({ applicationId: id, criterionId: a.criterionId, statement: a.statement ?? null, figures, figuresMet: met })
        .onConflictDoUpdate({ target: [answers.applicationId, answers.criterionId], set: { statement: a.statement ?? null, figures, figuresMet: met } });
    }
    return { revision: updated[0]!.revision };
  });
}

/** Moves an application along the workflow, recording who, when, from, to and why. */
export async function transition(tx: Db | Tx, user: CurrentUser, app: { id: number; status: ApplicationStatus }, action: Action, reason?: string | null, extra: Partial<typeof applications.$inferInsert> = {}) {
  const r = nextStatus(app.status, action, user.role, reason);
  if (!r.ok) throw new AppError(r.code === 'WRONG_ROLE' ? 'FORBIDDEN' : r.code, r.message);
  const done = await tx
    .update(applications)
    .set({ ...extra, status: r.to, updatedAt: new Date(), revision: sql`${applications.revision} + 1` })
    .where(and(eq(applications.id, app.id), eq(applications.status, app.status)))
    .returning({ id: applications.id });
  if (!done.length) throw new AppError('CONFLICT', '申报状态已被他人更新，请刷新后重试');
  await tx.insert(applicationEvents).values({ applicationId: app.id, actorId: user.id, action, fromStatus: app.status, toStatus: r.to, reason: reason?.trim() || null });
  return r.to;
}

export async function submitApplication(db: Db, user: CurrentUser, id: number) {
  requireRole(user, 'applicant');
  const app = await loadVisible(db, user, id);
  const [doc, ans, files] = await Promise.all([
    loadStandardDoc(db, app.standardVersionId),
    loadAnswers(db, id),
    db.select({ c: evidenceFiles.criterionId }).from(evidenceFiles).where(eq(evidenceFiles.applicationId, id)),
  ]);
  const count: Record<string, number> = {};
  for (const f of files) if (f.c) count[f.c] = (count[f.c] ?? 0) + 1;
  const missing = missingForSubmission(doc, app.form, ans, count);
  if (missing.length) throw new AppError('INCOMPLETE', `申报材料不完整，还缺${missing.length}项：${missing.slice(0, 3).map((m) => m.message).join('；')}${missing.length > 3 ? '……' : ''}`, { missing });
  return db.transaction(async (tx) => {
    const to = await transition(tx, user, app, 'submit', null, { submittedAt: new Date() });
    await refreshRating(tx, id);
    return { status: to };
  });
}

export interface ReviewInput {
  decision: 'pass' | 'return' | 'reject' | 'none';
  comment?: string | null;
  reason?: string | null;
  scores: { criterionId: string; score?: number | null; met?: boolean | null; notApplicable?: boolean; comment?: string | null }[];
}

/**
 * A reviewer records scores for the criteria (one review row per pass) and, where the role
 * decides, passes the application on, returns it or rejects it, in one transaction.
 */
export async function reviewApplication(db: Db, user: CurrentUser, id: number, input: ReviewInput) {
  const app = await loadVisible(db, user, id);
  const stage = stageFor(user, app.status);
  if (!stage) throw new AppError('WRONG_STATUS', '当前状态下您不能评审此申报');
  const doc = await loadStandardDoc(db, app.standardVersionId);
  const byId = new Map(allCriteria(doc).map((c) => [c.id, c]));
  const dept = user.org?.deptCode;
  const scores = input.scores.filter((x) => !isEmptyScore(x));
  if (scores.length && (app.status === 'evaluated' || app.status === 'in_notice'))
    throw new AppError('VALIDATION', '综合评定已完成，不能再修改评分；如需改变结果请退回或不予通过');
  for (const s of scores) {
    const c = byId.get(s.criterionId);
    if (!c) throw new AppError('VALIDATION', `标准中没有第${s.criterionId}项`);
    if (s.score != null && (s.score < 0 || s.score > c.points))
      throw new AppError('VALIDATION', `第${c.id}项得分须在0到${c.points}之间`);
    // a cooperating department scores only the criteria it is named on
    if (user.role === 'cooperating_department' && !(dept && (c.lead.includes(dept as never) || c.cooperate.includes(dept as never))))
      throw forbidden(`第${c.id}项不由本部门负责`);
  }
  const action: Action | null =
    input.decision === 'none'
      ? null
      : input.decision === 'return'
        ? 'return'
        : input.decision === 'reject'
          ? 'reject'
          : stage === 'preliminary' && user.role === 'lead_department'
            ? 'preliminary_pass'
            : stage === 'evaluation'
              ? 'evaluate'
              : null;
  if (input.decision !== 'none' && !action) throw forbidden('您的角色不能作出此决定');
  return db.transaction(async (tx) => {
    let reviewId: number | null = null;
    if (scores.length || input.comment) {
      const [r] = await tx.insert(reviews).values({ applicationId: id, stage, reviewerId: user.id, orgId: user.org?.id ?? null, comment: input.comment ?? null }).returning();
      reviewId = r!.id;
      if (scores.length)
        await tx.insert(reviewScores).values(
          scores.map((s) => ({
            reviewId: r!.id,
            applicationId: id,
            criterionId: s.criterionId,
            score: s.score ?? null,
            met: s.met ?? null,
            notApplicable: s.notApplicable ?? false,
            comment: s.comment ?? null,
          })),
        );
    }
    const rating = await refreshRating(tx, id);
    if (action === 'evaluate') {
      if (rating.vetoed.length) throw new AppError('VALIDATION', `第${rating.vetoed.join('、')}项一票否决，不能通过综合评定，请选择不予通过`);
      if (rating.pending.length) throw new AppError('VALIDATION', `还有${rating.pending.length}项未评分（第${rating.pending.join('、')}项），综合评定须对全部项目作出判定`);
      if (rating.stars < 1) throw new AppError('VALIDATION', `得分${rating.total}/${rating.max}未达到1星，不能通过综合评定`);
    }
    const status = action ? await transition(tx, user, app, action, input.reason) : app.status;
    return { reviewId, status, rating };
  });
}

export async function loadApplicationForFiles(db: Db, user: CurrentUser, id: number) {
  return loadVisible(db, user, id);
}

