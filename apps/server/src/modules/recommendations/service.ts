import { and, eq, sql } from 'drizzle-orm';
import { RULE_TEXT, checkNominations, checkRecommendation, type ChainRules, type RuleBroken } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { applicationEvents, applications, regions, signoffs } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { chainOf, loadOwnership } from '../../access/ownership.js';
import { enterChain } from '../applications/chain.js';
import { refreshRating } from '../applications/queries.js';
import { freezeRevision } from '../applications/revisions.js';
import { campaignAccess, getQuotas, type CampaignAccess, type Recommender } from '../quotas/service.js';
import { campaignById, campaignCategoryRows } from '../quotas/queries.js';
import {
  campaignCategory,
  copyApplicationContent,
  countRecommended,
  eligibleTitles,
  existingApplication,
  listRecommendations,
  nominationCounts,
  quotaFor,
  titleWithCampaign,
  type EligiblePage,
  type RecommenderKey,
} from './queries.js';

/**
 * 004 recommendations (推荐申报): a county office (or a lead department of the city) recommends a
 * unit it has named this year into the city's campaign, within its quota; a recommendation that
 * breaks a rule is refused with the rule named (422 RULE_BROKEN, details.rule). 002 nominations:
 * at least factor × the award quota before the office may evaluate.
 */

const keyOf = (r: Recommender, campaignRegionId: number): RecommenderKey =>
  r.kind === 'region' ? { kind: 'region', regionId: r.regionId } : { kind: 'department', deptCode: r.deptCode, campaignRegionId };

export const ruleBroken = (b: RuleBroken) => new AppError('RULE_BROKEN', b.message, { rule: b.rule });

/** The rules a recommender must meet, in the source's words, for this campaign. */
function ruleTexts(rules: ChainRules, year: number): string[] {
  const out: string[] = [];
  if (rules.entry === 'recommendation') out.push(`${RULE_TEXT.quota}：推荐数不超过分配的名额`);
  if (rules.lowerTitleRequired) out.push(`${RULE_TEXT.lowerTitle}：须为${year}年度县区级命名，且未被撤销、未受黄牌警告`);
  return out;
}

async function regionPath(db: Db | Tx, regionId: number): Promise<string> {
  const [r] = await db.select({ path: regions.path }).from(regions).where(eq(regions.id, regionId));
  return r?.path ?? '/nonexistent/';
}

interface Checked {
  broken: RuleBroken | null;
  categoryMissing: boolean;
}

/** Applies the rules to one title for one recommender; also used to preview the buttons. */
async function checkTitle(
  db: Db | Tx,
  a: CampaignAccess & { recommender: Recommender },
  title: NonNullable<Awaited<ReturnType<typeof titleWithCampaign>>>,
  lock: boolean,
): Promise<Checked> {
  const rules = chainOf(a.campaign).rules;
  const key = keyOf(a.recommender, a.campaign.regionId);
  const cc = await campaignCategory(db, a.campaign.id, title.t.categoryCode);
  if (!cc)
    return { categoryMissing: true, broken: { rule: RULE_TEXT.quota, message: `本创建活动未设「${title.t.categoryCode}」类别，不能推荐` } };
  const campaignPath = await regionPath(db, a.campaign.regionId);
  // conferred by the recommender's own naming round: the county's campaign, or (department) one inside the city
  const ownRound =
    a.recommender.kind === 'region'
      ? title.lowerCampaign.regionId === a.recommender.regionId
      : title.lowerCampaign.id !== a.campaign.id && title.lowerCampaignPath.startsWith(campaignPath);
  const quota = await quotaFor(db, a.campaign.id, title.t.categoryCode, key, lock);
  const already = await countRecommended(db, a.campaign.id, title.t.categoryCode, key);
  const broken = checkRecommendation({
    quota: quota?.count ?? null,
    alreadyRecommended: already,
    lowerTitleHeld: ownRound && title.t.status === 'valid' && title.t.revokedAt === null,
    lowerTitleYear: title.t.year,
    campaignYear: a.campaign.year,
    rules,
  });
  return { broken, categoryMissing: false };
}

/** A recommendation as the contract's answer carries it: timestamps as ISO text. */
const presentRecommendation = (r: Awaited<ReturnType<typeof listRecommendations>>[number]) => ({ ...r, submittedAt: iso(r.submittedAt) });

/** GET: for a recommender its quotas, recommendations, a page of its eligible titles and the rules; for the office all. */
export async function getRecommendations(db: Db, user: CurrentUser, campaignId: number, page: EligiblePage = { limit: 50, offset: 0 }) {
  const a = await campaignAccess(db, user, campaignId);
  const rules = chainOf(a.campaign).rules;
  const quotas = (await getQuotas(db, user, campaignId)).rows;
  const base = {
    campaign: { id: a.campaign.id, name: a.campaign.name, year: a.campaign.year, entry: rules.entry },
    rules: ruleTexts(rules, a.campaign.year),
    quotas,
  };
  if (a.office) {
    const all = await listRecommendations(db, campaignId, null);
    return {
      ...base,
      role: 'office' as const,
      recommender: null,
      recommendations: all.map(presentRecommendation),
      eligible: [],
      eligibleTotal: 0,
    };
  }
  const r = a.recommender!;
  const key = keyOf(r, a.campaign.regionId);
  const mine = await listRecommendations(db, campaignId, key);
  const { rows: titles, total: eligibleTotal } = await eligibleTitles(db, a.campaign, key, await regionPath(db, a.campaign.regionId), page);
  const cats = new Map((await campaignCategoryRows(db, campaignId)).map((c) => [c.code, c.name]));
  const recommendedSubjects = new Set(mine.filter((m) => m.status !== 'withdrawn').map((m) => `${m.categoryCode}|${m.subjectId}`));
  const eligible = [];
  for (const t of titles) {
    const full = (await titleWithCampaign(db, t.id))!;
    const already = recommendedSubjects.has(`${t.categoryCode}|${t.subjectId}`);
    const c = already ? null : await checkTitle(db, { ...a, recommender: r }, full, false);
    eligible.push({
      titleId: t.id,
      subjectName: t.subjectName,
      categoryCode: t.categoryCode,
      categoryName: cats.get(t.categoryCode) ?? t.categoryCode,
      titleName: t.titleName,
      year: t.year,
      certificateNo: t.certificateNo,
      recommended: already,
      problem: c?.broken ?? null,
    });
  }
  return {
    ...base,
    role: 'recommender' as const,
    recommender: { kind: r.kind, name: r.name },
    recommendations: mine.map(presentRecommendation),
    eligible,
    eligibleTotal,
  };
}

/** POST: recommend a titled unit into the campaign. */
export async function recommend(db: Db, user: CurrentUser, campaignId: number, titleId: number) {
  const a = await campaignAccess(db, user, campaignId);
  if (!a.recommender) throw forbidden('平安办不能向本级创建活动推荐，推荐由下级平安办或主责部门提出');
  const r = a.recommender;
  if (a.campaign.status !== 'active') throw new AppError('WRONG_STATUS', '该创建活动已撤销，不能推荐');
  const title = await titleWithCampaign(db, titleId);
  // a title outside the recommender's region is as if it did not exist
  const mine =
    r.kind === 'region'
      ? title?.t.regionPath.startsWith(await regionPath(db, r.regionId))
      : title?.t.regionPath.startsWith(await regionPath(db, a.campaign.regionId));
  if (!title || !mine) throw notFound('称号');
  const cc = await campaignCategory(db, campaignId, title.t.categoryCode);
  if (!cc) throw new AppError('VALIDATION', `本创建活动未设「${title.t.categoryCode}」类别，不能推荐`);
  const dup = await existingApplication(db, campaignId, title.t.categoryCode, title.t.subjectId);
  if (dup) throw new AppError('DUPLICATE', `该单位已在本创建活动中（申报编号${dup.id}），不能重复推荐`, { id: dup.id });

  return db.transaction(async (tx) => {
    const { broken } = await checkTitle(tx, { ...a, recommender: r }, title, true);
    if (broken) throw ruleBroken(broken);
    const [app] = await tx
      .insert(applications)
      .values({
        campaignId,
        categoryCode: title.t.categoryCode,
        standardVersionId: cc.cc.standardVersionId,
        subjectId: title.t.subjectId,
        regionId: title.app.regionId,
        regionPath: title.app.regionPath,
        supervisingDept: title.app.supervisingDept,
        status: 'submitted',
        recommendedByOrgId: r.orgId,
        lowerTitleId: title.t.id,
        form: title.app.form,
        contactPhone: title.app.contactPhone,
        submittedAt: new Date(),
        createdBy: user.id,
      })
      .returning();
    const copied = await copyApplicationContent(tx, title.app.id, app!.id, cc.cc.standardVersionId);
    await freezeRevision(tx, app!, user.id); // what was recommended is frozen as revision 1
    await tx.insert(applicationEvents).values({
      applicationId: app!.id,
      actorId: user.id,
      action: 'recommend',
      fromStatus: null,
      toStatus: 'submitted',
      reason: `${r.name}推荐（${title.t.titleName}，证书编号${title.t.certificateNo}）`,
    });
    const info = await loadOwnership(tx, app!);
    await enterChain(tx, app!, info);
    await refreshRating(tx, app!.id);
    const [now] = await tx
      .select({ status: applications.status, step: applications.step })
      .from(applications)
      .where(eq(applications.id, app!.id));
    return { id: app!.id, status: now!.status, step: now!.step, copied };
  });
}

/** DELETE: the recommender withdraws a recommendation while it is still at the first step. */
export async function withdrawRecommendation(db: Db, user: CurrentUser, campaignId: number, applicationId: number, reason: string) {
  const a = await campaignAccess(db, user, campaignId);
  if (!a.recommender) throw notFound('推荐');
  const key = keyOf(a.recommender, a.campaign.regionId);
  const mine = (await listRecommendations(db, campaignId, key)).find((x) => x.id === applicationId);
  if (!mine) throw notFound('推荐');
  const first = chainOf(a.campaign).steps[0]!;
  if (mine.status !== 'submitted' || mine.step !== first.key)
    throw new AppError('WRONG_STATUS', `只能在「${first.name}」之前撤回推荐，该申报已进入后续环节`);
  return db.transaction(async (tx) => {
    const done = await tx
      .update(applications)
      .set({ status: 'withdrawn', step: null, updatedAt: new Date(), revision: sql`${applications.revision} + 1` })
      .where(and(eq(applications.id, applicationId), eq(applications.status, 'submitted'), eq(applications.step, first.key)))
      .returning({ id: applications.id });
    if (!done.length) throw new AppError('CONFLICT', '申报状态已被他人更新，请刷新后重试');
    // open 会签 rows of a withdrawn recommendation are no one's work any more
    await tx.delete(signoffs).where(and(eq(signoffs.applicationId, applicationId), eq(signoffs.status, 'pending')));
    await tx.insert(applicationEvents).values({
      applicationId,
      actorId: user.id,
      action: 'withdraw_recommendation',
      fromStatus: 'submitted',
      toStatus: 'withdrawn',
      reason,
    });
    return { id: applicationId, status: 'withdrawn' as const };
  });
}

// ─────────────────────────── 002 nominations ───────────────────────────

async function nominationRows(db: Db | Tx, campaignId: number, factor: number, categoryCode?: string) {
  const cats = (await campaignCategoryRows(db, campaignId)).filter((c) => !categoryCode || c.code === categoryCode);
  const counts = new Map(
    (
      await nominationCounts(
        db,
        campaignId,
        cats.map((c) => c.code),
      )
    ).map((c) => [c.categoryCode, c.n]),
  );
  return cats.map((c) => {
    const nominated = counts.get(c.code) ?? 0;
    const r = checkNominations({ awardQuota: c.quota, nominated, factor });
    return {
      categoryCode: c.code,
      categoryName: c.name,
      awardQuota: c.quota,
      nominated,
      required: r.required,
      met: r.ok,
      message: r.message,
      rule: r.rule,
    };
  });
}

/** GET: per category the award quota, nominations, the requirement and whether it is met. */
export async function getNominations(db: Db, user: CurrentUser, campaignId: number) {
  const a = await campaignAccess(db, user, campaignId);
  const factor = chainOf(a.campaign).rules.nominationFactor;
  return {
    campaign: { id: a.campaign.id, name: a.campaign.name, year: a.campaign.year },
    factor,
    applies: factor !== null,
    categories: factor === null ? [] : await nominationRows(db, campaignId, factor),
  };
}

/**
 * Throws RULE_BROKEN when the campaign's chain has a nomination factor and the category has fewer
 * nominations than factor × the award quota. The office's evaluation decision calls this.
 */
export async function assertNominationRule(db: Db | Tx, campaignId: number, categoryCode: string): Promise<void> {
  const c = await campaignById(db, campaignId);
  if (!c) throw notFound('创建活动');
  const factor = chainOf(c).rules.nominationFactor;
  if (factor === null) return;
  const [row] = await nominationRows(db, campaignId, factor, categoryCode);
  if (row && !row.met) throw new AppError('RULE_BROKEN', `${row.message}，暂不能评定`, { rule: row.rule });
}
