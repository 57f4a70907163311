import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allCriteria,
  checkMeasure,
  rate,
  renderReason,
  validateFigure,
  type CriterionAnswer,
  type CriterionScore,
  type Measure,
  type StandardDoc,
} from '../src/index.js';
import { SAMPLE as SAMPLE_INPUT, sample } from './fixtures.js';
import { StandardDoc as StandardDocSchema } from '../src/standard.js';

const doc = sample();
const goodAnswers: CriterionAnswer[] = [
  { criterionId: '2', figures: { cafe_distance: { value: 350 } } },
  { criterionId: '3', figures: { satisfaction: { value: 92 } } },
  { criterionId: '4', figures: { mass_petitions: { value: 1 }, beijing_petitions: { value: 6, previous: 10 } } },
  { criterionId: '5', figures: { patrol: { value: 8 }, meetings: { value: 2 } } },
];
const score = (
  criterionId: string,
  s: number,
  stage: CriterionScore['stage'] = 'evaluation',
  met: boolean | null = null,
): CriterionScore => ({
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
    expect(renderReason(r.criteria.find((c) => c.criterionId === '3')!.reasons[0]!, 'zh')).toContain('满意率 92%');
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
      a.criterionId === '4'
        ? { criterionId: '4', figures: { mass_petitions: { value: 1 }, beijing_petitions: { value: 8, previous: 10 } } }
        : a,
    );
    expect(rate(doc, worse, full()).criteria.find((c) => c.criterionId === '4')!.status).toBe('not_met');
  });

  it('range and frequency: 11 patrol members is outside 6–10', () => {
    const answers = goodAnswers.map((a) =>
      a.criterionId === '5' ? { criterionId: '5', figures: { patrol: { value: 11 }, meetings: { value: 1 } } } : a,
    );
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
        for (const g of shuffled.groups)
          g.criteria = [...g.criteria.slice(rot % g.criteria.length), ...g.criteria.slice(0, rot % g.criteria.length)];
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

/** the CJK ideographs and punctuation a Chinese reason would carry */
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

describe('the rating tells the truth: pending, provisional, schemes, default bands', () => {
  const measureOf = (d: StandardDoc, id: string): Measure =>
    allCriteria(d)
      .flatMap((c) => c.measures)
      .find((m) => m.id === id)!;

  // DOMAIN.md: "An item not yet judged earns nothing; a rating with such items is provisional."
  it('a criterion the reviewer passed but whose figures are incomplete is pending and earns nothing', () => {
    const withoutSatisfaction = goodAnswers.filter((a) => a.criterionId !== '3');
    const r = rate(doc, withoutSatisfaction, full());
    const c3 = r.criteria.find((c) => c.criterionId === '3')!;
    expect(c3.status).toBe('pending');
    expect(c3.score).toBe(0);
    expect(c3.reasons.map((x) => x.code)).toContain('figures.incomplete');
    expect(r.total).toBe(80);
    expect(r.percent).toBe(80);
    expect(r.stars).toBe(3);
    expect(r.pending).toEqual(['3']);
    expect(r.provisional).toBe(true);
    expect(r.summary).toContain('评级为暂定');
    expect(renderReason(r.summaryReason, 'en')).toContain('provisional');
  });

  it('a rating with nothing pending is not provisional', () => {
    const r = rate(doc, goodAnswers, full());
    expect(r.pending).toEqual([]);
    expect(r.provisional).toBe(false);
  });

  // 000: "每年开展1至3星平安建设达标单位、4星平安建设先进单位评选和5星平安建设示范单位评定"
  it('a star standard gives stars and 000 level names, and is conferrable from 1 star', () => {
    const r = rate(doc, goodAnswers, full());
    expect(r.scheme).toBe('stars');
    expect(r.level).toBe('advanced');
    expect(r.conferrable).toBe(true);
    expect(r.summary).toContain('先进单位');
    const none = rate(
      doc,
      goodAnswers,
      allCriteria(doc).map((c) => score(c.id, 0, 'evaluation', false)),
    );
    expect(none.conferrable).toBe(false);
  });

  // 002: "区平安建设领导小组验收并审核认定表彰名单后，统一制作“十大平安”创建奖牌进行专题表彰" — a title, no stars
  describe('a title-only standard (001, 002)', () => {
    const titleDoc = (): StandardDoc => ({ ...sample(), scheme: 'title' });

    it('confers the title when nothing is vetoed, nothing pending and the pass mark is reached, with no star level', () => {
      const r = rate(titleDoc(), goodAnswers, full());
      expect(r.scheme).toBe('title');
      expect(r.conferrable).toBe(true);
      expect(r.level).toBe('title');
      expect(r.nextStar).toBeNull();
      expect(r.summary).toBe('得分100/100（100%），符合命名条件');
      expect(r.summary).not.toMatch(/星|达标单位|先进单位|示范单位/);
      expect(renderReason(r.summaryReason, 'en')).toBe('Score 100/100 (100%), meets the conditions for the title');
    });

    it('is not conferred while an item is pending, even above the pass mark', () => {
      const r = rate(
        titleDoc(),
        goodAnswers,
        full().filter((s) => s.criterionId !== '1'),
      );
      expect(r.percent).toBe(80);
      expect(r.provisional).toBe(true);
      expect(r.conferrable).toBe(false);
      expect(r.level).toBe('none');
      expect(r.summary).toBe('得分80/100（80%），1项待评审，尚不能判定是否符合命名条件（暂定）');
      expect(r.nextStar?.summary).toBe('距符合命名条件：1项待评审');
    });

    it('is not conferred below the pass mark, and the gap says how many points are missing', () => {
      const scores = full().map((s) => (['2', '3', '4'].includes(s.criterionId) ? score(s.criterionId, 0, 'evaluation', false) : s));
      const r = rate(titleDoc(), goodAnswers, scores);
      expect(r.percent).toBe(40);
      expect(r.conferrable).toBe(false);
      expect(r.summary).toBe('得分40/100（40%），不符合命名条件（须达到60%）');
      expect(r.nextStar).toMatchObject({ pointsNeeded: 20 });
      expect(r.nextStar?.summary).toBe('距符合命名条件：还需20分');
    });

    it('a veto is never conferred', () => {
      const scores = full().map((s) => (s.criterionId === '6' ? score('6', 0, 'evaluation', false) : s));
      const r = rate(titleDoc(), goodAnswers, scores);
      expect(r.conferrable).toBe(false);
      expect(r.summary).toContain('一票否决');
    });
  });

  // DOMAIN.md: "Where the text names no … score bands, the encoding may choose defaults, and says so"
  it('default score bands say so: a standard without star rules takes the defaults marked as such', () => {
    const { starRules: _omit, ...rest } = structuredClone(SAMPLE_INPUT);
    const noBands = StandardDocSchema.parse(rest);
    expect(noBands.starRules.defaultBands).toBe(true);
    expect(rate(noBands, goodAnswers, full()).defaultBands).toBe(true);
    expect(rate(doc, goodAnswers, full()).defaultBands).toBe(false);
  });

  // 002: "刑满释放人员重新犯罪率控制在2.8%以内"
  describe('a rate of two counts (rateOf)', () => {
    const m: Measure = {
      id: 'reoffending_rate',
      label: '刑满释放人员重新犯罪率',
      labelEn: 'Reoffending rate',
      kind: 'threshold',
      comparator: '<=',
      value: 2.8,
      unit: '%',
      rateOf: {
        numerator: '刑满释放人员重新犯罪人数',
        numeratorEn: 'Reoffenders',
        denominator: '刑满释放人员总数',
        denominatorEn: 'Released prisoners',
      },
    };
    it('computes the rate from the counts and shows both, exactly at the boundary (14 of 500 = 2.8 % is within)', () => {
      const c = checkMeasure(m, { value: 99, numerator: 14, denominator: 500 });
      expect(c.value).toBe(2.8);
      expect(c.met).toBe(true);
      expect(renderReason(c.reason, 'zh')).toBe(
        '刑满释放人员重新犯罪率 2.8%（刑满释放人员重新犯罪人数14，刑满释放人员总数500），要求刑满释放人员重新犯罪率 ≤ 2.8%，达标',
      );
      expect(renderReason(c.reason, 'en')).toBe(
        'Reoffending rate 2.8% (Reoffenders 14, Released prisoners 500), required Reoffending rate ≤ 2.8% (of Released prisoners): met',
      );
      expect(checkMeasure(m, { value: 0, numerator: 15, denominator: 500 }).met).toBe(false);
    });
    it('a denominator of 0 cannot give a rate: not judged, and the reason says why', () => {
      const c = checkMeasure(m, { value: 0, numerator: 0, denominator: 0 });
      expect(c.met).toBeNull();
      expect(renderReason(c.reason, 'zh')).toContain('无法计算：刑满释放人员总数为0');
    });
    it('refuses a part larger than the whole, negative or fractional counts, and half a pair', () => {
      expect(validateFigure(m, { value: 0, numerator: 6, denominator: 5 })).toContain('不能大于');
      expect(validateFigure(m, { value: 0, numerator: -1, denominator: 5 })).toContain('非负整数');
      expect(validateFigure(m, { value: 0, numerator: 1.5, denominator: 5 })).toContain('非负整数');
      expect(validateFigure(m, { value: 0, numerator: 1 })).toContain('须同时填写');
      expect(validateFigure(m, { value: 0, numerator: 5, denominator: 5 })).toBeNull();
      expect(validateFigure(measureOf(doc, 'satisfaction'), { value: 50, numerator: 1, denominator: 2 })).toContain('不能填写分子和分母');
    });
  });

  it('a share is between 0 and 100 %: anything else is refused with a Chinese message', () => {
    const pct = measureOf(doc, 'satisfaction');
    expect(validateFigure(pct, { value: 100.5 })).toBe(
      '「满意率」为百分比，须在0～100%之间，填报的是100.5% a share must be between 0 and 100 %',
    );
    expect(validateFigure(pct, { value: -1 })).toContain('须在0～100%之间');
    expect(validateFigure(pct, { value: 0 })).toBeNull();
    expect(validateFigure(pct, { value: 100 })).toBeNull();
    expect(validateFigure(measureOf(doc, 'cafe_distance'), { value: -5 })).toContain('不能为负数');
    expect(validateFigure(measureOf(doc, 'patrol'), { value: 8 })).toBeNull();
  });

  it("reasons are codes rendered in the reader's language: Chinese as before, English with no Chinese", () => {
    const scores = [
      ...full().map((s) => (s.criterionId === '6' ? score('6', 0, 'onsite', false) : s)),
      { ...score('1', 0, 'evaluation'), notApplicable: true, at: '2026-11-02T00:00:00Z' },
    ];
    // the standards' measures carry English labels (labelEn); the fixture's do not, so give them here
    const enDoc = structuredClone(doc);
    for (const c of allCriteria(enDoc)) for (const m of c.measures) m.labelEn ??= `figure ${m.id}`;
    const r = rate(enDoc, [...goodAnswers.filter((a) => a.criterionId !== '5')], scores);
    const zh = r.criteria.flatMap((c) => c.reasons.map((x) => renderReason(x, 'zh')));
    const en = [
      ...r.criteria.flatMap((c) => c.reasons.map((x) => renderReason(x, 'en'))),
      renderReason(r.summaryReason, 'en'),
      renderReason(r.nextStar!.summaryReason, 'en'),
    ];
    expect(zh).toContain('最近网吧距离 350米，要求最近网吧距离 > 200米，达标');
    expect(zh).toContain('综合评定认定本项不适用');
    expect(zh).toContain('本项为一票否决项');
    expect(r.summary).toBe('第6项一票否决，不予命名（得分60/80）');
    for (const line of en) expect(line, line).not.toMatch(CJK);
    expect(en).toContain('Vetoed on item 6: not conferred (score 60/80)');
  });
});
