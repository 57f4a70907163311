import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { STANDARD_FORMAT, allCriteria, parseStandard, type Measure, type StandardDoc } from '../packages/core/src/index.js';

/**
 * The standards under standards/ against their source documents: every file parses, codes are
 * unique, no criterion is dropped (the counts are read from the source text, not written here),
 * every criterion text is copied verbatim, and the key figures are encoded as measures.
 */

const DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(DIR, '..');

function yamlFiles(d: string): string[] {
  return fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(d, e.name)] : []))
    .sort();
}

const raw = yamlFiles(DIR)
  .map((file) => ({ file: path.relative(DIR, file), data: YAML.parse(fs.readFileSync(file, 'utf8')) as unknown }))
  .filter((f) => (f.data as { format?: unknown } | null)?.format === STANDARD_FORMAT);

const parsed = raw.map((f) => ({ file: f.file, result: parseStandard(f.data) }));
const docs: { file: string; doc: StandardDoc }[] = parsed.flatMap((p) => (p.result.ok ? [{ file: p.file, doc: p.result.standard }] : []));

const squash = (s: string) => s.replace(/\s+/g, '');
const sourceText = (file: string) => fs.readFileSync(path.resolve(REPO, file), 'utf8');

// ---- reading the sources

const SRC_001 = 'standards/sources/001_bcf4e3d0eb868851.txt';
const SRC_002 = 'standards/sources/002_169671291d704e13.txt';

interface SourceSection {
  heading: string;
  /** the numbers of the criteria, in order */
  numbers: string[];
  /** for 平安家庭 of 002: the names listed after “六好”，即 / “六无”，即 */
  lists?: Record<string, string[]>;
}

/** 001: sections start with 一、二、… at a line start; criteria are lines starting with "N." */
function sections001(text: string): SourceSection[] {
  const parts = text.split(/^(?=[一二三四五六七八九十]+、)/m).slice(1);
  return parts.map((p) => {
    const [heading = '', ...rest] = p.split(/\r?\n/);
    const numbers = [...rest.join('\n').matchAll(/^\s*(\d+)\s*[.．]/gm)].map((m) => m[1]!);
    return { heading: heading.trim(), numbers };
  });
}

/** 002: sections are "N.平安X创建标准。", criteria are "（k）"; the part ends at the next 一、二、… heading. */
function sections002(text: string): SourceSection[] {
  const headRe = /(\d+)\.(平安\S+?)创建标准。/g;
  const first = text.search(headRe);
  expect(first, '002: no "N.平安X创建标准。" heading found').toBeGreaterThanOrEqual(0);
  const after = text.slice(first);
  const stop = after.search(/^[一二三四五六七八九十]+、/m);
  const body = stop >= 0 ? after.slice(0, stop) : after;
  const heads = [...body.matchAll(headRe)];
  return heads.map((h, i) => {
    const seg = body.slice(h.index! + h[0].length, i + 1 < heads.length ? heads[i + 1]!.index : body.length);
    const lists: Record<string, string[]> = {};
    for (const m of seg.matchAll(/“([^”]+)”，即([^。]*)。/g)) lists[m[1]!] = m[2]!.split('、').map((s) => s.trim());
    return {
      heading: `${h[1]}.${h[2]}创建标准`,
      numbers: [...seg.matchAll(/（(\d+)）/g)].map((m) => m[1]!),
      lists: Object.keys(lists).length ? lists : undefined,
    };
  });
}

const SOURCES: { file: string; sections: SourceSection[] }[] = [
  { file: SRC_001, sections: sections001(sourceText(SRC_001)) },
  { file: SRC_002, sections: sections002(sourceText(SRC_002)) },
];

/** The standards encoded from 001 and 002, which this file checks against their sources; others have their own tests. */
const mine = docs.filter((d) => SOURCES.some((s) => s.file === d.doc.source?.file));

const byCode = (code: string) => {
  const d = docs.find((x) => x.doc.code === code);
  expect(d, `standard ${code} missing`).toBeDefined();
  return d!.doc;
};
const measuresOf = (s: StandardDoc): Measure[] => allCriteria(s).flatMap((c) => c.measures);

// ---- tests

describe('standard files', () => {
  it('finds the encoded standards', () => {
    expect(mine.length).toBe(SOURCES.reduce((n, s) => n + s.sections.length, 0));
  });

  it.each(parsed.map((p) => [p.file, p.result] as const))('%s parses as pingan-standard/v1', (_file, result) => {
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('has unique codes', () => {
    const codes = docs.map((d) => d.doc.code);
    const dup = codes.filter((c, i) => codes.indexOf(c) !== i);
    expect(dup).toEqual([]);
  });

  it.each(mine.map((d) => [d.file, d.doc] as const))('%s: points total 100, vetoes are yes/no', (_f, doc) => {
    const total = allCriteria(doc).reduce((t, c) => t + c.points, 0);
    expect(Math.round(total * 100) / 100).toBe(100);
    for (const c of allCriteria(doc)) if (c.veto) expect(c.judge, `criterion ${c.id}`).toBe('yesno');
  });
});

describe('standards against their sources', () => {
  it('reads the sources: six sections in 001, ten in 002, each with criteria', () => {
    // the section counts are what the documents announce (“六大平安”, “十大平安”)
    expect(sourceText(SRC_001)).toContain('六大平安');
    expect(SOURCES[0]!.sections).toHaveLength(6);
    expect(sourceText(SRC_002)).toContain('十大平安');
    expect(SOURCES[1]!.sections).toHaveLength(10);
    for (const s of SOURCES.flatMap((x) => x.sections)) expect(s.numbers.length, s.heading).toBeGreaterThan(0);
  });

  for (const src of SOURCES) {
    for (const sec of src.sections) {
      it(`${path.basename(src.file)} ${sec.heading.slice(0, 24)}: every criterion is encoded, none added`, () => {
        const matching = docs.filter((d) => d.doc.source?.file === src.file && d.doc.source.section && sec.heading.startsWith(d.doc.source.section));
        expect(matching.map((d) => d.file), `exactly one file encodes ${sec.heading}`).toHaveLength(1);
        const doc = matching[0]!.doc;
        if (sec.lists) {
          // 平安家庭: “六好”，即 … 、“六无”，即 … — one group per list, one criterion per name
          expect(doc.groups.map((g) => g.name).sort()).toEqual(Object.keys(sec.lists).sort());
          for (const [name, items] of Object.entries(sec.lists)) {
            const g = doc.groups.find((x) => x.name === name)!;
            expect(g.criteria.length, `${name}: source lists ${items.length}`).toBe(items.length);
            expect(g.criteria.map((c) => c.text)).toEqual(items);
          }
        } else {
          // the numbers in order, 1…n, and the encoded ids the same
          expect(sec.numbers).toEqual(sec.numbers.map((_, i) => String(i + 1)));
          const ids = allCriteria(doc).map((c) => c.id);
          expect(ids.length, `${sec.heading}: source has ${sec.numbers.length} criteria`).toBe(sec.numbers.length);
          expect(ids).toEqual(sec.numbers);
        }
      });
    }
  }

  it('every encoded standard names a source section that exists', () => {
    for (const { file, doc } of docs) {
      const src = SOURCES.find((s) => s.file === doc.source?.file);
      if (!src) continue; // standards from other sources are checked by their own tests
      expect(src.sections.some((s) => doc.source?.section && s.heading.startsWith(doc.source.section)), file).toBe(true);
    }
  });

  it.each(mine.map((d) => [d.file, d.doc] as const))('%s: texts are verbatim from the source', (_f, doc) => {
    expect(doc.source?.file, 'source.file').toBeTruthy();
    const src = squash(sourceText(doc.source!.file));
    const missing: string[] = [];
    for (const c of allCriteria(doc)) {
      if (!src.includes(squash(c.text))) missing.push(`${c.id} text: ${c.text}`);
      if (c.title && !squash(c.text).startsWith(squash(c.title))) missing.push(`${c.id} title not at the start of its text`);
      if (c.responsibility && !src.includes(squash(c.responsibility))) missing.push(`${c.id} responsibility: ${c.responsibility}`);
    }
    if (doc.responsible.text && !src.includes(squash(doc.responsible.text))) missing.push(`responsible: ${doc.responsible.text}`);
    expect(missing).toEqual([]);
  });

  it.each(mine.map((d) => [d.file, d.doc] as const))('%s: every percentage and distance in a text is a measure', (_f, doc) => {
    const unencoded: string[] = [];
    for (const c of allCriteria(doc)) {
      const values = c.measures.map((m) => ('value' in m ? Math.abs(m.value) : null));
      for (const m of c.text.matchAll(/(\d+(?:\.\d+)?)\s*(%|％|米)/g))
        if (!values.includes(Number(m[1]))) unencoded.push(`${c.id}: ${m[0]}`);
    }
    expect(unencoded).toEqual([]);
  });

  it('001 平安家庭 and 002 平安家庭 六无 are vetoes; alternatives share a group', () => {
    const fam = byCode('datuopu-2020-family');
    expect(fam.groups.find((g) => g.name === '六无')!.criteria.every((c) => c.veto)).toBe(true);
    expect(fam.groups.find((g) => g.name === '六好')!.criteria.some((c) => c.veto)).toBe(false);
    for (const code of ['datuopu-2020-village', 'datuopu-2020-street']) {
      const c = allCriteria(byCode(code)).find((x) => x.measures.some((m) => m.kind === 'change'))!;
      const groups = new Set(c.measures.map((m) => m.anyOfGroup));
      expect(c.measures.length, code).toBe(2);
      expect([...groups], code).toHaveLength(1);
      expect([...groups][0], code).toBeTruthy();
    }
  });
});

describe('key figures', () => {
  it('001 平安村（社区）: patrol team 6–10 people, awareness ≥ 90 %', () => {
    const ms = measuresOf(byCode('jiangzhou-2015-village-community'));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'range', min: 6, max: 10, unit: '人' }));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'threshold', comparator: '>=', value: 90, unit: '%', label: expect.stringContaining('知晓率') }));
  });

  it('002 平安村: reoffending ≤ 2.8 %, mental-health management ≥ 95 %, members ≥ 20 % of households, petitions −30 %', () => {
    const ms = measuresOf(byCode('datuopu-2020-village'));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'threshold', comparator: '<=', value: 2.8, unit: '%' }));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'threshold', comparator: '>=', value: 95, unit: '%' }));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'threshold', comparator: '>=', value: 20, unit: '%', of: '住户数' }));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'change', comparator: '<=', value: -30, baseline: 'last_year' }));
  });

  // 「校园周边200米范围内无违规设立的网吧」: 范围内 includes 200 m itself, so the nearest must be > 200 m
  it('002 平安校园: no internet cafe within 200 m (inclusive), satisfaction ≥ 80 %', () => {
    const ms = measuresOf(byCode('datuopu-2020-campus'));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'distance', comparator: '>', value: 200, unit: 'm' }));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'threshold', comparator: '>=', value: 80, unit: '%' }));
  });

  it('002 平安街道: the committee meets at least once a quarter', () => {
    const ms = measuresOf(byCode('datuopu-2020-street'));
    expect(ms).toContainEqual(expect.objectContaining({ kind: 'frequency', min: 1, per: 'quarter' }));
  });
});
