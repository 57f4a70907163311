/**
 * B7 certificates (goal >=0.50, and /healthz p99 <= 50 ms while it runs): 证书批量生成 through the
 * batch route against pdfkit drawing the same pages into one document.
 *
 *   npx tsx apps/server/bench/b7-certificates.ts --db pglite|postgres [--quick]
 *
 * The world is the demo (云州市) plus N more titles in the city's hospital campaign (10,000; quick:
 * 1,000), holders with varied Chinese names, stars 1–5, signed lazily by the job itself. Then:
 *   limit: the campaign's certificates (read beforehand) drawn by pdfkit into one multi-page
 *          document written to a file, in this thread: the same font, the same drawing function
 *          (certificate.ts drawCertificate), no signatures, no per-holder files.
 *   app:   POST /api/campaigns/:id/certificate-batches as the city's 平安办, polled until done: the
 *          print PDF and the zip of one signed PDF per holder, drawn on the render worker. Meanwhile
 *          GET /healthz is probed every ~20 ms; its p99 is the second goal (the event loop stays free).
 * ratio = the app's certificates per second ÷ pdfkit's pages per second. The files are checked:
 * the PDF has N pages (pdfinfo), the zip N entries.
 * Replaces the former scripts/bench-certificates.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { applications, campaigns, subjects, titles } from '../src/db/schema.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { certificateNo } from '../src/modules/titles/issue.js';
import { bytesOf, drawCertificate, newCertificateDocument, pageOptions } from '../src/modules/titles/certificate.js';
import { campaignTitleIds, certificateRowsByIds } from '../src/modules/titles/queries.js';
import { certificateData } from '../src/modules/titles/service.js';
import { renderPoolSize } from '../src/modules/titles/render-pool.js';
import { login, percentile, say, startServer, type Scratch } from './lib.js';
import { rowsOf, runBench, seedWorld } from './batch-world.js';

const GOAL = '>=0.50';
const HEALTHZ_P99_MS = 50;
const PROBE_EVERY_MS = 20;
const LAYOUT = 'plaque' as const;
const BASE_URL = 'https://pingan.yunzhou.gov.cn';

/** Varied holder names: place × place × kind, so the glyphs differ as in a real campaign. */
const PLACES = '青山 临江 城南 白沙 柳溪 桂花 湖滨 东湖 月湖 南门 江滨 石桥 枫林 松岗 杏花 龙潭 凤鸣 金沙 银杏 翠屏'.split(' ');
const KINDS = '第一中学 实验小学 人民医院 中医院 卫生院 派出所 社区 村 街道办事处 幼儿园 职业学校 市场 物业小区 加油站 客运站'.split(' ');
const holder = (i: number) =>
  `云州市${PLACES[i % PLACES.length]}${PLACES[Math.floor(i / PLACES.length) % PLACES.length]}${KINDS[i % KINDS.length]}${Math.floor(i / 300) || ''}`;

/** N more titles in the campaign of the demo's conferred hospital, copied from its application. */
async function addTitles(s: Scratch, n: number): Promise<number> {
  const db = s.database.db;
  const [tpl] = await db
    .select({ a: applications, regionId: subjects.regionId })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(eq(titles.categoryCode, 'hospital'))
    .limit(1);
  if (!tpl) throw new Error('the demo world has no conferred hospital');
  const CHUNK = 500;
  for (let from = 0; from < n; from += CHUNK) {
    const k = Math.min(CHUNK, n - from);
    await db.transaction(async (tx) => {
      const subs = await tx
        .insert(subjects)
        .values(Array.from({ length: k }, (_, j) => ({ kind: 'unit' as const, name: holder(from + j), regionId: tpl.regionId })))
        .returning({ id: subjects.id });
      const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = tpl.a as typeof tpl.a & { createdAt?: unknown; updatedAt?: unknown };
      const apps = await tx
        .insert(applications)
        .values(subs.map((sub) => ({ ...rest, subjectId: sub.id, status: 'conferred' as const })))
        .returning({ id: applications.id, subjectId: applications.subjectId });
      await tx.insert(titles).values(
        apps.map((a, j) => {
          const stars = ((from + j) % 5) + 1;
          return {
            applicationId: a.id,
            subjectId: a.subjectId,
            regionPath: tpl.a.regionPath,
            categoryCode: tpl.a.categoryCode,
            titleName: '平安医院',
            year: 2026,
            stars,
            level: stars >= 5 ? ('exemplary' as const) : stars === 4 ? ('advanced' as const) : ('standard' as const),
            issuer: '云州市平安建设领导小组',
            certificateNo: certificateNo(2026),
            conferredOn: '2026-11-20',
            status: 'valid' as const,
            validUntil: '2027-12-31',
            namingDocument: '云安〔2026〕3号',
          };
        }),
      );
    });
  }
  await db.execute(sql`analyze`);
  return tpl.a.campaignId;
}

/** pdfkit alone: the same pages drawn into one document, written to a file. Pages per second. */
async function pdfkitAlone(s: Scratch, campaignId: number): Promise<{ pages: number; perSecond: number }> {
  const ids = await campaignTitleIds(s.database.db, campaignId);
  const data = [];
  for (let i = 0; i < ids.length; i += 500)
    for (const row of await certificateRowsByIds(s.database.db, ids.slice(i, i + 500))) data.push(certificateData(row, BASE_URL));
  // the fonts parsed before the clock starts (the app's worker parses them inside its time)
  const warm = newCertificateDocument({});
  warm.addPage(pageOptions(LAYOUT));
  drawCertificate(warm, data[0]!, LAYOUT);
  const warmed = bytesOf(warm);
  warm.end();
  await warmed;
  const file = path.join(s.dataDir, 'pdfkit-alone.pdf');
  const t0 = performance.now();
  const doc = newCertificateDocument({ Title: 'pdfkit alone' });
  const out = fs.createWriteStream(file);
  doc.pipe(out);
  for (const d of data) {
    doc.addPage(pageOptions(LAYOUT));
    drawCertificate(doc, d, LAYOUT);
  }
  const finished = new Promise<void>((resolve, reject) => out.on('finish', () => resolve()).on('error', reject));
  doc.end();
  await finished;
  const ms = performance.now() - t0;
  fs.rmSync(file);
  return { pages: data.length, perSecond: data.length / (ms / 1000) };
}

await runBench({ id: 'B7', name: 'certificates', goal: GOAL }, async (s, args) => {
  const n = args.quick ? 1_000 : 10_000;
  say(`B7 certificates on ${args.db}${args.quick ? ` (quick: ${n.toLocaleString('en')} certificates, not 10,000)` : ''}`);
  s.config = { ...s.config, PUBLIC_BASE_URL: BASE_URL };
  await seedWorld(s);
  let t = performance.now();
  const campaignId = await addTitles(s, n);
  const [{ total }] = (await rowsOf<{ total: number }>(
    s.database.db,
    sql`select count(*)::int as total from titles t join applications a on a.id = t.application_id where a.campaign_id = ${campaignId} and t.status <> 'revoked'`,
  )) as [{ total: number }];
  say(`${n} titles added in ${((performance.now() - t) / 1000).toFixed(1)} s; the campaign has ${total} certificates`);

  const limit = await pdfkitAlone(s, campaignId);
  say(`pdfkit alone: ${limit.pages} pages, ${limit.perSecond.toFixed(0)} pages/s`);

  const { app, url } = await startServer(s);
  const cookie = await login(url, 'city_office', DEMO_PASSWORD);
  // the probe: /healthz every ~20 ms, one at a time, as a load balancer would ask
  let probing = true;
  const healthz: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const probe = (async () => {
    while (probing) {
      const p0 = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      const took = performance.now() - p0;
      if (res.ok) healthz.push(took);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, Math.max(0, PROBE_EVERY_MS - took)));
    }
  })();
  // the same probe with no batch running, for reference (the machine's own noise)
  await new Promise((r) => setTimeout(r, 2000));
  const idleP99 = percentile(healthz.splice(0), 99);
  t = performance.now();
  const res = await fetch(`${url}/api/campaigns/${campaignId}/certificate-batches`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ layout: LAYOUT }),
  });
  if (res.status !== 202) throw new Error(`start: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: number };
  let status = { status: 'running', done: 0, total: 0, error: null as string | null };
  let lastSaid = performance.now();
  while (status.status === 'running') {
    await new Promise((r) => setTimeout(r, 200));
    status = (await (await fetch(`${url}/api/certificate-batches/${id}`, { headers: { cookie } })).json()) as typeof status;
    if (performance.now() - lastSaid > 10_000) {
      lastSaid = performance.now();
      say(`  ${status.done}/${status.total}`);
    }
  }
  const seconds = (performance.now() - t) / 1000;
  probing = false;
  await probe;
  if (status.status !== 'done') throw new Error(`the batch ended ${JSON.stringify(status)}`);
  const appPerSecond = status.total / seconds;
  say(`app: ${status.total} certificates in ${seconds.toFixed(1)} s, ${appPerSecond.toFixed(0)}/s (${renderPoolSize()} render worker(s))`);

  // the files: N pages, N signed PDFs
  const pdfFile = path.join(s.dataDir, 'batch.pdf');
  fs.writeFileSync(
    pdfFile,
    Buffer.from(await (await fetch(`${url}/api/certificate-batches/${id}/certificates.pdf`, { headers: { cookie } })).arrayBuffer()),
  );
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfFile]).toString())?.[1]);
  const zip = Buffer.from(
    await (await fetch(`${url}/api/certificate-batches/${id}/certificates.zip`, { headers: { cookie } })).arrayBuffer(),
  );
  const entries = zip.readUInt16LE(zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) + 10);
  if (pages !== total || entries !== total) throw new Error(`files: ${pages} pages, ${entries} zip entries, ${total} certificates`);
  const pdfMiB = fs.statSync(pdfFile).size / 2 ** 20;
  await app.close();

  const ratio = appPerSecond / limit.perSecond;
  const p99 = percentile(healthz, 99);
  return {
    ratio,
    secondGoalMet: p99 <= HEALTHZ_P99_MS,
    detail:
      `${total} certificates${args.quick ? ' (quick)' : ''}: app ${appPerSecond.toFixed(0)}/s (print PDF ${pdfMiB.toFixed(1)} MiB + zip ${(zip.length / 2 ** 20).toFixed(1)} MiB), ` +
      `pdfkit ${limit.perSecond.toFixed(0)} pages/s, /healthz p99 ${p99.toFixed(1)} ms (goal <=${HEALTHZ_P99_MS}, ${healthz.length} probes; idle ${idleP99.toFixed(1)} ms), ` +
      `peak RSS ${Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20)} MiB`,
    figures: { appPerSecond, pdfkitPerSecond: limit.perSecond, healthzP99: p99, healthzIdleP99: idleP99, peakRssMiB: peakRss / 2 ** 20 },
  };
});
