import type { FastifyPluginAsync } from 'fastify';
import { dashboardApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { dashboard } from './service.js';

/** 工作台: thin handlers over the contract in packages/contract/src/dashboard.ts. */
export const dashboardRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    register(app, api.get, async (_input, req) => dashboard(ctx.database.db, await ctx.requireUser(req)));
  };
