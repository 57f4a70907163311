/**
 * B8 evidence-upload (goal >=0.50): 8 parallel 1 MB evidence uploads through the app against 8
 * parallel "write the same bytes to a new file, fsync, and hash them (sha256)" done directly with
 * node:fs and node:crypto. ratio = the app's uploads per second ÷ the limit's writes per second.
 *
 *   npx tsx apps/server/bench/b8-evidence-upload.ts --db pglite|postgres [--quick]
 *
 * The world is the demo (云州市); the uploads go to a draft application of the demo, as its
 * applicant. Then:
 *   app:   autocannon, 8 connections for SECONDS, POST /api/applications/:id/files with a 1 MB PDF
 *          (multipart/form-data): the session, the multipart parser, the type check, the scope and
 *          status checks, the file written to local disk (write to a temporary name, fsync, rename,
 *          sha256: storage/storage.ts) and its row inserted. Every 2xx is checked to be stored.
 *   limit: 8 workers for SECONDS, each writing the same 1 MB to a new file of its own with fsync and
 *          taking its sha256, on the same disk (the scratch folder).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { load, login, say, startServer } from './lib.js';
import { repeatFor, rowsOf, runBench, scratchFolder, seedWorld } from './batch-world.js';

const PARALLEL = 8;
const SIZE = 1024 * 1024;

await runBench({ id: 'B8', name: 'evidence-upload', goal: '>=0.50' }, async (s, args) => {
  const SECONDS = args.quick ? 5 : 15;
  const db = s.database.db;
  await seedWorld(s);
  const [target] = await rowsOf<{ id: number; username: string }>(
    db,
    sql`select a.id, u.username from applications a join users u on u.subject_id = a.subject_id and u.role = 'applicant'
        where a.status = 'draft' order by a.id limit 1`,
  );
  if (!target) throw new Error('no draft application in the demo world');

  // a 1 MB "PDF": the magic bytes the type check wants, then noise
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(SIZE - 9)]);
  const boundary = `----bench${randomUUID().replace(/-/g, '')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="evidence.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);

  // app
  const { app, url } = await startServer(s);
  let appPerSecond: number;
  let appDetail: string;
  try {
    const cookie = await login(url, target.username, DEMO_PASSWORD);
    const [{ before }] = (await rowsOf<{ before: number }>(
      db,
      sql`select count(*)::int as before from evidence_files where application_id = ${target.id}`,
    )) as [{ before: number }];
    say(`app: ${PARALLEL} connections uploading 1 MB to application ${target.id} as ${target.username} for ${SECONDS} s`);
    const r = await load({
      url,
      connections: PARALLEL,
      seconds: SECONDS,
      requests: [
        {
          method: 'POST',
          path: `/api/applications/${target.id}/files`,
          headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body,
        },
      ],
    });
    const [{ after }] = (await rowsOf<{ after: number }>(
      db,
      sql`select count(*)::int as after from evidence_files where application_id = ${target.id}`,
    )) as [{ after: number }];
    if (r.non2xx || r.errors) throw new Error(`app: ${r.non2xx} non-2xx answers and ${r.errors} errors of ${r.requests}`);
    // uploads still in flight when the time is up are stored but not counted: at most one per connection
    const stored = after - before;
    if (stored < r.requests || stored > r.requests + PARALLEL) throw new Error(`app: ${r.requests} uploads accepted, ${stored} stored`);
    appPerSecond = r.rps;
    appDetail = `app ${r.rps.toFixed(1)} uploads/s (p50 ${r.p50} ms, p97.5 ${r.p95} ms)`;
    say(appDetail);
  } finally {
    await app.close();
  }

  // limit: write + fsync + sha256, 8 at a time, each to a new file
  const dir = scratchFolder(s, 'limit-files');
  const w = await repeatFor(PARALLEL, SECONDS * 1000, async (_worker, i) => {
    const fh = await fsp.open(path.join(dir, `f${i}`), 'w');
    try {
      await fh.writeFile(pdf);
      await fh.sync();
    } finally {
      await fh.close();
    }
    createHash('sha256').update(pdf).digest('hex');
  });
  const limitPerSecond = (w.done * 1000) / w.ms;
  say(`limit: ${limitPerSecond.toFixed(1)} writes/s (${w.done} files)`);

  return {
    ratio: appPerSecond / limitPerSecond,
    detail: `${appDetail}, write+fsync+sha256 ${limitPerSecond.toFixed(1)}/s, ${PARALLEL} parallel × 1 MB, ${SECONDS} s each`,
    figures: { appPerSecond, limitPerSecond },
  };
});
