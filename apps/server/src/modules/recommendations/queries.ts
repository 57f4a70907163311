import { and, asc, desc, eq, inArray, isNotNull, isNull, like, ne, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  answers,
  applications,
  campaignCategories,
  campaignQuotas,
  campaigns,
  categories,
  criteria,
  evidenceFiles,
  organisations,
  regions,
  subjects,
  titles,
} from '../../db/schema.js';

export type TitleRow = typeof titles.$inferSelect;

/** A title with the campaign that conferred it. */
export async function titleWithCampaign(db: Db | Tx, titleId: number) {
  const [row] = await db
    .select({
      t: titles,
      app: applications,
      lowerCampaign: { id: campaigns.id, regionId: campaigns.regionId, year: campaigns.year },
      lowerCampaignPath: regions.path,
    })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(eq(titles.id, titleId));
  return row ?? null;
}

export async function campaignCategory(db: Db | Tx, campaignId: number, categoryCode: string) {
  const [cc] = await db
    .select({ cc: campaignCategories, name: categories.name })
    .from(campaignCategories)
    .innerJoin(categories, eq(categories.code, campaignCategories.categoryCode))
    .where(and(eq(campaignCategories.campaignId, campaignId), eq(campaignCategories.categoryCode, categoryCode)));
  return cc ?? null;
}

export type RecommenderKey = { kind: 'region'; regionId: number } | { kind: 'department'; deptCode: string; campaignRegionId: number };

/** The quota row of a recommending body in a category, locked for the transaction on PostgreSQL. */
export async function quotaFor(tx: Db | Tx, campaignId: number, categoryCode: string, r: RecommenderKey, lock = false) {
  const q = tx
    .select({ id: campaignQuotas.id, count: campaignQuotas.count })
    .from(campaignQuotas)
    .where(
      and(
        eq(campaignQuotas.campaignId, campaignId),
        eq(campaignQuotas.categoryCode, categoryCode),
        r.kind === 'region'
          ? eq(campaignQuotas.regionId, r.regionId)
          : and(isNull(campaignQuotas.regionId), eq(campaignQuotas.deptCode, r.deptCode)),
      ),
    );
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** SQL: the application was recommended by this body (any office of the region, or the department). */
const byRecommender = (r: RecommenderKey) =>
  r.kind === 'region'
    ? and(eq(organisations.kind, 'safety_office'), eq(organisations.regionId, r.regionId))
    : and(eq(organisations.kind, 'department'), eq(organisations.regionId, r.campaignRegionId), eq(organisations.deptCode, r.deptCode));

/** Recommendations counted against the quota: not withdrawn. */
export async function countRecommended(tx: Db | Tx, campaignId: number, categoryCode: string, r: RecommenderKey): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(organisations, eq(organisations.id, applications.recommendedByOrgId))
    .where(
      and(
        eq(applications.campaignId, campaignId),
        eq(applications.categoryCode, categoryCode),
        notInArray(applications.status, ['withdrawn', 'draft']),
        byRecommender(r),
      ),
    );
  return row?.n ?? 0;
}

const recommendationColumns = {
  id: applications.id,
  subjectId: applications.subjectId,
  subjectName: subjects.name,
  categoryCode: applications.categoryCode,
  categoryName: categories.name,
  status: applications.status,
  step: applications.step,
  lowerTitleId: applications.lowerTitleId,
  recommendedByOrgId: applications.recommendedByOrgId,
  recommendedByName: organisations.name,
  submittedAt: applications.submittedAt,
};

/** Recommendations into a campaign; by one body when `r` is given. */
export async function listRecommendations(db: Db | Tx, campaignId: number, r: RecommenderKey | null) {
  return db
    .select(recommendationColumns)
    .from(applications)
    .innerJoin(organisations, eq(organisations.id, applications.recommendedByOrgId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(eq(applications.campaignId, campaignId), isNotNull(applications.recommendedByOrgId), r ? byRecommender(r) : undefined))
    .orderBy(desc(applications.id));
}

/** One page of the titles a body could recommend, and how many there are in all. */
export interface EligiblePage {
  /** part of the unit's name */
  q?: string;
  limit: number;
  offset: number;
}

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Titles a body could recommend: conferred this year (not revoked), for an office by a campaign of
 * its own region, for a department by any other campaign inside the campaign's region. A county
 * names thousands of units a year: the list is paged and searched by the unit's name, never cut.
 */
export async function eligibleTitles(
  db: Db | Tx,
  campaign: { id: number; year: number },
  r: RecommenderKey,
  campaignRegionPath: string,
  page: EligiblePage,
) {
  const where = and(
    eq(titles.year, campaign.year),
    // a title on a yellow card (suspended) or revoked is not held: it cannot be recommended
    eq(titles.status, 'valid'),
    isNull(titles.revokedAt),
    ne(campaigns.id, campaign.id),
    r.kind === 'region' ? eq(campaigns.regionId, r.regionId) : like(regions.path, `${campaignRegionPath}%`),
    page.q ? sql`${subjects.name} ilike ${escapeLike(page.q)} escape '\\'` : undefined,
  );
  const rows = await db
    .select({
      id: titles.id,
      subjectId: titles.subjectId,
      subjectName: subjects.name,
      categoryCode: titles.categoryCode,
      titleName: titles.titleName,
      year: titles.year,
      issuer: titles.issuer,
      certificateNo: titles.certificateNo,
      lowerCampaignId: campaigns.id,
    })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .where(where)
    .orderBy(asc(titles.categoryCode), asc(titles.id))
    .limit(page.limit)
    .offset(page.offset);
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .where(where)) as [{ n: number }];
  return { rows, total: Number(n) };
}

export async function existingApplication(db: Db | Tx, campaignId: number, categoryCode: string, subjectId: number) {
  const [row] = await db
    .select({ id: applications.id, status: applications.status })
    .from(applications)
    .where(
      and(eq(applications.campaignId, campaignId), eq(applications.categoryCode, categoryCode), eq(applications.subjectId, subjectId)),
    );
  return row ?? null;
}

/** Copies the county application's answers and evidence rows (same storage keys) onto the new one. */
export async function copyApplicationContent(
  tx: Db | Tx,
  fromId: number,
  toId: number,
  toVersionId: number,
): Promise<{ answers: number; files: number }> {
  const ids = new Set(
    (await tx.select({ id: criteria.criterionId }).from(criteria).where(eq(criteria.standardVersionId, toVersionId))).map((c) => c.id),
  );
  const ans = (await tx.select().from(answers).where(eq(answers.applicationId, fromId))).filter((a) => ids.has(a.criterionId));
  if (ans.length) await tx.insert(answers).values(ans.map((a) => ({ ...a, applicationId: toId })));
  // the files in force (not withdrawn), unfrozen: the recommendation freezes them as its revision 1
  const files = await tx
    .select()
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.applicationId, fromId), isNull(evidenceFiles.rectificationId), isNull(evidenceFiles.withdrawnAt)));
  if (files.length)
    await tx.insert(evidenceFiles).values(
      files.map(({ id: _id, createdAt: _at, ...f }) => ({
        ...f,
        frozenIn: null,
        withdrawnAt: null,
        applicationId: toId,
        criterionId: f.criterionId && ids.has(f.criterionId) ? f.criterionId : null,
      })),
    );
  return { answers: ans.length, files: files.length };
}

/** Applications counted as nominated (submitted or further, not returned, rejected or withdrawn). */
export const NOMINATED_STATUSES = ['submitted', 'preliminary_passed', 'evaluated', 'in_notice', 'conferred'] as const;

export async function nominationCounts(db: Db | Tx, campaignId: number, categoryCodes?: string[]) {
  return db
    .select({ categoryCode: applications.categoryCode, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(
      and(
        eq(applications.campaignId, campaignId),
        inArray(applications.status, [...NOMINATED_STATUSES]),
        categoryCodes ? inArray(applications.categoryCode, categoryCodes) : undefined,
      ),
    )
    .groupBy(applications.categoryCode);
}
