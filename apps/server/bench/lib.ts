/**
 * Shared pieces of the benchmark suite (`npm run bench`): arguments, the scratch database each
 * benchmark gets, the server it starts, the load generator (autocannon), pgbench, and the one
 * result line each benchmark reports to the runner (run.ts).
 *
 * Every benchmark is a script `bN-name.ts` that the runner starts as its own process, once per
 * database: `tsx bench/b1-draft-save.ts --db pglite|postgres [--quick]`. It does the app's work and
 * the limit's work in the same run and ends by calling `report()`, which prints one
 * `BENCH_RESULT {json}` line the runner reads.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { buildApp } from '../src/app.js';
import { LocalDiskStorage, type FileStorage } from '../src/storage/storage.js';

const run = promisify(execFile);

export type DbKind = 'pglite' | 'postgres';

export interface BenchArgs {
  db: DbKind;
  quick: boolean;
}

export function parseArgs(argv = process.argv.slice(2)): BenchArgs {
  const i = argv.indexOf('--db');
  const db = (i >= 0 ? argv[i + 1] : 'pglite') as DbKind;
  if (db !== 'pglite' && db !== 'postgres') throw new Error(`--db pglite|postgres, not ${db}`);
  return { db, quick: argv.includes('--quick') };
}

/** What one benchmark found on one database. */
export interface BenchResult {
  /** B1 … B10 */
  id: string;
  /** draft-save, roster-import, … */
  name: string;
  db: DbKind;
  /** app ÷ limit (for a "<=n×" goal: the app's time ÷ the limit's time); null when it could not be measured */
  ratio: number | null;
  /** printed instead of "ratio" when the figure is not a ratio (B10: "p95_ms") */
  metric?: string;
  /** as printed: ">=0.40" or "<=1.5" */
  goal: string;
  /** the goal met, and any second goal the benchmark has (B4's p95, B7's /healthz p99) */
  ok: boolean;
  /** the figures behind the ratio, short: "app 501 req/s, pgbench 5148 tps, p95 12 ms" */
  detail: string;
  /** extra numbers the runner may use (B9 takes B1's and B4's app throughput from here) */
  figures?: Record<string, number>;
}

/** Checks a ratio against a goal written ">=0.40" or "<=1.5". */
export function meets(ratio: number | null, goal: string): boolean {
  if (ratio === null || !Number.isFinite(ratio)) return false;
  const m = /^(>=|<=)(\d+(?:\.\d+)?)$/.exec(goal);
  if (!m) throw new Error(`bad goal ${goal}`);
  return m[1] === '>=' ? ratio >= Number(m[2]) : ratio <= Number(m[2]);
}

export function report(r: BenchResult): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(r)}\n`);
}

/** `B1 draft-save ratio=0.42 goal>=0.40 ok db=postgres (app 501 req/s, pgbench 5148 tps)` */
export function formatLine(r: BenchResult): string {
  const ratio = r.ratio === null ? 'n/a' : r.ratio.toFixed(2);
  return `${r.id} ${r.name} ${r.metric ?? 'ratio'}=${ratio} goal${r.goal} ${r.ok ? 'ok' : 'SHORT'} db=${r.db}${r.detail ? ` (${r.detail})` : ''}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** A fresh database of the kind asked: PGlite in a temporary folder, or a scratch PostgreSQL database next to DATABASE_URL. */
export interface Scratch {
  kind: DbKind;
  database: Database;
  /** PostgreSQL only: the scratch database's URL (for pgbench and raw pg clients) */
  url?: string;
  /** PGlite only: the data folder */
  dataDir: string;
  config: Config;
  close(): Promise<void>;
}

export async function openScratch(kind: DbKind, label: string): Promise<Scratch> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`));
  if (kind === 'postgres') {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('DATABASE_URL is not set');
    const scratch = await createScratchDatabase(base, `bench_${label.replace(/\W/g, '_')}`);
    const database = await openDatabase({ databaseUrl: scratch.url, dataDir });
    const config = benchConfig({ DATABASE_URL: scratch.url, DATA_DIR: dataDir });
    return {
      kind,
      database,
      url: scratch.url,
      dataDir,
      config,
      async close() {
        await database.close();
        await scratch.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const pgDir = path.join(dataDir, 'pglite');
  const database = await openDatabase({ dataDir: pgDir });
  const config = benchConfig({ DATA_DIR: dataDir });
  return {
    kind,
    database,
    dataDir,
    config,
    async close() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function benchConfig(overrides: Partial<Config>): Config {
  return loadConfig(
    { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    // a benchmark logs in many times from one address: the login limiter would refuse it
    { LOGIN_RATE_PER_MINUTE: 1_000_000, ...overrides },
  );
}

/** Starts the app listening on a free port of 127.0.0.1 (a real socket, as a browser would see it). */
export async function startServer(s: Scratch, storage?: FileStorage): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(s.config, s.database, storage ?? new LocalDiskStorage(path.join(s.dataDir, 'files')));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { app, url: `http://127.0.0.1:${addr.port}` };
}

export interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Drives `requests` with `connections` concurrent connections for `seconds` (autocannon).
 * Each request may carry its own headers and body; `setupRequest` can vary them per call.
 */
export async function load(opts: {
  url: string;
  connections: number;
  seconds: number;
  requests: autocannon.Request[];
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: opts.requests,
    headers: opts.headers,
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: result.requests.average,
    p50: result.latency.p50,
    // autocannon reports p90, p97_5 and p99, not p95: take p97_5 as the (pessimistic) stand-in
    p95: result.latency.p97_5,
    p99: result.latency.p99,
  };
}

/**
 * pgbench with a custom script against a PostgreSQL URL: `clients` connections for `seconds`.
 * Returns transactions per second (excluding connection time).
 */
export async function pgbench(url: string, script: string, opts: { clients: number; seconds: number }): Promise<number> {
  const file = path.join(os.tmpdir(), `pgbench-${process.pid}-${Date.now()}.sql`);
  fs.writeFileSync(file, script);
  try {
    const u = new URL(url);
    const { stdout } = await run(
      'pgbench',
      [
        '-n',
        '-c',
        String(opts.clients),
        '-j',
        String(Math.min(opts.clients, os.cpus().length)),
        '-T',
        String(opts.seconds),
        '-f',
        file,
        '-h',
        u.hostname,
        '-p',
        u.port || '5432',
        '-U',
        decodeURIComponent(u.username || 'postgres'),
        u.pathname.slice(1),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    if (!m) throw new Error(`pgbench gave no tps:\n${stdout}`);
    return Number(m[1]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Logs in through the API and returns the session cookie header value. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return cookie;
}

/** Progress lines for the person watching (stderr, so the runner shows them without parsing). */
export function say(msg: string): void {
  process.stderr.write(`  ${msg}\n`);
}
