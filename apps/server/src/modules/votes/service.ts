import ExcelJS from 'exceljs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Rating } from '@pingan/core';
import {
  DEFAULT_FLAG_THRESHOLDS,
  STATUS_LABELS,
  VOTE_FLAG_LABELS,
  VOTE_SOURCE,
  choiceProblems,
  combinedFormulaText,
  combinedScore,
  flagBallots,
  maskName,
  ownsCampaign,
  tallyFromCounts,
  voteSettingProblems,
  voteState,
  type VoteFlag,
} from '@pingan/core';
import { inTurn, type Db, type Tx } from '../../db/client.js';
import { applications, ballots, campaignCategories, categories, campaigns, regions, voteCandidates, votes } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { Column, PageFn } from '../../http/xlsx.js';
import { today as clockToday } from '../../clock.js';
import { publicCode } from '../../crypto/codes.js';
import type { Keys } from '../../crypto/keys.js';
import type { CurrentUser } from '../../access/scope.js';
import { actorOf, chainOf, loadApplicationRow, loadOwnership, ownsCurrentStep } from '../../access/ownership.js';
import { advanceFromStep } from '../applications/chain.js';
import { stageOfStep, upsertReview } from '../applications/service.js';
import { consumeCode } from '../public/otp.js';
import { castBallot, deviceHash, networkHash, voterHash } from './ballot.js';
import {
  applicationsAtStep,
  ballotSignals,
  candidateRows,
  choicesOf,
  loadMeta,
  loadVote,
  loadVoteByCode,
  publicRegionLabels,
  saveMeta,
  voteCounts,
  voteRows,
  votesHolding,
  type VoteMeta,
} from './queries.js';

/**
 * 网络评选 (004: 实地核查、网络评选、媒体公示): the campaign office opens a vote over the candidates
 * at the chain's vote step, watches the tally and the anomaly flags (core votes.ts), sets flagged
 * ballots aside with a reason, closes the vote (early only with a reason) and applies the result:
 * each candidate's vote step passes through the chain's mover, exactly as the office's own 'pass'
 * at that step (applications/service.ts reviewApplication: a review on the step, then
 * advanceFromStep), with the votes and the combined score on the review and in the history.
 */

type Loaded = NonNullable<Awaited<ReturnType<typeof loadVote>>>;

/** Staff who may read votes: a safety office whose region holds the campaign's. 404 otherwise. */
function assertVisible(user: CurrentUser, v: Loaded): void {
  if (user.role !== 'safety_office' || user.org?.kind !== 'safety_office' || !v.campaignPath.startsWith(user.org.regionPath))
    throw notFound('网络评选');
}

const owns = (user: CurrentUser, v: Loaded) => ownsCampaign(actorOf(user), v.campaign.regionId);

async function visibleVote(db: Db | Tx, user: CurrentUser, id: number): Promise<Loaded> {
  const v = await loadVote(db, id);
  if (!v) throw notFound('网络评选');
  assertVisible(user, v);
  return v;
}

/** Only the campaign's own office acts on a vote; others who may see it get 403, the rest 404. */
async function ownedVote(db: Db | Tx, user: CurrentUser, id: number): Promise<Loaded> {
  const v = await visibleVote(db, user, id);
  if (!owns(user, v)) throw new AppError('FORBIDDEN', '只有创建活动所属平安办可以操作本次网络评选');
  return v;
}

const ratingPercentOf = (r: Rating | null) =>
  r && r.max > 0 ? combinedScore({ ratingTotal: r.total, ratingMax: r.max, voteIndex: 0, weightPercent: 0 }).ratingPercent : null;

/** The chain's vote step of a campaign, or null. */
function voteStepOf(c: { chain: typeof campaigns.$inferSelect.chain }) {
  return chainOf(c).steps.find((s) => s.kind === 'vote') ?? null;
}

// ───────────────────────────── staff: candidates and creation ─────────────────────────────

/** The applications at the campaign's vote step, for a new vote: only the campaign's own office. */
export async function candidatesForVote(db: Db, user: CurrentUser, campaignId: number) {
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!c || !ownsCampaign(actorOf(user), c.regionId)) throw notFound('创建活动');
  const step = voteStepOf(c);
  const cats = await db
    .select({ code: categories.code, name: categories.name })
    .from(campaignCategories)
    .innerJoin(categories, eq(categories.code, campaignCategories.categoryCode))
    .where(eq(campaignCategories.campaignId, campaignId))
    .orderBy(campaignCategories.id);
  const rows = step ? await applicationsAtStep(db, campaignId, step.key) : [];
  const held = await votesHolding(
    db,
    rows.map((r) => r.app.id),
  );
  return {
    campaign: { id: c.id, name: c.name },
    step: step ? { key: step.key, name: step.name } : null,
    categories: cats,
    items: rows.map((r) => ({
      applicationId: r.app.id,
      categoryCode: r.app.categoryCode,
      categoryName: r.categoryName,
      subjectName: r.subjectName,
      regionName: r.regionName,
      score: r.app.score,
      ratingPercent: ratingPercentOf(r.app.rating),
      inVote: held.find((h) => h.applicationId === r.app.id)?.title ?? null,
    })),
  };
}

export interface VoteInput {
  campaignId: number;
  categoryCode: string;
  title: string;
  body?: string | null;
  startsOn: string;
  endsOn: string;
  maxChoices: number;
  weightPercent: number;
  applicationIds?: number[];
}

/** Opens a vote over a category's candidates at the vote step (all of them, or those named). */
export async function createVote(db: Db, user: CurrentUser, input: VoteInput, asOf: { today?: string } = {}) {
  const today = asOf.today ?? clockToday();
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, input.campaignId));
  if (!c || !ownsCampaign(actorOf(user), c.regionId)) throw notFound('创建活动');
  if (c.status !== 'active') throw new AppError('WRONG_STATUS', '该创建活动已撤销，不能发起网络评选');
  const step = voteStepOf(c);
  if (!step) throw new AppError('VALIDATION', '本创建活动的评审流程没有“网络评选”步骤');
  const [cc] = await db
    .select()
    .from(campaignCategories)
    .where(and(eq(campaignCategories.campaignId, c.id), eq(campaignCategories.categoryCode, input.categoryCode)));
  if (!cc) throw new AppError('VALIDATION', `本创建活动未设「${input.categoryCode}」类别`);
  const ofCategory = await applicationsAtStep(db, c.id, step.key, eq(applications.categoryCode, input.categoryCode));
  let chosen = ofCategory;
  if (input.applicationIds) {
    const ids = [...new Set(input.applicationIds)];
    const missing = ids.filter((id) => !ofCategory.some((r) => r.app.id === id));
    if (missing.length) throw new AppError('VALIDATION', `申报${missing.join('、')}不在本类别的“${step.name}”步骤，不能作为候选对象`);
    chosen = ofCategory.filter((r) => ids.includes(r.app.id));
  }
  const problems = voteSettingProblems(
    {
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      maxChoices: input.maxChoices,
      weightPercent: input.weightPercent,
      candidates: chosen.length,
    },
    today,
  );
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), { problems });
  const held = await votesHolding(
    db,
    chosen.map((r) => r.app.id),
  );
  if (held.length) {
    const names = held.map((h) => `${chosen.find((r) => r.app.id === h.applicationId)?.subjectName}（${h.title}）`);
    throw new AppError('DUPLICATE', `以下候选对象已在进行中的网络评选中：${names.join('、')}`);
  }
  return db.transaction(async (tx) => {
    const [v] = await tx
      .insert(votes)
      .values({
        publicCode: publicCode(),
        campaignId: c.id,
        categoryCode: input.categoryCode,
        title: input.title.trim(),
        body: input.body?.trim() || null,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        maxChoices: input.maxChoices,
        weightPercent: input.weightPercent,
        createdBy: user.id,
      })
      .returning();
    await tx.insert(voteCandidates).values(chosen.map((r) => ({ voteId: v!.id, applicationId: r.app.id, publicCode: publicCode() })));
    return { id: v!.id, publicCode: v!.publicCode, candidates: chosen.length };
  });
}

// ───────────────────────────── staff: list and tally ─────────────────────────────

function requireOffice(user: CurrentUser): string {
  if (user.role !== 'safety_office' || user.org?.kind !== 'safety_office') throw notFound('网络评选');
  return user.org.regionPath;
}

export async function listVotes(db: Db, user: CurrentUser, q: { campaignId?: number; state?: string; limit: number; offset: number }) {
  const regionPath = requireOffice(user);
  const today = clockToday();
  const r = await voteRows(db, { regionPath, ...q, today });
  return {
    total: r.total,
    items: r.items.map((x) => ({
      id: x.v.id,
      publicCode: x.v.publicCode,
      campaignId: x.v.campaignId,
      campaignName: x.campaignName,
      categoryCode: x.v.categoryCode,
      categoryName: x.categoryName,
      title: x.v.title,
      startsOn: x.v.startsOn,
      endsOn: x.v.endsOn,
      maxChoices: x.v.maxChoices,
      weightPercent: x.v.weightPercent,
      status: x.v.status,
      state: voteState(x.v, today),
      candidates: x.candidates,
      ballots: x.ballots,
      setAside: x.setAside,
      applied: !!x.meta?.appliedAt,
      owned: ownsCampaign(actorOf(user), x.campaignRegionId),
    })),
  };
}

const STATE_ZH: Record<string, string> = {
  upcoming: '未开始',
  open: '投票中',
  counting: '待结束计票',
  closed: '已结束',
  cancelled: '已取消',
};

type VoteRow = Awaited<ReturnType<typeof listVotes>>['items'][number];

/** ?format=xlsx: every vote the list shows with the same filters, streamed (http/xlsx.ts). */
export function votesExport(db: Db, user: CurrentUser, q: { campaignId?: number; state?: string }) {
  const fetch: PageFn<VoteRow> = async (offset, limit) => (await listVotes(db, user, { ...q, limit, offset })).items;
  const columns: Column<VoteRow>[] = [
    { header: '编号', width: 8, value: (v) => v.id },
    { header: '评选标题', width: 36, value: (v) => v.title },
    { header: '创建活动', width: 36, value: (v) => v.campaignName },
    { header: '类别', width: 12, value: (v) => v.categoryName },
    { header: '开始日期', width: 12, value: (v) => v.startsOn },
    { header: '结束日期', width: 12, value: (v) => v.endsOn },
    { header: '状态', width: 12, value: (v) => STATE_ZH[v.state] },
    { header: '候选对象数', width: 10, value: (v) => v.candidates },
    { header: '每人可选', width: 10, value: (v) => v.maxChoices },
    { header: '权重%', width: 8, value: (v) => v.weightPercent },
    { header: '有效选票', width: 10, value: (v) => v.ballots },
    { header: '已剔除', width: 8, value: (v) => v.setAside },
    { header: '结果已应用', width: 10, value: (v) => (v.applied ? '是' : '否') },
  ];
  return { columns, fetch };
}

/** The flags of a vote's ballots, live from the ballots (stored on the ballots at the close). */
async function flagsOf(db: Db | Tx, voteId: number) {
  const signals = await ballotSignals(db, voteId);
  return { signals, result: flagBallots(signals) };
}

/** A group's short label: the minute in China's time, or the first characters of the keyed hash. */
const shortKey = (flag: VoteFlag, key: string) =>
  flag === 'time_cluster' ? new Date(key).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16) : key.slice(0, 8);

/** The tally (both figures, the combined score) and the flag groups of a vote. */
async function tallyOf(db: Db | Tx, v: Loaded) {
  const [cands, counts, flags, meta] = await inTurn(
    () => candidateRows(db, v.v.id),
    () => voteCounts(db, v.v.id),
    () => flagsOf(db, v.v.id),
    () => loadMeta(db, v.v.id),
  );
  const chainStep = voteStepOf(v.campaign);
  const tally = tallyFromCounts(
    cands.map((c) => c.id),
    counts.counts,
    counts.ballotsAll,
    counts.ballotsSetAside,
  );
  const setAsideIds = new Set(flags.signals.filter((s) => s.setAside).map((s) => s.id));
  const candidates = cands.map((c, i) => {
    const t = tally.candidates[i]!;
    const r = c.app.rating;
    const cs =
      r && r.max > 0
        ? combinedScore({ ratingTotal: r.total, ratingMax: r.max, voteIndex: t.index, weightPercent: v.v.weightPercent })
        : null;
    return {
      ...t,
      publicCode: c.publicCode,
      applicationId: c.applicationId,
      subjectName: c.subjectName,
      regionName: c.regionName,
      status: c.app.status,
      atVoteStep: c.app.status === 'preliminary_passed' && !!chainStep && c.app.step === chainStep.key,
      ratingPercent: cs?.ratingPercent ?? null,
      combined: cs?.combined ?? null,
    };
  });
  const groups = flags.result.groups.map((g) => ({
    flag: g.flag,
    key: g.key,
    label: shortKey(g.flag, g.key),
    ballots: g.ballotIds.length,
    setAside: g.ballotIds.filter((id) => setAsideIds.has(id)).length,
    from: iso(g.from),
    to: iso(g.to),
  }));
  return { cands, tally: { ...tally, candidates }, flags, groups, meta };
}

export async function getVote(db: Db, user: CurrentUser, id: number) {
  const v = await visibleVote(db, user, id);
  const today = clockToday();
  const t = await tallyOf(db, v);
  const state = voteState(v.v, today);
  const owned = owns(user, v);
  const applied = !!t.meta.appliedAt;
  return {
    id: v.v.id,
    publicCode: v.v.publicCode,
    campaignId: v.v.campaignId,
    campaignName: v.campaign.name,
    categoryCode: v.v.categoryCode,
    categoryName: v.categoryName,
    title: v.v.title,
    body: v.v.body,
    startsOn: v.v.startsOn,
    endsOn: v.v.endsOn,
    maxChoices: v.v.maxChoices,
    weightPercent: v.v.weightPercent,
    status: v.v.status,
    state,
    candidates: t.cands.length,
    ballots: t.tally.ballotsAll,
    setAside: t.tally.ballotsSetAside,
    applied,
    owned,
    closedAt: iso(v.v.closedAt),
    closeReason: t.meta.closeReason ?? null,
    appliedAt: t.meta.appliedAt ?? null,
    tally: t.tally,
    flags: {
      flaggedBallots: t.flags.result.flags.size,
      medianPerMinute: t.flags.result.medianPerMinute,
      clusterThreshold: t.flags.result.clusterThreshold,
      thresholds: DEFAULT_FLAG_THRESHOLDS,
      groups: t.groups,
    },
    canSetAside: owned && v.v.status === 'open',
    canClose: owned && v.v.status === 'open',
    closeNeedsReason: today <= v.v.endsOn,
    canApply: owned && v.v.status === 'closed' && !applied && t.tally.candidates.some((c) => c.atVoteStep),
    formula: `综合得分 = (1 − 权重) × 评分（得分率%） + 权重 × 得票指数（得票 ÷ 最高得票 × 100）。依据：${VOTE_SOURCE}`,
  };
}

/** The tally as Excel: one sheet per candidate figures, one of the flag groups. */
export async function voteXlsx(db: Db, user: CurrentUser, id: number): Promise<{ data: Buffer; fileName: string }> {
  const d = await getVote(db, user, id);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('计票结果');
  ws.addRow([d.title]).font = { bold: true, size: 13 };
  ws.addRow([`${d.campaignName}  ${d.categoryName}  ${d.startsOn} 至 ${d.endsOn}  状态：${STATE_ZH[d.state]}`]);
  ws.addRow([
    `有效选票 ${d.tally.ballotsAll} 张，剔除异常选票 ${d.tally.ballotsSetAside} 张，计入 ${d.tally.ballotsCounted} 张；每人可选 ${d.maxChoices} 个；网络评选权重 ${d.weightPercent}%`,
  ]);
  ws.addRow([]);
  const header = ws.addRow([
    '名次',
    '候选对象',
    '所在区域',
    '全部有效票得票',
    '剔除后得票',
    '得票率%',
    '得票指数',
    '评分得分率%',
    '综合得分',
    '申报状态',
  ]);
  header.font = { bold: true };
  for (const c of [...d.tally.candidates].sort((a, b) => a.rank - b.rank))
    ws.addRow([
      c.rank,
      c.subjectName,
      c.regionName,
      c.votesAll,
      c.votes,
      c.sharePercent,
      c.index,
      c.ratingPercent ?? '',
      c.combined ?? '',
      STATUS_LABELS[c.status].zh,
    ]);
  ws.addRow([]);
  ws.addRow([d.formula]);
  ws.columns.forEach((col, i) => (col.width = [6, 30, 18, 14, 12, 10, 10, 12, 10, 14][i] ?? 12));
  const fs = wb.addWorksheet('异常标记');
  fs.addRow(['异常类型', '分组', '选票数', '已剔除', '最早', '最晚']).font = { bold: true };
  for (const g of d.flags.groups) fs.addRow([VOTE_FLAG_LABELS[g.flag].zh, g.label, g.ballots, g.setAside, fmt(g.from), fmt(g.to)]);
  fs.columns.forEach((col, i) => (col.width = [18, 22, 10, 10, 18, 18][i] ?? 12));
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), fileName: `网络评选计票-${d.title}.xlsx` };
}

const fmt = (t: string | Date | null) => (t ? new Date(t).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 19) : '');

/** Flagged (and set-aside) ballots, by flag, group or set-aside state, paged. */
export async function listBallots(
  db: Db,
  user: CurrentUser,
  id: number,
  q: { flag?: VoteFlag; group?: string; setAside?: 'true' | 'false'; limit: number; offset: number },
) {
  const v = await visibleVote(db, user, id);
  const { signals, result } = await flagsOf(db, v.v.id);
  const inGroup = q.group
    ? new Set(result.groups.filter((g) => g.key === q.group && (!q.flag || g.flag === q.flag)).flatMap((g) => g.ballotIds))
    : null;
  const rows = signals.filter((s) => {
    const f = result.flags.get(s.id) ?? [];
    if (!f.length && !s.setAside) return false;
    if (q.flag && !f.includes(q.flag)) return false;
    if (inGroup && !inGroup.has(s.id)) return false;
    if (q.setAside && String(s.setAside) !== q.setAside) return false;
    return true;
  });
  const page = rows.slice(q.offset, q.offset + q.limit);
  const [choices, cands] = await Promise.all([
    choicesOf(
      db,
      page.map((s) => s.id),
    ),
    candidateRows(db, v.v.id),
  ]);
  const names = new Map(cands.map((c) => [c.id, c.subjectName]));
  return {
    total: rows.length,
    items: page.map((s) => ({
      id: s.id,
      createdAt: iso(s.createdAt),
      flags: result.flags.get(s.id) ?? [],
      network: s.networkHash.slice(0, 8),
      device: s.deviceHash.slice(0, 8),
      setAside: s.setAside,
      setAsideReason: s.setAsideReason,
      choices: (choices.get(s.id) ?? []).map((c) => names.get(c) ?? String(c)),
    })),
  };
}

// ───────────────────────────── staff: set aside, close, apply ─────────────────────────────

async function countSetAside(tx: Db | Tx, voteId: number): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(ballots)
    .where(and(eq(ballots.voteId, voteId), eq(ballots.setAside, true)));
  return r?.n ?? 0;
}

function assertTallyOpen(v: Loaded): void {
  if (v.v.status !== 'open') throw new AppError('WRONG_STATUS', '投票已结束，计票结果已冻结，不能再剔除或恢复选票');
}

/** Sets flagged ballots aside with a reason: only ballots the anomaly check flagged, while the tally is open. */
export async function setAsideBallots(db: Db, user: CurrentUser, id: number, input: { ballotIds: number[]; reason: string }) {
  const v = await ownedVote(db, user, id);
  assertTallyOpen(v);
  const ids = [...new Set(input.ballotIds)];
  return db.transaction(async (tx) => {
    const { signals, result } = await flagsOf(tx, v.v.id);
    const mine = new Set(signals.map((s) => s.id));
    const foreign = ids.filter((b) => !mine.has(b));
    if (foreign.length) throw new AppError('VALIDATION', `选票${foreign.slice(0, 10).join('、')}不属于本次网络评选`);
    const unflagged = ids.filter((b) => !result.flags.has(b));
    if (unflagged.length)
      throw new AppError('VALIDATION', `只能剔除被标记为异常的选票；选票${unflagged.slice(0, 10).join('、')}没有异常标记`, { unflagged });
    let changed = 0;
    // one statement per combination of flags: the flags the decision rested on are kept on the ballot
    const byFlags = new Map<string, number[]>();
    for (const b of ids) {
      const k = result.flags.get(b)!.join(',');
      byFlags.set(k, [...(byFlags.get(k) ?? []), b]);
    }
    for (const [k, list] of byFlags) {
      const done = await tx
        .update(ballots)
        .set({ setAside: true, setAsideReason: input.reason, setAsideBy: user.id, flags: k.split(',') })
        .where(and(eq(ballots.voteId, v.v.id), inArray(ballots.id, list), eq(ballots.setAside, false)))
        .returning({ id: ballots.id });
      changed += done.length;
    }
    await tx
      .update(votes)
      .set({ revision: sql`${votes.revision} + 1` })
      .where(eq(votes.id, v.v.id));
    return { changed, ballotsSetAside: await countSetAside(tx, v.v.id) };
  });
}

/** Counts set-aside ballots again. */
export async function restoreBallots(db: Db, user: CurrentUser, id: number, input: { ballotIds: number[] }) {
  const v = await ownedVote(db, user, id);
  assertTallyOpen(v);
  const ids = [...new Set(input.ballotIds)];
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ id: ballots.id })
      .from(ballots)
      .where(and(eq(ballots.voteId, v.v.id), inArray(ballots.id, ids)));
    const foreign = ids.filter((b) => !found.some((f) => f.id === b));
    if (foreign.length) throw new AppError('VALIDATION', `选票${foreign.slice(0, 10).join('、')}不属于本次网络评选`);
    const done = await tx
      .update(ballots)
      .set({ setAside: false, setAsideReason: null, setAsideBy: null })
      .where(and(eq(ballots.voteId, v.v.id), inArray(ballots.id, ids), eq(ballots.setAside, true)))
      .returning({ id: ballots.id });
    await tx
      .update(votes)
      .set({ revision: sql`${votes.revision} + 1` })
      .where(eq(votes.id, v.v.id));
    return { changed: done.length, ballotsSetAside: await countSetAside(tx, v.v.id) };
  });
}

/**
 * Closes the vote and freezes the tally: no ballot, set-aside or restore after this. Before the end
 * of the period (endsOn included) only with a reason. The flags as they stand are written on the
 * ballots, so the record does not depend on later changes to the thresholds.
 */
export async function closeVote(db: Db, user: CurrentUser, id: number, input: { reason?: string | null }, asOf: { today?: string } = {}) {
  const v = await ownedVote(db, user, id);
  const today = asOf.today ?? clockToday();
  if (v.v.status !== 'open') throw new AppError('WRONG_STATUS', '本次网络评选已结束');
  const reason = input.reason?.trim() || null;
  const early = today <= v.v.endsOn;
  if (early && !reason) throw new AppError('REASON_REQUIRED', `投票期至${v.v.endsOn}结束，提前结束须填写理由`);
  return db.transaction(async (tx) => {
    const closedAt = new Date();
    const done = await tx
      .update(votes)
      .set({ status: 'closed', closedAt, revision: sql`${votes.revision} + 1` })
      .where(and(eq(votes.id, v.v.id), eq(votes.status, 'open')))
      .returning({ id: votes.id });
    if (!done.length) throw new AppError('CONFLICT', '本次网络评选已被他人更新，请刷新后重试');
    const { result } = await flagsOf(tx, v.v.id);
    const byFlags = new Map<string, number[]>();
    for (const [b, f] of result.flags) byFlags.set(f.join(','), [...(byFlags.get(f.join(',')) ?? []), b]);
    for (const [k, list] of byFlags)
      for (let i = 0; i < list.length; i += 1000)
        await tx
          .update(ballots)
          .set({ flags: k.split(',') })
          .where(and(eq(ballots.voteId, v.v.id), inArray(ballots.id, list.slice(i, i + 1000))));
    const meta = await loadMeta(tx, v.v.id);
    await saveMeta(tx, v.v.id, { ...meta, closedEarly: early, closeReason: reason, closedBy: user.id }, user.id);
    return { id: v.v.id, status: 'closed' as const, closedAt: iso(closedAt) };
  });
}

/**
 * Applies the frozen result: for every candidate still at the vote step, the office's review on
 * that step records the votes (without set-aside ballots), the share, the rank and the combined
 * score, and the chain's mover passes the step (advanceFromStep: the 'pass:<step>' event carries
 * the same text), as the office's own pass at a vote step does. Candidates no longer at the step
 * (withdrawn, returned, already passed by hand) are left as they are and reported.
 */
export async function applyVoteResult(db: Db, user: CurrentUser, id: number) {
  const v = await ownedVote(db, user, id);
  if (v.v.status !== 'closed') throw new AppError('WRONG_STATUS', '投票结束后才能应用评选结果');
  return db.transaction(async (tx) => {
    // one apply at a time: the vote row is locked, the meta read again under the lock
    await tx.select({ id: votes.id }).from(votes).where(eq(votes.id, v.v.id)).for('update');
    const meta = await loadMeta(tx, v.v.id);
    if (meta.appliedAt) throw new AppError('WRONG_STATUS', '本次网络评选的结果已应用');
    const t = await tallyOf(tx, v);
    const n = t.tally.candidates.length;
    const out = [];
    for (const c of t.tally.candidates) {
      const app = await loadApplicationRow(tx, c.applicationId);
      const info = await loadOwnership(tx, app);
      const base = { applicationId: c.applicationId, subjectName: c.subjectName, votes: c.votes, combined: c.combined };
      if (info.step?.kind !== 'vote' || !ownsCurrentStep(user, info)) {
        out.push({
          ...base,
          passed: false,
          note: `申报已不在“网络评选”步骤（当前：${info.step?.name ?? STATUS_LABELS[app.status].zh}），未作变更`,
        });
        continue;
      }
      const r = app.rating;
      const formula =
        r && r.max > 0 && c.ratingPercent !== null && c.combined !== null
          ? combinedFormulaText(v.v.weightPercent, c.ratingPercent, c.index, c.combined)
          : '无评分，未计算综合得分';
      const text =
        `网络评选「${v.v.title}」：得票${c.votes}票（计入选票${t.tally.ballotsCounted}张，得票率${c.sharePercent}%，` +
        `剔除异常选票${t.tally.ballotsSetAside}张；全部有效选票中得票${c.votesAll}票），在${n}个候选对象中列第${c.rank}位；` +
        `网络评选权重${v.v.weightPercent}%，${formula}`;
      await upsertReview(
        tx,
        {
          applicationId: app.id,
          step: info.step.key,
          stage: stageOfStep(info.step),
          reviewerId: user.id,
          orgId: user.org?.id ?? null,
          comment: text,
        },
        [],
      );
      await advanceFromStep(tx, user.id, app, info, text);
      out.push({ ...base, passed: true, note: null });
    }
    await saveMeta(tx, v.v.id, { ...meta, appliedAt: new Date().toISOString(), appliedBy: user.id } satisfies VoteMeta, user.id);
    await tx
      .update(votes)
      .set({ revision: sql`${votes.revision} + 1` })
      .where(eq(votes.id, v.v.id));
    return { applied: out };
  });
}

// ───────────────────────────── the public ─────────────────────────────

/** Open, upcoming and closed votes (never cancelled ones), newest first, paged. */
export async function publicVoteList(db: Db, page: { limit: number; offset: number }) {
  const today = clockToday();
  const where = and(inArray(votes.status, ['open', 'closed']), eq(campaigns.status, 'active'));
  const [rows, [n]] = await Promise.all([
    db
      .select({
        v: votes,
        regionName: regions.name,
        categoryName: categories.name,
        candidates: sql<number>`(select count(*)::int from ${voteCandidates} where ${voteCandidates.voteId} = ${votes.id})`,
      })
      .from(votes)
      .innerJoin(campaigns, eq(campaigns.id, votes.campaignId))
      .innerJoin(regions, eq(regions.id, campaigns.regionId))
      .innerJoin(categories, eq(categories.code, votes.categoryCode))
      .where(where)
      .orderBy(sql`case when ${votes.status} = 'open' then 0 else 1 end`, sql`${votes.endsOn} desc`, sql`${votes.id} desc`)
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(votes)
      .innerJoin(campaigns, eq(campaigns.id, votes.campaignId))
      .where(where),
  ]);
  return {
    total: n?.n ?? 0,
    items: rows.map((r) => ({
      code: r.v.publicCode,
      title: r.v.title,
      regionName: r.regionName,
      categoryName: r.categoryName,
      startsOn: r.v.startsOn,
      endsOn: r.v.endsOn,
      state: voteState(r.v, today),
      candidates: r.candidates,
      maxChoices: r.v.maxChoices,
    })),
  };
}

/**
 * One vote by its public code: candidates by their own public codes, households and persons masked,
 * regions to the township. Counts only once the vote is closed: while it runs nobody sees how the
 * candidates stand, so an early lead neither sways voters nor tells a canvasser how many to bring.
 */
export async function publicVoteDetail(db: Db, code: string) {
  const v = await loadVoteByCode(db, code);
  if (!v || v.v.status === 'cancelled' || v.campaign.status !== 'active') throw notFound('网络评选');
  const today = clockToday();
  const state = voteState(v.v, today);
  const [cands, meta] = await Promise.all([candidateRows(db, v.v.id), loadMeta(db, v.v.id)]);
  const labels = await publicRegionLabels(
    db,
    cands.map((c) => c.regionPath),
  );
  const closed = state === 'closed';
  const counts = closed ? await voteCounts(db, v.v.id) : null;
  const tally = counts
    ? tallyFromCounts(
        cands.map((c) => c.id),
        counts.counts,
        counts.ballotsAll,
        counts.ballotsSetAside,
      )
    : null;
  return {
    code: v.v.publicCode,
    title: v.v.title,
    body: v.v.body,
    campaignName: v.campaign.name,
    regionName: v.regionName,
    categoryName: v.categoryName,
    startsOn: v.v.startsOn,
    endsOn: v.v.endsOn,
    state,
    maxChoices: v.v.maxChoices,
    weightPercent: v.v.weightPercent,
    closedEarly: closed && !!meta.closedEarly,
    candidates: cands.map((c, i) => ({
      code: c.publicCode,
      name: maskName(c.subjectName, c.subjectKind),
      regionName: labels.get(c.regionPath) ?? '',
      votes: tally ? tally.candidates[i]!.votes : null,
      sharePercent: tally ? tally.candidates[i]!.sharePercent : null,
      rank: tally ? tally.candidates[i]!.rank : null,
    })),
    totals: tally ? { ballots: tally.ballotsAll, setAside: tally.ballotsSetAside, counted: tally.ballotsCounted } : null,
  };
}

export interface ClientSignals {
  ip: string;
  userAgent: string | null;
  acceptLanguage: string | null;
}

/**
 * A member of the public votes: the vote must be open, the choices valid, the SMS code right (it is
 * used up here); then one ballot per phone per vote (ballot.ts). The phone is not stored: only the
 * voter's keyed hash, the network's and the device's.
 */
export async function castPublicBallot(
  db: Db,
  keys: Keys,
  code: string,
  input: { phone: string; smsCode: string; choices: string[] },
  client: ClientSignals,
) {
  const v = await loadVoteByCode(db, code);
  if (!v || v.v.status === 'cancelled' || v.campaign.status !== 'active') throw notFound('网络评选');
  const today = clockToday();
  const state = voteState(v.v, today);
  if (state === 'upcoming') throw new AppError('WRONG_STATUS', `本次网络评选投票尚未开始（${v.v.startsOn}开始）`);
  if (state !== 'open') throw new AppError('WRONG_STATUS', '本次网络评选投票已结束');
  const cands = await candidateRows(db, v.v.id);
  const choices = input.choices.map((c) => c.trim().toUpperCase());
  const problems = choiceProblems(
    choices,
    cands.map((c) => c.publicCode),
    v.v.maxChoices,
  );
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'));
  const phoneH = await consumeCode(db, keys, { phone: input.phone, purpose: 'vote', code: input.smsCode });
  const cast = await castBallot(
    db,
    {
      voteId: v.v.id,
      voterHash: voterHash(keys, v.v.id, phoneH),
      networkHash: networkHash(keys, v.v.id, client.ip),
      deviceHash: deviceHash(keys, v.v.id, client.userAgent, client.acceptLanguage),
      candidateIds: choices.map((c) => cands.find((x) => x.publicCode === c)!.id),
    },
    today,
  );
  return { ok: true as const, choices: choices.length, at: iso(cast.at) };
}
