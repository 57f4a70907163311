import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError, notFound } from '../../errors.js';
import type { JobQueue } from '../../jobs/queue.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import type { CertificateLayout } from './certificate.js';
import { openRenderJob, type RenderJob } from './render-pool.js';
import type { RenderItem } from './render-worker.js';
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
 * process answers the poll. The drawing runs on a worker thread (render-pool.ts), so requests keep
 * being answered while it runs.
 */

export interface BatchEnv extends CertificateEnv {
  /** DATA_DIR/certificates */
  dir: string;
  /** where a failure's detail goes (the log) */
  onError(err: unknown, batchId: number): void;
}

/** Certificates read from the database at a time. */
const CHUNK = 100;
/** Certificates sent to the worker at a time. */
const STEP = 10;
/** Progress is written at most this often (ms), and at the end. */
const PROGRESS_EVERY_MS = 500;

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
export async function startBatch(env: BatchEnv, jobs: JobQueue, user: CurrentUser, campaignId: number, layout: CertificateLayout) {
  const c = await assertCampaignOffice(env.db, user, campaignId);
  const running = await runningBatch(env.db, c.id, layout);
  if (running) return { id: running.id };
  const ids = await campaignTitleIds(env.db, c.id);
  const batch = await insertBatch(env.db, { campaignId: c.id, layout, total: ids.length, createdBy: user.id });
  // onto the job queue (jobs/queue.ts): a free node renders it, and another starts it again if that node dies
  await jobs.enqueue(CERTIFICATE_BATCH, user.id, { batchId: batch.id, layout } satisfies CertificateBatchInput);
  return { id: batch.id };
}

export const CERTIFICATE_BATCH = 'certificate_batch';
export interface CertificateBatchInput {
  batchId: number;
  layout: CertificateLayout;
}

/** Registered on every node at boot: runs a batch from the start (again, after a lost node), over the campaign's titles as they are now. */
export function registerBatchJob(env: BatchEnv, jobs: JobQueue) {
  jobs.register<CertificateBatchInput>(CERTIFICATE_BATCH, async (input) => {
    const b = await batchById(env.db, input.batchId);
    if (!b) return null;
    const ids = await campaignTitleIds(env.db, b.campaignId);
    try {
      await runBatch(env, b.id, input.layout, ids);
    } catch (err) {
      env.onError(err, b.id);
      throw err;
    }
    return { batchId: b.id };
  });
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

/**
 * Renders the batch; marks it done with its two files, or failed. The drawing runs on a render
 * worker (render-pool.ts); this side reads the titles a chunk at a time, signs what needs signing
 * and keeps the progress. Run again for the same batch (after a crash, or by a job queue delivering
 * it twice), it starts over: the same file names, overwritten, and `done` from 0.
 */
export async function runBatch(env: BatchEnv, batchId: number, layout: CertificateLayout, ids: number[]): Promise<void> {
  await fsp.mkdir(env.dir, { recursive: true });
  const stem = `batch-${batchId}`;
  const pdfPath = path.join(env.dir, `${stem}.pdf`);
  const zipPath = path.join(env.dir, `${stem}.zip`);
  await updateBatch(env.db, batchId, {
    status: 'running',
    done: 0,
    total: ids.length,
    error: null,
    pdfKey: null,
    zipKey: null,
    finishedAt: null,
  });
  let job: RenderJob | null = null;
  try {
    job = await openRenderJob({
      layout,
      pdfPath: `${pdfPath}.part`,
      zipPath: `${zipPath}.part`,
      title: `证书批量打印 ${ids.length} 份`,
    });
    const used = new Set<string>();
    let done = 0;
    let reported = 0;
    // the next chunk is read and signed while the worker draws this one
    const prepare = async (from: number) => {
      const chunk = ids.slice(from, from + CHUNK);
      const byId = new Map((await certificateRowsByIds(env.db, chunk)).map((r) => [r.t.id, r]));
      const toStore: { id: number; signed: SignedCertificate }[] = [];
      const items: RenderItem[] = [];
      for (const id of chunk) {
        const row = byId.get(id);
        if (!row) continue;
        const { signed, fresh } = signatureFor(env.key, row);
        if (fresh) toStore.push({ id, signed });
        items.push({ data: certificateData(row, env.baseUrl), signed, name: zipName(used, row.subjectName, row.t.certificateNo) });
      }
      // signatures made now are stored once per chunk: one commit instead of one per certificate
      await storeSignatures(env.db, toStore);
      return { items, count: chunk.length };
    };
    let next = ids.length > 0 ? prepare(0) : null;
    for (let i = 0; next; i += CHUNK) {
      const { items, count } = await next;
      next = i + CHUNK < ids.length ? prepare(i + CHUNK) : null;
      // a few at a time, so the progress moves even on a small batch
      for (let k = 0; k < items.length; k += STEP) {
        const step = items.slice(k, k + STEP);
        await job.render(step);
        done += step.length;
        if (Date.now() - reported >= PROGRESS_EVERY_MS) {
          reported = Date.now();
          await updateBatch(env.db, batchId, { done });
        }
      }
      done = i + count; // titles no longer there (deleted meanwhile) count as done
    }
    await job.close();
    job = null;
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
    await job?.abort();
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
