import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { isStaff } from '@pingan/core';
import type { AppContext } from '../../context.js';
import { applications, campaigns, regions } from '../../db/schema.js';
import { forbidden, notFound } from '../../errors.js';
import { assertApplicationVisible, requireRole } from '../../access/scope.js';
import { JobRegistry } from '../../jobs/jobs.js';
import { refreshRating } from '../applications/queries.js';
import { rateCampaign } from './campaign.js';

const Id = z.object({ id: z.coerce.number().int().positive('编号须为正整数') });

/**
 * Rating (评级): a whole campaign as a background job, and one application at once.
 * The job registry lives with this app instance (in memory; see jobs.ts).
 */
export const ratingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;
    const jobs = new JobRegistry((err, job) => app.log.error({ err, jobId: job.id, kind: job.kind }, 'job failed'));

    app.post(
      '/api/campaigns/:id/rate',
      {
        schema: {
          tags: ['rating'],
          summary: '批量评级 Rate every submitted application of a campaign (平安办; answers 202 with a job id)',
          params: Id,
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        requireRole(user, 'safety_office');
        const [c] = await db
          .select({ id: campaigns.id, regionPath: regions.path })
          .from(campaigns)
          .innerJoin(regions, eq(regions.id, campaigns.regionId))
          .where(eq(campaigns.id, req.params.id));
        // only a campaign run inside the office's own region subtree; others do not exist for it
        if (!c || !user.org || !c.regionPath.startsWith(user.org.regionPath)) throw notFound('创建活动');
        const jobId = jobs.start('rate_campaign', user.id, (progress) => rateCampaign(db, c.id, progress));
        reply.code(202);
        return { jobId };
      },
    );

    app.get(
      '/api/jobs/:id',
      {
        schema: {
          tags: ['rating'],
          summary: '任务进度 Status of a background job (its owner only)',
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (req) => {
        const user = await ctx.requireUser(req);
        const status = jobs.status(req.params.id, user.id);
        if (!status) throw notFound('任务');
        return status;
      },
    );

    app.post(
      '/api/applications/:id/rate',
      { schema: { tags: ['rating'], summary: '重新评级 Re-rate one application (staff in scope)', params: Id } },
      async (req) => {
        const user = await ctx.requireUser(req);
        if (!isStaff(user.role)) throw forbidden();
        const [row] = await db
          .select({ regionPath: applications.regionPath, categoryCode: applications.categoryCode, subjectId: applications.subjectId })
          .from(applications)
          .where(eq(applications.id, req.params.id));
        if (!row) throw notFound('申报');
        assertApplicationVisible(user, row);
        return refreshRating(db, req.params.id);
      },
    );
  };
