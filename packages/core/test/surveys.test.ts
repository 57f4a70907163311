import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SURVEY_TEMPLATES,
  allocateSample,
  answerProblems,
  favourableShare,
  indicatorFigures,
  questionProblems,
  round2,
  sampleProblem,
  tallyQuestion,
  type SurveyAnswers,
  type SurveyQuestionDef,
} from '../src/index.js';

const sat: SurveyQuestionDef = { id: 'q1', kind: 'satisfaction', text: '满意吗', required: true, indicator: 'satisfaction' };
const yn: SurveyQuestionDef = { id: 'q2', kind: 'yes_no', text: '知道吗', required: true, indicator: 'awareness' };
const scale: SurveyQuestionDef = { id: 'q3', kind: 'scale', text: '几分', max: 5, required: false, indicator: 'public_safety_feeling' };

describe('survey tallies', () => {
  it('satisfaction: (满意 + 基本满意) ÷ answered × 100, unanswered sheets not counted', () => {
    const sheets: SurveyAnswers[] = [{ q1: '满意' }, { q1: '基本满意' }, { q1: '不满意' }, {}];
    const t = tallyQuestion(sat, sheets);
    expect(t.answered).toBe(3);
    expect(t.counts).toEqual({ 满意: 1, 基本满意: 1, 不满意: 1 });
    expect(t.favourable).toBe(2);
    expect(t.share).toBe(66.67);
  });
  it('yes_no: the yes share; scale: mean ÷ max × 100', () => {
    expect(tallyQuestion(yn, [{ q2: true }, { q2: false }, { q2: true }, { q2: true }]).share).toBe(75);
    const t = tallyQuestion(scale, [{ q3: 5 }, { q3: 4 }, { q3: 1 }]);
    expect(t.mean).toBe(3.33);
    expect(t.share).toBe(66.67);
    expect(t.counts['5']).toBe(1);
  });
  it('boundaries: nobody answered gives null, not 0; all favourable is 100; none is 0; exactly 80 stays 80', () => {
    expect(tallyQuestion(sat, []).share).toBeNull();
    expect(tallyQuestion(sat, [{ q1: '满意' }]).share).toBe(100);
    expect(tallyQuestion(sat, [{ q1: '不满意' }]).share).toBe(0);
    expect(favourableShare(sat, 5, 4).share).toBe(80);
    expect(favourableShare(sat, 1000, 799).share).toBe(79.9);
    expect(favourableShare(sat, 3, 1).share).toBe(33.33);
    expect(favourableShare(scale, 1, 0, 1).share).toBe(20);
    expect(favourableShare({ kind: 'open' }, 3, 3).share).toBeNull();
  });
  it('an answer that does not fit its question is not counted (a wrong option, a scale out of range)', () => {
    const t = tallyQuestion(scale, [{ q3: 6 }, { q3: 0 }, { q3: 2.5 }, { q3: 3 }]);
    expect(t.answered).toBe(1);
  });
  it('round2 rounds half away from zero without binary noise', () => {
    expect(round2(80.005)).toBe(80.01);
    expect(round2(1.005)).toBe(1.01);
    expect(round2(66.666666)).toBe(66.67);
    expect(round2(0)).toBe(0);
  });
  it('indicator figures: one per measured question, 两率一度 the mean of the three when all present', () => {
    const tpl = SURVEY_TEMPLATES.find((t) => t.kind === 'two_rates_one_degree')!;
    const sheets = [
      { q1: true, q2: true, q3: '满意' },
      { q1: true, q2: false, q3: '基本满意' },
      { q1: false, q2: false, q3: '不满意' },
      { q1: true, q2: true, q3: '满意' },
    ];
    const f = Object.fromEntries(indicatorFigures(tpl.questions, sheets).map((x) => [x.indicator, x.value]));
    expect(f).toEqual({ awareness: 75, participation: 50, satisfaction: 75, two_rates_one_degree: 66.67 });
    // a missing part: no 两率一度
    const only = indicatorFigures(
      tpl.questions.filter((q) => q.indicator !== 'participation'),
      sheets,
    );
    expect(only.map((x) => x.indicator)).toEqual(['awareness', 'satisfaction']);
  });
});

describe('survey builder validation', () => {
  it('the templates are valid', () => {
    for (const t of SURVEY_TEMPLATES) expect(questionProblems(t.questions), t.kind).toEqual([]);
  });
  it('refuses duplicate ids, empty text, a single with one option, a bad scale, an indicator on an open question, one indicator twice', () => {
    const p = questionProblems([
      { id: 'q1', kind: 'single', text: '', options: ['甲'], required: true },
      { id: 'q1', kind: 'scale', text: '分', max: 11, required: true },
      { id: 'q3', kind: 'open', text: '意见', required: false, indicator: 'awareness' },
      { id: 'q4', kind: 'yes_no', text: '知道', required: true, indicator: 'awareness' },
      { id: 'q5', kind: 'yes_no', text: '知道', required: true, indicator: 'awareness' },
      { id: 'q6', kind: 'yes_no', text: '知道', required: true, indicator: 'nonsense' },
    ]);
    expect(p).toEqual([
      '第1题题目不能为空',
      '第1题单选题至少须有2个选项',
      '第2题编号q1重复',
      '第2题量表最高分须为2到10的整数',
      '第3题只有满意度、量表、是否题可以计算指标',
      '第5题与第4题测量同一指标（知晓率），每个指标只能由一题测量',
      '第6题指标「nonsense」不存在',
    ]);
  });
  it('answer sheets: required, fitting, no unknown questions', () => {
    expect(answerProblems([sat, yn, scale], { q1: '满意', q2: true })).toEqual([]);
    expect(answerProblems([sat, yn, scale], { q1: '很满意', q9: 1 })).toEqual(['问卷中没有题目q9', '第1题的答案不正确', '第2题须作答']);
  });
});

describe('sampling plan', () => {
  it('proportional to the weight, summing to the total, by the largest remainder', () => {
    const r = allocateSample(100, [
      { id: 1, weight: 500 },
      { id: 2, weight: 300 },
      { id: 3, weight: 200 },
    ]);
    expect(r).toEqual([
      { id: 1, target: 50 },
      { id: 2, target: 30 },
      { id: 3, target: 20 },
    ]);
    // 10 over three equal: 4, 3, 3 (ties go to the order given)
    expect(
      allocateSample(
        10,
        [1, 2, 3].map((id) => ({ id, weight: 7 })),
      ).map((x) => x.target),
    ).toEqual([4, 3, 3]);
  });
  it('a minimum per region: the small one is raised and the rest re-spread', () => {
    const r = allocateSample(
      100,
      [
        { id: 1, weight: 9000 },
        { id: 2, weight: 900 },
        { id: 3, weight: 100 },
      ],
      10,
    );
    expect(r.map((x) => x.target)).toEqual([80, 10, 10]);
    expect(r.reduce((t, x) => t + x.target, 0)).toBe(100);
    expect(r.every((x) => x.target >= 10)).toBe(true);
  });
  it('unknown weights: all equal when none is known, the minimum for the unknown otherwise', () => {
    expect(
      allocateSample(9, [
        { id: 1, weight: null },
        { id: 2, weight: null },
        { id: 3, weight: 0 },
      ]).map((x) => x.target),
    ).toEqual([3, 3, 3]);
    expect(
      allocateSample(
        20,
        [
          { id: 1, weight: 10 },
          { id: 2, weight: null },
        ],
        5,
      ).map((x) => x.target),
    ).toEqual([15, 5]);
  });
  it('refuses a total below the minimums, or nothing to spread over', () => {
    expect(sampleProblem(20, 3, 10)).toBe('样本总量20不足：3个地区每个至少10份，共需30份');
    expect(() =>
      allocateSample(
        20,
        [1, 2, 3].map((id) => ({ id, weight: 1 })),
        10,
      ),
    ).toThrow(RangeError);
    expect(sampleProblem(10, 0, 0)).toBe('没有可分配样本的地区');
  });
  it('property: the sum is the total, every region gets its minimum, and a heavier region never gets less', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 5000 }),
        (weights, min, extra) => {
          const total = weights.length * min + extra + 1;
          const r = allocateSample(
            total,
            weights.map((weight, id) => ({ id, weight })),
            min,
          );
          expect(r.reduce((t, x) => t + x.target, 0)).toBe(total);
          for (const x of r) expect(x.target).toBeGreaterThanOrEqual(min);
          for (let i = 0; i < weights.length; i++)
            for (let j = 0; j < weights.length; j++)
              if (weights[i]! > weights[j]!) expect(r[i]!.target).toBeGreaterThanOrEqual(r[j]!.target);
        },
      ),
    );
  });
});
