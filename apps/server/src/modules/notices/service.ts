import { earliestNoticeEnd, isRealDate, maskName, noticeDateProblems, ownsCampaign } from '@pingan/core';
import type { ApplicationStatus } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { countsByApplication, openCountsByApplication } from '../objections/queries.js';
import { issueTitle } from '../titles/issue.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf } from '../../access/ownership.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import { today as todayInShanghai, transition } from '../applications/service.js';
import { loadCampaign } from '../campaigns/queries.js';
import {
  applicationsByIds,
  candidateRows,
  insertNotice,
  itemsToConfer,
  loadNotice,
  markItemRemoved,
  noticeItemRows,
  noticesInRegion,
  organisationName,
  publicNoticeRow,
  publicNoticeRows,
  returnItemsToEvaluated,
  updateNoticeRow,
} from './queries.js';

export interface NoticeInput {
  campaignId: number;
  title: string;
  body?: string | null;
  startsOn: string;
  endsOn: string;
  applicationIds: number[];
}

/** `today` may be set by the demo seed to publish and confer "as of" a past day; requests never set it. */
export interface AsOf {
  today?: string;
}

function assertNoticeDates(startsOn: string, endsOn: string, today: string, minDays: number): void {
  const problems = noticeDateProblems(startsOn, endsOn, today, minDays);
  if (problems.length)
    throw new AppError('DATE_INVALID', problems.join('；'), {
      problems,
      earliestEnd: isRealDate(startsOn) ? earliestNoticeEnd(startsOn, minDays) : null,
    });
}

/** The notice if this account is its campaign's own office; otherwise 404. */
async function loadOwnedNotice(db: Db, user: CurrentUser, id: number) {
  const n = await loadNotice(db, id);
  if (!n || !ownsCampaign(actorOf(user), n.campaignRegionId)) throw notFound('公示');
  return n;
}

/** The campaign's own 平安办 publishes evaluated applications for public notice (公示). */
export async function publishNotice(db: Db, user: CurrentUser, input: NoticeInput, asOf: AsOf = {}) {
  requireRole(user, 'safety_office');
  const campaign = await loadCampaign(db, input.campaignId);
  if (!campaign || !ownsCampaign(actorOf(user), campaign.regionId)) throw notFound('创建活动');
  if (campaign.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤销，不能发布公示');
  assertNoticeDates(input.startsOn, input.endsOn, asOf.today ?? todayInShanghai(), campaign.minNoticeDays);
  const ids = [...new Set(input.applicationIds)];
  const apps = await applicationsByIds(db, ids);
  if (apps.length !== ids.length) throw notFound('申报');
  for (const a of apps) {
    if (a.campaignId !== campaign.id) throw notFound('申报');
    if (a.status !== 'evaluated') throw new AppError('WRONG_STATUS', `申报${a.id}尚未完成综合评定或已在公示中，不能公示`);
  }
  return db.transaction(async (tx) => {
    const id = await insertNotice(
      tx,
      {
        campaignId: campaign.id,
        regionId: campaign.regionId,
        orgId: campaign.orgId,
        title: input.title,
        body: input.body ?? null,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        publishedBy: user.id,
      },
      ids,
    );
    for (const a of apps) await transition(tx, user, a, 'publish', `列入公示：${input.title}`);
    return { id };
  });
}

export interface NoticeUpdate {
  title?: string;
  body?: string | null;
  endsOn?: string;
  revision?: number | null;
}

/** The owner office edits a notice: its title and text, and its end only later, never below the minimum. */
export async function updateNotice(db: Db, user: CurrentUser, id: number, input: NoticeUpdate) {
  const { n, minNoticeDays } = await loadOwnedNotice(db, user, id);
  if (n.status !== 'active') throw new AppError('WRONG_STATUS', '公示已撤销，不能再编辑');
  if (input.revision != null && input.revision !== n.revision) throw new AppError('CONFLICT');
  const today = todayInShanghai();
  if (today > n.endsOn) throw new AppError('WRONG_STATUS', `公示已于${n.endsOn}结束，不能再编辑`);
  const endsOn = input.endsOn ?? n.endsOn;
  if (endsOn < n.endsOn) throw new AppError('DATE_INVALID', `公示结束日期只能延后，不能早于原定的${n.endsOn}`);
  // the start may lie in the past by now: check the length from the start, not the start itself
  assertNoticeDates(n.startsOn, endsOn, n.startsOn, minNoticeDays);
  const ok = await updateNoticeRow(db, id, n.revision, {
    title: input.title ?? n.title,
    body: input.body === undefined ? n.body : input.body,
    endsOn,
  });
  if (!ok) throw new AppError('CONFLICT');
  return { id, revision: n.revision + 1 };
}

/**
 * The owner office withdraws a whole notice (撤销公示) with a reason, only before it has ended and
 * while nothing on it was conferred: every name still in notice goes back to 评定完成.
 */
export async function withdrawNotice(db: Db, user: CurrentUser, id: number, reason: string) {
  const { n } = await loadOwnedNotice(db, user, id);
  const why = reason.trim();
  if (!why) throw new AppError('REASON_REQUIRED', '撤销公示须填写理由');
  if (n.status !== 'active') throw new AppError('WRONG_STATUS', '公示已撤销');
  if (todayInShanghai() > n.endsOn) throw new AppError('WRONG_STATUS', `公示已于${n.endsOn}结束，不能撤销`);
  const items = await noticeItemRows(db, id);
  if (items.some((i) => i.status === 'conferred' && !i.removedAt)) throw new AppError('WRONG_STATUS', '公示中已有单位被命名，不能撤销');
  return db.transaction(async (tx) => {
    if (!(await updateNoticeRow(tx, id, n.revision, { status: 'withdrawn', withdrawnReason: why }))) throw new AppError('CONFLICT');
    const returned = await returnItemsToEvaluated(tx, id, user.id, `撤销公示「${n.title}」：${why}`);
    return { id, status: 'withdrawn' as const, returned };
  });
}

/**
 * The owner office takes one candidate off a notice during 公示: 撤回 (withdrawn, e.g. on an upheld
 * objection) or 退回 (returned to the applicant for changes), with a reason recorded on the
 * application's history and on the notice item.
 */
export async function removeNoticeItem(
  db: Db,
  user: CurrentUser,
  noticeId: number,
  applicationId: number,
  input: { action: 'withdraw' | 'return'; reason: string },
) {
  const { n } = await loadOwnedNotice(db, user, noticeId);
  if (n.status !== 'active') throw new AppError('WRONG_STATUS', '公示已撤销');
  const why = input.reason.trim();
  if (!why) throw new AppError('REASON_REQUIRED', input.action === 'withdraw' ? '撤回须填写理由' : '退回须填写理由');
  const item = (await noticeItemRows(db, noticeId)).find((i) => i.applicationId === applicationId);
  if (!item) throw notFound('公示对象');
  if (item.removedAt) throw new AppError('WRONG_STATUS', '该对象已撤回');
  const [app] = await applicationsByIds(db, [applicationId]);
  if (!app) throw notFound('申报');
  if (app.status !== 'in_notice') throw new AppError('WRONG_STATUS', '该对象不在公示中（可能已命名），不能撤回或退回');
  return db.transaction(async (tx) => ({ applicationId, status: await takeOffNotice(tx, user, n, app, input.action, why) }));
}

/**
 * Takes one candidate off a notice inside the caller's transaction: the application moves
 * (撤回 / 退回) with the reason on its history, and the notice item is marked removed. The caller
 * has checked the notice is active and the candidate in notice on it. Used by removeNoticeItem and
 * by an upheld objection (objections/service.ts).
 */
export async function takeOffNotice(
  tx: Tx,
  user: CurrentUser,
  n: { id: number; title: string },
  app: { id: number; status: ApplicationStatus },
  action: 'withdraw' | 'return',
  why: string,
): Promise<ApplicationStatus> {
  const to = await transition(tx, user, app, action, `公示期间${action === 'withdraw' ? '撤回' : '退回'}（${n.title}）：${why}`);
  if (!(await markItemRemoved(tx, n.id, app.id, why))) throw new AppError('CONFLICT');
  return to;
}

/**
 * After the notice period, the campaign's own office confers the titles of the names still on
 * the notice, each with a certificate number, in the name of the office's leading group.
 */
export async function conferNotice(db: Db, user: CurrentUser, noticeId: number, asOf: AsOf = {}) {
  requireRole(user, 'safety_office');
  const { n, campaignOrgId } = await loadOwnedNotice(db, user, noticeId);
  if (n.status !== 'active') throw new AppError('WRONG_STATUS', '公示已撤销，不能命名');
  const today = asOf.today ?? todayInShanghai();
  if (today <= n.endsOn) throw new AppError('NOTICE_NOT_ENDED', `公示期至${n.endsOn}，期满后方可命名`);
  const candidates = await itemsToConfer(db, noticeId);
  const issuer = issuerName(await organisationName(db, campaignOrgId));
  return db.transaction(async (tx) => {
    // a candidate with an objection still open (open or investigating) waits; a later call confers it once closed
    const open = await openCountsByApplication(
      tx,
      noticeId,
      candidates.map((r) => r.a.id),
    );
    const waiting = candidates
      .filter((r) => (open.get(r.a.id) ?? 0) > 0)
      .map((r) => ({ applicationId: r.a.id, openObjections: open.get(r.a.id)! }));
    const rows = candidates.filter((r) => !open.has(r.a.id));
    const conferred: number[] = [];
    for (const r of rows) {
      await transition(tx, user, r.a, 'confer', null);
      await issueTitle(
        tx,
        {
          applicationId: r.a.id,
          subjectId: r.a.subjectId,
          regionPath: r.a.regionPath,
          categoryCode: r.a.categoryCode,
          titleName: r.categoryName,
          year: r.year,
          // a title-only standard (001, 002) confers the title with no stars and no star level
          stars: r.a.rating?.scheme === 'title' ? 0 : (r.a.stars ?? 0),
          level: r.a.rating?.scheme === 'title' ? 'title' : (r.a.rating?.level ?? 'standard'),
          issuer,
          conferredOn: today,
        },
        user.id,
      );
      conferred.push(r.a.id);
    }
    return { conferred, waiting };
  });
}

/** 云州市平安办 → 云州市平安建设领导小组: the plaque names the leading group, not the office. */
export function issuerName(orgName: string): string {
  return orgName.replace(/平安办(公室)?$|平安建设领导小组办公室$/, '平安建设领导小组');
}

function noticeState(n: { status: string; startsOn: string; endsOn: string }, today: string): 'withdrawn' | 'upcoming' | 'open' | 'ended' {
  if (n.status === 'withdrawn') return 'withdrawn';
  if (today < n.startsOn) return 'upcoming';
  return today > n.endsOn ? 'ended' : 'open';
}

/** Staff list of notices in the account's region, with what the account may do with each. */
export async function listNotices(db: Db, user: CurrentUser) {
  if (!user.org) return [];
  const actor = actorOf(user);
  const today = todayInShanghai();
  const rows = await noticesInRegion(db, user.org.regionPath);
  return rows.map(({ campaignRegionId, ...r }) => {
    const owned = ownsCampaign(actor, campaignRegionId);
    const state = noticeState(r, today);
    return {
      ...r,
      state,
      owned,
      canEdit: owned && (state === 'upcoming' || state === 'open'),
      canWithdraw: owned && (state === 'upcoming' || state === 'open') && r.conferred === 0,
      canConfer: owned && state === 'ended' && r.inNotice > 0,
      earliestEnd: earliestNoticeEnd(r.startsOn, r.minNoticeDays),
    };
  });
}

/** One notice for staff: every name with its id, status and, when taken off, the reason. */
export async function getNoticeDetail(db: Db, user: CurrentUser, id: number) {
  const r = await loadNotice(db, id);
  if (!r || !user.org || !r.regionPath.startsWith(user.org.regionPath)) throw notFound('公示');
  const owned = ownsCampaign(actorOf(user), r.campaignRegionId);
  const state = noticeState(r.n, todayInShanghai());
  const [items, counts] = await Promise.all([noticeItemRows(db, id), countsByApplication(db, id)]);
  return {
    id: r.n.id,
    campaignId: r.n.campaignId,
    publicCode: r.n.publicCode,
    title: r.n.title,
    body: r.n.body,
    startsOn: r.n.startsOn,
    endsOn: r.n.endsOn,
    status: r.n.status,
    withdrawnReason: r.n.withdrawnReason,
    revision: r.n.revision,
    minNoticeDays: r.minNoticeDays,
    earliestEnd: earliestNoticeEnd(r.n.startsOn, r.minNoticeDays),
    state,
    owned,
    canEdit: owned && (state === 'upcoming' || state === 'open'),
    items: items.map(({ subjectKind: _kind, ...i }) => ({
      ...i,
      removedAt: i.removedAt?.toISOString() ?? null,
      canRemove: owned && r.n.status === 'active' && !i.removedAt && i.status === 'in_notice',
      objectionsTotal: counts.get(i.applicationId)?.filed ?? 0,
      objectionsOpen: counts.get(i.applicationId)?.open ?? 0,
    })),
  };
}

/** Evaluated applications of an owned campaign, for a new notice: searchable and paged. */
export async function noticeCandidates(
  db: Db,
  user: CurrentUser,
  f: { campaignId: number; q?: string | null; limit: number; offset: number },
) {
  const c = await loadCampaign(db, f.campaignId);
  if (!c || !ownsCampaign(actorOf(user), c.regionId)) throw notFound('创建活动');
  const r = await candidateRows(db, c.id, f.q?.trim() || null, f.limit, f.offset);
  return { ...r, minNoticeDays: c.minNoticeDays };
}

/** 王建国家庭 → 王**家庭: the one masking rule lives in core (mask.ts). */
export { maskName };

/** What anyone may read without logging in: active notices that have started, newest first, paged. */
export async function publicNoticeList(db: Db, page: { limit: number; offset: number }) {
  const today = todayInShanghai();
  const r = await publicNoticeRows(db, today, page.limit, page.offset);
  return {
    total: r.total,
    items: r.items.map(({ publicCode, ...n }) => ({ ...n, code: publicCode, open: today >= n.startsOn && today <= n.endsOn })),
  };
}

const NO_OBJECTIONS = { filed: 0, open: 0, upheld: 0, dismissed: 0 };

/**
 * One public notice by its public code: no internal ids (candidates by their own public codes),
 * households masked, a name taken off the notice shows only 已撤回 (never why: the reason could
 * identify whoever objected), and per candidate how many objections were filed and how they ended.
 */
export async function publicNoticeDetail(db: Db, code: string) {
  const today = todayInShanghai();
  const n = await publicNoticeRow(db, code, today);
  if (!n) throw notFound('公示');
  const [items, counts] = await Promise.all([noticeItemRows(db, n.n.id), countsByApplication(db, n.n.id)]);
  const open = today >= n.n.startsOn && today <= n.n.endsOn;
  return {
    code: n.n.publicCode,
    title: n.n.title,
    body: n.n.body,
    startsOn: n.n.startsOn,
    endsOn: n.n.endsOn,
    regionName: n.regionName,
    ended: today > n.n.endsOn,
    open,
    items: items.map((i, k) => {
      const withdrawn = i.removedAt !== null;
      const status = withdrawn ? ('withdrawn' as const) : i.status === 'conferred' ? ('conferred' as const) : ('in_notice' as const);
      return {
        code: i.publicCode,
        no: k + 1,
        subjectName: maskName(i.subjectName, i.subjectKind),
        regionName: i.regionName,
        categoryName: i.categoryName,
        scheme: i.scheme,
        stars: i.scheme === 'title' ? null : i.stars,
        score: i.score,
        status,
        conferred: status === 'conferred',
        withdrawn,
        objections: counts.get(i.applicationId) ?? NO_OBJECTIONS,
        canObject: open && status === 'in_notice' && i.status === 'in_notice',
      };
    }),
  };
}
