import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asc, like } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { regions } from '../../db/schema.js';

export const regionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/regions', { schema: { tags: ['regions'], summary: '辖区 Regions in my subtree' } }, async (req) => {
      const user = await ctx.requireUser(req);
      if (!user.org) return [];
      return ctx.database.db
        .select()
        .from(regions)
        .where(like(regions.path, `${user.org.regionPath}%`))
        .orderBy(asc(regions.path));
    });
  };
