import { useCallback, useEffect, useState } from 'react';
import { allCriteria, type Criterion } from '@pingan/core';
import type { ApplicationDetail, Decision, Me, ReviewInput } from '../../../api/types';

export interface ScoreDraft {
  score: number | null;
  met: boolean | null;
  comment: string;
}

/**
 * Whether this account scores this criterion here: the server says whether it owns the current
 * step (canScore); a department's 会签 items are scored on the signoff worklist, not here.
 */
export function mayScore(detail: ApplicationDetail, _me: Me, _c: Criterion): boolean {
  return detail.canScore;
}

/** The latest score given to each criterion, over all reviews in order. */
function prefill(detail: ApplicationDetail): Record<string, ScoreDraft> {
  const out: Record<string, ScoreDraft> = {};
  for (const r of detail.reviews)
    for (const s of r.scores)
      if (s.score != null || s.met != null) out[s.criterionId] = { score: s.score, met: s.met, comment: s.comment ?? '' };
  return out;
}

/** The reviewer's working copy: scores per criterion and the overall comment. */
export function useReview(detail: ApplicationDetail | undefined, me: Me) {
  const [scores, setScores] = useState<Record<string, ScoreDraft>>({});
  const [comment, setComment] = useState('');
  const [prefilled, setPrefilled] = useState(false);
  // only what this reviewer changes is sent: earlier steps' scores shown as a start keep their origin
  const [touched, setTouched] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!detail) return;
    const p = prefill(detail);
    setScores(p);
    setTouched(new Set());
    setPrefilled(Object.keys(p).length > 0);
    // the overall comment of this reviewer at this step is kept and shown again
    const own = detail.reviews.find((r) => r.reviewerId === me.id && r.step === detail.step?.key);
    setComment(own?.comment ?? '');
  }, [detail, me.id]);

  const set = useCallback((cid: string, patch: Partial<ScoreDraft>) => {
    setTouched((t) => (t.has(cid) ? t : new Set(t).add(cid)));
    setScores((s) => ({ ...s, [cid]: { ...(s[cid] ?? { score: null, met: null, comment: '' }), ...patch } }));
  }, []);

  const build = useCallback(
    (decision: Decision, reason?: string): ReviewInput => {
      // turning an application back changes no score: the page's copy is not sent
      const turningBack = decision === 'return' || decision === 'reject';
      const list = detail && !turningBack ? allCriteria(detail.standard).filter((c) => mayScore(detail, me, c) && touched.has(c.id)) : [];
      return {
        decision,
        comment: comment.trim() || null,
        reason: reason?.trim() || null,
        scores: list.flatMap((c) => {
          const s = scores[c.id];
          if (!s || (s.score == null && s.met == null)) return [];
          return [{ criterionId: c.id, score: s.score, met: s.met, comment: s.comment.trim() || null }];
        }),
      };
    },
    [detail, me, scores, comment, touched],
  );

  return { scores, set, comment, setComment, prefilled, build };
}

export type Review = ReturnType<typeof useReview>;
