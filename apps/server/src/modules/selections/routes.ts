import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { listSelections, runSelection } from './service.js';

const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().max(max).refine(noNul, '不能包含空字符');
const IdNum = z.number().int().positive().max(2147483647);
const IdParam = z.coerce.number().int().positive().max(2147483647);
const Id = z.object({ id: IdParam });

const Selection = z.object({
  id: z.number(),
  categoryCode: z.string(),
  stars: z.number(),
  capacity: z.number(),
  decidedAt: z.string(),
  selectedCount: z.number(),
  ranking: z.array(
    z.object({ applicationId: z.number(), subjectName: z.string(), score: z.number(), rank: z.number(), selected: z.boolean(), reason: z.string() }),
  ),
});

export const selectionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get(
      '/api/campaigns/:id/selections',
      {
        schema: {
          tags: ['selections'],
          summary: '星级评选结果 Selections (4-star 评选) of a campaign, with rankings and reasons',
          params: Id,
          response: { 200: z.object({ stars: z.number().nullable(), selections: z.array(Selection) }) },
        },
      },
      async (req) => listSelections(db, await ctx.requireUser(req), req.params.id),
    );

    app.post(
      '/api/campaigns/:id/selections',
      {
        schema: {
          tags: ['selections'],
          summary: '开展星级评选 Run the 4-star selection of a category within a number (the campaign office)',
          params: Id,
          body: z.object({
            categoryCode: Text(40).regex(/^[a-z][a-z0-9_]*$/, '类别代码格式不正确'),
            capacity: z.number().int().min(1, '评选名额至少1个').max(10000),
            /** application ids in order of preference, to break a tie at the cut-off */
            tieBreak: z.array(IdNum).max(10000).optional(),
          }),
          response: { 201: Selection },
        },
      },
      async (req, reply) => {
        const r = await runSelection(db, await ctx.requireUser(req), req.params.id, req.body);
        reply.code(201);
        return r;
      },
    );
  };
