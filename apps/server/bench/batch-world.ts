/**
 * Shared pieces of the batch and upload benchmarks (B2 roster import, B3 campaign rating, B5
 * anonymous answers, B6 Excel export, B8 evidence upload): the run wrapper (scratch database,
 * one report, clean-up even on failure), the demo world, accounts as CurrentUser, raw access to
 * the PGlite client, COPY on either database, and bulk applications for a long list.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../src/db/client.js';
import { users } from '../src/db/schema.js';
import { seedDemo } from '../src/demo/seed.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { buildScope, type CurrentUser } from '../src/access/scope.js';
import { meets, openScratch, parseArgs, report, say, type BenchArgs, type Scratch } from './lib.js';

const run = promisify(execFile);

/** What a benchmark's body hands back; the wrapper adds id, name, db, goal and ok. */
export interface Outcome {
  ratio: number | null;
  detail: string;
  figures?: Record<string, number>;
  /** a second goal besides the ratio (B7: /healthz p99 during the batch); ok needs both */
  secondGoalMet?: boolean;
}

/**
 * Runs one benchmark on the database the arguments name: opens a scratch database, runs `body`,
 * reports once, closes the scratch database whatever happened, and exits (open sockets, timers and
 * pools must not keep the process alive). A failure prints its error and exits 1, which the runner
 * shows as FAILED.
 */
export async function runBench(
  meta: { id: string; name: string; goal: string },
  body: (s: Scratch, args: BenchArgs) => Promise<Outcome>,
): Promise<never> {
  const args = parseArgs();
  const started = performance.now();
  let scratch: Scratch | null = null;
  let code = 0;
  try {
    say(`${meta.id} ${meta.name} on ${args.db}${args.quick ? ' (quick)' : ''}: opening a scratch database`);
    scratch = await openScratch(args.db, meta.name);
    const out = await body(scratch, args);
    const { secondGoalMet, ...shown } = out;
    report({
      id: meta.id,
      name: meta.name,
      db: args.db,
      goal: meta.goal,
      ok: meets(out.ratio, meta.goal) && secondGoalMet !== false,
      ...shown,
    });
  } catch (e) {
    code = 1;
    const cause = e instanceof Error && e.cause ? `\ncaused by: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}` : '';
    process.stderr.write(`${meta.id} ${meta.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}${cause}\n`);
  } finally {
    try {
      await scratch?.close();
    } catch (e) {
      process.stderr.write(`clean-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    say(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  process.exit(code);
}

export const rowsOf = async <T>(db: Db | Tx, q: SQL): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The demo world (云州市: regions, departments, standards, accounts, a campaign per chain), then fresh statistics. */
export async function seedWorld(s: Scratch): Promise<void> {
  const t0 = performance.now();
  await seedDemo(s.database.db, new LocalDiskStorage(path.join(s.dataDir, 'files')));
  await s.database.db.execute(sql`analyze`);
  say(`demo world seeded in ${secs(performance.now() - t0)}`);
}

/** A demo account as the services see it (what ctx.requireUser builds from a session). */
export async function asUser(db: Db, username: string): Promise<CurrentUser> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  if (!u) throw new Error(`no account ${username}`);
  const { scope, org } = await buildScope(db, u);
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, org, subjectId: u.subjectId, scope };
}

/** The PGlite instance under drizzle, for what drizzle does not pass through (COPY from a blob, raw one-row loops). */
export function pgliteOf(s: Scratch): PGlite {
  if (s.kind !== 'pglite') throw new Error('not a PGlite database');
  return (s.database.db as unknown as { $client: PGlite }).$client;
}

/** A CSV field: empty for null (COPY's NULL in CSV), otherwise quoted. */
export const csvField = (v: string | number | null) => (v === null ? '' : `"${String(v).replace(/"/g, '""')}"`);

/**
 * COPY `csv` into `table (columns)` and returns the milliseconds the load took: on PostgreSQL
 * psql's `\copy … from <file>` (COPY FROM STDIN over the wire; the node `pg` client here has no
 * copy-streams, and psql's start, about 20 ms, is inside the time), on PGlite `COPY … FROM
 * '/dev/blob'` with the CSV handed over as a blob.
 */
export async function copyCsv(s: Scratch, table: string, columns: string[], csv: string): Promise<number> {
  const target = `${table} (${columns.join(', ')})`;
  if (s.kind === 'pglite') {
    const client = pgliteOf(s);
    const blob = new Blob([csv]);
    const t0 = performance.now();
    await client.query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob });
    return performance.now() - t0;
  }
  const file = path.join(s.dataDir, `copy-${table}.csv`);
  fs.writeFileSync(file, csv);
  try {
    const t0 = performance.now();
    await run('psql', [s.url!, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${target} from '${file}' with (format csv)`]);
    return performance.now() - t0;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Runs `fn` on `parallel` workers until `ms` have passed; returns how many calls finished and the time taken. */
export async function repeatFor(parallel: number, ms: number, fn: (worker: number, i: number) => Promise<void>) {
  const t0 = performance.now();
  const end = t0 + ms;
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async (_, w) => {
      while (performance.now() < end) {
        await fn(w, next++);
        done++;
      }
    }),
  );
  return { done, ms: performance.now() - t0 };
}

/** A temporary folder under the scratch data folder (removed with it). */
export function scratchFolder(s: Scratch, name: string): string {
  const dir = path.join(s.dataDir, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export const cpuCount = os.cpus().length;
