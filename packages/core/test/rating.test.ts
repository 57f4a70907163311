import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allCriteria, rate, type CriterionAnswer, type CriterionScore } from '../src/index.js';
import { sample } from './fixtures.js';

const doc = sample();
const goodAnswers: CriterionAnswer[] = [
  { criterionId: '2', figures: { cafe_distance: { value: 350 } } },
  { criterionId: '3', figures: { satisfaction: { value: 92 } } },
  { criterionId: '4', figures: { mass_petitions: { value: 1 }, beijing_petitions: { value: 6, previous: 10 } } },
  { criterionId: '5', figures: { patrol: { value: 8 }, meetings: { value: 2 } } },
];
const score = (criterionId: string, s: number, stage: CriterionScore['stage'] = 'evaluation', met: boolean | null = null): CriterionScore => ({
  criterionId,
  score: s,
  met,
  stage,
  at: '2026-11-01T00:00:00Z',
});
const full = () => allCriteria(doc).map((c) => score(c.id, c.points, 'evaluation', true));

describe('rate', () => {
  it('gives full marks, 4 stars without the prior title, and names the 5-star condition in the gap', () => {
    const r = rate(doc, goodAnswers, full());
    expect(r.total).toBe(100);
    expect(r.starsByPoints).toBe(5);
    expect(r.stars).toBe(4);
    expect(r.level).toBe('advanced');
    expect(r.nextStar?.conditions).toEqual(['5星须上年度已获评4星']);
    expect(r.criteria.find((c) => c.criterionId === '3')!.reasons[0]).toContain('满意率 92%');
  });

  it('gives 5 stars 示范 when last year brought a 4-star title', () => {
    const r = rate(doc, goodAnswers, full(), { priorTitleStars: [{ stars: 4, yearsAgo: 1 }] });
    expect(r.stars).toBe(5);
    expect(r.level).toBe('exemplary');
    expect(r.nextStar).toBeNull();
  });

  it('a figure below its threshold fails the criterion whatever the reviewer scored', () => {
    const answers = goodAnswers.map((a) => (a.criterionId === '3' ? { criterionId: '3', figures: { satisfaction: { value: 79.9 } } } : a));
    const r = rate(doc, answers, full());
    const c3 = r.criteria.find((c) => c.criterionId === '3')!;
    expect(c3.status).toBe('not_met');
    expect(c3.score).toBe(0);
    expect(r.total).toBe(80);
    expect(r.stars).toBe(3);
  });

  it('alternatives: the −30 % change is enough when there was a mass petition', () => {
    const r = rate(doc, goodAnswers, full());
    expect(r.criteria.find((c) => c.criterionId === '4')!.status).toBe('met');
    const worse = goodAnswers.map((a) =>
      a.criterionId === '4' ? { criterionId: '4', figures: { mass_petitions: { value: 1 }, beijing_petitions: { value: 8, previous: 10 } } } : a,
    );
    expect(rate(doc, worse, full()).criteria.find((c) => c.criterionId === '4')!.status).toBe('not_met');
  });

  it('range and frequency: 11 patrol members is outside 6–10', () => {
    const answers = goodAnswers.map((a) => (a.criterionId === '5' ? { criterionId: '5', figures: { patrol: { value: 11 }, meetings: { value: 1 } } } : a));
    expect(rate(doc, answers, full()).criteria.find((c) => c.criterionId === '5')!.status).toBe('not_met');
  });

  it('a failed veto item means no title, and the gap names it', () => {
    const scores = full().map((s) => (s.criterionId === '6' ? score('6', 0, 'evaluation', false) : s));
    const r = rate(doc, goodAnswers, scores);
    expect(r.vetoed).toEqual(['6']);
    expect(r.stars).toBe(0);
    expect(r.level).toBe('none');
    expect(r.summary).toContain('一票否决');
    expect(r.nextStar?.criteriaToMeet).toEqual(['6']);
  });

  it('the evaluation stage overrides the preliminary review; not applicable leaves the maximum', () => {
    const scores = [...full().map((s) => ({ ...s, stage: 'preliminary' as const, score: 1 })), { ...score('1', 0), notApplicable: true }];
    const r = rate(doc, goodAnswers, scores);
    expect(r.criteria.find((c) => c.criterionId === '1')!.status).toBe('not_applicable');
    expect(r.max).toBe(80);
    expect(r.criteria.find((c) => c.criterionId === '2')!.scoredBy).toBe('preliminary');
  });

  it('pending criteria score nothing and are listed', () => {
    const r = rate(doc, [], []);
    expect(r.total).toBe(0);
    expect(r.pending).toHaveLength(6);
    expect(r.nextStar?.pointsNeeded).toBe(60);
  });

  // properties
  const scoresArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 });
  const toScores = (fr: number[]) => allCriteria(doc).map((c, i) => score(c.id, Math.round(c.points * fr[i]! * 100) / 100, 'evaluation'));

  it('property: raising one score never lowers the stars', () => {
    fc.assert(
      fc.property(scoresArb, fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), (fr, idx, bump) => {
        const before = rate(doc, goodAnswers, toScores(fr));
        const raised = [...fr];
        raised[idx] = Math.min(1, raised[idx]! + bump);
        const after = rate(doc, goodAnswers, toScores(raised));
        expect(after.stars).toBeGreaterThanOrEqual(before.stars);
        expect(after.total).toBeGreaterThanOrEqual(before.total);
      }),
    );
  });

  it('property: a failed veto item always means no title', () => {
    fc.assert(
      fc.property(scoresArb, (fr) => {
        const scores = toScores(fr).map((s) => (s.criterionId === '6' ? { ...s, met: false } : s));
        const r = rate(doc, goodAnswers, scores);
        expect(r.stars).toBe(0);
        expect(r.vetoed).toContain('6');
      }),
    );
  });

  it('property: the order of criteria and of answers changes nothing', () => {
    fc.assert(
      fc.property(scoresArb, fc.integer(), (fr, seed) => {
        const shuffled = structuredClone(doc);
        const rot = Math.abs(seed) % 3;
        for (const g of shuffled.groups) g.criteria = [...g.criteria.slice(rot % g.criteria.length), ...g.criteria.slice(0, rot % g.criteria.length)];
        shuffled.groups.reverse();
        const a = rate(doc, goodAnswers, toScores(fr));
        const b = rate(shuffled, [...goodAnswers].reverse(), [...toScores(fr)].reverse());
        expect(b.total).toBe(a.total);
        expect(b.stars).toBe(a.stars);
        expect(b.vetoed).toEqual(a.vetoed);
      }),
    );
  });

  it('property: the total equals the hand sum of the scores of met criteria', () => {
    fc.assert(
      fc.property(scoresArb, (fr) => {
        const scores = toScores(fr);
        const r = rate(doc, goodAnswers, scores);
        // yes/no criteria give full points when met (a positive score), score criteria what was given
        const hand = allCriteria(doc).reduce((t, c) => {
          const s = scores.find((x) => x.criterionId === c.id)!.score!;
          return t + (s > 0 ? (c.judge === 'yesno' ? c.points : s) : 0);
        }, 0);
        expect(r.total).toBeCloseTo(hand, 6);
      }),
    );
  });
});
