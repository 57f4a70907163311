import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { exportQuotasXlsx, getQuotas, importQuotasXlsx, loadQuotaTable, replaceQuotas } from './service.js';

const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().max(max).refine(noNul, '不能包含空字符');
const IdNum = z.number().int().positive().max(2147483647);
const IdParam = z.coerce.number().int().positive().max(2147483647);
const Id = z.object({ id: IdParam });
const CategoryCode = Text(40).regex(/^[a-z][a-z0-9_]*$/, '类别代码须为小写字母、数字、下划线');

const QuotaRowOut = z.object({
  id: z.number(),
  regionId: z.number().nullable(),
  regionName: z.string().nullable(),
  deptCode: z.string().nullable(),
  deptName: z.string().nullable(),
  categoryCode: z.string(),
  categoryName: z.string(),
  count: z.number(),
  used: z.number(),
  source: z.enum(['table', 'manual', 'import']),
});
export const QuotasOut = z.object({
  campaign: z.object({ id: z.number(), name: z.string(), year: z.number() }),
  canEdit: z.boolean(),
  recommender: z.object({ kind: z.enum(['region', 'department']), name: z.string() }).nullable(),
  rows: z.array(QuotaRowOut),
  regions: z.array(z.object({ id: z.number(), name: z.string() })),
  categories: z.array(z.object({ code: z.string(), name: z.string() })),
});

export const quotaRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get(
      '/api/campaigns/:id/quotas',
      {
        schema: {
          tags: ['quotas'],
          summary: '推荐名额 Quotas of a campaign (office: all rows; a recommending body: its own); ?format=xlsx exports',
          params: Id,
          querystring: z.object({ format: z.enum(['json', 'xlsx']).default('json') }),
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        if (req.query.format === 'xlsx') {
          const f = await exportQuotasXlsx(db, user, req.params.id);
          reply
            .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
          return reply.send(f.data);
        }
        return QuotasOut.parse(await getQuotas(db, user, req.params.id));
      },
    );

    app.put(
      '/api/campaigns/:id/quotas',
      {
        schema: {
          tags: ['quotas'],
          summary: '填写名额 Replace the quota rows (the campaign office)',
          params: Id,
          body: z.object({
            rows: z
              .array(
                z.object({
                  regionId: IdNum.nullable(),
                  deptCode: Text(40).nullable(),
                  categoryCode: CategoryCode,
                  count: z.number().int().min(0).max(100000),
                }),
              )
              .max(2000),
          }),
          response: { 200: QuotasOut },
        },
      },
      async (req) => replaceQuotas(db, await ctx.requireUser(req), req.params.id, req.body.rows),
    );

    app.post(
      '/api/campaigns/:id/quotas/load',
      {
        schema: {
          tags: ['quotas'],
          summary: '载入名额分配表 Load a quota table from the standards library (004 附件)',
          params: Id,
          body: z.object({
            code: Text(80).regex(/^[a-z0-9][a-z0-9-]*$/, '分配表代码格式不正确'),
            regionMap: z.record(Text(100), IdNum).optional(),
            categoryMap: z.record(Text(40), CategoryCode).optional(),
          }),
          response: {
            200: z.object({
              table: z.object({ code: z.string(), title: z.string(), year: z.number() }),
              written: z.number(),
              matched: z.array(z.object({ tableRegion: z.string(), regionId: z.number(), regionName: z.string(), how: z.enum(['name', 'mapped']) })),
              unmatched: z.array(z.string()),
              categories: z.array(z.object({ code: z.string(), inCampaign: z.boolean() })),
              message: z.string(),
            }),
          },
        },
      },
      async (req) => loadQuotaTable(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/campaigns/:id/quotas/import',
      {
        schema: {
          tags: ['quotas'],
          summary: '导入名额 Import quotas from .xlsx (columns 地区/部门, 类别代码, 名额)',
          params: Id,
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ imported: z.number() }) },
        },
      },
      async (req) => {
        const user = await ctx.requireUser(req);
        if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
        let data: Buffer | null = null;
        for await (const part of req.parts({ limits: { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 5 } })) {
          if (part.type === 'file') {
            data = await part.toBuffer();
            if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
          }
        }
        if (!data) throw new AppError('VALIDATION', '未选择文件');
        return importQuotasXlsx(db, user, req.params.id, data);
      },
    );
  };
