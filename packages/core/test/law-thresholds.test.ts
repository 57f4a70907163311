import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  STANDARD_FORMAT,
  allCriteria,
  checkMeasure,
  parseStandard,
  rate,
  renderReason,
  type Criterion,
  type FigureAnswer,
  type Measure,
  type StandardDoc,
} from '../src/index.js';

/**
 * Thresholds read as the law reads them: 以上, 以下, 以内 and 范围内 include the number itself
 * (民法典 第1259条：“民法所称的‘以上’、‘以下’、‘以内’、‘届满’，包括本数”). Each case quotes the
 * source sentence, finds it in the source file and in the criterion text, and checks the encoded
 * measure at its exact boundary.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC_001 = 'standards/sources/001_bcf4e3d0eb868851.txt';
const SRC_002 = 'standards/sources/002_169671291d704e13.txt';

function yamlFiles(d: string): string[] {
  return fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(d, e.name)] : []))
    .sort();
}

const standards: { file: string; doc: StandardDoc }[] = yamlFiles(path.join(REPO, 'standards')).flatMap((file) => {
  const data = YAML.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown } | null;
  if (data?.format !== STANDARD_FORMAT) return [];
  const r = parseStandard(data);
  if (!r.ok) throw new Error(`${file}: ${r.errors.join('; ')}`);
  return [{ file: path.relative(REPO, file), doc: r.standard }];
});

const squash = (s: string) => s.replace(/\s+/g, '');
const source = (file: string) => squash(fs.readFileSync(path.join(REPO, file), 'utf8'));

function find(file: string, criterionId: string, measureId: string): { doc: StandardDoc; c: Criterion; m: Measure } {
  const s = standards.find((x) => x.file === file);
  if (!s) throw new Error(`no standard ${file}`);
  const c = allCriteria(s.doc).find((x) => x.id === criterionId);
  const m = c?.measures.find((x) => x.id === measureId);
  if (!c || !m) throw new Error(`${file}: no measure ${criterionId}/${measureId}`);
  return { doc: s.doc, c, m };
}

interface Case {
  quote: string;
  src: string;
  file: string;
  criterion: string;
  measure: string;
  comparator: string;
  value: number;
  /** [figure, met] pairs: the boundary itself first */
  at: [FigureAnswer, boolean][];
}

const CASES: Case[] = [
  {
    quote: '综合达标率不低于90%',
    src: SRC_001,
    file: 'standards/jiangzhou-2015/village_community.yaml',
    criterion: '2',
    measure: 'qualified_rate',
    comparator: '>=',
    value: 90,
    at: [
      [{ value: 90 }, true],
      [{ value: 89.99 }, false],
      [{ value: 0, numerator: 9, denominator: 10 }, true],
      [{ value: 0, numerator: 89, denominator: 100 }, false],
    ],
  },
  {
    quote: '群众知晓率和满意度达90%以上',
    src: SRC_001,
    file: 'standards/jiangzhou-2015/village_community.yaml',
    criterion: '4',
    measure: 'public_awareness',
    comparator: '>=',
    value: 90,
    at: [
      [{ value: 90 }, true],
      [{ value: 89.9 }, false],
    ],
  },
  {
    quote: '群众知晓率和满意度达90%以上',
    src: SRC_001,
    file: 'standards/jiangzhou-2015/village_community.yaml',
    criterion: '4',
    measure: 'public_satisfaction',
    comparator: '>=',
    value: 90,
    at: [
      [{ value: 90 }, true],
      [{ value: 89.9 }, false],
    ],
  },
  {
    quote: '村（社区）按照6～10人的标准组建专兼职群防群治巡逻队伍',
    src: SRC_001,
    file: 'standards/jiangzhou-2015/village_community.yaml',
    criterion: '4',
    measure: 'patrol_team_size',
    comparator: 'range',
    value: 6,
    at: [
      [{ value: 6 }, true],
      [{ value: 10 }, true],
      [{ value: 5 }, false],
      [{ value: 11 }, false],
    ],
  },
  {
    quote: '群众对平安创建工作知晓率90%以上',
    src: SRC_002,
    file: 'standards/datuopu-2020/property.yaml',
    criterion: '6',
    measure: 'public_awareness',
    comparator: '>=',
    value: 90,
    at: [
      [{ value: 90 }, true],
      [{ value: 89.99 }, false],
    ],
  },
  {
    quote: '刑满释放人员重新犯罪率控制在2.8%以内',
    src: SRC_002,
    file: 'standards/datuopu-2020/village.yaml',
    criterion: '3',
    measure: 'reoffending_rate',
    comparator: '<=',
    value: 2.8,
    // 14 of 500 is exactly 2.8 % (in floating point 14 / 500 × 100 is 2.8000000000000003)
    at: [
      [{ value: 2.8 }, true],
      [{ value: 2.81 }, false],
      [{ value: 0, numerator: 14, denominator: 500 }, true],
      [{ value: 0, numerator: 15, denominator: 500 }, false],
    ],
  },
  {
    quote: '严重精神病障碍患者规范管理率达95%以上',
    src: SRC_002,
    file: 'standards/datuopu-2020/village.yaml',
    criterion: '3',
    measure: 'mental_health_managed',
    comparator: '>=',
    value: 95,
    at: [
      [{ value: 95 }, true],
      [{ value: 94.99 }, false],
      [{ value: 0, numerator: 19, denominator: 20 }, true],
      [{ value: 0, numerator: 18, denominator: 20 }, false],
    ],
  },
  {
    quote: '学校教职工、学生家长平安创建民调满意率在80%以上',
    src: SRC_002,
    file: 'standards/datuopu-2020/campus.yaml',
    criterion: '7',
    measure: 'satisfaction',
    comparator: '>=',
    value: 80,
    at: [
      [{ value: 80 }, true],
      [{ value: 79.99 }, false],
    ],
  },
  {
    // 范围内 includes 200 m: a café exactly 200 m away is within the range, so the nearest must be farther
    quote: '校园周边200米范围内无违规设立的网吧和电子游戏厅等营业场所',
    src: SRC_002,
    file: 'standards/datuopu-2020/campus.yaml',
    criterion: '6',
    measure: 'internet_cafe_distance',
    comparator: '>',
    value: 200,
    at: [
      [{ value: 200 }, false],
      [{ value: 200.1 }, true],
      [{ value: 150 }, false],
    ],
  },
  {
    quote: '开展系列创建活动，志愿服务率达20%以上',
    src: SRC_002,
    file: 'standards/datuopu-2020/business.yaml',
    criterion: '6',
    measure: 'volunteer_rate',
    comparator: '>=',
    value: 20,
    at: [
      [{ value: 20 }, true],
      [{ value: 19.99 }, false],
      [{ value: 0, numerator: 1, denominator: 5 }, true],
    ],
  },
  {
    quote: '院内员工参与平安创建等志愿服务率20%以上',
    src: SRC_002,
    file: 'standards/datuopu-2020/hospital.yaml',
    criterion: '7',
    measure: 'volunteer_rate',
    comparator: '>=',
    value: 20,
    at: [
      [{ value: 20 }, true],
      [{ value: 19.99 }, false],
      [{ value: 0, numerator: 20, denominator: 100 }, true],
    ],
  },
  {
    quote: '工委定期研究部署综治工作，每季度不少于1次',
    src: SRC_002,
    file: 'standards/datuopu-2020/street.yaml',
    criterion: '1',
    measure: 'committee_meetings',
    comparator: 'frequency',
    value: 1,
    at: [
      [{ value: 1 }, true],
      [{ value: 0 }, false],
    ],
  },
];

describe('thresholds read as the law reads them (民法典 第1259条)', () => {
  it.each(CASES.map((c) => [`「${c.quote}」 ${c.file} 第${c.criterion}项 ${c.measure}`, c] as const))('%s', (_name, k) => {
    // the sentence is the source's and the criterion's own
    expect(source(k.src)).toContain(squash(k.quote));
    const { c, m } = find(k.file, k.criterion, k.measure);
    expect(squash(c.text)).toContain(squash(k.quote));
    // the encoded comparator and number
    if (m.kind === 'threshold' || m.kind === 'distance') expect([m.comparator, m.value]).toEqual([k.comparator, k.value]);
    else if (m.kind === 'range') expect(['range', m.min]).toEqual([k.comparator, k.value]);
    else if (m.kind === 'frequency') expect(['frequency', m.min]).toEqual([k.comparator, k.value]);
    else throw new Error(`unexpected kind ${m.kind}`);
    // at the exact boundary, and just beyond it
    for (const [figure, met] of k.at) expect(checkMeasure(m, figure).met, JSON.stringify(figure)).toBe(met);
  });

  it('every 以上/以下/以内/不低于 percentage in a criterion text is encoded inclusively', () => {
    let seen = 0;
    for (const { file, doc } of standards)
      for (const c of allCriteria(doc)) {
        for (const hit of c.text.matchAll(/(不低于|不少于|不超过)?(\d+(?:\.\d+)?)%(以上|以下|以内)?/g)) {
          const words = (hit[1] ?? '') + (hit[3] ?? '');
          if (!words) continue;
          const value = Number(hit[2]);
          const m = c.measures.find((x) => x.kind === 'threshold' && x.unit === '%' && x.value === value);
          expect(m, `${file} 第${c.id}项「${hit[0]}」has no measure`).toBeDefined();
          if (m?.kind !== 'threshold') continue;
          const upper = /以下|以内|不超过/.test(words);
          // 「…以上」 → '>=', 「…以下/以内」 → '<=': the number itself is included
          expect(m.comparator, `${file} 第${c.id}项「${hit[0]}」`).toBe(upper ? '<=' : '>=');
          expect(checkMeasure(m, { value }).met, `${file} 第${c.id}项「${hit[0]}」at ${value}`).toBe(true);
          seen++;
        }
      }
    // 001: 不低于90%, 90%以上; 002: 90%以上, 2.8%以内, 95%以上, 80%以上, 20%以上 (twice); 003: the five 90%以上
    expect(seen).toBe(13);
  });

  it('every 米范围内无 distance requires more than the distance (the range includes its edge)', () => {
    let seen = 0;
    for (const { file, doc } of standards)
      for (const c of allCriteria(doc))
        for (const hit of c.text.matchAll(/(\d+)米范围内无/g)) {
          const m = c.measures.find((x) => x.kind === 'distance');
          expect(m, `${file} 第${c.id}项`).toBeDefined();
          if (m?.kind !== 'distance') continue;
          expect([m.comparator, m.value, m.unit]).toEqual(['>', Number(hit[1]), 'm']);
          expect(checkMeasure(m, { value: Number(hit[1]) }).met).toBe(false);
          seen++;
        }
    expect(seen).toBe(1);
  });
});

describe('the encoded standards as the reader sees them', () => {
  const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

  it('001 and 002 confer a title (no stars); 000 gives stars, and its bands say they are defaults', () => {
    for (const { file, doc } of standards) {
      if (file.startsWith('standards/jiangzhou-2015/') || file.startsWith('standards/datuopu-2020/'))
        expect(doc.scheme, file).toBe('title');
      if (file.startsWith('standards/zhenjiang-star/')) {
        expect(doc.scheme, file).toBe('stars');
        expect(doc.starRules.defaultBands, file).toBe(true);
      }
      // the title-only standards name no bands: the defaults apply and say so
      if (doc.scheme === 'title') expect(doc.starRules.defaultBands, file).toBe(true);
    }
  });

  it('every measure reads in English: the rating of every standard renders with no Chinese in English', () => {
    for (const { file, doc } of standards) {
      const answers = allCriteria(doc).map((c) => ({
        criterionId: c.id,
        figures: Object.fromEntries(
          c.measures.map((m) => [
            m.id,
            m.kind === 'threshold' && m.rateOf ? { value: 0, numerator: 1, denominator: 4 } : { value: 1, previous: 2 },
          ]),
        ),
      }));
      const scores = allCriteria(doc).map((c, i) => ({
        criterionId: c.id,
        score: i % 3 ? c.points : null,
        met: i % 3 ? true : null,
        stage: 'onsite' as const,
        at: '2026-01-01',
      }));
      const r = rate(doc, answers, scores);
      const lines = [
        ...r.criteria.flatMap((c) => c.reasons.map((x) => renderReason(x, 'en'))),
        renderReason(r.summaryReason, 'en'),
        ...(r.nextStar ? [renderReason(r.nextStar.summaryReason, 'en')] : []),
        ...r.conditionsUnmetReasons.map((x) => renderReason(x, 'en')),
      ];
      for (const line of lines) expect(line, `${file}: ${line}`).not.toMatch(CJK);
    }
  });
});
