import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PRESET_002, PRESET_004, RULE_TEXT, checkNominations, checkRecommendation, rankForSelection } from '../src/index.js';

const base = {
  quota: 3,
  alreadyRecommended: 0,
  lowerTitleHeld: true,
  lowerTitleYear: 2026,
  campaignYear: 2026,
  rules: PRESET_004.rules,
};

describe('checkRecommendation (004 推荐)', () => {
  it('accepts a named unit within quota', () => {
    expect(checkRecommendation(base)).toBeNull();
    expect(checkRecommendation({ ...base, alreadyRecommended: 2 })).toBeNull();
  });

  it('refuses over quota, naming the rule and the numbers', () => {
    const r = checkRecommendation({ ...base, alreadyRecommended: 3 });
    expect(r?.rule).toBe(RULE_TEXT.quota);
    expect(r?.message).toContain('推荐名额3个，已推荐3个');
  });

  it('refuses when no quota is allotted', () => {
    expect(checkRecommendation({ ...base, quota: null })?.rule).toBe(RULE_TEXT.quota);
    expect(checkRecommendation({ ...base, quota: 0 })?.rule).toBe(RULE_TEXT.quota);
  });

  it('refuses a unit without a county title, or with last year’s', () => {
    expect(checkRecommendation({ ...base, lowerTitleHeld: false, lowerTitleYear: null })?.rule).toBe('推荐对象须已获得县区级命名');
    const r = checkRecommendation({ ...base, lowerTitleYear: 2025 });
    expect(r?.rule).toBe('推荐对象须已获得县区级命名');
    expect(r?.message).toContain('2026年度');
  });

  it('refuses recommendations into a campaign that takes self-submissions', () => {
    expect(checkRecommendation({ ...base, rules: PRESET_002.rules })?.rule).toBe(RULE_TEXT.entry);
  });

  it('property: a recommendation at or over quota is always refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 60 }), (quota, already) => {
        const r = checkRecommendation({ ...base, quota, alreadyRecommended: already });
        if (already >= quota) expect(r?.rule).toBe(RULE_TEXT.quota);
        else expect(r).toBeNull();
      }),
    );
  });
});

describe('checkNominations (002 不低于表彰名额2倍)', () => {
  it('names the quota, the requirement and the count', () => {
    const r = checkNominations({ awardQuota: 3, nominated: 4, factor: 2 });
    expect(r.ok).toBe(false);
    expect(r.required).toBe(6);
    expect(r.message).toBe('按照不低于表彰名额2倍的要求做好推荐申报：表彰名额3个，至少须推荐6个，现有4个');
    expect(checkNominations({ awardQuota: 3, nominated: 6, factor: 2 }).ok).toBe(true);
  });

  it('has nothing to check without an award quota', () => {
    const r = checkNominations({ awardQuota: null, nominated: 0, factor: 2 });
    expect(r.ok).toBe(true);
    expect(r.required).toBeNull();
  });

  it('rounds a fractional requirement up', () => {
    expect(checkNominations({ awardQuota: 3, nominated: 4, factor: 1.5 }).required).toBe(5);
  });
});

describe('rankForSelection (000 4星评选)', () => {
  const c = (applicationId: number, score: number) => ({ applicationId, score, stars: 4 });

  it('ranks by score, shares ranks on ties and selects within capacity', () => {
    const r = rankForSelection([c(1, 80), c(2, 92), c(3, 85), c(4, 85), c(5, 70)], 3);
    expect(r.tie).toBeNull();
    expect(r.ranking.map((x) => [x.applicationId, x.rank, x.selected])).toEqual([
      [2, 1, true],
      [3, 2, true],
      [4, 2, true],
      [1, 4, false],
      [5, 5, false],
    ]);
    expect(r.ranking[0]!.reason).toContain('排名第1');
    expect(r.ranking[3]!.reason).toContain('超出评选名额3个');
  });

  it('does not drop a tie at the cut-off silently: it asks the office to order the tied', () => {
    const r = rankForSelection([c(1, 90), c(2, 85), c(3, 85), c(4, 85)], 2);
    expect(r.tie).toEqual(expect.objectContaining({ rank: 2, seats: 1, applicationIds: [2, 3, 4] }));
    expect(r.tie!.message).toContain('请平安办确定');
    expect(r.ranking.filter((x) => x.selected).map((x) => x.applicationId)).toEqual([1]);
  });

  it('with the office’s order, the first of the tied fill the seats left', () => {
    const r = rankForSelection([c(1, 90), c(2, 85), c(3, 85), c(4, 85)], 2, [4, 2, 3]);
    expect(r.tie).toBeNull();
    expect(r.ranking.filter((x) => x.selected).map((x) => x.applicationId)).toEqual([1, 4]);
    expect(r.ranking.find((x) => x.applicationId === 2)!.reason).toContain('未选入');
  });

  const arb = fc.tuple(
    fc.uniqueArray(
      fc.record({ applicationId: fc.integer({ min: 1, max: 10_000 }), score: fc.integer({ min: 0, max: 20 }), stars: fc.constant(4) }),
      {
        selector: (x) => x.applicationId,
        maxLength: 30,
      },
    ),
    fc.integer({ min: 0, max: 35 }),
    fc.boolean(),
  );

  it('property: never more selected than capacity; higher score never ranked below a lower one', () => {
    fc.assert(
      fc.property(arb, ([cands, capacity, breakTies]) => {
        const tieBreak = breakTies ? [...cands].reverse().map((x) => x.applicationId) : [];
        const r = rankForSelection(cands, capacity, tieBreak);
        expect(r.ranking).toHaveLength(cands.length);
        const sel = r.ranking.filter((x) => x.selected);
        expect(sel.length).toBeLessThanOrEqual(capacity);
        for (const a of r.ranking)
          for (const b of r.ranking) {
            if (a.score > b.score) expect(a.rank).toBeLessThan(b.rank);
            if (a.score === b.score) expect(a.rank).toBe(b.rank);
            // a selected candidate never has a lower score than an unselected one
            if (b.selected && !a.selected) expect(a.score).toBeLessThanOrEqual(b.score);
          }
        if (breakTies) {
          expect(r.tie).toBeNull();
          expect(sel.length).toBe(Math.min(capacity, cands.length));
        } else if (!r.tie) expect(sel.length).toBe(Math.min(capacity, cands.length));
        for (const x of r.ranking) expect(x.reason).toMatch(/得分/);
      }),
    );
  });
});
