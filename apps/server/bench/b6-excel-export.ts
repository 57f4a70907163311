/**
 * B6 excel-export (goal <=1.5): the applications list exported as Excel (200 000 rows; quick:
 * 50 000) through the app's streaming export against exceljs's streaming WorkbookWriter writing the
 * same values alone. ratio = the app's time ÷ exceljs's time.
 *
 *   npx tsx apps/server/bench/b6-excel-export.ts --db pglite|postgres [--quick]
 *
 * The world is the demo (云州市) plus N units over its villages, each with an application in the
 * demo campaign (submitted, passed or evaluated; a score and stars; a contact name; an encrypted
 * contact phone), loaded set-based. Then:
 *   app:   over HTTP as city_office (who sees them all), GET /api/applications?format=xlsx, the whole
 *          answer read: the list query read page by page (applicationsExport), the phones decrypted
 *          and masked, each page written to the answer as it comes (http/xlsx.ts streamXlsx).
 *   limit: the same values, read back from the app's file (untimed, which also checks it holds every
 *          row), written by exceljs's WorkbookWriter with the same sheet settings to a stream that
 *          only counts bytes.
 */
import { PassThrough, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { loadKeys } from '../src/crypto/keys.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { EXPORT_PAGE } from '../src/http/xlsx.js';
import { sealPhone } from '../src/modules/applications/personalData.js';
import { applicationsExport } from '../src/modules/applications/service.js';
import { login, say, startServer } from './lib.js';
import { asUser, rowsOf, runBench, secs, seedWorld, timed } from './batch-world.js';

type Value = string | number | boolean | Date | null;

/** N units over the villages, each with one application in the demo campaign, set-based. */
async function bulkApplications(s: Parameters<Parameters<typeof runBench>[1]>[0], n: number): Promise<void> {
  const db = s.database.db;
  const [c] = await rowsOf<{ campaign_id: number; category_code: string; standard_version_id: number }>(
    db,
    sql`select cc.campaign_id, cc.category_code, cc.standard_version_id from campaign_categories cc
        join campaigns c on c.id = cc.campaign_id join regions r on r.id = c.region_id
        where r.parent_id is null and cc.category_code = 'campus' order by cc.campaign_id limit 1`,
  );
  if (!c) throw new Error('no city campaign with the campus category in the demo world');
  // one sealed phone for all: the app still opens (decrypts) it row by row
  const phone = sealPhone(loadKeys(s.config), '13912345678');
  await db.transaction(async (tx) => {
    await tx.execute(sql`create temporary table bench_villages on commit drop as
      select row_number() over (order by id) - 1 as k, id, path from regions where level = 'village'`);
    await tx.execute(sql`insert into subjects (kind, name, region_id, unit_type, supervising_dept)
      select 'unit', '导出基准单位' || lpad(g::text, 6, '0'), v.id, '学校', 'education'
      from generate_series(1, ${n}) g join bench_villages v on v.k = g % (select count(*) from bench_villages)`);
    await tx.execute(sql`insert into applications (campaign_id, category_code, standard_version_id, subject_id, region_id, region_path,
        supervising_dept, status, form, contact_phone, submissions, score, stars, submitted_at, updated_at)
      select ${c.campaign_id}, ${c.category_code}, ${c.standard_version_id}, s.id, s.region_id, r.path, 'education',
        (array['submitted', 'preliminary_passed', 'evaluated'])[1 + s.id % 3],
        jsonb_build_object('contactName', '联系人' || s.id), ${phone}, 1,
        round((60 + (s.id % 400) / 10.0)::numeric, 1), s.id % 6,
        now() - s.id * interval '1 minute', now() - s.id * interval '1 second'
      from subjects s join regions r on r.id = s.region_id where s.name like '导出基准单位%'`);
  });
  await db.execute(sql`analyze`);
}

/** Every row of the first sheet as values (header included), read with exceljs's streaming reader. */
async function readBack(data: Buffer): Promise<Value[][]> {
  const rows: Value[][] = [];
  const input = new PassThrough();
  input.end(data);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore' });
  for await (const ws of reader)
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as Value[];
      rows.push(values.slice(1).map((v) => (v === undefined ? null : v)));
    }
  return rows;
}

await runBench({ id: 'B6', name: 'excel-export', goal: '<=1.5' }, async (s, args) => {
  const N = args.quick ? 50_000 : 200_000;
  const db = s.database.db;
  await seedWorld(s);
  const t0 = performance.now();
  await bulkApplications(s, N);
  const [{ total }] = (await rowsOf<{ total: number }>(
    db,
    sql`select count(*)::int as total from applications where status <> 'draft'`,
  )) as [{ total: number }];
  say(`${N} applications loaded in ${secs(performance.now() - t0)}; city_office sees ${total}`);

  // app: the export over HTTP, every byte read
  const { app, url } = await startServer(s);
  let appMs: number;
  let file: Buffer;
  try {
    const cookie = await login(url, 'city_office', DEMO_PASSWORD);
    const t1 = performance.now();
    const res = await fetch(`${url}/api/applications?format=xlsx`, { headers: { cookie } });
    if (!res.ok) throw new Error(`export: ${res.status} ${await res.text()}`);
    file = Buffer.from(await res.arrayBuffer());
    appMs = performance.now() - t1;
  } finally {
    await app.close();
  }
  say(`app: ${(file.length / 1e6).toFixed(1)} MB in ${secs(appMs)}`);

  // where the app's time goes: one page of the export's own fetch at the start and at the end of the list
  const x = applicationsExport(db, loadKeys(s.config), await asUser(db, 'city_office'), {});
  const first = await timed(() => x.fetch(0, EXPORT_PAGE));
  const last = await timed(() => x.fetch(Math.max(0, Number(total) - EXPORT_PAGE), EXPORT_PAGE));
  const pages = `page fetch ${first.ms.toFixed(0)} ms first, ${last.ms.toFixed(0)} ms last of ${Math.ceil(Number(total) / EXPORT_PAGE)}`;
  say(pages);

  const rows = await readBack(file);
  const [header, ...data] = rows;
  if (data.length !== Number(total)) throw new Error(`the export holds ${data.length} rows, ${total} expected`);
  const columns = header!.length;
  say(`read back: ${data.length} rows × ${columns} columns`);

  // limit: the same values through exceljs alone, same sheet settings as http/xlsx.ts writeXlsx
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  const t2 = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('申报列表');
  ws.columns = header!.map((h, i) => ({ header: String(h), key: `c${i}`, width: 14 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const r of data) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  const limitMs = performance.now() - t2;
  say(`limit: exceljs alone ${(bytes / 1e6).toFixed(1)} MB in ${secs(limitMs)}`);

  return {
    ratio: appMs / limitMs,
    detail: `${data.length} × ${columns}${args.quick ? ' (quick)' : ''}, app ${secs(appMs)}, exceljs ${secs(limitMs)}; ${pages}`,
    figures: { appMs, limitMs, rows: data.length },
  };
});
