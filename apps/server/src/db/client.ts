import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { REPO_ROOT } from '../config.js';
import { lockDataDir } from './lock.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PGlite only: the whole data folder as one tar (tests seed the demo world once and start each database from it) */
  dumpDataDir?(): Promise<Blob>;
}

const MIGRATIONS = path.join(REPO_ROOT, 'apps/server/migrations');

/**
 * PGlite's own start parameters less "-F" (which turns fsync off): what a user saved must survive
 * a power cut on a street office's laptop.
 */
const PGLITE_START_PARAMS = [
  '--single',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'io_method=sync',
  '-c',
  'max_parallel_maintenance_workers=0',
  '-c',
  'fsync=on',
];

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise PGlite in `dataDir`
 * (or in memory when dataDir is 'memory://', for tests). Runs the committed migrations.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; loadDataDir?: Blob }): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // an idle connection dropped by the server (restart, admin shutdown) must not crash the process;
    // the pool replaces it on the next query
    pool.on('error', (err) => console.warn(`PostgreSQL connection lost: ${err.message}`));
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS });
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  const inMemory = opts.dataDir === 'memory://';
  const release = inMemory ? () => {} : lockDataDir(opts.dataDir);
  try {
    const client = new PGlite({
      dataDir: inMemory ? undefined : path.join(opts.dataDir, 'pgdata'),
      startParams: PGLITE_START_PARAMS,
      relaxedDurability: false,
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    await client.waitReady;
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS });
    // PGlite has no autovacuum: without statistics the planner misjudges large joins
    await client.exec('ANALYZE');
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      dumpDataDir: () => client.dumpDataDir('none'),
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * Runs reads one after another and gives their results as Promise.all would. For code that may be
 * handed a transaction: its one connection takes one query at a time, and overlapping queries on it
 * are queued by pg with a deprecation warning (pg 9 refuses them). On the pool, side by side would
 * take a connection per read for one request anyway.
 */
export async function inTurn<T extends unknown[]>(...steps: { [K in keyof T]: () => PromiseLike<T[K]> }): Promise<T> {
  const out: unknown[] = [];
  for (const step of steps as readonly (() => unknown)[]) out.push(await step());
  return out as T;
}
