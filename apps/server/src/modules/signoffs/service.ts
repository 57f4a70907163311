import { and, eq } from 'drizzle-orm';
import type { ChainStep, Criterion } from '@pingan/core';
import { applicationInScope, isEmptyScore, ownsCampaign } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { applicationEvents, campaigns, categories, signoffs, subjects } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { Column, PageFn } from '../../http/xlsx.js';
import type { CurrentUser } from '../../access/scope.js';
import { actorOf, isCampaignOffice, loadOwnership, type OwnershipInfo } from '../../access/ownership.js';
import { advanceFromStep, type AppRow } from '../applications/chain.js';
import { refreshRating } from '../applications/queries.js';
import { today } from '../applications/service.js';
import { notify } from '../notifications/service.js';
import {
  departmentCriteria,
  departmentOrgs,
  departmentUsers,
  loadSignoff,
  lockApplication,
  matrixApplications,
  matrixCells,
  matrixDepartments,
  orgName,
  orgReviews,
  pendingCount,
  saveOrgReview,
  standardDocs,
  worklistRows,
  type OrgScore,
  type SignoffRow,
} from './queries.js';

/**
 * 会签 (departments sign off). At a signoff step every department organisation of the campaign's
 * region named on the application's criteria scores exactly its own criteria and signs; the
 * application moves on when the last one has signed, or when the campaign's office has overridden
 * a department past its deadline (with the reason recorded).
 */

const IN_REVIEW = ['submitted', 'preliminary_passed'];
const AUTO_PASS_REASON = '无需会签的部门，自动通过';

// ───────────────────────────── opening ─────────────────────────────

/**
 * Opens one pending row per department organisation of the campaign's region named on the
 * application's criteria, and tells its accounts. A row left from an earlier pass (the
 * application was returned and resubmitted) is reopened. When no such organisation exists the
 * step passes at once, so the application does not hang.
 */
export async function openSignoffs(tx: Db | Tx, app: AppRow, info: OwnershipInfo, step: ChainStep): Promise<void> {
  const orgs = await departmentOrgs(tx, info.ctx.campaignRegionId, info.ctx.criteriaDepts);
  if (!orgs.length) {
    await advanceFromStep(tx, null, { ...app, step: step.key }, { ...info, step }, AUTO_PASS_REASON);
    return;
  }
  const [meta] = await tx
    .select({ reviewDeadline: campaigns.reviewDeadline, subjectName: subjects.name, categoryName: categories.name })
    .from(campaigns)
    .innerJoin(subjects, eq(subjects.id, app.subjectId))
    .innerJoin(categories, eq(categories.code, app.categoryCode))
    .where(eq(campaigns.id, app.campaignId));
  const deadline = step.deadline ?? meta?.reviewDeadline ?? null;
  const rows = await tx
    .insert(signoffs)
    .values(
      orgs.map((o) => ({ applicationId: app.id, step: step.key, orgId: o.id, deptCode: o.deptCode, status: 'pending' as const, deadline })),
    )
    .onConflictDoUpdate({
      target: [signoffs.applicationId, signoffs.step, signoffs.orgId],
      set: {
        status: 'pending',
        deadline,
        comment: null,
        signedBy: null,
        signedAt: null,
        overrideReason: null,
        overriddenBy: null,
        createdAt: new Date(),
      },
    })
    .returning({ id: signoffs.id, orgId: signoffs.orgId });
  if (!rows.length) {
    await advanceFromStep(tx, null, { ...app, step: step.key }, { ...info, step }, AUTO_PASS_REASON);
    return;
  }
  const people = await departmentUsers(
    tx,
    rows.map((r) => r.orgId),
  );
  const what = meta ? `${meta.subjectName}（${meta.categoryName}）` : `申报#${app.id}`;
  for (const r of rows)
    await notify(
      tx,
      people.filter((p) => p.orgId === r.orgId).map((p) => p.id),
      {
        kind: 'assigned',
        title: `您有一项会签待办：${what}`,
        body: deadline ? `请于${deadline}前对本部门负责的条目评分并签署（${step.name}）` : `请对本部门负责的条目评分并签署（${step.name}）`,
        link: '/signoffs',
      },
    );
}

// ───────────────────────────── presenting ─────────────────────────────

export type CellState = 'pending' | 'signed' | 'overridden' | 'late';

function isLate(s: Pick<SignoffRow, 'status' | 'deadline'>, on: string): boolean {
  return s.status === 'pending' && !!s.deadline && on > s.deadline;
}

function stateOf(s: Pick<SignoffRow, 'status' | 'deadline'>, on: string): CellState {
  return isLate(s, on) ? 'late' : s.status;
}

function judgedValue(s: OrgScore | undefined) {
  return s && !isEmptyScore(s)
    ? { score: s.score, met: s.met, notApplicable: s.notApplicable, comment: s.comment }
    : s
      ? { score: null, met: null, notApplicable: false, comment: s.comment }
      : null;
}

function presentCriterion(c: Criterion, deptCode: string, s: OrgScore | undefined) {
  return {
    id: c.id,
    title: c.title ?? null,
    text: c.text,
    judge: c.judge,
    points: c.points,
    veto: c.veto,
    role: (c.lead as readonly string[]).includes(deptCode) ? ('lead' as const) : ('cooperate' as const),
    judged: !!s && !isEmptyScore(s),
    current: judgedValue(s),
  };
}

function requireDepartment(user: CurrentUser): { id: number; deptCode: string; name: string } {
  if ((user.role !== 'lead_department' && user.role !== 'cooperating_department') || !user.org || user.org.kind !== 'department')
    throw forbidden('只有部门账号有会签待办');
  return { id: user.org.id, deptCode: user.org.deptCode, name: user.org.name };
}

// ───────────────────────────── worklist ─────────────────────────────

export interface WorklistQuery {
  campaignId?: number;
  status: 'pending' | 'signed' | 'all';
  limit: number;
  offset: number;
}

/**
 * A department's 会签 worklist: its rows across applications, each with exactly its criteria and
 * its own current scores. Two or three statements per page (rows; scores; docs not yet cached).
 */
export async function worklist(db: Db, user: CurrentUser, q: WorklistQuery) {
  const org = requireDepartment(user);
  const rows = await worklistRows(db, { orgId: org.id, campaignId: q.campaignId, status: q.status, limit: q.limit, offset: q.offset });
  const docs = await standardDocs(
    db,
    rows.map((r) => r.app.standardVersionId),
  );
  const { scores, comments } = await orgReviews(
    db,
    org.id,
    rows.map((r) => r.app.id),
  );
  const on = today();
  return {
    total: rows[0]?.total ?? 0,
    limit: q.limit,
    offset: q.offset,
    today: on,
    items: rows.map((r) => {
      const doc = docs.get(r.app.standardVersionId);
      const crit = doc ? departmentCriteria(r.app.standardVersionId, doc, r.s.deptCode) : [];
      const items = crit.map((c) => presentCriterion(c, r.s.deptCode, scores.get(`${r.app.id}:${r.s.step}:${c.id}`)));
      return {
        id: r.s.id,
        step: r.s.step,
        status: r.s.status,
        late: isLate(r.s, on),
        deadline: r.s.deadline,
        comment: r.s.comment,
        signedAt: iso(r.s.signedAt),
        overrideReason: r.s.overrideReason,
        reviewComment: comments.get(`${r.app.id}:${r.s.step}`) ?? null,
        judged: items.filter((i) => i.judged).length,
        application: {
          id: r.app.id,
          status: r.app.status,
          subjectName: r.subjectName,
          categoryCode: r.app.categoryCode,
          categoryName: r.categoryName,
          campaignId: r.app.campaignId,
          campaignName: r.campaignName,
          submittedAt: iso(r.app.submittedAt),
        },
        criteria: items,
      };
    }),
  };
}

type WorklistRow = Awaited<ReturnType<typeof worklist>>['items'][number];
const CELL_LABEL: Record<CellState, string> = { pending: '待签署', signed: '已签署', overridden: '已越过', late: '已逾期' };

/** ?format=xlsx: the whole worklist with the same filters, streamed (http/xlsx.ts). */
export function worklistExport(db: Db, user: CurrentUser, q: Omit<WorklistQuery, 'limit' | 'offset'>) {
  const fetch: PageFn<WorklistRow> = async (offset, limit) => (await worklist(db, user, { ...q, limit, offset })).items;
  const columns: Column<WorklistRow>[] = [
    { header: '申报单位', width: 30, value: (i) => i.application.subjectName },
    { header: '类别', width: 14, value: (i) => i.application.categoryName },
    { header: '创建活动', width: 30, value: (i) => i.application.campaignName },
    { header: '会签期限', width: 12, value: (i) => i.deadline },
    { header: '状态', width: 10, value: (i) => CELL_LABEL[i.late ? 'late' : i.status] },
    { header: '本部门条目', width: 10, value: (i) => i.criteria.length },
    { header: '已评判', width: 10, value: (i) => i.judged },
    {
      header: '未评判条目',
      width: 30,
      value: (i) =>
        i.criteria
          .filter((c) => !c.judged)
          .map((c) => c.id)
          .join('、'),
    },
  ];
  return { columns, fetch };
}

// ───────────────────────────── one row: access ─────────────────────────────

/** The row, if it belongs to the account's own department organisation; 404 otherwise. */
async function ownRow(db: Db | Tx, user: CurrentUser, id: number) {
  const row = await loadSignoff(db, id);
  if (
    !row ||
    !user.org ||
    user.org.kind !== 'department' ||
    user.org.id !== row.s.orgId ||
    (user.role !== 'lead_department' && user.role !== 'cooperating_department')
  )
    throw notFound('会签事项');
  if (row.campaignStatus === 'withdrawn') throw new AppError('WRONG_STATUS', '该创建活动已撤回，不能再会签');
  return row;
}

function assertOpen(s: SignoffRow, app: AppRow) {
  if (s.status === 'signed') throw new AppError('WRONG_STATUS', '本部门已签署，不能再修改');
  if (s.status === 'overridden') throw new AppError('WRONG_STATUS', '平安办已越过本部门的会签，不能再修改');
  if (app.step !== s.step || !IN_REVIEW.includes(app.status)) throw new AppError('WRONG_STATUS', '该申报已不在会签环节');
}

// ───────────────────────────── scoring ─────────────────────────────

export interface ScoresInput {
  scores: { criterionId: string; met?: boolean | null; score?: number | null; notApplicable?: boolean; comment?: string | null }[];
  comment?: string | null;
}

/** A department scores its own criteria (and only those) on one application. */
export async function saveScores(db: Db, user: CurrentUser, id: number, input: ScoresInput) {
  const row = await ownRow(db, user, id);
  assertOpen(row.s, row.app);
  const docs = await standardDocs(db, [row.app.standardVersionId]);
  const doc = docs.get(row.app.standardVersionId);
  if (!doc) throw new Error(`standard version ${row.app.standardVersionId} missing`);
  const own = new Map(departmentCriteria(row.app.standardVersionId, doc, row.s.deptCode).map((c) => [c.id, c]));
  const all = new Set(doc.groups.flatMap((g) => g.criteria.map((c) => c.id)));
  const seen = new Set<string>();
  const clean = input.scores.map((s) => {
    if (!all.has(s.criterionId)) throw new AppError('VALIDATION', `标准中没有第${s.criterionId}项`);
    const c = own.get(s.criterionId);
    if (!c) throw forbidden(`第${s.criterionId}项不由本部门会签，只能对本部门牵头或配合的条目评分`);
    if (seen.has(c.id)) throw new AppError('VALIDATION', `第${c.id}项重复提交`);
    seen.add(c.id);
    if (s.score != null && (s.score < 0 || s.score > c.points)) throw new AppError('VALIDATION', `第${c.id}项得分须在0到${c.points}之间`);
    if (c.judge === 'yesno' && s.score != null) throw new AppError('VALIDATION', `第${c.id}项按“是/否”判定，请填写是否达到，不填分数`);
    return {
      criterionId: c.id,
      score: s.score ?? null,
      met: s.met ?? null,
      notApplicable: s.notApplicable ?? false,
      comment: s.comment?.trim() || null,
    };
  });
  const comment = input.comment?.trim() || null;
  if (!clean.length && !comment) throw new AppError('VALIDATION', '没有需要保存的评分或意见');
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, row.app.id);
    const [s] = await tx.select().from(signoffs).where(eq(signoffs.id, id));
    assertOpen(s!, app!);
    const reviewId = await saveOrgReview(
      tx,
      { applicationId: app!.id, step: s!.step, reviewerId: user.id, orgId: s!.orgId, comment },
      clean,
    );
    await refreshRating(tx, app!.id);
    const missing = await missingOf(tx, s!, app!);
    return { signoffId: id, reviewId, judged: own.size - missing.length, total: own.size, missing };
  });
}

/** The department's criteria on this application that nobody of the department has judged yet at this step. */
async function missingOf(db: Db | Tx, s: SignoffRow, app: AppRow): Promise<string[]> {
  const docs = await standardDocs(db, [app.standardVersionId]);
  const doc = docs.get(app.standardVersionId)!;
  const { scores } = await orgReviews(db, s.orgId, [app.id]);
  return departmentCriteria(app.standardVersionId, doc, s.deptCode)
    .filter((c) => {
      const v = scores.get(`${app.id}:${s.step}:${c.id}`);
      return !v || isEmptyScore(v);
    })
    .map((c) => c.id);
}

// ───────────────────────────── signing ─────────────────────────────

/** Passes the step when no department is pending on it any more. */
async function advanceIfDone(
  tx: Tx,
  actorId: number | null,
  app: AppRow,
  step: string,
  reason: string | null,
): Promise<{ status: AppRow['status']; step: string | null } | null> {
  if ((await pendingCount(tx, app.id, step)) > 0) return null;
  const info = await loadOwnership(tx, app);
  if (info.step?.key !== step) return null;
  return advanceFromStep(tx, actorId, app, info, reason);
}

/** A department signs its row; refused while any of its criteria is unjudged. */
export async function sign(db: Db, user: CurrentUser, id: number, input: { comment?: string | null }) {
  const row = await ownRow(db, user, id);
  assertOpen(row.s, row.app);
  return db.transaction(async (tx) => {
    const app = (await lockApplication(tx, row.app.id))!;
    const [s] = await tx.select().from(signoffs).where(eq(signoffs.id, id));
    assertOpen(s!, app);
    const missing = await missingOf(tx, s!, app);
    if (missing.length)
      throw new AppError(
        'INCOMPLETE',
        `还有${missing.length}项未评判（第${missing.join('、')}项），须对本部门负责的全部条目作出判定后才能签署`,
        { missing },
      );
    const comment = input.comment?.trim() || null;
    const done = await tx
      .update(signoffs)
      .set({ status: 'signed', signedBy: user.id, signedAt: new Date(), comment })
      .where(and(eq(signoffs.id, id), eq(signoffs.status, 'pending')))
      .returning({ id: signoffs.id });
    if (!done.length) throw new AppError('CONFLICT', '会签状态已被他人更新，请刷新后重试');
    await tx.insert(applicationEvents).values({
      applicationId: app.id,
      actorId: user.id,
      action: `signoff:${s!.deptCode}`,
      fromStatus: app.status,
      toStatus: app.status,
      reason: comment ? `${user.org!.name}会签：${comment}` : `${user.org!.name}已会签`,
    });
    const next = await advanceIfDone(tx, user.id, app, s!.step, null);
    return {
      signoffId: id,
      status: 'signed' as const,
      application: { id: app.id, status: next?.status ?? app.status, step: next ? next.step : app.step, advanced: !!next },
    };
  });
}

// ───────────────────────────── overriding ─────────────────────────────

/**
 * The campaign's own office passes over a department that missed its deadline, with a reason.
 * Refused before the deadline, on a row already closed, and to anyone else.
 */
export async function override(db: Db, user: CurrentUser, id: number, input: { reason: string }) {
  const row = await loadSignoff(db, id);
  if (!row) throw notFound('会签事项');
  const ownDept = user.org?.kind === 'department' && user.org.id === row.s.orgId;
  const staffSees = user.role !== 'applicant' && user.role !== 'expert' && applicationInScope(user.scope, row.app);
  if (!ownDept && !staffSees) throw notFound('会签事项');
  const info = await loadOwnership(db, row.app);
  if (!isCampaignOffice(user, info)) throw forbidden('只有本创建活动所属的平安办可以越过逾期未签的部门');
  if (info.campaign.status === 'withdrawn') throw new AppError('WRONG_STATUS', '该创建活动已撤回，不能再会签');
  const reason = input.reason.trim();
  if (!reason) throw new AppError('REASON_REQUIRED', '越过逾期部门须填写理由');
  return db.transaction(async (tx) => {
    const app = (await lockApplication(tx, row.app.id))!;
    const [s] = await tx.select().from(signoffs).where(eq(signoffs.id, id));
    if (s!.status === 'signed') throw new AppError('WRONG_STATUS', '该部门已签署，无需越过');
    if (s!.status === 'overridden') throw new AppError('WRONG_STATUS', '该部门的会签已被越过');
    if (app.step !== s!.step || !IN_REVIEW.includes(app.status)) throw new AppError('WRONG_STATUS', '该申报已不在会签环节');
    const on = today();
    if (!isLate(s!, on))
      throw new AppError(
        'WRONG_STATUS',
        s!.deadline ? `会签期限为${s!.deadline}，今天（${on}）尚未逾期，不能越过该部门` : '该会签没有期限，不能越过该部门',
      );
    await tx
      .update(signoffs)
      .set({ status: 'overridden', overrideReason: reason, overriddenBy: user.id, signedAt: new Date() })
      .where(eq(signoffs.id, id));
    const dept = await orgName(tx, s!.orgId);
    await tx.insert(applicationEvents).values({
      applicationId: app.id,
      actorId: user.id,
      action: `signoff_override:${s!.deptCode}`,
      fromStatus: app.status,
      toStatus: app.status,
      reason: `${dept ?? s!.deptCode}逾期未会签（期限${s!.deadline}），平安办越过：${reason}`,
    });
    const people = await departmentUsers(tx, [s!.orgId]);
    await notify(
      tx,
      people.map((p) => p.id),
      {
        kind: 'override',
        title: `平安办已越过本部门逾期未签的会签：${row.subjectName}`,
        body: `会签期限${s!.deadline}，理由：${reason}`,
        link: '/signoffs',
      },
    );
    const next = await advanceIfDone(tx, user.id, app, s!.step, null);
    return {
      signoffId: id,
      status: 'overridden' as const,
      application: { id: app.id, status: next?.status ?? app.status, step: next ? next.step : app.step, advanced: !!next },
    };
  });
}

// ───────────────────────────── matrix ─────────────────────────────

export interface MatrixQuery {
  campaignId: number;
  state: 'open' | 'all';
  limit: number;
  offset: number;
}

/** The campaign office's view: departments × applications, who has signed and who is late. */
export async function matrix(db: Db, user: CurrentUser, q: MatrixQuery) {
  const [c] = await db
    .select({ id: campaigns.id, name: campaigns.name, regionId: campaigns.regionId })
    .from(campaigns)
    .where(eq(campaigns.id, q.campaignId));
  if (!c || !ownsCampaign(actorOf(user), c.regionId)) throw notFound('创建活动');
  const [departments, apps] = [await matrixDepartments(db, c.id), await matrixApplications(db, c.id, q.state, q.limit, q.offset)];
  const cells = await matrixCells(
    db,
    apps.map((a) => a.id),
  );
  const on = today();
  // per application and organisation: the row of the step the application is at, else the latest
  const pick = new Map<string, (typeof cells)[number]>();
  const stepOf = new Map(apps.map((a) => [a.id, a.step]));
  for (const cell of cells) {
    const key = `${cell.s.applicationId}:${cell.s.orgId}`;
    const prev = pick.get(key);
    const atStep = cell.s.step === stepOf.get(cell.s.applicationId);
    if (!prev || atStep || (prev.s.step !== stepOf.get(cell.s.applicationId) && cell.s.id > prev.s.id)) pick.set(key, cell);
  }
  const summary = { pending: 0, signed: 0, overridden: 0, late: 0 };
  const rows = apps.map((a) => ({
    application: {
      id: a.id,
      status: a.status,
      step: a.step,
      subjectName: a.subjectName,
      categoryCode: a.categoryCode,
      categoryName: a.categoryName,
    },
    cells: departments.flatMap((d) => {
      const cell = pick.get(`${a.id}:${d.orgId}`);
      if (!cell) return [];
      const state = stateOf(cell.s, on);
      summary[state]++;
      return [
        {
          signoffId: cell.s.id,
          orgId: d.orgId,
          deptCode: cell.s.deptCode,
          step: cell.s.step,
          state,
          deadline: cell.s.deadline,
          at: iso(cell.s.signedAt),
          by: cell.s.status === 'overridden' ? cell.overriddenByName : cell.signedByName,
          comment: cell.s.comment,
          reason: cell.s.overrideReason,
        },
      ];
    }),
  }));
  return {
    campaign: { id: c.id, name: c.name },
    today: on,
    departments,
    total: apps[0]?.total ?? 0,
    limit: q.limit,
    offset: q.offset,
    summary,
    rows,
  };
}

type MatrixRow = Awaited<ReturnType<typeof matrix>>['rows'][number];

/**
 * ?format=xlsx: the whole 会签 matrix with the same filters, streamed (http/xlsx.ts). The columns
 * are the campaign's departments, read once with the first page.
 */
export async function matrixExport(db: Db, user: CurrentUser, q: Omit<MatrixQuery, 'limit' | 'offset'>) {
  const first = await matrix(db, user, { ...q, limit: 1, offset: 0 });
  const fetch: PageFn<MatrixRow> = async (offset, limit) => (await matrix(db, user, { ...q, limit, offset })).rows;
  const cell = (c: MatrixRow['cells'][number] | undefined) => {
    if (!c) return '';
    const when = c.at ? c.at.slice(0, 10) : '';
    return c.state === 'signed'
      ? `已签署 ${when} ${c.by ?? ''}`.trim()
      : c.state === 'overridden'
        ? `已越过 ${when}：${c.reason ?? ''}`
        : `${CELL_LABEL[c.state]}（期限${c.deadline ?? '无'}）`;
  };
  const columns: Column<MatrixRow>[] = [
    { header: '申报单位', width: 30, value: (r) => r.application.subjectName },
    { header: '类别', width: 14, value: (r) => r.application.categoryName },
    ...first.departments.map((d): Column<MatrixRow> => ({
      header: d.name,
      width: 26,
      value: (r) => cell(r.cells.find((c) => c.orgId === d.orgId)),
    })),
  ];
  return { columns, fetch };
}
