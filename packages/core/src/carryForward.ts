import type { StandardDoc } from './standard.js';
import { allCriteria } from './standard.js';
import { diffStandards } from './standardDiff.js';

/**
 * 沿用上年申报: which criteria of an earlier application can be copied into this year's draft.
 * Pure. A criterion is copied when its wording and its measures are the same in both versions
 * (points, departments and notes may differ: the applicant's statement and figures still answer it);
 * one whose text, title or measures changed is marked 'changed', one the newer version adds 'added'.
 */
export interface CarryForwardPlan {
  copy: string[];
  marks: { criterionId: string; kind: 'changed' | 'added'; summary: string }[];
}

/** The fields whose change means last year's answer no longer answers the criterion. */
const ANSWER_FIELDS = new Set(['text', 'title', 'measures', 'judge']);

export function carryForwardPlan(before: StandardDoc, after: StandardDoc): CarryForwardPlan {
  const changes = diffStandards(before, after).filter((c) => c.target === 'criterion' && c.criterionId);
  const marks = new Map<string, CarryForwardPlan['marks'][number]>();
  for (const c of changes) {
    const id = c.criterionId!;
    if (c.kind === 'added') marks.set(id, { criterionId: id, kind: 'added', summary: c.summary });
    else if (c.kind === 'changed' && c.field && ANSWER_FIELDS.has(c.field)) {
      const prev = marks.get(id);
      marks.set(id, { criterionId: id, kind: 'changed', summary: prev ? `${prev.summary}；${c.summary}` : c.summary });
    }
  }
  const copy = allCriteria(after)
    .map((c) => c.id)
    .filter((id) => !marks.has(id));
  const order = new Map(allCriteria(after).map((c, i) => [c.id, i]));
  return { copy, marks: [...marks.values()].sort((a, b) => (order.get(a.criterionId) ?? 0) - (order.get(b.criterionId) ?? 0)) };
}
