import type { FastifyInstance } from 'fastify';
import { analyticsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { carryForward, carryForwardMarks, carryForwardOptions } from './service.js';

/** 沿用上年申报: registered from analytics/routes.ts (the contract lives in packages/contract/src/analytics.ts). */
export function registerMultiyear(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);
  register(app, api.carryForwardOptions, async ({ query }, req) => carryForwardOptions(db, await user(req), query.applicationId));
  register(app, api.carryForward, async ({ body }, req) => carryForward(db, await user(req), body));
  register(app, api.carryForwardMarks, async ({ query }, req) => carryForwardMarks(db, await user(req), query.applicationId));
}
