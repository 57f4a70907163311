import type { FastifyPluginAsync } from 'fastify';
import { campaignsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { streamXlsx, type Column } from '../../http/xlsx.js';
import { chainPresets, createCampaign, listCampaigns, updateCampaign, withdrawCampaign } from './service.js';

export { visibleCampaignIds } from './service.js';

/** 创建活动: thin handlers over the contract in packages/contract/src/campaigns.ts. */
export const campaignRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async ({ query }, req, reply) => {
      const all = await listCampaigns(db, await user(req));
      if (query.format !== 'xlsx') return all;
      return streamXlsx(reply, '创建活动.xlsx', '创建活动', CAMPAIGN_COLUMNS, async (o, l) => all.slice(o, o + l));
    });
    register(app, api.chainPresets, async (_, req) => {
      await user(req);
      return chainPresets();
    });
    register(app, api.create, async ({ body }, req) => createCampaign(db, await user(req), body));
    register(app, api.update, async ({ params, body }, req) => updateCampaign(db, await user(req), params.id, body));
    register(app, api.withdraw, async ({ params, body }, req) => withdrawCampaign(db, await user(req), params.id, body.reason));
  };

type CampaignRow = Awaited<ReturnType<typeof listCampaigns>>[number];
const CAMPAIGN_COLUMNS: Column<CampaignRow>[] = [
  { header: '编号', width: 8, value: (c) => c.id },
  { header: '创建活动', width: 40, value: (c) => c.name },
  { header: '年度', width: 8, value: (c) => c.year },
  { header: '区域', width: 14, value: (c) => c.regionName },
  { header: '类别', width: 40, value: (c) => c.categories.map((k) => k.name).join('、') },
  { header: '申报截止', width: 12, value: (c) => c.applyDeadline },
  { header: '评审截止', width: 12, value: (c) => c.reviewDeadline },
  { header: '评审流程', width: 40, value: (c) => c.chain.steps.map((st) => st.name).join(' → ') },
  { header: '状态', width: 10, value: (c) => (c.status === 'active' ? '进行中' : `已撤销：${c.withdrawnReason ?? ''}`) },
];
