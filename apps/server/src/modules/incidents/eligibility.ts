import { and, asc, eq, inArray } from 'drizzle-orm';
import { INCIDENT_TYPE_LABELS, type IncidentType } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { campaigns, regionSanctions, subjects } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { ineligibilityOf } from './queries.js';

/**
 * 取消下一年度评先资格 (004): a confirmed incident with lose_eligibility sets ineligibleYear to the
 * year after it; no application of that subject for a campaign of that year may be submitted.
 * Asked before anything else on submission: no use completing an application that cannot go in.
 * Kept apart from service.ts so the applications module can ask without importing the incidents'.
 */
export async function assertEligible(db: Db | Tx, subjectId: number, campaignId: number): Promise<void> {
  const [c] = await db.select({ year: campaigns.year }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (!c) return;
  const year = c.year;
  const [s] = await db
    .select({ id: subjects.id, kind: subjects.kind, regionId: subjects.regionId })
    .from(subjects)
    .where(eq(subjects.id, subjectId));
  if (!s) return;
  // 一票否决 / 取消评先资格 from a published ranking (issue 8): the region may not apply that year
  const [barred] =
    s.kind === 'region'
      ? await db
          .select({ reason: regionSanctions.reason, ruleId: regionSanctions.ruleId, kind: regionSanctions.kind })
          .from(regionSanctions)
          .where(
            and(
              eq(regionSanctions.regionId, s.regionId),
              eq(regionSanctions.year, year),
              inArray(regionSanctions.kind, ['veto', 'ineligible']),
            ),
          )
          .orderBy(asc(regionSanctions.id))
      : [];
  if (barred)
    throw new AppError('RULE_BROKEN', `${barred.reason}，不能申报${year}年度称号`, { ruleId: barred.ruleId, sanction: barred.kind, year });
  const [hit] = await ineligibilityOf(db, s, year);
  if (hit)
    throw new AppError(
      'RULE_BROKEN',
      `因${hit.occurredOn}发生${INCIDENT_TYPE_LABELS[hit.type as IncidentType]?.zh ?? hit.type}，经平安办确认取消${year}年度评先资格，不能提交${year}年度的创建申报`,
      { incidentId: hit.id, ineligibleYear: year },
    );
}
