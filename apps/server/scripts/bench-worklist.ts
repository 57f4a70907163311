/**
 * Benchmark of a department's 会签 worklist (GET /api/signoffs/worklist).
 *
 *   npx tsx apps/server/scripts/bench-worklist.ts [--apps 1000] [--criteria 30] [--runs 5]
 *
 * On a fresh PGlite in a temporary folder, and also on a fresh PostgreSQL database when
 * DATABASE_URL is set (via db/scratch.ts, dropped at the end): one city, its office and three
 * departments (education, police, health) each with an account; a standard whose criteria name
 * the three departments (lead or cooperating, in turn); a campaign running PRESET_000; N
 * applications at its first step (部门会签) with 3 × N pending signoff rows, and the education
 * department's review with scores on half of them. Then times the worklist of the education
 * department, limit 50, through app.inject (one warm-up, median of --runs), and checks the page.
 *
 * Measured on the 2-core build machine while shared (load average 8–15, so noisy): PGlite
 * p50 63–270 ms (whole run 13–30 s). EXPLAIN ANALYZE of the two statements on PGlite: the page of
 * rows ~11–16 ms, the department's scores ~4 ms; the rest is the machine's load and PGlite's WASM.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { PRESET_000, parseStandard, type StandardInput } from '@pingan/core';
import { createScratchDatabase } from '../src/db/scratch.js';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import { campaignCategories, campaigns, organisations, regions, users } from '../src/db/schema.js';
import { importStandard } from '../src/modules/standards/files.js';
import { hashPassword } from '../src/modules/auth/service.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}

const N = flag('apps', 1000);
const K = flag('criteria', 30);
const RUNS = flag('runs', 5);
const PASSWORD = 'Bench@2026';
const DEPTS = ['education', 'police', 'health'] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function benchStandard(k: number): StandardInput {
  const criteria = Array.from({ length: k }, (_, i) => ({
    id: String(i + 1),
    text: `第${i + 1}项创建要求（会签基准测试）`,
    lead: [DEPTS[i % 3]],
    // every third criterion has a cooperating department too
    cooperate: i % 3 === 0 ? [DEPTS[(i + 1) % 3]] : [],
    judge: i % 2 ? 'yesno' : 'score',
    points: 3,
  }));
  return {
    format: 'pingan-standard/v1',
    code: 'bench-signoff',
    title: '会签基准测试标准',
    issuer: '基准测试',
    year: 2026,
    category: { code: 'bench_signoff', name: '会签基准测试类别', subjectKinds: ['unit'] },
    groups: [{ id: 'G1', name: '第一组', criteria }],
  } as StandardInput;
}

async function load(db: Db) {
  const [region] = await db.insert(regions).values({ name: '基准市', level: 'city' }).returning();
  const regionPath = `/${region!.id}/`;
  await db.update(regions).set({ path: regionPath }).where(eq(regions.id, region!.id));
  const [office] = await db
    .insert(organisations)
    .values({ regionId: region!.id, name: '基准市平安办', kind: 'safety_office', deptCode: 'safety_office' })
    .returning();
  const passwordHash = await hashPassword(PASSWORD);
  const deptUser = new Map<string, number>();
  const deptOrg = new Map<string, number>();
  for (const d of DEPTS) {
    const [org] = await db
      .insert(organisations)
      .values({ regionId: region!.id, name: `基准市${d}`, kind: 'department', deptCode: d })
      .returning();
    const [u] = await db
      .insert(users)
      .values({
        username: `bench_${d}`,
        passwordHash,
        displayName: d,
        role: d === 'education' ? 'lead_department' : 'cooperating_department',
        orgId: org!.id,
      })
      .returning();
    deptOrg.set(d, org!.id);
    deptUser.set(d, u!.id);
  }
  const parsed = parseStandard(benchStandard(K));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const version = await importStandard(db, parsed.standard, null, 'bench');
  const [camp] = await db
    .insert(campaigns)
    .values({
      regionId: region!.id,
      orgId: office!.id,
      year: 2026,
      name: '会签基准测试活动',
      applyDeadline: '2026-12-20',
      reviewDeadline: '2026-12-31',
      chain: PRESET_000,
    })
    .returning();
  const campaignId = camp!.id;
  await db.insert(campaignCategories).values({ campaignId, categoryCode: 'bench_signoff', standardVersionId: version.id });
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into subjects (kind, name, region_id) select 'unit', '基准单位' || g, ${region!.id} from generate_series(1, ${N}) g`,
    );
    await tx.execute(sql`insert into applications (campaign_id, category_code, standard_version_id, subject_id, region_id, region_path, status, step, submitted_at)
      select ${campaignId}, 'bench_signoff', ${version.id}, s.id, ${region!.id}, ${regionPath}, 'submitted', 'dept_signoff', now()
      from subjects s where s.region_id = ${region!.id} order by s.id`);
    for (const d of DEPTS)
      await tx.execute(sql`insert into signoffs (application_id, step, org_id, dept_code, status, deadline)
        select a.id, 'dept_signoff', ${deptOrg.get(d)!}, ${d}, 'pending', '2026-12-31'
        from applications a where a.campaign_id = ${campaignId} order by a.id`);
    // the education department has scored every other application already
    await tx.execute(sql`insert into reviews (application_id, stage, step, reviewer_id, org_id, comment)
      select a.id, 'preliminary', 'dept_signoff', ${deptUser.get('education')!}, ${deptOrg.get('education')!}, '已初步核实'
      from applications a where a.campaign_id = ${campaignId} and a.id % 2 = 0 order by a.id`);
    await tx.execute(sql`insert into review_scores (review_id, application_id, criterion_id, score, met)
      select r.id, r.application_id, c.criterion_id, case when c.judge = 'score' then 2 end, case when c.judge = 'yesno' then true end
      from reviews r join criteria c on c.standard_version_id = ${version.id}
      where r.org_id = ${deptOrg.get('education')!}`);
  });
  await db.execute(sql`analyze`);
}

async function bench(database: Database, label: string) {
  const t0 = performance.now();
  await load(database.db);
  const loadMs = Math.round(performance.now() - t0);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-web-'));
  const config = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent' });
  const app = await buildApp(config, database);
  await app.ready();
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'bench_education', password: PASSWORD },
    });
    if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
    const cookie = `pingan_sid=${login.cookies.find((c) => c.name === 'pingan_sid')!.value}`;
    const get = async () => {
      const res = await app.inject({ method: 'GET', url: '/api/signoffs/worklist?limit=50', headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`worklist: ${res.statusCode} ${res.body}`);
      return res.json() as { total: number; items: { criteria: { judged: boolean }[] }[] };
    };
    const first = await get(); // warm-up: fills the standard cache
    const own = benchStandard(K).groups[0]!.criteria.filter((c) =>
      [...(c.lead ?? []), ...(c.cooperate ?? [])].includes('education'),
    ).length;
    if (first.total !== N || first.items.length !== Math.min(50, N) || first.items.some((i) => i.criteria.length !== own))
      throw new Error(
        `unexpected page: total ${first.total}, ${first.items.length} items, criteria ${first.items[0]?.criteria.length} (expected ${own})`,
      );
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await get();
      ms.push(performance.now() - t);
    }
    console.log(
      `worklist ${N} apps x ${DEPTS.length} depts: p50 ${Math.round(median(ms))} ms (${label}; load ${loadMs} ms, ${own} criteria per department, runs ${ms.map((x) => Math.round(x)).join('/')})`,
    );
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-'));
  const lite = await openDatabase({ dataDir: dir });
  try {
    await bench(lite, 'pglite');
  } finally {
    await lite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const base = process.env.DATABASE_URL;
  if (base) {
    const scratch = await createScratchDatabase(base, 'bench');
    const pg = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    try {
      await bench(pg, 'postgres');
    } finally {
      await pg.close();
      await scratch.drop();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
