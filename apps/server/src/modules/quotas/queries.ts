import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { applications, campaignCategories, campaignQuotas, campaigns, categories, organisations, regions } from '../../db/schema.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type QuotaRow = typeof campaignQuotas.$inferSelect;

export async function campaignById(db: Db | Tx, id: number): Promise<CampaignRow | null> {
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return c ?? null;
}

export async function regionById(db: Db | Tx, id: number) {
  const [r] = await db.select().from(regions).where(eq(regions.id, id));
  return r ?? null;
}

/** The regions directly below the campaign's region: the recommending counties. */
export async function childRegions(db: Db | Tx, regionId: number) {
  return db
    .select({ id: regions.id, name: regions.name, level: regions.level })
    .from(regions)
    .where(eq(regions.parentId, regionId))
    .orderBy(asc(regions.id));
}

/** The categories the campaign runs, with their names and award quotas. */
export async function campaignCategoryRows(db: Db | Tx, campaignId: number) {
  return db
    .select({ code: campaignCategories.categoryCode, name: categories.name, quota: campaignCategories.quota })
    .from(campaignCategories)
    .innerJoin(categories, eq(categories.code, campaignCategories.categoryCode))
    .where(eq(campaignCategories.campaignId, campaignId))
    .orderBy(asc(campaignCategories.id));
}

export async function categoryNames(db: Db | Tx, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.select({ code: categories.code, name: categories.name }).from(categories).where(inArray(categories.code, codes));
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function quotaRows(db: Db | Tx, campaignId: number): Promise<QuotaRow[]> {
  return db.select().from(campaignQuotas).where(eq(campaignQuotas.campaignId, campaignId)).orderBy(asc(campaignQuotas.id));
}

export async function replaceQuotaRows(
  tx: Db | Tx,
  campaignId: number,
  rows: { regionId: number | null; deptCode: string | null; categoryCode: string; count: number; source: QuotaRow['source'] }[],
): Promise<void> {
  await tx.delete(campaignQuotas).where(eq(campaignQuotas.campaignId, campaignId));
  if (rows.length) await tx.insert(campaignQuotas).values(rows.map((r) => ({ campaignId, ...r })));
}

/**
 * Recommendations counted against quotas: applications of the campaign recommended by an
 * organisation, by that organisation's region (offices) or department code, and category.
 * Withdrawn recommendations give their place back.
 */
export async function recommendationCounts(db: Db | Tx, campaignId: number) {
  return db
    .select({
      categoryCode: applications.categoryCode,
      orgKind: organisations.kind,
      regionId: organisations.regionId,
      deptCode: organisations.deptCode,
      n: sql<number>`count(*)::int`,
    })
    .from(applications)
    .innerJoin(organisations, eq(organisations.id, applications.recommendedByOrgId))
    .where(and(eq(applications.campaignId, campaignId), ne(applications.status, 'withdrawn'), ne(applications.status, 'draft')))
    .groupBy(applications.categoryCode, organisations.kind, organisations.regionId, organisations.deptCode);
}
