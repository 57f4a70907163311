import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StandardDoc, type StandardInput } from '../src/standard.js';
import { diffStandards, jsonEqual, summarizeDiff } from '../src/standardDiff.js';
import { SAMPLE, sample } from './fixtures.js';

const clone = <T>(v: T): T => structuredClone(v);
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
/** the same value with every object's keys in reverse order */
const reorderKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(reorderKeys)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, reorderKeys(x)]),
        )
      : v;

describe('diffStandards', () => {
  it('finds nothing between a standard and itself', () => {
    expect(diffStandards(sample(), sample())).toEqual([]);
    expect(summarizeDiff([])).toBe('两个版本内容相同');
  });

  it('names a points change with before, after and a Chinese line', () => {
    const b = sample();
    b.groups[0]!.criteria[2]!.points = 12;
    const d = diffStandards(sample(), b);
    expect(d).toEqual([
      {
        kind: 'changed',
        target: 'criterion',
        id: '3',
        criterionId: '3',
        groupId: 'A',
        field: 'points',
        before: 20,
        after: 12,
        summary: '第3项分值由20改为12',
      },
    ]);
  });

  it('lists text, veto, lead and measure changes on one criterion', () => {
    const b = sample();
    const c = b.groups[0]!.criteria[0]!;
    c.text = '平安创建组织机构健全，职责明确';
    c.veto = true;
    c.lead = ['education', 'police'];
    const c3 = b.groups[0]!.criteria[2]!;
    c3.measures = [{ ...c3.measures[0]!, value: 85 } as (typeof c3.measures)[number]];
    const d = diffStandards(sample(), b);
    const by = (id: string, field: string) => d.find((x) => x.id === id && x.field === field)!;
    expect(by('1', 'text').summary).toBe('第1项条文由「平安创建和安保组织机构健全」改为「平安创建组织机构健全，职责明确」');
    expect(by('1', 'veto').summary).toBe('第1项改为一票否决项');
    expect(by('1', 'lead').summary).toBe('第1项牵头部门由教育局改为教育局、公安局');
    expect(by('3', 'measures').summary).toBe('第3项量化指标：「满意率 ≥ 80%」改为「满意率 ≥ 85%」');
    expect(d).toHaveLength(4);
  });

  it('lists added, removed and moved criteria, and group changes', () => {
    const b = sample();
    const [c1] = b.groups[0]!.criteria.splice(0, 1); // 1 leaves A …
    b.groups[1]!.criteria.push(c1!); // … for B
    b.groups[1]!.criteria = b.groups[1]!.criteria.filter((c) => c.id !== '6');
    b.groups[1]!.criteria.push(StandardDoc.shape.groups.element.shape.criteria.element.parse({ id: '7', text: '新增条目', points: 5 }));
    b.groups[1]!.name = '建设成效';
    const d = diffStandards(sample(), b);
    expect(d.map((x) => x.summary)).toEqual([
      '分组B名称由「建设质效」改为「建设成效」',
      '第1项由分组A移至分组B',
      '新增第7项（分组B，5分）：新增条目',
      '删除第6项（10分）：无安全责任事故',
    ]);
    expect(d.find((x) => x.kind === 'added')!.after).toMatchObject({ id: '7', points: 5 });
    expect(summarizeDiff(d)).toBe('新增1项，删除1项，修改2处');
  });

  it('names standard-level changes: category, star bands, notes and order', () => {
    const b = sample();
    b.category.name = '平安学校';
    b.starRules.bands[0]!.minPercent = 65;
    b.notes = ['第二版'];
    b.groups.reverse();
    b.groups[0]!.criteria.reverse();
    const d = diffStandards(sample(), b);
    const s = d.map((x) => x.summary);
    expect(s).toContain('称号名称由「平安校园」改为「平安学校」');
    expect(s).toContain('说明由（无）改为第二版');
    expect(s).toContain('分组顺序由A、B改为B、A');
    expect(s).toContain('分组B条目顺序由4、5、6改为6、5、4');
    expect(d.find((x) => x.id === 'starRules')).toMatchObject({ field: 'bands', target: 'standard' });
  });

  it('treats an absent optional field and one set to undefined alike', () => {
    const b = sample();
    b.titleEn = undefined;
    b.groups[0]!.criteria[0]!.title = undefined;
    expect(diffStandards(sample(), b)).toEqual([]);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });
});

// ---- property: the diff is empty exactly when the documents are equal -----------------------

const MEASURES = [
  { id: 'rate', label: '知晓率', kind: 'threshold', comparator: '>=', value: 90, unit: '%' },
  { id: 'rate', label: '知晓率', kind: 'threshold', comparator: '>=', value: 95, unit: '%' },
  { id: 'meet', label: '会议', kind: 'frequency', min: 1, per: 'quarter' },
] as const;

const criterionArb = (id: string) =>
  fc.record(
    {
      id: fc.constant(id),
      title: fc.constantFrom('标题', '题目'),
      text: fc.constantFrom('甲', '乙'),
      points: fc.constantFrom(10, 12),
      veto: fc.boolean(),
      judge: fc.constantFrom('yesno', 'score'),
      lead: fc.subarray(['education', 'police'] as const),
      measures: fc.constantFrom([], [MEASURES[0]], [MEASURES[1]], [MEASURES[0], MEASURES[2]], [MEASURES[2], MEASURES[0]]),
      evidence: fc.subarray(['台账', '照片']),
    },
    { requiredKeys: ['id', 'text', 'points'] },
  );

const docArb: fc.Arbitrary<StandardDoc> = fc
  .record({
    ids: fc.shuffledSubarray(['1', '2', '3', '4'], { minLength: 2 }),
    split: fc.nat(),
    groupOrder: fc.constantFrom(['A', 'B'], ['B', 'A']),
    groupBName: fc.constantFrom('质效', '成效'),
    title: fc.constantFrom('标准甲', '标准乙'),
    titleEn: fc.option(fc.constant('Standard'), { nil: undefined }),
    minPercent: fc.constantFrom(60, 65),
    notes: fc.subarray(['一', '二']),
  })
  .chain((r) =>
    fc.tuple(...r.ids.map(criterionArb)).map((criteria) => {
      const cut = 1 + (r.split % (criteria.length - 1));
      const groups = {
        A: { id: 'A', name: '组织', criteria: criteria.slice(0, cut) },
        B: { id: 'B', name: r.groupBName, criteria: criteria.slice(cut) },
      };
      const input: StandardInput = {
        ...clone(SAMPLE),
        title: r.title,
        ...(r.titleEn ? { titleEn: r.titleEn } : {}),
        groups: r.groupOrder.map((g) => groups[g as 'A' | 'B']) as StandardInput['groups'],
        starRules: { bands: [{ stars: 1, minPercent: r.minPercent }] },
        notes: r.notes,
      };
      return StandardDoc.parse(input);
    }),
  );

/** One small edit, sometimes one that changes nothing. */
const mutate = (doc: StandardDoc, pick: number, v: number): StandardDoc => {
  const d = clone(doc);
  const all = d.groups.flatMap((g) => g.criteria);
  const c = all[pick % all.length]!;
  switch (v % 9) {
    case 0:
      c.points = c.points === 10 ? 12 : 10;
      break;
    case 1:
      c.points = Number(String(c.points));
      break; // the same value written again: no change
    case 2:
      c.veto = !c.veto;
      break;
    case 3:
      c.text = `${c.text}改`;
      break;
    case 4:
      d.groups[0]!.criteria.reverse();
      break; // a change only when the group has 2+
    case 5:
      c.lead = [...c.lead].reverse();
      break; // a change only when it has 2
    case 6:
      d.starRules.bands[0]!.minPercent += 1;
      break;
    case 7:
      c.evidenceRequired = Boolean(c.evidenceRequired);
      break; // the same value written again: no change
    case 8:
      if (d.groups[1]!.criteria.length > 1) d.groups[0]!.criteria.push(d.groups[1]!.criteria.pop()!);
      break;
  }
  return d;
};

describe('diffStandards properties', () => {
  it('diff(a, a) is empty, also after a deep copy with keys reordered', () => {
    fc.assert(
      fc.property(docArb, (a) => {
        expect(diffStandards(a, a)).toEqual([]);
        expect(diffStandards(a, clone(a))).toEqual([]);
        expect(diffStandards(a, reorderKeys(a) as StandardDoc)).toEqual([]);
      }),
    );
  });

  it('diff(a, b) is empty iff a and b are deep-equal', () => {
    const pair = fc.oneof(
      fc.tuple(docArb, docArb),
      fc.tuple(docArb, fc.nat(), fc.nat()).map(([a, p, v]) => [a, mutate(a, p, v)] as [StandardDoc, StandardDoc]),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const equal = isDeepStrictEqual(asJson(a), asJson(b));
        const d = diffStandards(a, b);
        expect(d.length === 0).toBe(equal);
        expect(diffStandards(b, a).length === 0).toBe(equal);
        for (const c of d) expect(c.summary.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
