import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { allPages, writeXlsx, type PageFn } from '../src/http/xlsx.js';

/** Exports are streamed page by page: none stops at a row limit (the old exports stopped at 5,000). */

const rows = Array.from({ length: 12_345 }, (_, i) => ({ no: i + 1, name: `单位${i + 1}`, phone: i % 2 ? '138****1234' : null }));

async function collect(out: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of out) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('streamed Excel exports', () => {
  it('reads every page until a short one, in order, and asks for nothing past the end', async () => {
    const asked: number[] = [];
    const fetch: PageFn<(typeof rows)[number]> = async (offset, limit) => {
      asked.push(offset);
      return rows.slice(offset, offset + limit);
    };
    const seen: number[] = [];
    for await (const p of allPages(fetch, 1000)) seen.push(...p.map((r) => r.no));
    expect(seen).toEqual(rows.map((r) => r.no));
    expect(asked).toEqual(Array.from({ length: 13 }, (_, i) => i * 1000));
  });

  it('stops after an exactly full last page with one empty read', async () => {
    const exact = rows.slice(0, 3000);
    const asked: number[] = [];
    const got: number[] = [];
    for await (const p of allPages(async (o, l) => {
      asked.push(o);
      return exact.slice(o, o + l);
    }, 1000))
      got.push(p.length);
    expect(got).toEqual([1000, 1000, 1000]);
    expect(asked).toEqual([0, 1000, 2000, 3000]);
  });

  it('writes a workbook Excel opens with every row past 5,000, the header in bold and empty cells for absent values', async () => {
    const out = new PassThrough();
    const done = collect(out);
    const n = await writeXlsx(
      out,
      '名册',
      [
        { header: '序号', value: (r: (typeof rows)[number]) => r.no },
        { header: '名称', value: (r) => r.name },
        { header: '电话', value: (r) => r.phone },
      ],
      allPages(async (o, l) => rows.slice(o, o + l), 1000),
    );
    expect(n).toBe(12_345);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await done) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('名册')!;
    expect(ws.rowCount).toBe(12_346);
    expect(ws.getRow(1).getCell(2).value).toBe('名称');
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.getRow(5001).getCell(2).value).toBe('单位5000');
    expect(ws.getRow(12_346).getCell(1).value).toBe(12_345);
    expect(ws.getRow(2).getCell(3).value ?? '').toBe('');
    expect(ws.getRow(3).getCell(3).value).toBe('138****1234');
  });
});
