import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import {
  DEPARTMENTS,
  DEPARTMENT_CODES,
  STANDARD_FORMAT,
  describeMeasure,
  parseStandard,
  type DepartmentCode,
  type StandardDoc,
  type StandardInput,
} from '@pingan/core';

/**
 * A standard as JSON, YAML or an Excel workbook, and back. The workbook is for people who keep
 * standards in Excel: one row per criterion, Chinese headers and values, and nothing lost on the
 * way back (export → import gives a document deep-equal to the original). Used by the CLI and by
 * the export route.
 */

export const STANDARD_FILE_FORMATS = ['json', 'yaml', 'xlsx'] as const;
export type StandardFileFormat = (typeof STANDARD_FILE_FORMATS)[number];

export const CONTENT_TYPES: Record<StandardFileFormat, string> = {
  json: 'application/json; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export type ReadResult = { ok: true; doc: StandardDoc } | { ok: false; errors: string[] };

/** The format a file name implies, or null. */
export function formatOfPath(file: string): StandardFileFormat | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.xlsx') return 'xlsx';
  return null;
}

// ---- JSON and YAML ---------------------------------------------------------------------------

export function standardToJson(doc: StandardDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function standardToYaml(doc: StandardDoc): string {
  return YAML.stringify(doc, { lineWidth: 0 });
}

/** Parses JSON or YAML text (YAML is a superset of JSON) and validates it. */
export function standardFromText(text: string, kind: 'json' | 'yaml' = 'yaml'): ReadResult {
  let raw: unknown;
  try {
    raw = kind === 'json' ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    return { ok: false, errors: [`(file): ${kind === 'json' ? 'JSON' : 'YAML'} 格式错误：${(e as Error).message.split('\n')[0]}`] };
  }
  const r = parseStandard(raw);
  return r.ok ? { ok: true, doc: r.standard } : r;
}

/** Reads a standard from a .json, .yaml/.yml or .xlsx file (other names are read as YAML). */
export async function readStandardFile(file: string): Promise<ReadResult> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    return { ok: false, errors: [`(file): 无法读取文件：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`] };
  }
  const fmt = formatOfPath(file);
  if (fmt === 'xlsx') return standardFromXlsx(data);
  return standardFromText(data.toString('utf8'), fmt === 'json' ? 'json' : 'yaml');
}

export async function renderStandard(doc: StandardDoc, format: StandardFileFormat): Promise<Buffer> {
  if (format === 'json') return Buffer.from(standardToJson(doc), 'utf8');
  if (format === 'yaml') return Buffer.from(standardToYaml(doc), 'utf8');
  return standardToXlsx(doc);
}

// ---- cell encodings: each one reads back exactly what it wrote -------------------------------

type Cell = string | number | boolean | null;

/** A cell's value as plain data, whatever Excel made of it (rich text, formula, hyperlink). */
export function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: unknown }).result;
    return result === undefined || result === null || typeof result === 'object' ? null : (result as Cell);
  }
  if ('hyperlink' in v) return v.text;
  if ('error' in v) return String(v.error);
  return null;
}

/** Strings: an empty string, or one in double quotes, is written as a JSON string literal. */
const QUOTED = /^".*"$/s;
function encStr(s: string | undefined): string | null {
  if (s === undefined) return null;
  return s === '' || QUOTED.test(s) ? JSON.stringify(s) : s;
}
function decStr(v: Cell): unknown {
  if (v === null) return undefined;
  if (typeof v !== 'string') return String(v);
  if (QUOTED.test(v)) {
    try {
      const s: unknown = JSON.parse(v);
      if (typeof s === 'string') return s;
    } catch {
      /* not a literal: the text as it is */
    }
  }
  return v;
}

/** Lists of strings: one per line, or a JSON array when a line could not hold an item. */
function encList(items: readonly string[]): string | null {
  if (!items.length) return null;
  const plain = items.every((s) => s !== '' && s === s.trim() && !/[\r\n]/.test(s));
  const joined = items.join('\n');
  return plain && !/^[["]/.test(joined) ? joined : JSON.stringify(items);
}
function decList(v: Cell, separators = /\r?\n/): unknown {
  if (v === null) return [];
  const s = String(v);
  if (s.startsWith('[')) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  return s
    .split(separators)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Codes shown as Chinese names; either is read back. */
function encCodes(codes: readonly string[], names: Record<string, string>): string | null {
  return codes.length ? codes.map((c) => names[c] ?? c).join('、') : null;
}
function decCodes(v: Cell, names: Record<string, string>): unknown {
  const list = decList(v, /[\r\n、,，;；]/);
  if (!Array.isArray(list)) return list;
  const byName = new Map(Object.entries(names).map(([code, name]) => [name, code]));
  return list.map((x) => (typeof x === 'string' && !Object.hasOwn(names, x) ? (byName.get(x) ?? x) : x));
}

const DEPT_NAMES: Record<string, string> = Object.fromEntries(DEPARTMENT_CODES.map((c: DepartmentCode) => [c, DEPARTMENTS[c].zh]));
const SUBJECT_KIND_NAMES: Record<string, string> = { unit: '单位', household: '家庭', individual: '个人', region: '区域' };
const JUDGE_NAMES: Record<string, string> = { score: '打分', yesno: '是否达标' };
const CONDITION_NAMES: Record<string, string> = {
  prior_title: '已获称号',
  higher_check: '上级核查',
  recommendation: '部门推荐',
  lower_title: '下级称号',
};

function encBool(b: boolean | undefined): string | null {
  return b === undefined ? null : b ? '是' : '否';
}
function decBool(v: Cell): unknown {
  if (v === null) return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', '√', '✓'].includes(s)) return true;
  if (['否', 'n', 'no', 'false', '0', '×', '✗'].includes(s)) return false;
  return v;
}

function decNum(v: Cell): unknown {
  if (v === null) return undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return v;
}

function decName(v: Cell, names: Record<string, string>): unknown {
  const s = decStr(v);
  if (typeof s !== 'string') return s;
  const t = s.trim();
  return Object.entries(names).find(([, n]) => n === t)?.[0] ?? t;
}

// ---- the workbook layout ----------------------------------------------------------------------

export const SHEETS = { info: '标准信息', criteria: '评分细则', stars: '星级规则', notes: '说明', help: '填写说明' } as const;

type InfoKind = 'str' | 'num' | 'list' | 'depts' | 'kinds';
const INFO_ROWS: { key: string; label: string; kind: InfoKind; hint: string }[] = [
  { key: 'format', label: '格式', kind: 'str', hint: `固定为 ${STANDARD_FORMAT}` },
  { key: 'code', label: '标准编号', kind: 'str', hint: '小写字母、数字和连字符，如 yunzhou-2026-campus' },
  { key: 'title', label: '标题', kind: 'str', hint: '' },
  { key: 'titleEn', label: '英文标题', kind: 'str', hint: '可空' },
  { key: 'issuer', label: '发布单位', kind: 'str', hint: '' },
  { key: 'year', label: '年份', kind: 'num', hint: '' },
  { key: 'scheme', label: '评定方式', kind: 'str', hint: 'stars（星级评定）或 title（命名与否，无星级）' },
  { key: 'source.file', label: '来源文件', kind: 'str', hint: '可空' },
  { key: 'source.section', label: '来源章节', kind: 'str', hint: '可空' },
  { key: 'category.code', label: '类别代码', kind: 'str', hint: '小写字母和下划线，如 campus' },
  { key: 'category.name', label: '称号名称', kind: 'str', hint: '如 平安校园' },
  { key: 'category.nameEn', label: '称号英文名称', kind: 'str', hint: '可空' },
  { key: 'category.subjectKinds', label: '申报主体类型', kind: 'kinds', hint: '单位、家庭、个人、区域，用顿号分隔' },
  { key: 'category.unitTypes', label: '单位类型', kind: 'list', hint: '每行一个，可空' },
  { key: 'responsible.lead', label: '责任单位', kind: 'depts', hint: '部门名称，用顿号分隔' },
  { key: 'responsible.assist', label: '协助单位', kind: 'depts', hint: '部门名称，用顿号分隔' },
  { key: 'responsible.text', label: '责任表述', kind: 'str', hint: '可空' },
];

type ColKind = 'str' | 'num' | 'bool' | 'list' | 'depts' | 'judge' | 'measures' | 'readonly';
const CRITERION_COLS: { header: string; key: string; kind: ColKind; width: number }[] = [
  { header: '分组编号', key: 'group.id', kind: 'str', width: 9 },
  { header: '分组名称', key: 'group.name', kind: 'str', width: 14 },
  { header: '分组英文名称', key: 'group.nameEn', kind: 'str', width: 12 },
  { header: '编号', key: 'id', kind: 'str', width: 8 },
  { header: '标题', key: 'title', kind: 'str', width: 16 },
  { header: '条文', key: 'text', kind: 'str', width: 50 },
  { header: '牵头部门', key: 'lead', kind: 'depts', width: 16 },
  { header: '配合部门', key: 'cooperate', kind: 'depts', width: 16 },
  { header: '责任表述', key: 'responsibility', kind: 'str', width: 24 },
  { header: '佐证材料', key: 'evidence', kind: 'list', width: 24 },
  { header: '须上传佐证', key: 'evidenceRequired', kind: 'bool', width: 10 },
  { header: '评判方式', key: 'judge', kind: 'judge', width: 10 },
  { header: '分值', key: 'points', kind: 'num', width: 7 },
  { header: '一票否决', key: 'veto', kind: 'bool', width: 9 },
  { header: '量化指标', key: 'measures', kind: 'measures', width: 40 },
  { header: '量化指标说明（只读）', key: 'measuresText', kind: 'readonly', width: 30 },
];
const STAR_HEADERS = ['类型', '星级', '最低得分率(%)', '条件类型', '至少星级', '年限', '说明文字'];
const STAR_ROW = { band: '分数段', condition: '条件', note: '备注', defaults: '默认分数段' };

function styleHeader(ws: ExcelJS.Worksheet) {
  const row = ws.getRow(1);
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

const listValidation = (values: string[]): ExcelJS.DataValidation => ({
  type: 'list',
  allowBlank: true,
  formulae: [`"${values.join(',')}"`],
});

/** Writes the workbook. */
export async function standardToXlsx(doc: StandardDoc): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'pingan-standards';
  wb.title = doc.title;

  const info = wb.addWorksheet(SHEETS.info);
  info.columns = [
    { header: '字段', key: 'key', width: 24 },
    { header: '名称', key: 'label', width: 14 },
    { header: '值', key: 'value', width: 60 },
    { header: '说明', key: 'hint', width: 40 },
  ];
  const lookup = (key: string): unknown =>
    key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);
  for (const r of INFO_ROWS) {
    const v = lookup(r.key);
    const value =
      r.kind === 'num'
        ? (v as number | undefined) ?? null
        : r.kind === 'list'
          ? encList((v as string[] | undefined) ?? [])
          : r.kind === 'depts'
            ? encCodes((v as string[] | undefined) ?? [], DEPT_NAMES)
            : r.kind === 'kinds'
              ? encCodes((v as string[] | undefined) ?? [], SUBJECT_KIND_NAMES)
              : encStr(v as string | undefined);
    info.addRow({ key: r.key, label: r.label, value, hint: r.hint });
  }
  info.getColumn('value').alignment = { wrapText: true, vertical: 'top' };
  styleHeader(info);

  const crit = wb.addWorksheet(SHEETS.criteria);
  crit.columns = CRITERION_COLS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const g of doc.groups)
    for (const c of g.criteria) {
      const row = crit.addRow({
        'group.id': encStr(g.id),
        'group.name': encStr(g.name),
        'group.nameEn': encStr(g.nameEn),
        id: encStr(c.id),
        title: encStr(c.title),
        text: encStr(c.text),
        lead: encCodes(c.lead, DEPT_NAMES),
        cooperate: encCodes(c.cooperate, DEPT_NAMES),
        responsibility: encStr(c.responsibility),
        evidence: encList(c.evidence),
        evidenceRequired: encBool(c.evidenceRequired),
        judge: JUDGE_NAMES[c.judge] ?? c.judge,
        points: c.points,
        veto: encBool(c.veto),
        measures: c.measures.length ? c.measures.map((m) => JSON.stringify(m)).join('\n') : null,
        measuresText: c.measures.length ? c.measures.map((m) => describeMeasure(m)).join('\n') : null,
      });
      row.alignment = { wrapText: true, vertical: 'top' };
      row.getCell('evidenceRequired').dataValidation = listValidation(['是', '否']);
      row.getCell('veto').dataValidation = listValidation(['是', '否']);
      row.getCell('judge').dataValidation = listValidation(Object.values(JUDGE_NAMES));
    }
  crit.getColumn('measuresText').font = { color: { argb: 'FF808080' } };
  styleHeader(crit);

  const stars = wb.addWorksheet(SHEETS.stars);
  stars.addRow(STAR_HEADERS);
  stars.columns.forEach((c, i) => (c.width = [10, 6, 14, 12, 10, 6, 40][i]));
  for (const b of doc.starRules.bands) stars.addRow([STAR_ROW.band, b.stars, b.minPercent]);
  for (const c of doc.starRules.conditions)
    stars.addRow([
      STAR_ROW.condition,
      c.stars,
      null,
      CONDITION_NAMES[c.kind] ?? c.kind,
      c.kind === 'prior_title' ? c.minStars : null,
      c.kind === 'prior_title' ? c.withinYears : null,
      encStr(c.text),
    ]);
  if (doc.starRules.defaultBands) stars.addRow([STAR_ROW.defaults, null, null, null, null, null, '分数段为系统默认值（源文件未规定）']);
  if (doc.starRules.note !== undefined) stars.addRow([STAR_ROW.note, null, null, null, null, null, encStr(doc.starRules.note)]);
  stars.getColumn(7).alignment = { wrapText: true, vertical: 'top' };
  styleHeader(stars);

  const notes = wb.addWorksheet(SHEETS.notes);
  notes.columns = [{ header: '说明', key: 'note', width: 100 }];
  for (const n of doc.notes) notes.addRow({ note: encStr(n) });
  notes.getColumn('note').alignment = { wrapText: true, vertical: 'top' };
  styleHeader(notes);

  const help = wb.addWorksheet(SHEETS.help);
  help.columns = [{ header: '填写说明（导入时忽略本页）', key: 'h', width: 110 }];
  for (const line of HELP) help.addRow({ h: line });
  styleHeader(help);

  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HELP = [
  '「标准信息」按字段填写第3列“值”；「评分细则」每行一个条目，同一分组的条目连续排列，分组编号相同即为同一分组（分组名称取该组第一行）。',
  '部门、申报主体类型填写中文名称或代码，多个用顿号分隔；佐证材料、单位类型每行一项。',
  '须上传佐证、一票否决填“是”或“否”（空白为否）；评判方式填“打分”或“是否达标”（空白为打分）。',
  '量化指标每行一个 JSON 对象，如 {"id":"awareness","label":"群众知晓率","kind":"threshold","comparator":">=","value":90,"unit":"%"}；kind 可为 threshold、change、range、frequency、distance。',
  '「星级规则」类型为“分数段”的行填星级与最低得分率；“条件”的行填星级、条件类型（已获称号、上级核查、部门推荐、下级称号）与说明文字，已获称号另填至少星级与年限；“备注”的行填说明文字；有“默认分数段”一行表示分数段为系统默认值（源文件未规定）。',
  '「说明」每行一条。空字符串写作 ""；以英文双引号开头并结尾的文字按 JSON 字符串读取。',
  '检查：npm run standards -w @pingan/server -- validate 文件.xlsx',
];

/** Opens workbook bytes (exceljs's typing wants an older Buffer type than Node's). */
export async function loadWorkbook(data: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

/** Reads the workbook back; errors name the document field and the sheet, row and column. */
export async function standardFromXlsx(data: Buffer | Uint8Array): Promise<ReadResult> {
  let wb: ExcelJS.Workbook;
  try {
    wb = await loadWorkbook(data);
  } catch (e) {
    return { ok: false, errors: [`(file): 不是有效的 Excel（.xlsx）文件：${(e as Error).message}`] };
  }
  const errors: string[] = [];
  /** doc path prefix → where it came from, for the messages */
  const where: [string, string][] = [];
  const raw: Record<string, unknown> = {};

  const info = wb.getWorksheet(SHEETS.info);
  if (!info) errors.push(`(file): 缺少工作表「${SHEETS.info}」`);
  else
    info.eachRow((row, n) => {
      if (n === 1) return;
      const key = String(cellValue(row.getCell(1).value) ?? '').trim();
      if (!key) return;
      const spec = INFO_ROWS.find((r) => r.key === key);
      if (!spec) return void errors.push(`${SHEETS.info} 第${n}行: 未知字段 ${key}`);
      const v = cellValue(row.getCell(3).value);
      const value =
        spec.kind === 'num'
          ? decNum(v)
          : spec.kind === 'list'
            ? decList(v)
            : spec.kind === 'depts'
              ? decCodes(v, DEPT_NAMES)
              : spec.kind === 'kinds'
                ? decCodes(v, SUBJECT_KIND_NAMES)
                : decStr(v);
      where.push([key, `${SHEETS.info} 第${n}行「${spec.label}」`]);
      if (value === undefined) return;
      const parts = key.split('.');
      let o = raw;
      for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
      o[parts.at(-1)!] = value;
    });

  const crit = wb.getWorksheet(SHEETS.criteria);
  const groups: { id: unknown; name: unknown; nameEn?: unknown; criteria: Record<string, unknown>[] }[] = [];
  if (!crit) errors.push(`(file): 缺少工作表「${SHEETS.criteria}」`);
  else {
    const header = crit.getRow(1);
    const colOf = new Map<string, number>();
    header.eachCell((cell, col) => {
      const h = String(cellValue(cell.value) ?? '').trim();
      const spec = CRITERION_COLS.find((c) => c.header === h);
      if (spec) colOf.set(spec.key, col);
    });
    for (const c of CRITERION_COLS)
      if (!colOf.has(c.key) && c.kind !== 'readonly' && c.key !== 'group.nameEn') errors.push(`${SHEETS.criteria}: 缺少列「${c.header}」`);
    crit.eachRow((row, n) => {
      if (n === 1) return;
      const get = (key: string): Cell => {
        const col = colOf.get(key);
        return col ? cellValue(row.getCell(col).value) : null;
      };
      const filled = CRITERION_COLS.some((c) => c.kind !== 'readonly' && get(c.key) !== null);
      if (!filled) return;
      const gid = decStr(get('group.id'));
      let g = groups.at(-1);
      if (!g || (gid !== undefined && gid !== g.id)) {
        g = { id: gid, name: decStr(get('group.name')), criteria: [] };
        const en = decStr(get('group.nameEn'));
        if (en !== undefined) g.nameEn = en;
        where.push([`groups[${groups.length}]`, `${SHEETS.criteria} 第${n}行（分组）`]);
        groups.push(g);
      }
      const c: Record<string, unknown> = {};
      const at = `groups[${groups.length - 1}].criteria[${g.criteria.length}]`;
      for (const col of CRITERION_COLS) {
        if (col.key.startsWith('group.') || col.kind === 'readonly') continue;
        const v = get(col.key);
        where.push([`${at}.${col.key}`, `${SHEETS.criteria} 第${n}行「${col.header}」`]);
        let value: unknown;
        switch (col.kind) {
          case 'str':
            value = decStr(v);
            break;
          case 'num':
            value = decNum(v);
            break;
          case 'bool':
            value = decBool(v);
            break;
          case 'list':
            value = decList(v);
            break;
          case 'depts':
            value = decCodes(v, DEPT_NAMES);
            break;
          case 'judge':
            value = v === null ? undefined : decName(v, JUDGE_NAMES);
            break;
          case 'measures': {
            if (v === null) break;
            const s = String(v).trim();
            try {
              value = s.startsWith('[') ? JSON.parse(s) : s.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
            } catch (e) {
              errors.push(`${at}.measures: 量化指标不是有效的 JSON（${SHEETS.criteria} 第${n}行「量化指标」）：${(e as Error).message}`);
            }
            break;
          }
        }
        if (value !== undefined) c[col.key] = value;
      }
      where.push([at, `${SHEETS.criteria} 第${n}行`]);
      g.criteria.push(c);
    });
    raw.groups = groups;
  }

  const stars = wb.getWorksheet(SHEETS.stars);
  if (stars) {
    const bands: unknown[] = [];
    const conditions: unknown[] = [];
    let note: unknown;
    let defaultBands = false;
    stars.eachRow((row, n) => {
      if (n === 1) return;
      const cell = (i: number) => cellValue(row.getCell(i).value);
      const type = String(cell(1) ?? '').trim();
      if (!type) return;
      if (type === STAR_ROW.band || type === 'band') {
        where.push([`starRules.bands[${bands.length}]`, `${SHEETS.stars} 第${n}行`]);
        bands.push({ stars: decNum(cell(2)), minPercent: decNum(cell(3)) });
      } else if (type === STAR_ROW.condition || type === 'condition') {
        where.push([`starRules.conditions[${conditions.length}]`, `${SHEETS.stars} 第${n}行`]);
        const c: Record<string, unknown> = { kind: decName(cell(4), CONDITION_NAMES), stars: decNum(cell(2)), text: decStr(cell(7)) };
        if (cell(5) !== null) c.minStars = decNum(cell(5));
        if (cell(6) !== null) c.withinYears = decNum(cell(6));
        conditions.push(c);
      } else if (type === STAR_ROW.defaults || type === 'defaultBands') {
        defaultBands = true;
      } else if (type === STAR_ROW.note || type === 'note') {
        where.push(['starRules.note', `${SHEETS.stars} 第${n}行`]);
        note = decStr(cell(7));
      } else errors.push(`${SHEETS.stars} 第${n}行: 类型须为“${STAR_ROW.band}”“${STAR_ROW.condition}”或“${STAR_ROW.note}”，而不是“${type}”`);
    });
    raw.starRules = note === undefined ? { bands, conditions, defaultBands } : { bands, conditions, defaultBands, note };
  }

  const notes = wb.getWorksheet(SHEETS.notes);
  if (notes) {
    const list: unknown[] = [];
    notes.eachRow((row, n) => {
      if (n === 1) return;
      const v = cellValue(row.getCell(1).value);
      if (v === null) return;
      where.push([`notes[${list.length}]`, `${SHEETS.notes} 第${n}行`]);
      list.push(decStr(v));
    });
    raw.notes = list;
  }

  if (errors.length) return { ok: false, errors };
  const r = parseStandard(raw);
  if (r.ok) return { ok: true, doc: r.standard };
  // the longest known prefix of the field path says where in the workbook it is
  return {
    ok: false,
    errors: r.errors.map((e) => {
      const field = e.slice(0, e.indexOf(': '));
      let best: [string, string] | undefined;
      for (const w of where)
        if ((field === w[0] || field.startsWith(`${w[0]}.`) || field.startsWith(`${w[0]}[`)) && (!best || w[0].length > best[0].length)) best = w;
      return best ? `${e}（${best[1]}）` : e;
    }),
  };
}

/** A valid example standard: what `template` writes, with one criterion to copy. */
export const TEMPLATE_EXAMPLE: StandardInput = {
  format: STANDARD_FORMAT,
  code: 'example-2026-campus',
  title: '示例：平安校园创建标准',
  issuer: '某某县平安办',
  year: 2026,
  category: { code: 'campus', name: '平安校园', subjectKinds: ['unit'], unitTypes: ['school'] },
  responsible: { lead: ['education'], assist: ['police'] },
  groups: [
    {
      id: '一',
      name: '组织推进',
      criteria: [
        {
          id: '1',
          title: '群众知晓率',
          text: '平安创建群众知晓率达到90%以上',
          lead: ['education'],
          cooperate: ['police'],
          responsibility: '此项由县教育局牵头，县公安局配合',
          evidence: ['问卷调查汇总表'],
          evidenceRequired: true,
          measures: [{ id: 'awareness', label: '群众知晓率', kind: 'threshold', comparator: '>=', value: 90, unit: '%' }],
          judge: 'score',
          points: 10,
          veto: false,
        },
      ],
    },
  ],
  notes: ['示例行，请按本行格式填写后删除。'],
};
