import type { z } from 'zod';
import type { CampaignRatingResultSchema, JobStatusSchema } from '@pingan/contract';
import { isStaff } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { assertApplicationVisible, requireRole, type CurrentUser } from '../../access/scope.js';
import { forbidden, notFound } from '../../errors.js';
import type { JobQueue } from '../../jobs/queue.js';
import { refreshRating } from '../applications/queries.js';
import { rateCampaign, type CampaignRatingResult } from './campaign.js';
import { applicationScopeRow, campaignRegion } from './queries.js';

/**
 * Rating (评级): a whole campaign as a background job (jobs/queue.ts: any node may run it, and run
 * it again from the start if its node dies; rating recomputes, so a rerun is harmless), and one
 * application at once.
 */

export const RATE_CAMPAIGN = 'rate_campaign';

/** The job's work, registered on every node at boot. */
export function registerRatingJobs(db: Db, jobs: JobQueue) {
  jobs.register<{ campaignId: number }>(RATE_CAMPAIGN, (input, { progress }) => rateCampaign(db, input.campaignId, progress));
}

/** POST /api/campaigns/:id/rate: starts the job (平安办 of the campaign's region subtree); its id. */
export async function startCampaignRating(db: Db, jobs: JobQueue, user: CurrentUser, campaignId: number) {
  requireRole(user, 'safety_office');
  const c = await campaignRegion(db, campaignId);
  // only a campaign run inside the office's own region subtree; others do not exist for it
  if (!c || !user.org || !c.regionPath.startsWith(user.org.regionPath)) throw notFound('创建活动');
  const jobId = await jobs.enqueue(RATE_CAMPAIGN, user.id, { campaignId: c.id });
  return { jobId };
}

type JobStatusView = z.input<typeof JobStatusSchema>;

/** GET /api/jobs/:id: the job's status, for its owner only. */
export async function jobStatus(jobs: JobQueue, user: CurrentUser, jobId: string): Promise<JobStatusView> {
  const status = await jobs.status(jobId, user.id);
  // this route answers rate_campaign jobs (other kinds have their own routes, e.g. the roster's);
  // a new kind meant for it needs its place in the contract (packages/contract/src/rating.ts) first
  if (!status || status.kind !== RATE_CAMPAIGN) throw notFound('任务');
  const { attempts: _attempts, ...shown } = status;
  return { ...shown, kind: RATE_CAMPAIGN, result: (status.result as CampaignRatingResult | null) ?? null };
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
