import { and, asc, eq, inArray, like, ne } from 'drizzle-orm';
import type { FilerKind, FilingEvent, FilingKind, FilingStatus } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { campaigns, filingRequirements, filings, organisations, regions, users } from '../../db/schema.js';

/** 报备: the reads of the filings module. */

export interface CampaignCtx {
  id: number;
  name: string;
  year: number;
  status: 'active' | 'withdrawn';
  regionId: number;
  regionPath: string;
  regionName: string;
  regionLevel: string;
  orgId: number;
  officeName: string;
}

export async function campaignCtx(db: Db | Tx, id: number): Promise<CampaignCtx | null> {
  const [row] = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      year: campaigns.year,
      status: campaigns.status,
      regionId: campaigns.regionId,
      regionPath: regions.path,
      regionName: regions.name,
      regionLevel: regions.level,
      orgId: campaigns.orgId,
      officeName: organisations.name,
    })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .innerJoin(organisations, eq(organisations.id, campaigns.orgId))
    .where(eq(campaigns.id, id));
  return row ?? null;
}

export interface Filer {
  id: number;
  name: string;
  kind: FilerKind;
  deptCode: string;
  regionId: number;
  regionName: string;
  regionPath: string;
}

/**
 * Who files at a level: the safety offices of the campaign region's subregions at that level
 * (county, town), or the campaign region's own departments.
 */
export async function filersOf(db: Db | Tx, c: Pick<CampaignCtx, 'regionId' | 'regionPath'>, kind: FilerKind): Promise<Filer[]> {
  const base = db
    .select({
      id: organisations.id,
      name: organisations.name,
      deptCode: organisations.deptCode,
      regionId: regions.id,
      regionName: regions.name,
      regionPath: regions.path,
    })
    .from(organisations)
    .innerJoin(regions, eq(regions.id, organisations.regionId));
  const rows =
    kind === 'department'
      ? await base.where(and(eq(organisations.kind, 'department'), eq(organisations.regionId, c.regionId))).orderBy(asc(organisations.id))
      : await base
          .where(
            and(
              eq(organisations.kind, 'safety_office'),
              eq(regions.level, kind),
              like(regions.path, `${c.regionPath}%`),
              ne(regions.id, c.regionId),
            ),
          )
          .orderBy(asc(regions.path), asc(organisations.id));
  return rows.map((r) => ({ ...r, kind }));
}

export type RequirementRow = typeof filingRequirements.$inferSelect;

export interface FilingContent {
  [key: string]: unknown;
  history?: FilingEvent[];
  /** the platform day of the last reminder: at most one a day */
  remindedOn?: string;
  sites?: {
    subjectId: number;
    subjectName: string;
    regionName: string;
    categoryCode: string;
    categoryName: string;
    note: string | null;
  }[];
  summary?: { figures: Record<string, unknown>; text: string };
}

export type FilingRow = typeof filings.$inferSelect & { content: FilingContent | null; status: FilingStatus };

export const requirementsOf = (db: Db | Tx, campaignId: number) =>
  db
    .select()
    .from(filingRequirements)
    .where(eq(filingRequirements.campaignId, campaignId))
    .orderBy(asc(filingRequirements.dueOn), asc(filingRequirements.id));

export async function filingsOf(db: Db | Tx, requirementIds: number[]): Promise<FilingRow[]> {
  if (!requirementIds.length) return [];
  return (await db.select().from(filings).where(inArray(filings.requirementId, requirementIds))) as FilingRow[];
}

export async function requirementRow(db: Db | Tx, id: number): Promise<RequirementRow | null> {
  const [r] = await db.select().from(filingRequirements).where(eq(filingRequirements.id, id));
  return r ?? null;
}

export async function filingRow(db: Db | Tx, id: number): Promise<FilingRow | null> {
  const [r] = await db.select().from(filings).where(eq(filings.id, id));
  return (r as FilingRow | undefined) ?? null;
}

export async function filingFor(db: Db | Tx, requirementId: number, orgId: number): Promise<FilingRow | null> {
  const [r] = await db
    .select()
    .from(filings)
    .where(and(eq(filings.requirementId, requirementId), eq(filings.orgId, orgId)));
  return (r as FilingRow | undefined) ?? null;
}

export async function orgWithRegion(db: Db | Tx, orgId: number) {
  const [r] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      deptCode: organisations.deptCode,
      regionId: regions.id,
      regionName: regions.name,
      regionPath: regions.path,
      regionLevel: regions.level,
    })
    .from(organisations)
    .innerJoin(regions, eq(regions.id, organisations.regionId))
    .where(eq(organisations.id, orgId));
  return r ?? null;
}

/** The accounts that act for a filer: its office's staff, or its department's. */
export async function filerAccounts(db: Db | Tx, orgId: number, kind: FilerKind | 'office'): Promise<number[]> {
  const roles = kind === 'department' ? ['lead_department', 'cooperating_department'] : ['safety_office'];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.disabled, false), inArray(users.role, roles as never[])));
  return rows.map((r) => r.id);
}

export async function userName(db: Db | Tx, id: number | null): Promise<string | null> {
  if (!id) return null;
  const [u] = await db.select({ n: users.displayName }).from(users).where(eq(users.id, id));
  return u?.n ?? null;
}

export const KIND_ORDER: Record<FilingKind, number> = { plan: 0, standards: 1, demo_sites: 2, summary: 3 };
