import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { conferNotice, listNotices, publicNoticeDetail, publicNoticeList, publishNotice } from './service.js';

const DateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD');
const Id = z.object({ id: z.coerce.number().int().positive() });

export const noticeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;
    app.get('/api/notices', { schema: { tags: ['notices'], summary: '公示管理 Notices of my region' } }, async (req) => listNotices(db, await ctx.requireUser(req)));

    app.post(
      '/api/notices',
      {
        schema: {
          tags: ['notices'],
          summary: '发布公示 Publish a public notice',
          body: z.object({
            campaignId: z.number().int().positive(),
            title: z.string().trim().min(4, '公示标题至少4个字').max(200),
            body: z.string().max(5000).nullish(),
            startsOn: DateStr,
            endsOn: DateStr,
            applicationIds: z.array(z.number().int().positive()).min(1, '至少选择一项申报').max(1000),
          }),
        },
      },
      async (req, reply) => {
        const r = await publishNotice(db, await ctx.requireUser(req), req.body);
        reply.code(201);
        return r;
      },
    );

    app.post(
      '/api/notices/:id/confer',
      { schema: { tags: ['notices'], summary: '公示期满命名 Confer titles after the notice', params: Id } },
      async (req) => conferNotice(db, await ctx.requireUser(req), req.params.id),
    );

    app.get('/api/public/notices', { schema: { tags: ['public'], summary: '公示公告（无需登录）Public notices' } }, async () => publicNoticeList(db));
    app.get(
      '/api/public/notices/:id',
      { schema: { tags: ['public'], summary: '公示详情（无需登录）A public notice', params: Id } },
      async (req) => publicNoticeDetail(db, req.params.id),
    );
  };
