import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
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
 *    orders by date_trunc('milliseconds', created_at), then id: identical even when two concurrent
 *    transactions commit their reviews out of id order;
 *  - the figures verdict is answers.figures_met, taken by core `figuresMet` when the applicant
 *    saved; a criterion without measures always passes its figures, a missing answer is null;
 *  - status and score: not applicable (left out of total and maximum) → figures false: not met,
 *    0 → no verdict (no score, or met and score both null): pending, 0 → yesno: met gives full
 *    points → score: clamp(score ?? (met ? points : 0), 0, points), met = met ?? score > 0, not met
 *    gives 0 → a verdict of met while figures are incomplete counts the score but stays pending;
 *  - total and maximum rounded to cents; the percent is computed in float8 exactly as JS does
 *    (Math.round(total / max * 100 * 100) / 100, round half up) so a band edge falls the same way;
 *  - stars: the highest band of standard_versions.doc → starRules.bands the percent reaches, 0 when
 *    a veto criterion is not met (pending is not a veto).
 *
 * Totals agree with JS to the cent for scores with at most two decimals (what reviewers enter);
 * with more decimals the exact decimal sum here and JS's floating sum may round the last cent
 * differently.
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

/** The one statement: rate every non-draft application of the campaign and write score and stars. */
export function campaignRatingStatement(campaignId: number) {
  return sql`
with apps as materialized (
  select a.id, a.standard_version_id as version_id
  from applications a
  where a.campaign_id = ${campaignId} and a.status <> 'draft'
),
versions as materialized (
  select sv.id as version_id, sv.doc -> 'starRules' as rules
  from standard_versions sv
  where sv.id in (select distinct version_id from apps)
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
latest as (
  select distinct on (rs.application_id, rs.criterion_id)
    rs.application_id, rs.criterion_id, rs.score, rs.met, rs.not_applicable
  from review_scores rs
  join reviews r on r.id = rs.review_id
  where rs.application_id in (select id from apps)
  order by rs.application_id, rs.criterion_id,
    ${STAGE_RANK} desc, date_trunc('milliseconds', r.created_at) desc, r.id desc
),
judged as (
  select
    x.app_id, x.version_id, x.points, x.veto, x.na, x.figures,
    -- the reviewer's verdict: null when there is none to take (not applicable, figures failed, nothing given)
    case
      when x.na or x.figures is false or not x.reviewed or (x.met is null and x.score is null) then null
      when x.judge = 'yesno' then coalesce(x.met, coalesce(x.score, 0) > 0)
      else coalesce(x.met, least(greatest(coalesce(x.score, 0), 0), x.points) > 0)
    end as ok,
    case
      when x.judge = 'yesno' then x.points
      else least(greatest(coalesce(x.score, case when x.met then x.points else 0 end), 0), x.points)
    end as raw
  from (
    select
      apps.id as app_id, apps.version_id, c.points, c.veto, c.judge,
      case when c.has_measures then an.figures_met else true end as figures,
      l.application_id is not null as reviewed,
      coalesce(l.not_applicable, false) as na,
      l.score, l.met
    from apps
    join criteria c on c.standard_version_id = apps.version_id
    left join answers an on an.application_id = apps.id and an.criterion_id = c.criterion_id
    left join latest l on l.application_id = apps.id and l.criterion_id = c.criterion_id
  ) x
),
totals as (
  select
    app_id, version_id,
    round(coalesce(sum(case when ok then raw else 0 end) filter (where not na), 0), 2) as total,
    round(coalesce(sum(points) filter (where not na), 0), 2) as max,
    coalesce(bool_or(veto and not na and (figures is false or ok is false)), false) as vetoed
  from judged
  group by app_id, version_id
),
percents as (
  select t.*,
    case when t.max > 0 then (t.total::float8 / t.max::float8) * 100 * 100 else 0 end as p100
  from totals t
),
rated as materialized (
  select
    p.app_id, p.total, p.vetoed,
    coalesce((
      select max(b.stars) from bands b
      where b.version_id = p.version_id
        -- JS: Math.round(x) / 100, Math.round rounding halves up
        and (case when p.p100 - floor(p.p100) >= 0.5 then ceil(p.p100) else floor(p.p100) end) / 100 >= b.min_percent
    ), 0) as stars_by_points,
    (select cd.min_stars from conditions cd where cd.version_id = p.version_id) as min_condition_stars
  from percents p
),
decided as materialized (
  select
    app_id, total,
    case when vetoed then 0 else stars_by_points end as stars,
    not vetoed and min_condition_stars is not null and stars_by_points >= min_condition_stars as needs_engine
  from rated
),
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

interface StatementRow {
  rated: number | string;
  updated: number | string;
  needs_engine: string;
}

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  // node-postgres and PGlite both answer { rows }
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
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

  const [res] = await rows<StatementRow>(db, campaignRatingStatement(campaignId));
  const rated = Number(res?.rated ?? 0);
  const updated = Number(res?.updated ?? 0);
  const needsEngine = parseIntArray(res?.needs_engine ?? '{}');
  const t1 = performance.now();

  let done = rated - needsEngine.length;
  onProgress?.(done, rated, needsEngine.length ? `已计算${done}份；${needsEngine.length}份需核对星级附加条件` : `已完成${rated}份申报的评级`);
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
