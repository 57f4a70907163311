import { and, asc, eq, inArray, like } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { inspectionItems, inspectionSamples, regions, subjects, users } from '../../db/schema.js';

/** The population of 明查暗访: units (subjects of kind 'unit') in a region subtree, ordered by id. */
export async function unitsUnder(db: Db | Tx, regionPath: string) {
  return db
    .select({ id: subjects.id, regionPath: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(and(eq(subjects.kind, 'unit'), like(regions.path, `${regionPath}%`)))
    .orderBy(asc(subjects.id));
}

/** The items of samples, with the unit's and its region's names. */
export async function itemsOf(db: Db | Tx, sampleIds: readonly number[]) {
  if (!sampleIds.length) return [];
  return db
    .select({
      id: inspectionItems.id,
      sampleId: inspectionItems.sampleId,
      subjectId: inspectionItems.subjectId,
      subjectName: subjects.name,
      unitType: subjects.unitType,
      address: subjects.address,
      regionName: regions.name,
      regionPath: inspectionItems.regionPath,
      score: inspectionItems.score,
      findings: inspectionItems.findings,
      inspectedOn: inspectionItems.inspectedOn,
      inspectorName: users.displayName,
    })
    .from(inspectionItems)
    .innerJoin(subjects, eq(subjects.id, inspectionItems.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .leftJoin(users, eq(users.id, inspectionItems.inspectorId))
    .where(inArray(inspectionItems.sampleId, [...sampleIds]))
    .orderBy(asc(inspectionItems.id));
}

export async function samplesOfRegion(db: Db | Tx, regionId: number, year?: number) {
  return db
    .select()
    .from(inspectionSamples)
    .where(and(eq(inspectionSamples.regionId, regionId), year ? eq(inspectionSamples.year, year) : undefined))
    .orderBy(asc(inspectionSamples.year), asc(inspectionSamples.quarter), asc(inspectionSamples.id));
}
