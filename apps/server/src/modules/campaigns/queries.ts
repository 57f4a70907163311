import { and, asc, count, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  applications,
  campaignCategories,
  campaigns,
  categories,
  organisations,
  regions,
  standardVersions,
  standards,
  subjects,
  titles,
} from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';

export type CampaignRow = typeof campaigns.$inferSelect;

/** Path of the region the account works in: its organisation's, or its subject's. */
export async function accountRegionPath(db: Db, user: CurrentUser): Promise<string | null> {
  if (user.org) return user.org.regionPath;
  if (!user.subjectId) return null;
  const [r] = await db
    .select({ path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(eq(subjects.id, user.subjectId));
  return r?.path ?? null;
}

/**
 * Campaigns an account sees: those run by its own region or a region above it (a county office
 * follows the city's round), and, for staff, those run inside its subtree.
 */
export async function visibleCampaignIds(db: Db, user: CurrentUser): Promise<number[]> {
  const path = await accountRegionPath(db, user);
  if (!path) return [];
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(sql`${path} like ${regions.path} || '%' ${user.org ? sql`or ${regions.path} like ${path + '%'}` : sql``}`);
  return rows.map((r) => r.id);
}

export async function campaignRows(db: Db, ids: number[]) {
  return db
    .select({ c: campaigns, regionName: regions.name, regionPath: regions.path })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(inArray(campaigns.id, ids))
    .orderBy(desc(campaigns.year), desc(campaigns.id));
}

export async function campaignCategoryRows(db: Db, ids: number[]) {
  return db
    .select({
      cc: campaignCategories,
      name: categories.name,
      standardTitle: standards.title,
      version: standardVersions.version,
      // who may apply, so the applicant's form offers only categories it can hold
      who: sql<{ subjectKinds: string[]; unitTypes: string[] }>`${standardVersions.doc}->'category'`,
    })
    .from(campaignCategories)
    .innerJoin(categories, eq(categories.code, campaignCategories.categoryCode))
    .innerJoin(standardVersions, eq(standardVersions.id, campaignCategories.standardVersionId))
    .innerJoin(standards, eq(standards.id, standardVersions.standardId))
    .where(inArray(campaignCategories.campaignId, ids))
    .orderBy(asc(campaignCategories.id));
}

/** Campaign ids among `ids` with at least one application that has left draft. */
export async function campaignsWithApplications(db: Db | Tx, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectDistinct({ id: applications.campaignId })
    .from(applications)
    .where(and(inArray(applications.campaignId, ids), ne(applications.status, 'draft')));
  return new Set(rows.map((r) => r.id));
}

export async function loadCampaign(db: Db | Tx, id: number): Promise<(CampaignRow & { regionPath: string }) | null> {
  const [r] = await db
    .select({ c: campaigns, regionPath: regions.path })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(eq(campaigns.id, id));
  return r ? { ...r.c, regionPath: r.regionPath } : null;
}

export async function standardVersionsByIds(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .select({ id: standardVersions.id, categoryCode: standards.categoryCode })
    .from(standardVersions)
    .innerJoin(standards, eq(standards.id, standardVersions.standardId))
    .where(inArray(standardVersions.id, ids));
}

export async function insertCampaign(
  tx: Tx,
  values: typeof campaigns.$inferInsert,
  cats: { categoryCode: string; standardVersionId: number; quota: number | null }[],
): Promise<number> {
  const [c] = await tx.insert(campaigns).values(values).returning({ id: campaigns.id });
  await tx.insert(campaignCategories).values(cats.map((x) => ({ ...x, campaignId: c!.id })));
  return c!.id;
}

/** Updates a campaign only if its revision is still the one read; returns whether it did. */
export async function updateCampaignRow(
  tx: Tx,
  id: number,
  revision: number,
  values: Partial<typeof campaigns.$inferInsert>,
): Promise<boolean> {
  const done = await tx
    .update(campaigns)
    .set({ ...values, revision: sql`${campaigns.revision} + 1`, updatedAt: new Date() })
    .where(and(eq(campaigns.id, id), eq(campaigns.revision, revision)))
    .returning({ id: campaigns.id });
  return done.length > 0;
}

export async function replaceCampaignCategories(
  tx: Tx,
  campaignId: number,
  cats: { categoryCode: string; standardVersionId: number; quota: number | null }[],
): Promise<void> {
  await tx.delete(campaignCategories).where(eq(campaignCategories.campaignId, campaignId));
  await tx.insert(campaignCategories).values(cats.map((x) => ({ ...x, campaignId })));
}

export async function currentCategories(db: Db | Tx, campaignId: number) {
  return db
    .select({
      categoryCode: campaignCategories.categoryCode,
      standardVersionId: campaignCategories.standardVersionId,
      quota: campaignCategories.quota,
    })
    .from(campaignCategories)
    .where(eq(campaignCategories.campaignId, campaignId))
    .orderBy(asc(campaignCategories.id));
}

export async function conferredTitleCount(db: Db | Tx, campaignId: number): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .where(eq(applications.campaignId, campaignId));
  return r?.n ?? 0;
}

export async function organisationName(db: Db | Tx, orgId: number): Promise<string> {
  const [o] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
  return o?.name ?? '';
}
