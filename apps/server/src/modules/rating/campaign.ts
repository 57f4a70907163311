import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { refreshRating } from '../applications/queries.js';

/**
 * Rating a whole campaign (批量评级) in one set-based SQL pass.
 *
 * The per-application path (refreshRating) loads the standard, the answers and the review scores
 * of one application and runs the core engine `rate` in JS: four queries per application, which
 * for tens of thousands of applications is minutes of round trips. Here one statement does the
 * same arithmetic for every application of the campaign that has left draft, and writes
 * applications.score and applications.stars with UPDATE … FROM. It is the SQL twin of core
 * `rateCriterion` / `rate` and must stay in step with them (apps/server/test/rating.test.ts
 * compares the two on every demo application):
 *
 *  - the latest score per (application, criterion): the highest stage (preliminary 0 < onsite 1 <
 *    evaluation 2), then the latest review. The JS engine orders one stage's reviews by
 *    `at` = created_at to the millisecond, then the review id (queries.ts loadScores), so the SQL
 *    orders by date_trunc('milliseconds', created_at), then id. Ordering by id alone would differ
 *    from the engine whenever ids and times disagree (two transactions committing out of order,
 *    a clock step, an imported review); the test has such a case;
 *  - the figures verdict is answers.figures_met, taken by core `figuresMet` when the applicant
 *    saved; a criterion without measures always passes its figures, a missing answer is null;
 *  - status and score: not applicable (left out of total and maximum) → figures false: not met,
 *    0 → no verdict (no score, or met and score both null): pending, 0 → yesno: met gives full
 *    points → score: clamp(score ?? (met ? points : 0), 0, points), met = met ?? score > 0, not met
 *    gives 0 → a verdict of met while figures are incomplete stays pending and earns nothing (a
    pending item never counts toward total, percent or stars);
 *  - total and maximum rounded to cents; the percent is computed in float8 exactly as JS does
 *    (Math.round(total / max * 100 * 100) / 100, round half up) so a band edge falls the same way;
 *  - stars: the highest band of standard_versions.doc → starRules.bands the percent reaches, 0 when
 *    a veto criterion is not met (pending is not a veto).
 *
 * Totals agree with JS to the cent for scores with at most two decimals (what reviewers enter);
 * with more decimals the exact decimal sum here and JS's floating sum may round the last cent
 * differently. The criteria come from the `criteria` rows (written with the version by
 * importStandard), the bands and conditions from the version's document.
 *
 * Star conditions (a prior title, a higher check, a recommendation, a lower title) need the
 * subject's history and the rating context, which this statement does not decide. So: for an
 * application whose points reach a star that has a condition in its standard (and which no veto
 * zeroes) the statement writes the score but leaves stars alone, and afterwards those
 * applications, and only those, are re-rated one by one with the JS engine (refreshRating), which
 * applies the conditions and writes score, stars and rating.
 *
 * The `rating` JSON (the per-criterion explanation) is NOT rewritten by the batch pass: it stays as
 * refreshRating last wrote it for each application. The batch sets score and stars, which lists,
 * rankings and dashboards read; the detail view computes the explanation live with `rate`
 * (getApplicationDetail), so it is never stale. Rows whose score and stars do not change are not
 * written at all.
 *
 * Concurrency: the statement reads one snapshot. A review committed while it runs is not seen, and
 * its refreshRating may be overwritten by the older figure; the next rating of the campaign (or of
 * the application) puts it right.
 *
 * On PGlite the statement runs inside this Node process and blocks its event loop while it runs
 * (about 13–18 s for 50 000 applications × 40 criteria on the benchmark machine); on PostgreSQL
 * the server keeps answering meanwhile.
 */

export interface CampaignRatingResult {
  campaignId: number;
  /** applications past draft that were rated */
  rated: number;
  /** of those, rows whose score or stars changed */
  updated: number;
  /** applications re-rated with the JS engine because a star condition applies */
  reratedByEngine: number;
  /** drafts left untouched */
  draftsSkipped: number;
  ms: { sql: number; engine: number; total: number };
}

export type RatingProgress = (done: number, total: number, message: string) => void;

/** Stage rank as in core REVIEW_STAGES; an unknown stage ranks below all (indexOf = -1). */
const STAGE_RANK = sql`case r.stage when 'preliminary' then 0 when 'onsite' then 1 when 'evaluation' then 2 else -1 end`;

/**
 * How the statement stays fast (50 000 applications × 40 criteria ≈ 3 million review scores): it
 * never builds the full application × criterion grid. A criterion contributes to the total only
 * through its latest review score, and a failed figures verdict only matters where it zeroes or
 * vetoes, so:
 *  - `latest` sorts the review scores once (DISTINCT ON over integer keys: application, criterion
 *    position, review order) after joining the criteria rows, whose statistics keep the plan sane;
 *  - `failing` is the small set of answers whose figures_met is false, full-joined to `latest`;
 *  - a criterion with neither is pending (0 points, no veto) and needs no row at all; the maximum
 *    is the version's total points less the points of the criteria judged not applicable;
 *  - joins are written in the order they should run (see inRatingTransaction).
 */
function ratingCtes(campaignId: number): SQL {
  return sql`
with rv as (
  -- the campaign's reviews in the engine's order: stage, then time to the millisecond, then id
  select r.id, a.standard_version_id as version_id,
    row_number() over (order by ${STAGE_RANK}, date_trunc('milliseconds', r.created_at), r.id) as seq
  from reviews r
  join applications a on a.id = r.application_id
  where a.campaign_id = ${campaignId} and a.status <> 'draft'
),
latest as (
  -- the latest score per (application, criterion), with the reviewer's verdict as core rateCriterion reads it
  select distinct on (rs.application_id, c.position)
    rs.application_id as app_id, c.position, c.points, c.veto, c.has_measures, rs.not_applicable as na,
    case
      when rs.met is null and rs.score is null then null
      when c.judge = 'yesno' then coalesce(rs.met, coalesce(rs.score, 0) > 0)
      else coalesce(rs.met, least(greatest(coalesce(rs.score, 0), 0), c.points) > 0)
    end as ok,
    case
      when c.judge = 'yesno' then c.points
      else least(greatest(coalesce(rs.score, case when rs.met then c.points else 0 end), 0), c.points)
    end as raw
  from review_scores rs
  join rv on rv.id = rs.review_id
  join criteria c on c.standard_version_id = rv.version_id and c.criterion_id = rs.criterion_id
  order by rs.application_id, c.position, rv.seq desc
),
failing as (
  -- figures reported and not met (core figuresMet = false); a criterion without measures never fails
  select an.application_id as app_id, c.position, c.veto
  from answers an
  join applications a on a.id = an.application_id
  join criteria c on c.standard_version_id = a.standard_version_id and c.criterion_id = an.criterion_id
  where an.figures_met is false and c.has_measures and a.campaign_id = ${campaignId} and a.status <> 'draft'
),
complete as (
  -- figures reported and met (core figuresMet = true), for criteria that have measures
  select an.application_id as app_id, c.position
  from answers an
  join applications a on a.id = an.application_id
  join criteria c on c.standard_version_id = a.standard_version_id and c.criterion_id = an.criterion_id
  where an.figures_met is true and c.has_measures and a.campaign_id = ${campaignId} and a.status <> 'draft'
),
totals as (
  -- not applicable: out of total and maximum; figures failed: 0, not met (also when no review
  -- scored it: the full join keeps those); no verdict: 0, pending; verdict met: the points, but
  -- only when the figures are complete (a measured criterion without figures met stays pending
  -- and earns nothing); not met: 0
  select coalesce(l.app_id, f.app_id) as app_id,
    sum(case when l.app_id is not null and not l.na and f.app_id is null and l.ok
      and (not l.has_measures or k.app_id is not null) then l.raw else 0 end) as total,
    sum(case when l.na then l.points else 0 end) as na_points,
    bool_or(coalesce(l.veto, f.veto) and not coalesce(l.na, false) and (f.app_id is not null or l.ok is false)) as vetoed
  from latest l
  full join failing f on f.app_id = l.app_id and f.position = l.position
  left join complete k on k.app_id = l.app_id and k.position = l.position
  group by coalesce(l.app_id, f.app_id)
),
versions as materialized (
  select sv.id as version_id, sv.doc -> 'starRules' as rules,
    coalesce((select sum(c.points) from criteria c where c.standard_version_id = sv.id), 0) as max_points
  from standard_versions sv
  where sv.id in (select standard_version_id from applications where campaign_id = ${campaignId} and status <> 'draft')
),
bands as materialized (
  select v.version_id, (b ->> 'stars')::int as stars, (b ->> 'minPercent')::float8 as min_percent
  from versions v, jsonb_array_elements(coalesce(v.rules -> 'bands', '[]'::jsonb)) b
),
conditions as materialized (
  select v.version_id, min((c ->> 'stars')::int) as min_stars
  from versions v, jsonb_array_elements(coalesce(v.rules -> 'conditions', '[]'::jsonb)) c
  group by v.version_id
),
sums as (
  select a.id as app_id, v.version_id,
    round(coalesce(t.total, 0), 2) as total,
    round(v.max_points - coalesce(t.na_points, 0), 2) as max,
    coalesce(t.vetoed, false) as vetoed
  from applications a
  join versions v on v.version_id = a.standard_version_id
  left join totals t on t.app_id = a.id
  where a.campaign_id = ${campaignId} and a.status <> 'draft'
),
percents as (
  -- the percent as JS computes it, in float8: Math.round((total / max) * 100 * 100) / 100, halves up
  select s.*, case when s.max > 0 then (s.total::float8 / s.max::float8) * 100 * 100 else 0 end as p100
  from sums s
),
rated as (
  select p.app_id, p.total, p.vetoed,
    coalesce((
      select max(b.stars) from bands b
      where b.version_id = p.version_id
        and (case when p.p100 - floor(p.p100) >= 0.5 then ceil(p.p100) else floor(p.p100) end) / 100 >= b.min_percent
    ), 0) as stars_by_points,
    (select cd.min_stars from conditions cd where cd.version_id = p.version_id) as min_condition_stars
  from percents p
),
decided as materialized (
  select app_id, total,
    case when vetoed then 0 else stars_by_points end as stars,
    -- a star with a condition is within reach: the JS engine decides the stars afterwards
    not vetoed and min_condition_stars is not null and stars_by_points >= min_condition_stars as needs_engine
  from rated
)`;
}

/** The one statement: rate every non-draft application of the campaign and write score and stars. */
export function campaignRatingStatement(campaignId: number): SQL {
  return sql`${ratingCtes(campaignId)},
written as (
  update applications a
  set score = d.total,
      stars = case when d.needs_engine then a.stars else d.stars end
  from decided d
  where a.id = d.app_id
    and (a.score is distinct from d.total or (not d.needs_engine and a.stars is distinct from d.stars))
  returning a.id
)
select
  (select count(*) from decided)::int as rated,
  (select count(*) from written)::int as updated,
  coalesce((select array_agg(app_id order by app_id) from decided where needs_engine), '{}')::text as needs_engine
`;
}

/**
 * The same computation without writing: one row per application (id, total as text, stars before
 * star conditions, needs_engine). The benchmark times it to show what the writing costs.
 */
export function campaignRatingPreview(campaignId: number): SQL {
  return sql`${ratingCtes(campaignId)}
select app_id as id, total::text as total, stars, needs_engine from decided`;
}

interface StatementRow {
  rated: number | string;
  updated: number | string;
  needs_engine: string;
}

async function rows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  // node-postgres and PGlite both answer { rows }
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/**
 * Runs the statement in a transaction whose only purpose is to scope planner settings to it:
 *  - enable_nestloop off and join_collapse_limit 1: hash and merge joins in the order written.
 *    Every input here is large, so that is the right plan; without it a database whose statistics
 *    are missing or stale picks nested loops from tiny row estimates and goes quadratic (measured
 *    on PGlite, which has no autovacuum and so never gathers statistics by itself: 25 s instead of
 *    2 s for 10 000 applications);
 *  - jit off: compiling this expression-heavy plan costs more (1–2 s measured) than it saves.
 *    PGlite has no JIT; the setting is accepted and ignored there.
 */
async function inRatingTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_nestloop = off`);
    await tx.execute(sql`set local join_collapse_limit = 1`);
    await tx.execute(sql`set local jit = off`);
    return fn(tx);
  });
}

/** The computation without writing, under the same settings (see campaignRatingPreview). */
export async function previewCampaignRating(db: Db, campaignId: number) {
  return inRatingTransaction(db, (tx) =>
    rows<{ id: number; total: string; stars: number; needs_engine: boolean }>(tx, campaignRatingPreview(campaignId)),
  );
}

/** Parses a PostgreSQL int array literal "{1,2,3}". */
function parseIntArray(text: string): number[] {
  const inner = text.replace(/^\{|\}$/g, '').trim();
  return inner ? inner.split(',').map(Number) : [];
}

/**
 * Rates every application of a campaign that has left draft: one SQL statement for all, then the
 * JS engine for the few a star condition applies to. See the comment at the top of this file.
 */
export async function rateCampaign(db: Db, campaignId: number, onProgress?: RatingProgress): Promise<CampaignRatingResult> {
  const t0 = performance.now();
  const [counts] = await rows<{ rated: number | string; drafts: number | string }>(
    db,
    sql`select count(*) filter (where status <> 'draft')::int as rated, count(*) filter (where status = 'draft')::int as drafts
        from applications where campaign_id = ${campaignId}`,
  );
  const expected = Number(counts?.rated ?? 0);
  const draftsSkipped = Number(counts?.drafts ?? 0);
  onProgress?.(0, expected, `正在计算${expected}份申报的得分与星级`);

  const [res] = await inRatingTransaction(db, (tx) => rows<StatementRow>(tx, campaignRatingStatement(campaignId)));
  const rated = Number(res?.rated ?? 0);
  const updated = Number(res?.updated ?? 0);
  const needsEngine = parseIntArray(res?.needs_engine ?? '{}');
  const t1 = performance.now();

  let done = rated - needsEngine.length;
  onProgress?.(
    done,
    rated,
    needsEngine.length ? `已计算${done}份；${needsEngine.length}份需核对星级附加条件` : `已完成${rated}份申报的评级`,
  );
  for (const id of needsEngine) {
    await refreshRating(db, id);
    done++;
    if (done === rated || done % 20 === 0) onProgress?.(done, rated, `正在核对星级附加条件（${done}/${rated}）`);
  }
  const t2 = performance.now();
  if (needsEngine.length) onProgress?.(rated, rated, `已完成${rated}份申报的评级`);
  return {
    campaignId,
    rated,
    updated,
    reratedByEngine: needsEngine.length,
    draftsSkipped,
    ms: { sql: Math.round(t1 - t0), engine: Math.round(t2 - t1), total: Math.round(t2 - t0) },
  };
}
