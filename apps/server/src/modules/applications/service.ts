import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Action, ApplicationStatus, ChainStep, ReviewStage } from '@pingan/core';
import {
  STATUS_LABELS,
  allCriteria,
  allowedActions,
  isEditable,
  isEmptyScore,
  maskPhone,
  missingForSubmission,
  nextStatus,
  rate,
} from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  applicationEvents,
  applicationRevisions,
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
import { today } from '../../clock.js';
import { iso } from '../../http/contract.js';
import type { Column, PageFn } from '../../http/xlsx.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import type { Keys } from '../../crypto/keys.js';
import { isCampaignOffice, loadOwnership, ownsCurrentStep, type OwnershipInfo } from '../../access/ownership.js';
import { notify } from '../notifications/service.js';
import { advanceFromStep, enterChain } from './chain.js';
import { assertNominationRule } from '../recommendations/service.js';
import { assertEligible } from '../incidents/eligibility.js';
import {
  listApplications,
  loadAnswers,
  loadScores,
  loadStandardDoc,
  loadVisibleApplication,
  ratingContext,
  refreshRating,
  type ListFilter,
} from './queries.js';
import { openValue, presentForm, shownIdNumber, shownPhone } from './personalData.js';
import { freezeRevision, mayRevealContact, revisionShownTo } from './revisions.js';

/** The list lives with the other list queries (queries.ts); kept here for the routes that import it from the service. */
export { listApplications, type ListFilter };

const loadVisible = loadVisibleApplication;

type ExportRow = Awaited<ReturnType<typeof listApplications>>['items'][number] & { contactName: string; contactPhone: string };

/**
 * ?format=xlsx: the list in scope as Excel, every row (streamed page by page: http/xlsx.ts), the
 * contact phone masked. Staff see a returned application's last submitted contact, as on its page.
 */
export function applicationsExport(
  db: Db,
  keys: Keys,
  user: CurrentUser,
  f: Omit<ListFilter, 'limit' | 'offset' | 'cursor'>,
): { columns: Column<ExportRow>[]; fetch: PageFn<ExportRow> } {
  // pages are read one after another: each continues from the last one's cursor (keyset), so the
  // thousandth page costs what the first does; a page asked out of turn falls back to its offset
  let next = { offset: 0, cursor: undefined as string | undefined };
  const fetch: PageFn<ExportRow> = async (offset, limit) => {
    const { cursor: _ignored, ...filter } = f as ListFilter;
    const page = await listApplications(db, user, { ...filter, limit, offset, cursor: offset === next.offset ? next.cursor : undefined });
    next = { offset: offset + page.items.length, cursor: page.nextCursor ?? undefined };
    const ids = page.items.map((i) => i.id);
    const contacts = new Map<number, { name: string | null; phone: string | null }>();
    if (ids.length) {
      const rows = await db
        .select({
          id: applications.id,
          status: applications.status,
          form: applications.form,
          phone: applications.contactPhone,
          revForm: applicationRevisions.form,
          revPhone: applicationRevisions.contactPhone,
        })
        .from(applications)
        .leftJoin(
          applicationRevisions,
          and(eq(applicationRevisions.applicationId, applications.id), eq(applicationRevisions.no, applications.submissions)),
        )
        .where(inArray(applications.id, ids));
      for (const r of rows) {
        const frozen = user.role !== 'applicant' && r.status === 'returned' && r.revForm;
        const form = frozen ? r.revForm! : r.form;
        contacts.set(r.id, { name: form.contactName ?? null, phone: maskPhone(openValue(keys, frozen ? r.revPhone : r.phone)) });
      }
    }
    return page.items.map((i) => ({ ...i, contactName: contacts.get(i.id)?.name ?? '', contactPhone: contacts.get(i.id)?.phone ?? '' }));
  };
  const columns: Column<ExportRow>[] = [
    { header: '申报编号', width: 10, value: (i) => i.id },
    { header: '申报单位', width: 30, value: (i) => i.subjectName },
    { header: '所在区域', width: 14, value: (i) => i.regionName },
    { header: '类别', width: 14, value: (i) => i.categoryName },
    { header: '创建活动', width: 32, value: (i) => i.campaignName },
    { header: '状态', width: 16, value: (i) => STATUS_LABELS[i.status].zh },
    { header: '得分', width: 8, value: (i) => i.score },
    { header: '星级', width: 8, value: (i) => (i.scheme === 'title' ? '' : i.stars) },
    { header: '提交时间', width: 20, value: (i) => (i.submittedAt ? i.submittedAt.slice(0, 16).replace('T', ' ') : '') },
    { header: '联系人', width: 12, value: (i) => i.contactName },
    { header: '联系电话', width: 16, value: (i) => i.contactPhone },
  ];
  return { columns, fetch };
}

/** An applicant starts an application for its own subject in a campaign's category. */
export async function createApplication(db: Db, user: CurrentUser, input: { campaignId: number; categoryCode: string }) {
  requireRole(user, 'applicant');
  if (!user.subjectId) throw forbidden('账号未关联申报主体');
  const [cc] = await db
    .select({
      cc: campaignCategories,
      campaignRegionPath: regions.path,
      applyDeadline: campaigns.applyDeadline,
      campaignStatus: campaigns.status,
      chain: campaigns.chain,
    })
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
  if (!doc.category.subjectKinds.includes(subj.s.kind)) throw new AppError('VALIDATION', `「${doc.category.name}」不接受此类主体申报`);
  if (subj.s.kind === 'unit' && doc.category.unitTypes.length && !doc.category.unitTypes.includes(subj.s.unitType ?? ''))
    throw new AppError('VALIDATION', `「${doc.category.name}」只接受${doc.category.unitTypes.join('、')}类单位申报`);
  if (cc.applyDeadline < today()) throw new AppError('VALIDATION', `申报截止日期${cc.applyDeadline}已过`);
  if (cc.campaignStatus !== 'active') throw new AppError('WRONG_STATUS', '该创建活动已撤销，不能申报');
  if (cc.chain?.rules.entry === 'recommendation')
    throw new AppError('WRONG_STATUS', '本创建活动只接受下级推荐申报：请先参加本县（区）的评定命名，由县（区）推荐');
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ id: applications.id })
      .from(applications)
      .where(
        and(
          eq(applications.campaignId, input.campaignId),
          eq(applications.categoryCode, input.categoryCode),
          eq(applications.subjectId, subj.s.id),
        ),
      );
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
        supervisingDept: subj.s.supervisingDept,
        createdBy: user.id,
      })
      .returning();
    await tx.insert(applicationEvents).values({ applicationId: app!.id, actorId: user.id, action: 'create', toStatus: 'draft' });
    return app!;
  });
}

export { today } from '../../clock.js';

/**
 * The application page. The applicant sees its working copy and its own numbers in full; staff see
 * the phone and the subject's numbers masked and, while a returned application is being revised,
 * its last submitted revision (form, answers, files) with a note that the applicant is revising.
 */
export async function getApplicationDetail(db: Db, user: CurrentUser, id: number, keys: Keys) {
  const app = await loadVisible(db, user, id);
  const frozen = await revisionShownTo(db, user, app);
  const own = user.role === 'applicant';
  const [doc, workingAnswers, scores, ctx, allFiles, revs, events, meta, notice, title] = await Promise.all([
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
  const info = await loadOwnership(db, app);
  const permitted = permittedActions(user, app, info);
  const scoresByReview = new Map<number, typeof reviewRows>();
  for (const s of reviewRows) scoresByReview.set(s.reviewId, [...(scoresByReview.get(s.reviewId) ?? []), s]);
  const m = meta[0]!;
  // what is shown: the frozen revision (staff, while the applicant revises) or the working copy
  const frozenIds = frozen ? new Set(frozen.evidence.map((e) => e.id)) : null;
  const files = allFiles.filter((f) => (frozenIds ? frozenIds.has(f.id) : f.withdrawnAt === null));
  const ans = frozen
    ? frozen.answers.map((a) => ({ criterionId: a.criterionId, statement: a.statement, figures: a.figures ?? {} }))
    : workingAnswers;
  const form = frozen ? presentForm(keys, frozen.form, frozen.contactPhone, own) : presentForm(keys, app.form, app.contactPhone, own);
  const evidenceCount: Record<string, number> = {};
  for (const f of files) if (f.criterionId) evidenceCount[f.criterionId] = (evidenceCount[f.criterionId] ?? 0) + 1;
  let submissionNo = 0;
  return {
    id: app.id,
    status: app.status,
    revision: app.revision,
    form,
    categoryCode: app.categoryCode,
    categoryName: m.categoryName,
    campaign: {
      id: m.campaign.id,
      name: m.campaign.name,
      year: m.campaign.year,
      applyDeadline: m.campaign.applyDeadline,
      reviewDeadline: m.campaign.reviewDeadline,
    },
    subject: {
      id: m.subject.id,
      name: m.subject.name,
      kind: m.subject.kind,
      unitType: m.subject.unitType,
      address: m.subject.address,
      regionName: m.regionName,
      idNumber: shownIdNumber(keys, m.subject.idNumber, own),
      phone: shownPhone(keys, m.subject.phone, own),
    },
    standardVersionId: app.standardVersionId,
    standard: doc,
    answers: ans,
    files: files.map(presentFile),
    reviews: revs.map(({ r, reviewerName }) => ({
      id: r.id,
      stage: r.stage,
      step: r.step,
      stepName: info.chain.steps.find((x) => x.key === r.step)?.name ?? null,
      reviewerName,
      comment: r.comment,
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
      reviewerId: r.reviewerId,
      scores: (scoresByReview.get(r.id) ?? []).map((s) => ({
        criterionId: s.criterionId,
        score: s.score,
        met: s.met,
        notApplicable: s.notApplicable,
        comment: s.comment,
      })),
    })),
    events: events.map(({ e, actorName }) => ({
      id: e.id,
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      reason: e.reason,
      at: iso(e.at),
      actorName,
      // the n-th submission (or the recommendation that stood for it) froze revision n
      revisionNo: e.action === 'submit' || e.action === 'recommend' ? ++submissionNo : null,
    })),
    rating: rate(doc, ans, scores, ctx),
    missing:
      !frozen && isEditable(app.status)
        ? missingForSubmission(doc, { ...app.form, contactPhone: app.contactPhone }, ans, evidenceCount)
        : [],
    allowedActions: permitted.actions,
    canEdit: user.role === 'applicant' && isEditable(app.status),
    canReview:
      permitted.canScore || permitted.actions.some((a) => a === 'preliminary_pass' || a === 'evaluate' || a === 'return' || a === 'reject'),
    canScore: permitted.canScore,
    chain: info.chain.steps.map((x) => ({
      key: x.key,
      name: x.name,
      nameEn: x.nameEn ?? null,
      kind: x.kind,
      phase: x.phase,
      owner: x.owner,
      deadline: x.deadline,
    })),
    step: info.step
      ? {
          key: info.step.key,
          name: info.step.name,
          nameEn: info.step.nameEn ?? null,
          kind: info.step.kind,
          owner: info.step.owner,
          deadline: info.step.deadline,
        }
      : null,
    campaignOffice: isCampaignOffice(user, info),
    notice: notice[0]
      ? {
          id: notice[0].n.id,
          title: notice[0].n.title,
          startsOn: notice[0].n.startsOn,
          endsOn: notice[0].n.endsOn,
          publicCode: notice[0].n.publicCode,
        }
      : null,
    title: title[0]
      ? {
          id: title[0].id,
          certificateNo: title[0].certificateNo,
          titleName: title[0].titleName,
          stars: title[0].stars,
          level: title[0].level,
          conferredOn: title[0].conferredOn,
        }
      : null,
    submittedAt: iso(app.submittedAt),
    updatedAt: iso(app.updatedAt),
    submissions: app.submissions,
    frozenRevision: frozen ? { no: frozen.no, submittedAt: iso(frozen.submittedAt) } : null,
    revising: app.status === 'returned',
    canRevealContact: !own && mayRevealContact(user, info),
  };
}

export function presentFile(f: typeof evidenceFiles.$inferSelect) {
  return {
    id: f.id,
    criterionId: f.criterionId,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size,
    sha256: f.sha256,
    createdAt: iso(f.createdAt),
    frozenIn: f.frozenIn,
    withdrawnAt: iso(f.withdrawnAt),
  };
}

// 保存草稿 lives in draft.ts (one statement a save); these names stay importable from here
export { saveDraft, keepSystemFigures, type DraftInput } from './draft.js';

/** Moves an application along the workflow, recording who, when, from, to and why. */
export async function transition(
  tx: Db | Tx,
  user: CurrentUser,
  app: { id: number; status: ApplicationStatus },
  action: Action,
  reason?: string | null,
  extra: Partial<typeof applications.$inferInsert> = {},
) {
  const r = nextStatus(app.status, action, user.role, reason);
  if (!r.ok) throw new AppError(r.code === 'WRONG_ROLE' ? 'FORBIDDEN' : r.code, r.message);
  const done = await tx
    .update(applications)
    .set({ ...extra, status: r.to, updatedAt: new Date(), revision: sql`${applications.revision} + 1` })
    .where(and(eq(applications.id, app.id), eq(applications.status, app.status)))
    .returning({ id: applications.id });
  if (!done.length) throw new AppError('CONFLICT', '申报状态已被他人更新，请刷新后重试');
  await tx
    .insert(applicationEvents)
    .values({ applicationId: app.id, actorId: user.id, action, fromStatus: app.status, toStatus: r.to, reason: reason?.trim() || null });
  return r.to;
}

export async function submitApplication(db: Db, user: CurrentUser, id: number) {
  requireRole(user, 'applicant');
  const app = await loadVisible(db, user, id);
  // 取消下一年度评先资格: an incident confirmed with lose_eligibility bars the campaign's year
  await assertEligible(db, app.subjectId, app.campaignId);
  const [doc, ans, files] = await Promise.all([
    loadStandardDoc(db, app.standardVersionId),
    loadAnswers(db, id),
    db
      .select({ c: evidenceFiles.criterionId })
      .from(evidenceFiles)
      .where(and(eq(evidenceFiles.applicationId, id), isNull(evidenceFiles.withdrawnAt))),
  ]);
  const count: Record<string, number> = {};
  for (const f of files) if (f.c) count[f.c] = (count[f.c] ?? 0) + 1;
  const missing = missingForSubmission(doc, { ...app.form, contactPhone: app.contactPhone }, ans, count);
  if (missing.length)
    throw new AppError(
      'INCOMPLETE',
      `申报材料不完整，还缺${missing.length}项：${missing
        .slice(0, 3)
        .map((m) => m.message)
        .join('；')}${missing.length > 3 ? '……' : ''}`,
      { missing },
    );
  const info = await loadOwnership(db, app);
  if (info.campaign.status !== 'active') throw new AppError('WRONG_STATUS', '该创建活动已撤销，不能提交申报');
  if (info.chain.rules.entry === 'recommendation') throw new AppError('WRONG_STATUS', '本创建活动只接受下级推荐申报，不接受自行提交');
  return db.transaction(async (tx) => {
    const to = await transition(tx, user, app, 'submit', null, { submittedAt: new Date() });
    // what was submitted is frozen as revision submissions + 1: form, phone, answers, files
    await freezeRevision(tx, app, user.id);
    await enterChain(tx, { ...app, status: to }, info);
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

/** The review stage a step's scores count as (later stages replace earlier ones in the rating). */
export function stageOfStep(step: ChainStep): ReviewStage {
  if (step.kind === 'onsite') return 'onsite';
  if (step.kind === 'evaluate' || step.phase === 'evaluation') return 'evaluation';
  return 'preliminary';
}

/** Step kinds scored and decided on the application page (会签 and 现场核查 have their own pages). */
const DECIDED_HERE: readonly ChainStep['kind'][] = ['review', 'evaluate', 'vote'];

/**
 * What this account may do on this application now, from the one ownership rule: the step's
 * owner scores and passes it on; the step's owner (office or department) and the campaign's
 * own office may return or reject; the campaign's office withdraws a candidate from a notice.
 */
export function permittedActions(
  user: CurrentUser,
  app: { status: ApplicationStatus },
  info: OwnershipInfo,
): { actions: Action[]; canScore: boolean } {
  const out = new Set<Action>();
  if (user.role === 'applicant') {
    for (const a of allowedActions(app.status, user.role)) out.add(a);
    return { actions: [...out], canScore: false };
  }
  const owner = ownsCurrentStep(user, info);
  const office = isCampaignOffice(user, info);
  const step = info.step;
  if (owner && step && DECIDED_HERE.includes(step.kind)) out.add(step.kind === 'evaluate' ? 'evaluate' : 'preliminary_pass');
  const mayTurnBack = (owner && step && step.kind !== 'onsite' && step.kind !== 'signoff') || office;
  if (mayTurnBack)
    for (const a of ['return', 'reject'] as const)
      if (nextStatus(app.status, a, user.role, 'x').ok && app.status !== 'in_notice') out.add(a);
  if (office) {
    if (app.status === 'evaluated') out.add('publish');
    if (app.status === 'in_notice') for (const a of ['withdraw', 'return', 'reject'] as const) out.add(a);
  }
  const canScore = owner && !!step && (DECIDED_HERE.includes(step.kind) || step.kind === 'onsite') && step.kind !== 'vote';
  return { actions: [...out], canScore };
}

/**
 * A reviewer records scores (one review per reviewer and step, updated in place; the overall
 * comment is kept unless a new one is given) and, where the step is theirs, passes it on, returns
 * or rejects, in one transaction. An account that owns nothing here gets 404.
 */
export async function reviewApplication(db: Db, user: CurrentUser, id: number, input: ReviewInput) {
  // an applicant's own actions (submit, withdraw) are not review rights: it never reviews
  if (user.role === 'applicant') throw notFound('申报');
  const app = await loadVisible(db, user, id);
  const info = await loadOwnership(db, app);
  const { actions, canScore } = permittedActions(user, app, info);
  if (!actions.length && !canScore) throw notFound('申报');
  const step = info.step;
  const doc = await loadStandardDoc(db, app.standardVersionId);
  const byId = new Map(allCriteria(doc).map((c) => [c.id, c]));
  const turningBack = input.decision === 'return' || input.decision === 'reject';
  // scores sent along with a return or reject after evaluation are the page's copy of what was
  // already there: they change nothing and are not saved
  const scores = canScore ? input.scores.filter((x) => !isEmptyScore(x)) : [];
  if (!canScore && input.scores.some((x) => !isEmptyScore(x)) && !turningBack)
    throw new AppError(
      'WRONG_STATUS',
      step ? `当前步骤「${step.name}」不由您评分` : '当前状态不能再修改评分；如需改变结果请退回或不予通过',
    );
  for (const s of scores) {
    const c = byId.get(s.criterionId);
    if (!c) throw new AppError('VALIDATION', `标准中没有第${s.criterionId}项`);
    if (s.score != null && (s.score < 0 || s.score > c.points)) throw new AppError('VALIDATION', `第${c.id}项得分须在0到${c.points}之间`);
  }
  const action: Action | null =
    input.decision === 'none'
      ? null
      : input.decision === 'pass'
        ? (actions.find((a) => a === 'preliminary_pass' || a === 'evaluate') ?? null)
        : input.decision;
  if (input.decision !== 'none' && (!action || !actions.includes(action)))
    throw new AppError('FORBIDDEN', step ? `「${step.name}」不由您决定` : '您不能作出此决定');
  if (input.decision === 'none' && !scores.length && !input.comment?.trim()) throw new AppError('VALIDATION', '没有需要保存的评分或意见');

  return db.transaction(async (tx) => {
    let reviewId: number | null = null;
    const record = step && (canScore || action === 'preliminary_pass' || action === 'evaluate');
    if (record && (scores.length || input.comment?.trim() || action)) {
      reviewId = await upsertReview(
        tx,
        {
          applicationId: id,
          step: step.key,
          stage: stageOfStep(step),
          reviewerId: user.id,
          orgId: user.org?.id ?? null,
          comment: input.comment?.trim() || null,
        },
        scores,
      );
    }
    const rating = await refreshRating(tx, id);
    if (action === 'preliminary_pass' || action === 'evaluate') {
      // a step that moves the application on needs every item judged
      if (step!.kind !== 'vote' && rating.pending.length)
        throw new AppError(
          'VALIDATION',
          `还有${rating.pending.length}项未评判（第${rating.pending.join('、')}项），「${step!.name}」须对全部项目作出判定`,
        );
      if (action === 'evaluate') {
        if (rating.vetoed.length)
          throw new AppError('VALIDATION', `第${rating.vetoed.join('、')}项一票否决，不能通过综合评定，请选择不予通过`);
        if (!rating.conferrable)
          throw new AppError(
            'VALIDATION',
            rating.scheme === 'title'
              ? `得分${rating.total}/${rating.max}未达到命名条件，不能通过综合评定`
              : `得分${rating.total}/${rating.max}未达到1星，不能通过综合评定`,
          );
        // 002: 按照不低于表彰名额2倍的要求做好推荐申报 — no decision while too few were nominated
        if (info.chain.rules.nominationFactor) await assertNominationRule(tx, app.campaignId, app.categoryCode);
      }
      const next = await advanceFromStep(tx, user.id, app, info, input.comment?.trim() || null);
      return { reviewId, status: next.status, rating };
    }
    if (action) {
      const to = await transition(tx, user, app, action, input.reason, { step: null });
      await notifyApplicant(tx, app, action, input.reason ?? null);
      return { reviewId, status: to, rating };
    }
    return { reviewId, status: app.status, rating };
  });
}

/** One review per application, step and reviewer: created once, then updated in place. */
export async function upsertReview(
  tx: Db | Tx,
  r: { applicationId: number; step: string; stage: ReviewStage; reviewerId: number; orgId: number | null; comment: string | null },
  scores: ReviewInput['scores'],
): Promise<number> {
  const [row] = await tx
    .insert(reviews)
    .values({ applicationId: r.applicationId, step: r.step, stage: r.stage, reviewerId: r.reviewerId, orgId: r.orgId, comment: r.comment })
    .onConflictDoUpdate({
      target: [reviews.applicationId, reviews.step, reviews.reviewerId],
      // keep the overall comment unless a new one is given
      set: { updatedAt: new Date(), stage: r.stage, ...(r.comment ? { comment: r.comment } : {}) },
    })
    .returning({ id: reviews.id });
  const reviewId = row!.id;
  if (scores.length)
    await tx
      .insert(reviewScores)
      .values(
        scores.map((s) => ({
          reviewId,
          applicationId: r.applicationId,
          criterionId: s.criterionId,
          score: s.score ?? null,
          met: s.met ?? null,
          notApplicable: s.notApplicable ?? false,
          comment: s.comment ?? null,
        })),
      )
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

/** Tells the applicant's accounts that the application was returned, rejected or withdrawn. */
async function notifyApplicant(tx: Db | Tx, app: { id: number; subjectId: number }, action: Action, reason: string | null) {
  if (action !== 'return' && action !== 'reject' && action !== 'withdraw') return;
  const ids = (
    await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.subjectId, app.subjectId), eq(users.disabled, false)))
  ).map((u) => u.id);
  await notify(tx, ids, {
    kind: action === 'return' ? 'returned' : action,
    title: action === 'return' ? '您的申报已被退回，请修改后重新提交' : action === 'reject' ? '您的申报未予通过' : '您的申报已撤回',
    body: reason,
    link: `/applications/${app.id}`,
  });
}

export async function loadApplicationForFiles(db: Db, user: CurrentUser, id: number) {
  return loadVisible(db, user, id);
}
