/**
 * Benchmark of the public's survey answers (POST /api/public/surveys/:code/responses).
 *
 *   npx tsx apps/server/scripts/bench-survey.ts [--n 500] [--concurrency 8]
 *
 * On a fresh PGlite in a temporary folder (fsync on, as in production), and also on a fresh
 * PostgreSQL database when DATABASE_URL is set (db/scratch.ts, dropped at the end): the demo world
 * and its 两率一度 survey (demo/surveys.ts). N numbers each get an SMS code first (untimed; the
 * sender hands the code to the script, each number from an address of its own so the per-address
 * throttles stay out of the way); then the N answers go through the real route with app.inject —
 * contract validation, the keyed hash, the code's one use, the unique index, the transaction —
 * `concurrency` at a time. Prints `survey responses/s=<n>` per database, and checks every answer
 * was stored once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { addDays } from '@pingan/core';
import { createScratchDatabase } from '../src/db/scratch.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { surveyResponses, users } from '../src/db/schema.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { seedSurveys } from '../src/demo/surveys.js';
import { buildScope } from '../src/access/scope.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { today } from '../src/clock.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}

const N = flag('n', 500);
const CONCURRENCY = flag('concurrency', 8);
const TOWNS = ['城南街道', '东湖街道', '白沙镇', '临江镇'];
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const phone = (i: number) => `137${String(i).padStart(8, '0')}`;

async function bench(label: string, database: Database, dataDir: string): Promise<void> {
  const storage = new LocalDiskStorage(path.join(dataDir, 'files'));
  await seedDemo(database.db, storage);
  const as = async (username: string) => {
    const [u] = await database.db.select().from(users).where(eq(users.username, username));
    const { scope, org } = await buildScope(database.db, u!);
    return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, org, subjectId: u!.subjectId, scope };
  };
  const survey = await seedSurveys(database.db, { as, day: (n) => addDays(today(), n) });
  const codes = new Map<string, string>();
  const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', OUTBOX_INTERVAL_MS: 0 });
  const app = await buildApp(config, database, storage, {
    sms: { send: async (to, text) => void codes.set(to, /验证码为(\d{6})/.exec(text)![1]!) },
  });
  await app.ready();
  try {
    const [{ before }] = (await database.db
      .select({ before: sql<number>`count(*)::int` })
      .from(surveyResponses)
      .where(eq(surveyResponses.surveyId, survey.surveyId))) as [{ before: number }];
    for (let i = 0; i < N; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/public/sms-codes',
        remoteAddress: ip(i),
        payload: { phone: phone(i), purpose: 'survey' },
      });
      if (r.statusCode !== 202) throw new Error(`code ${i}: ${r.statusCode} ${r.body}`);
    }
    const answer = async (i: number) => {
      const r = await app.inject({
        method: 'POST',
        url: `/api/public/surveys/${survey.publicCode}/responses`,
        remoteAddress: ip(i),
        payload: {
          phone: phone(i),
          smsCode: codes.get(phone(i)),
          region: TOWNS[i % TOWNS.length],
          answers: {
            q1: i % 10 !== 0,
            q2: i % 3 === 0,
            q3: ['满意', '基本满意', '不满意'][i % 3],
            ...(i % 7 === 0 ? { q4: '加强巡逻' } : {}),
          },
        },
      });
      if (r.statusCode !== 201) throw new Error(`answer ${i}: ${r.statusCode} ${r.body}`);
    };
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < N; i = next++) await answer(i);
      }),
    );
    const ms = performance.now() - t0;
    const [{ after }] = (await database.db
      .select({ after: sql<number>`count(*)::int` })
      .from(surveyResponses)
      .where(eq(surveyResponses.surveyId, survey.surveyId))) as [{ after: number }];
    if (after - before !== N) throw new Error(`stored ${after - before} answers, expected ${N}`);
    console.log(`${label}: ${N} answers, concurrency ${CONCURRENCY}, ${Math.round(ms)} ms, ${(ms / N).toFixed(1)} ms each`);
    console.log(`survey responses/s=${Math.round((N * 1000) / ms)}`);
  } finally {
    await app.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-survey-'));
try {
  const lite = await openDatabase({ dataDir: path.join(dir, 'db') });
  try {
    await bench('PGlite', lite, dir);
  } finally {
    await lite.close();
  }
  const base = process.env.DATABASE_URL;
  if (base) {
    const scratch = await createScratchDatabase(base, 'bench');
    const pg = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    try {
      await bench('PostgreSQL', pg, path.join(dir, 'pg'));
    } finally {
      await pg.close();
      await scratch.drop();
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
