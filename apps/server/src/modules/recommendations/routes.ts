import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { QuotasOut } from '../quotas/routes.js';
import { getNominations, getRecommendations, recommend, withdrawRecommendation } from './service.js';

const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().max(max).refine(noNul, '不能包含空字符');
const IdNum = z.number().int().positive().max(2147483647);
const IdParam = z.coerce.number().int().positive().max(2147483647);
const Id = z.object({ id: IdParam });
const Reason = Text(500).transform((s) => s.trim()).pipe(z.string().min(1, '须填写理由'));

const RuleBrokenOut = z.object({ rule: z.string(), message: z.string() });
const Recommendation = z.object({
  id: z.number(),
  subjectId: z.number(),
  subjectName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  status: z.string(),
  step: z.string().nullable(),
  lowerTitleId: z.number().nullable(),
  recommendedByOrgId: z.number().nullable(),
  recommendedByName: z.string(),
  submittedAt: z.date().nullable(),
});
const RecommendationsOut = z.object({
  campaign: z.object({ id: z.number(), name: z.string(), year: z.number(), entry: z.enum(['self', 'recommendation']) }),
  rules: z.array(z.string()),
  quotas: QuotasOut.shape.rows,
  role: z.enum(['office', 'recommender']),
  recommender: z.object({ kind: z.enum(['region', 'department']), name: z.string() }).nullable(),
  recommendations: z.array(Recommendation),
  eligible: z.array(
    z.object({
      titleId: z.number(),
      subjectName: z.string(),
      categoryCode: z.string(),
      categoryName: z.string(),
      titleName: z.string(),
      year: z.number(),
      certificateNo: z.string(),
      recommended: z.boolean(),
      problem: RuleBrokenOut.nullable(),
    }),
  ),
});

export const recommendationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get(
      '/api/campaigns/:id/recommendations',
      {
        schema: {
          tags: ['recommendations'],
          summary: '推荐申报 Recommendations (a recommender: its quota, titles and recommendations; the office: all)',
          params: Id,
          response: { 200: RecommendationsOut },
        },
      },
      async (req) => getRecommendations(db, await ctx.requireUser(req), req.params.id),
    );

    app.post(
      '/api/campaigns/:id/recommendations',
      {
        schema: {
          tags: ['recommendations'],
          summary: '推荐 Recommend a unit named by the county this year (within quota; 422 RULE_BROKEN names the rule)',
          params: Id,
          body: z.object({ titleId: IdNum }),
          response: {
            201: z.object({ id: z.number(), status: z.string(), step: z.string().nullable(), copied: z.object({ answers: z.number(), files: z.number() }) }),
          },
        },
      },
      async (req, reply) => {
        const r = await recommend(db, await ctx.requireUser(req), req.params.id, req.body.titleId);
        reply.code(201);
        return r;
      },
    );

    app.delete(
      '/api/campaigns/:id/recommendations/:applicationId',
      {
        schema: {
          tags: ['recommendations'],
          summary: '撤回推荐 Withdraw a recommendation still at the first step, with a reason',
          params: z.object({ id: IdParam, applicationId: IdParam }),
          body: z.object({ reason: Reason }),
          response: { 200: z.object({ id: z.number(), status: z.literal('withdrawn') }) },
        },
      },
      async (req) => withdrawRecommendation(db, await ctx.requireUser(req), req.params.id, req.params.applicationId, req.body.reason),
    );

    app.get(
      '/api/campaigns/:id/nominations',
      {
        schema: {
          tags: ['recommendations'],
          summary: '推荐比例 Nominations against the award quota (002: 不低于表彰名额2倍)',
          params: Id,
          response: {
            200: z.object({
              campaign: z.object({ id: z.number(), name: z.string(), year: z.number() }),
              factor: z.number().nullable(),
              applies: z.boolean(),
              categories: z.array(
                z.object({
                  categoryCode: z.string(),
                  categoryName: z.string(),
                  awardQuota: z.number().nullable(),
                  nominated: z.number(),
                  required: z.number().nullable(),
                  met: z.boolean(),
                  message: z.string(),
                  rule: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => getNominations(db, await ctx.requireUser(req), req.params.id),
    );
  };
