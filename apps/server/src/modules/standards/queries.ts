import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { categories, standardVersions, standards } from '../../db/schema.js';

/** Every standard with each of its versions, one row per version, in order. */
export function standardVersionRows(db: Db) {
  return db
    .select({ s: standards, categoryName: categories.name, v: standardVersions })
    .from(standards)
    .innerJoin(categories, eq(categories.code, standards.categoryCode))
    .innerJoin(standardVersions, eq(standardVersions.standardId, standards.id))
    .orderBy(asc(standards.id), asc(standardVersions.version));
}

/** One stored version, or undefined. */
export async function standardVersionById(db: Db, id: number) {
  const [v] = await db.select().from(standardVersions).where(eq(standardVersions.id, id));
  return v;
}

/** Every category, by code. */
export function allCategories(db: Db) {
  return db.select().from(categories).orderBy(asc(categories.code));
}
