import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { ZipArchive } from 'archiver';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { drawCertificate, newCertificateDocument, pageOptions, renderCertificate, type CertificateLayout } from './certificate.js';
import {
  batchById,
  batchesOfCampaign,
  campaignForOffice,
  campaignTitleIds,
  certificateRowsByIds,
  insertBatch,
  runningBatch,
  storeSignatures,
  updateBatch,
  type BatchRow,
} from './queries.js';
import { assertCampaignOffice, certificateData, safeFileName, signatureFor, type CertificateEnv } from './service.js';
import type { SignedCertificate } from './sign.js';

/**
 * 证书批量生成: every certificate of a campaign (titles not revoked) as one job, written under
 * DATA_DIR/certificates: one PDF with a page per certificate, for the printer, and a zip with one
 * signed PDF per holder. Progress (done/total) is kept in certificate_batches, so any server
 * process answers the poll. The work runs in this process, a certificate at a time, and gives the
 * event loop a turn after each one, so requests keep being answered while it runs.
 */

export interface BatchEnv extends CertificateEnv {
  /** DATA_DIR/certificates */
  dir: string;
  /** where a failure's detail goes (the log) */
  onError(err: unknown, batchId: number): void;
}

/** Certificates read from the database at a time. */
const CHUNK = 100;
/** Progress is written at most this often (ms), and at the end. */
const PROGRESS_EVERY_MS = 500;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function batchView(b: BatchRow) {
  return {
    id: b.id,
    campaignId: b.campaignId,
    layout: b.layout,
    status: b.status,
    done: b.done,
    total: b.total,
    error: b.error,
    createdAt: iso(b.createdAt),
    finishedAt: iso(b.finishedAt),
  };
}

/** POST /api/campaigns/:id/certificate-batches: starts the job (the campaign's office); a batch of the same layout still running is answered instead. */
export async function startBatch(env: BatchEnv, user: CurrentUser, campaignId: number, layout: CertificateLayout) {
  const c = await assertCampaignOffice(env.db, user, campaignId);
  const running = await runningBatch(env.db, c.id, layout);
  if (running) return { id: running.id };
  const ids = await campaignTitleIds(env.db, c.id);
  const batch = await insertBatch(env.db, { campaignId: c.id, layout, total: ids.length, createdBy: user.id });
  setImmediate(() => {
    runBatch(env, batch.id, layout, ids).catch((err: unknown) => env.onError(err, batch.id));
  });
  return { id: batch.id };
}

/** A batch the account may see: the campaign's own office only; anything else does not exist for it. */
async function visibleBatch(env: BatchEnv, user: CurrentUser, id: number): Promise<BatchRow> {
  const b = await batchById(env.db, id);
  if (!b || user.role !== 'safety_office') throw notFound('批量生成任务');
  const c = await campaignForOffice(env.db, b.campaignId);
  if (!c || !user.org || user.org.kind !== 'safety_office' || user.org.regionId !== c.regionId) throw notFound('批量生成任务');
  return b;
}

export async function getBatch(env: BatchEnv, user: CurrentUser, id: number) {
  return batchView(await visibleBatch(env, user, id));
}

export async function listBatches(env: BatchEnv, user: CurrentUser, campaignId: number, page: { limit: number; offset: number }) {
  await assertCampaignOffice(env.db, user, campaignId);
  const { items, total } = await batchesOfCampaign(env.db, campaignId, page.limit, page.offset);
  return { items: items.map(batchView), total };
}

/** The finished batch's file: its path and download name. */
export async function batchFile(env: BatchEnv, user: CurrentUser, id: number, kind: 'pdf' | 'zip') {
  const b = await visibleBatch(env, user, id);
  if (b.status === 'running') throw new AppError('WRONG_STATUS', `证书仍在生成中（${b.done}/${b.total}），请稍后再下载`);
  const key = kind === 'pdf' ? b.pdfKey : b.zipKey;
  if (b.status !== 'done' || !key) throw new AppError('WRONG_STATUS', '该批次生成失败，没有可下载的文件，请重新生成');
  const file = path.join(env.dir, path.basename(key));
  if (!fs.existsSync(file)) throw notFound('批量证书文件');
  const c = await campaignForOffice(env.db, b.campaignId);
  const name = safeFileName(`${c?.name ?? '证书'}-${b.layout === 'a4' ? '证书' : '牌匾'}-${kind === 'pdf' ? '打印版' : '分单位'}.${kind}`);
  return { file, fileName: name };
}

/** Unique names inside the zip: the holder's name, then its certificate number if the name repeats. */
function zipName(used: Set<string>, holder: string, certificateNo: string): string {
  let name = `${safeFileName(holder)}.pdf`;
  if (used.has(name)) name = `${safeFileName(holder)}-${certificateNo}.pdf`;
  used.add(name);
  return name;
}

/** Renders the batch; marks it done with its two files, or failed. */
export async function runBatch(env: BatchEnv, batchId: number, layout: CertificateLayout, ids: number[]): Promise<void> {
  await fsp.mkdir(env.dir, { recursive: true });
  const stem = `${batchId}-${randomUUID()}`;
  const pdfPath = path.join(env.dir, `${stem}.pdf`);
  const zipPath = path.join(env.dir, `${stem}.zip`);
  const pdfOut = fs.createWriteStream(`${pdfPath}.part`);
  const zipOut = fs.createWriteStream(`${zipPath}.part`);
  const print = newCertificateDocument({ Title: `证书批量打印 ${ids.length} 份`, Subject: '平安创建证书 Certificates' });
  print.pipe(pdfOut);
  // the PDFs are compressed already: stored, not deflated again
  const zip = new ZipArchive({ store: true });
  zip.pipe(zipOut);
  let zipped = 0;
  zip.on('entry', () => zipped++);
  let failure: unknown = null;
  zip.on('error', (e) => (failure ??= e));
  pdfOut.on('error', (e) => (failure ??= e));
  zipOut.on('error', (e) => (failure ??= e));
  try {
    const used = new Set<string>();
    let done = 0;
    let reported = Date.now();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const byId = new Map((await certificateRowsByIds(env.db, chunk)).map((r) => [r.t.id, r]));
      // signatures made now are stored once per chunk: one commit instead of one per certificate
      const toStore: { id: number; signed: SignedCertificate }[] = [];
      for (const id of chunk) {
        if (failure) throw failure;
        const row = byId.get(id);
        if (row) {
          const { signed, fresh } = signatureFor(env.key, row);
          if (fresh) toStore.push({ id, signed });
          const data = certificateData(row, env.baseUrl);
          // the page for the printer …
          print.addPage(pageOptions(layout));
          drawCertificate(print, data, layout);
          // … and the holder's own signed file
          zip.append(await renderCertificate(data, layout, signed), { name: zipName(used, row.subjectName, row.t.certificateNo) });
        }
        done++;
        // the zip writes behind us; do not let it fall far behind (memory)
        while (done - zipped > 20 && !failure) await once(zip, 'entry');
        if (Date.now() - reported >= PROGRESS_EVERY_MS) {
          reported = Date.now();
          await updateBatch(env.db, batchId, { done });
        }
        await yieldToEventLoop();
      }
      await storeSignatures(env.db, toStore);
    }
    if (ids.length === 0) {
      print.addPage(pageOptions(layout));
      print.font('regular').fontSize(16).text('本活动没有可打印的证书 No certificates in this campaign', 60, 80);
    }
    const pdfDone = once(pdfOut, 'finish');
    print.end();
    await pdfDone;
    const zipDone = once(zipOut, 'close');
    await zip.finalize();
    await zipDone;
    if (failure) throw failure;
    await fsp.rename(`${pdfPath}.part`, pdfPath);
    await fsp.rename(`${zipPath}.part`, zipPath);
    await updateBatch(env.db, batchId, {
      status: 'done',
      done: ids.length,
      pdfKey: path.basename(pdfPath),
      zipKey: path.basename(zipPath),
      finishedAt: new Date(),
    });
  } catch (err) {
    pdfOut.destroy();
    zipOut.destroy();
    await fsp.rm(`${pdfPath}.part`, { force: true });
    await fsp.rm(`${zipPath}.part`, { force: true });
    await updateBatch(env.db, batchId, {
      status: 'failed',
      error: err instanceof AppError ? err.message : '生成失败：服务器内部错误，请重新生成',
      finishedAt: new Date(),
    });
    throw err;
  }
}

/** For tests and scripts: resolves when the batch has finished. */
export async function waitForBatch(env: Pick<BatchEnv, 'db'>, id: number, pollMs = 50): Promise<BatchRow> {
  for (;;) {
    const b = await batchById(env.db, id);
    if (!b) throw new Error(`batch ${id} missing`);
    if (b.status !== 'running') return b;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
