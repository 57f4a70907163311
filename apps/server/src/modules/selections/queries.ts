import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { applications, noticeItems, selections, subjects } from '../../db/schema.js';

export type SelectionRow = typeof selections.$inferSelect;

/**
 * Candidates of a 评选 at `stars`: evaluated applications of the category whose stored rating
 * reaches the stars by points, with no veto, and that are not 5-star 示范 (that is 评定, not 评选).
 */
export async function selectionCandidates(db: Db | Tx, campaignId: number, categoryCode: string, stars: number) {
  return db
    .select({ applicationId: applications.id, score: applications.score, stars: applications.stars, subjectName: subjects.name })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .where(
      and(
        eq(applications.campaignId, campaignId),
        eq(applications.categoryCode, categoryCode),
        eq(applications.status, 'evaluated'),
        sql`coalesce((${applications.rating}->>'starsByPoints')::int, 0) >= ${stars}`,
        sql`coalesce(jsonb_array_length(${applications.rating}->'vetoed'), 0) = 0`,
        sql`coalesce(${applications.stars}, 0) < 5`,
      ),
    );
}

export async function selectionsOf(db: Db | Tx, campaignId: number, categoryCode?: string): Promise<SelectionRow[]> {
  return db
    .select()
    .from(selections)
    .where(and(eq(selections.campaignId, campaignId), categoryCode ? eq(selections.categoryCode, categoryCode) : undefined))
    .orderBy(desc(selections.id));
}

/** Applications among `ids` that are, or were, on a notice. */
export async function onNotice(db: Db | Tx, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db.select({ id: noticeItems.applicationId }).from(noticeItems).where(inArray(noticeItems.applicationId, ids));
  const statuses = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(inArray(applications.id, ids), inArray(applications.status, ['in_notice', 'conferred'])));
  return [...new Set([...rows.map((r) => r.id), ...statuses.map((r) => r.id)])];
}

export async function subjectNames(db: Db | Tx, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: applications.id, name: subjects.name })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .where(inArray(applications.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
