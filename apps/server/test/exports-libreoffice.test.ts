import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { DB_KINDS, call, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * The Excel exports open in LibreOffice: several xlsx files taken through the real HTTP routes
 * (applications, titles, incidents, the roster, a roster import's error report) are converted to
 * CSV by one headless soffice call, and a known header and a known value are found in each.
 */
const SOFFICE = process.env.SOFFICE_PATH ?? '/usr/bin/soffice';

/** A small CSV reader (quotes, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe.each(DB_KINDS)('xlsx exports through LibreOffice on %s', (kind) => {
  let s: TestServer;
  let dir = '';
  const q = async <T>(text: string): Promise<T[]> => ((await s.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
  const download = async (user: string, url: string) => {
    const res = await s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    return res.rawPayload;
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-lo-'));
  });
  afterAll(async () => {
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'applications, titles, incidents, the roster and an error report open in LibreOffice with their headers and values',
    { timeout: 180_000 },
    async () => {
      // a refused roster import: its error report is one of the files
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('区域').addRows([
        ['名称', '级别', '上级区域', '常住人口', '户数'],
        ['坏区域', '县', '云州市/临江县/白沙镇', null, null],
      ]);
      wb.addWorksheet('单位').addRow(['名称', '类型', '所在区域', '单位类型', '主管部门', '户数', '从业人数', '地址', '联系电话']);
      const mp = multipart(
        '名册.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        Buffer.from(await wb.xlsx.writeBuffer()),
      );
      const up = await s.app.inject({
        method: 'POST',
        url: '/api/roster/imports',
        headers: { ...mp.headers, cookie: await s.login('city_office') },
        payload: mp.payload,
      });
      expect(up.statusCode).toBe(202);
      const jobId = up.json().jobId as string;
      for (let i = 0; i < 500 && (await call(s, 'city_office', 'GET', `/api/roster/jobs/${jobId}`)).body.state === 'running'; i++)
        await new Promise((r) => setTimeout(r, 20));

      const [title] = await q<{ no: string }>(`select certificate_no as no from titles order by id limit 1`);
      const files: { name: string; data: Buffer; header: string; value: string }[] = [
        {
          name: 'applications',
          data: await download('city_office', '/api/applications?format=xlsx'),
          header: '申报单位',
          value: '云州市人民医院',
        },
        { name: 'titles', data: await download('city_office', '/api/titles?format=xlsx'), header: '证书编号', value: title!.no },
        {
          name: 'incidents',
          data: await download('city_office', '/api/incidents?format=xlsx'),
          header: '发生日期',
          value: '云州市人民医院',
        },
        {
          name: 'roster',
          data: await download('city_office', '/api/roster/units?format=xlsx'),
          header: '所在区域',
          value: '青山区桂花幼儿园',
        },
        {
          name: 'errors',
          data: await download('city_office', `/api/roster/jobs/${jobId}/errors`),
          header: '错误原因',
          value: '级别顺序有误',
        },
      ];
      for (const f of files) fs.writeFileSync(path.join(dir, `${f.name}.xlsx`), f.data);

      // one soffice call for every file: its start takes most of the time
      const profile = `file:///tmp/lo-${randomBytes(6).toString('hex')}`;
      try {
        execFileSync(
          SOFFICE,
          [
            '--headless',
            '--norestore',
            `-env:UserInstallation=${profile}`,
            '--convert-to',
            'csv:Text - txt - csv (StarCalc):44,34,76',
            '--outdir',
            dir,
            ...files.map((f) => path.join(dir, `${f.name}.xlsx`)),
          ],
          { timeout: 170_000, stdio: 'pipe' },
        );
      } finally {
        fs.rmSync(profile.slice('file://'.length), { recursive: true, force: true });
      }
      for (const f of files) {
        const csv = path.join(dir, `${f.name}.csv`);
        expect(fs.existsSync(csv), `${f.name}.csv was not written`).toBe(true);
        const rows = parseCsv(fs.readFileSync(csv, 'utf8'));
        expect(rows[0], f.name).toContain(f.header);
        const col = rows[0]!.indexOf(f.header);
        expect(rows.length, f.name).toBeGreaterThan(1);
        expect(
          rows.slice(1).some((r) => r.some((c) => c.includes(f.value))),
          `${f.name}: ${f.value}`,
        ).toBe(true);
        // the header's column holds data, not a shifted row
        expect(
          rows.slice(1).some((r) => (r[col] ?? '') !== ''),
          `${f.name}: column ${f.header}`,
        ).toBe(true);
      }
    },
  );
});
