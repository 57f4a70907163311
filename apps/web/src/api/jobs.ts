import { ratingApi } from '@pingan/contract';
import { call } from './client';
import type { CampaignRatingResult, JobStatus } from './types';

/**
 * A background job's status; 404 once it is forgotten (server restart, an hour after finishing).
 * Every job today is a rate_campaign job, whose result the contract names (CampaignRatingResult).
 */
export const getJob = <R = CampaignRatingResult>(id: string) => call(ratingApi.job, { params: { id } }) as Promise<JobStatus<R>>;

/** 重新评级: re-rates one application (staff in scope); the rating. */
export const rateApplication = (id: number) => call(ratingApi.rateApplication, { params: { id } });
