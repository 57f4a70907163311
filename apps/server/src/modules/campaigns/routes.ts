import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHAIN_PRESETS, Chain } from '@pingan/core';
import type { AppContext } from '../../context.js';
import { chainPresets, createCampaign, listCampaigns, updateCampaign, withdrawCampaign } from './service.js';

export { visibleCampaignIds } from './queries.js';

const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().max(max).refine(noNul, '不能包含空字符');
const DateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD');
const Id = z.object({ id: z.coerce.number().int().positive().max(2147483647) });
const IdNum = z.number().int().positive().max(2147483647);

const Phase = z.object({ key: z.enum(['mobilise', 'apply', 'guide', 'accept']), name: Text(50).pipe(z.string().min(1)), start: DateStr, end: DateStr });
const presetKeys = Object.keys(CHAIN_PRESETS) as [string, ...string[]];

const CampaignBody = z.object({
  name: Text(100).transform((s) => s.trim()).pipe(z.string().min(2, '活动名称至少2个字')),
  year: z.number().int().min(2000).max(2100),
  applyDeadline: DateStr,
  reviewDeadline: DateStr,
  phases: z.array(Phase).max(10).default([]),
  categories: z
    .array(z.object({ standardVersionId: IdNum, quota: z.number().int().positive().max(100000).nullish() }))
    .min(1, '至少选择一个创建类别')
    .max(50),
  /** one of CHAIN_PRESETS; the default chain when absent */
  chainPreset: z.enum(presetKeys, { message: `评审流程须为：${presetKeys.join('、')}` }).nullish(),
  /** the office's adjusted chain (wins over chainPreset) */
  chain: Chain.nullish(),
  minNoticeDays: z.number().int().min(1, '公示期至少1个工作日').max(30, '公示期最多30个工作日').nullish(),
  parentCampaignId: IdNum.nullish(),
});

const CampaignCreateBody = CampaignBody.refine((b) => b.reviewDeadline >= b.applyDeadline, { message: '评审截止日期不能早于申报截止日期', path: ['reviewDeadline'] });
const CampaignUpdateBody = CampaignBody.partial().extend({ revision: z.number().int().positive().nullish() });

export const campaignRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get('/api/campaigns', { schema: { tags: ['campaigns'], summary: '创建活动列表 Campaigns' } }, async (req) => listCampaigns(db, await ctx.requireUser(req)));

    app.get('/api/campaigns/chain-presets', { schema: { tags: ['campaigns'], summary: '评审流程预设 Review chain presets' } }, async (req) => {
      await ctx.requireUser(req);
      return chainPresets();
    });

    app.post(
      '/api/campaigns',
      { schema: { tags: ['campaigns'], summary: '新建创建活动 Create a campaign (平安办)', body: CampaignCreateBody, response: { 201: z.object({ id: z.number() }) } } },
      async (req, reply) => {
        const r = await createCampaign(db, await ctx.requireUser(req), req.body);
        reply.code(201);
        return r;
      },
    );

    app.put(
      '/api/campaigns/:id',
      {
        schema: {
          tags: ['campaigns'],
          summary: '编辑创建活动 Edit a campaign (its own 平安办)',
          params: Id,
          body: CampaignUpdateBody,
          response: { 200: z.object({ id: z.number(), revision: z.number() }) },
        },
      },
      async (req) => updateCampaign(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/campaigns/:id/withdraw',
      {
        schema: {
          tags: ['campaigns'],
          summary: '撤销创建活动 Withdraw a campaign, with a reason',
          params: Id,
          body: z.object({ reason: Text(500).transform((s) => s.trim()).pipe(z.string().min(1, '须填写撤销理由')) }),
          response: { 200: z.object({ id: z.number(), status: z.literal('withdrawn') }) },
        },
      },
      async (req) => withdrawCampaign(db, await ctx.requireUser(req), req.params.id, req.body.reason),
    );
  };
