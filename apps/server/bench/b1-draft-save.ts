/**
 * B1 draft-save: 16 connections each saving an applicant's 40-criterion self-assessment draft
 * (PUT /api/applications/:id/draft, the body the web app's 申报表 page sends: the form and 40
 * answers) as that applicant, over HTTP.
 *
 * Each save must carry the application's current revision (saveDraft refuses a stale one with
 * CONFLICT), so the load keeps a pool of draft applications, twice as many as connections, each
 * with its applicant's session and its revision: a request takes one from the pool and the answer
 * puts it back with the revision it returned. A connection so always saves an application no
 * other request holds, with the right revision. Only 2xx answers count; others are reported.
 *
 * Limit: the same rows' writes in one transaction (UPDATE the application row: form, phone,
 * revision, updated_at; upsert the 40 answers in one INSERT … ON CONFLICT), with pgbench, 16
 * clients each on its own application of the pool (PostgreSQL), or on the PGlite instance's one
 * connection in a loop (PGlite), for the same time. ratio = app saves/s ÷ limit tps; goal ≥ 0.40.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type autocannon from 'autocannon';
import { load, login, meets, openScratch, parseArgs, pgbench, report, say, startServer, type Scratch } from './lib.js';
import { applicantsWith, buildWorld, draftBody, literal, pgliteClient, PASSWORD, type Applicant, type World } from './world.js';

const ID = 'B1';
const NAME = 'draft-save';
const GOAL = '>=0.40';
const CONNECTIONS = 16;

interface Slot extends Applicant {
  cookie: string;
}

/** One save's writes, for the limit: the application row, then the 40 answers in one upsert. */
function limitTransaction(world: World, applicationId: string): string {
  const body = draftBody(world.standard, 1, 1);
  const form = { content: body.form.content, plan: body.form.plan, contactName: body.form.contactName };
  // the phone is stored encrypted: a value of the ciphertext's length stands in for it
  const phone = 'v1.' + 'x'.repeat(60);
  const answers = body.answers
    .map((a) => `(${applicationId}, ${literal(a.criterionId)}, ${literal(a.statement)}, ${literal(a.figures)}::jsonb, true)`)
    .join(',\n  ');
  return [
    'begin;',
    `update applications set form = ${literal(form)}::jsonb, contact_phone = ${literal(phone)}, revision = revision + 1, updated_at = now() where id = ${applicationId} returning revision;`,
    `insert into answers (application_id, criterion_id, statement, figures, figures_met) values\n  ${answers}\n` +
      'on conflict (application_id, criterion_id) do update set statement = excluded.statement, figures = excluded.figures, figures_met = excluded.figures_met;',
    'commit;',
  ].join('\n');
}

/** pgbench: client k writes the pool's k-th application (as the app's k-th connection does, roughly). */
function pgbenchScript(world: World, ids: number[]): string {
  const pick = `\\set aid case ${ids.map((id, k) => `when :client_id = ${k} then ${id}`).join(' ')} else ${ids[0]} end`;
  return `${pick}\n${limitTransaction(world, ':aid')}\n`;
}

/** PGlite: the same transaction on its one connection, round the pool's applications, for `seconds`. */
async function pgliteLimit(s: Scratch, world: World, ids: number[], seconds: number): Promise<number> {
  const client = pgliteClient(s);
  const scripts = ids.map((id) => limitTransaction(world, String(id)));
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let n = 0;
  while (performance.now() < end) await client.exec(scripts[n++ % scripts.length]!);
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const { db: kind, quick } = parseArgs();
  // a save's cost does not grow with the number of applications (every read is by key): quick builds fewer
  const N = quick ? 10_000 : 50_000;
  const seconds = quick ? 15 : 60;
  const s = await openScratch(kind, 'b1');
  try {
    say(`B1 ${kind}: building the world, ${N} applications`);
    const world = await buildWorld(s, { applications: N });
    say(`B1 ${kind}: built in ${(world.buildMs / 1000).toFixed(1)} s`);

    const { app, url } = await startServer(s);
    let result;
    let conflicts = 0;
    const pool: Slot[] = [];
    const drafts = await applicantsWith(s, 'draft', CONNECTIONS * 2);
    try {
      for (const a of drafts) pool.push({ ...a, cookie: await login(url, a.username, PASSWORD) });
      say(`B1 ${kind}: ${pool.length} applicants logged in`);
      // the body once; each request puts its revision in front (the revision is the body's first key)
      const rest = JSON.stringify(draftBody(world.standard, 1, 1)).slice('{"revision":1'.length);
      const backFromDb = async (slot: Slot) => {
        const r = await s.database.db.execute(sql`select revision from applications where id = ${slot.applicationId}`);
        slot.revision = (r as unknown as { rows: { revision: number }[] }).rows[0]!.revision;
        pool.push(slot);
      };
      const save: autocannon.Request = {
        method: 'PUT',
        setupRequest: (req, context) => {
          const slot = pool.shift();
          if (!slot) throw new Error('B1: the pool of applications ran dry');
          (context as { slot?: Slot }).slot = slot;
          return {
            ...req,
            path: `/api/applications/${slot.applicationId}/draft`,
            headers: { ...req.headers, cookie: slot.cookie, 'content-type': 'application/json' },
            body: `{"revision":${slot.revision}${rest}`,
          };
        },
        onResponse: (status, body, context) => {
          const slot = (context as { slot: Slot }).slot;
          if (status === 200) {
            slot.revision = (JSON.parse(body) as { revision: number }).revision;
            pool.push(slot);
          } else {
            // a refused save (409 when the revision was stale): read the revision again, then back in the pool
            conflicts++;
            void backFromDb(slot);
          }
        },
      };
      // warm: a few saves to fill caches (standard versions, prepared plans)
      await load({ url, connections: 4, seconds: 2, requests: [save] });
      say(`B1 ${kind}: app, ${CONNECTIONS} connections saving drafts, ${seconds} s`);
      result = await load({ url, connections: CONNECTIONS, seconds, requests: [save] });
    } finally {
      await app.close();
    }
    const saved = result.requests - result.non2xx;
    const appPerSecond = saved / seconds;
    say(`B1 ${kind}: app ${saved} saves (${appPerSecond.toFixed(0)}/s), ${result.non2xx} non-2xx, ${result.errors} errors`);

    const ids = drafts.slice(0, CONNECTIONS).map((d) => d.applicationId);
    say(
      `B1 ${kind}: limit, the same writes ${kind === 'postgres' ? `via pgbench, ${CONNECTIONS} clients` : 'on the PGlite connection'}, ${seconds} s`,
    );
    const limit =
      kind === 'postgres'
        ? await pgbench(s.url!, pgbenchScript(world, ids), { clients: CONNECTIONS, seconds })
        : await pgliteLimit(s, world, ids, seconds);

    const ratio = limit > 0 ? appPerSecond / limit : null;
    report({
      id: ID,
      name: NAME,
      db: kind,
      ratio,
      goal: GOAL,
      ok: meets(ratio, GOAL),
      detail:
        `app ${appPerSecond.toFixed(0)} saves/s p50 ${result.p50} ms p97.5 ${result.p95} ms, limit ${limit.toFixed(0)} ${kind === 'postgres' ? 'pgbench tps' : 'PGlite tps'}` +
        `, ${CONNECTIONS} connections, ${seconds} s, ${N} applications` +
        (result.non2xx || result.errors ? `, ${result.non2xx} non-2xx (${conflicts} refused), ${result.errors} socket errors` : ''),
      figures: { appPerSecond, limitPerSecond: limit },
    });
  } finally {
    await s.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
