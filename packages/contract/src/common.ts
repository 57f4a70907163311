import { z } from 'zod';
import type { ApplicationForm, CriterionAnswer, MissingItem, Rating, StarGap } from '@pingan/core';
import { APPLICATION_STATUSES, REVIEW_STAGES, RatingScheme, StandardDoc } from '@pingan/core';

/**
 * Schemas shared by several modules' answers. Where the core already has a TypeScript type (the
 * rating engine's Rating), the schema is checked against it at compile time below, so the two can
 * never drift apart.
 */

export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export const ReviewStage = z.enum(REVIEW_STAGES);
export const TitleLevel = z.enum(['none', 'standard', 'advanced', 'exemplary', 'title']);

export const Reason = z
  .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
  .meta({ id: 'Reason' });

export const CriterionRating = z.object({
  criterionId: z.string(),
  status: z.enum(['met', 'not_met', 'not_applicable', 'pending']),
  score: z.number(),
  points: z.number(),
  veto: z.boolean(),
  reasons: z.array(Reason),
  scoredBy: ReviewStage.nullable(),
});

export const StarGapSchema = z.object({
  stars: z.number(),
  pointsNeeded: z.number(),
  criteriaToMeet: z.array(z.string()),
  conditions: z.array(z.string()),
  summary: z.string(),
  summaryReason: Reason,
});

export const RatingSchema = z
  .object({
    scheme: RatingScheme,
    criteria: z.array(CriterionRating),
    total: z.number(),
    max: z.number(),
    percent: z.number(),
    vetoed: z.array(z.string()),
    pending: z.array(z.string()),
    provisional: z.boolean(),
    stars: z.number(),
    level: TitleLevel,
    starsByPoints: z.number(),
    conferrable: z.boolean(),
    defaultBands: z.boolean(),
    conditionsUnmet: z.array(z.string()),
    conditionsUnmetReasons: z.array(Reason),
    nextStar: StarGapSchema.nullable(),
    summary: z.string(),
    summaryReason: Reason,
  })
  .meta({ id: 'Rating', description: '评级结果 The rating engine’s verdict, item by item' });

/** The standard document as stored (a validated StandardDoc). */
export const StandardDocSchema = StandardDoc;

export const ApplicationFormSchema = z.object({
  content: z.string().nullish(),
  plan: z.string().nullish(),
  contactName: z.string().nullish(),
  contactPhone: z.string().nullish(),
});

export const FigureAnswerSchema = z.object({
  value: z.number(),
  previous: z.number().nullish(),
  numerator: z.number().nullish(),
  denominator: z.number().nullish(),
  /** set by the system when it filled the figure (a survey, a region indicator); the page shows it */
  source: z.object({ kind: z.enum(['survey', 'indicator']), ref: z.string(), label: z.string(), at: z.string() }).nullish(),
});

export const CriterionAnswerSchema = z.object({
  criterionId: z.string(),
  statement: z.string().nullish(),
  figures: z.record(z.string(), FigureAnswerSchema.optional()).optional(),
});

export const MissingItemSchema = z.object({ criterionId: z.string().nullable(), field: z.string(), message: z.string() });

// ── compile-time checks: the schemas describe exactly the core's types ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof RatingSchema>, Rating>>();
same<Same<z.infer<typeof StarGapSchema>, StarGap>>();
same<Same<z.infer<typeof MissingItemSchema>, MissingItem>>();
same<Same<z.infer<typeof ApplicationFormSchema>, ApplicationForm>>();
same<Same<z.infer<typeof CriterionAnswerSchema>, CriterionAnswer>>();
