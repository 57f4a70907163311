import { CHAIN_PRESETS, DEFAULT_CHAIN, campaignDateProblems, ownsCampaign, type Chain, type ChainInput } from '@pingan/core';
import { Chain as ChainSchema } from '@pingan/core';
import type { Db } from '../../db/client.js';
import type { CampaignPhase } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, chainOf } from '../../access/ownership.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import {
  campaignCategoryRows,
  campaignRows,
  campaignsWithApplications,
  conferredTitleCount,
  currentCategories,
  insertCampaign,
  loadCampaign,
  replaceCampaignCategories,
  standardVersionsByIds,
  updateCampaignRow,
  visibleCampaignIds,
  type CampaignRow,
} from './queries.js';

export { visibleCampaignIds };

export interface CampaignInput {
  name: string;
  year: number;
  applyDeadline: string;
  reviewDeadline: string;
  phases: CampaignPhase[];
  categories: { standardVersionId: number; quota?: number | null }[];
  chainPreset?: string | null;
  chain?: ChainInput | null;
  minNoticeDays?: number | null;
  parentCampaignId?: number | null;
}

export type CampaignUpdate = Partial<CampaignInput> & { revision?: number | null };

/** Thrown to applicants when a campaign takes no new applications. The lead's createApplication calls it. */
export function assertCampaignOpen(campaign: { status: string; name?: string }): void {
  if (campaign.status !== 'active')
    throw new AppError('WRONG_STATUS', `创建活动${campaign.name ? `「${campaign.name}」` : ''}已撤销，不再受理申报`);
}

/** The chain a new or edited campaign runs: the office's adjusted chain, else the named preset, else the default. */
export function resolveChain(input: { chainPreset?: string | null; chain?: ChainInput | null }): Chain {
  if (input.chain) {
    const parsed = ChainSchema.safeParse(input.chain);
    if (!parsed.success) throw new AppError('VALIDATION', `评审流程不正确：${parsed.error.issues.map((i) => i.message).join('；')}`);
    return parsed.data;
  }
  if (input.chainPreset) {
    const preset = CHAIN_PRESETS[input.chainPreset];
    if (!preset) throw new AppError('VALIDATION', `没有名为「${input.chainPreset}」的评审流程`);
    return preset;
  }
  return DEFAULT_CHAIN;
}

function assertDates(c: {
  year: number;
  applyDeadline: string;
  reviewDeadline: string;
  phases: readonly CampaignPhase[];
  chain: Chain;
}): void {
  const problems = campaignDateProblems({
    year: c.year,
    applyDeadline: c.applyDeadline,
    reviewDeadline: c.reviewDeadline,
    phases: c.phases,
    steps: c.chain.steps,
  });
  if (problems.length) throw new AppError('DATE_INVALID', problems.join('；'), { problems });
}

/** The campaign if this account is its own office; otherwise 404 as if it did not exist. */
export async function loadOwnedCampaign(db: Db, user: CurrentUser, id: number): Promise<CampaignRow & { regionPath: string }> {
  const c = await loadCampaign(db, id);
  if (!c || !ownsCampaign(actorOf(user), c.regionId)) throw notFound('创建活动');
  return c;
}

async function categoriesFor(db: Db, input: CampaignInput['categories']) {
  const versions = await standardVersionsByIds(
    db,
    input.map((c) => c.standardVersionId),
  );
  if (versions.length !== new Set(input.map((c) => c.standardVersionId)).size) throw notFound('标准版本');
  const codes = versions.map((v) => v.categoryCode);
  if (new Set(codes).size !== codes.length) throw new AppError('VALIDATION', '同一创建类别只能选择一个标准版本');
  return input.map((x) => ({
    categoryCode: versions.find((v) => v.id === x.standardVersionId)!.categoryCode,
    standardVersionId: x.standardVersionId,
    quota: x.quota ?? null,
  }));
}

async function checkParent(db: Db, user: CurrentUser, parentId: number | null | undefined): Promise<number | null> {
  if (!parentId) return null;
  const p = await loadCampaign(db, parentId);
  // the higher campaign: run by a region strictly above the office's own
  if (!p || !user.org || p.regionPath === user.org.regionPath || !user.org.regionPath.startsWith(p.regionPath))
    throw notFound('上级创建活动');
  return p.id;
}

/** Campaigns the account sees, with their chain and what it may do with them. */
export async function listCampaigns(db: Db, user: CurrentUser) {
  const ids = await visibleCampaignIds(db, user);
  if (!ids.length) return [];
  const [rows, cats, started] = await Promise.all([
    campaignRows(db, ids),
    campaignCategoryRows(db, ids),
    campaignsWithApplications(db, ids),
  ]);
  const actor = actorOf(user);
  return rows.map(({ c, regionName }) => {
    const owned = ownsCampaign(actor, c.regionId);
    const chain = chainOf(c);
    return {
      id: c.id,
      name: c.name,
      year: c.year,
      regionName,
      applyDeadline: c.applyDeadline,
      reviewDeadline: c.reviewDeadline,
      phases: c.phases,
      chain,
      minNoticeDays: c.minNoticeDays,
      parentCampaignId: c.parentCampaignId,
      status: c.status,
      withdrawnReason: c.withdrawnReason,
      revision: c.revision,
      owned,
      canEdit: owned && c.status === 'active',
      /** categories and chain are fixed once an application has left draft */
      structureLocked: started.has(c.id),
      categories: cats
        .filter((x) => x.cc.campaignId === c.id)
        .map((x) => ({
          code: x.cc.categoryCode,
          name: x.name,
          standardVersionId: x.cc.standardVersionId,
          standardTitle: x.standardTitle,
          version: x.version,
          quota: x.cc.quota,
          subjectKinds: x.who.subjectKinds,
          unitTypes: x.who.unitTypes ?? [],
        })),
    };
  });
}

/** A 平安办 opens a campaign for its own region, picking a review chain. */
export async function createCampaign(db: Db, user: CurrentUser, input: CampaignInput): Promise<{ id: number }> {
  requireRole(user, 'safety_office');
  if (!user.org || user.org.kind !== 'safety_office') throw notFound('创建活动');
  const chain = resolveChain(input);
  assertDates({ ...input, chain });
  const cats = await categoriesFor(db, input.categories);
  const parentCampaignId = await checkParent(db, user, input.parentCampaignId);
  const org = user.org;
  const id = await db.transaction((tx) =>
    insertCampaign(
      tx,
      {
        regionId: org.regionId,
        orgId: org.id,
        year: input.year,
        name: input.name,
        applyDeadline: input.applyDeadline,
        reviewDeadline: input.reviewDeadline,
        phases: input.phases,
        chain,
        minNoticeDays: input.minNoticeDays ?? 5,
        parentCampaignId,
        createdBy: user.id,
      },
      cats,
    ),
  );
  return { id };
}

/** JSON with object keys sorted: jsonb does not keep key order, so a stored chain must compare by content. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}
const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * The owner office edits its campaign. Name, dates, phases and the notice minimum may change
 * while the dates stay consistent; categories, standard versions and the chain only while no
 * application has left draft.
 */
export async function updateCampaign(
  db: Db,
  user: CurrentUser,
  id: number,
  input: CampaignUpdate,
): Promise<{ id: number; revision: number }> {
  const c = await loadOwnedCampaign(db, user, id);
  if (c.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤销，不能再编辑');
  if (input.revision != null && input.revision !== c.revision) throw new AppError('CONFLICT');
  const oldChain = chainOf(c);
  const chain = input.chain || input.chainPreset ? resolveChain(input) : oldChain;
  const next = {
    name: input.name ?? c.name,
    year: input.year ?? c.year,
    applyDeadline: input.applyDeadline ?? c.applyDeadline,
    reviewDeadline: input.reviewDeadline ?? c.reviewDeadline,
    phases: input.phases ?? c.phases,
    minNoticeDays: input.minNoticeDays ?? c.minNoticeDays,
  };
  assertDates({ ...next, chain });
  const oldCats = await currentCategories(db, id);
  const cats = input.categories ? await categoriesFor(db, input.categories) : null;
  const catsChanged =
    cats !== null &&
    !sameJson(
      cats.map((x) => [x.categoryCode, x.standardVersionId]).sort(),
      oldCats.map((x) => [x.categoryCode, x.standardVersionId]).sort(),
    );
  // the chain's structure (steps and owners) is fixed once applications run it; deadlines may move
  const structure = (ch: Chain) => ({ ...ch, steps: ch.steps.map((s) => ({ ...s, deadline: null })) });
  const chainChanged = !sameJson(structure(chain), structure(oldChain));
  if ((catsChanged || chainChanged) && (await campaignsWithApplications(db, [id])).has(id))
    throw new AppError(
      'WRONG_STATUS',
      catsChanged ? '已有申报提交，创建类别和标准版本不能再修改' : '已有申报提交，评审流程不能再修改（各步骤期限仍可调整）',
    );
  const parentCampaignId = input.parentCampaignId !== undefined ? await checkParent(db, user, input.parentCampaignId) : c.parentCampaignId;
  await db.transaction(async (tx) => {
    if (!(await updateCampaignRow(tx, id, c.revision, { ...next, chain, parentCampaignId }))) throw new AppError('CONFLICT');
    if (cats) await replaceCampaignCategories(tx, id, cats);
  });
  return { id, revision: c.revision + 1 };
}

/** The owner office withdraws (撤销) its campaign with a reason; refused once a title of it was conferred. */
export async function withdrawCampaign(
  db: Db,
  user: CurrentUser,
  id: number,
  reason: string,
): Promise<{ id: number; status: 'withdrawn' }> {
  const c = await loadOwnedCampaign(db, user, id);
  if (!reason.trim()) throw new AppError('REASON_REQUIRED', '撤销创建活动须填写理由');
  if (c.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤销');
  const n = await conferredTitleCount(db, id);
  if (n > 0) throw new AppError('WRONG_STATUS', `该创建活动已命名${n}个单位，不能撤销`);
  await db.transaction(async (tx) => {
    if (!(await updateCampaignRow(tx, id, c.revision, { status: 'withdrawn', withdrawnReason: reason.trim(), withdrawnAt: new Date() })))
      throw new AppError('CONFLICT');
  });
  return { id, status: 'withdrawn' };
}

/** The chain presets an office can start from. */
export function chainPresets() {
  return Object.values(CHAIN_PRESETS).map((c) => ({ ...c, isDefault: c.preset === DEFAULT_CHAIN.preset }));
}
