/**
 * B2 roster-import (goal >=0.30): a 100 000-row unit roster (quick: 20 000) imported through the
 * app's roster import against COPY of the same rows into the same table. ratio = COPY's time ÷ the
 * app's time.
 *
 *   npx tsx apps/server/bench/b2-roster-import.ts --db pglite|postgres [--quick]
 *
 * The world is the demo (云州市); the rows are units spread over its villages (full name paths),
 * each with a unit type, a department, figures, an address and a mobile phone, written to an .xlsx
 * as an office would fill the template (untimed). Then:
 *   app:   over HTTP as city_office: the file posted to the upload route (POST /api/roster/imports),
 *          which stores it and starts the job, then the job's status polled (GET /api/roster/jobs/:id)
 *          until done; timed from the upload to the answer saying done. The job reads the workbook,
 *          checks every row against the world, then writes them in one transaction of chunked
 *          multi-row INSERTs with the phones encrypted. Reading the workbook alone (readRosterFile) is
 *          timed apart afterwards, to say how much of the job's time it is.
 *   limit: the imported rows deleted and the table vacuumed, then the same rows (same columns,
 *          phones already encrypted) as CSV through COPY: psql's \copy on PostgreSQL, COPY FROM
 *          '/dev/blob' on PGlite (batch-world.ts copyCsv). Only the COPY is timed.
 * Both loads are checked: every row lands, once.
 */
import { PassThrough } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { RosterJob as RosterJobSchema } from '@pingan/contract';
import { loadKeys } from '../src/crypto/keys.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { XLSX_TYPE } from '../src/http/xlsx.js';
import { sealPhone } from '../src/modules/applications/personalData.js';
import { readRosterFile, UNIT_COLUMNS, UNIT_SHEET, type UnitColumn } from '../src/modules/roster/sheets.js';
import { login, say, startServer } from './lib.js';
import { copyCsv, csvField, rowsOf, runBench, secs, seedWorld, timed } from './batch-world.js';

type RosterJob = z.output<typeof RosterJobSchema>;

const NAME_PREFIX = '基准单位';
const COPY_COLUMNS = ['kind', 'name', 'region_id', 'unit_type', 'supervising_dept', 'households', 'staff', 'address', 'phone'];

/** The rows as an .xlsx, written with exceljs's streaming writer (shared strings, as Excel saves them). */
async function rosterFile(rows: Record<UnitColumn, string | number | null>[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet(UNIT_SHEET);
  ws.addRow([...UNIT_COLUMNS]).commit();
  for (const r of rows) ws.addRow(UNIT_COLUMNS.map((h) => r[h] ?? '')).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

await runBench({ id: 'B2', name: 'roster-import', goal: '>=0.30' }, async (s, args) => {
  const N = args.quick ? 20_000 : 100_000;
  const db = s.database.db;
  await seedWorld(s);
  // the app's own keys (DATA_DIR/keys.json, made here first and read by the server), to seal COPY's phones alike
  const keys = loadKeys(s.config);

  // N units over the villages, unique names
  const regions = await rowsOf<{ id: number; name: string; path: string; level: string }>(
    db,
    sql`select id, name, path, level from regions`,
  );
  const nameOf = new Map(regions.map((r) => [Number(r.id), r.name]));
  const villages = regions
    .filter((r) => r.level === 'village')
    .map((r) => ({
      id: Number(r.id),
      namePath: r.path
        .split('/')
        .filter(Boolean)
        .map((i) => nameOf.get(Number(i)))
        .join('/'),
    }));
  const [ut] = await rowsOf<{ t: string }>(
    db,
    sql`select distinct jsonb_array_elements_text(doc->'category'->'unitTypes') as t from standard_versions order by 1 limit 1`,
  );
  const rows = Array.from({ length: N }, (_, i): Record<UnitColumn, string | number | null> => {
    const v = villages[i % villages.length]!;
    return {
      名称: `${NAME_PREFIX}${String(i).padStart(6, '0')}`,
      类型: '单位',
      所在区域: v.namePath,
      单位类型: ut!.t,
      主管部门: 'education',
      户数: null,
      从业人数: 10 + (i % 500),
      地址: `测试路${i}号`,
      联系电话: `139${String(i).padStart(8, '0')}`,
    };
  });
  const file = await rosterFile(rows);
  say(`${N} rows over ${villages.length} villages, a ${(file.length / 1e6).toFixed(1)} MB .xlsx`);

  // app: the upload route starts the job; its status route is polled until it is done
  const { app, url } = await startServer(s);
  let appMs: number;
  try {
    const cookie = await login(url, 'city_office', DEMO_PASSWORD);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)], { type: XLSX_TYPE }), '名册.xlsx');
    const t0 = performance.now();
    const res = await fetch(`${url}/api/roster/imports`, { method: 'POST', headers: { cookie }, body: form });
    if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const { jobId } = (await res.json()) as { jobId: string };
    let job: RosterJob;
    for (;;) {
      const r = await fetch(`${url}/api/roster/jobs/${jobId}`, { headers: { cookie } });
      if (!r.ok) throw new Error(`job status: ${r.status} ${await r.text()}`);
      job = (await r.json()) as RosterJob;
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    appMs = performance.now() - t0;
    const out = job.result;
    if (job.state !== 'done' || !out?.ok || out.unitsInserted !== N)
      throw new Error(`import ${job.state}: ${job.message} ${JSON.stringify(out?.problems.slice(0, 3) ?? [])}`);
    say(`app: ${out.unitsInserted} units imported in ${secs(appMs)}`);
  } finally {
    await app.close();
  }

  // where the app's time goes: reading the workbook alone (the job's first step), untimed for the ratio
  const read = await timed(() => readRosterFile(file));
  const split = `of which reading the .xlsx ${secs(read.ms)}, checking and writing ${secs(appMs - read.ms)}`;
  say(split);

  await db.execute(sql`delete from subjects where name like ${`${NAME_PREFIX}%`}`);
  await db.execute(sql`vacuum analyze subjects`);

  // limit: COPY of the same rows, phones sealed beforehand (untimed)
  const villageId = new Map(villages.map((v) => [v.namePath, v.id]));
  const csv = rows
    .map((c) =>
      [
        'unit',
        c['名称'],
        villageId.get(String(c['所在区域']))!,
        c['单位类型'],
        c['主管部门'],
        c['户数'],
        c['从业人数'],
        c['地址'],
        sealPhone(keys, String(c['联系电话'])),
      ]
        .map(csvField)
        .join(','),
    )
    .join('\n');
  const copyMs = await copyCsv(s, 'subjects', COPY_COLUMNS, `${csv}\n`);
  const [n] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from subjects where name like ${`${NAME_PREFIX}%`}`);
  if (Number(n!.n) !== N) throw new Error(`COPY loaded ${n!.n} rows, not ${N}`);
  say(`limit: COPY of the same ${N} rows in ${secs(copyMs)}`);

  return {
    ratio: copyMs / appMs,
    detail: `${N} rows${args.quick ? ' (quick)' : ''}, app job ${secs(appMs)} (${split}), COPY ${secs(copyMs)}`,
    figures: { appMs, copyMs },
  };
});
