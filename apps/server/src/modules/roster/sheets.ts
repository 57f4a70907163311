import ExcelJS from 'exceljs';
import { DEPARTMENTS, REGION_LEVEL_LABELS, REGION_LEVELS } from '@pingan/core';
import { cellValue, loadWorkbook } from '../standards/formats.js';

/**
 * 名册 in Excel: the template (区域, 单位, 说明), reading a filled one back into rows, the error
 * report of a refused file and the export of the current roster.
 */

export const REGION_SHEET = '区域';
export const UNIT_SHEET = '单位';
export const REGION_COLUMNS = ['名称', '级别', '上级区域', '常住人口', '户数'] as const;
export const UNIT_COLUMNS = ['名称', '类型', '所在区域', '单位类型', '主管部门', '户数', '从业人数', '地址', '联系电话'] as const;
export type RegionColumn = (typeof REGION_COLUMNS)[number];
export type UnitColumn = (typeof UNIT_COLUMNS)[number];
/** one upload holds at most this many rows in all (the benchmark loads 100 000) */
export const ROSTER_MAX_ROWS = 200_000;

export type Cell = string | number | boolean | null;
export interface RawRow<C extends string> {
  /** the row's number in Excel (the header is row 1) */
  row: number;
  cells: Record<C, Cell>;
}
export interface RosterSheets {
  regions: RawRow<RegionColumn>[];
  units: RawRow<UnitColumn>[];
}

const bold = (ws: ExcelJS.Worksheet) => (ws.getRow(1).font = { bold: true });
const toBuffer = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

/** The template: two sheets to fill, with one example row each, and the 说明 sheet. */
export async function rosterTemplate(opts: { officeRegionPath: string; unitTypes: string[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const r = wb.addWorksheet(REGION_SHEET);
  r.columns = REGION_COLUMNS.map((h) => ({ header: h, width: h === '上级区域' ? 30 : 14 }));
  bold(r);
  r.addRow(['示例社区', '村（社区）', `${opts.officeRegionPath}/示例街道`, 3200, 1100]);
  const u = wb.addWorksheet(UNIT_SHEET);
  u.columns = UNIT_COLUMNS.map((h) => ({ header: h, width: h === '所在区域' || h === '地址' ? 30 : 14 }));
  bold(u);
  u.addRow([
    '示例学校',
    '单位',
    `${opts.officeRegionPath}/示例街道`,
    opts.unitTypes[0] ?? '',
    'education',
    '',
    85,
    '示例路1号',
    '', // 联系电话: optional; an example number would read as personal data in the template
  ]);
  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '工作表/列', width: 18 },
    { header: '填写说明', width: 90 },
  ];
  bold(help);
  const levels = REGION_LEVELS.map((l) => `${REGION_LEVEL_LABELS[l].zh}（${l}）`).join('、');
  help.addRows([
    ['区域', '本辖区内的区域：新增的下级区域，或已有区域的常住人口、户数（按“上级区域/名称”匹配已有区域）'],
    ['区域·名称', '必填，不超过100字'],
    ['区域·级别', `必填：${levels}；须低于上级区域的级别`],
    ['区域·上级区域', `必填，从最上级写起，用“/”分隔，如“${opts.officeRegionPath}”；须在本辖区内（可为本表中新增的区域）`],
    ['区域·常住人口、户数', '选填，0到2亿之间的整数'],
    ['单位', '本辖区内的单位和家庭；按“所在区域+名称”匹配已有的主体并更新，不会重复新增'],
    ['单位·名称', '必填，不超过100字；同一区域内不能重复'],
    ['单位·类型', '必填：单位 或 家庭'],
    ['单位·所在区域', '必填，区域的完整路径，如“云州市/青山区/城南街道”'],
    ['单位·单位类型', `单位必填，家庭不填；可选：${opts.unitTypes.join('、') || '（标准库中没有单位类型）'}`],
    [
      '单位·主管部门',
      `选填：部门代码或名称，如 education、教育局；可选代码：${Object.keys(DEPARTMENTS)
        .filter((d) => d !== 'safety_office' && d !== 'units')
        .join('、')}`,
    ],
    ['单位·户数、从业人数', '选填，非负整数'],
    ['单位·地址', '选填，不超过200字'],
    ['单位·联系电话', '选填：手机号（11位）或固定电话（区号-号码）；加密保存，列表中只显示部分号码'],
    ['', `一次最多导入${ROSTER_MAX_ROWS}行。任何一行有误则不导入任何数据，并给出错误报告（可下载 Excel）；全部正确时在一个事务中写入。`],
  ]);
  return toBuffer(wb);
}

const text = (v: Cell) => (v === null ? '' : String(v).trim());

/** Reads a filled template. Throws a Chinese message for a file that is not one. */
export async function readRosterFile(data: Buffer): Promise<RosterSheets> {
  let wb: ExcelJS.Workbook;
  try {
    wb = await loadWorkbook(data);
  } catch {
    throw new Error('不是有效的 Excel（.xlsx）文件');
  }
  const rws = wb.getWorksheet(REGION_SHEET);
  const uws = wb.getWorksheet(UNIT_SHEET);
  if (!rws && !uws) throw new Error(`缺少工作表「${REGION_SHEET}」和「${UNIT_SHEET}」，请使用导入模板`);
  const out: RosterSheets = { regions: rws ? readSheet(rws, REGION_COLUMNS) : [], units: uws ? readSheet(uws, UNIT_COLUMNS) : [] };
  if (out.regions.length + out.units.length > ROSTER_MAX_ROWS) throw new Error(`一次最多导入${ROSTER_MAX_ROWS}行，请分批导入`);
  return out;
}

function readSheet<C extends string>(ws: ExcelJS.Worksheet, columns: readonly C[]): RawRow<C>[] {
  const cols = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => cols.set(text(cellValue(cell.value)), col));
  const missing = columns.filter((h) => !cols.has(h));
  if (missing.length) throw new Error(`工作表「${ws.name}」缺少列：${missing.join('、')}（第1行须为表头：${columns.join('、')}）`);
  const rows: RawRow<C>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const cells = {} as Record<C, Cell>;
    for (const h of columns) {
      const v = cellValue(row.getCell(cols.get(h)!).value);
      cells[h] = typeof v === 'string' ? v.trim() : v;
    }
    if (columns.every((h) => text(cells[h]) === '')) return;
    rows.push({ row: n, cells });
  });
  return rows;
}

export interface BadRow {
  sheet: string;
  row: number;
  cells: Cell[];
  reasons: string[];
}

/** The error report: each bad row as it was, with its reasons, one sheet per sheet of the file. */
export async function errorReportXlsx(bad: BadRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheets: [string, readonly string[]][] = [
    [REGION_SHEET, REGION_COLUMNS],
    [UNIT_SHEET, UNIT_COLUMNS],
    ['文件', []],
  ];
  for (const [name, columns] of sheets) {
    const rows = bad.filter((b) => b.sheet === name);
    if (!rows.length && name === '文件') continue;
    const ws = wb.addWorksheet(`${name}错误`);
    ws.columns = [{ header: '行号', width: 8 }, ...columns.map((h) => ({ header: h, width: 16 })), { header: '错误原因', width: 60 }];
    bold(ws);
    // cells are written as text: a value that looks like a formula must not become one
    for (const b of rows) ws.addRow([b.row, ...b.cells.map((c) => (c === null ? '' : String(c))), b.reasons.join('；')]);
  }
  return toBuffer(wb);
}

export interface RosterExportRow {
  id: number;
  kind: string;
  name: string;
  regionPath: string;
  unitType: string | null;
  supervisingDept: string | null;
  households: number | null;
  staff: number | null;
  address: string | null;
  phone: string | null;
}

/** The current roster in the template's own columns (phones masked), plus the id. */
export async function rosterXlsx(rows: RosterExportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(UNIT_SHEET);
  ws.columns = [
    { header: '编号', width: 8 },
    ...UNIT_COLUMNS.map((h) => ({ header: h, width: h === '所在区域' || h === '地址' ? 30 : 14 })),
  ];
  bold(ws);
  const kind = (k: string) => (k === 'household' ? '家庭' : k === 'unit' ? '单位' : k);
  for (const r of rows)
    ws.addRow([
      r.id,
      r.name,
      kind(r.kind),
      r.regionPath,
      r.unitType ?? '',
      r.supervisingDept ?? '',
      r.households ?? '',
      r.staff ?? '',
      r.address ?? '',
      r.phone ?? '',
    ]);
  return toBuffer(wb);
}
