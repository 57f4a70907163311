import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/**
 * Lists as Excel, streamed (每个列表都可导出Excel): the list's own query is read page by page and each
 * page is written to the answer as it comes, so an export never stops at a row limit and the
 * server's memory stays flat however long the list is. The same filters as the page: the handler
 * passes the list function with the request's filters and only the paging changes.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** rows read per round trip */
export const EXPORT_PAGE = 1000;

export interface Column<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | boolean | Date | null | undefined;
}

/** Reads one page of the list: `limit` rows from `offset`, in the list's own order. */
export type PageFn<T> = (offset: number, limit: number) => Promise<readonly T[]>;

/** Every page of a list until a short one. */
export async function* allPages<T>(fetch: PageFn<T>, size = EXPORT_PAGE, first?: readonly T[]): AsyncGenerator<readonly T[]> {
  let offset = 0;
  let page = first ?? (await fetch(0, size));
  for (;;) {
    if (page.length) yield page;
    if (page.length < size) return;
    offset += size;
    page = await fetch(offset, size);
  }
}

/** Writes one sheet (header row in bold, then the rows) to `out`; returns the number of data rows. */
export async function writeXlsx<T>(
  out: Writable,
  sheet: string,
  columns: readonly Column<T>[],
  pages: AsyncIterable<readonly T[]>,
): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 14 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let n = 0;
  for await (const page of pages)
    for (const row of page) {
      ws.addRow(columns.map((c) => c.value(row) ?? '')).commit();
      n++;
    }
  ws.commit();
  await wb.commit();
  return n;
}

/**
 * Answers the request with the list as an Excel file. The first page is read before anything is
 * sent, so a refusal (404 outside scope, a bad filter) is still an ordinary error answer; a failure
 * later cuts the download off (the browser reports it failed) and is logged.
 */
export async function streamXlsx<T>(
  reply: FastifyReply,
  fileName: string,
  sheet: string,
  columns: readonly Column<T>[],
  fetch: PageFn<T>,
): Promise<FastifyReply> {
  const first = await fetch(0, EXPORT_PAGE);
  const out = new PassThrough();
  writeXlsx(out, sheet, columns, allPages(fetch, EXPORT_PAGE, first)).catch((err: unknown) => {
    reply.log.error({ err: err instanceof Error ? err.message : String(err) }, 'xlsx export failed midway');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .send(out);
}

/** A timestamp for a cell: 2026-11-30 14:05 in China's time, or '' when absent. */
export function cellTime(s: string | Date | null | undefined): string {
  if (!s) return '';
  return new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
