/**
 * The benchmark suite: `npm run bench [-- --quick] [--only B1,B4] [--db pglite|postgres] [--budget seconds]`.
 *
 * Runs each benchmark (bN-*.ts in this folder) as its own process, once on PGlite and once on
 * PostgreSQL when DATABASE_URL is set, and ends its output with one line per benchmark and database:
 *
 *   B1 draft-save ratio=0.42 goal>=0.40 ok db=postgres (app 501 req/s, pgbench 5148 tps)
 *
 * The ratio is the app's work against the same work done raw in the same run (pgbench or raw SQL,
 * COPY, pdfkit and exceljs alone, a one-row insert). B9 is not run but derived: PGlite ÷ PostgreSQL
 * on B1 and B4. A ratio short of its goal is reported as SHORT; the suite still exits 0 (it is a
 * report, not a gate), and exits 1 only when a benchmark crashed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLine, meets, type BenchResult, type DbKind } from './lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Entry {
  id: string;
  name: string;
  script: string;
  goal: string;
  /** seconds a run may take before it is stopped (quick, full) */
  timeout: [number, number];
}

const SUITE: Entry[] = [
  { id: 'B1', name: 'draft-save', script: 'b1-draft-save.ts', goal: '>=0.40', timeout: [240, 900] },
  { id: 'B2', name: 'roster-import', script: 'b2-roster-import.ts', goal: '>=0.30', timeout: [240, 1200] },
  { id: 'B3', name: 'campaign-rating', script: 'b3-campaign-rating.ts', goal: '<=1.5', timeout: [240, 1800] },
  { id: 'B4', name: 'dashboard-list', script: 'b4-dashboard-list.ts', goal: '>=0.80', timeout: [300, 1800] },
  { id: 'B5', name: 'anonymous-answer', script: 'b5-anonymous-answer.ts', goal: '>=0.50', timeout: [180, 900] },
  { id: 'B6', name: 'excel-export', script: 'b6-excel-export.ts', goal: '<=1.5', timeout: [240, 1200] },
  { id: 'B7', name: 'certificates', script: 'b7-certificates.ts', goal: '>=0.50', timeout: [300, 2400] },
  { id: 'B8', name: 'evidence-upload', script: 'b8-evidence-upload.ts', goal: '>=0.50', timeout: [120, 600] },
  { id: 'B10', name: 'deadline-day', script: 'b10-deadline-day.ts', goal: '<=300', timeout: [300, 1800] },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const only = arg('only')
  ?.split(',')
  .map((s) => s.trim().toUpperCase());
const dbs: DbKind[] = arg('db') ? [arg('db') as DbKind] : process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

function runOne(e: Entry, db: DbKind, secondsLeft: number): Promise<BenchResult> {
  const tsx = path.join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
  const args = [path.join(here, e.script), '--db', db, ...(quick ? ['--quick'] : [])];
  const timeoutS = Math.min(e.timeout[quick ? 0 : 1], Math.floor(secondsLeft));
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(tsx, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let result: BenchResult | null = null;
    let tail = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice(13)) as BenchResult;
        else process.stdout.write(`  ${line}\n`);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      process.stderr.write(d);
      tail = (tail + d.toString()).slice(-600);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      if (result) return resolve({ ...result, detail: `${result.detail}, ${secs} s` });
      const why = code === null ? `stopped after ${timeoutS} s` : `exit ${code}: ${tail.trim().split('\n').pop() ?? ''}`;
      resolve({ id: e.id, name: e.name, db, ratio: null, goal: e.goal, ok: false, detail: `FAILED, ${why}` });
    });
  });
}

/** --budget S: the whole suite stops starting benchmarks after S seconds and reports the rest as not run (CI) */
const budget = Number(arg('budget') ?? Infinity);
const results: BenchResult[] = [];
const began = Date.now();
for (const e of SUITE) {
  if (only && !only.includes(e.id)) continue;
  for (const db of dbs) {
    const left = budget - (Date.now() - began) / 1000;
    if (left < 30) {
      results.push({
        id: e.id,
        name: e.name,
        db,
        ratio: null,
        goal: e.goal,
        ok: false,
        detail: `not run: the suite's ${budget} s budget was spent`,
      });
      continue;
    }
    process.stderr.write(`== ${e.id} ${e.name} on ${db}${quick ? ' (quick)' : ''}\n`);
    results.push(await runOne(e, db, left));
  }
}

// B9: the embedded database against PostgreSQL, on B1's and B4's throughput
if ((!only || only.includes('B9')) && dbs.includes('pglite') && dbs.includes('postgres')) {
  for (const id of ['B1', 'B4']) {
    const lite = results.find((r) => r.id === id && r.db === 'pglite')?.figures?.appPerSecond;
    const pg = results.find((r) => r.id === id && r.db === 'postgres')?.figures?.appPerSecond;
    const ratio = lite && pg ? lite / pg : null;
    results.push({
      id: 'B9',
      name: `pglite-vs-postgres-${id}`,
      db: 'pglite',
      ratio,
      goal: '>=0.30',
      ok: meets(ratio, '>=0.30'),
      detail: lite && pg ? `PGlite ${lite.toFixed(0)}/s, PostgreSQL ${pg.toFixed(0)}/s` : `needs ${id} on both databases`,
    });
  }
} else if (!only || only.includes('B9')) {
  results.push({
    id: 'B9',
    name: 'pglite-vs-postgres',
    db: 'pglite',
    ratio: null,
    goal: '>=0.30',
    ok: false,
    detail: dbs.includes('pglite')
      ? 'not run: needs PostgreSQL too (DATABASE_URL is not set)'
      : 'not run: needs B1 and B4 on PGlite too (--db postgres ran PostgreSQL only)',
  });
}

const order = (id: string) => Number(id.slice(1));
results.sort((a, b) => order(a.id) - order(b.id));
process.stdout.write(
  `\n== benchmark results (${quick ? 'quick' : 'full'}, ${((Date.now() - began) / 1000).toFixed(0)} s, ${new Date().toISOString()})\n`,
);
for (const r of results) process.stdout.write(`${formatLine(r)}\n`);
process.exit(results.some((r) => r.detail.startsWith('FAILED')) ? 1 : 0);
