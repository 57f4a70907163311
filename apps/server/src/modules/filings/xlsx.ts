import ExcelJS from 'exceljs';
import { FILER_KIND_LABELS, FILING_KIND_LABELS, FILING_STATE_LABELS } from '@pingan/core';
import type { Db } from '../../db/client.js';
import type { CurrentUser } from '../../access/scope.js';
import { matrixRows, type MatrixFilter } from './requirements.js';

const FILLS: Record<string, string> = {
  not_filed: 'FFF0F0F0',
  draft: 'FFFFF7E6',
  submitted: 'FFE6F4FF',
  accepted: 'FFF6FFED',
  returned: 'FFFFF1F0',
};

/** The matrix as a workbook, with the page's filters: a row per filer, a column per requirement. */
export async function matrixXlsx(db: Db, user: CurrentUser, campaignId: number, f: MatrixFilter): Promise<{ data: Buffer; name: string }> {
  const { c, reqs, rows, day } = await matrixRows(db, user, campaignId, f);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('报备情况');
  ws.addRow([`${c.name} 报备情况（截至${day}）`]);
  ws.getRow(1).font = { bold: true, size: 13 };
  ws.addRow([
    '报备单位',
    '所在地区',
    '类型',
    ...reqs.map((r) => `${FILING_KIND_LABELS[r.kind].zh}：${r.title}（${FILER_KIND_LABELS[r.filers].zh}，截止${r.dueOn}）`),
  ]);
  ws.getRow(2).font = { bold: true };
  ws.getRow(2).alignment = { wrapText: true, vertical: 'top' };
  ws.columns = [{ width: 24 }, { width: 14 }, { width: 12 }, ...reqs.map(() => ({ width: 26 }))];
  for (const row of rows) {
    const values = reqs.map((r) => {
      const cell = row.cells.find((x) => x.r.id === r.id)?.x;
      if (!cell) return '—';
      const at = cell.filing?.submittedAt ? ` ${cell.filing.submittedAt.toISOString().slice(0, 10)}` : '';
      return `${FILING_STATE_LABELS[cell.state].zh}${cell.late ? '（逾期）' : ''}${cell.state === 'submitted' || cell.state === 'accepted' ? at : ''}`;
    });
    const added = ws.addRow([row.org.name, row.org.regionName, FILER_KIND_LABELS[row.org.kind].zh, ...values]);
    reqs.forEach((r, i) => {
      const cell = row.cells.find((x) => x.r.id === r.id)?.x;
      if (!cell) return;
      const xc = added.getCell(4 + i);
      xc.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: cell.late ? 'FFFFCCC7' : FILLS[cell.state]! } };
      if (cell.late) xc.font = { color: { argb: 'FFCF1322' }, bold: true };
    });
  }
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }];
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), name: `${c.name}-报备情况.xlsx` };
}
