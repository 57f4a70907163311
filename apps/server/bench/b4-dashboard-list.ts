/**
 * B4 dashboard-list: the city 平安办's home page at 50,000 applications. 16 connections alternate
 * GET /api/dashboard (the staff home page's figures) and GET /api/applications?limit=20 (the
 * list's first page, default sort), as the city office, over HTTP.
 *
 * Limit: the same SQL the app runs for those two requests (LIMIT_SQL below: the session lookup,
 * the scope's organisation, then the dashboard's counts or the list's count and page), one
 * request's statements per pgbench transaction, 16 clients, half dashboard and half list
 * (PostgreSQL); on PGlite the same statements run directly on its one connection, alternating,
 * for the same time. ratio = app req/s ÷ limit tps. Goal ≥ 0.80, and p95 ≤ 50 ms on PostgreSQL.
 *
 * Before measuring, the app's actual statements for both requests are captured (drizzle's logger
 * on a second app instance) and compared with LIMIT_SQL: the detail says "limit SQL = app SQL"
 * or names the drift, so a change to the queries cannot silently leave the limit behind.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { login, meets, openScratch, parseArgs, pgbench, report, say, startServer, type Scratch } from './lib.js';
import { buildWorld, captureSql, drive, inline, ms, PASSWORD, pgliteClient, sameSql, type Statement, type World } from './world.js';

const ID = 'B4';
const NAME = 'dashboard-list';
const GOAL = '>=0.80';
const P95_GOAL_MS = 50;
const CONNECTIONS = 16;
const PAGE = 20; // the web app's list page size (apps/web/src/pages/applications/list)
const DASHBOARD_URL = '/api/dashboard';
const LIST_URL = `/api/applications?limit=${PAGE}&offset=0`;

/** What the statements' values are made of. */
interface Values {
  tokenHash: string;
  orgId: number;
  /** the scope: the region path with % */
  under: string;
  now: Date;
}

/**
 * ════════════════════════════ THE LIMIT SQL ════════════════════════════
 * What the app runs for one dashboard request and one list request, written out as drizzle sends
 * it (captured with drizzle's logger, 2026-12-01 11:06). When the app's queries change (keyset
 * pagination, new indexes…), update this constant: the run prints the app's statements when they
 * differ ("drift") and the figures say which were used.
 */
const LIMIT_SQL: Record<'auth' | 'dashboard' | 'list', { sql: string; params: (v: Values) => unknown[] }[]> = {
  // every request: the session with its account, then the scope's organisation (access/scope.ts)
  auth: [
    {
      sql: `select "users"."id", "users"."username", "users"."password_hash", "users"."display_name", "users"."role", "users"."org_id", "users"."subject_id", "users"."disabled", "users"."email", "users"."phone", "users"."failed_logins", "users"."locked_until", "users"."must_change_password", "users"."password_changed_at", "users"."totp_secret", "users"."totp_enabled", "users"."totp_last_step", "users"."created_at", "sessions"."last_seen_at" from "sessions" inner join "users" on "users"."id" = "sessions"."user_id" where ("sessions"."token_hash" = $1 and "sessions"."expires_at" > $2 and "sessions"."created_at" > $3 and "sessions"."last_seen_at" > $4)`,
      params: (v) => [
        v.tokenHash,
        v.now.toISOString(),
        new Date(v.now.getTime() - 12 * 3600_000).toISOString(),
        new Date(v.now.getTime() - 30 * 60_000).toISOString(),
      ],
    },
    {
      sql: `select "organisations"."id", "organisations"."region_id", "organisations"."name", "organisations"."kind", "organisations"."dept_code", "regions"."name", "regions"."path" from "organisations" inner join "regions" on "regions"."id" = "organisations"."region_id" where "organisations"."id" = $1`,
      params: (v) => [v.orgId],
    },
  ],
  // GET /api/dashboard (modules/dashboard/queries.ts: the status figures are summed from the category figures)
  dashboard: [
    {
      sql: `select "kind", count(*)::int from "subjects" where "subjects"."region_id" in (select "id" from "regions" where "regions"."path" like $1) group by "subjects"."kind"`,
      params: (v) => [v.under],
    },
    {
      sql: `select "stars", count(*)::int from "titles" where ("titles"."region_path" like $1 and "titles"."revoked_at" is null) group by "titles"."stars"`,
      params: (v) => [v.under],
    },
    {
      sql: `select "counts"."category_code", "categories"."name", "counts"."status", "n" from (select "category_code", "status", count(*)::int as "n" from "applications" where ("applications"."status" not in ($1) and "applications"."region_path" like $2) group by "applications"."category_code", "applications"."status") "counts" inner join "categories" on "categories"."code" = "counts"."category_code" order by "counts"."category_code", "counts"."status"`,
      params: (v) => ['draft', v.under],
    },
  ],
  // GET /api/applications?limit=20 (modules/applications/service.ts listApplications)
  list: [
    {
      sql: `select count(*)::int from "applications" where ("applications"."status" not in ($1) and "applications"."region_path" like $2)`,
      params: (v) => ['draft', v.under],
    },
    {
      sql: `select "applications"."id", "applications"."status", "applications"."category_code", "categories"."name", "applications"."campaign_id", "campaigns"."name", "campaigns"."year", "applications"."subject_id", "subjects"."name", "applications"."region_path", "applications"."score", "applications"."stars", "applications"."standard_version_id", "applications"."submitted_at", "applications"."updated_at", "regions"."name", to_char("applications"."updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') from "applications" inner join "subjects" on "subjects"."id" = "applications"."subject_id" inner join "regions" on "regions"."id" = "applications"."region_id" inner join "categories" on "categories"."code" = "applications"."category_code" inner join "campaigns" on "campaigns"."id" = "applications"."campaign_id" where ("applications"."status" not in ($1) and "applications"."region_path" like $2) order by "applications"."updated_at" desc, "applications"."id" desc limit $3`,
      params: (v) => ['draft', v.under, PAGE + 1],
    },
  ],
};

function statements(part: keyof typeof LIMIT_SQL, v: Values): Statement[] {
  return LIMIT_SQL[part].map((st) => ({ sql: st.sql, params: st.params(v) }));
}

/** The app's statements against LIMIT_SQL: '' when they are the same, else what differs. */
function drift(app: Statement[][]): string {
  const mine = [
    [...LIMIT_SQL.auth, ...LIMIT_SQL.dashboard],
    [...LIMIT_SQL.auth, ...LIMIT_SQL.list],
  ];
  const out: string[] = [];
  ['dashboard', 'list'].forEach((name, i) => {
    const a = app[i]!;
    const extra = a.filter((st) => !mine[i]!.some((m) => sameSql(m.sql, st.sql)));
    const missing = mine[i]!.filter((m) => !a.some((st) => sameSql(m.sql, st.sql)));
    if (a.length !== mine[i]!.length || extra.length || missing.length) {
      out.push(`${name}: app runs ${a.length} statements, limit has ${mine[i]!.length}`);
      for (const st of extra) say(`B4 drift, ${name}: the app runs ${st.sql} ${JSON.stringify(st.params)}`);
      for (const st of missing) say(`B4 drift, ${name}: the limit runs ${st.sql}`);
    }
  });
  return out.join('; ');
}

/** A pgbench script: each transaction is one request's statements, dashboard or list at random. */
function pgbenchScript(v: Values): string {
  const lines = (part: 'dashboard' | 'list') => [...statements('auth', v), ...statements(part, v)].map((st) => `${inline(st)};`).join('\n');
  return `\\set r random(0, 1)\n\\if :r = 0\n${lines('dashboard')}\n\\else\n${lines('list')}\n\\endif\n`;
}

/** The limit on PGlite: the same statements on its one connection, alternating, for `seconds`. */
async function pgliteLimit(s: Scratch, v: Values, seconds: number): Promise<number> {
  const client = pgliteClient(s);
  const parts = [
    [...statements('auth', v), ...statements('dashboard', v)],
    [...statements('auth', v), ...statements('list', v)],
  ];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (const st of parts[n % 2]!) await client.query(st.sql, st.params);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const { db: kind, quick } = parseArgs();
  const N = 50_000;
  const seconds = quick ? 15 : 60;
  const s = await openScratch(kind, 'b4');
  try {
    say(`B4 ${kind}: building the world, ${N} applications`);
    const world: World = await buildWorld(s, { applications: N });
    say(`B4 ${kind}: built in ${(world.buildMs / 1000).toFixed(1)} s`);

    const captured = await captureSql(s, world.office, [DASHBOARD_URL, LIST_URL]);
    const drifted = drift(captured);

    const { app, url } = await startServer(s);
    let load;
    let cookie: string;
    try {
      cookie = await login(url, world.office, PASSWORD);
      const warm = await drive(url, 3, [
        { name: 'warm', connections: 4, requests: [{ path: DASHBOARD_URL }, { path: LIST_URL }], headers: { cookie } },
      ]);
      if (warm.s2xx === 0) throw new Error(`warm-up: no 2xx answers (${JSON.stringify(warm.codes)})`);
      say(`B4 ${kind}: app, ${CONNECTIONS} connections alternating dashboard and list, ${seconds} s`);
      load = await drive(url, seconds, [
        { name: 'staff', connections: CONNECTIONS, requests: [{ path: DASHBOARD_URL }, { path: LIST_URL }], headers: { cookie } },
      ]);
    } finally {
      await app.close();
    }
    say(`B4 ${kind}: app ${load.s2xx} ok of ${load.requests}, ${(load.s2xx / seconds).toFixed(0)} req/s, p95 ${ms(load.p95)} ms`);

    const token = /pingan_sid=([^;]+)/.exec(cookie)?.[1];
    if (!token) throw new Error(`no session cookie in ${cookie}`);
    const [office] = (
      (await s.database.db.execute(sql`select org_id from users where username = ${world.office}`)) as unknown as {
        rows: { org_id: number }[];
      }
    ).rows;
    const values: Values = {
      tokenHash: createHash('sha256').update(token).digest('hex'),
      orgId: office!.org_id,
      under: `${world.regionPath}%`,
      now: new Date(),
    };
    say(
      `B4 ${kind}: limit, the same SQL ${kind === 'postgres' ? `via pgbench, ${CONNECTIONS} clients` : 'on the PGlite connection'}, ${seconds} s`,
    );
    const limit =
      kind === 'postgres'
        ? await pgbench(s.url!, pgbenchScript(values), { clients: CONNECTIONS, seconds })
        : await pgliteLimit(s, values, seconds);

    const appPerSecond = load.s2xx / seconds;
    const ratio = limit > 0 ? appPerSecond / limit : null;
    const failed = load.requests - load.s2xx + load.errors;
    const ok = meets(ratio, GOAL) && (kind === 'pglite' || load.p95 <= P95_GOAL_MS) && failed === 0;
    report({
      id: ID,
      name: NAME,
      db: kind,
      ratio,
      goal: GOAL,
      ok,
      detail:
        `app ${appPerSecond.toFixed(0)} req/s p95 ${ms(load.p95)} ms${kind === 'postgres' ? ` (goal <=${P95_GOAL_MS})` : ''} p99 ${ms(load.p99)} ms` +
        `, limit ${limit.toFixed(0)} ${kind === 'postgres' ? 'pgbench tps' : 'PGlite req/s'}` +
        `, ${N} applications, ${CONNECTIONS} connections, ${seconds} s` +
        (failed ? `, ${failed} failed (${JSON.stringify(load.codes)}, ${load.errors} socket errors)` : '') +
        `, ${drifted ? `limit SQL DRIFT: ${drifted}` : `limit SQL = app SQL (auth ${LIMIT_SQL.auth.length} + dashboard ${LIMIT_SQL.dashboard.length} / list ${LIMIT_SQL.list.length} statements)`}`,
      figures: { appPerSecond, limitPerSecond: limit, p95: load.p95 },
    });
  } finally {
    await s.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
