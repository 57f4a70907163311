import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import type { CodeSender } from '../src/modules/public/otp.js';

/** Integration tests run on PGlite always, and on PostgreSQL too when DATABASE_URL is set. */
export const DB_KINDS: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh database: in-memory PGlite, or a new PostgreSQL database dropped on close. */
export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<Database> {
  if (kind === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'pingan_t');
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
  return {
    ...database,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

export interface TestServer {
  app: FastifyInstance;
  database: Database;
  filesDir: string;
  /** logs in a demo account and returns its cookie header */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A database holding the demo world, and its evidence files under `filesDir`: copied from the run's
 * template (test/global-setup.ts) when there is one, else migrated and seeded here.
 */
async function openDemoDatabase(kind: 'pglite' | 'postgres', filesDir: string): Promise<Database> {
  const template = inject('demoTemplate');
  if (!template) {
    const database = await openTestDatabase(kind);
    await seedDemo(database.db, new LocalDiskStorage(filesDir));
    return database;
  }
  if (kind === 'pglite') {
    fs.cpSync(path.join(template.dir, 'pglite-files'), filesDir, { recursive: true });
    return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([fs.readFileSync(template.pgliteTar)]) });
  }
  if (!template.pgTemplate) throw new Error('DATABASE_URL was not set when the test run started');
  fs.cpSync(template.pgFiles, filesDir, { recursive: true });
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'pingan_t', template.pgTemplate);
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
  return {
    ...database,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

export async function getTestServer(
  kind: 'pglite' | 'postgres',
  opts: { maxUploadBytes?: number; config?: Partial<Config>; sms?: CodeSender } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-test-'));
  const storage = new LocalDiskStorage(path.join(dataDir, 'files'));
  const database = await openDemoDatabase(kind, path.join(dataDir, 'files'));
  const config = loadConfig(
    {},
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      WEB_DIST: '/nonexistent',
      OUTBOX_INTERVAL_MS: 0,
      MAX_UPLOAD_BYTES: opts.maxUploadBytes ?? 1024 * 1024,
      // tests log in many times from 127.0.0.1: the login throttle must not get in their way
      LOGIN_RATE_PER_MINUTE: 100_000,
      ...opts.config,
    },
  );
  const app = await buildApp(config, database, storage, opts.sms ? { sms: opts.sms } : {});
  await app.ready();
  const cookies = new Map<string, string>();
  return {
    app,
    database,
    filesDir: path.join(dataDir, 'files'),
    async login(username) {
      const hit = cookies.get(username);
      if (hit) return hit;
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const set = res.cookies.find((c) => c.name === 'pingan_sid')!;
      const cookie = `pingan_sid=${set.value}`;
      cookies.set(username, cookie);
      return cookie;
    },
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A request as a demo account; returns status and parsed JSON. */
export async function call(
  s: TestServer,
  user: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (user) headers.cookie = await s.login(user);
  const res = await s.app.inject({ method, url, headers, payload: payload as never });
  let body: unknown = res.body;
  try {
    body = res.json();
  } catch {
    /* not JSON */
  }
  return { status: res.statusCode, body };
}

/** A multipart body with one file and a criterionId field. */
export function multipart(fileName: string, contentType: string, data: Buffer, criterionId?: string) {
  const boundary = `----pingan${randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  if (criterionId) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="criterionId"\r\n\r\n${criterionId}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
  );
  parts.push(data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/**
 * Counts the statements sent on the database's own client while `run` runs: a transaction (PGlite's
 * client.transaction, node-postgres' pool.connect) goes round that count, so "exactly one" means one
 * statement and no transaction.
 */
export async function statementsOf(db: Db, run: () => Promise<unknown>): Promise<number> {
  const client = (db as unknown as { $client: { query: (...a: unknown[]) => unknown } }).$client;
  const query = client.query;
  let n = 0;
  client.query = function (this: unknown, ...a: unknown[]) {
    n++;
    return query.apply(this, a);
  };
  try {
    await run();
  } finally {
    client.query = query;
  }
  return n;
}
