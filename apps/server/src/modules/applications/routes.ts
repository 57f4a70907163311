import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPLICATION_STATUSES } from '@pingan/core';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { addEvidence, deleteEvidence, loadEvidence } from './files.js';
import {
  createApplication,
  getApplicationDetail,
  listApplications,
  reviewApplication,
  saveDraft,
  submitApplication,
} from './service.js';

const Id = z.object({ id: z.coerce.number().int().positive('编号须为正整数') });
const Text = (max: number) => z.string().max(max, `不能超过${max}字`);
const FIGURE_BOUND = 1e12;
const Count = z
  .number({ error: '须为整数 must be a whole number' })
  .int('须为整数 must be a whole number')
  .min(0, '不能为负数 cannot be negative')
  .max(2147483647, '不能超过2147483647 too large');
const Figure = z.object({
  value: z
    .number({ error: '须为数字' })
    .finite()
    .min(-FIGURE_BOUND, `不能小于-${FIGURE_BOUND} too small`)
    .max(FIGURE_BOUND, `不能超过${FIGURE_BOUND} too large`),
  previous: z.number().finite().min(-FIGURE_BOUND, `不能小于-${FIGURE_BOUND} too small`).max(FIGURE_BOUND, `不能超过${FIGURE_BOUND} too large`).nullable().optional(),
  /** for a rate of two counts (rateOf): the part and the whole, e.g. 重新犯罪人数 and 刑满释放人员总数 */
  numerator: Count.nullable().optional(),
  denominator: Count.nullable().optional(),
});

export const applicationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get(
      '/api/applications',
      {
        schema: {
          tags: ['applications'],
          summary: '申报列表 List applications in scope',
          querystring: z.object({
            status: z.enum(APPLICATION_STATUSES).optional(),
            campaignId: z.coerce.number().int().positive().optional(),
            categoryCode: z.string().max(64).optional(),
            q: z.string().max(100).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => listApplications(db, await ctx.requireUser(req), req.query),
    );

    app.post(
      '/api/applications',
      {
        schema: {
          tags: ['applications'],
          summary: '新建申报 Start an application',
          body: z.object({ campaignId: z.number().int().positive(), categoryCode: z.string().min(1).max(64) }),
        },
      },
      async (req, reply) => {
        const created = await createApplication(db, await ctx.requireUser(req), req.body);
        reply.code(201);
        return { id: created.id };
      },
    );

    app.get(
      '/api/applications/:id',
      { schema: { tags: ['applications'], summary: '申报详情 Application with rating and history', params: Id } },
      async (req) => getApplicationDetail(db, await ctx.requireUser(req), req.params.id),
    );

    app.put(
      '/api/applications/:id/draft',
      {
        schema: {
          tags: ['applications'],
          summary: '保存草稿 Save the 申报表 and self-assessment',
          params: Id,
          body: z.object({
            revision: z.number().int().positive(),
            form: z.object({
              content: Text(5000).nullish(),
              plan: Text(10000).nullish(),
              contactName: Text(50).nullish(),
              contactPhone: z.string().regex(/^[0-9+\- ]{0,20}$/, '联系电话格式不正确').nullish(),
            }),
            answers: z
              .array(
                z.object({
                  criterionId: z.string().min(1).max(32),
                  statement: Text(5000).nullish(),
                  figures: z.record(z.string().max(64), Figure).optional(),
                }),
              )
              .max(500),
          }),
        },
      },
      async (req) => saveDraft(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/applications/:id/submit',
      { schema: { tags: ['applications'], summary: '提交申报 Submit (checks completeness)', params: Id } },
      async (req) => submitApplication(db, await ctx.requireUser(req), req.params.id),
    );

    app.post(
      '/api/applications/:id/reviews',
      {
        schema: {
          tags: ['reviews'],
          summary: '评审 Score criteria and pass on, return or reject',
          params: Id,
          body: z.object({
            decision: z.enum(['pass', 'return', 'reject', 'none']),
            comment: Text(5000).nullish(),
            reason: Text(2000).nullish(),
            scores: z
              .array(
                z.object({
                  criterionId: z.string().min(1).max(32),
                  // two decimals at most, so SQL's exact sums and the engine's agree
                  score: z
                    .number()
                    .finite()
                    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, '得分最多保留两位小数')
                    .nullish(),
                  met: z.boolean().nullish(),
                  notApplicable: z.boolean().optional(),
                  comment: Text(2000).nullish(),
                }),
              )
              .max(500),
          }),
        },
      },
      async (req) => reviewApplication(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/applications/:id/files',
      {
        schema: {
          tags: ['evidence'],
          summary: '上传佐证材料 Upload evidence (multipart: criterionId, file)',
          params: Id,
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
        let criterionId: string | null = null;
        let file: { fileName: string; declaredType: string; data: Buffer } | null = null;
        for await (const part of req.parts({ limits: { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 5 } })) {
          if (part.type === 'file') {
            const data = await part.toBuffer();
            if (part.file.truncated)
              throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
            file = { fileName: part.filename, declaredType: part.mimetype, data };
          } else if (part.fieldname === 'criterionId' && typeof part.value === 'string' && part.value) {
            criterionId = part.value.slice(0, 32);
          }
        }
        if (!file) throw new AppError('VALIDATION', '未选择文件');
        reply.code(201);
        return addEvidence(db, ctx.storage, user, req.params.id, { criterionId, ...file });
      },
    );

    app.get(
      '/api/files/:id',
      { schema: { tags: ['evidence'], summary: '下载佐证材料 Download evidence', params: Id } },
      async (req, reply) => {
        const row = await loadEvidence(db, await ctx.requireUser(req), req.params.id);
        reply
          .header('content-type', row.f.contentType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.f.fileName)}`)
          .header('x-content-type-options', 'nosniff');
        return reply.send(await ctx.storage.get(row.f.storageKey));
      },
    );

    app.delete(
      '/api/files/:id',
      { schema: { tags: ['evidence'], summary: '删除佐证材料 Delete evidence', params: Id } },
      async (req) => {
        await deleteEvidence(db, ctx.storage, await ctx.requireUser(req), req.params.id);
        return { ok: true };
      },
    );
  };
