import type { FastifyPluginAsync } from 'fastify';
import { campaignsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { chainPresets, createCampaign, listCampaigns, updateCampaign, withdrawCampaign } from './service.js';

export { visibleCampaignIds } from './service.js';

/** 创建活动: thin handlers over the contract in packages/contract/src/campaigns.ts. */
export const campaignRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async (_, req) => listCampaigns(db, await user(req)));
    register(app, api.chainPresets, async (_, req) => {
      await user(req);
      return chainPresets();
    });
    register(app, api.create, async ({ body }, req) => createCampaign(db, await user(req), body));
    register(app, api.update, async ({ params, body }, req) => updateCampaign(db, await user(req), params.id, body));
    register(app, api.withdraw, async ({ params, body }, req) => withdrawCampaign(db, await user(req), params.id, body.reason));
  };
