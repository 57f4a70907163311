import { useCallback, useEffect, useState } from 'react';
import { allCriteria, type Criterion } from '@pingan/core';
import type { ApplicationDetail, Decision, Me, ReviewInput } from '../../../api/types';

export interface ScoreDraft {
  score: number | null;
  met: boolean | null;
  comment: string;
}

/** A cooperating department scores only the criteria it is named on; other reviewers score all. */
export function mayScore(me: Me, c: Criterion): boolean {
  if (me.role !== 'cooperating_department') return true;
  const d = me.org?.deptCode;
  return !!d && ((c.lead as string[]).includes(d) || (c.cooperate as string[]).includes(d));
}

/** The latest score given to each criterion, over all reviews in order. */
function prefill(detail: ApplicationDetail): Record<string, ScoreDraft> {
  const out: Record<string, ScoreDraft> = {};
  for (const r of detail.reviews)
    for (const s of r.scores) if (s.score != null || s.met != null) out[s.criterionId] = { score: s.score, met: s.met, comment: s.comment ?? '' };
  return out;
}

/** The reviewer's working copy: scores per criterion and the overall comment. */
export function useReview(detail: ApplicationDetail | undefined, me: Me) {
  const [scores, setScores] = useState<Record<string, ScoreDraft>>({});
  const [comment, setComment] = useState('');
  const [prefilled, setPrefilled] = useState(false);

  useEffect(() => {
    if (!detail) return;
    const p = prefill(detail);
    setScores(p);
    setPrefilled(Object.keys(p).length > 0);
    setComment('');
  }, [detail]);

  const set = useCallback((cid: string, patch: Partial<ScoreDraft>) => {
    setScores((s) => ({ ...s, [cid]: { ...(s[cid] ?? { score: null, met: null, comment: '' }), ...patch } }));
  }, []);

  const build = useCallback(
    (decision: Decision, reason?: string): ReviewInput => {
      const list = detail ? allCriteria(detail.standard).filter((c) => mayScore(me, c)) : [];
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
    [detail, me, scores, comment],
  );

  return { scores, set, comment, setComment, prefilled, build };
}

export type Review = ReturnType<typeof useReview>;
