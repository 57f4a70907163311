import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { REPO_ROOT } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { seedDemo } from '../src/demo/seed.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { JobQueue } from '../src/jobs/queue.js';
import { S3Storage } from '../src/storage/s3.js';
import { UNIT_COLUMNS, UNIT_SHEET } from '../src/modules/roster/sheets.js';
import { PDF_BYTES, multipart } from './helpers.js';

/**
 * Several stateless server nodes on one PostgreSQL and one object store (docs/DEPLOY.md): two real
 * server processes (main.ts, as `npm run dev` runs it) share s3rver (an S3-protocol server) and a
 * scratch database. A session made on one is good on the other, a file put through one comes out of
 * the other, a job started on one is followed from the other, and when the node running it is
 * killed (SIGKILL: no goodbye) the job is started again and finished by the survivor.
 *
 * Without DATABASE_URL there is one process and nothing to share: the one test then holds the
 * embedded database's queue to running the job in this process, with the same row for its state.
 */
const BASE_URL = process.env.DATABASE_URL;
const ROWS = 10_000;

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface S3rverLike {
  run(): Promise<unknown>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (o: Record<string, unknown>) => S3rverLike;

// answers read loosely, as the other integration tests do (helpers.ts call())
type Json = Record<string, any>;

interface Node {
  name: string;
  url: string;
  proc: ChildProcess;
  /** pino's JSON lines */
  log: Record<string, unknown>[];
}

describe('two server nodes on one PostgreSQL and one object store', () => {
  if (!BASE_URL) {
    it('on the embedded database (one process) the queue runs the job in this process, its state in background_jobs', async () => {
      const database = await openDatabase({ dataDir: 'memory://' });
      const log = { info() {}, warn() {}, error() {} };
      const opts = { staleSeconds: 20, concurrency: 1, maxAttempts: 3, log };
      try {
        const db = database.db;
        const [u] = rows<{ id: number }>(
          await db.execute(
            sql`insert into users (username, password_hash, display_name, role) values ('o', 'x', 'o', 'safety_office') returning id`,
          ),
        );
        const q = new JobQueue(database, opts);
        const seen: { pid: number; attempt: number }[] = [];
        const ended: number[] = [];
        q.register<{ n: number }>(
          'count',
          async (input, ctx) => {
            seen.push({ pid: process.pid, attempt: ctx.attempt });
            for (let i = 1; i <= input.n; i++) ctx.progress(i, input.n, `第${i}步`);
            return { counted: input.n };
          },
          { onEnd: async (input) => void ended.push(input.n) },
        );
        await q.start();
        const id = await q.enqueue('count', u!.id, { n: 3 });
        const s = await q.wait(id);
        expect(s).toMatchObject({
          id,
          kind: 'count',
          state: 'done',
          done: 3,
          total: 3,
          message: '第3步',
          result: { counted: 3 },
          attempts: 1,
        });
        expect(seen).toEqual([{ pid: process.pid, attempt: 1 }]);
        expect(ended).toEqual([3]);
        // the owner only
        expect(await q.status(id, u!.id + 1)).toBeNull();
        await q.stop();

        // a job left running by a process that died is run again by the next one's start()
        await db.execute(
          sql`insert into background_jobs (id, kind, owner_user_id, state, attempts, input) values ('left', 'count', ${u!.id}, 'running', 1, '{"n":2}')`,
        );
        const next = new JobQueue(database, opts);
        next.register<{ n: number }>('count', async (input, ctx) => {
          seen.push({ pid: process.pid, attempt: ctx.attempt });
          return { counted: input.n };
        });
        await next.start();
        expect(await next.wait('left')).toMatchObject({ state: 'done', result: { counted: 2 }, attempts: 2 });
        expect(seen.at(-1)).toEqual({ pid: process.pid, attempt: 2 });
        await next.stop();
      } finally {
        await database.close();
      }
      // opening a fresh embedded database (its migrations) takes most of this on a busy machine
    }, 180_000);
    return;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-two-nodes-'));
  let s3: S3rverLike;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  const nodes: Node[] = [];
  const env: Record<string, string> = {};

  async function startNode(name: string): Promise<Node> {
    const port = await freePort();
    const dataDir = path.join(tmp, name);
    fs.mkdirSync(dataDir);
    const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node: Node = { name, url: `http://127.0.0.1:${port}`, proc, log: [] };
    const out = new PassThrough();
    proc.stdout!.pipe(out);
    let rest = '';
    out.on('data', (c: Buffer) => {
      const lines = (rest + c.toString()).split('\n');
      rest = lines.pop()!;
      for (const l of lines)
        if (l.startsWith('{'))
          try {
            node.log.push(JSON.parse(l) as Record<string, unknown>);
          } catch {
            /* not a log line */
          }
    });
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    nodes.push(node);
    for (let i = 0; i < 600; i++) {
      if (proc.exitCode !== null) throw new Error(`node ${name} exited: ${stderr}`);
      const ok = await fetch(`${node.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return node;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`node ${name} did not start: ${stderr}`);
  }

  async function login(node: Node, username: string): Promise<string> {
    const res = await fetch(`${node.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const sid = res.headers.getSetCookie().find((c) => c.startsWith('pingan_sid='))!;
    return sid.split(';')[0]!;
  }

  const get = async (node: Node, cookie: string, url: string) => {
    const res = await fetch(`${node.url}${url}`, { headers: { cookie } });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    const s3Port = await freePort();
    s3 = new S3rver({
      port: s3Port,
      address: '127.0.0.1',
      silent: true,
      directory: path.join(tmp, 's3'),
      configureBuckets: [{ name: 'pingan' }],
    });
    await s3.run();
    scratch = await createScratchDatabase(BASE_URL, 'pingan_nodes');
    const key = () => crypto.randomBytes(32).toString('hex');
    Object.assign(env, {
      DATABASE_URL: scratch.url,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      S3_REGION: 'us-east-1',
      S3_BUCKET: 'pingan',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: '1',
      // the same keys on every node: personal data sealed by one is opened by the other
      DATA_KEY: key(),
      AUDIT_KEY: key(),
      SIGNING_KEY: key(),
      // seeded below into the shared store; a node seeds only an empty database
      DEMO: '0',
      // a node silent this long is taken for dead; well above the longest event-loop block of the
      // import (reading the .xlsx) on this busy machine, or the job would hop between live nodes
      JOB_STALE_SECONDS: '10',
      JOB_CONCURRENCY: '1',
      LOG_LEVEL: 'info',
      LOGIN_RATE_PER_MINUTE: '10000',
      OUTBOX_INTERVAL_MS: '0',
      WEB_DIST: '/nonexistent',
      MAX_UPLOAD_BYTES: String(10 * 1024 * 1024),
    });
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    const storage = new S3Storage({ ...env, S3_FORCE_PATH_STYLE: true } as never);
    await seedDemo(database.db, storage);
    storage.close();
    // one after the other: the first start encrypts the demo's personal data in clear
    await startNode('A');
    await startNode('B');
  }, 180_000);

  afterAll(async () => {
    for (const n of nodes) if (n.proc.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGTERM');
    await Promise.all(
      nodes.map((n) => new Promise((r) => (n.proc.exitCode !== null || n.proc.signalCode !== null ? r(null) : n.proc.once('exit', r)))),
    );
    await database?.close();
    await scratch?.drop();
    await s3?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('a session made on node A is good on node B', async () => {
    const [a, b] = nodes as [Node, Node];
    const cookie = await login(a, 'city_office');
    const me = await get(b, cookie, '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('city_office');
    expect((await get(b, 'pingan_sid=forged', '/api/me')).status).toBe(401);
  });

  it('an evidence file uploaded through A downloads through B byte for byte', async () => {
    const [a, b] = nodes as [Node, Node];
    const cookie = await login(a, 'family_wang');
    const campaigns = (await get(a, cookie, '/api/campaigns')).body as unknown as {
      id: number;
      regionName: string;
      chain: { preset: string };
      categories: { code: string }[];
    }[];
    const campaign = campaigns.find(
      (c) => c.regionName === '云州市' && c.chain.preset === 'lead-office' && c.categories.some((x) => x.code === 'family'),
    )!;
    const created = await fetch(`${a.url}/api/applications`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ campaignId: campaign.id, categoryCode: 'family' }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const appId = ((await created.json()) as { id: number }).id;
    const detail = (await get(b, cookie, `/api/applications/${appId}`)).body;
    const criterionId = (detail.standard.groups as { criteria: { id: string }[] }[])[0]!.criteria[0]!.id;
    const bytes = Buffer.concat([PDF_BYTES, crypto.randomBytes(200_000)]);
    const mp = multipart('台账.pdf', 'application/pdf', bytes, criterionId);
    const up = await fetch(`${a.url}/api/applications/${appId}/files`, {
      method: 'POST',
      headers: { ...mp.headers, cookie },
      body: mp.payload,
    });
    expect(up.status, await up.clone().text()).toBe(201);
    const file = (await up.json()) as { id: number; sha256: string };
    const down = await fetch(`${b.url}/api/files/${file.id}`, { headers: { cookie } });
    expect(down.status).toBe(200);
    const got = Buffer.from(await down.arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
    expect(file.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    // nothing of it on either node's own disk: the object store holds it
    for (const n of ['A', 'B']) {
      const local = path.join(tmp, n, 'files');
      expect(fs.existsSync(local) ? fs.readdirSync(local, { recursive: true }) : []).toEqual([]);
    }
  });

  it('a roster import started on A is followed on B; when its node is killed the other finishes it, once', async () => {
    const [a] = nodes as [Node, Node];
    const db = database.db;
    const villages = rows<{ name_path: string }>(
      await db.execute(sql`select string_agg(p.name, '/' order by p.path) as name_path
        from regions r join regions p on r.path like p.path || '%' where r.level = 'village' group by r.id order by r.id`),
    );
    const [ut] = rows<{ t: string }>(
      await db.execute(
        sql`select distinct jsonb_array_elements_text(doc->'category'->'unitTypes') as t from standard_versions order by 1 limit 1`,
      ),
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(UNIT_SHEET);
    ws.addRow([...UNIT_COLUMNS]);
    for (let i = 0; i < ROWS; i++)
      ws.addRow([
        `多节点测试单位${i}`,
        '单位',
        villages[i % villages.length]!.name_path,
        ut!.t,
        'education',
        null,
        10,
        `测试路${i}号`,
        null,
      ]);
    wb.addWorksheet('区域').addRow(['名称', '级别', '上级区域', '常住人口', '户数']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const before = Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from subjects`))[0]!.n);

    const cookie = await login(a, 'city_office');
    const mp = multipart('名册.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', file);
    const started = await fetch(`${a.url}/api/roster/imports`, { method: 'POST', headers: { ...mp.headers, cookie }, body: mp.payload });
    expect(started.status, await started.clone().text()).toBe(202);
    const jobId = ((await started.json()) as { jobId: string }).jobId;
    const [{ input }] = rows<{ input: { fileKey: string } }>(
      await db.execute(sql`select input from background_jobs where id = ${jobId}`),
    ) as [{ input: { fileKey: string } }];

    // the node that took it says so in its log; the other one follows it through the shared row
    let runner: Node | undefined;
    for (let i = 0; i < 300 && !runner; i++) {
      runner = nodes.find((n) => n.log.some((l) => l.jobId === jobId && l.msg === 'job started'));
      if (!runner) await new Promise((r) => setTimeout(r, 100));
    }
    expect(runner, 'no node started the job').toBeTruthy();
    const other = nodes.find((n) => n !== runner)!;
    let seen: Json = {};
    for (let i = 0; i < 600; i++) {
      seen = (await get(other, cookie, `/api/roster/jobs/${jobId}`)).body;
      if (seen.state !== 'running' || (seen.done as number) > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toMatchObject({ state: 'running', message: expect.stringMatching(/^正在(检查|写入)/) });
    expect(seen.done as number).toBeGreaterThan(0);

    runner!.proc.kill('SIGKILL');
    let last: Json = {};
    for (let i = 0; i < 1200; i++) {
      last = (await get(other, cookie, `/api/roster/jobs/${jobId}`)).body;
      if (last.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(last).toMatchObject({ state: 'done', result: { ok: true, unitsInserted: ROWS } });
    expect(other.log.some((l) => l.jobId === jobId && l.msg === 'job started' && l.attempt === 2)).toBe(true);
    const [row] = rows<{ attempts: number }>(await db.execute(sql`select attempts from background_jobs where id = ${jobId}`));
    expect(row!.attempts).toBe(2);
    // all or nothing, and once: every row in, none twice
    const after = Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from subjects`))[0]!.n);
    expect(after - before).toBe(ROWS);
    // the upload is gone from the shared store once the job has ended
    const store = new S3Storage({ ...env, S3_FORCE_PATH_STYLE: true } as never);
    await expect(store.get(input.fileKey)).rejects.toThrow();
    store.close();
  }, 120_000);
});
