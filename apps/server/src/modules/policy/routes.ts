import type { FastifyPluginAsync } from 'fastify';
import { adminApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { requireDuty } from '../../access/admin.js';
import { policyView, savePolicy } from './service.js';

/** 安全策略: read and changed by the security administrator only (access/admin.ts). */
export const policyRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    register(app, api.getPolicy, async (_input, req) => {
      requireDuty(await ctx.requireUser(req), 'readPolicy');
      return policyView(db, ctx.config);
    });
    register(app, api.putPolicy, async ({ body }, req) => {
      const u = await ctx.requireUser(req);
      requireDuty(u, 'writePolicy');
      return savePolicy(db, ctx.config, body, u.id);
    });
  };
