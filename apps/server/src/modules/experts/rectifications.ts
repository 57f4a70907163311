import { and, asc, eq, inArray } from 'drizzle-orm';
import { allCriteria, isRealDate } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { evidenceFiles, onsiteChecks, onsiteFindings, rectifications, subjects, users } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { isCampaignOffice, loadApplicationRow, loadOwnership } from '../../access/ownership.js';
import type { FileStorage } from '../../storage/storage.js';
import { loadStandardDoc } from '../applications/queries.js';
import { checkContent } from '../applications/files.js';
import { presentFile, today } from '../applications/service.js';
import { notify } from '../notifications/service.js';
import { draftCheck, loadAssigned } from './onsite.js';
import { openAssignment } from './queries.js';
import { applicantUsersOf } from './service.js';

/**
 * 整改 (rectification): an assigned expert asks the unit to fix something by a date; the unit
 * answers with evidence; the expert who asked re-checks (accepted, or reopened for another answer).
 */

type RectRow = typeof rectifications.$inferSelect;

async function subjectName(db: Db | Tx, subjectId: number) {
  const [s] = await db.select({ name: subjects.name }).from(subjects).where(eq(subjects.id, subjectId));
  return s?.name ?? '';
}

/** An assigned expert asks for a rectification on a criterion. */
export async function requestRectification(
  db: Db,
  user: CurrentUser,
  applicationId: number,
  input: { criterionId: string; request: string; dueOn: string },
) {
  if (!isRealDate(input.dueOn)) throw new AppError('VALIDATION', `整改期限「${input.dueOn}」不是有效日期`);
  if (input.dueOn < today()) throw new AppError('VALIDATION', `整改期限${input.dueOn}早于今天`);
  return db.transaction(async (tx) => {
    const { app, assignment } = await loadAssigned(tx, user, applicationId);
    const doc = await loadStandardDoc(tx, app.standardVersionId);
    if (!allCriteria(doc).some((c) => c.id === input.criterionId)) throw new AppError('VALIDATION', `标准中没有第${input.criterionId}项`);
    const check = await draftCheck(tx, app, assignment.id, user.id);
    const [row] = await tx
      .insert(rectifications)
      .values({
        applicationId,
        checkId: check.id,
        criterionId: input.criterionId,
        request: input.request.trim(),
        dueOn: input.dueOn,
        requestedBy: user.id,
      })
      .returning();
    await notify(tx, await applicantUsersOf(tx, app.subjectId), {
      kind: 'rectification',
      title: `现场核查提出整改要求（第${input.criterionId}项），请于${input.dueOn}前整改并答复`,
      body: input.request.trim(),
      link: `/applications/${applicationId}`,
    });
    return present(row!, [], user, true);
  });
}

type Access = { kind: 'applicant' | 'expert' | 'office' };

/** Who is asking about this application's rectifications; anyone else 404. */
async function accessTo(
  db: Db | Tx,
  user: CurrentUser,
  applicationId: number,
): Promise<{ access: Access; app: Awaited<ReturnType<typeof loadApplicationRow>> }> {
  const app = await loadApplicationRow(db, applicationId);
  if (user.role === 'applicant' && user.subjectId === app.subjectId) return { access: { kind: 'applicant' }, app };
  if (user.role === 'expert') {
    if (await openAssignment(db, applicationId, user.id)) return { access: { kind: 'expert' }, app };
    throw notFound('申报');
  }
  if (user.role === 'safety_office' && isCampaignOffice(user, await loadOwnership(db, app))) return { access: { kind: 'office' }, app };
  throw notFound('申报');
}

function present(
  r: RectRow,
  files: (typeof evidenceFiles.$inferSelect)[],
  user: CurrentUser,
  isExpert: boolean,
  names?: Map<number, string>,
) {
  return {
    id: r.id,
    applicationId: r.applicationId,
    criterionId: r.criterionId,
    request: r.request,
    dueOn: r.dueOn,
    status: r.status,
    requestedBy: r.requestedBy,
    requestedByName: names?.get(r.requestedBy) ?? null,
    requestedAt: iso(r.requestedAt),
    answer: r.answer,
    answeredAt: iso(r.answeredAt),
    recheckNote: r.recheckNote,
    recheckedAt: iso(r.recheckedAt),
    files: files.filter((f) => f.rectificationId === r.id).map(presentFile),
    canAnswer: user.role === 'applicant' && (r.status === 'open' || r.status === 'reopened'),
    canRecheck: isExpert && r.requestedBy === user.id && r.status === 'answered',
  };
}

/** The rectifications of an application: for its applicant, its assigned experts and the campaign office. */
export async function listRectifications(db: Db, user: CurrentUser, applicationId: number) {
  const { access } = await accessTo(db, user, applicationId);
  const rows = await db
    .select()
    .from(rectifications)
    .where(eq(rectifications.applicationId, applicationId))
    .orderBy(asc(rectifications.id));
  const files = rows.length
    ? await db
        .select()
        .from(evidenceFiles)
        .where(
          and(
            eq(evidenceFiles.applicationId, applicationId),
            inArray(
              evidenceFiles.rectificationId,
              rows.map((r) => r.id),
            ),
          ),
        )
    : [];
  const requesters = [...new Set(rows.map((r) => r.requestedBy))];
  const names = new Map(
    (requesters.length
      ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, requesters))
      : []
    ).map((u) => [u.id, u.name]),
  );
  return { items: rows.map((r) => present(r, files, user, access.kind === 'expert', names)), role: access.kind };
}

async function loadRect(db: Db | Tx, id: number) {
  const [r] = await db.select().from(rectifications).where(eq(rectifications.id, id));
  if (!r) throw notFound('整改要求');
  return r;
}

/** The applicant answers a rectification with text and, optionally, one evidence file. */
export async function answerRectification(
  db: Db,
  storage: FileStorage,
  user: CurrentUser,
  id: number,
  input: { answer: string; file: { fileName: string; declaredType: string; data: Buffer } | null },
) {
  const r = await loadRect(db, id);
  const app = await loadApplicationRow(db, r.applicationId);
  if (user.role !== 'applicant' || user.subjectId !== app.subjectId) throw notFound('整改要求');
  if (r.status !== 'open' && r.status !== 'reopened') throw new AppError('WRONG_STATUS', '该整改要求已答复，等待专家复查');
  const answer = input.answer.trim();
  if (!answer) throw new AppError('VALIDATION', '请填写整改情况');
  let stored: { key: string; sha256: string; size: number } | null = null;
  let contentType = '';
  if (input.file) {
    if (!input.file.data.length) throw new AppError('VALIDATION', '文件为空');
    contentType = checkContent(input.file.fileName, input.file.declaredType, input.file.data.subarray(0, 8));
    stored = await storage.put(input.file.data);
  }
  try {
    return await db.transaction(async (tx) => {
      const done = await tx
        .update(rectifications)
        .set({ status: 'answered', answer, answeredBy: user.id, answeredAt: new Date() })
        .where(and(eq(rectifications.id, id), inArray(rectifications.status, ['open', 'reopened'])))
        .returning();
      if (!done.length) throw new AppError('CONFLICT', '整改要求已被他人答复，请刷新');
      if (stored && input.file)
        await tx.insert(evidenceFiles).values({
          applicationId: r.applicationId,
          criterionId: r.criterionId,
          rectificationId: id,
          fileName: input.file.fileName.slice(0, 200),
          contentType,
          size: stored.size,
          sha256: stored.sha256,
          storageKey: stored.key,
          uploadedBy: user.id,
        });
      await notify(tx, [r.requestedBy], {
        kind: 'rectification',
        title: `${await subjectName(tx, app.subjectId)}已答复整改要求（第${r.criterionId}项），请复查`,
        body: answer.slice(0, 500),
        link: `/onsite/${r.applicationId}`,
      });
      return { id, status: 'answered' as const };
    });
  } catch (e) {
    if (stored) await storage.delete(stored.key);
    throw e;
  }
}

/**
 * The expert who asked re-checks the answer: accepted closes it (and marks the finding met in the
 * expert's draft), otherwise it is reopened for another answer.
 */
export async function recheckRectification(db: Db, user: CurrentUser, id: number, input: { accepted: boolean; note?: string | null }) {
  const r = await loadRect(db, id);
  // only the expert who asked, while assigned; anyone else 404
  if (r.requestedBy !== user.id) throw notFound('整改要求');
  await loadAssigned(db, user, r.applicationId);
  if (r.status !== 'answered') throw new AppError('WRONG_STATUS', '该整改要求尚未答复或已复查');
  return db.transaction(async (tx) => {
    const status = input.accepted ? ('accepted' as const) : ('reopened' as const);
    const done = await tx
      .update(rectifications)
      .set({ status, recheckNote: input.note?.trim() || null, recheckedBy: user.id, recheckedAt: new Date() })
      .where(and(eq(rectifications.id, id), eq(rectifications.status, 'answered')))
      .returning();
    if (!done.length) throw new AppError('CONFLICT');
    if (input.accepted && r.checkId) {
      const [check] = await tx.select().from(onsiteChecks).where(eq(onsiteChecks.id, r.checkId));
      if (check && check.status === 'draft')
        await tx
          .insert(onsiteFindings)
          .values({
            checkId: check.id,
            criterionId: r.criterionId,
            met: true,
            note: `整改已复查通过${input.note ? `：${input.note.trim()}` : ''}`,
          })
          .onConflictDoUpdate({ target: [onsiteFindings.checkId, onsiteFindings.criterionId], set: { met: true } });
    }
    const app = await loadApplicationRow(tx, r.applicationId);
    await notify(tx, await applicantUsersOf(tx, app.subjectId), {
      kind: 'rectification',
      title: input.accepted ? `整改已复查通过（第${r.criterionId}项）` : `整改复查未通过（第${r.criterionId}项），请重新整改并答复`,
      body: input.note ?? null,
      link: `/applications/${r.applicationId}`,
    });
    return { id, status };
  });
}
