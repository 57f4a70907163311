import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_RANKING_COMPONENTS,
  assessRanking,
  componentsProblem,
  indicatorIdOf,
  indicatorRankIneligible,
  scoreRegions,
  type RankingComponent,
} from '../src/assessment.js';

const COMPONENTS: RankingComponent[] = [
  { indicator: 'two_rates_one_degree', label: '两率一度', weight: 50, better: 'higher' },
  { indicator: 'inspection_score', label: '明查暗访', weight: 30, better: 'higher' },
  { indicator: 'incidents', label: '事件数', weight: 20, better: 'lower' },
];
const REGIONS = [
  { key: '甲镇', values: { two_rates_one_degree: 90, inspection_score: 80, incidents: 0 } },
  { key: '乙镇', values: { two_rates_one_degree: 80, inspection_score: 90, incidents: 2 } },
  { key: '丙镇', values: { two_rates_one_degree: 70, inspection_score: 60, incidents: 4 } },
  { key: '丁镇', values: { two_rates_one_degree: null, inspection_score: 100, incidents: 1 } },
];

describe('scoreRegions', () => {
  it('rates score value/100 × weight, lower-better counts min-max, missing 0 — by hand', () => {
    const s = scoreRegions(COMPONENTS, REGIONS);
    const byKey = Object.fromEntries(s.map((x) => [x.key, x]));
    // 甲: 90/100×50 + 80/100×30 + (4−0)/(4−0)×20 = 45 + 24 + 20
    expect(byKey['甲镇']!.components.map((c) => c.points)).toEqual([45, 24, 20]);
    expect(byKey['甲镇']!.score).toBe(89);
    // 乙: 40 + 27 + (4−2)/4×20 = 10
    expect(byKey['乙镇']!.score).toBe(77);
    // 丙: 35 + 18 + 0
    expect(byKey['丙镇']!.score).toBe(53);
    // 丁: no 两率一度 → 0; 30 + (4−1)/4×20 = 15
    expect(byKey['丁镇']!.components[0]).toMatchObject({ value: null, points: 0 });
    expect(byKey['丁镇']!.score).toBe(45);
    expect(byKey['丁镇']!.missing).toEqual(['two_rates_one_degree']);
  });

  it('all equal on a lower-better component: everyone gets the whole weight', () => {
    const s = scoreRegions(
      [{ indicator: 'incidents', label: '事件', weight: 10, better: 'lower' }],
      [
        { key: 'a', values: { incidents: 3 } },
        { key: 'b', values: { incidents: 3 } },
      ],
    );
    expect(s.map((x) => x.score)).toEqual([10, 10]);
  });

  it('the score is always the sum of the shown points and within 0..Σweights', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.option(fc.double({ min: -50, max: 150, noNaN: true })),
            b: fc.option(fc.integer({ min: 0, max: 50 })),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (rows) => {
          const comps: RankingComponent[] = [
            { indicator: 'public_safety_feeling', label: 'a', weight: 60, better: 'higher' },
            { indicator: 'incidents', label: 'b', weight: 40, better: 'lower' },
          ];
          const out = scoreRegions(
            comps,
            rows.map((r, i) => ({ key: `r${i}`, values: { public_safety_feeling: r.a, incidents: r.b } })),
          );
          for (const o of out) {
            const sum = Math.round(o.components.reduce((s, c) => s + c.points, 0) * 100) / 100;
            expect(o.score).toBe(sum);
            expect(o.score).toBeGreaterThanOrEqual(0);
            expect(o.score).toBeLessThanOrEqual(100);
          }
        },
      ),
    );
  });
});

describe('assessRanking', () => {
  it('ranks, cards the last, vetoes the third year running, and applies the 004 rule — by hand', () => {
    const r = assessRanking({
      year: 2026,
      components: COMPONENTS,
      regions: REGIONS,
      previous: [
        { year: 2024, scores: { 甲镇: 80, 乙镇: 70, 丙镇: 60, 丁镇: 50 } },
        { year: 2025, scores: { 甲镇: 80, 乙镇: 70, 丙镇: 60, 丁镇: 55 } },
      ],
      vetoAfterConsecutiveLast: 3,
      rule: { indicator: '两率一度', bottomN: 2 },
      meanLabel: '参评镇（办）平均',
      citations: { veto: '市平安创建工作意见 四（六）', ineligible: '004 四（四）' },
    });
    expect(r.rows.map((x) => [x.key, x.score, x.rank])).toEqual([
      ['甲镇', 89, 1],
      ['乙镇', 77, 2],
      ['丙镇', 53, 3],
      ['丁镇', 45, 4],
    ]);
    // the mean of the figures there are: (90 + 80 + 70) / 3
    expect(r.average).toEqual({ value: 80, label: '参评镇（办）平均' });
    const d = r.rows[3]!;
    expect(d).toMatchObject({ yellowCard: true, veto: true, lastStreak: 3, ineligible: false });
    expect(d.reasons.join('\n')).toContain('丁镇连续3年排名倒数第一，给予一票否决（市平安创建工作意见 四（六））');
    // 丁 has no 两率一度: not judged
    expect(d.reasons.join('\n')).toContain('缺两率一度数据');
    // 丙: 70 < 80 and rank 3 of 4 is in the bottom 2 → ineligible; 乙: 80 is not below 80
    expect(r.rows[2]).toMatchObject({ ineligible: true, yellowCard: false });
    expect(r.rows[2]!.reasons[0]).toBe(
      '丙镇两率一度70%低于参评镇（办）平均80%，且排名第3位（共4个，位于后2位），取消年度评先资格（004 四（四））',
    );
    expect(r.rows[1]!.ineligible).toBe(false);
  });

  it('an entered average replaces the mean; a year missing breaks the streak', () => {
    const r = assessRanking({
      year: 2026,
      components: COMPONENTS,
      regions: REGIONS,
      previous: [
        { year: 2023, scores: { 甲镇: 80, 丁镇: 50 } },
        { year: 2024, scores: { 甲镇: 80, 丁镇: 50 } },
      ],
      vetoAfterConsecutiveLast: 3,
      rule: { indicator: '两率一度', bottomN: 10 },
      enteredAverage: { value: 85, label: '全市平均' },
    });
    expect(r.rows[3]).toMatchObject({ key: '丁镇', yellowCard: true, veto: false, lastStreak: 1 });
    // 85: 乙 (80) and 丙 (70) below, all four in the bottom 10
    expect(r.rows.filter((x) => x.ineligible).map((x) => x.key)).toEqual(['乙镇', '丙镇']);
  });

  it('rank ties: a tie counts at its best place for the bottom N', () => {
    const out = indicatorRankIneligible(
      { indicator: '两率一度', bottomN: 1 },
      [
        { key: 'a', value: 95, rank: 1 },
        { key: 'b', value: 60, rank: 2 },
        { key: 'c', value: 60, rank: 2 },
      ],
      { value: 80, label: '平均' },
    );
    expect(out.map((x) => x.ineligible)).toEqual([false, false, false]);
  });
});

describe('components', () => {
  it('the defaults are usable and weigh 100; bad lists are named', () => {
    expect(componentsProblem(DEFAULT_RANKING_COMPONENTS)).toBeNull();
    expect(DEFAULT_RANKING_COMPONENTS.reduce((s, c) => s + c.weight, 0)).toBe(100);
    expect(componentsProblem([])).toContain('至少');
    expect(componentsProblem([{ indicator: 'nope', label: 'x', weight: 1, better: 'higher' }])).toContain('未知指标');
    expect(componentsProblem([...COMPONENTS, COMPONENTS[0]!])).toContain('重复');
    expect(componentsProblem([{ ...COMPONENTS[0]!, weight: 0 }])).toContain('权重');
    expect(indicatorIdOf('两率一度')).toBe('two_rates_one_degree');
  });
});
