import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { DB_KINDS, openTestDatabase } from './helpers.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { seedDemo } from '../src/demo/seed.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { fuzzRoutes } from './fuzz.js';

// the first half of the routes (fuzz.ts); fuzz-2.test.ts takes the other half on the other worker
fuzzRoutes(0, 2);

/** Logs carry neither request bodies nor SQL parameters: an applicant's phone number and a password stay out. */
describe.each(DB_KINDS)('what the log keeps of a failing request on %s', (kind) => {
  const PHONE = '13912345678';
  const PASSWORD = 'Secret-Pass-9876';
  const lines: string[] = [];
  let app: FastifyInstance;
  let database: Database;
  let dataDir: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-log-'));
    const storage = new LocalDiskStorage(path.join(dataDir, 'files'));
    await seedDemo(database.db, storage);
    const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'info', WEB_DIST: '/nonexistent', OUTBOX_INTERVAL_MS: 0 });
    app = await buildApp(config, database, storage, { logStream: { write: (line) => void lines.push(line) } });
    // routes that fail in the database with the request's data as SQL parameters, as a bug would
    app.post('/test/unhandled', async (req) => {
      const b = req.body as { phone: string; password: string };
      await database.db.execute(sql`select ${b.phone} as phone, ${b.password} as password from no_such_table`);
      return { ok: true };
    });
    app.post('/test/bad-input', async (req) => {
      const b = req.body as { phone: string; password: string };
      await database.db.execute(sql`select (${`${b.phone}-${b.password}`})::int as n`);
      return { ok: true };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the error’s name, message, code and stack, never the body or the SQL parameters', async () => {
    const body = { phone: PHONE, password: PASSWORD };
    const unhandled = await app.inject({ method: 'POST', url: '/test/unhandled', payload: body });
    expect(unhandled.statusCode).toBe(500);
    expect(unhandled.body).not.toContain('no_such_table');
    const badInput = await app.inject({ method: 'POST', url: '/test/bad-input', payload: body });
    expect(badInput.statusCode).toBe(400);
    expect(badInput.json().code).toBe('VALIDATION');
    expect(badInput.body).not.toMatch(/select|::int/i);
    // real routes: a wrong password, a draft refused with a phone number in it
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'school_nm', password: PASSWORD } });
    expect(login.statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'school_nm', password: DEMO_PASSWORD } });
    const cookie = `pingan_sid=${ok.cookies.find((c) => c.name === 'pingan_sid')!.value}`;
    const draft = await app.inject({
      method: 'PUT',
      url: '/api/applications/2147483647/draft',
      headers: { cookie },
      payload: { revision: 1, form: { contactPhone: PHONE, content: `密码${PASSWORD}\u0000` }, answers: [] },
    });
    expect(draft.statusCode).toBeGreaterThanOrEqual(400);
    expect(draft.statusCode).toBeLessThan(500);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    // the 500 was logged, with what a person needs to find the bug
    const error = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
    expect(error?.error?.type).toBe('Error');
    expect(error?.error?.message).toContain('Failed query');
    expect(error?.error?.message).toContain('no_such_table');
    expect(error?.error?.stack).toMatch(/\n\s+at /);
    expect(error?.error?.causes?.[0]?.code).toBe('42P01');
    const refused = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'database refused the input');
    expect(refused?.error?.causes?.[0]?.code).toBe('22003');
    expect(log).not.toContain('params:');
    expect(log).not.toContain(PHONE);
    expect(log).not.toContain(PASSWORD);
  });
});
