import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import {
  conferNotice,
  getNoticeDetail,
  listNotices,
  noticeCandidates,
  publicNoticeDetail,
  publicNoticeList,
  publishNotice,
  removeNoticeItem,
  updateNotice,
  withdrawNotice,
} from './service.js';

const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().max(max).refine(noNul, '不能包含空字符');
const DateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD');
const IdNum = z.number().int().positive().max(2147483647);
const IdParam = z.coerce.number().int().positive().max(2147483647);
const Id = z.object({ id: IdParam });
const Title = Text(200).transform((s) => s.trim()).pipe(z.string().min(4, '公示标题至少4个字'));
const Reason = Text(500).transform((s) => s.trim()).pipe(z.string().min(1, '须填写理由'));

const PublicItem = z.object({
  no: z.number(),
  subjectName: z.string(),
  regionName: z.string(),
  categoryName: z.string(),
  stars: z.number().nullable(),
  score: z.number().nullable(),
  status: z.enum(['in_notice', 'conferred', 'withdrawn']),
  conferred: z.boolean(),
  withdrawn: z.boolean(),
});
const PublicNotice = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  regionName: z.string(),
  ended: z.boolean(),
  items: z.array(PublicItem),
});
const PublicSummary = z.object({ id: z.number(), title: z.string(), startsOn: z.string(), endsOn: z.string(), regionName: z.string() });

export const noticeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;
    app.get('/api/notices', { schema: { tags: ['notices'], summary: '公示管理 Notices of my region' } }, async (req) => listNotices(db, await ctx.requireUser(req)));

    app.get(
      '/api/notices/candidates',
      {
        schema: {
          tags: ['notices'],
          summary: '可公示的申报 Evaluated applications to put on a notice',
          querystring: z.object({
            campaignId: IdParam,
            q: Text(100).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(20),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          }),
        },
      },
      async (req) => noticeCandidates(db, await ctx.requireUser(req), req.query),
    );

    app.get('/api/notices/:id', { schema: { tags: ['notices'], summary: '公示详情（工作人员）A notice with its names', params: Id } }, async (req) =>
      getNoticeDetail(db, await ctx.requireUser(req), req.params.id),
    );

    app.post(
      '/api/notices',
      {
        schema: {
          tags: ['notices'],
          summary: '发布公示 Publish a public notice',
          body: z.object({
            campaignId: IdNum,
            title: Title,
            body: Text(5000).nullish(),
            startsOn: DateStr,
            endsOn: DateStr,
            applicationIds: z.array(IdNum).min(1, '至少选择一项申报').max(1000),
          }),
          response: { 201: z.object({ id: z.number() }) },
        },
      },
      async (req, reply) => {
        const r = await publishNotice(db, await ctx.requireUser(req), req.body);
        reply.code(201);
        return r;
      },
    );

    app.put(
      '/api/notices/:id',
      {
        schema: {
          tags: ['notices'],
          summary: '编辑公示 Edit a notice (title, text, a later end)',
          params: Id,
          body: z.object({ title: Title.optional(), body: Text(5000).nullish(), endsOn: DateStr.optional(), revision: z.number().int().positive().nullish() }),
          response: { 200: z.object({ id: z.number(), revision: z.number() }) },
        },
      },
      async (req) => updateNotice(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/notices/:id/withdraw',
      {
        schema: {
          tags: ['notices'],
          summary: '撤销公示 Withdraw a notice, with a reason',
          params: Id,
          body: z.object({ reason: Reason }),
          response: { 200: z.object({ id: z.number(), status: z.literal('withdrawn'), returned: z.array(z.number()) }) },
        },
      },
      async (req) => withdrawNotice(db, await ctx.requireUser(req), req.params.id, req.body.reason),
    );

    app.post(
      '/api/notices/:id/items/:applicationId/withdraw',
      {
        schema: {
          tags: ['notices'],
          summary: '公示期间撤回或退回 Take a candidate off a notice',
          params: z.object({ id: IdParam, applicationId: IdParam }),
          body: z.object({ action: z.enum(['withdraw', 'return']), reason: Reason }),
          response: { 200: z.object({ applicationId: z.number(), status: z.string() }) },
        },
      },
      async (req) => removeNoticeItem(db, await ctx.requireUser(req), req.params.id, req.params.applicationId, req.body),
    );

    app.post(
      '/api/notices/:id/confer',
      { schema: { tags: ['notices'], summary: '公示期满命名 Confer titles after the notice', params: Id, response: { 200: z.object({ conferred: z.array(z.number()) }) } } },
      async (req) => conferNotice(db, await ctx.requireUser(req), req.params.id),
    );

    app.get(
      '/api/public/notices',
      { schema: { tags: ['public'], summary: '公示公告（无需登录）Public notices', response: { 200: z.array(PublicSummary) } } },
      async () => publicNoticeList(db),
    );
    app.get(
      '/api/public/notices/:id',
      { schema: { tags: ['public'], summary: '公示详情（无需登录）A public notice', params: Id, response: { 200: PublicNotice } } },
      async (req) => publicNoticeDetail(db, req.params.id),
    );
  };
