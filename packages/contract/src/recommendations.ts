import { z } from 'zod';
import type { RuleBroken } from '@pingan/core';
import { ApplicationStatus } from './common.js';
import { QuotaRowView, RecommenderView } from './quotas.js';
import { Id, IdParams, Page, Text, Timestamp, route } from './route.js';

/**
 * 推荐申报 (004): a county office or a lead department recommends a unit it has named this year
 * into the campaign, within its quota; 推荐比例 (002): nominations against the award quota.
 */

/** A rule a recommendation breaks, quoting the source, and what is wrong in this case. */
export const RuleBrokenSchema = z.object({ rule: z.string(), message: z.string() }).meta({ id: 'RuleBroken' });

export const RecommendationItem = z.object({
  id: z.number(),
  subjectId: z.number(),
  subjectName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  status: ApplicationStatus,
  step: z.string().nullable(),
  lowerTitleId: z.number().nullable(),
  recommendedByOrgId: z.number().nullable(),
  recommendedByName: z.string(),
  submittedAt: Timestamp.nullable(),
});

export const EligibleTitleItem = z.object({
  titleId: z.number(),
  subjectName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  titleName: z.string(),
  year: z.number(),
  certificateNo: z.string(),
  /** already recommended into this campaign */
  recommended: z.boolean(),
  /** the first rule recommending it would break; null when it may be recommended */
  problem: RuleBrokenSchema.nullable(),
});

export const RecommendationsView = z.object({
  campaign: z.object({ id: z.number(), name: z.string(), year: z.number(), entry: z.enum(['self', 'recommendation']) }),
  /** the rules a recommender must meet, in the source's words */
  rules: z.array(z.string()),
  quotas: z.array(QuotaRowView),
  role: z.enum(['office', 'recommender']),
  recommender: RecommenderView.nullable(),
  recommendations: z.array(RecommendationItem),
  /** one page of the titles it may recommend (the query's q, limit and offset) */
  eligible: z.array(EligibleTitleItem),
  /** how many titles match in all: the page never hides the rest */
  eligibleTotal: z.number(),
});

export const NominationRow = z.object({
  categoryCode: z.string(),
  categoryName: z.string(),
  awardQuota: z.number().nullable(),
  nominated: z.number(),
  required: z.number().nullable(),
  met: z.boolean(),
  message: z.string(),
  rule: z.string(),
});

export const NominationsView = z.object({
  campaign: z.object({ id: z.number(), name: z.string(), year: z.number() }),
  /** nominations ≥ factor × the award quota; null when the campaign's chain has no such rule */
  factor: z.number().nullable(),
  applies: z.boolean(),
  categories: z.array(NominationRow),
});

export const recommendationsApi = {
  list: route({
    id: 'listRecommendations',
    method: 'GET',
    path: '/api/campaigns/:id/recommendations',
    summary:
      '推荐申报 Recommendations (a recommender: its quota, a page of its titles searched by unit name, and its recommendations; the office: all)',
    tags: ['recommendations'],
    auth: 'session',
    params: IdParams,
    query: z.object({ q: Text(50).trim().optional(), ...Page }),
    status: 200,
    response: RecommendationsView,
  }),
  recommend: route({
    id: 'recommendTitle',
    method: 'POST',
    path: '/api/campaigns/:id/recommendations',
    summary: '推荐 Recommend a unit named by the county this year (within quota; 422 RULE_BROKEN names the rule)',
    tags: ['recommendations'],
    auth: 'session',
    params: IdParams,
    body: z.object({ titleId: Id }),
    status: 201,
    response: z.object({
      id: z.number(),
      status: ApplicationStatus,
      step: z.string().nullable(),
      /** answers and evidence copied from the county's application */
      copied: z.object({ answers: z.number(), files: z.number() }),
    }),
  }),
  withdraw: route({
    id: 'withdrawRecommendation',
    method: 'DELETE',
    path: '/api/campaigns/:id/recommendations/:applicationId',
    summary: '撤回推荐 Withdraw a recommendation still at the first step, with a reason',
    tags: ['recommendations'],
    auth: 'session',
    params: z.object({ id: Id, applicationId: Id }),
    body: z.object({ reason: Text(500).trim().min(1, '须填写理由') }),
    status: 200,
    response: z.object({ id: z.number(), status: z.literal('withdrawn') }),
  }),
  nominations: route({
    id: 'getNominations',
    method: 'GET',
    path: '/api/campaigns/:id/nominations',
    summary: '推荐比例 Nominations against the award quota (002: 不低于表彰名额2倍)',
    tags: ['recommendations'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: NominationsView,
  }),
};

// ── compile-time check: the schema describes exactly the core's type ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof RuleBrokenSchema>, RuleBroken>>();
