import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { z } from 'zod';
import { REPO_ROOT, type Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { lockDataDir } from '../../db/lock.js';
import * as schema from '../../db/schema.js';
import type { Keys } from '../../crypto/keys.js';

/**
 * What `backup` and `restore` share: the manifest, a raw connection that runs no migrations, the
 * list of tables with their row counts, and careful file copying (fsync, sha256).
 */

export const MANIFEST_FILE = 'manifest.json';
export const PGLITE_TARBALL = 'pgdata.tar.gz';
export const PG_DUMP_FILE = 'database.dump';
export const FILES_DIR = 'files';

export const KEYS_NOTE =
  'DATA_KEY 与 AUDIT_KEY 不在备份中，须另行妥善保管；没有它们，加密的个人信息无法读取，审计链无法校验。' +
  ' DATA_KEY and AUDIT_KEY are NOT in this backup: keep them separately. Without them the encrypted personal data cannot be read and the audit chain cannot be verified.';

const FileEntry = z.object({ key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() });

export const Manifest = z.object({
  format: z.literal('pingan-backup/1'),
  createdAt: z.string(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    file: z.string(),
    sha256: z.string(),
    bytes: z.number(),
    serverVersion: z.string(),
  }),
  schema: z.object({ migrations: z.number().int(), lastMigrationHash: z.string().nullable() }),
  /** rows per table, "schema.table" for tables outside public */
  tables: z.record(z.string(), z.number().int()),
  files: z.object({ count: z.number().int(), bytes: z.number(), items: z.array(FileEntry) }),
  audit: z.object({ rows: z.number().int(), verified: z.boolean().nullable() }),
  keys: z.object({ dataKey: z.string().nullable(), auditKey: z.string().nullable(), note: z.string() }),
  /** what the backup found wrong (a referenced file missing, a hash that differs, a broken audit chain) */
  problems: z.array(z.string()).default([]),
});
export type Manifest = z.infer<typeof Manifest>;
export type FileEntry = z.infer<typeof FileEntry>;

/** PGlite's own start parameters less "-F" (fsync off), as the platform runs it (db/client.ts). */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'fsync=on'];
}

export const pgdataOf = (config: Config) => path.join(config.DATA_DIR, 'pgdata');
export const filesOf = (config: Config) => path.join(config.DATA_DIR, 'files');

export type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** A connection that runs no migrations: a backup must not change what it copies. */
export interface RawDatabase {
  kind: 'pglite' | 'postgres';
  query: Query;
  db: Db;
  pglite?: PGlite;
  pool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * Opens the configured database without migrating it. PGlite takes the data folder's lock first,
 * so a running platform makes this fail with a message naming its pid.
 */
export async function openRaw(config: Config, opts: { loadDataDir?: Blob } = {}): Promise<RawDatabase> {
  if (config.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
    pool.on('error', () => {});
    return {
      kind: 'postgres',
      pool,
      query: async (text, params) => (await pool.query(text, params as unknown[])).rows as Record<string, unknown>[],
      db: drizzlePg(pool, { schema }) as unknown as Db,
      close: () => pool.end(),
    };
  }
  const release = lockDataDir(config.DATA_DIR);
  try {
    const client = new PGlite({
      dataDir: pgdataOf(config),
      startParams: pgliteStartParams(),
      relaxedDurability: false,
      loadDataDir: opts.loadDataDir,
    });
    await client.waitReady;
    return {
      kind: 'pglite',
      pglite: client,
      query: async (text, params) => (await client.query<Record<string, unknown>>(text, params as unknown[])).rows,
      db: drizzlePglite(client, { schema }) as unknown as Db,
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

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Every ordinary table outside the system schemas, as "schema.table" (plain name in public). */
export async function listTables(q: Query): Promise<{ name: string; sql: string }[]> {
  const rows = await q(
    `select table_schema as s, table_name as t from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`,
  );
  return rows.map((r) => {
    const s = String(r.s);
    const t = String(r.t);
    return { name: s === 'public' ? t : `${s}.${t}`, sql: `${ident(s)}.${ident(t)}` };
  });
}

export async function rowCounts(q: Query): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await listTables(q)) out[t.name] = Number((await q(`select count(*)::int as n from ${t.sql}`))[0]!.n);
  return out;
}

/** How many of the committed migrations the database has run (drizzle's own table). */
export async function migrationState(q: Query): Promise<{ migrations: number; lastMigrationHash: string | null }> {
  const has = await q(`select 1 from information_schema.tables where table_schema = 'drizzle' and table_name = '__drizzle_migrations'`);
  if (!has.length) return { migrations: 0, lastMigrationHash: null };
  const rows = await q(`select hash from drizzle.__drizzle_migrations order by id`);
  return { migrations: rows.length, lastMigrationHash: rows.length ? String(rows[rows.length - 1]!.hash) : null };
}

/** The migrations this version of the platform knows. */
export function knownMigrationCount(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'apps/server/migrations/meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** Files the database points at, with the hash it recorded when each was stored. */
export async function referencedFiles(q: Query, tables: string[]): Promise<{ key: string; sha256: string; table: string }[]> {
  const out: { key: string; sha256: string; table: string }[] = [];
  for (const t of ['evidence_files', 'onsite_photos'])
    if (tables.includes(t))
      for (const r of await q(`select storage_key as k, sha256 as h from ${t}`))
        out.push({ key: String(r.k), sha256: String(r.h), table: t });
  return out;
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Relative paths of the regular files under root, sorted; "*.part" (an interrupted write) left out. */
export async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await visit(full);
      else if (e.isFile() && !e.name.endsWith('.part')) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  await visit(root);
  return out.sort();
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fsp.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Copies one file and makes it durable: the copy and its folder are fsynced. */
export async function copyDurable(src: string, dst: string): Promise<void> {
  await fsp.mkdir(path.dirname(dst), { recursive: true });
  await fsp.copyFile(src, dst, fs.constants.COPYFILE_EXCL);
  await fsyncPath(dst);
}

/** fsync every file and folder under root (after a restore wrote them without). */
export async function fsyncTree(root: string): Promise<void> {
  for (const rel of await walkFiles(root)) await fsyncPath(path.join(root, rel));
  const dirs = async (d: string) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) if (e.isDirectory()) await dirs(path.join(d, e.name));
    await fsyncPath(d);
  };
  await dirs(root);
}

export async function writeDurable(file: string, data: Buffer | string): Promise<void> {
  const fh = await fsp.open(file, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Whether a folder is absent or holds nothing. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fsp.readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/** A short fingerprint of a key: tells whether two installations hold the same key, reveals nothing of it. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('pingan backup key fingerprint').digest('hex').slice(0, 16);
}

export function fingerprints(keys: Keys | null): { dataKey: string | null; auditKey: string | null } {
  return keys ? { dataKey: keyFingerprint(keys.data), auditKey: keyFingerprint(keys.audit) } : { dataKey: null, auditKey: null };
}

/** Where this installation's keys come from, without making new ones (loadKeys would). */
export function keySource(config: Config): 'env' | 'keys.json' | null {
  if (config.DATA_KEY && config.AUDIT_KEY) return 'env';
  if (fs.existsSync(path.join(config.DATA_DIR, 'keys.json'))) return 'keys.json';
  return null;
}

/** pg_dump / pg_restore arguments for a URL: the password travels in the environment, not on the command line. */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env };
}

/** Runs a PostgreSQL client program; resolves with its exit code and standard error. */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new Error(`找不到 ${cmd}：请安装与数据库同一主版本的 PostgreSQL 客户端 (${cmd} not found: install the PostgreSQL client tools)`)
          : e,
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

export const say = (line: string) => process.stdout.write(`${line}\n`);
export const warn = (line: string) => process.stderr.write(`${line}\n`);
