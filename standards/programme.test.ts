import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { allCriteria, maxPoints, parseStandard, type StandardDoc } from '../packages/core/src/standard.js';
import { rate } from '../packages/core/src/rating.js';
import {
  PROGRAMME_FORMATS,
  checkQuotasAgainstCatalogue,
  evaluateRegionIndicators,
  parseBrandCatalogue,
  parsePhasePlan,
  parseProgrammeDoc,
  parseQuotaTable,
  parseRegionIndicatorSet,
  regionQuotaSums,
  type BrandCatalogue,
  type PhasePlan,
  type QuotaTable,
  type RegionIndicatorSet,
} from '../packages/core/src/programme.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const source = (name: string) => fs.readFileSync(path.join(DIR, 'sources', name), 'utf8');
const load = (rel: string): unknown => YAML.parse(fs.readFileSync(path.join(DIR, rel), 'utf8'));
/** compare texts ignoring whitespace (line breaks and indentation of the source) */
const squash = (s: string) => s.replace(/\s+/g, '');
const inSource = (src: string, text: string) => squash(src).includes(squash(text));

function ok<T>(r: { ok: true } & Record<string, unknown> | { ok: false; errors: string[] }, key: string): T {
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return (r as Record<string, unknown>)[key] as T;
}

// ─────────────────────────────── 000 镇江 ───────────────────────────────

describe('000 镇江 平安建设单位星级评定规范', () => {
  const src = source('000_aa59b18e80377b6c.txt');
  const r = parseStandard(load('zhenjiang-star/zhenjiang-2022-unit-star.yaml'));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const std: StandardDoc = r.standard;
  const crits = allCriteria(std);

  it('is the industry_unit category for units, led by the safety office', () => {
    expect(std.category).toMatchObject({ code: 'industry_unit', name: '平安建设单位', subjectKinds: ['unit'] });
    expect(std.responsible.lead).toEqual(['safety_office']);
  });

  it('has 15 criteria in 3 groups of 5, as many as the source has 6.3.x.y headings', () => {
    const headings = [...src.matchAll(/^(6\.3\.\d+\.\d+)[ \t\u3000]+(\S[^\n]*?)\s*$/gm)].map((m) => ({ id: m[1]!, title: m[2]! }));
    expect(headings.length).toBe(15);
    expect(crits.length).toBe(headings.length);
    expect(crits.map((c) => c.id)).toEqual(headings.map((h) => h.id));
    expect(crits.map((c) => c.title)).toEqual(headings.map((h) => h.title));
    expect(std.groups.map((g) => g.name)).toEqual(['组织推进', '工作标准措施', '建设质效']);
    expect(std.groups.map((g) => g.criteria.length)).toEqual([5, 5, 5]);
    for (const g of std.groups) for (const c of g.criteria) expect(c.id.startsWith(`${g.id}.`)).toBe(true);
    // the group headings of the source (6.3.1 组织推进标准 …) carry the groups' names
    const groupHeadings = [...src.matchAll(/^(6\.3\.\d+)[ \t]+(\S+)\s*$/gm)].map((m) => [m[1], m[2]]);
    expect(groupHeadings.map(([id]) => id)).toEqual(std.groups.map((g) => g.id));
    groupHeadings.forEach(([, name], i) => expect(name!.startsWith(std.groups[i]!.name)).toBe(true));
  });

  it('keeps each criterion text verbatim: the full paragraph after its heading', () => {
    const lines = src.split('\n');
    for (const c of crits) {
      expect(inSource(src, c.text), c.id).toBe(true);
      const at = lines.findIndex((l) => l.startsWith(`${c.id} `));
      const para = lines.slice(at + 1).find((l) => l.trim())!;
      expect(squash(c.text), c.id).toBe(squash(para));
    }
  });

  it('makes the five 不发生… outcomes yes/no vetoes, and nothing else', () => {
    const quality = std.groups[2]!;
    expect(quality.name).toBe('建设质效');
    for (const c of quality.criteria) {
      expect(c.title!.startsWith('不发生')).toBe(true);
      expect(c).toMatchObject({ veto: true, judge: 'yesno' });
    }
    expect(crits.filter((c) => c.veto).length).toBe(5);
  });

  it('says its points, bands and 5-star conditions are defaults', () => {
    expect(maxPoints(std)).toBe(100);
    expect(std.groups.map((g) => g.criteria.reduce((s, c) => s + c.points, 0))).toEqual([35, 45, 20]);
    expect(std.starRules.bands.map((b) => b.stars)).toEqual([1, 2, 3, 4, 5]);
    expect(std.starRules.note).toMatch(/源文件未规定/);
    expect(std.starRules.note).toMatch(/平安办可调整/);
    expect(std.starRules.conditions).toEqual([
      expect.objectContaining({ kind: 'prior_title', stars: 5, minStars: 4, withinYears: 1 }),
      expect.objectContaining({ kind: 'higher_check', stars: 5 }),
    ]);
    const notes = std.notes.join('\n');
    for (const s of ['分值为默认值', '5星条件为默认假设', '自查自评', '牵头部门', '平安办综合评定', '15个行业领域', '5星为平安建设示范单位'])
      expect(notes).toContain(s);
  });

  it('rates with the engine: all met gives 5 stars only with last year 4 stars and the city check', () => {
    const scores = crits.map((c) => ({ criterionId: c.id, score: c.points, met: true, stage: 'evaluation' as const, at: '1' }));
    expect(rate(std, [], scores).stars).toBe(4);
    expect(rate(std, [], scores, { priorTitleStars: [{ stars: 4, yearsAgo: 1 }], higherCheckPassed: true }).stars).toBe(5);
    const failed = scores.map((s) => (s.criterionId === '6.3.3.2' ? { ...s, met: false, score: 0 } : s));
    expect(rate(std, [], failed).vetoed).toEqual(['6.3.3.2']);
  });
});

// ─────────────────────────────── 004 商洛 ───────────────────────────────

/** The annex of 004: rows are blocks separated by empty lines, each cell a line starting with a tab. */
function annexTables(src: string) {
  const title = '2018年度“平安商洛”创建市级示范点分配表';
  const annex = src.slice(src.lastIndexOf(title) + title.length);
  const rows = annex
    .split(/\n[ ]*\n/)
    .map((b) => b.split('\n').filter((l) => l.startsWith('\t')).map((l) => l.slice(1).trim()))
    .filter((r) => r.length);
  const split = rows.findIndex((r) => r[0] === '主责部门');
  const region = rows.slice(0, split);
  const dept = rows.slice(split);
  const isTotal = (r: string[]) => squash(r[0]!) === '共计';
  const num = (s: string) => (s === '' ? null : Number(s));
  // region table: header [县（区）, …], brand header ['', 平安县（区）…], rows, 共计
  const brandNames = region[1]!.slice(1);
  const regionRows = region.slice(2).filter((r) => !isTotal(r)).map((r) => ({ region: r[0]!, counts: r.slice(1).map(num) }));
  const regionTotals = region.find(isTotal)!.slice(1).map(num);
  const deptRows = dept.slice(1).filter((r) => !isTotal(r)).map(([name, brand, count]) => ({ name: name!, brand: brand!, count: Number(count) }));
  const [deptTotalRows, deptTotalCount] = dept.find(isTotal)!.slice(1).map(Number);
  return { brandNames, regionRows, regionTotals, deptRows, deptTotalRows: deptTotalRows!, deptTotalCount: deptTotalCount! };
}

describe('004 商洛 “985” brands, quotas and phases', () => {
  const src = source('004_3749b02772093a94.txt');
  const cat = ok<BrandCatalogue>(parseBrandCatalogue(load('shangluo-985/shangluo-2018-brands.yaml')), 'catalogue');
  const quotas = ok<QuotaTable>(parseQuotaTable(load('shangluo-985/shangluo-2018-quotas.yaml')), 'table');
  const plan = ok<PhasePlan>(parsePhasePlan(load('shangluo-985/shangluo-2018-phases.yaml')), 'plan');
  const annex = annexTables(src);

  it('has the nine brands and eight domains the source lists', () => {
    const nine = src.match(/九大平安品牌，即(.+?)创建覆盖率/)![1]!.split('、');
    expect(nine.length).toBe(9);
    expect(cat.brands.map((b) => b.name)).toEqual(nine);
    const eight = src.match(/八大平安领域（即(.+?)）/)![1]!.split('、');
    expect(eight.length).toBe(8);
    expect(cat.domains.map((d) => d.name)).toEqual(eight);
    expect(cat.brands.filter((b) => b.subjectKind === 'individual').map((b) => b.kind)).toEqual(['honour', 'honour']);
  });

  it('gives every domain its lead department, as the source words it', () => {
    const lines = src.split('\n').filter((l) => l.startsWith('——'));
    expect(lines.length).toBe(cat.domains.length);
    cat.domains.forEach((d, i) => {
      expect(d.lead.length, d.code).toBeGreaterThan(0);
      const line = lines[i]!.replace(/^——/, '').replace(/[；。]$/, '');
      expect(squash(d.responsibility)).toBe(squash(line));
      const lead = line.match(/，(?:主责部门为)?(市[^，、]+?)(?:为主责部门)?，/)![1];
      expect(lead).toBe(d.leadName);
      expect(line.startsWith(d.activity)).toBe(true);
      // each cooperating organisation named by the source is coded or listed in others
      const named = line.slice(line.lastIndexOf('，') + 1).replace(/等配合$/, '').split('、');
      expect(named.length).toBeGreaterThanOrEqual(d.cooperate.length);
      for (const o of d.others) expect(named).toContain(o);
    });
    expect(inSource(src, cat.brandResponsibility!.text)).toBe(true);
  });

  it('encodes the county table exactly: every row, every number, blanks as null', () => {
    expect(quotas.regions!.columns.map((c) => c.name)).toEqual(annex.brandNames);
    expect(quotas.regions!.rows.length).toBe(annex.regionRows.length);
    expect(quotas.regions!.rows.length).toBe(8);
    const cols = quotas.regions!.columns.map((c) => c.brand);
    quotas.regions!.rows.forEach((row, i) => {
      expect(row.region).toBe(annex.regionRows[i]!.region);
      expect(cols.map((c) => row.counts[c])).toEqual(annex.regionRows[i]!.counts);
    });
    expect(cols.map((c) => quotas.regions!.totals![c])).toEqual(annex.regionTotals);
    // the source's totals add up (parseQuotaTable would refuse otherwise), and no discrepancy is recorded
    const sums = regionQuotaSums(quotas);
    expect(cols.map((c) => sums[c])).toEqual(annex.regionTotals);
    expect(quotas.discrepancies).toEqual([]);
  });

  it('encodes the department table exactly', () => {
    const rows = quotas.departments!.rows;
    expect(rows.length).toBe(annex.deptRows.length);
    expect(rows.length).toBe(8);
    expect(rows.map((r) => ({ name: r.departmentName, brand: r.brandName, count: r.count }))).toEqual(annex.deptRows);
    expect(quotas.departments!.totals).toEqual({ rows: annex.deptTotalRows, count: annex.deptTotalCount });
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(annex.deptTotalCount);
    // the departments of the table are the domains' lead departments, in the same order
    expect(rows.map((r) => r.departmentName)).toEqual(cat.domains.map((d) => d.leadName));
    expect(checkQuotasAgainstCatalogue(quotas, cat)).toEqual([]);
  });

  it('names phases the plan has', () => {
    const ids = new Set(plan.phases.map((p) => p.id));
    for (const p of quotas.phases) expect(ids.has(p), p).toBe(true);
  });

  it('keeps the phases, eligibility rules and targets in the source words', () => {
    for (const p of plan.phases) {
      expect(inSource(src, p.text), p.id).toBe(true);
      expect(inSource(src, p.when), p.id).toBe(true);
    }
    for (const rule of plan.eligibility.rules) expect(inSource(src, rule.text), rule.id).toBe(true);
    for (const c of plan.eligibility.consequences) expect(inSource(src, c)).toBe(true);
    for (const t of plan.targets) expect(inSource(src, t.text), t.scope).toBe(true);
    expect(plan.years).toEqual({ from: 2018, to: 2020 });
    // 3月20日前 → 03-20; 4—10月 → 04-01..10-31; 11月底前 → 11-30; 12月份 → 12-01..12-31
    const brands = plan.phases.filter((p) => p.track === 'brands');
    expect(brands.map((p) => [p.start ?? null, p.end])).toEqual([
      [null, '03-20'],
      ['04-01', '10-31'],
      [null, '11-30'],
      ['12-01', '12-31'],
    ]);
  });

  it('has the recommendation, 两率一度 and target rules as data', () => {
    const rules = plan.eligibility.rules;
    expect(rules.find((r) => r.kind === 'lower_title_required')).toMatchObject({ lowerLevel: 'county', higherLevel: 'city' });
    expect(rules.filter((r) => r.kind === 'indicator_rank')).toEqual([
      expect.objectContaining({ indicator: '两率一度', subject: 'county', belowAverageOf: 'province', bottomN: 10 }),
      expect.objectContaining({ indicator: '两率一度', subject: 'town', belowAverageOf: 'city', bottomN: 10 }),
    ]);
    expect(plan.eligibility.consequences).toContain('取消年度平安建设评先资格');
    for (const t of plan.targets) {
      expect(t.coverage).toMatchObject({ comparator: '>=', value: 100 });
      expect(t.passRate).toMatchObject({ comparator: '>=', value: 90 });
    }
  });
});

// ─────────────────────────────── 003 区域指标 ───────────────────────────────

describe('003 region targets', () => {
  const src = source('003_35323d3e4965a557.txt');
  const set = ok<RegionIndicatorSet>(parseRegionIndicatorSet(load('region-targets/xx-city-region-targets.yaml')), 'set');

  it('has the five 90% indicators with the document names', () => {
    const list = src.match(/“五个90%以上”是：(.+?)。/)![1]!.split('，');
    const parsed = list.map((s) => s.match(/^(.+?)达到(\d+)%以上$/)!).map((m) => ({ label: m[1], value: Number(m[2]) }));
    expect(set.indicatorGroup).toBe('五个90%以上');
    expect(set.indicators.map((i) => ({ label: i.label, value: i.value }))).toEqual(parsed);
    for (const i of set.indicators) {
      expect(i.comparator).toBe('>=');
      expect(list).toContain(i.text);
    }
  });

  it('keeps goals, progression, naming, inspections and consequences in the source words', () => {
    for (const g of set.goalGroups) {
      const items = src.match(new RegExp(`“${g.name}”是：(.+?)；`))![1]!.split('，');
      expect(g.items).toEqual(items);
    }
    expect(inSource(src, set.goal!)).toBe(true);
    expect(inSource(src, set.passShare!.text)).toBe(true);
    expect(set.passShare!.steps.map((s) => [s.year, s.value])).toEqual([
      [2019, 50],
      [2020, 90],
    ]);
    for (const t of set.naming!.tiers) expect(inSource(src, t.text)).toBe(true);
    expect(inSource(src, set.inspections!.text)).toBe(true);
    expect(set.inspections).toMatchObject({ per: 'quarter', ranking: 'year' });
    for (const c of set.consequences) expect(inSource(src, c.text), c.kind).toBe(true);
    expect(set.consequences.find((c) => c.kind === 'veto')).toMatchObject({ consecutiveYearsLast: 3 });
  });

  it('evaluates a region with the set', () => {
    const e = evaluateRegionIndicators(set, {
      participation: 95,
      prevention_coverage: 90,
      legal_team_satisfaction: 91,
      公众安全感: 89.9,
      pass_rate: 92,
    });
    expect(e.met).toBe(false);
    expect(e.unmet).toEqual(['public_safety_feeling']);
    expect(e.summary).toContain('公众安全感');
  });
});

describe('programme files', () => {
  it('every file in the programme folders parses by its format', () => {
    let n = 0;
    for (const d of ['zhenjiang-star', 'region-targets', 'shangluo-985'])
      for (const f of fs.readdirSync(path.join(DIR, d)).filter((f) => /\.ya?ml$/.test(f))) {
        const raw = load(`${d}/${f}`) as { format: string };
        if (raw.format === 'pingan-standard/v1') {
          expect(parseStandard(raw).ok, f).toBe(true);
        } else {
          expect(PROGRAMME_FORMATS as readonly string[], f).toContain(raw.format);
          const r = parseProgrammeDoc(raw);
          expect(r && r.ok ? r.format : r, f).toBe(raw.format);
        }
        n++;
      }
    expect(n).toBe(8);
  });
});

describe('region and individual brands (003 五个90%, 004 two individual honours)', () => {
  const files = [
    'region-targets/xx-city-safe-county.yaml',
    'shangluo-985/shangluo-2018-household-head.yaml',
    'shangluo-985/shangluo-2018-volunteer.yaml',
  ];
  const targets = load('region-targets/xx-city-region-targets.yaml') as { indicators: { id: string; value: number; comparator: string }[] };

  it('copies every criterion verbatim from the source it names', () => {
    for (const f of files) {
      const doc = ok<StandardDoc>(parseStandard(load(f)), 'standard');
      const src = fs.readFileSync(path.join(DIR, '..', doc.source!.file), 'utf8');
      for (const c of allCriteria(doc)) expect(inSource(src, c.text), `${f} ${c.id}`).toBe(true);
      expect(maxPoints(doc), f).toBe(100);
    }
  });

  it('makes the region standard the five 90% targets, each figure taken from the region indicator of the same id and threshold', () => {
    const doc = ok<StandardDoc>(parseStandard(load(files[0]!)), 'standard');
    expect(doc.category.subjectKinds).toEqual(['region']);
    const measures = allCriteria(doc).flatMap((c) => c.measures);
    expect(measures.map((m) => m.indicator)).toEqual(targets.indicators.map((i) => i.id));
    for (const m of measures) {
      const t = targets.indicators.find((i) => i.id === m.indicator)!;
      expect(m).toMatchObject({ kind: 'threshold', comparator: t.comparator, value: t.value });
    }
  });

  it('lets only individuals apply for the two honours', () => {
    for (const f of files.slice(1)) expect(ok<StandardDoc>(parseStandard(load(f)), 'standard').category.subjectKinds).toEqual(['individual']);
  });
});
