import { z } from 'zod';
import { IdParams, Text, Timestamp, route } from './route.js';
import { RatingSchema } from './common.js';

/** 评级: a whole campaign as a background job, its status, and one application at once. */

/** The result of a rate_campaign job (批量评级). */
export const CampaignRatingResultSchema = z
  .object({
    campaignId: z.number(),
    /** applications past draft that were rated */
    rated: z.number(),
    /** of those, rows whose score or stars changed */
    updated: z.number(),
    /** applications re-rated with the JS engine because a star condition applies */
    reratedByEngine: z.number(),
    /** drafts left untouched */
    draftsSkipped: z.number(),
    ms: z.object({ sql: z.number(), engine: z.number(), total: z.number() }),
  })
  .meta({ id: 'CampaignRatingResult', description: '批量评级结果 What a campaign rating job did' });

export const JobState = z.enum(['running', 'done', 'failed']);

/** A background job's status (its owner only). Today every job is a rate_campaign job. */
export const JobStatusSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['rate_campaign']),
    state: JobState,
    done: z.number(),
    total: z.number(),
    /** in Chinese, for the person at the screen */
    message: z.string(),
    /** set once the job is done */
    result: CampaignRatingResultSchema.nullable(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'JobStatus', description: '任务进度 A background job' });

export const ratingApi = {
  rateCampaign: route({
    id: 'rateCampaign',
    method: 'POST',
    path: '/api/campaigns/:id/rate',
    summary: '批量评级 Rate every submitted application of a campaign (平安办; answers 202 with a job id)',
    tags: ['rating'],
    auth: 'session',
    params: IdParams,
    status: 202,
    response: z.object({ jobId: z.string() }),
  }),
  job: route({
    id: 'getJob',
    method: 'GET',
    path: '/api/jobs/:id',
    summary: '任务进度 Status of a background job (its owner only)',
    tags: ['rating'],
    auth: 'session',
    params: z.object({ id: Text(64).min(1) }),
    status: 200,
    response: JobStatusSchema,
  }),
  rateApplication: route({
    id: 'rateApplication',
    method: 'POST',
    path: '/api/applications/:id/rate',
    summary: '重新评级 Re-rate one application (staff in scope)',
    tags: ['rating'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: RatingSchema,
  }),
};
