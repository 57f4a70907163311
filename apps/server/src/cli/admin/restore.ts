import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';
import { loadKeys, type Keys } from '../../crypto/keys.js';
import { DataDirLockedError } from '../../db/lock.js';
import { verifyAudit } from '../../modules/audit/service.js';
import type { AdminCommand } from './command.js';
import {
  FILES_DIR,
  KEYS_NOTE,
  MANIFEST_FILE,
  Manifest,
  copyDurable,
  filesOf,
  fingerprints,
  fsyncTree,
  isEmptyDir,
  keySource,
  knownMigrationCount,
  libpqTarget,
  listTables,
  openRaw,
  pgdataOf,
  rowCounts,
  runTool,
  say,
  sha256File,
  warn,
  type RawDatabase,
} from './backup-common.js';

const USAGE = `用法 usage: npm run admin -- restore <备份目录 backup folder>

把 backup 做的备份恢复到一个空的数据库和空的文件目录；每个文件的 sha256、各表行数和审计链都会校验。
Restores a backup made by \`backup\` into an EMPTY database and an empty files folder; every file's
sha256, every table's row count and the audit chain are checked.

  嵌入式数据库 (PGlite)：DATA_DIR 中不能已有数据库（pgdata）或文件；平台须停止。
  The embedded database (PGlite): DATA_DIR must hold no database (pgdata) and no files; the platform must be stopped.
  PostgreSQL：DATABASE_URL 指向的数据库必须是空的（新建的）；不是空的就拒绝。
  PostgreSQL: the database DATABASE_URL names must be empty (newly created); a non-empty one is refused.

恢复前须先配置备份时的 DATA_KEY / AUDIT_KEY（或把另行保存的 keys.json 放进 DATA_DIR）。
Before restoring, configure the DATA_KEY / AUDIT_KEY the backup was made with (or put the keys.json you kept into DATA_DIR).
`;

class Refused extends Error {}

/** A key from the manifest must stay inside the files folder. */
function safeKey(key: string): string {
  const norm = path.posix.normalize(key);
  if (path.posix.isAbsolute(norm) || norm.startsWith('..') || norm.includes('\0'))
    throw new Refused(`清单中的文件名无效 (invalid file name in the manifest): ${key}`);
  return norm;
}

async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new Refused(`${dir} 中没有 ${MANIFEST_FILE}：不是一个完整的备份 (no manifest: not a finished backup)`);
  }
  const r = Manifest.safeParse(JSON.parse(text));
  if (!r.success)
    throw new Refused(
      `${MANIFEST_FILE} 格式不对 (malformed manifest): ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

/** Everything that can be checked before anything is written. */
async function preflight(dir: string, m: Manifest, config: Config): Promise<Keys> {
  const kind = config.DATABASE_URL ? 'postgres' : 'pglite';
  if (m.database.kind !== kind)
    throw new Refused(
      `这是 ${m.database.kind} 的备份，而当前配置的是 ${kind}：请用同一种数据库恢复 (this is a ${m.database.kind} backup but ${kind} is configured: restore into the same kind)`,
    );
  if (m.schema.migrations > knownMigrationCount())
    throw new Refused(
      `备份来自更新的版本（${m.schema.migrations} 个迁移，本版本只有 ${knownMigrationCount()} 个）：请先升级平台 (the backup comes from a newer version: upgrade first)`,
    );
  if (m.problems.length)
    warn(`注意：备份时发现 ${m.problems.length} 个问题 (the backup recorded problems): ${m.problems.slice(0, 5).join('; ')}`);

  const source = keySource(config);
  if (!source)
    throw new Refused(
      '未配置密钥：请先设置备份时使用的 DATA_KEY 与 AUDIT_KEY，或把另行保存的 keys.json 放进 DATA_DIR (no keys configured: set the DATA_KEY and AUDIT_KEY the backup was made with, or put the keys.json you kept into DATA_DIR)',
    );
  const keys = loadKeys(config);
  const fp = fingerprints(keys);
  if ((m.keys.dataKey && m.keys.dataKey !== fp.dataKey) || (m.keys.auditKey && m.keys.auditKey !== fp.auditKey))
    throw new Refused(
      `配置的密钥不是备份时的密钥（${m.keys.dataKey !== fp.dataKey ? 'DATA_KEY' : 'AUDIT_KEY'} 不符）：用它恢复，个人信息将无法解密、审计链无法校验 (the configured keys are not the backup's)`,
    );

  const dbFile = path.join(dir, m.database.file);
  if (!fs.existsSync(dbFile) || (await sha256File(dbFile)) !== m.database.sha256)
    throw new Refused(`${m.database.file} 缺失或已损坏：sha256 与清单不符 (missing or damaged)`);
  let damaged = 0;
  for (const f of m.files.items) {
    const p = path.join(dir, FILES_DIR, safeKey(f.key));
    if (!fs.existsSync(p) || (await sha256File(p)) !== f.sha256) {
      damaged++;
      warn(`  文件损坏或缺失 damaged or missing: ${f.key}`);
    }
  }
  if (damaged)
    throw new Refused(`备份中有 ${damaged} 个文件与清单不符：不恢复 (${damaged} files differ from the manifest: nothing restored)`);

  if (!(await isEmptyDir(filesOf(config))))
    throw new Refused(`文件目录 ${filesOf(config)} 不是空的：只能恢复到空目录 (the files folder is not empty: restore into an empty one)`);
  if (kind === 'pglite' && !(await isEmptyDir(pgdataOf(config))))
    throw new Refused(
      `${pgdataOf(config)} 中已有数据库：只能恢复到空的数据目录 (there is already a database there: restore into an empty data folder)`,
    );
  return keys;
}

async function loadDatabase(dir: string, m: Manifest, config: Config): Promise<RawDatabase> {
  const file = path.join(dir, m.database.file);
  if (m.database.kind === 'pglite') {
    const tarball = new Blob([await fsp.readFile(file)], { type: 'application/x-gzip' });
    return openRaw(config, { loadDataDir: tarball });
  }
  const raw = await openRaw(config);
  try {
    const existing = await listTables(raw.query);
    if (existing.length)
      throw new Refused(
        `目标数据库不是空的（已有 ${existing.length} 张表，如 ${existing[0]!.name}）：只能恢复到一个新建的空数据库 (the target database is not empty: restore into a newly created one)`,
      );
    const { dbname, env } = libpqTarget(config.DATABASE_URL!);
    const r = await runTool(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, file],
      env,
    );
    if (r.code !== 0) throw new Error(`pg_restore 失败 failed (${r.code}): ${r.stderr.trim()}`);
    return raw;
  } catch (e) {
    await raw.close();
    throw e;
  }
}

export const restore: AdminCommand = {
  summary: '从备份恢复到空的数据库 restore a backup into an empty database',
  async run(args, config) {
    if (args.length !== 1 || args[0]!.startsWith('-')) {
      process.stderr.write(USAGE);
      return args[0] === '--help' ? 0 : 2;
    }
    const dir = path.resolve(args[0]!);
    try {
      const m = await readManifest(dir);
      const keys = await preflight(dir, m, config);

      let raw: RawDatabase;
      try {
        raw = await loadDatabase(dir, m, config);
      } catch (e) {
        if (e instanceof DataDirLockedError) throw new Refused(`${e.message}：请先停止平台 (stop the platform first)`);
        throw e;
      }
      let audit: { rows: number; firstBroken: { id: number; reason: string } | null } | null = null;
      const mismatches: string[] = [];
      try {
        const counts = await rowCounts(raw.query);
        for (const t of new Set([...Object.keys(m.tables), ...Object.keys(counts)]))
          if (m.tables[t] !== counts[t]) mismatches.push(`${t}: 备份 backup ${m.tables[t] ?? '—'}，恢复后 restored ${counts[t] ?? '—'}`);
        if ('audit_log' in counts) audit = await verifyAudit(raw.db, keys);
        // PGlite: still under the data folder's lock while the files go in
        for (const f of m.files.items) {
          const dst = path.join(filesOf(config), safeKey(f.key));
          await copyDurable(path.join(dir, FILES_DIR, safeKey(f.key)), dst);
          if ((await sha256File(dst)) !== f.sha256) mismatches.push(`文件 file ${f.key}: 复制后 sha256 不符 (hash differs after copying)`);
        }
      } finally {
        await raw.close();
      }
      if (m.database.kind === 'pglite') await fsyncTree(pgdataOf(config));

      const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
      say(`恢复完成 Restored from ${dir} (${m.createdAt})`);
      say(
        `  数据库 database: ${m.database.kind}，${Object.keys(m.tables).length} 张表 tables，${rows} 行 rows，各表行数${mismatches.length ? '有不符' : '与清单一致 match the manifest'}`,
      );
      say(`  文件 files: ${m.files.count} 个，sha256 全部校验 every sha256 checked`);
      if (audit)
        say(
          `  审计链 audit chain: ${audit.rows} 行 rows，${audit.firstBroken ? `在第 ${audit.firstBroken.id} 行断开 BROKEN (${audit.firstBroken.reason})` : '校验通过 verified'}`,
        );
      warn(`注意 NOTE: ${KEYS_NOTE}`);
      if (mismatches.length || audit?.firstBroken) {
        warn(`恢复后校验失败 Verification after restore FAILED:`);
        for (const x of mismatches.slice(0, 20)) warn(`  ${x}`);
        return 1;
      }
      return 0;
    } catch (e) {
      if (e instanceof Refused) {
        warn(`拒绝恢复 Refused: ${e.message}`);
        return 1;
      }
      throw e;
    }
  },
};
