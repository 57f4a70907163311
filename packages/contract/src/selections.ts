import { z } from 'zod';
import type { RankedCandidate, SelectionTie as CoreSelectionTie } from '@pingan/core';
import { Id, IdParams, Text, Timestamp, route } from './route.js';

/**
 * 星级评选 (000): among the evaluated applications that reach the stars by points, the campaign
 * office picks within a number; the ranking and every reason are kept.
 */

/** One candidate in a ranking, as the core's rankForSelection gives it. */
export const RankedCandidateSchema = z.object({
  applicationId: z.number(),
  score: z.number(),
  /** 1 + the number of candidates with a strictly higher score: equal scores share a rank */
  rank: z.number(),
  selected: z.boolean(),
  reason: z.string(),
});

export const RankedEntry = RankedCandidateSchema.extend({ subjectName: z.string() });

export const SelectionView = z
  .object({
    id: z.number(),
    categoryCode: z.string(),
    stars: z.number(),
    capacity: z.number(),
    decidedAt: Timestamp,
    selectedCount: z.number(),
    ranking: z.array(RankedEntry),
  })
  .meta({ id: 'Selection', description: '星级评选 A selection: the ranking, who was chosen and why' });

/**
 * A tie at the cut-off the office has not broken: the details of the 422 RULE_BROKEN answer to
 * POST /api/campaigns/:id/selections, beside `rule` and the `ranking` (RankedEntry[]).
 */
export const SelectionTieSchema = z.object({
  rank: z.number(),
  seats: z.number(),
  applicationIds: z.array(z.number()),
  message: z.string(),
});
export const SelectionTieDetails = z.object({ rule: z.string(), tie: SelectionTieSchema, ranking: z.array(RankedEntry) });
export type SelectionTieDetails = z.infer<typeof SelectionTieDetails>;

export const selectionsApi = {
  list: route({
    id: 'listSelections',
    method: 'GET',
    path: '/api/campaigns/:id/selections',
    summary: '星级评选结果 Selections (4-star 评选) of a campaign, with rankings and reasons',
    tags: ['selections'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({ stars: z.number().nullable(), selections: z.array(SelectionView) }),
  }),
  run: route({
    id: 'runSelection',
    method: 'POST',
    path: '/api/campaigns/:id/selections',
    summary: '开展星级评选 Run the 4-star selection of a category within a number (the campaign office)',
    tags: ['selections'],
    auth: 'session',
    params: IdParams,
    body: z.object({
      categoryCode: Text(40).regex(/^[a-z][a-z0-9_]*$/, '类别代码格式不正确'),
      capacity: z.number().int().min(1, '评选名额至少1个').max(10000),
      /** application ids in order of preference, to break a tie at the cut-off */
      tieBreak: z.array(Id).max(10000).optional(),
    }),
    status: 201,
    response: SelectionView,
  }),
};

// ── compile-time checks: the schemas describe exactly the core's types ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof RankedCandidateSchema>, RankedCandidate>>();
same<Same<z.infer<typeof SelectionTieSchema>, CoreSelectionTie>>();
