import { eq, inArray } from 'drizzle-orm';
import { RULE_TEXT, rankForSelection } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applicationEvents, applications, selections } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { chainOf } from '../../access/ownership.js';
import { refreshRating } from '../applications/queries.js';
import { campaignAccess, requireCampaignOffice } from '../quotas/service.js';
import { campaignCategory } from '../recommendations/queries.js';
import { onNotice, selectionCandidates, selectionsOf, subjectNames, type SelectionRow } from './queries.js';

/**
 * 000's 4-star 评选: among the evaluated applications that reach 4 stars by points, the office
 * picks within a number; the ranking and every reason are kept (selections.ranking) and each
 * application's `selected` is set, then its rating refreshed (an unselected one stays at 3 stars).
 * Ties at the cut-off are not broken by the system: the office gives the order (tieBreak).
 */

async function present(db: Db, rows: SelectionRow[]) {
  const names = await subjectNames(db, [...new Set(rows.flatMap((r) => r.ranking.map((x) => x.applicationId)))]);
  return rows.map((r) => ({
    id: r.id,
    categoryCode: r.categoryCode,
    stars: r.stars,
    capacity: r.capacity,
    decidedAt: iso(r.decidedAt),
    selectedCount: r.ranking.filter((x) => x.selected).length,
    ranking: r.ranking.map((x) => ({ ...x, subjectName: names.get(x.applicationId) ?? `#${x.applicationId}` })),
  }));
}

export async function listSelections(db: Db, user: CurrentUser, campaignId: number) {
  const a = await campaignAccess(db, user, campaignId);
  requireCampaignOffice(a);
  const stars = chainOf(a.campaign).rules.selectionForStars;
  return { stars, selections: await present(db, await selectionsOf(db, campaignId)) };
}

export async function runSelection(
  db: Db,
  user: CurrentUser,
  campaignId: number,
  input: { categoryCode: string; capacity: number; tieBreak?: number[] },
) {
  const a = await campaignAccess(db, user, campaignId);
  requireCampaignOffice(a);
  const stars = chainOf(a.campaign).rules.selectionForStars;
  if (stars === null) throw new AppError('WRONG_STATUS', '本创建活动的评审流程不含星级评选');
  if (!(await campaignCategory(db, campaignId, input.categoryCode)))
    throw new AppError('VALIDATION', `本创建活动未设「${input.categoryCode}」类别`);
  const previous = await selectionsOf(db, campaignId, input.categoryCode);
  const previousIds = [...new Set(previous.flatMap((p) => p.ranking.map((x) => x.applicationId)))];
  const noticed = await onNotice(db, previousIds);
  if (noticed.length)
    throw new AppError('WRONG_STATUS', `上一次评选的结果已有${noticed.length}个进入公示，不能重新评选（申报编号：${noticed.join('、')}）`);
  const candidates = (await selectionCandidates(db, campaignId, input.categoryCode, stars)).map((c) => ({
    applicationId: c.applicationId,
    score: c.score ?? 0,
    stars: c.stars ?? 0,
  }));
  if (!candidates.length) throw new AppError('VALIDATION', `没有达到${stars}星分数、已完成综合评定的申报，无需评选`);
  const result = rankForSelection(candidates, input.capacity, input.tieBreak ?? []);
  if (result.tie) {
    const names = await subjectNames(
      db,
      result.ranking.map((x) => x.applicationId),
    );
    const ranking = result.ranking.map((x) => ({ ...x, subjectName: names.get(x.applicationId) ?? `#${x.applicationId}` }));
    throw new AppError('RULE_BROKEN', result.tie.message, { rule: RULE_TEXT.selection, tie: result.tie, ranking });
  }

  const id = await db.transaction(async (tx) => {
    if (previous.length)
      await tx.delete(selections).where(
        inArray(
          selections.id,
          previous.map((p) => p.id),
        ),
      );
    const now = new Set(candidates.map((c) => c.applicationId));
    const dropped = previousIds.filter((x) => !now.has(x));
    if (dropped.length) await tx.update(applications).set({ selected: null }).where(inArray(applications.id, dropped));
    const [row] = await tx
      .insert(selections)
      .values({
        campaignId,
        categoryCode: input.categoryCode,
        stars,
        capacity: input.capacity,
        ranking: result.ranking.map((x) => ({
          applicationId: x.applicationId,
          score: x.score,
          rank: x.rank,
          selected: x.selected,
          reason: x.reason,
        })),
        decidedBy: user.id,
      })
      .returning({ id: selections.id });
    for (const x of result.ranking) {
      await tx.update(applications).set({ selected: x.selected, updatedAt: new Date() }).where(eq(applications.id, x.applicationId));
      await tx.insert(applicationEvents).values({
        applicationId: x.applicationId,
        actorId: user.id,
        action: x.selected ? 'select' : 'not_select',
        fromStatus: 'evaluated',
        toStatus: 'evaluated',
        reason: `${stars}星评选：${x.reason}`,
      });
    }
    for (const x of [...result.ranking.map((r) => r.applicationId), ...dropped]) await refreshRating(tx, x);
    return row!.id;
  });
  const [saved] = await present(
    db,
    (await selectionsOf(db, campaignId, input.categoryCode)).filter((s) => s.id === id),
  );
  return saved!;
}
