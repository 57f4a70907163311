/**
 * Benchmark of the roster import (名册导入) against PostgreSQL's own bulk load.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx apps/server/scripts/bench-roster.ts [--rows 100000]
 *
 * Makes a fresh database next to DATABASE_URL (bench_roster_<random>, dropped at the end; nothing
 * is left in the one named), seeds the demo world, and builds N unit rows spread over the city's
 * villages, each with a unit type, a department, figures, an address and a mobile phone. Then:
 *   (a) import: importRosterRows, the service function the upload job runs once the file is read —
 *       every row checked, then one transaction of chunked multi-row INSERTs with phones encrypted;
 *   (b) copy: the same rows (same columns, phones already encrypted) written to a CSV file in a
 *       temporary folder and loaded with `COPY subjects (...) FROM '<file>'` (the server runs on
 *       this machine and reads the file itself); only the COPY statement is timed.
 * Between the two the imported rows are deleted and the table vacuumed. Prints
 *   roster import <N> rows: import=<s>s copy=<s>s ratio=<x>
 * Reading the xlsx itself (exceljs) is not in (a); it is printed apart for a file of the same rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createScratchDatabase } from '../src/db/scratch.js';
import { openDatabase, type Db } from '../src/db/client.js';
import { seedDemo } from '../src/demo/seed.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { buildScope, type CurrentUser } from '../src/access/scope.js';
import type { Keys } from '../src/crypto/keys.js';
import { sealPhone } from '../src/modules/applications/personalData.js';
import { importRosterRows } from '../src/modules/roster/service.js';
import { UNIT_COLUMNS, readRosterFile, type RawRow, type UnitColumn } from '../src/modules/roster/sheets.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}
const N = flag('rows', 100_000);
const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
const rowsOf = async <T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL (PostgreSQL): COPY is what the import is compared with');
  const scratch = await createScratchDatabase(base, 'bench_roster');
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-roster-'));
  try {
    const db = database.db;
    log(`database ${scratch.name}: seeding the demo world`);
    await seedDemo(db, new LocalDiskStorage(path.join(tmp, 'files')));
    const keys: Keys = { profile: 'intl', data: randomBytes(32), audit: randomBytes(32) };
    const [u] = await rowsOf<{ id: number; org_id: number; username: string; display_name: string }>(
      db,
      sql`select id, org_id, username, display_name from users where username = 'city_office'`,
    );
    const { scope, org } = await buildScope(db, { id: u!.id, role: 'safety_office', orgId: u!.org_id, subjectId: null });
    const user: CurrentUser = {
      id: u!.id,
      username: u!.username,
      displayName: u!.display_name,
      role: 'safety_office',
      org,
      subjectId: null,
      scope,
    };

    // the rows: N units over the villages (full name paths), unique names
    const regions = await rowsOf<{ id: number; name: string; path: string; level: string }>(
      db,
      sql`select id, name, path, level from regions`,
    );
    const nameOf = new Map(regions.map((r) => [r.id, r.name]));
    const villages = regions
      .filter((r) => r.level === 'village')
      .map((r) => ({
        id: r.id,
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
    const units: RawRow<UnitColumn>[] = [];
    for (let i = 0; i < N; i++) {
      const v = villages[i % villages.length]!;
      units.push({
        row: i + 2,
        cells: {
          名称: `测试单位${String(i).padStart(6, '0')}`,
          类型: '单位',
          所在区域: v.namePath,
          单位类型: ut!.t,
          主管部门: 'education',
          户数: null,
          从业人数: 10 + (i % 500),
          地址: `测试路${i}号`,
          联系电话: `139${String(i).padStart(8, '0')}`,
        },
      });
    }
    log(`${N} rows over ${villages.length} villages`);

    // (a) the import path
    const t0 = performance.now();
    const out = await importRosterRows(db, keys, user, { regions: [], units });
    const importS = (performance.now() - t0) / 1000;
    if (!out.ok || out.unitsInserted !== N) throw new Error(`import refused or short: ${JSON.stringify(out.problems.slice(0, 3))}`);
    log(`import: ${importS.toFixed(2)} s (${out.unitsInserted} inserted)`);

    await db.execute(sql`delete from subjects where name like '测试单位%'`);
    await db.execute(sql`vacuum analyze subjects`);

    // (b) COPY of the same rows from a CSV file
    const villageId = new Map(villages.map((v) => [v.namePath, v.id]));
    const csvFile = path.join(tmp, 'subjects.csv');
    const esc = (v: string | number | null) => (v === null ? '' : `"${String(v).replace(/"/g, '""')}"`);
    const lines = units.map((r) => {
      const c = r.cells;
      return [
        'unit',
        c['名称'],
        villageId.get(String(c['所在区域']))!,
        c['单位类型'],
        'education',
        null,
        c['从业人数'],
        c['地址'],
        sealPhone(keys, String(c['联系电话'])),
      ]
        .map((x) => esc(x as string | number | null))
        .join(',');
    });
    fs.writeFileSync(csvFile, `${lines.join('\n')}\n`);
    fs.chmodSync(tmp, 0o755);
    fs.chmodSync(csvFile, 0o644);
    const t1 = performance.now();
    await db.execute(
      sql.raw(
        `copy subjects (kind, name, region_id, unit_type, supervising_dept, households, staff, address, phone) from '${csvFile}' with (format csv)`,
      ),
    );
    const copyS = (performance.now() - t1) / 1000;
    const [n] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from subjects where name like '测试单位%'`);
    if (Number(n!.n) !== N) throw new Error(`COPY loaded ${n!.n} rows, not ${N}`);
    log(`copy: ${copyS.toFixed(2)} s`);

    // apart: reading an xlsx of the same rows (what the upload job does before the import path)
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('单位');
    ws.addRow([...UNIT_COLUMNS]);
    for (const r of units) ws.addRow(UNIT_COLUMNS.map((h) => r.cells[h]));
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const t2 = performance.now();
    const read = await readRosterFile(xlsx);
    log(
      `reading the ${(xlsx.length / 1e6).toFixed(1)} MB xlsx (not in import=): ${((performance.now() - t2) / 1000).toFixed(2)} s, ${read.units.length} rows`,
    );

    console.log(`roster import ${N} rows: import=${importS.toFixed(2)}s copy=${copyS.toFixed(2)}s ratio=${(importS / copyS).toFixed(1)}`);
  } finally {
    await database.close();
    await scratch.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
