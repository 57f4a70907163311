import { z } from 'zod';
import { Id, IdParams, Text, route } from './route.js';

/** 名额: the quotas of a campaign per lower region and per department, per category (004 附件). */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;
const CategoryCode = Text(40).regex(/^[a-z][a-z0-9_]*$/, '类别代码须为小写字母、数字、下划线');

export const QuotaSource = z.enum(['table', 'manual', 'import']);

export const QuotaRowView = z
  .object({
    id: z.number(),
    regionId: z.number().nullable(),
    regionName: z.string().nullable(),
    deptCode: z.string().nullable(),
    deptName: z.string().nullable(),
    categoryCode: z.string(),
    categoryName: z.string(),
    count: z.number(),
    /** recommendations counted against the row (withdrawn ones give their place back) */
    used: z.number(),
    source: QuotaSource,
  })
  .meta({ id: 'QuotaRow', description: '名额 One quota row: a region or a department, a category, a count' });

/** A body that recommends into a campaign: a county office below it, or a department beside its office. */
export const RecommenderView = z.object({ kind: z.enum(['region', 'department']), name: z.string() });

export const QuotasView = z.object({
  campaign: z.object({ id: z.number(), name: z.string(), year: z.number() }),
  canEdit: z.boolean(),
  recommender: RecommenderView.nullable(),
  rows: z.array(QuotaRowView),
  /** the campaign's lower regions (the office only) */
  regions: z.array(z.object({ id: z.number(), name: z.string() })),
  categories: z.array(z.object({ code: z.string(), name: z.string() })),
});

export const QuotaRowInput = z.object({
  regionId: Id.nullable(),
  deptCode: Text(40).nullable(),
  categoryCode: CategoryCode,
  count: z.number().int().min(0).max(100000),
});

export const QuotaLoadInput = z.object({
  code: Text(80).regex(/^[a-z0-9][a-z0-9-]*$/, '分配表代码格式不正确'),
  /** table region name → campaign child region id, for the names that do not match */
  regionMap: z.record(Text(100), Id).optional(),
  /** table brand or domain code → category code */
  categoryMap: z.record(Text(40), CategoryCode).optional(),
});

export const QuotaLoadReport = z.object({
  table: z.object({ code: z.string(), title: z.string(), year: z.number() }),
  written: z.number(),
  matched: z.array(z.object({ tableRegion: z.string(), regionId: z.number(), regionName: z.string(), how: z.enum(['name', 'mapped']) })),
  unmatched: z.array(z.string()),
  /** categories the rows were written for, and whether the campaign runs them */
  categories: z.array(z.object({ code: z.string(), inCampaign: z.boolean() })),
  message: z.string(),
});

export const quotasApi = {
  get: route({
    id: 'getQuotas',
    method: 'GET',
    path: '/api/campaigns/:id/quotas',
    summary: '推荐名额 Quotas of a campaign (office: all rows; a recommending body: its own); ?format=xlsx exports',
    tags: ['quotas'],
    auth: 'session',
    params: IdParams,
    query: z.object({ format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: QuotasView,
    file: XLSX,
    xlsx: true,
  }),
  replace: route({
    id: 'replaceQuotas',
    method: 'PUT',
    path: '/api/campaigns/:id/quotas',
    summary: '填写名额 Replace the quota rows (the campaign office)',
    tags: ['quotas'],
    auth: 'session',
    params: IdParams,
    body: z.object({ rows: z.array(QuotaRowInput).max(2000) }),
    status: 200,
    response: QuotasView,
  }),
  load: route({
    id: 'loadQuotaTable',
    method: 'POST',
    path: '/api/campaigns/:id/quotas/load',
    summary: '载入名额分配表 Load a quota table from the standards library (004 附件)',
    tags: ['quotas'],
    auth: 'session',
    params: IdParams,
    body: QuotaLoadInput,
    status: 200,
    response: QuotaLoadReport,
  }),
  import: route({
    id: 'importQuotas',
    method: 'POST',
    path: '/api/campaigns/:id/quotas/import',
    summary: '导入名额 Import quotas from .xlsx (multipart: file; columns 地区/部门, 类别代码, 名额)',
    tags: ['quotas'],
    auth: 'session',
    params: IdParams,
    multipart: true,
    status: 200,
    response: z.object({ imported: z.number() }),
  }),
};
