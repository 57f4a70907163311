import fs from 'node:fs';
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import { ZipArchive } from 'archiver';
import {
  currentPageAsCertificate,
  drawCertificate,
  newCertificateDocument,
  pageOptions,
  type CertificateData,
  type CertificateLayout,
} from './certificate.js';
import type { SignedCertificate } from './sign.js';

/**
 * The certificate renderer, in a worker thread (render-pool.ts starts it): pdfkit is synchronous
 * and a page takes milliseconds, which the server's event loop must not spend. A job is one batch:
 * the worker owns its two files while it runs, the print PDF (one document, a page per certificate)
 * and the zip of the holders' own signed PDFs, each taken from the page just drawn (page-pdf.ts),
 * so every certificate is drawn once. The main thread sends plain data and gets counts back.
 */

export interface RenderItem {
  data: CertificateData;
  signed: SignedCertificate;
  /** the file's name inside the zip */
  name: string;
}

export type RenderRequest = { id: number; job: number } & (
  | { kind: 'open'; layout: CertificateLayout; pdfPath: string; zipPath: string; title: string }
  | { kind: 'render'; items: RenderItem[] }
  | { kind: 'close' }
  | { kind: 'abort' }
);

export type RenderReply = { id: number; ok: true } | { id: number; ok: false; error: string };

interface Job {
  layout: CertificateLayout;
  print: PDFKit.PDFDocument;
  pdfOut: fs.WriteStream;
  zip: ZipArchive;
  zipOut: fs.WriteStream;
  rendered: number;
  zipped: number;
  failure: unknown;
}

const jobs = new Map<number, Job>();

function open(r: Extract<RenderRequest, { kind: 'open' }>) {
  const pdfOut = fs.createWriteStream(r.pdfPath);
  const zipOut = fs.createWriteStream(r.zipPath);
  const print = newCertificateDocument({ Title: r.title, Subject: '平安创建证书 Certificates' });
  print.pipe(pdfOut);
  // the PDFs are compressed already: stored, not deflated again
  const zip = new ZipArchive({ store: true });
  zip.pipe(zipOut);
  const job: Job = { layout: r.layout, print, pdfOut, zip, zipOut, rendered: 0, zipped: 0, failure: null };
  zip.on('entry', () => job.zipped++);
  const failed = (e: unknown) => (job.failure ??= e);
  zip.on('error', failed);
  pdfOut.on('error', failed);
  zipOut.on('error', failed);
  print.on('error', failed);
  jobs.set(r.job, job);
}

async function render(job: Job, items: RenderItem[]) {
  for (const it of items) {
    if (job.failure) throw job.failure;
    job.print.addPage(pageOptions(job.layout));
    drawCertificate(job.print, it.data, job.layout);
    job.zip.append(currentPageAsCertificate(job.print, it.data, it.signed), { name: it.name });
    job.rendered++;
  }
  // the zip writes behind us; do not let it fall far behind (memory)
  while (job.rendered - job.zipped > 50 && !job.failure) await once(job.zip, 'entry');
  if (job.failure) throw job.failure;
}

async function close(job: Job) {
  if (job.rendered === 0) {
    job.print.addPage(pageOptions(job.layout));
    job.print.font('regular').fontSize(16).text('本活动没有可打印的证书 No certificates in this campaign', 60, 80);
  }
  const pdfDone = once(job.pdfOut, 'finish');
  job.print.end();
  await pdfDone;
  const zipDone = once(job.zipOut, 'close');
  await job.zip.finalize();
  await zipDone;
  if (job.failure) throw job.failure;
}

function abort(job: Job) {
  job.print.unpipe(job.pdfOut);
  job.zip.abort();
  job.pdfOut.destroy();
  job.zipOut.destroy();
}

async function handle(r: RenderRequest): Promise<void> {
  if (r.kind === 'open') return open(r);
  const job = jobs.get(r.job);
  if (!job) throw new Error(`render job ${r.job} is not open`);
  if (r.kind === 'render') return render(job, r.items);
  jobs.delete(r.job);
  if (r.kind === 'close') return close(job);
  abort(job);
}

// requests of one job come one at a time (the pool awaits each); jobs of several batches may interleave
parentPort?.on('message', (r: RenderRequest) => {
  handle(r).then(
    () => parentPort!.postMessage({ id: r.id, ok: true } satisfies RenderReply),
    (e: unknown) =>
      parentPort!.postMessage({
        id: r.id,
        ok: false,
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies RenderReply),
  );
});
