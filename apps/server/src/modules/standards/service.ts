import { allCriteria, maxPoints } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import { allCategories, standardVersionById, standardVersionRows } from './queries.js';

/** The standards library: standards, their versions, categories (editing lives in versions.ts). */

interface StandardSummary {
  id: number;
  code: string;
  title: string;
  issuer: string;
  categoryCode: string;
  categoryName: string;
  versions: { id: number; version: number; note: string | null; criteria: number; maxPoints: number; createdAt: string }[];
}

/** GET /api/standards: every standard with a summary of each version. */
export async function listStandards(db: Db): Promise<StandardSummary[]> {
  const out = new Map<number, StandardSummary>();
  for (const r of await standardVersionRows(db)) {
    const e = out.get(r.s.id) ?? { id: r.s.id, code: r.s.code, title: r.s.title, issuer: r.s.issuer, categoryCode: r.s.categoryCode, categoryName: r.categoryName, versions: [] };
    e.versions.push({ id: r.v.id, version: r.v.version, note: r.v.note, criteria: allCriteria(r.v.doc).length, maxPoints: maxPoints(r.v.doc), createdAt: iso(r.v.createdAt) });
    out.set(r.s.id, e);
  }
  return [...out.values()];
}

/** GET /api/standard-versions/:id: one version in full. */
export async function getStandardVersion(db: Db, id: number) {
  const v = await standardVersionById(db, id);
  if (!v) throw notFound('标准版本');
  return { id: v.id, standardId: v.standardId, version: v.version, note: v.note, createdAt: iso(v.createdAt), doc: v.doc };
}

/** GET /api/categories */
export async function listCategories(db: Db) {
  return (await allCategories(db)).map((c) => ({ code: c.code, name: c.name, nameEn: c.nameEn, leadDepts: c.leadDepts, cooperateDepts: c.cooperateDepts }));
}
