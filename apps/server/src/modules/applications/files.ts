import { and, eq, isNull } from 'drizzle-orm';
import { isEditable } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applications, evidenceFiles } from '../../db/schema.js';
import type { FileStorage } from '../../storage/storage.js';
import { AppError, notFound } from '../../errors.js';
import { assertApplicationVisible, requireRole, type CurrentUser } from '../../access/scope.js';
import { allCriteria } from '@pingan/core';
import { loadStandardDoc } from './queries.js';
import { presentFile } from './service.js';

/** Evidence types we accept, each with the bytes its files must start with. */
const ACCEPTED: Record<string, { ext: string[]; magic: number[][] }> = {
  'application/pdf': { ext: ['pdf'], magic: [[0x25, 0x50, 0x44, 0x46]] },
  'image/jpeg': { ext: ['jpg', 'jpeg'], magic: [[0xff, 0xd8, 0xff]] },
  'image/png': { ext: ['png'], magic: [[0x89, 0x50, 0x4e, 0x47]] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: ['docx'], magic: [[0x50, 0x4b, 0x03, 0x04]] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: ['xlsx'], magic: [[0x50, 0x4b, 0x03, 0x04]] },
  'application/msword': { ext: ['doc'], magic: [[0xd0, 0xcf, 0x11, 0xe0]] },
  'application/vnd.ms-excel': { ext: ['xls'], magic: [[0xd0, 0xcf, 0x11, 0xe0]] },
};
export const ACCEPTED_TYPES = Object.keys(ACCEPTED);

export function checkContent(fileName: string, declared: string, head: Buffer): string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const entry = Object.entries(ACCEPTED).find(([, v]) => v.ext.includes(ext));
  if (!entry) throw new AppError('UNSUPPORTED_TYPE', `不支持的文件类型「.${ext}」，请上传PDF、图片（JPG/PNG）、Word或Excel文件`);
  const [type, spec] = entry;
  if (declared !== type && declared !== 'application/octet-stream')
    throw new AppError('UNSUPPORTED_TYPE', `文件「${fileName}」的类型（${declared}）与扩展名不符`);
  if (!spec.magic.some((m) => m.every((b, i) => head[i] === b)))
    throw new AppError('UNSUPPORTED_TYPE', `文件「${fileName}」内容不是有效的${ext.toUpperCase()}文件`);
  return type;
}

export async function addEvidence(
  db: Db,
  storage: FileStorage,
  user: CurrentUser,
  applicationId: number,
  input: { criterionId: string | null; fileName: string; declaredType: string; data: Buffer },
) {
  requireRole(user, 'applicant');
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!app) throw notFound('申报');
  assertApplicationVisible(user, app);
  if (!isEditable(app.status)) throw new AppError('WRONG_STATUS', '申报已提交，不能再上传材料');
  if (input.criterionId) {
    const doc = await loadStandardDoc(db, app.standardVersionId);
    if (!allCriteria(doc).some((c) => c.id === input.criterionId)) throw new AppError('VALIDATION', `标准中没有第${input.criterionId}项`);
  }
  if (!input.data.length) throw new AppError('VALIDATION', '文件为空');
  const contentType = checkContent(input.fileName, input.declaredType, input.data.subarray(0, 8));
  const stored = await storage.put(input.data);
  try {
    const [row] = await db
      .insert(evidenceFiles)
      .values({
        applicationId,
        criterionId: input.criterionId,
        fileName: input.fileName.slice(0, 200),
        contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
        uploadedBy: user.id,
      })
      .returning();
    return presentFile(row!);
  } catch (e) {
    await storage.delete(stored.key); // no orphan file when the row could not be written
    throw e;
  }
}

/**
 * A file the account may read: its application is visible (scope and the draft rule), and for
 * staff the file was submitted: what an applicant uploads while revising a returned application
 * stays its own until the next submission. A withdrawn file still reads (it is in the history).
 */
export async function loadEvidence(db: Db, user: CurrentUser, fileId: number) {
  const [row] = await db
    .select({ f: evidenceFiles, app: applications })
    .from(evidenceFiles)
    .innerJoin(applications, eq(applications.id, evidenceFiles.applicationId))
    .where(eq(evidenceFiles.id, fileId));
  if (!row) throw notFound('文件');
  try {
    assertApplicationVisible(user, row.app);
  } catch {
    throw notFound('文件');
  }
  if (user.role !== 'applicant' && isEditable(row.app.status) && row.f.frozenIn === null) throw notFound('文件');
  return row;
}

/** Deletes a file not yet submitted. A submitted (frozen) one cannot be deleted: 409, withdraw it instead. */
export async function deleteEvidence(db: Db, storage: FileStorage, user: CurrentUser, fileId: number) {
  requireRole(user, 'applicant');
  const row = await loadEvidence(db, user, fileId);
  if (!isEditable(row.app.status)) throw new AppError('WRONG_STATUS', '申报已提交，不能删除材料');
  if (row.f.frozenIn !== null)
    throw new AppError(
      'WRONG_STATUS',
      `「${row.f.fileName}」已随第${row.f.frozenIn}次提交归档，不能删除；如需替换，请先撤下再上传新的材料`,
    );
  const gone = await db
    .delete(evidenceFiles)
    .where(and(eq(evidenceFiles.id, fileId), isNull(evidenceFiles.frozenIn)))
    .returning({ id: evidenceFiles.id });
  if (!gone.length) throw new AppError('CONFLICT', '材料已被提交归档，请刷新后重试');
  await storage.delete(row.f.storageKey);
}

/**
 * Withdraws a submitted file from the revision being prepared (a returned application): it leaves
 * the working copy and the next submission, and stays, downloadable, in the earlier revisions.
 */
export async function withdrawEvidence(db: Db, user: CurrentUser, fileId: number) {
  requireRole(user, 'applicant');
  const row = await loadEvidence(db, user, fileId);
  if (!isEditable(row.app.status)) throw new AppError('WRONG_STATUS', '申报已提交，退回修改后才能撤下材料');
  if (row.f.frozenIn === null) throw new AppError('WRONG_STATUS', `「${row.f.fileName}」尚未提交，可以直接删除`);
  if (row.f.withdrawnAt) throw new AppError('WRONG_STATUS', `「${row.f.fileName}」已撤下`);
  const [done] = await db
    .update(evidenceFiles)
    .set({ withdrawnAt: new Date() })
    .where(and(eq(evidenceFiles.id, fileId), isNull(evidenceFiles.withdrawnAt)))
    .returning();
  if (!done) throw new AppError('CONFLICT', '材料已被撤下，请刷新后重试');
  return presentFile(done);
}
