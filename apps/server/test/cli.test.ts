import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { StandardDoc, rate, type CriterionAnswer, type CriterionScore } from '@pingan/core';
import { SAMPLE } from '../../../packages/core/test/fixtures.js';
import { REPO_ROOT } from '../src/config.js';
import { loadStandardFiles } from '../src/modules/standards/files.js';
import { convertCommand, rateApplications, rateCommand, templateCommand, validateCommand } from '../src/cli/commands.js';
import { SHEETS, loadWorkbook, readStandardFile, standardFromXlsx, standardToXlsx } from '../src/modules/standards/formats.js';

let dir: string;
const p = (name: string) => path.join(dir, name);
const write = (name: string, data: unknown) => {
  fs.writeFileSync(p(name), typeof data === 'string' ? data : YAML.stringify(data));
  return name;
};
const sample = () => StandardDoc.parse(SAMPLE);
const opts = () => ({ cwd: dir });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-cli-'));
  write('sample.yaml', SAMPLE);
  const bad = structuredClone(SAMPLE) as Record<string, unknown> & { groups: { criteria: Record<string, unknown>[] }[] };
  bad.groups[0]!.criteria[2]!.points = '二十';
  bad.groups[1]!.criteria[0]!.lead = ['nobody'];
  delete bad.issuer;
  write('bad.yaml', bad);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** every standard document under standards/, and the core fixture */
const corpus = (): { name: string; doc: StandardDoc }[] => [
  { name: 'fixture', doc: sample() },
  ...loadStandardFiles().map((f) => ({ name: f.file, doc: f.doc })),
];

describe('validate', () => {
  it('says OK for a good file and names each bad field', async () => {
    const good = await validateCommand(['sample.yaml'], opts());
    expect(good.ok).toBe(true);
    expect(good.out).toEqual(['sample.yaml: OK（test-campus，6项，满分100分）']);

    const r = await validateCommand(['sample.yaml', 'bad.yaml'], opts());
    expect(r.ok).toBe(false);
    const text = r.err.join('\n');
    expect(text).toContain('bad.yaml: 3处错误');
    expect(text).toContain('issuer: 无效输入：期望 string，实际接收 undefined');
    expect(text).toMatch(/groups\[0\]\.criteria\[2\]\.points: 无效输入：期望 数字，实际接收 string/);
    expect(text).toMatch(/groups\[1\]\.criteria\[0\]\.lead\[0\]: 未知部门代码/);
  });

  it('reads JSON, and reports a missing file and broken syntax', async () => {
    write('sample.json', JSON.stringify(SAMPLE));
    write('broken.json', '{"format": ');
    const r = await validateCommand(['sample.json', 'missing.yaml', 'broken.json'], opts());
    expect(r.out).toEqual(['sample.json: OK（test-campus，6项，满分100分）']);
    expect(r.err.join('\n')).toMatch(/missing\.yaml: 1处错误\n {2}\(file\): 无法读取文件：ENOENT/);
    expect(r.err.join('\n')).toContain('(file): JSON 格式错误');
  });

  it('validates every standard document under standards/', async () => {
    const files = loadStandardFiles().map((f) => path.join(REPO_ROOT, f.file));
    const r = await validateCommand(files);
    expect(r.err).toEqual([]);
    expect(r.ok).toBe(true);
  });
});

describe('export and import', () => {
  it.each(['json', 'yaml', 'xlsx'] as const)('%s round trip is lossless on every standard file and the fixture', async (fmt) => {
    for (const { name, doc } of corpus()) {
      const src = write(`src-${fmt}.json`, JSON.stringify(doc));
      const out = `out.${fmt}`;
      const e = await convertCommand(src, { ...opts(), to: fmt, out });
      expect(e.ok, `${name}: ${e.err.join('\n')}`).toBe(true);
      const back = `back-${fmt}.yaml`;
      const i = await convertCommand(out, { ...opts(), out: back });
      expect(i.ok, `${name}: ${i.err.join('\n')}`).toBe(true);
      const r = await readStandardFile(p(back));
      expect(r.ok && r.doc, name).toEqual(doc);
    }
  });

  it('keeps awkward strings: empty, quoted, multi-line, leading spaces, list items with newlines', async () => {
    const doc = sample();
    const c = doc.groups[0]!.criteria[0]!;
    c.title = '"引号"';
    c.responsibility = '';
    c.text = '  第一行\n第二行  ';
    c.evidence = ['台账\n照片', '[方括号]', ''];
    doc.category.unitTypes = ['中学', '小学'];
    doc.notes = ['一', '', '"x"'];
    doc.starRules.note = '';
    doc.source = { file: '' };
    const back = await standardFromXlsx(await standardToXlsx(doc));
    expect(back.ok && back.doc).toEqual(doc);
  });

  it('writes the sheets with Chinese headers and department names', async () => {
    const r = await convertCommand('sample.yaml', { ...opts(), to: 'xlsx', out: 'sample.xlsx' });
    expect(r.ok).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(p('sample.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['标准信息', '评分细则', '星级规则', '说明', '填写说明']);
    const crit = wb.getWorksheet('评分细则')!;
    expect(crit.getRow(1).getCell(4).value).toBe('编号');
    expect(crit.getRow(2).getCell(4).value).toBe('1');
    expect(crit.getRow(2).getCell(7).value).toBe('教育局');
    expect(crit.getRow(2).getCell(13).value).toBe(20);
    expect(crit.getRow(7).getCell(14).value).toBe('是'); // 6 is 一票否决
    const info = wb.getWorksheet('标准信息')!;
    const codeRow = info.getRows(2, info.rowCount - 1)!.find((row) => row.getCell(1).value === 'code')!;
    expect(codeRow.getCell(3).value).toBe('test-campus');
    expect(wb.getWorksheet('星级规则')!.getRow(2).values).toEqual([undefined, '分数段', 1, 60]);
  });

  it('reads a workbook edited by hand: numbers typed as numbers, blank group cells, 是/否, names and codes', async () => {
    const wb = await loadWorkbook(await standardToXlsx(sample()));
    const crit = wb.getWorksheet(SHEETS.criteria)!;
    crit.getRow(3).getCell(1).value = null; // the group continues
    crit.getRow(3).getCell(2).value = null;
    crit.getRow(2).getCell(4).value = 1; // id typed as a number
    crit.getRow(2).getCell(8).value = 'police, 交警（交巡警）大队'; // codes and names, any separator
    crit.getRow(2).getCell(13).value = '20'; // points typed as text
    crit.getRow(2).getCell(14).value = 'Y';
    const r = await standardFromXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.ok).toBe(true);
    const c1 = r.ok ? r.doc.groups[0]!.criteria[0]! : null;
    expect(c1).toMatchObject({ id: '1', points: 20, veto: true, cooperate: ['police', 'traffic_police'] });
    expect(r.ok && r.doc.groups.map((g) => g.criteria.length)).toEqual([3, 3]);
  });

  it('names the field and the cell of a bad value', async () => {
    const wb = await loadWorkbook(await standardToXlsx(sample()));
    const crit = wb.getWorksheet(SHEETS.criteria)!;
    crit.getRow(4).getCell(13).value = '二十';
    crit.getRow(2).getCell(7).value = '教育部';
    crit.getRow(3).getCell(15).value = '{not json';
    let r = await standardFromXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      expect.stringMatching(/^groups\[0\]\.criteria\[1\]\.measures: 量化指标不是有效的 JSON（评分细则 第3行「量化指标」）/),
    ]);
    crit.getRow(3).getCell(15).value = null;
    r = await standardFromXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(!r.ok && r.errors).toEqual([
      expect.stringMatching(/^groups\[0\]\.criteria\[0\]\.lead\[0\]: 未知部门代码.*（评分细则 第2行「牵头部门」）$/),
      'groups[0].criteria[2].points: 无效输入：期望 数字，实际接收 string（评分细则 第4行「分值」）',
    ]);
    const none = await standardFromXlsx(Buffer.from('not a zip'));
    expect(!none.ok && none.errors[0]).toMatch(/不是有效的 Excel/);
  });

  it('writes JSON and YAML to standard output without --out, and refuses an unknown format', async () => {
    const y = await convertCommand('sample.yaml', { ...opts(), to: 'json' });
    expect(JSON.parse(y.out.join('\n'))).toEqual(sample());
    expect((await convertCommand('sample.yaml', { ...opts(), to: 'csv' })).ok).toBe(false);
    expect((await convertCommand('sample.yaml', { ...opts(), to: 'xlsx' })).err).toEqual(['导出 Excel 须用 --out 指定文件']);
    expect((await convertCommand('bad.yaml', { ...opts(), to: 'json' })).ok).toBe(false);
  });

  it('template writes a workbook with headers and one example row that validates', async () => {
    expect((await templateCommand({ ...opts(), out: 'template.xlsx' })).ok).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(p('template.xlsx'));
    const crit = wb.getWorksheet(SHEETS.criteria)!;
    expect(crit.rowCount).toBe(2);
    expect(crit.getRow(1).getCell(6).value).toBe('条文');
    const v = await validateCommand(['template.xlsx'], opts());
    expect(v.out).toEqual(['template.xlsx: OK（example-2026-campus，1项，满分10分）']);
  });
});

describe('rate', () => {
  const answers: CriterionAnswer[] = [
    { criterionId: '2', figures: { cafe_distance: { value: 350 } } },
    { criterionId: '3', figures: { satisfaction: { value: 70 } } },
    { criterionId: '4', figures: { mass_petitions: { value: 0 } } },
    { criterionId: '5', figures: { patrol: { value: 8 }, meetings: { value: 2 } } },
  ];
  const scores: CriterionScore[] = ['1', '2', '3', '4', '5', '6'].map((id, i) => ({
    criterionId: id,
    score: i === 0 ? 15 : null,
    met: true,
    stage: 'evaluation',
    at: '2026-11-01T00:00:00Z',
  }));
  const apps = [
    { id: 'a1', answers, scores },
    { id: 7, answers: [], scores: [], context: { priorTitleStars: [{ stars: 4, yearsAgo: 1 }] } },
  ];

  it('gives the totals the core engine gives', async () => {
    write('apps.json', JSON.stringify(apps));
    const r = await rateCommand('sample.yaml', 'apps.json', opts());
    expect(r.err).toEqual([]);
    const printed = JSON.parse(r.out.join('\n')) as {
      id: string | number;
      total: number;
      max: number;
      stars: number;
      criteria: unknown[];
    }[];
    const core = rate(sample(), answers, scores);
    expect(printed[0]).toMatchObject({
      id: 'a1',
      total: core.total,
      max: core.max,
      percent: core.percent,
      stars: core.stars,
      level: core.level,
    });
    expect(core.total).toBe(75); // 15 + 20 + 0 (满意率 70 < 80) + 20 + 10 + 10
    expect(printed[0]!.criteria).toHaveLength(6);
    expect(printed[0]!.criteria[2]).toMatchObject({ criterionId: '3', status: 'not_met', score: 0, points: 20 });
    expect(printed[1]).toMatchObject({ id: 7, total: 0, pending: ['1', '2', '3', '4', '5', '6'] });
  });

  it('names the field of bad input and unknown criteria', async () => {
    const r = rateApplications(sample(), [
      { id: 'x', answers: [{ criterionId: '3', figures: { satisfaction: { value: '90' } } }], scores: [{ criterionId: '1', scor: 3 }] },
    ]);
    expect(!r.ok && r.errors).toEqual([
      '[0].answers[0].figures.satisfaction.value: 无效输入：期望 数字，实际接收 string',
      '[0].scores[0]: 出现未知的键(key): "scor"',
    ]);
    const u = rateApplications(sample(), [{ id: 'x', scores: [{ criterionId: '99', score: 1 }] }]);
    expect(!u.ok && u.errors).toEqual(['[0].scores[0].criterionId: 标准test-campus中没有第99项']);
    write('notjson.json', '[{');
    const n = await rateCommand('sample.yaml', 'notjson.json', opts());
    expect(n.ok).toBe(false);
    expect(n.err[0]).toMatch(/^notjson\.json: JSON 格式错误/);
  });
});

describe('the real command', () => {
  it('npx tsx …/main.ts validate exits 1 and names the field', () => {
    const r = spawnSync('npx', ['tsx', 'apps/server/src/cli/main.ts', 'validate', p('bad.yaml')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('groups[0].criteria[2].points: 无效输入：期望 数字，实际接收 string');
  });
});
