import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CertificateLayout } from './certificate.js';
import type { RenderItem, RenderReply, RenderRequest } from './render-worker.js';

/**
 * The render workers: min(2, cores − 1) threads, at least one, started on first use and left
 * unreferenced (they do not keep the process alive). A batch is a job on one worker (its print PDF
 * is one document); batches running at once share the workers, the least busy first.
 *
 * The worker's file is render-worker.js next to this one when running compiled (node dist/, which
 * passes its --conditions to the worker), and render-worker.ts under tsx or vitest: then the worker
 * registers tsx first.
 */

const here = import.meta.url;
const underTs = here.endsWith('.ts');

/** The process's node flags without tsx's own (--import tsx, --require …/tsx/…): the worker registers tsx itself. */
function flagsWithoutTsx(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--import' || a === '--require' || a === '--loader' || a === '-r') && argv[i + 1]?.includes('tsx')) i++;
    else if (!a.includes('tsx')) out.push(a);
  }
  return out;
}

function spawn(): Worker {
  if (!underTs) return new Worker(new URL('./render-worker.js', here));
  // Node 20 does not carry a loader registered in the main thread over to a worker
  const entry = new URL('./render-worker.ts', here).href;
  // tsx's ESM api, found through its CommonJS twin (`require.resolve` is what works under tsx, vitest and node)
  const api = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, {
    eval: true,
    execArgv: flagsWithoutTsx(),
  });
}

class RenderThread {
  readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  jobs = 0;
  dead = false;

  constructor() {
    this.worker = spawn();
    this.worker.unref();
    this.worker.on('message', (r: RenderReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve();
      else p.reject(new Error(`certificate renderer: ${r.error}`));
    });
    const fail = (e: Error) => {
      this.dead = true;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`certificate renderer stopped (exit ${code})`)));
  }

  call(r: DistributiveOmit<RenderRequest, 'id'>): Promise<void> {
    if (this.dead) return Promise.reject(new Error('certificate renderer stopped'));
    const id = this.next++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // the worker is referenced while it has work, so a batch keeps a script alive until it ends
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...r, id });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export const renderPoolSize = () => Math.min(2, Math.max(1, os.availableParallelism() - 1));

const threads: RenderThread[] = [];
let jobIds = 0;

function pick(): RenderThread {
  for (let i = threads.length - 1; i >= 0; i--) if (threads[i]!.dead) threads.splice(i, 1);
  const idle = threads.find((t) => t.jobs === 0);
  if (idle) return idle;
  if (threads.length < renderPoolSize()) {
    const t = new RenderThread();
    threads.push(t);
    return t;
  }
  return threads.reduce((a, b) => (b.jobs < a.jobs ? b : a));
}

export interface RenderJob {
  /** draws the certificates on the print PDF and adds each holder's file to the zip */
  render(items: RenderItem[]): Promise<void>;
  /** ends both files */
  close(): Promise<void>;
  /** stops, leaving the files unfinished (the caller removes them) */
  abort(): Promise<void>;
}

/** Opens a batch's job on a worker: the print PDF and the zip are written to these paths. */
export async function openRenderJob(opts: {
  layout: CertificateLayout;
  pdfPath: string;
  zipPath: string;
  title: string;
}): Promise<RenderJob> {
  const t = pick();
  const job = ++jobIds;
  t.jobs++;
  let finished = false;
  const finish = () => {
    if (!finished) t.jobs--;
    finished = true;
  };
  try {
    await t.call({ kind: 'open', job, ...opts });
  } catch (e) {
    finish();
    throw e;
  }
  return {
    render: (items) => t.call({ kind: 'render', job, items }),
    close: () => t.call({ kind: 'close', job }).finally(finish),
    abort: () =>
      t
        .call({ kind: 'abort', job })
        .catch(() => undefined)
        .finally(finish),
  };
}
