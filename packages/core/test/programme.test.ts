import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  evaluatePassShare,
  evaluateRegionIndicators,
  parseBrandCatalogue,
  parsePhasePlan,
  parseQuotaTable,
  parseRegionIndicatorSet,
  passShareFor,
  rankRegions,
  rankingRulesFrom,
  type RegionIndicatorSet,
} from '../src/programme.js';

const SET_INPUT = {
  format: 'pingan-region-targets/v1',
  code: 'test-region-targets',
  title: '测试区域指标',
  issuer: '测试市',
  indicatorGroup: '五个90%以上',
  indicators: [
    { id: 'participation', label: '群众参与平安建设面', comparator: '>=', value: 90, unit: '%', text: '群众参与平安建设面达到90%以上' },
    { id: 'safety', label: '公众安全感', comparator: '>=', value: 90, unit: '%', text: '公众安全感达到90%以上' },
  ],
  passShare: {
    subjects: ['county', 'town'],
    steps: [
      { year: 2019, comparator: '>=', value: 50, status: 'achieved' },
      { year: 2020, comparator: '>=', value: 90, status: 'target' },
    ],
    text: '在2019年已有50%的县（市）区、乡（镇）办事处达标的基础上，争取2020年的达标比例达到90%以上',
  },
  consequences: [
    { kind: 'yellow_card', actions: ['黄牌警告'], text: '对排名倒数第一的县（市）区、单位给予黄牌警告' },
    { kind: 'veto', consecutiveYearsLast: 3, text: '连续三年排名倒数第一的，给予一票否决' },
  ],
};

function set(): RegionIndicatorSet {
  const r = parseRegionIndicatorSet(SET_INPUT);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.set;
}

describe('evaluateRegionIndicators', () => {
  it('fails a region at 89.9 % and passes it at 90 %', () => {
    const s = set();
    const low = evaluateRegionIndicators(s, { participation: 95, safety: 89.9 });
    expect(low.met).toBe(false);
    expect(low.unmet).toEqual(['safety']);
    expect(low.results[1]).toMatchObject({ met: false, value: 89.9 });
    expect(low.results[1]!.reason).toBe('公众安全感 89.9% < 90%，未达标（要求≥ 90%）');
    expect(low.results[0]!.reason).toBe('群众参与平安建设面 95% ≥ 90%，达标');
    expect(low.summary).toBe('“五个90%以上”未全部达标：公众安全感未达标');

    const ok = evaluateRegionIndicators(s, { participation: 90, safety: 90 });
    expect(ok.met).toBe(true);
    expect(ok.summary).toBe('“五个90%以上”全部达标');
  });

  it('gives null for missing figures and accepts the document label as key', () => {
    const e = evaluateRegionIndicators(set(), { 群众参与平安建设面: 93, safety: Number.NaN });
    expect(e.met).toBeNull();
    expect(e.missing).toEqual(['safety']);
    expect(e.results[0]!.met).toBe(true);
    expect(e.results[1]!.reason).toBe('公众安全感未填报（要求≥ 90%）');
    // a failure outweighs a missing figure
    expect(evaluateRegionIndicators(set(), { participation: 10 }).met).toBe(false);
  });

  it('follows the pass-share progression 50 % → 90 %', () => {
    const s = set();
    expect(passShareFor(s, 2018)).toBeNull();
    expect(passShareFor(s, 2019)!.value).toBe(50);
    expect(passShareFor(s, 2020)!.value).toBe(90);
    expect(passShareFor(s, 2023)!.value).toBe(90);
    expect(evaluatePassShare(s, 2019, 55).met).toBe(true);
    expect(evaluatePassShare(s, 2020, 89.9)).toMatchObject({ met: false });
    expect(evaluatePassShare(s, 2020, 89.9).reason).toContain('未达标');
    expect(evaluatePassShare(s, 2018, 10).met).toBeNull();
  });
});

describe('rankRegions', () => {
  it('ranks, marks the first and gives the last a yellow card', () => {
    const [y] = rankRegions({ 2019: { 甲: 90, 乙: 70, 丙: 85, 丁: 85 } });
    expect(y!.ranking).toEqual([
      { region: '甲', score: 90, rank: 1 },
      { region: '丁', score: 85, rank: 2 },
      { region: '丙', score: 85, rank: 2 },
      { region: '乙', score: 70, rank: 4 },
    ]);
    expect(y!.first).toEqual(['甲']);
    expect(y!.yellowCard).toEqual(['乙']);
    expect(y!.veto).toEqual([]);
    expect(y!.reasons).toContain('乙2019年排名倒数第一（70分），给予黄牌警告');
  });

  it('vetoes after three consecutive years last, and keeps vetoing while last', () => {
    const r = rankRegions({
      2018: { 甲: 90, 乙: 60 },
      2019: { 甲: 91, 乙: 61 },
      2020: { 甲: 92, 乙: 62 },
      2021: { 甲: 93, 乙: 63 },
    });
    expect(r.map((y) => y.veto)).toEqual([[], [], ['乙'], ['乙']]);
    expect(r.map((y) => y.lastStreak['乙'])).toEqual([1, 2, 3, 4]);
    expect(r[2]!.reasons).toContain('乙连续3年排名倒数第一，给予一票否决');
  });

  it('does not veto after two or three non-consecutive years last', () => {
    const r = rankRegions([
      { year: 2018, scores: { 甲: 90, 乙: 60 } },
      { year: 2019, scores: { 甲: 50, 乙: 61 } },
      { year: 2020, scores: { 甲: 92, 乙: 62 } },
      { year: 2021, scores: { 甲: 93, 乙: 63 } },
    ]);
    expect(r.map((y) => y.yellowCard)).toEqual([['乙'], ['甲'], ['乙'], ['乙']]);
    expect(r.every((y) => y.veto.length === 0)).toBe(true);
    // a year missing from the data breaks the streak
    const gap = rankRegions({ 2017: { 甲: 1, 乙: 2 }, 2018: { 甲: 1, 乙: 2 }, 2020: { 甲: 1, 乙: 2 } });
    expect(gap.map((y) => y.veto)).toEqual([[], [], []]);
    expect(gap[2]!.lastStreak).toEqual({ 甲: 1 });
  });

  it('reads the veto years from the set, and gives ties at the bottom a card each but none when all tie', () => {
    expect(rankingRulesFrom(set())).toEqual({ vetoAfterConsecutiveLast: 3 });
    const twoYears = rankRegions({ 2019: { 甲: 1, 乙: 2 }, 2020: { 甲: 1, 乙: 2 } }, { vetoAfterConsecutiveLast: 2 });
    expect(twoYears[1]!.veto).toEqual(['甲']);
    const [tie] = rankRegions({ 2020: { 甲: 1, 乙: 1, 丙: 3 } });
    expect(tie!.yellowCard).toEqual(['乙', '甲'].sort());
    const [all] = rankRegions({ 2020: { 甲: 5, 乙: 5 } });
    expect(all!.yellowCard).toEqual([]);
    expect(all!.first).toEqual([]);
    expect(() => rankRegions({ 2020: { 甲: Number.NaN } })).toThrow(RangeError);
  });

  const scores = fc.dictionary(
    fc.constantFrom('商州区', '洛南县', '丹凤县', '商南县', '山阳县', '镇安县', '柞水县', '高新区'),
    fc.integer({ min: 0, max: 20 }).map((n) => n * 5),
    { minKeys: 1 },
  );

  it('property: the ranking is a permutation, ordered, and the yellow card goes exactly to the lowest score', () => {
    fc.assert(
      fc.property(scores, (s) => {
        const [y] = rankRegions({ 2020: s });
        const regions = Object.keys(s);
        expect(y!.ranking.map((r) => r.region).sort()).toEqual([...regions].sort());
        for (let i = 1; i < y!.ranking.length; i++) {
          expect(y!.ranking[i]!.score).toBeLessThanOrEqual(y!.ranking[i - 1]!.score);
          expect(y!.ranking[i]!.rank).toBe(y!.ranking[i]!.score === y!.ranking[i - 1]!.score ? y!.ranking[i - 1]!.rank : i + 1);
        }
        const min = Math.min(...Object.values(s));
        const distinct = new Set(Object.values(s)).size;
        const lowest = regions.filter((r) => s[r] === min).sort();
        expect([...y!.yellowCard].sort()).toEqual(distinct > 1 ? lowest : []);
      }),
    );
  });

  it('property: a veto exactly when yellow-carded in this and the two previous calendar years', () => {
    fc.assert(
      fc.property(fc.array(scores, { minLength: 1, maxLength: 6 }), fc.integer({ min: 2015, max: 2020 }), (years, from) => {
        const input = years.map((s, i) => ({ year: from + i, scores: s }));
        const r = rankRegions(input);
        r.forEach((y, i) => {
          for (const region of Object.keys(input[i]!.scores)) {
            const last3 = i >= 2 && [0, 1, 2].every((k) => r[i - k]!.yellowCard.includes(region));
            expect(y.veto.includes(region)).toBe(last3);
          }
        });
      }),
    );
  });
});

describe('programme schemas', () => {
  const quotas = (totals: Record<string, number | null>, discrepancies: unknown[] = []) => ({
    format: 'pingan-quotas/v1',
    code: 'test-quotas',
    title: '测试分配表',
    issuer: '测试市',
    year: 2018,
    regions: {
      columns: [
        { brand: 'town', name: '平安镇（办）' },
        { brand: 'street', name: '平安街道' },
      ],
      rows: [
        { region: '甲县', counts: { town: 3, street: 1 } },
        { region: '乙区', counts: { town: 2, street: null } },
      ],
      totals,
    },
    discrepancies,
  });

  it('accepts totals that add up, counting blank cells as 0', () => {
    expect(parseQuotaTable(quotas({ town: 5, street: 1 })).ok).toBe(true);
  });

  it('refuses a total that does not add up, naming the field', () => {
    const r = parseQuotaTable(quotas({ town: 6, street: 1 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['regions.totals.town: total 6 ≠ sum 5; if the source says so, record it in discrepancies']);
  });

  it('keeps a source total that does not add up when the discrepancy is recorded, and only then', () => {
    const d = { table: 'regions', column: 'town', sourceTotal: 6, computedSum: 5, text: '源表合计6，各行之和为5' };
    expect(parseQuotaTable(quotas({ town: 6, street: 1 }, [d])).ok).toBe(true);
    const stale = parseQuotaTable(quotas({ town: 5, street: 1 }, [d]));
    expect(stale.ok).toBe(false);
    const wrong = parseQuotaTable(quotas({ town: 7, street: 1 }, [d]));
    expect(wrong.ok).toBe(false);
  });

  it('wants every column in every row', () => {
    const input = quotas({ town: 5 });
    delete (input.regions.rows[1]!.counts as Record<string, unknown>).street;
    const r = parseQuotaTable(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^regions\.rows\[1\]\.counts: missing column street/);
  });

  it('names the field of an unknown department in a catalogue', () => {
    const r = parseBrandCatalogue({
      format: 'pingan-brands/v1',
      code: 'test-brands',
      title: '测试',
      issuer: '测试市',
      year: 2018,
      brands: [{ code: 'unit', name: '平安单位', subjectKind: 'unit', kind: 'title', standardBy: 'county' }],
      domains: [
        {
          code: 'campus',
          name: '校园',
          activity: '平安校园',
          leadName: '市教育局',
          lead: ['no_such_dept'],
          responsibility: '市教育局为主责部门',
        },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^domains\[0\]\.lead\[0\]: /);
  });

  it('refuses phases out of order within a track', () => {
    const phase = (id: string, end: string) => ({ id, track: 'brands', name: id, end, when: end, actor: '各县（区）', text: id });
    const r = parsePhasePlan({
      format: 'pingan-phases/v1',
      code: 'test-phases',
      title: '测试',
      issuer: '测试市',
      year: 2018,
      years: { from: 2018, to: 2020 },
      tracks: [{ id: 'brands', name: '品牌' }],
      phases: [phase('a', '11-30'), phase('b', '03-20')],
      eligibility: { rules: [] },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^phases\[1\]\.end: /);
  });
});
