/**
 * B3 campaign-rating (goal <=1.5): rating a whole campaign with the app's set-based pass
 * (modules/rating/campaign.ts rateCampaign: one UPDATE … FROM statement that computes and writes
 * every application's score and stars, then the JS engine for the few a star condition applies to)
 * against one plain SELECT, written independently of campaign.ts, computing the same totals and
 * stars without writing. ratio = rateCampaign's time ÷ the SELECT's time (medians).
 *
 *   npx tsx apps/server/bench/b3-campaign-rating.ts --db pglite|postgres [--quick]
 *
 * The world: one standard version of 40 criteria (a few veto, some yes/no, some with measures), one
 * campaign, 50 000 applications (quick: 10 000) with their answers and two reviews each
 * (preliminary and evaluation; some criteria scored at one stage only, a few not applicable), all
 * loaded with set-based INSERT … SELECT. Before each timed rateCampaign every row's score and stars
 * are reset, so each run writes every row (the worst case). After one untimed warm-up of each,
 * RUNS timed rounds. Then checks, failing the benchmark when any is off: rateCampaign and the
 * reference agree on every application, drafts were not touched, and a random sample of 200
 * matches the JS engine `rate`.
 *
 * Ported from the former scripts/bench-rating.ts; measured there on the 2-core machine (shared, ±20 %),
 * 50 000 × 40: PostgreSQL rateCampaign 7.7 s vs reference 13.5 s (0.57); PGlite 14.8 s vs 21.0 s (0.70).
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { parseStandard, rate, type StandardInput } from '@pingan/core';
import type { Db, Tx } from '../src/db/client.js';
import { campaignCategories, campaigns, organisations, regions, users } from '../src/db/schema.js';
import { importStandard } from '../src/modules/standards/files.js';
import { loadAnswers, loadScores, loadStandardDoc, ratingContext } from '../src/modules/applications/queries.js';
import { rateCampaign } from '../src/modules/rating/campaign.js';
import { median, say } from './lib.js';
import { rowsOf as q, runBench, secs, timed } from './batch-world.js';

/** criteria per standard, timed rounds */
const K = 40;
/** applications; set from --quick before loading */
let N = 50_000;

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
  await db.execute(sql`analyze`);
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
  // two reviews per application past draft: preliminary, then evaluation, each its own step (one
  // review per reviewer and step); 3 % of evaluations are dated before the preliminary review: the stage still wins
  await db.execute(sql`insert into reviews (application_id, stage, step, reviewer_id, created_at)
    select a.id, 'preliminary', 'preliminary', ${user.id}, timestamptz '2026-06-01 08:00:00+08' + a.id * interval '1 second'
    from applications a where a.campaign_id = ${campaignId} and a.status <> 'draft' order by a.id`);
  await db.execute(sql`insert into reviews (application_id, stage, step, reviewer_id, created_at)
    select a.id, 'evaluation', 'evaluation', ${user.id},
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
 * A cell earns its points only with a met verdict and, for a measured criterion, figures met (figures
 * missing or incomplete: pending, nothing earned, no veto; figures failed: not met). No writes. (A window-function variant of the same was slower here, so this is the fairer baseline.)
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
    round(sum(case when not na and fig and verdict then pts else 0 end), 2) as total,
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

await runBench({ id: 'B3', name: 'campaign-rating', goal: '<=1.5' }, async (s, args) => {
  N = args.quick ? 10_000 : 50_000;
  const RUNS = args.quick ? 1 : 3;
  const db = s.database.db;
  say(`loading ${N} applications × ${K} criteria`);
  const loaded = await timed(() => load(db));
  const { campaignId, versionId } = loaded.value;
  const [counts] = await q<{ drafts: number; answers: number; reviews: number; scores: number }>(
    db,
    sql`select (select count(*) from applications where status = 'draft')::int as drafts,
               (select count(*) from answers)::int as answers,
               (select count(*) from reviews)::int as reviews,
               (select count(*) from review_scores)::int as scores`,
  );
  const rated = N - counts!.drafts;
  say(`loaded in ${secs(loaded.ms)}: ${counts!.answers} answers, ${counts!.reviews} reviews, ${counts!.scores} review scores`);

  const reset = async () => {
    await db.execute(sql`update applications set score = null, stars = null where campaign_id = ${campaignId}`);
    await db.execute(sql`vacuum analyze applications`);
  };
  const runRate = () => rateCampaign(db, campaignId);
  const runReference = () => q<{ id: number; total: string; stars: number }>(db, referenceSelect(campaignId));

  say('warm-up (untimed): one rateCampaign, one reference SELECT');
  await reset();
  await runRate();
  await runReference();

  const rateMs: number[] = [];
  const refMs: number[] = [];
  const sqlMs: number[] = [];
  let refRows: { id: number; total: string; stars: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    await reset();
    const a = await timed(runRate);
    rateMs.push(a.ms);
    sqlMs.push(a.value.ms.sql);
    if (a.value.updated !== rated) throw new Error(`expected ${rated} rows written, got ${a.value.updated}`);
    const b = await timed(runReference);
    refMs.push(b.ms);
    refRows = b.value;
    say(
      `run ${i + 1}/${RUNS}: rateCampaign ${a.ms.toFixed(0)} ms (statement ${a.value.ms.sql} ms, JS re-rated ${a.value.reratedByEngine}), reference SELECT ${b.ms.toFixed(0)} ms`,
    );
  }

  // rateCampaign and the reference agree on every application; drafts untouched
  const stored = await q<{ id: number; status: string; score: string | null; stars: number | null }>(
    db,
    sql`select id, status, score::text as score, stars from applications where campaign_id = ${campaignId}`,
  );
  const ref = new Map(refRows.map((r) => [Number(r.id), r]));
  if (ref.size !== rated) throw new Error(`reference returned ${ref.size} rows, expected ${rated}`);
  let mismatches = 0;
  for (const row of stored) {
    const r = ref.get(Number(row.id));
    const off =
      row.status === 'draft'
        ? row.score !== null || row.stars !== null
        : !r || row.score === null || Number(r.total) !== Number(row.score) || Number(r.stars) !== Number(row.stars);
    if (off && ++mismatches <= 5)
      say(`application ${row.id} (${row.status}): rateCampaign ${row.score}/${row.stars}, reference ${r?.total}/${r?.stars}`);
  }
  if (mismatches) throw new Error(`${mismatches} applications disagree between rateCampaign and the reference SELECT`);

  // a random sample against the JS engine
  const sample = stored
    .filter((x) => x.status !== 'draft')
    .sort(() => Math.random() - 0.5)
    .slice(0, 200);
  const doc = await loadStandardDoc(db, versionId);
  const ctx = await ratingContext(db, { subjectId: 0, categoryCode: 'bench', campaignId });
  let engineMismatch = 0;
  for (const x of sample) {
    const rating = rate(doc, await loadAnswers(db, x.id), await loadScores(db, x.id), ctx);
    if ((rating.total !== Number(x.score) || rating.stars !== x.stars) && ++engineMismatch <= 5)
      say(`application ${x.id}: SQL ${x.score}/${x.stars}, JS engine ${rating.total}/${rating.stars}`);
  }
  if (engineMismatch) throw new Error(`${engineMismatch} of ${sample.length} sampled applications disagree with the JS engine`);
  say(
    `all ${rated} rated applications agree with the reference, ${counts!.drafts} drafts untouched, ${sample.length} sampled match the JS engine`,
  );

  const app = median(rateMs);
  const limit = median(refMs);
  return {
    ratio: app / limit,
    detail: `${N} × ${K}${args.quick ? ' (quick)' : ''}, rateCampaign ${secs(app)} (statement ${secs(median(sqlMs))}), reference SELECT ${secs(limit)}, median of ${RUNS}; load ${secs(loaded.ms)}`,
    figures: { appMs: app, limitMs: limit },
  };
});
