import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * A tiny in-process job registry for long work that must not hold up an HTTP request: the handler
 * starts a job, answers 202 with its id at once, and the client polls the status.
 *
 * Kept in memory only: a restart forgets every job (running ones are lost with the process), and
 * with several server processes a job is visible only on the one that runs it. Finished jobs are
 * dropped after an hour, and at most MAX_JOBS are kept.
 *
 * Note: the work runs on the server's own event loop. Between its database round trips the server
 * keeps answering, but a single long SQL statement on the embedded PGlite database (which runs in
 * this process) blocks the process for as long as the statement runs.
 */

export type JobState = 'running' | 'done' | 'failed';

export interface JobStatus {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number;
  /** for the person at the screen, in Chinese */
  message: string;
  result: unknown;
  startedAt: string;
  finishedAt: string | null;
}

interface Job extends JobStatus {
  ownerUserId: number;
}

/** What the work function is handed to report how far it got. */
export type ProgressFn = (done: number, total: number, message?: string) => void;

const KEEP_FINISHED_MS = 60 * 60 * 1000;
const MAX_JOBS = 200;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  /** @param onError where the technical detail of a failure goes (the log); the status shows a Chinese message */
  constructor(private readonly onError: (err: unknown, job: JobStatus) => void = () => {}) {}

  /** Starts `fn` on the next turn of the event loop and returns the job's id at once. */
  start<T>(kind: string, ownerUserId: number, fn: (progress: ProgressFn) => Promise<T>): string {
    this.prune();
    const id = randomUUID();
    const job: Job = {
      id,
      kind,
      ownerUserId,
      state: 'running',
      done: 0,
      total: 0,
      message: '任务已开始',
      result: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.jobs.set(id, job);
    let reported = false;
    const progress: ProgressFn = (done, total, message) => {
      if (job.state !== 'running') return;
      job.done = done;
      job.total = total;
      if (message) {
        job.message = message;
        reported = true;
      }
    };
    setImmediate(() => {
      // the work starts after the caller has its id; a synchronous throw becomes a failure too
      Promise.resolve()
        .then(() => fn(progress))
        .then(
          (result) => {
            job.state = 'done';
            job.result = result ?? null;
            job.done = Math.max(job.done, job.total);
            if (!reported) job.message = '任务已完成';
            job.finishedAt = new Date().toISOString();
          },
          (err: unknown) => {
            job.state = 'failed';
            // an AppError already speaks Chinese to the user; anything else stays in the log
            job.message = err instanceof AppError ? `任务失败：${err.message}` : '任务失败：服务器内部错误，请稍后重试';
            job.finishedAt = new Date().toISOString();
            this.onError(err, this.snapshot(job));
          },
        );
    });
    return id;
  }

  /** The job's status for its owner; null when it does not exist or belongs to someone else. */
  status(id: string, userId: number): JobStatus | null {
    const job = this.jobs.get(id);
    if (!job || job.ownerUserId !== userId) return null;
    return this.snapshot(job);
  }

  private snapshot(job: Job): JobStatus {
    const { id, kind, state, done, total, message, result, startedAt, finishedAt } = job;
    return { id, kind, state, done, total, message, result, startedAt, finishedAt };
  }

  /** Resolves when the job has finished (for tests and scripts). */
  async wait(id: string, pollMs = 20): Promise<JobStatus | null> {
    for (;;) {
      const job = this.jobs.get(id);
      if (!job) return null;
      if (job.state !== 'running') return this.status(id, job.ownerUserId);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private prune() {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt && now - Date.parse(job.finishedAt) > KEEP_FINISHED_MS) this.jobs.delete(id);
    if (this.jobs.size < MAX_JOBS) return;
    // still too many: drop the oldest finished ones
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const j of finished.slice(0, this.jobs.size - MAX_JOBS + 1)) this.jobs.delete(j.id);
  }
}
