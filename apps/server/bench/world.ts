/**
 * A city-sized world for the benchmarks (B1, B4, B10), built set-based on a scratch database:
 *
 *   基准市 (city) → 10 counties → 10 towns each; the city 平安办 with its account, a 平安办 with an
 *   account in every county, a lead department (公安) with an account; N units (subjects), each
 *   with an applicant account; one campaign (lead-office chain) on a 40-criterion standard; one
 *   application per unit spread over the statuses, with its self-assessment answers; a title with
 *   its certificate number for every conferred application (the public verifies those).
 *
 * Everything bulk is INSERT … SELECT generate_series in one transaction with foreign-key
 * triggers off (session_replication_role = replica, as pg_restore does: the rows are generated
 * consistent). Every account shares one real argon2 hash of PASSWORD, computed once.
 *
 * Also here: the draft body the web app sends (draftBody), the raw client of a PGlite scratch
 * database (pgliteClient), and drive(): autocannon with exact percentiles and answers by status class.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { PRESET_LEAD_OFFICE, parseStandard, type StandardDoc, type StandardInput } from '@pingan/core';
import type { Db, Tx } from '../src/db/client.js';
import * as schema from '../src/db/schema.js';
import { buildApp } from '../src/app.js';
import { campaignCategories, campaigns, organisations, regions, users } from '../src/db/schema.js';
import { importStandard } from '../src/modules/standards/files.js';
import { hashPassword } from '../src/modules/auth/service.js';
import { percentile, type Scratch } from './lib.js';

export const PASSWORD = 'Bench@2026pa';
export const CATEGORY = 'bench_unit';
const COUNTIES = 10;
const TOWNS_PER_COUNTY = 10;
const K = 40;

/**
 * The share of applications per status, in thousandths (cumulative order below). A deadline day:
 * most are still drafts; drafts carry 20 of the 40 answers, every other status all 40.
 */
export const STATUS_MIX: [status: string, permille: number][] = [
  ['draft', 600],
  ['submitted', 200],
  ['preliminary_passed', 60],
  ['evaluated', 40],
  ['in_notice', 10],
  ['conferred', 40],
  ['returned', 25],
  ['rejected', 25],
];

/** Criterion shape by position: a threshold (a share in %) on every 8th from 2, a frequency on every 8th from 6. */
const measureOf = (i: number): 'threshold' | 'frequency' | null => (i % 8 === 2 ? 'threshold' : i % 8 === 6 ? 'frequency' : null);

function benchStandard(): StandardInput {
  const criteria = Array.from({ length: K }, (_, i) => {
    const m = measureOf(i);
    return {
      id: String(i + 1),
      text: `第${i + 1}项平安创建要求（基准测试）`,
      lead: ['police'],
      judge: i % 5 === 1 ? 'yesno' : 'score',
      points: [2, 2.5, 3, 4][i % 4]!,
      measures:
        m === 'threshold'
          ? [{ id: 'rate', label: '群众知晓率', kind: 'threshold', comparator: '>=', value: 90, unit: '%' }]
          : m === 'frequency'
            ? [{ id: 'checks', label: '安全隐患排查', kind: 'frequency', min: 2, per: 'month' }]
            : [],
    };
  });
  const groups = [];
  for (let g = 0; g * 10 < K; g++) groups.push({ id: `G${g + 1}`, name: `第${g + 1}组`, criteria: criteria.slice(g * 10, g * 10 + 10) });
  return {
    format: 'pingan-standard/v1',
    code: 'bench-unit',
    title: '平安单位创建标准（基准测试）',
    issuer: '基准市平安办',
    year: 2026,
    category: { code: CATEGORY, name: '平安单位（基准）', subjectKinds: ['unit'] },
    groups,
  } as StandardInput;
}

export interface World {
  regionId: number;
  regionPath: string;
  campaignId: number;
  versionId: number;
  standard: StandardDoc;
  /** the city 平安办's account */
  office: string;
  /** one 平安办 account a county */
  countyOffices: string[];
  applications: number;
  /** certificate numbers of the conferred titles (the public checks these) */
  certificateNos: string[];
  buildMs: number;
}

/** One applicant and its application. */
export interface Applicant {
  username: string;
  applicationId: number;
  revision: number;
}

/** The applicant's account name for a subject id. */
const applicantName = (subjectId: number) => `unit${subjectId}`;

async function rows<T>(db: Db | Tx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** A deterministic pseudo-random number 0..999 from an integer expression and a salt. */
const h = (expr: SQL, salt: number) => sql`mod(abs(hashint8((${expr})::bigint * 16 + ${sql.raw(String(salt))})::bigint), 1000)`;

/** Builds the world on a fresh scratch database; `applications` units, one application each. */
export async function buildWorld(s: Scratch, opts: { applications: number }): Promise<World> {
  const t0 = performance.now();
  const db = s.database.db;
  const N = opts.applications;
  const passwordHash = await hashPassword(PASSWORD);

  const [city] = await db.insert(regions).values({ name: '基准市', level: 'city' }).returning();
  const regionPath = `/${city!.id}/`;
  await db.update(regions).set({ path: regionPath }).where(eq(regions.id, city!.id));
  const [office] = await db
    .insert(organisations)
    .values({ regionId: city!.id, name: '基准市平安办', kind: 'safety_office', deptCode: 'safety_office' })
    .returning();
  const [police] = await db
    .insert(organisations)
    .values({ regionId: city!.id, name: '基准市公安局', kind: 'department', deptCode: 'police' })
    .returning();
  await db.insert(users).values([
    { username: 'city_office', passwordHash, displayName: '基准市平安办', role: 'safety_office', orgId: office!.id },
    { username: 'city_police', passwordHash, displayName: '基准市公安局', role: 'lead_department', orgId: police!.id },
  ]);

  const parsed = parseStandard(benchStandard());
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const version = await importStandard(db, parsed.standard, null, 'bench');
  const [camp] = await db
    .insert(campaigns)
    .values({
      regionId: city!.id,
      orgId: office!.id,
      year: 2026,
      name: '2026年度基准市平安单位创建',
      applyDeadline: '2099-12-31',
      reviewDeadline: '2099-12-31',
      chain: PRESET_LEAD_OFFICE,
    })
    .returning();
  const campaignId = camp!.id;
  await db.insert(campaignCategories).values({ campaignId, categoryCode: CATEGORY, standardVersionId: version.id });

  // cumulative status bands over the 0..999 hash
  let acc = 0;
  const band = STATUS_MIX.map(([status, p]) => {
    acc += p;
    return sql`when ${h(sql`s.id`, 1)} < ${sql.raw(String(acc))} then ${status}`;
  });

  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`insert into regions (parent_id, name, level)
      select ${city!.id}, '基准县' || g, 'county' from generate_series(1, ${COUNTIES}) g`);
    await tx.execute(sql`update regions set path = ${regionPath} || id || '/' where parent_id = ${city!.id}`);
    await tx.execute(sql`insert into regions (parent_id, name, level)
      select c.id, c.name || '第' || g || '镇', 'town'
      from regions c cross join generate_series(1, ${TOWNS_PER_COUNTY}) g where c.parent_id = ${city!.id} order by c.id, g`);
    await tx.execute(
      sql`update regions t set path = c.path || t.id || '/' from regions c where t.parent_id = c.id and c.parent_id = ${city!.id}`,
    );
    // a 平安办 with an account in every county
    await tx.execute(sql`insert into organisations (region_id, name, kind, dept_code)
      select id, name || '平安办', 'safety_office', 'safety_office' from regions where parent_id = ${city!.id} order by id`);
    await tx.execute(sql`insert into users (username, password_hash, display_name, role, org_id)
      select 'county_office' || r.id, ${passwordHash}, o.name, 'safety_office', o.id
      from organisations o join regions r on r.id = o.region_id where r.parent_id = ${city!.id}`);
    // units spread evenly over the towns, one applicant account each
    await tx.execute(sql`insert into subjects (kind, name, region_id, unit_type, supervising_dept, staff, address)
      select 'unit', '基准单位' || g, t.id, 'enterprise', 'police', 20 + g % 300, '基准路' || g || '号'
      from generate_series(1, ${N}) g
      join (select id, row_number() over (order by id) - 1 as k from regions where level = 'town' and path like ${`${regionPath}%`}) t
        on t.k = g % ${COUNTIES * TOWNS_PER_COUNTY}
      order by g`);
    await tx.execute(sql`insert into users (username, password_hash, display_name, role, subject_id)
      select 'unit' || s.id, ${passwordHash}, s.name, 'applicant', s.id from subjects s order by s.id`);
    await tx.execute(sql`insert into applications (campaign_id, category_code, standard_version_id, subject_id, region_id, region_path,
        supervising_dept, status, step, form, submissions, revision, submitted_at, created_by, created_at, updated_at)
      select ${campaignId}, ${CATEGORY}, ${version.id}, s.id, s.region_id, r.path, s.supervising_dept, x.status,
        case x.status when 'submitted' then 'lead_review' when 'preliminary_passed' then 'evaluation' end,
        jsonb_build_object('content', s.name || '平安单位创建申报', 'plan', '年度平安创建活动计划', 'contactName', '联系人' || s.id),
        case when x.status = 'draft' then 0 else 1 end,
        1 + s.id % 7,
        case when x.status <> 'draft' then timestamptz '2026-05-01 08:00:00+08' + s.id * interval '37 seconds' end,
        u.id,
        timestamptz '2026-03-01 08:00:00+08' + s.id * interval '11 seconds',
        timestamptz '2026-04-01 08:00:00+08' + ${h(sql`s.id`, 2)} * interval '1 hour' + s.id * interval '1 second'
      from subjects s
      join regions r on r.id = s.region_id
      join users u on u.subject_id = s.id
      cross join lateral (select case ${sql.join(band, sql` `)} else 'draft' end as status) x
      order by s.id`);
    // the self-assessment: drafts have answered half of it, every other application all of it
    await tx.execute(sql`insert into answers (application_id, criterion_id, statement, figures, figures_met)
      select a.id, c.criterion_id, '已按要求落实，详见佐证材料。',
        case when not c.has_measures then '{}'::jsonb
             when c.position % 8 = 2 then '{"rate":{"value":95}}'::jsonb
             else '{"checks":{"value":3}}'::jsonb end,
        true
      from applications a join criteria c on c.standard_version_id = a.standard_version_id
      where a.campaign_id = ${campaignId} and (a.status <> 'draft' or c.position < ${K / 2})`);
    // a title for every conferred application; certificate numbers in the real format (hex is Crockford base32)
    await tx.execute(sql`insert into titles (application_id, subject_id, region_path, category_code, title_name, year, stars, level,
        issuer, certificate_no, conferred_on, status, status_since, valid_until)
      select a.id, a.subject_id, a.region_path, a.category_code, '平安单位', 2026, 3, 'standard', '基准市平安办',
        'PA2026-' || substr(m, 1, 5) || '-' || substr(m, 6, 5) || '-' || substr(m, 11, 5) || '-' || substr(m, 16, 5),
        date '2026-06-30', 'valid', date '2026-06-30', date '2029-12-31'
      from applications a cross join lateral (select upper(md5('bench-title-' || a.id)) as m) x
      where a.campaign_id = ${campaignId} and a.status = 'conferred' order by a.id`);
    await tx.execute(sql`insert into title_events (title_id, kind, to_status, to_stars, "on")
      select id, 'conferred', 'valid', stars, conferred_on from titles`);
  });
  await db.execute(sql`analyze`);

  const countyOffices = (
    await rows<{ username: string }>(db, sql`select username from users where username like 'county_office%' order by id`)
  ).map((r) => r.username);
  const certificateNos = (await rows<{ no: string }>(db, sql`select certificate_no as no from titles order by id`)).map((r) => r.no);
  return {
    regionId: city!.id,
    regionPath,
    campaignId,
    versionId: version.id,
    standard: parsed.standard,
    office: 'city_office',
    countyOffices,
    applications: N,
    certificateNos,
    buildMs: performance.now() - t0,
  };
}

/** Applicants whose application has the given status, in id order (up to `limit`). */
export async function applicantsWith(s: Scratch, status: string, limit: number): Promise<Applicant[]> {
  const found = await rows<{ subject_id: number; id: number; revision: number }>(
    s.database.db,
    sql`select subject_id, id, revision from applications where status = ${status} order by id limit ${limit}`,
  );
  return found.map((r) => ({ username: applicantName(r.subject_id), applicationId: r.id, revision: r.revision }));
}

/**
 * The body the web app's 申报表 page sends on save (PUT /api/applications/:id/draft): the form
 * and all 40 answers, figures where a criterion has measures. `n` varies the text.
 */
export function draftBody(standard: StandardDoc, revision: number, n: number) {
  const criteria = standard.groups.flatMap((g) => g.criteria);
  return {
    revision,
    form: {
      content: `本单位深入开展平安创建活动，落实各项创建要求（第${n}次保存）。`,
      plan: '一、加强组织领导；二、开展隐患排查；三、强化宣传教育；四、健全长效机制。',
      contactName: '张三',
      contactPhone: '13800138000',
    },
    answers: criteria.map((c) => ({
      criterionId: c.id,
      statement: `第${c.id}项：已按要求落实，建立台账，定期检查（${n}）。`,
      figures: Object.fromEntries(c.measures.map((m) => [m.id, { value: m.kind === 'threshold' ? 96 : 4 }])),
    })),
  };
}

/** The PGlite instance behind a PGlite scratch database (the limit's statements run on it directly). */
export function pgliteClient(s: Scratch): PGlite {
  if (s.kind !== 'pglite') throw new Error('not a PGlite database');
  return (s.database.db as unknown as { $client: PGlite }).$client;
}

/** One kind of traffic for drive(): its own connections, requests (cycled per connection) and optional rate. */
export interface Traffic {
  name: string;
  connections: number;
  requests: autocannon.Request[];
  /** requests per second over all its connections (autocannon overallRate); none = as fast as answered */
  rate?: number;
  headers?: Record<string, string>;
}

export interface Drive {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** answers by class */
  s2xx: number;
  s4xx: number;
  s5xx: number;
  /** socket errors and timeouts */
  errors: number;
  /** status code counts */
  codes: Record<string, number>;
  /** the same per traffic name */
  by: Record<string, Omit<Drive, 'by'>>;
}

/**
 * Runs every traffic at once for `seconds` (one autocannon instance each, in this process) and
 * records every answer's latency, so p95 is exact (autocannon's own summary has no p95).
 */
export async function drive(url: string, seconds: number, traffic: Traffic[]): Promise<Drive> {
  type Acc = { lat: number[]; codes: Record<string, number>; errors: number };
  const accs = new Map<string, Acc>(traffic.map((t) => [t.name, { lat: [], codes: {}, errors: 0 }]));
  const runs = traffic.map((t) => {
    const acc = accs.get(t.name)!;
    const inst = autocannon(
      {
        url,
        connections: t.connections,
        duration: seconds,
        requests: t.requests,
        headers: t.headers,
        ...(t.rate ? { overallRate: t.rate } : {}),
        timeout: 30,
      },
      () => {},
    );
    inst.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      acc.lat.push(responseTime);
      acc.codes[statusCode] = (acc.codes[statusCode] ?? 0) + 1;
    });
    inst.on('reqError', () => acc.errors++);
    return new Promise<autocannon.Result>((resolve) => inst.on('done', resolve));
  });
  await Promise.all(runs);
  // autocannon emits reqError for socket errors and for timeouts alike
  const summarise = (accList: Acc[]): Omit<Drive, 'by'> => {
    const lat = accList.flatMap((a) => a.lat);
    const codes: Record<string, number> = {};
    for (const a of accList) for (const [k, v] of Object.entries(a.codes)) codes[k] = (codes[k] ?? 0) + v;
    const cls = (c: number) => Object.entries(codes).reduce((n, [k, v]) => n + (Math.floor(Number(k) / 100) === c ? v : 0), 0);
    return {
      requests: lat.length,
      rps: lat.length / seconds,
      p50: percentile(lat, 50),
      p95: percentile(lat, 95),
      p99: percentile(lat, 99),
      s2xx: cls(2),
      s4xx: cls(4),
      s5xx: cls(5),
      errors: accList.reduce((n, a) => n + a.errors, 0),
      codes,
    };
  };
  const by: Drive['by'] = {};
  for (const t of traffic) by[t.name] = summarise([accs.get(t.name)!]);
  return { ...summarise([...accs.values()]), by };
}

/** "12.3" for a latency in ms. */
export const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : 'n/a');

/** One statement the app ran: its text as drizzle sends it ($1, $2 … for the values) and the values. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The SQL the app runs for some requests, as it runs it: a second instance of the app over the
 * same database with drizzle's logger on, the requests sent with app.inject as `username`.
 * Returns the statements of each request in order (the login's are left out).
 */
export async function captureSql(s: Scratch, username: string, urls: string[]): Promise<Statement[][]> {
  let log: Statement[] | null = null;
  const logger = { logQuery: (q: string, params: unknown[]) => log?.push({ sql: q, params }) };
  const pool = s.kind === 'postgres' ? new pg.Pool({ connectionString: s.url, max: 4 }) : null;
  const db = (pool ? drizzlePg(pool, { schema, logger }) : drizzlePglite(pgliteClient(s), { schema, logger })) as unknown as Db;
  const app = await buildApp(s.config, { db, kind: s.kind, close: async () => {} });
  try {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const out: Statement[][] = [];
    for (const url of urls) {
      await app.inject({ method: 'GET', url, headers: { cookie } }); // warm: caches filled, session touched
      log = [];
      const r = await app.inject({ method: 'GET', url, headers: { cookie } });
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      out.push(log);
      log = null;
    }
    return out;
  } finally {
    await app.close();
    await pool?.end();
  }
}

/** The same statement text, whitespace aside. */
export const sameSql = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** A value written as an SQL literal (for pgbench scripts, which take no parameters). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v);
  return `'${text.replace(/'/g, "''")}'`;
}

/** A statement with its $n placeholders replaced by literals. */
export const inline = (st: Statement) => st.sql.replace(/\$(\d+)/g, (_, n: string) => literal(st.params[Number(n) - 1]));
