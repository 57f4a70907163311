/**
 * B5 anonymous-answer (goal >=0.50): the public answering a survey over HTTP against a one-row
 * INSERT of the same answer. ratio = the app's answers per second ÷ the limit's inserts per second.
 *
 *   npx tsx apps/server/bench/b5-anonymous-answer.ts --db pglite|postgres [--quick]
 *
 * The world is the demo (云州市) and a 两率一度 survey of its office over the four towns, answered by
 * invitation code (created, targeted and opened through the survey services; the codes are ours,
 * stored as the app stores them: keyed hashes, one town each). Then:
 *   app:   autocannon, 16 connections for SECONDS, POST /api/public/surveys/:code/responses, each
 *          request with a code of its own and a client address of its own (X-Forwarded-For, the
 *          server trusting the local proxy, as behind nginx: the per-address burst limit is for
 *          real people). Each answer goes through the contract, the survey's open check, the answer
 *          checks, and a transaction that locks the survey FOR SHARE, uses the code once and
 *          inserts the response. Every 2xx is checked to be stored.
 *   limit: the same row (survey, town, channel, answers; a unique respondent hash in place of the
 *          invitation) inserted alone: pgbench with 16 clients for SECONDS on PostgreSQL; on PGlite,
 *          which runs one statement at a time in this process, a loop of one-row INSERTs.
 * Replaces the former scripts/bench-survey.ts (phone + SMS code, app.inject, no limit).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { addDays } from '@pingan/core';
import type autocannon from 'autocannon';
import { today } from '../src/clock.js';
import { loadKeys } from '../src/crypto/keys.js';
import { surveyInvitations } from '../src/db/schema.js';
import { createSurvey, openSurvey, proposeTargets, saveTargets } from '../src/modules/surveys/service.js';
import { invitationHash } from '../src/modules/surveys/public.js';
import { load, pgbench, say, startServer } from './lib.js';
import { asUser, pgliteOf, rowsOf, runBench, seedWorld } from './batch-world.js';

const CONNECTIONS = 16;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** invitation code number i: Crockford base32, 12 characters */
const codeOf = (i: number) => {
  let s = '';
  for (let n = i; s.length < 10; n = Math.floor(n / 32)) s = CROCKFORD[n % 32] + s;
  return `BZ${s}`;
};
const answersOf = (i: number) => ({
  q1: i % 10 !== 0,
  q2: i % 3 === 0,
  q3: ['满意', '基本满意', '不满意'][i % 3]!,
  ...(i % 7 === 0 ? { q4: '加强巡逻' } : {}),
});
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

await runBench({ id: 'B5', name: 'anonymous-answer', goal: '>=0.50' }, async (s, args) => {
  const SECONDS = args.quick ? 5 : 15;
  const db = s.database.db;
  await seedWorld(s);
  // behind a local proxy: the client address comes from X-Forwarded-For
  s.config = { ...s.config, TRUST_PROXY: ['127.0.0.1'] };
  const keys = loadKeys(s.config);

  const office = await asUser(db, 'city_office');
  const survey = await createSurvey(db, office, {
    template: 'two_rates_one_degree',
    year: Number(today().slice(0, 4)),
    identity: 'invitation',
    opensOn: addDays(today(), -1),
    closesOn: addDays(today(), 30),
  });
  const plan = await proposeTargets(db, office, survey.id, { total: 200, min: 30, basis: 'population', level: 'town' });
  await saveTargets(db, office, survey.id, {
    targets: plan.items.map((t) => ({ regionId: t.regionId, target: t.target, basis: 'manual' })),
  });
  await openSurvey(db, office, survey.id);
  const [{ publicCode }] = (await rowsOf<{ publicCode: string }>(
    db,
    sql`select public_code as "publicCode" from surveys where id = ${survey.id}`,
  )) as [{ publicCode: string }];
  const towns = plan.items.map((t) => t.regionId);

  // more codes than the app can use in SECONDS
  const codes = SECONDS * 2500;
  const t0 = performance.now();
  for (let i = 0; i < codes; i += 1000) {
    const n = Math.min(1000, codes - i);
    await db.insert(surveyInvitations).values(
      Array.from({ length: n }, (_, k) => ({
        surveyId: survey.id,
        regionId: towns[(i + k) % towns.length]!,
        codeHash: invitationHash(keys, survey.id, codeOf(i + k)),
      })),
    );
  }
  await db.execute(sql`analyze survey_invitations`);
  say(
    `survey ${publicCode} open over ${towns.length} towns, ${codes} invitation codes in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // app
  const { app, url } = await startServer(s);
  let appPerSecond: number;
  let appDetail: string;
  try {
    let next = 0;
    const request: autocannon.Request = {
      method: 'POST',
      path: `/api/public/surveys/${publicCode}/responses`,
      setupRequest: (req) => {
        const i = next++;
        return {
          ...req,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ipOf(i) },
          body: JSON.stringify({ invitation: codeOf(i), answers: answersOf(i) }),
        };
      },
    };
    say(`app: ${CONNECTIONS} connections for ${SECONDS} s`);
    const r = await load({ url, connections: CONNECTIONS, seconds: SECONDS, requests: [request] });
    const [{ n }] = (await rowsOf<{ n: number }>(
      db,
      sql`select count(*)::int as n from survey_responses where survey_id = ${survey.id}`,
    )) as [{ n: number }];
    if (r.non2xx || r.errors)
      throw new Error(`app: ${r.non2xx} non-2xx answers and ${r.errors} errors of ${r.requests} (${next} codes used)`);
    // answers still in flight when the time is up are stored but not counted: at most one per connection
    if (Number(n) < r.requests || Number(n) > r.requests + CONNECTIONS) throw new Error(`app: ${r.requests} answers accepted, ${n} stored`);
    appPerSecond = r.rps;
    appDetail = `app ${r.rps.toFixed(0)} answers/s (p50 ${r.p50} ms, p97.5 ${r.p95} ms)`;
    say(appDetail);
  } finally {
    await app.close();
  }

  // limit: the same row alone
  const answers = JSON.stringify(answersOf(1));
  let limitPerSecond: number;
  let limitName: string;
  if (s.kind === 'postgres') {
    const script = `insert into survey_responses (survey_id, region_id, respondent_hash, channel, answers)
  values (${survey.id}, ${towns[0]}, md5(random()::text || clock_timestamp()::text), 'web', '${answers}'::jsonb);\n`;
    say(`limit: pgbench, ${CONNECTIONS} clients for ${SECONDS} s`);
    limitPerSecond = await pgbench(s.url!, script, { clients: CONNECTIONS, seconds: SECONDS });
    limitName = 'pgbench';
  } else {
    const client = pgliteOf(s);
    const text = `insert into survey_responses (survey_id, region_id, respondent_hash, channel, answers) values ($1, $2, $3, 'web', $4::jsonb)`;
    say(`limit: one-row INSERTs in a loop for ${SECONDS} s`);
    const t1 = performance.now();
    let done = 0;
    while (performance.now() - t1 < SECONDS * 1000) {
      await client.query(text, [survey.id, towns[0], `limit-${done}`, answers]);
      done++;
    }
    limitPerSecond = (done * 1000) / (performance.now() - t1);
    limitName = 'insert loop';
  }
  say(`limit: ${limitPerSecond.toFixed(0)} inserts/s`);

  return {
    ratio: appPerSecond / limitPerSecond,
    detail: `${appDetail}, ${limitName} ${limitPerSecond.toFixed(0)}/s, ${CONNECTIONS} connections, ${SECONDS} s each`,
    figures: { appPerSecond, limitPerSecond },
  };
});
