import type { FastifyPluginAsync } from 'fastify';
import { ratingApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { jobStatus, rateApplication, registerRatingJobs, startCampaignRating } from './service.js';

/** 评级: thin handlers over the contract in packages/contract/src/rating.ts. */
export const ratingRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const jobs = ctx.jobs;
    registerRatingJobs(db, jobs);
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.rateCampaign, async ({ params }, req) => startCampaignRating(db, jobs, await user(req), params.id));
    register(app, api.job, async ({ params }, req) => jobStatus(jobs, await user(req), params.id));
    register(app, api.rateApplication, async ({ params }, req) => rateApplication(db, await user(req), params.id));
  };
