/**
 * Benchmark of the campaign rating pass (rateCampaign) against a plain reference SELECT.
 *
 *   npx tsx apps/server/scripts/bench-rating.ts [--apps 50000] [--criteria 40] [--runs 3] [--keep] [--load-only] [--no-analyze]
 *
 * Uses PostgreSQL when DATABASE_URL is set (a fresh database bench_<random>, dropped at the end),
 * else PGlite in a temporary folder (removed at the end). Builds one standard version with K
 * criteria (a few veto, some yes/no, some with measures), one campaign, N applications with their
 * answers and two reviews each (preliminary and evaluation; some criteria scored at one stage only,
 * a few not applicable), all with set-based INSERT … SELECT. Then, three times each (median
 * reported, after one untimed warm-up of each):
 *   (a) rateCampaign: the set-based statement that computes and WRITES score and stars (every row
 *       is reset to NULL before each run, so each run writes all N rows: the worst case);
 *   (b) a reference SELECT, written independently, computing the same per-application totals and
 *       stars without writing anything.
 * and (c) the read-only twin of (a): the same computation without the UPDATE, to show what writing costs.
 * Checks that (a), (b) and (c) agree on every application, that drafts were not touched, and that a
 * random sample of 200 applications matches the JS engine `rate`; fails loudly (exit 1) otherwise.
 *
 * Measured on the 2-core build machine, shared with other work at the time (so ±20 % noise),
 * 50 000 applications × 40 criteria (3.2 million review scores):
 *   PostgreSQL 15:            load 38 s; rateCampaign 7.7 s, reference 13.5 s, ratio 0.57; twin 7.6 s (×1.01); whole run 3 min
 *   PGlite 0.5:               load 55 s; rateCampaign 14.8 s, reference 21.0 s, ratio 0.70; twin 12.7 s (×1.16); whole run 4.6 min
 *   PGlite, --no-analyze:     load 48 s; rateCampaign 16.5 s, reference 37.1 s, ratio 0.45; twin 17.7 s (×0.94); whole run 6.3 min
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql, type SQL } from 'drizzle-orm';
import { parseStandard, rate, type StandardInput } from '@pingan/core';
import { createScratchDatabase } from '../src/db/scratch.js';
import { openDatabase, type Database, type Db, type Tx } from '../src/db/client.js';
import { campaignCategories, campaigns, organisations, regions, users } from '../src/db/schema.js';
import { importStandard } from '../src/modules/standards/files.js';
import { loadAnswers, loadScores, loadStandardDoc, ratingContext } from '../src/modules/applications/queries.js';
import { previewCampaignRating, rateCampaign } from '../src/modules/rating/campaign.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}

const N = flag('apps', 50_000);
const K = flag('criteria', 40);
const RUNS = flag('runs', 3);
/** --keep: leave the database (PostgreSQL database or PGlite folder) in place, to EXPLAIN by hand; --load-only: stop after loading */
const KEEP = process.argv.includes('--keep');
const LOAD_ONLY = process.argv.includes('--load-only');
/** --no-analyze: no planner statistics, as on an embedded PGlite database (it has no autovacuum) */
const NO_ANALYZE = process.argv.includes('--no-analyze');

const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function q<T = Record<string, unknown>>(db: Db | Tx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Criterion shape by position, the same rule in the standard (JS) and in the data (SQL). */
const MEASURE_OF = (i: number): 'threshold' | 'frequency' | null => (i % 8 === 2 ? 'threshold' : i % 8 === 6 ? 'frequency' : null);

function benchStandard(k: number): StandardInput {
  const criteria = Array.from({ length: k }, (_, i) => {
    const veto = i % 13 === 2; // 3 of 40; the first has a measure, so failed figures can veto unreviewed
    const m = MEASURE_OF(i);
    return {
      id: String(i + 1),
      text: `第${i + 1}项创建要求（基准测试）`,
      judge: veto || i % 5 === 1 ? 'yesno' : 'score',
      points: [2, 2.5, 3, 4][i % 4]!,
      veto,
      measures:
        m === 'threshold'
          ? [{ id: 'rate', label: '群众知晓率', kind: 'threshold', comparator: '>=', value: 90, unit: '%' }]
          : m === 'frequency'
            ? [{ id: 'checks', label: '安全隐患排查', kind: 'frequency', min: 2, per: 'month' }]
            : [],
    };
  });
  const groups = [];
  for (let g = 0; g * 10 < k; g++) groups.push({ id: `G${g + 1}`, name: `第${g + 1}组`, criteria: criteria.slice(g * 10, g * 10 + 10) });
  return {
    format: 'pingan-standard/v1',
    code: 'bench-rating',
    title: '评级基准测试标准',
    issuer: '基准测试',
    year: 2026,
    category: { code: 'bench', name: '基准测试类别', subjectKinds: ['unit'] },
    groups,
  } as StandardInput;
}

/** A deterministic pseudo-random number 0..999 from an integer expression and a salt. */
const h = (expr: SQL, salt: number) => sql`mod(abs(hashint8((${expr})::bigint * 16 + ${sql.raw(String(salt))})::bigint), 1000)`;

async function openBenchDatabase(): Promise<{ database: Database; label: string; cleanup: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const scratch = await createScratchDatabase(base, 'bench');
    const name = scratch.name;
    const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    return {
      database,
      label: `PostgreSQL (${name})`,
      cleanup: async () => {
        await database.close();
        if (KEEP) return log(`kept database ${name}`);
        await scratch.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-'));
  const database = await openDatabase({ dataDir: dir });
  return {
    database,
    label: `PGlite (${dir})`,
    cleanup: async () => {
      await database.close();
      if (KEEP) return log(`kept ${dir}`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function load(db: Db) {
  const [region] = await db.insert(regions).values({ name: '基准市', level: 'city' }).returning();
  const regionPath = `/${region!.id}/`;
  await db.update(regions).set({ path: regionPath }).where(eq(regions.id, region!.id));
  const [org] = await db
    .insert(organisations)
    .values({ regionId: region!.id, name: '基准市平安办', kind: 'safety_office', deptCode: 'safety_office' })
    .returning();
  const [user] = await db
    .insert(users)
    .values({ username: 'bench', passwordHash: 'x', displayName: '基准', role: 'safety_office', orgId: org!.id })
    .returning();
  const parsed = parseStandard(benchStandard(K));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const version = await importStandard(db, parsed.standard, null, 'bench');
  const [camp] = await db
    .insert(campaigns)
    .values({
      regionId: region!.id,
      orgId: org!.id,
      year: 2026,
      name: '基准测试活动',
      applyDeadline: '2026-12-20',
      reviewDeadline: '2026-12-31',
    })
    .returning();
  await db.insert(campaignCategories).values({ campaignId: camp!.id, categoryCode: 'bench', standardVersionId: version.id });
  const campaignId = camp!.id;
  const versionId = version.id;
  await db.transaction(async (tx) => bulkLoad(tx, { campaignId, versionId, regionId: region!.id, regionPath, reviewerId: user!.id }));
  if (!NO_ANALYZE) await db.execute(sql`analyze`);
  return { campaignId, versionId };
}

/**
 * The bulk rows, set-based, in one transaction. Foreign-key triggers are off for it
 * (session_replication_role = replica, as pg_restore does): the rows are generated consistent,
 * and checking 5 million references one by one would dominate the load.
 */
async function bulkLoad(db: Tx, p: { campaignId: number; versionId: number; regionId: number; regionPath: string; reviewerId: number }) {
  const { campaignId, versionId, regionPath } = p;
  const region = { id: p.regionId };
  const user = { id: p.reviewerId };
  await db.execute(sql`set local session_replication_role = replica`);
  await db.execute(sql`insert into subjects (kind, name, region_id)
    select 'unit', '基准单位' || g, ${region.id} from generate_series(1, ${N}) g`);
  // 1 % drafts (must stay untouched); the rest spread over the review statuses
  await db.execute(sql`insert into applications (campaign_id, category_code, standard_version_id, subject_id, region_id, region_path, status)
    select ${campaignId}, 'bench', ${versionId}, s.id, ${region.id}, ${regionPath},
      case when ${h(sql`s.id`, 1)} < 10 then 'draft'
           when ${h(sql`s.id`, 1)} < 300 then 'preliminary_passed'
           when ${h(sql`s.id`, 1)} < 900 then 'evaluated'
           else 'rejected' end
    from subjects s order by s.id`);
  // answers: 2 % missing; measured criteria: 85 % figures met, 8 % not met, the rest incomplete
  const r = h(sql`a.id * 1000 + c.position`, 2);
  await db.execute(sql`insert into answers (application_id, criterion_id, statement, figures, figures_met)
    select a.id, c.criterion_id, '已落实',
      case when not c.has_measures or x.r >= 930 then '{}'::jsonb
           when c.position % 8 = 2 then jsonb_build_object('rate', jsonb_build_object('value', case when x.r < 850 then 95 else 50 end))
           else jsonb_build_object('checks', jsonb_build_object('value', case when x.r < 850 then 3 else 1 end)) end,
      case when not c.has_measures then true when x.r < 850 then true when x.r < 930 then false else null end
    from applications a
    join criteria c on c.standard_version_id = a.standard_version_id
    cross join lateral (select ${r} as r) x
    where a.campaign_id = ${campaignId} and ${h(sql`a.id * 1000 + c.position`, 3)} >= 20`);
  // two reviews per application past draft: preliminary, then evaluation (3 % of evaluations are
  // dated before the preliminary review: the stage still wins)
  await db.execute(sql`insert into reviews (application_id, stage, reviewer_id, created_at)
    select a.id, 'preliminary', ${user.id}, timestamptz '2026-06-01 08:00:00+08' + a.id * interval '1 second'
    from applications a where a.campaign_id = ${campaignId} and a.status <> 'draft' order by a.id`);
  await db.execute(sql`insert into reviews (application_id, stage, reviewer_id, created_at)
    select a.id, 'evaluation', ${user.id},
      case when ${h(sql`a.id`, 4)} < 30 then timestamptz '2026-05-01 08:00:00+08' else timestamptz '2026-09-01 08:00:00+08' end + a.id * interval '1 second'
    from applications a where a.campaign_id = ${campaignId} and a.status <> 'draft' order by a.id`);
  // scores: the preliminary review scores 90 % of criteria, the evaluation 70 %; 0.8 % not applicable
  const key = sql`rv.id * 1000 + c.position`;
  await db.execute(sql`insert into review_scores (review_id, application_id, criterion_id, score, met, not_applicable)
    select rv.id, rv.application_id, c.criterion_id,
      case when y.na or c.judge = 'yesno' then null
           when y.v = 1 then null
           else round(c.points * (0.4 + ${h(key, 7)} / 1665.0), 1) end,
      case when y.na then null
           when c.judge = 'yesno' then ${h(key, 8)} < case when c.veto then 985 else 900 end
           when y.v = 0 then null
           when y.v = 2 then false
           else true end,
      y.na
    from reviews rv
    join applications a on a.id = rv.application_id
    join criteria c on c.standard_version_id = a.standard_version_id
    cross join lateral (select ${h(key, 5)} < 8 as na, mod(${h(key, 6)}, 10) as v) y
    where a.campaign_id = ${campaignId}
      and ${h(key, 9)} < case when rv.stage = 'preliminary' then 900 else 700 end`);
}

/**
 * The reference: written independently of campaign.ts, the plain reading of the rules: the latest
 * score per (application, criterion) by DISTINCT ON, the full application × criterion grid with
 * the answers' figures_met, the status and score per cell, sums per application, the star band.
 * No writes. (A window-function variant of the same was slower here, so this is the fairer baseline.)
 */
function referenceSelect(campaignId: number): SQL {
  return sql`
with latest as (
  select distinct on (rs.application_id, rs.criterion_id)
    rs.application_id, rs.criterion_id, rs.score, rs.met, rs.not_applicable
  from review_scores rs
  join reviews r on r.id = rs.review_id
  join applications a on a.id = rs.application_id
  where a.campaign_id = ${campaignId} and a.status <> 'draft'
  order by rs.application_id, rs.criterion_id,
    array_position(array['preliminary','onsite','evaluation'], r.stage) desc nulls last,
    date_trunc('milliseconds', r.created_at) desc, r.id desc
),
per_criterion as (
  select a.id, a.standard_version_id, c.points, c.veto,
    coalesce(l.not_applicable, false) as na,
    case when c.has_measures then an.figures_met else true end as fig,
    case when l.application_id is null or (l.met is null and l.score is null) then null
         when c.judge = 'yesno' then coalesce(l.met, coalesce(l.score, 0) > 0)
         else coalesce(l.met, least(greatest(coalesce(l.score, 0), 0), c.points) > 0) end as verdict,
    case when c.judge = 'yesno' then c.points
         else least(greatest(coalesce(l.score, case when l.met then c.points else 0 end), 0), c.points) end as pts
  from applications a
  join criteria c on c.standard_version_id = a.standard_version_id
  left join answers an on an.application_id = a.id and an.criterion_id = c.criterion_id
  left join latest l on l.application_id = a.id and l.criterion_id = c.criterion_id
  where a.campaign_id = ${campaignId} and a.status <> 'draft'
),
sums as (
  select id, standard_version_id,
    round(sum(case when not na and fig is not false and verdict then pts else 0 end), 2) as total,
    round(sum(case when na then 0 else points end), 2) as max,
    bool_or(veto and not na and (fig is false or verdict is false)) as vetoed
  from per_criterion group by id, standard_version_id
),
bands as materialized (
  select sv.id as version_id, (b ->> 'stars')::int as stars, (b ->> 'minPercent')::numeric as min_percent
  from standard_versions sv, jsonb_array_elements(sv.doc -> 'starRules' -> 'bands') b
  where sv.id in (select standard_version_id from applications where campaign_id = ${campaignId})
)
select s.id, s.total::text as total,
  case when s.vetoed then 0 else coalesce((
    select max(b.stars) from bands b
    where b.version_id = s.standard_version_id
      and round((case when s.max > 0 then s.total::float8 / s.max::float8 * 100 else 0 end)::numeric, 2) >= b.min_percent
  ), 0) end as stars
from sums s`;
}

async function main() {
  const { database, label, cleanup } = await openBenchDatabase();
  const db = database.db;
  let failed = false;
  try {
    log(`${label}: loading ${N} applications × ${K} criteria`);
    const loaded = await timed(() => load(db));
    const { campaignId, versionId } = loaded.value;
    const [counts] = await q<{ apps: number; drafts: number; answers: number; reviews: number; scores: number }>(
      db,
      sql`select (select count(*) from applications)::int as apps,
                 (select count(*) from applications where status = 'draft')::int as drafts,
                 (select count(*) from answers)::int as answers,
                 (select count(*) from reviews)::int as reviews,
                 (select count(*) from review_scores)::int as scores`,
    );
    log(`loaded in ${(loaded.ms / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    if (LOAD_ONLY) return;

    const reset = async () => {
      await db.execute(sql`update applications set score = null, stars = null where campaign_id = ${campaignId}`);
      await db.execute(NO_ANALYZE ? sql`vacuum applications` : sql`vacuum analyze applications`);
    };
    const runRate = () => rateCampaign(db, campaignId);
    const runReference = () => q<{ id: number; total: string; stars: number }>(db, referenceSelect(campaignId));
    // rateCampaign's own computation without the UPDATE, under the same planner settings: the cost of writing
    const runPreview = () => previewCampaignRating(db, campaignId);

    log('warm-up (untimed): one rateCampaign, one reference SELECT, one read-only twin');
    await reset();
    await runRate();
    await runReference();
    await runPreview();

    const rateMs: number[] = [];
    const refMs: number[] = [];
    const previewMs: number[] = [];
    let refRows: { id: number; total: string; stars: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      await reset();
      const a = await timed(runRate);
      rateMs.push(a.ms);
      log(
        `run ${i + 1}: rateCampaign ${a.ms.toFixed(0)} ms (rated ${a.value.rated}, written ${a.value.updated}, JS re-rated ${a.value.reratedByEngine}, statement ${a.value.ms.sql} ms)`,
      );
      if (a.value.updated !== N - counts!.drafts) throw new Error(`expected ${N - counts!.drafts} rows written, got ${a.value.updated}`);
      const b = await timed(runReference);
      refMs.push(b.ms);
      refRows = b.value;
      log(`run ${i + 1}: reference SELECT ${b.ms.toFixed(0)} ms (${b.value.length} rows)`);
      const c = await timed(runPreview);
      previewMs.push(c.ms);
      log(`run ${i + 1}: read-only twin ${c.ms.toFixed(0)} ms (${c.value.length} rows)`);
      if (i === RUNS - 1) {
        const refById = new Map(b.value.map((r) => [Number(r.id), r]));
        const off = c.value.filter(
          (r) =>
            Number(refById.get(Number(r.id))?.total) !== Number(r.total) || Number(refById.get(Number(r.id))?.stars) !== Number(r.stars),
        );
        if (off.length || c.value.length !== b.value.length)
          throw new Error(`read-only twin disagrees with the reference on ${off.length} applications`);
      }
    }

    // (a) and (b) agree on every application
    const stored = await q<{ id: number; status: string; score: string | null; stars: number | null }>(
      db,
      sql`select id, status, score::text as score, stars from applications where campaign_id = ${campaignId}`,
    );
    const ref = new Map(refRows.map((r) => [Number(r.id), r]));
    let mismatches = 0;
    for (const s of stored) {
      if (s.status === 'draft') {
        if (s.score !== null || s.stars !== null) {
          mismatches++;
          if (mismatches <= 5) console.error(`draft ${s.id} was written: ${s.score}/${s.stars}`);
        }
        continue;
      }
      const r = ref.get(Number(s.id));
      if (!r || s.score === null || Number(r.total) !== Number(s.score) || Number(r.stars) !== Number(s.stars)) {
        mismatches++;
        if (mismatches <= 5) console.error(`application ${s.id}: rateCampaign ${s.score}/${s.stars}, reference ${r?.total}/${r?.stars}`);
      }
    }
    if (ref.size !== N - counts!.drafts) throw new Error(`reference returned ${ref.size} rows, expected ${N - counts!.drafts}`);
    if (mismatches) throw new Error(`${mismatches} applications disagree between rateCampaign and the reference SELECT`);
    log(`totals and stars agree for all ${ref.size} rated applications; ${counts!.drafts} drafts untouched`);

    // a random sample against the JS engine
    const sample = stored
      .filter((s) => s.status !== 'draft')
      .sort(() => Math.random() - 0.5)
      .slice(0, 200);
    const doc = await loadStandardDoc(db, versionId);
    let engineMismatch = 0;
    for (const s of sample) {
      const [ans, scores, ctx] = await Promise.all([
        loadAnswers(db, s.id),
        loadScores(db, s.id),
        ratingContext(db, { subjectId: 0, categoryCode: 'bench', campaignId }),
      ]);
      const rating = rate(doc, ans, scores, ctx);
      if (rating.total !== Number(s.score) || rating.stars !== s.stars) {
        engineMismatch++;
        if (engineMismatch <= 5) console.error(`application ${s.id}: SQL ${s.score}/${s.stars}, JS engine ${rating.total}/${rating.stars}`);
      }
    }
    if (engineMismatch) throw new Error(`${engineMismatch} of ${sample.length} sampled applications disagree with the JS engine`);
    log(`sample of ${sample.length} applications matches the JS engine`);

    const a = median(rateMs);
    const b = median(refMs);
    const c = median(previewMs);
    const ratio = a / b;
    console.log('');
    console.log(`database:            ${database.kind}`);
    console.log(
      `rows:                ${N} applications (${counts!.drafts} drafts), ${K} criteria, ${counts!.answers} answers, ${counts!.reviews} reviews, ${counts!.scores} review scores`,
    );
    console.log(`load:                ${(loaded.ms / 1000).toFixed(1)} s`);
    console.log(
      `rateCampaign:        ${a.toFixed(0)} ms median of [${rateMs.map((x) => x.toFixed(0)).join(', ')}] (writes ${N - counts!.drafts} rows)`,
    );
    console.log(`reference SELECT:    ${b.toFixed(0)} ms median of [${refMs.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(
      `read-only twin:      ${c.toFixed(0)} ms median of [${previewMs.map((x) => x.toFixed(0)).join(', ')}] (rateCampaign's SELECT without the UPDATE)`,
    );
    console.log(`ratio rate/ref:      ${ratio.toFixed(2)}  goal ≤ 1.5: ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
    console.log(`ratio rate/twin:     ${(a / c).toFixed(2)}  (what writing ${N - counts!.drafts} rows adds)`);
  } catch (e) {
    failed = true;
    console.error('BENCHMARK FAILED:', e instanceof Error ? e.message : e);
  } finally {
    await cleanup();
  }
  if (failed) process.exit(1);
}

await main();
