import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { drawInspectionSample, getSample, listSamples, recordItem, results, resultsXlsx } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Id = z.object({ id: z.coerce.number().int().positive('编号须为正整数').max(2147483647, '编号过大') });
const noNul = (s: string) => !s.includes('\u0000');
const Year = z.coerce.number().int().min(2000).max(2100);

export const inspectionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.post(
      '/api/inspections/samples',
      {
        schema: {
          tags: ['inspections'],
          summary: '明查暗访抽样 Draw a reproducible random sample of units',
          body: z.object({
            year: z.number().int().min(2000).max(2100),
            quarter: z.number().int().min(1).max(4),
            mode: z.enum(['announced', 'unannounced']),
            size: z.number().int().min(1).max(1000),
            seed: z.string().max(64, '种子不能超过64个字符').refine(noNul, '不能包含空字符').nullish(),
          }),
        },
      },
      async (req, reply) => {
        const out = await drawInspectionSample(db, await ctx.requireUser(req), req.body);
        reply.code(201);
        return out;
      },
    );

    app.get(
      '/api/inspections/samples',
      { schema: { tags: ['inspections'], summary: '抽查批次 Samples of my region', querystring: z.object({ year: Year.optional() }) } },
      async (req) => listSamples(db, await ctx.requireUser(req), req.query.year),
    );

    app.get(
      '/api/inspections/samples/:id',
      { schema: { tags: ['inspections'], summary: '抽查批次详情 A sample with its units', params: Id } },
      async (req) => getSample(db, await ctx.requireUser(req), req.params.id),
    );

    app.put(
      '/api/inspections/items/:id',
      {
        schema: {
          tags: ['inspections'],
          summary: '记录检查结果 Record a unit’s result',
          params: Id,
          body: z.object({
            score: z.number().finite().min(0).max(100),
            findings: z.string().max(5000, '不能超过5000字').refine(noNul, '不能包含空字符').nullish(),
            inspectedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD'),
          }),
        },
      },
      async (req) => recordItem(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.get(
      '/api/inspections/results',
      {
        schema: {
          tags: ['inspections'],
          summary: '明查暗访结果 Results per unit and region (?format=xlsx)',
          querystring: z.object({ year: Year, format: z.enum(['json', 'xlsx']).default('json') }),
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        if (req.query.format === 'xlsx') {
          const buf = await resultsXlsx(db, user, req.query.year);
          return reply
            .header('content-type', XLSX)
            .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`明查暗访结果${req.query.year}.xlsx`)}`)
            .send(buf);
        }
        return results(db, user, req.query.year);
      },
    );
  };
