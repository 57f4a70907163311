import { and, desc, eq } from 'drizzle-orm';
import { parseStandard, type StandardDoc } from '@pingan/core';
import { diffStandards } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { standardVersions, standards } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import { importStandard } from './files.js';
import { CONTENT_TYPES, renderStandard, type StandardFileFormat } from './formats.js';

/**
 * Editing standards: a new standard (version 1), a new version of one, the difference between two
 * versions, validation for the web editor, and export as a file. Versions are immutable; editing
 * stores a new one, and campaigns keep the version they pinned.
 */

/** 400 VALIDATION with the field-named errors in details.errors. */
export function invalidStandard(errors: string[]): AppError {
  const shown = errors.slice(0, 3).join('；');
  return new AppError(
    'VALIDATION',
    `标准内容有${errors.length}处错误：${shown}${errors.length > 3 ? `；等${errors.length}处` : ''}`,
    { errors },
  );
}

const NO_DOC = 'doc: 须提交标准内容';

export function validateStandard(input: unknown): { ok: boolean; errors: string[] } {
  if (input === undefined) return { ok: false, errors: [NO_DOC] };
  const r = parseStandard(input);
  return r.ok ? { ok: true, errors: [] } : { ok: false, errors: r.errors };
}

function parseOrThrow(input: unknown): StandardDoc {
  if (input === undefined) throw invalidStandard([NO_DOC]);
  const r = parseStandard(input);
  if (!r.ok) throw invalidStandard(r.errors);
  return r.standard;
}

/** PostgreSQL's unique_violation: another request stored the same code or version first. */
function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x && typeof x === 'object'; x = (x as { cause?: unknown }).cause)
    if ((x as { code?: unknown }).code === '23505') return true;
  return false;
}

/** POST /api/standards: a standard whose code is new, stored as version 1. */
export async function createStandard(db: Db, user: CurrentUser, input: unknown, note: string | null) {
  requireRole(user, 'safety_office');
  const doc = parseOrThrow(input);
  const [existing] = await db.select({ id: standards.id }).from(standards).where(eq(standards.code, doc.code));
  if (existing) throw new AppError('DUPLICATE', `标准编号 ${doc.code} 已存在，请改为提交新版本`);
  try {
    const v = await db.transaction((tx) => importStandard(tx, doc, user.id, note));
    return { id: v.id, standardId: v.standardId, version: v.version };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('DUPLICATE', `标准编号 ${doc.code} 已存在，请改为提交新版本`);
    throw e;
  }
}

/** POST /api/standards/:id/versions: the next version of an existing standard. */
export async function addVersion(db: Db, user: CurrentUser, standardId: number, input: unknown, note: string | null) {
  requireRole(user, 'safety_office');
  const [std] = await db.select().from(standards).where(eq(standards.id, standardId));
  if (!std) throw notFound('标准');
  const doc = parseOrThrow(input);
  const errors: string[] = [];
  if (doc.code !== std.code) errors.push(`code: 须与该标准的编号 ${std.code} 一致（现为 ${doc.code}）；编号不同请新建标准`);
  if (doc.category.code !== std.categoryCode)
    errors.push(`category.code: 须与该标准的创建类别 ${std.categoryCode} 一致（现为 ${doc.category.code}）`);
  if (errors.length) throw invalidStandard(errors);
  try {
    const v = await db.transaction(async (tx) => {
      // one version at a time per standard: the row lock orders concurrent saves
      await tx.select({ id: standards.id }).from(standards).where(eq(standards.id, std.id)).for('update');
      const [latest] = await tx
        .select({ doc: standardVersions.doc, version: standardVersions.version })
        .from(standardVersions)
        .where(eq(standardVersions.standardId, std.id))
        .orderBy(desc(standardVersions.version))
        .limit(1);
      if (latest && diffStandards(latest.doc, doc).length === 0)
        throw new AppError('VALIDATION', `与当前第${latest.version}版内容相同，无需保存新版本`);
      const v = await importStandard(tx, doc, user.id, note);
      await tx.update(standards).set({ title: doc.title, issuer: doc.issuer }).where(eq(standards.id, std.id));
      return v;
    });
    return { id: v.id, standardId: v.standardId, version: v.version };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', '另一新版本刚刚保存，请刷新后重试');
    throw e;
  }
}

async function versionDoc(db: Db, standardId: number, version: number) {
  const [v] = await db
    .select({ doc: standardVersions.doc })
    .from(standardVersions)
    .where(and(eq(standardVersions.standardId, standardId), eq(standardVersions.version, version)));
  if (!v) throw notFound(`标准版本 ${version}`);
  return v.doc;
}

/** GET /api/standards/:id/versions/:a/diff/:b: the changes from version a to version b. */
export async function diffVersions(db: Db, standardId: number, a: number, b: number) {
  const [std] = await db.select({ id: standards.id }).from(standards).where(eq(standards.id, standardId));
  if (!std) throw notFound('标准');
  return diffStandards(await versionDoc(db, standardId, a), await versionDoc(db, standardId, b));
}

/** GET /api/standard-versions/:id/export: the document as a file. */
export async function exportVersion(db: Db, versionId: number, format: StandardFileFormat) {
  const [row] = await db
    .select({ doc: standardVersions.doc, version: standardVersions.version, code: standards.code })
    .from(standardVersions)
    .innerJoin(standards, eq(standards.id, standardVersions.standardId))
    .where(eq(standardVersions.id, versionId));
  if (!row) throw notFound('标准版本');
  return {
    body: await renderStandard(row.doc, format),
    contentType: CONTENT_TYPES[format],
    fileName: `${row.code}-v${row.version}.${format}`,
  };
}
