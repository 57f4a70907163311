import type { FastifyPluginAsync } from 'fastify';
import { regionsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { regionsUnder } from './queries.js';

/** 辖区: thin handlers over the contract in packages/contract/src/regions.ts. */
export const regionRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    register(app, api.list, async (_input, req) => {
      const user = await ctx.requireUser(req);
      if (!user.org) return [];
      return regionsUnder(ctx.database.db, user.org.regionPath);
    });
  };
