import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { ownsStep } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { answers, applicationRevisions, applications, evidenceFiles, subjects, users } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { actorOf, isCampaignOffice, loadOwnership, type OwnershipInfo } from '../../access/ownership.js';
import type { Keys } from '../../crypto/keys.js';
import type { ClientInfo } from '../../http/client.js';
import { iso } from '../../http/contract.js';
import { recordAudit } from '../audit/service.js';
import { loadVisibleApplication } from './queries.js';
import { formWithoutPhone, openValue, presentForm } from './personalData.js';

/**
 * 提交版本: every submission freezes what was submitted (form, contact phone, self-assessment and
 * the list of evidence files with their hashes) as a numbered revision. A frozen file cannot be
 * deleted; after a return the applicant may withdraw it from the revision being prepared, and the
 * file stays, downloadable, in the history.
 */

type AppRow = typeof applications.$inferSelect;
export type RevisionRow = typeof applicationRevisions.$inferSelect;

/**
 * Freezes the application as it stands: revision no = submissions + 1, every non-withdrawn file
 * not yet frozen is marked with it, and the count is bumped only if no one else froze first.
 * Part of the caller's transaction (the submit or recommend transition). Answers the number.
 */
export async function freezeRevision(
  tx: Db | Tx,
  app: Pick<AppRow, 'id' | 'submissions' | 'form' | 'contactPhone'>,
  submittedBy: number | null,
): Promise<number> {
  const no = app.submissions + 1;
  const bumped = await tx
    .update(applications)
    .set({ submissions: no })
    .where(and(eq(applications.id, app.id), eq(applications.submissions, app.submissions)))
    .returning({ id: applications.id });
  if (!bumped.length) throw new AppError('CONFLICT', '申报已被他人提交，请刷新后重试');
  const ans = await tx.select().from(answers).where(eq(answers.applicationId, app.id)).orderBy(asc(answers.criterionId));
  const files = await tx
    .select()
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.applicationId, app.id), isNull(evidenceFiles.withdrawnAt)))
    .orderBy(asc(evidenceFiles.id));
  await tx.insert(applicationRevisions).values({
    applicationId: app.id,
    no,
    submittedBy,
    form: formWithoutPhone(app.form),
    contactPhone: app.contactPhone,
    answers: ans.map((a) => ({ criterionId: a.criterionId, statement: a.statement, figures: a.figures })),
    evidence: files.map((f) => ({ id: f.id, criterionId: f.criterionId, fileName: f.fileName, sha256: f.sha256 })),
  });
  await tx
    .update(evidenceFiles)
    .set({ frozenIn: no })
    .where(and(eq(evidenceFiles.applicationId, app.id), isNull(evidenceFiles.withdrawnAt), isNull(evidenceFiles.frozenIn)));
  return no;
}

/** The last submitted revision, or null for an application never submitted (or from before revisions). */
export async function lastRevision(db: Db | Tx, app: Pick<AppRow, 'id' | 'submissions'>): Promise<RevisionRow | null> {
  if (app.submissions < 1) return null;
  const [r] = await db
    .select()
    .from(applicationRevisions)
    .where(eq(applicationRevisions.applicationId, app.id))
    .orderBy(desc(applicationRevisions.no))
    .limit(1);
  return r ?? null;
}

/**
 * What staff are shown of an application: its last submission while the applicant revises a
 * returned one, else the working copy (null). The applicant always sees its working copy.
 */
export async function revisionShownTo(db: Db | Tx, user: CurrentUser, app: AppRow): Promise<RevisionRow | null> {
  if (user.role === 'applicant' || app.status !== 'returned') return null;
  return lastRevision(db, app);
}

/** GET /api/applications/:id/revisions: the submissions, newest first. */
export async function listRevisions(db: Db, user: CurrentUser, id: number) {
  const app = await loadVisibleApplication(db, user, id);
  const rows = await db
    .select({ r: applicationRevisions, name: users.displayName })
    .from(applicationRevisions)
    .leftJoin(users, eq(users.id, applicationRevisions.submittedBy))
    .where(eq(applicationRevisions.applicationId, app.id))
    .orderBy(desc(applicationRevisions.no));
  const ids = [...new Set(rows.flatMap((x) => x.r.evidence.map((e) => e.id)))];
  const withdrawn = new Set(
    ids.length
      ? (await db.select({ id: evidenceFiles.id, at: evidenceFiles.withdrawnAt }).from(evidenceFiles).where(inArray(evidenceFiles.id, ids)))
          .filter((f) => f.at !== null)
          .map((f) => f.id)
      : [],
  );
  return {
    items: rows.map(({ r, name }) => ({
      no: r.no,
      submittedAt: iso(r.submittedAt),
      submittedByName: name,
      answerCount: r.answers.length,
      fileCount: r.evidence.length,
      withdrawnCount: r.evidence.filter((e) => withdrawn.has(e.id)).length,
    })),
  };
}

/** GET /api/applications/:id/revisions/:no: one submission as it was frozen; the phone masked except for the applicant. */
export async function getRevision(db: Db, keys: Keys, user: CurrentUser, id: number, no: number) {
  const app = await loadVisibleApplication(db, user, id);
  const [row] = await db
    .select({ r: applicationRevisions, name: users.displayName })
    .from(applicationRevisions)
    .leftJoin(users, eq(users.id, applicationRevisions.submittedBy))
    .where(and(eq(applicationRevisions.applicationId, app.id), eq(applicationRevisions.no, no)));
  if (!row) throw notFound('提交版本');
  const ids = row.r.evidence.map((e) => e.id);
  const files = new Map(
    (ids.length
      ? await db
          .select()
          .from(evidenceFiles)
          .where(and(inArray(evidenceFiles.id, ids), eq(evidenceFiles.applicationId, app.id)))
      : []
    ).map((f) => [f.id, f]),
  );
  return {
    no: row.r.no,
    submittedAt: iso(row.r.submittedAt),
    submittedByName: row.name,
    form: presentForm(keys, row.r.form, row.r.contactPhone, user.role === 'applicant'),
    answers: row.r.answers.map((a) => ({ criterionId: a.criterionId, statement: a.statement, figures: a.figures ?? {} })),
    evidence: row.r.evidence.map((e) => {
      const f = files.get(e.id);
      return {
        id: e.id,
        criterionId: e.criterionId,
        fileName: e.fileName,
        sha256: e.sha256,
        size: f?.size ?? null,
        contentType: f?.contentType ?? null,
        url: `/api/files/${e.id}`,
        withdrawnAt: iso(f?.withdrawnAt ?? null),
      };
    }),
  };
}

/** Staff who own a step of the application's chain, or its campaign's office, may see the full numbers. */
export function mayRevealContact(user: CurrentUser, info: OwnershipInfo): boolean {
  if (user.role === 'applicant') return true;
  if (isCampaignOffice(user, info)) return true;
  const actor = actorOf(user);
  return info.chain.steps.some((s) => ownsStep(actor, s, info.ctx));
}

/**
 * POST /api/applications/:id/contact: the full contact phone and the subject's ID number and phone.
 * For staff an explicit action, recorded in the audit trail (pii.view) before anything is answered;
 * a refusal is recorded too. The applicant reads its own.
 */
export async function revealContact(db: Db, keys: Keys, user: CurrentUser, id: number, client: ClientInfo | null, onRecorded?: () => void) {
  const app = await loadVisibleApplication(db, user, id);
  const own = user.role === 'applicant';
  const audit = async (result: 'ok' | 'denied') => {
    await recordAudit(db, keys, {
      actor: { id: user.id, username: user.username, role: user.role },
      client,
      action: 'pii.view',
      objectType: 'application',
      objectId: app.id,
      result,
      detail: { fields: ['contactPhone', 'subjectIdNumber', 'subjectPhone'] },
    });
    onRecorded?.();
  };
  if (!own) {
    const info = await loadOwnership(db, app);
    if (!mayRevealContact(user, info)) {
      await audit('denied');
      throw forbidden('只有承担本申报评审步骤的工作人员或创建活动所属平安办可以查看完整号码');
    }
  }
  const frozen = await revisionShownTo(db, user, app);
  const [subject] = await db
    .select({ idNumber: subjects.idNumber, phone: subjects.phone })
    .from(subjects)
    .where(eq(subjects.id, app.subjectId));
  const out = {
    contactName: (frozen?.form ?? app.form).contactName ?? null,
    contactPhone: openValue(keys, frozen ? frozen.contactPhone : app.contactPhone),
    subjectIdNumber: openValue(keys, subject?.idNumber),
    subjectPhone: openValue(keys, subject?.phone),
  };
  if (!own) await audit('ok');
  return out;
}
