import type { z } from 'zod';
import type { CampaignRatingResultSchema, JobStatusSchema } from '@pingan/contract';
import { isStaff } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { assertApplicationVisible, requireRole, type CurrentUser } from '../../access/scope.js';
import { forbidden, notFound } from '../../errors.js';
import type { JobRegistry } from '../../jobs/jobs.js';
import { refreshRating } from '../applications/queries.js';
import { rateCampaign, type CampaignRatingResult } from './campaign.js';
import { applicationScopeRow, campaignRegion } from './queries.js';

/**
 * Rating (评级): a whole campaign as a background job, and one application at once. The job
 * registry lives with the app instance (in memory; see jobs.ts).
 */

/** POST /api/campaigns/:id/rate: starts the job (平安办 of the campaign's region subtree); its id. */
export async function startCampaignRating(db: Db, jobs: JobRegistry, user: CurrentUser, campaignId: number) {
  requireRole(user, 'safety_office');
  const c = await campaignRegion(db, campaignId);
  // only a campaign run inside the office's own region subtree; others do not exist for it
  if (!c || !user.org || !c.regionPath.startsWith(user.org.regionPath)) throw notFound('创建活动');
  const jobId = jobs.start('rate_campaign', user.id, (progress) => rateCampaign(db, c.id, progress));
  return { jobId };
}

type JobStatusView = z.input<typeof JobStatusSchema>;

/** GET /api/jobs/:id: the job's status, for its owner only. */
export function jobStatus(jobs: JobRegistry, user: CurrentUser, jobId: string): JobStatusView {
  const status = jobs.status(jobId, user.id);
  if (!status) throw notFound('任务');
  // every job today is a rate_campaign job (started above), whose result is a CampaignRatingResult;
  // a new kind of job needs its place in the contract (packages/contract/src/rating.ts) first
  if (status.kind !== 'rate_campaign') throw new Error(`job kind ${status.kind} is not in the contract`);
  return { ...status, kind: status.kind, result: (status.result as CampaignRatingResult | null) ?? null };
}

/** POST /api/applications/:id/rate: re-rates one application (staff in scope); the rating. */
export async function rateApplication(db: Db, user: CurrentUser, applicationId: number) {
  if (!isStaff(user.role)) throw forbidden();
  const row = await applicationScopeRow(db, applicationId);
  if (!row) throw notFound('申报');
  assertApplicationVisible(user, row);
  return refreshRating(db, applicationId);
}

// ── compile-time check: the contract's job result is exactly what rateCampaign returns ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof CampaignRatingResultSchema>, CampaignRatingResult>>();
