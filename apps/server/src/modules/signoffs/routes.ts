import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { matrix, matrixXlsx, override, saveScores, sign, worklist, worklistXlsx } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Id = z.coerce.number().int().positive().max(2147483647);
const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().max(max, `不超过${max}个字`).refine(noNul, '不能包含空字符');
const Limit = z.coerce.number().int().min(1).max(200).default(20);
const Offset = z.coerce.number().int().min(0).max(1_000_000).default(0);

const ScoreValue = z.object({ score: z.number().nullable(), met: z.boolean().nullable(), notApplicable: z.boolean(), comment: z.string().nullable() });
const WorklistCriterion = z.object({
  id: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  judge: z.enum(['yesno', 'score']),
  points: z.number(),
  veto: z.boolean(),
  role: z.enum(['lead', 'cooperate']),
  judged: z.boolean(),
  current: ScoreValue.nullable(),
});
const WorklistItem = z.object({
  id: z.number(),
  step: z.string(),
  status: z.enum(['pending', 'signed', 'overridden']),
  late: z.boolean(),
  deadline: z.string().nullable(),
  comment: z.string().nullable(),
  signedAt: z.string().nullable(),
  overrideReason: z.string().nullable(),
  reviewComment: z.string().nullable(),
  judged: z.number(),
  application: z.object({
    id: z.number(),
    status: z.string(),
    subjectName: z.string(),
    categoryCode: z.string(),
    categoryName: z.string(),
    campaignId: z.number(),
    campaignName: z.string(),
    submittedAt: z.string().nullable(),
  }),
  criteria: z.array(WorklistCriterion),
});
const WorklistResponse = z.object({ total: z.number(), limit: z.number(), offset: z.number(), today: z.string(), items: z.array(WorklistItem) });
const Moved = z.object({
  signoffId: z.number(),
  status: z.enum(['signed', 'overridden']),
  application: z.object({ id: z.number(), status: z.string(), step: z.string().nullable(), advanced: z.boolean() }),
});
const MatrixCell = z.object({
  signoffId: z.number(),
  orgId: z.number(),
  deptCode: z.string(),
  step: z.string(),
  state: z.enum(['pending', 'signed', 'overridden', 'late']),
  deadline: z.string().nullable(),
  at: z.string().nullable(),
  by: z.string().nullable(),
  comment: z.string().nullable(),
  reason: z.string().nullable(),
});
const MatrixResponse = z.object({
  campaign: z.object({ id: z.number(), name: z.string() }),
  today: z.string(),
  departments: z.array(z.object({ orgId: z.number(), deptCode: z.string(), name: z.string() })),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  summary: z.object({ pending: z.number(), signed: z.number(), overridden: z.number(), late: z.number() }),
  rows: z.array(
    z.object({
      application: z.object({ id: z.number(), status: z.string(), step: z.string().nullable(), subjectName: z.string(), categoryCode: z.string(), categoryName: z.string() }),
      cells: z.array(MatrixCell),
    }),
  ),
});

function sendXlsx(reply: { header(k: string, v: string): unknown; send(b: Buffer): unknown }, name: string, body: Buffer) {
  reply.header('content-type', XLSX);
  reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  reply.header('x-content-type-options', 'nosniff');
  return reply.send(body);
}

/** 会签: the departments' worklist, scoring, signing; the office's matrix and override. */
export const signoffRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get(
      '/api/signoffs/worklist',
      {
        schema: {
          tags: ['signoffs'],
          summary: '会签待办 A department’s sign-off worklist',
          querystring: z.object({
            campaignId: Id.optional(),
            status: z.enum(['pending', 'signed', 'all']).default('pending'),
            limit: Limit,
            offset: Offset,
            format: z.enum(['json', 'xlsx']).default('json'),
          }),
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        const { format, limit, offset, ...q } = req.query;
        if (format === 'xlsx') return sendXlsx(reply, '会签待办.xlsx', await worklistXlsx(db, user, q));
        return WorklistResponse.parse(await worklist(db, user, { ...q, limit, offset }));
      },
    );

    app.put(
      '/api/signoffs/:id/scores',
      {
        schema: {
          tags: ['signoffs'],
          summary: '会签评分 Score the department’s own criteria',
          params: z.object({ id: Id }),
          body: z.object({
            scores: z
              .array(
                z.object({
                  criterionId: Text(40).pipe(z.string().min(1, '须指明条目')),
                  met: z.boolean().nullish(),
                  score: z.number().finite().nullish(),
                  notApplicable: z.boolean().optional(),
                  comment: Text(2000).nullish(),
                }),
              )
              .max(500),
            comment: Text(2000).nullish(),
          }),
          response: {
            200: z.object({ signoffId: z.number(), reviewId: z.number(), judged: z.number(), total: z.number(), missing: z.array(z.string()) }),
          },
        },
      },
      async (req) => saveScores(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/signoffs/:id/sign',
      {
        schema: {
          tags: ['signoffs'],
          summary: '部门签署 Sign off',
          params: z.object({ id: Id }),
          body: z.object({ comment: Text(2000).nullish() }).default({}),
          response: { 200: Moved },
        },
      },
      async (req) => sign(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.post(
      '/api/signoffs/:id/override',
      {
        schema: {
          tags: ['signoffs'],
          summary: '越过逾期部门 Override a department past its deadline',
          params: z.object({ id: Id }),
          body: z.object({ reason: Text(1000).pipe(z.string().trim().min(1, '须填写理由')) }),
          response: { 200: Moved },
        },
      },
      async (req) => override(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.get(
      '/api/signoffs/matrix',
      {
        schema: {
          tags: ['signoffs'],
          summary: '会签情况 Departments × applications',
          querystring: z.object({
            campaignId: Id,
            state: z.enum(['open', 'all']).default('open'),
            limit: Limit,
            offset: Offset,
            format: z.enum(['json', 'xlsx']).default('json'),
          }),
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        const { format, limit, offset, ...q } = req.query;
        if (format === 'xlsx') return sendXlsx(reply, '会签情况.xlsx', await matrixXlsx(db, user, q));
        return MatrixResponse.parse(await matrix(db, user, { ...q, limit, offset }));
      },
    );
  };
