import type { FastifyPluginAsync } from 'fastify';
import { recommendationsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { getNominations, getRecommendations, recommend, withdrawRecommendation } from './service.js';

/** 推荐申报 and 推荐比例: thin handlers over the contract in packages/contract/src/recommendations.ts. */
export const recommendationRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async ({ params, query }, req) => getRecommendations(db, await user(req), params.id, query));
    register(app, api.recommend, async ({ params, body }, req) => recommend(db, await user(req), params.id, body.titleId));
    register(app, api.withdraw, async ({ params, body }, req) =>
      withdrawRecommendation(db, await user(req), params.id, params.applicationId, body.reason),
    );
    register(app, api.nominations, async ({ params }, req) => getNominations(db, await user(req), params.id));
  };
