import { z } from 'zod';
import type { Chain as CoreChain } from '@pingan/core';
import { CHAIN_PRESETS, Chain, ChainRules, ChainStep } from '@pingan/core';
import { Id, IdParams, Text, route } from './route.js';

/** 创建活动: the campaigns module's routes. */

/**
 * A day as YYYY-MM-DD, checked for its shape only. Campaign and notice dates are checked for
 * existence by the core's date rules in the service, which answer 422 DATE_INVALID with the
 * domain's message (…不是有效日期) alongside the other date problems of the same request.
 */
export const DayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD');

export const PhaseKey = z.enum(['mobilise', 'apply', 'guide', 'accept']);

/** A campaign phase (动员部署, 推荐申报, 指导创建, 考核验收) as stored and answered. */
export const CampaignPhaseView = z.object({ key: PhaseKey, name: z.string(), start: z.string(), end: z.string() });
const PhaseInput = z.object({ key: PhaseKey, name: Text(50).pipe(z.string().min(1)), start: DayText, end: DayText });

/** A review chain as answered (the core's Chain, without its input defaults and checks). */
export const ChainView = z
  .object({ preset: z.string(), name: z.string(), steps: z.array(ChainStep), rules: ChainRules })
  .meta({ id: 'Chain', description: '评审流程 A review chain: its steps, their owners and deadlines, and its rules' });

export const CampaignCategoryView = z.object({
  code: z.string(),
  name: z.string(),
  standardVersionId: z.number(),
  standardTitle: z.string(),
  version: z.number(),
  quota: z.number().nullable(),
  /** who may hold the title: subject kinds, and unit types when units */
  subjectKinds: z.array(z.string()),
  unitTypes: z.array(z.string()),
});

export const CampaignListItem = z
  .object({
    id: z.number(),
    name: z.string(),
    year: z.number(),
    regionName: z.string(),
    applyDeadline: z.string(),
    reviewDeadline: z.string(),
    phases: z.array(CampaignPhaseView),
    chain: ChainView,
    minNoticeDays: z.number(),
    parentCampaignId: z.number().nullable(),
    status: z.enum(['active', 'withdrawn']),
    withdrawnReason: z.string().nullable(),
    revision: z.number(),
    /** the account is the campaign's own office */
    owned: z.boolean(),
    canEdit: z.boolean(),
    /** an application has left draft: categories and the chain's steps are fixed */
    structureLocked: z.boolean(),
    categories: z.array(CampaignCategoryView),
  })
  .meta({ id: 'Campaign', description: '创建活动 A campaign with its chain, categories and what the account may do' });

export const ChainPresetView = ChainView.extend({ isDefault: z.boolean() }).meta({ id: 'ChainPreset' });

const presetKeys = Object.keys(CHAIN_PRESETS) as [string, ...string[]];

const CampaignFields = z.object({
  name: Text(100)
    .transform((s) => s.trim())
    .pipe(z.string().min(2, '活动名称至少2个字')),
  year: z.number().int().min(2000).max(2100),
  applyDeadline: DayText,
  reviewDeadline: DayText,
  phases: z.array(PhaseInput).max(10).default([]),
  categories: z
    .array(z.object({ standardVersionId: Id, quota: z.number().int().positive().max(100000).nullish() }))
    .min(1, '至少选择一个创建类别')
    .max(50),
  /** one of CHAIN_PRESETS; the default chain when absent */
  chainPreset: z.enum(presetKeys, { message: `评审流程须为：${presetKeys.join('、')}` }).nullish(),
  /** the office's adjusted chain (wins over chainPreset) */
  chain: Chain.nullish(),
  minNoticeDays: z.number().int().min(1, '公示期至少1个工作日').max(30, '公示期最多30个工作日').nullish(),
  parentCampaignId: Id.nullish(),
});

export const CampaignCreateInput = CampaignFields.refine((b) => b.reviewDeadline >= b.applyDeadline, {
  message: '评审截止日期不能早于申报截止日期',
  path: ['reviewDeadline'],
});
export const CampaignUpdateInput = CampaignFields.partial().extend({ revision: z.number().int().positive().max(2147483647).nullish() });

export const campaignsApi = {
  list: route({
    id: 'listCampaigns',
    method: 'GET',
    path: '/api/campaigns',
    summary: '创建活动列表 Campaigns the account sees',
    tags: ['campaigns'],
    auth: 'session',
    query: z.object({ format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: z.array(CampaignListItem),
    xlsx: true,
  }),
  chainPresets: route({
    id: 'listChainPresets',
    method: 'GET',
    path: '/api/campaigns/chain-presets',
    summary: '评审流程预设 Review chain presets',
    tags: ['campaigns'],
    auth: 'session',
    status: 200,
    response: z.array(ChainPresetView),
  }),
  create: route({
    id: 'createCampaign',
    method: 'POST',
    path: '/api/campaigns',
    summary: '新建创建活动 Create a campaign (平安办)',
    tags: ['campaigns'],
    auth: 'session',
    body: CampaignCreateInput,
    status: 201,
    response: z.object({ id: z.number() }),
  }),
  update: route({
    id: 'updateCampaign',
    method: 'PUT',
    path: '/api/campaigns/:id',
    summary: '编辑创建活动 Edit a campaign (its own 平安办)',
    tags: ['campaigns'],
    auth: 'session',
    params: IdParams,
    body: CampaignUpdateInput,
    status: 200,
    response: z.object({ id: z.number(), revision: z.number() }),
  }),
  withdraw: route({
    id: 'withdrawCampaign',
    method: 'POST',
    path: '/api/campaigns/:id/withdraw',
    summary: '撤销创建活动 Withdraw a campaign, with a reason',
    tags: ['campaigns'],
    auth: 'session',
    params: IdParams,
    body: z.object({
      reason: Text(500)
        .transform((s) => s.trim())
        .pipe(z.string().min(1, '须填写撤销理由')),
    }),
    status: 200,
    response: z.object({ id: z.number(), status: z.literal('withdrawn') }),
  }),
};

// ── compile-time check: the answered chain is exactly the core's Chain ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof ChainView>, CoreChain>>();
