import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { STANDARD_FORMAT, parseStandard, type StandardDoc } from '@pingan/core';
import { eq } from 'drizzle-orm';
import { REPO_ROOT } from '../../config.js';
import type { Db, Tx } from '../../db/client.js';
import { categories, criteria, standardVersions, standards } from '../../db/schema.js';

export const STANDARDS_DIR = path.join(REPO_ROOT, 'standards');

/** Every standard file (YAML or JSON of format pingan-standard/v1) under standards/, parsed. */
export function loadStandardFiles(dir = STANDARDS_DIR): { file: string; doc: StandardDoc }[] {
  const out: { file: string; doc: StandardDoc }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e.name)) {
        const raw = YAML.parse(fs.readFileSync(p, 'utf8')) as { format?: string } | null;
        if (raw?.format !== STANDARD_FORMAT) continue;
        const r = parseStandard(raw);
        if (!r.ok) throw new Error(`${path.relative(REPO_ROOT, p)}: ${r.errors.join('; ')}`);
        out.push({ file: path.relative(REPO_ROOT, p), doc: r.standard });
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * Stores a standard as a new version (version 1 when the code is new). The category row gathers
 * the lead and cooperating departments of all its standards, which is what scopes departments.
 */
export async function importStandard(tx: Db | Tx, doc: StandardDoc, createdBy: number | null, note: string | null) {
  const lead = new Set<string>(doc.responsible.lead);
  const coop = new Set<string>(doc.responsible.assist);
  for (const g of doc.groups)
    for (const c of g.criteria) {
      c.lead.forEach((d) => lead.add(d));
      c.cooperate.forEach((d) => coop.add(d));
    }
  const [cat] = await tx.select().from(categories).where(eq(categories.code, doc.category.code));
  if (!cat)
    await tx.insert(categories).values({ code: doc.category.code, name: doc.category.name, nameEn: doc.category.nameEn ?? null, leadDepts: [...lead], cooperateDepts: [...coop] });
  else
    await tx
      .update(categories)
      .set({ leadDepts: [...new Set([...cat.leadDepts, ...lead])], cooperateDepts: [...new Set([...cat.cooperateDepts, ...coop])] })
      .where(eq(categories.code, doc.category.code));
  let [std] = await tx.select().from(standards).where(eq(standards.code, doc.code));
  if (!std) [std] = await tx.insert(standards).values({ code: doc.code, categoryCode: doc.category.code, title: doc.title, issuer: doc.issuer }).returning();
  const versions = await tx.select({ v: standardVersions.version }).from(standardVersions).where(eq(standardVersions.standardId, std!.id));
  const version = Math.max(0, ...versions.map((v) => v.v)) + 1;
  const [v] = await tx.insert(standardVersions).values({ standardId: std!.id, version, doc, note, createdBy }).returning();
  await tx.insert(criteria).values(
    doc.groups.flatMap((g) => g.criteria).map((c, i) => ({
      standardVersionId: v!.id,
      criterionId: c.id,
      groupId: doc.groups.find((g) => g.criteria.includes(c))!.id,
      position: i,
      points: c.points,
      veto: c.veto,
      judge: c.judge,
      hasMeasures: c.measures.length > 0,
    })),
  );
  return v!;
}
