import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { PoolClient } from 'pg';
import type { Config } from '../../config.js';
import { loadKeys } from '../../crypto/keys.js';
import { DataDirLockedError } from '../../db/lock.js';
import { verifyAudit } from '../../modules/audit/service.js';
import type { AdminCommand } from './command.js';
import {
  FILES_DIR,
  KEYS_NOTE,
  MANIFEST_FILE,
  PGLITE_TARBALL,
  PG_DUMP_FILE,
  copyDurable,
  filesOf,
  fingerprints,
  fsyncTree,
  isEmptyDir,
  keySource,
  libpqTarget,
  listTables,
  migrationState,
  openRaw,
  pgdataOf,
  referencedFiles,
  rowCounts,
  runTool,
  say,
  sha256File,
  walkFiles,
  warn,
  writeDurable,
  type FileEntry,
  type Manifest,
  type Query,
  type RawDatabase,
} from './backup-common.js';

const USAGE = `用法 usage: npm run admin -- backup <目录 folder>

把数据库和佐证文件备份到一个新的（或空的）目录，附 manifest.json（各表行数、每个文件的 sha256）。
Backs up the database and the evidence files into a new (or empty) folder, with a manifest.json
(row counts per table, every file's sha256).

  嵌入式数据库 (PGlite, 未设 DATABASE_URL)：须先停止平台服务，备份期间数据目录被锁定。
  The embedded database (PGlite, no DATABASE_URL): stop the platform first; the data folder is locked meanwhile.
  PostgreSQL：平台可继续运行；用 pg_dump -Fc 在一个快照内导出。
  PostgreSQL: the platform may keep running; pg_dump -Fc exports one consistent snapshot.

DATA_KEY / AUDIT_KEY 不会写入备份，须另行保管。DATA_KEY / AUDIT_KEY are not written into the backup: keep them separately.
`;

interface Described {
  tables: Record<string, number>;
  schema: { migrations: number; lastMigrationHash: string | null };
  refs: { key: string; sha256: string; table: string }[];
  serverVersion: string;
}

async function describe(q: Query): Promise<Described> {
  const names = (await listTables(q)).map((t) => t.name);
  return {
    tables: await rowCounts(q),
    schema: await migrationState(q),
    refs: await referencedFiles(q, names),
    serverVersion: String((await q('show server_version'))[0]!.server_version),
  };
}

/** The embedded database: a tarball of its data folder, taken while this process holds the lock. */
async function dumpPglite(raw: RawDatabase, target: string): Promise<Described & { file: string }> {
  // the tarball is then a clean copy: nothing left only in memory or only in the WAL
  await raw.query('CHECKPOINT');
  const d = await describe(raw.query);
  const blob = await raw.pglite!.dumpDataDir('gzip');
  await writeDurable(path.join(target, PGLITE_TARBALL), Buffer.from(await blob.arrayBuffer()));
  return { ...d, file: PGLITE_TARBALL };
}

/**
 * PostgreSQL: pg_dump -Fc reads a snapshot this process exported, and the manifest's counts and
 * file references are read in the same snapshot, so both describe the same moment.
 */
async function dumpPostgres(raw: RawDatabase, config: Config, target: string): Promise<Described & { file: string }> {
  const client: PoolClient = await raw.pool!.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = String((await client.query('select pg_export_snapshot() as s')).rows[0].s);
    const q: Query = async (text, params) => (await client.query(text, params as unknown[])).rows as Record<string, unknown>[];
    const { dbname, env } = libpqTarget(config.DATABASE_URL!);
    const file = path.join(target, PG_DUMP_FILE);
    const dump = runTool(
      'pg_dump',
      ['--format=custom', `--snapshot=${snapshot}`, '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${dbname}`],
      env,
    );
    const d = await describe(q);
    const r = await dump;
    if (r.code !== 0) throw new Error(`pg_dump 失败 failed (${r.code}): ${r.stderr.trim()}`);
    await client.query('commit');
    return { ...d, file: PG_DUMP_FILE };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Copies the evidence store, hashing each copy; the database's own hashes are checked against them. */
async function copyFiles(config: Config, target: string, refs: Described['refs']): Promise<{ items: FileEntry[]; problems: string[] }> {
  const src = filesOf(config);
  const items: FileEntry[] = [];
  for (const rel of await walkFiles(src)) {
    const dst = path.join(target, FILES_DIR, rel);
    await copyDurable(path.join(src, rel), dst);
    items.push({ key: rel, sha256: await sha256File(dst), size: (await fsp.stat(dst)).size });
  }
  const byKey = new Map(items.map((i) => [i.key, i]));
  const problems: string[] = [];
  for (const r of refs) {
    const got = byKey.get(r.key);
    if (!got) problems.push(`${r.table}: 文件 ${r.key} 不存在 (file missing from the store)`);
    else if (got.sha256 !== r.sha256) problems.push(`${r.table}: 文件 ${r.key} 的 sha256 与登记不符 (hash differs from the database's)`);
  }
  return { items, problems };
}

export const backup: AdminCommand = {
  summary: '备份数据库与佐证文件 back up the database and the evidence files',
  async run(args, config) {
    if (args.length !== 1 || args[0]!.startsWith('-')) {
      process.stderr.write(USAGE);
      return args[0] === '--help' ? 0 : 2;
    }
    const target = path.resolve(args[0]!);
    if (!(await isEmptyDir(target))) {
      warn(`目标目录 ${target} 已存在且不为空：请指定一个新目录 (the target folder exists and is not empty: name a new one)`);
      return 1;
    }
    const kind = config.DATABASE_URL ? 'postgres' : 'pglite';
    const keySrc = keySource(config);
    const keys = keySrc ? loadKeys(config) : null;

    if (kind === 'pglite' && !fs.existsSync(path.join(pgdataOf(config), 'PG_VERSION'))) {
      warn(`${config.DATA_DIR} 中没有数据库 (no database in this data folder)`);
      return 1;
    }
    let raw: RawDatabase;
    try {
      raw = await openRaw(config);
    } catch (e) {
      if (e instanceof DataDirLockedError) {
        warn(`${e.message}`);
        warn('平台正在运行：嵌入式数据库 (PGlite) 只能在停止服务后备份。请先停止平台，再运行 backup。');
        warn(
          'The platform is running: the embedded database (PGlite) can only be backed up while the platform is stopped. Stop it, then run backup again.',
        );
        return 1;
      }
      throw e;
    }
    await fsp.mkdir(target, { recursive: true });
    let described: Described & { file: string };
    let copied: { items: FileEntry[]; problems: string[] };
    let audit: Manifest['audit'];
    try {
      described = kind === 'pglite' ? await dumpPglite(raw, target) : await dumpPostgres(raw, config, target);
      // PGlite: still under the lock, so the files match the tarball exactly
      copied = await copyFiles(config, target, described.refs);
      const auditRows = described.tables['audit_log'] ?? 0;
      if (keys && 'audit_log' in described.tables) {
        const v = await verifyAudit(raw.db, keys);
        audit = { rows: auditRows, verified: v.firstBroken === null };
        if (v.firstBroken)
          copied.problems.push(
            `审计链在第 ${v.firstBroken.id} 行断开 (${v.firstBroken.reason}) (the audit chain is broken at row ${v.firstBroken.id})`,
          );
      } else audit = { rows: auditRows, verified: null };
    } finally {
      await raw.close();
    }

    const dbFile = path.join(target, described.file);
    const manifest: Manifest = {
      format: 'pingan-backup/1',
      createdAt: new Date().toISOString(),
      database: {
        kind,
        file: described.file,
        sha256: await sha256File(dbFile),
        bytes: (await fsp.stat(dbFile)).size,
        serverVersion: described.serverVersion,
      },
      schema: described.schema,
      tables: described.tables,
      files: { count: copied.items.length, bytes: copied.items.reduce((a, i) => a + i.size, 0), items: copied.items },
      audit,
      keys: { ...fingerprints(keys), note: KEYS_NOTE },
      problems: copied.problems,
    };
    // the manifest is written last: a folder without one is an unfinished backup
    await writeDurable(path.join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsyncTree(target);

    const rows = Object.values(described.tables).reduce((a, b) => a + b, 0);
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    say(`备份完成 Backup written: ${target}`);
    say(
      `  数据库 database: ${kind} ${described.serverVersion}，${described.schema.migrations} 个迁移 migrations，${Object.keys(described.tables).length} 张表 tables，${rows} 行 rows（${described.file}，${mb(manifest.database.bytes)}）`,
    );
    say(`  文件 files: ${copied.items.length} 个（${mb(manifest.files.bytes)}），每个文件的 sha256 已记录 every file's sha256 recorded`);
    say(
      `  审计链 audit chain: ${audit.rows} 行 rows，${audit.verified === null ? '未校验（无密钥）not verified (no keys)' : audit.verified ? '校验通过 verified' : '校验失败 BROKEN'}`,
    );
    warn(`注意 NOTE: ${KEYS_NOTE}`);
    if (keySrc === 'keys.json')
      warn(
        `  本机的密钥在 ${path.join(config.DATA_DIR, 'keys.json')}，它没有被复制进备份（与备份放在一起就失去了加密的意义）：请单独保存一份。` +
          ` The keys of this installation are in that keys.json, which was NOT copied into the backup (kept next to it, encryption would be pointless): save a copy of it elsewhere.`,
      );
    if (!keySrc) warn('  未找到密钥 (no keys found): 审计链未校验 the audit chain was not verified.');
    if (copied.problems.length) {
      warn(`备份不完整 The backup is INCOMPLETE: ${copied.problems.length} 个问题 problems`);
      for (const p of copied.problems.slice(0, 20)) warn(`  ${p}`);
      return 1;
    }
    return 0;
  },
};
