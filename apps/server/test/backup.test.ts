import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { loadKeys } from '../src/crypto/keys.js';
import { recordAudit, verifyAudit } from '../src/modules/audit/service.js';
import { backup } from '../src/cli/admin/backup.js';
import { restore } from '../src/cli/admin/restore.js';
import { Manifest, listTables, openRaw, walkFiles, type Query } from '../src/cli/admin/backup-common.js';
import { DB_KINDS, PDF_BYTES, multipart } from './helpers.js';

/**
 * backup → restore into an empty database and an empty files folder gives back every row of every
 * table, every sequence, every file byte for byte, and an audit chain that still verifies with the
 * same keys; and restore refuses what it must not overwrite or cannot trust.
 */

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('backup test image')]);

/** temporary folders and scratch databases, removed when the file is done */
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A configuration for one installation: its data folder and, on PostgreSQL, a scratch database of its own. */
async function installation(kind: 'pglite' | 'postgres', prefix: string): Promise<Config> {
  const dataDir = tmpDir(`pingan-${prefix}-`);
  let url: string | undefined;
  if (kind === 'postgres') {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!, `pingan_${prefix}`);
    cleanups.push(() => scratch.drop());
    url = scratch.url;
  }
  return loadConfig(
    {},
    {
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      WEB_DIST: '/nonexistent',
      OUTBOX_INTERVAL_MS: 0,
      LOGIN_RATE_PER_MINUTE: 100_000,
    },
  );
}

/** Output of a command, captured. */
async function runCommand(cmd: typeof backup, args: string[], config: Config): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await cmd.run(args, config), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function login(app: Awaited<ReturnType<typeof buildApp>>, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return `pingan_sid=${res.cookies.find((c) => c.name === 'pingan_sid')!.value}`;
}

/** The demo world, a fresh submission with two evidence files, and a few audit rows. */
async function seedSource(config: Config): Promise<{ applicationId: number; uploaded: { id: number; data: Buffer }[] }> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const storage = new LocalDiskStorage(path.join(config.DATA_DIR, 'files'));
  try {
    await seedDemo(database.db, storage);
    const app = await buildApp(config, database, storage);
    await app.ready();
    try {
      const cookie = await login(app, 'school_guihua');
      const list = (await app.inject({ method: 'GET', url: '/api/applications', headers: { cookie } })).json();
      const draft = list.items.find((a: { status: string }) => a.status === 'draft');
      const d = (await app.inject({ method: 'GET', url: `/api/applications/${draft.id}`, headers: { cookie } })).json();
      const criteria = d.standard.groups.flatMap((g: { criteria: { id: string; evidenceRequired?: boolean }[] }) => g.criteria);
      const uploaded: { id: number; data: Buffer }[] = [];
      const put = async (name: string, type: string, data: Buffer, criterionId: string) => {
        const mp = multipart(name, type, data, criterionId);
        const r = await app.inject({
          method: 'POST',
          url: `/api/applications/${draft.id}/files`,
          headers: { ...mp.headers, cookie },
          payload: mp.payload,
        });
        expect(r.statusCode, r.body).toBe(201);
        uploaded.push({ id: r.json().id, data });
      };
      for (const c of criteria.filter((x: { evidenceRequired?: boolean }) => x.evidenceRequired))
        await put(`第${c.id}项台账.pdf`, 'application/pdf', Buffer.concat([PDF_BYTES, Buffer.from(c.id)]), c.id);
      await put('现场照片.png', 'image/png', PNG, criteria[0].id);
      const sub = await app.inject({ method: 'POST', url: `/api/applications/${draft.id}/submit`, headers: { cookie } });
      expect(sub.statusCode, sub.body).toBe(200);
      const keys = loadKeys(config);
      for (let i = 0; i < 5; i++)
        await recordAudit(database.db, keys, {
          actor: { id: 1, username: 'city_office', role: 'safety_office' },
          client: { ip: '127.0.0.1', userAgent: 'backup-test' },
          action: i % 2 ? 'application.view' : 'export.applications',
          objectType: 'application',
          objectId: draft.id,
          result: 'ok',
          detail: { n: i },
        });
      return { applicationId: draft.id, uploaded };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

/** Primary key columns of a table, in key order; empty when it has none. */
async function primaryKey(q: Query, table: string): Promise<string[]> {
  const rows = await q(
    `select a.attname as c from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
    [table],
  );
  return rows.map((r) => String(r.c));
}

/** Every row of every table, ordered by primary key (then by the row itself), as JSON text. */
async function snapshot(q: Query): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const t of await listTables(q)) {
    const pk = await primaryKey(q, t.sql);
    const order = [...pk.map((c) => `t."${c}"`), 'j'].join(', ');
    const rows = await q(`select row_to_json(t)::text as j from ${t.sql} t order by ${order}`);
    out.set(
      t.name,
      rows.map((r) => String(r.j)),
    );
  }
  const seqs = await q(`select schemaname || '.' || sequencename as s, last_value::text as v from pg_sequences order by 1`);
  out.set(
    '(sequences)',
    seqs.map((r) => `${String(r.s)}=${String(r.v)}`),
  );
  return out;
}

async function fileHashes(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of await walkFiles(root))
    out.set(
      rel,
      createHash('sha256')
        .update(fs.readFileSync(path.join(root, rel)))
        .digest('hex'),
    );
  return out;
}

describe.each(DB_KINDS)('backup and restore on %s', (kind) => {
  let src: Config;
  let seeded: Awaited<ReturnType<typeof seedSource>>;
  let dir: string;
  let b: Awaited<ReturnType<typeof runCommand>>;
  beforeAll(async () => {
    src = await installation(kind, 'bksrc');
    seeded = await seedSource(src);
    dir = path.join(tmpDir('pingan-backup-'), 'b1');
    b = await runCommand(backup, [dir], src);
  });

  it('gives back every row of every table and every file, and the audit chain verifies', async () => {
    const { applicationId, uploaded } = seeded;
    expect(b.code, b.err).toBe(0);
    expect(b.out).toContain('备份完成');
    // the keys are not in the backup, and the operator is told so
    expect(b.err).toContain('DATA_KEY and AUDIT_KEY are NOT in this backup');
    expect(b.err).toContain('keys.json');
    expect(fs.readdirSync(dir).sort()).toEqual(['files', 'manifest.json', kind === 'pglite' ? 'pgdata.tar.gz' : 'database.dump'].sort());
    const manifest = Manifest.parse(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    expect(JSON.stringify(manifest)).not.toContain(JSON.parse(fs.readFileSync(path.join(src.DATA_DIR, 'keys.json'), 'utf8')).data);
    expect(manifest.database.kind).toBe(kind);
    expect(manifest.schema.migrations).toBeGreaterThanOrEqual(4);
    expect(manifest.audit.verified).toBe(true);
    expect(manifest.audit.rows).toBeGreaterThanOrEqual(5);
    expect(manifest.tables.applications).toBeGreaterThan(10);
    expect(manifest.problems).toEqual([]);

    // an empty installation with the same keys (kept apart from the backup, as the note says)
    const dst = await installation(kind, 'bkdst');
    fs.copyFileSync(path.join(src.DATA_DIR, 'keys.json'), path.join(dst.DATA_DIR, 'keys.json'));
    const r = await runCommand(restore, [dir], dst);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('各表行数与清单一致');
    expect(r.out).toContain('校验通过 verified');

    // every row of every table, every sequence
    const a = await openRaw(src);
    const before = await snapshot(a.query);
    await a.close();
    const z = await openRaw(dst);
    const after = await snapshot(z.query);
    const audit = await verifyAudit(z.db, loadKeys(dst));
    await z.close();
    expect([...after.keys()]).toEqual([...before.keys()]);
    let rows = 0;
    for (const [table, list] of before) {
      expect(after.get(table), table).toEqual(list);
      if (table !== '(sequences)') rows += list.length;
    }
    expect(before.get('application_events')!.length).toBeGreaterThan(0);
    expect(audit).toEqual({ rows: manifest.audit.rows, firstBroken: null });

    // every file, byte for byte
    const srcFiles = await fileHashes(path.join(src.DATA_DIR, 'files'));
    const dstFiles = await fileHashes(path.join(dst.DATA_DIR, 'files'));
    expect(dstFiles).toEqual(srcFiles);
    expect(srcFiles.size).toBe(manifest.files.count);

    // the restored installation serves the submission and its files
    const database = await openDatabase({ databaseUrl: dst.DATABASE_URL, dataDir: dst.DATA_DIR });
    const app = await buildApp(dst, database);
    await app.ready();
    try {
      const cookie = await login(app, 'school_guihua');
      expect((await app.inject({ method: 'GET', url: `/api/applications/${applicationId}`, headers: { cookie } })).json().status).toBe(
        'submitted',
      );
      for (const f of uploaded)
        expect((await app.inject({ method: 'GET', url: `/api/files/${f.id}`, headers: { cookie } })).rawPayload.equals(f.data)).toBe(true);
    } finally {
      await app.close();
      await database.close();
    }
    console.log(
      `backup/restore on ${kind}: ${before.size - 1} tables compared, ${rows} rows compared, ${before.get('(sequences)')!.length} sequences compared, ${srcFiles.size} files compared, audit chain ${audit.rows} rows verified`,
    );
  });

  it('refuses a non-empty target, other keys, a damaged backup and a backup of another kind', async () => {
    expect(b.code).toBe(0);
    // a second backup into the same folder is refused: nothing is overwritten
    const again = await runCommand(backup, [dir], src);
    expect(again.code).toBe(1);
    expect(again.err).toContain('不为空');

    // restoring over the live installation: files and database are there
    const over = await runCommand(restore, [dir], src);
    expect(over.code).toBe(1);
    expect(over.err).toMatch(/拒绝恢复 Refused: 文件目录 .* 不是空的/);

    // a database that is not empty, files folder empty
    const busy = await installation(kind, 'bkbusy');
    fs.copyFileSync(path.join(src.DATA_DIR, 'keys.json'), path.join(busy.DATA_DIR, 'keys.json'));
    await (await openDatabase({ databaseUrl: busy.DATABASE_URL, dataDir: busy.DATA_DIR })).close();
    const nonEmpty = await runCommand(restore, [dir], busy);
    expect(nonEmpty.code).toBe(1);
    expect(nonEmpty.err).toMatch(kind === 'pglite' ? /中已有数据库/ : /目标数据库不是空的/);

    // no keys at all, then other keys
    const fresh = await installation(kind, 'bkkeys');
    const noKeys = await runCommand(restore, [dir], fresh);
    expect(noKeys.err).toContain('未配置密钥');
    const otherKeys = await runCommand(restore, [dir], { ...fresh, DATA_KEY: 'a'.repeat(64), AUDIT_KEY: 'b'.repeat(64) });
    expect(otherKeys.code).toBe(1);
    expect(otherKeys.err).toContain('配置的密钥不是备份时的密钥');

    // one byte of one evidence file changed in the backup: nothing is restored
    const m = Manifest.parse(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    const victim = path.join(dir, 'files', m.files.items[0]!.key);
    const original = fs.readFileSync(victim);
    fs.writeFileSync(victim, Buffer.concat([original.subarray(0, original.length - 1), Buffer.from([original[original.length - 1]! ^ 1])]));
    fs.copyFileSync(path.join(src.DATA_DIR, 'keys.json'), path.join(fresh.DATA_DIR, 'keys.json'));
    const damaged = await runCommand(restore, [dir], fresh);
    expect(damaged.code).toBe(1);
    expect(damaged.err).toContain('个文件与清单不符');
    expect(fs.existsSync(path.join(fresh.DATA_DIR, 'pgdata'))).toBe(false);
    expect(await walkFiles(path.join(fresh.DATA_DIR, 'files'))).toEqual([]);
    fs.writeFileSync(victim, original);

    // a backup of the other kind
    const other = await runCommand(restore, [dir], {
      ...fresh,
      DATABASE_URL: kind === 'pglite' ? 'postgres://nobody@127.0.0.1:1/none' : undefined,
    });
    expect(other.code).toBe(1);
    expect(other.err).toContain(`这是 ${kind} 的备份`);
  });
});

describe('backup of the embedded database', () => {
  it('says the platform must be stopped while it holds the data folder', async () => {
    const cfg = await installation('pglite', 'bklock');
    const database = await openDatabase({ dataDir: cfg.DATA_DIR });
    try {
      const r = await runCommand(backup, [path.join(tmpDir('pingan-backup-'), 'b3')], cfg);
      expect(r.code).toBe(1);
      expect(r.err).toContain('平台正在运行');
      expect(r.err).toContain('Stop it, then run backup again');
    } finally {
      await database.close();
    }
  });
});
