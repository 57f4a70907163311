import { and, eq, inArray } from 'drizzle-orm';
import type { Actor, Chain, ChainStep, OwnershipContext } from '@pingan/core';
import { DEFAULT_CHAIN, allCriteria, departmentsOnCriteria, ownsCampaign, ownsStep, stepByKey } from '@pingan/core';
import type { Db, Tx } from '../db/client.js';
import { applications, campaigns, categories, expertAssignments, regions, standardVersions, subjects } from '../db/schema.js';
import { notFound } from '../errors.js';
import type { CurrentUser } from './scope.js';

/**
 * Ownership (who may act): the server's half of core/chain.ts. Scope says what an account may
 * see; this says which step of which application it may act on. Every use case that moves,
 * scores or decides asks here.
 */

export function actorOf(user: CurrentUser): Actor {
  return {
    userId: user.id,
    role: user.role,
    org: user.org
      ? { id: user.org.id, kind: user.org.kind as 'safety_office' | 'department', deptCode: user.org.deptCode, regionId: user.org.regionId }
      : null,
  };
}

/** The chain a campaign runs (campaigns made before chains run the default one). */
export function chainOf(c: { chain: Chain | null }): Chain {
  return c.chain ?? DEFAULT_CHAIN;
}

/** The step that holds an application now, or null when it is not in review. */
export function currentStep(chain: Chain, app: { status: string; step: string | null }): ChainStep | null {
  if (app.status !== 'submitted' && app.status !== 'preliminary_passed') return null;
  const byKey = stepByKey(chain, app.step);
  if (byKey) return byKey;
  // rows from before chains: the first step of the phase the status stands for
  const phase = app.status === 'submitted' ? 'preliminary' : 'evaluation';
  return chain.steps.find((s) => s.phase === phase) ?? null;
}

export interface OwnershipInfo {
  chain: Chain;
  campaign: { id: number; regionId: number; orgId: number; status: string; minNoticeDays: number; year: number };
  ctx: OwnershipContext;
  step: ChainStep | null;
}

/** Everything ownership needs about one application, in seven small queries. */
export async function loadOwnership(
  db: Db | Tx,
  app: {
    id: number;
    campaignId: number;
    subjectId: number;
    regionId: number;
    standardVersionId: number;
    categoryCode: string;
    status: string;
    step: string | null;
  },
): Promise<OwnershipInfo> {
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, app.campaignId));
  if (!c) throw notFound('创建活动');
  // one after another, not side by side: `db` may be a transaction, whose one connection takes a
  // query at a time (pg queues overlapping ones, deprecated, and pg 9 refuses them)
  const [region] = await db.select({ path: regions.path }).from(regions).where(eq(regions.id, app.regionId));
  const [cat] = await db.select({ lead: categories.leadDepts }).from(categories).where(eq(categories.code, app.categoryCode));
  const [version] = await db
    .select({ doc: standardVersions.doc })
    .from(standardVersions)
    .where(eq(standardVersions.id, app.standardVersionId));
  const [subject] = await db.select({ dept: subjects.supervisingDept }).from(subjects).where(eq(subjects.id, app.subjectId));
  const assigned = await db
    .select({ expertId: expertAssignments.expertId })
    .from(expertAssignments)
    .where(and(eq(expertAssignments.applicationId, app.id), eq(expertAssignments.status, 'open')));
  const ids = (region?.path ?? '').split('/').filter(Boolean).map(Number);
  const levels = ids.length ? await db.select({ id: regions.id, level: regions.level }).from(regions).where(inArray(regions.id, ids)) : [];
  const applicantRegions: OwnershipContext['applicantRegions'] = {};
  for (const r of levels) applicantRegions[r.level] = r.id;
  const criteria = version ? allCriteria(version.doc) : [];
  // the category's lead departments; and, where a standard names no department of its own (000
  // names only the office: 牵头部门 is the unit's industry department), the unit's supervising one
  const named = (version?.doc.responsible.lead.length ? version.doc.responsible.lead : (cat?.lead ?? [])).filter(
    (d) => d !== 'safety_office',
  );
  const leadDepts = [...new Set([...named, ...(subject?.dept ? [subject.dept] : [])])];
  const chain = chainOf(c);
  return {
    chain,
    campaign: { id: c.id, regionId: c.regionId, orgId: c.orgId, status: c.status, minNoticeDays: c.minNoticeDays, year: c.year },
    ctx: {
      campaignRegionId: c.regionId,
      applicantRegions,
      leadDepts,
      criteriaDepts: departmentsOnCriteria(criteria),
      assignedExperts: assigned.map((a) => a.expertId),
    },
    step: currentStep(chain, app),
  };
}

/** Whether the account owns the application's current step. */
export function ownsCurrentStep(user: CurrentUser, info: OwnershipInfo): boolean {
  return info.step !== null && ownsStep(actorOf(user), info.step, info.ctx);
}

/** Whether the account is the campaign's own office. */
export function isCampaignOffice(user: CurrentUser, info: Pick<OwnershipInfo, 'campaign'>): boolean {
  return ownsCampaign(actorOf(user), info.campaign.regionId);
}

/** Loads an application row by id (no scope check: callers check scope or ownership). */
export async function loadApplicationRow(db: Db | Tx, id: number) {
  const [app] = await db.select().from(applications).where(eq(applications.id, id));
  if (!app) throw notFound('申报');
  return app;
}
