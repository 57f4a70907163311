import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Database, Db, Tx } from '../db/client.js';
import { backgroundJobs } from '../db/schema.js';
import { AppError } from '../errors.js';
import { loggable } from '../http/failures.js';

/**
 * Background jobs for long work that must not hold up an HTTP request (batch rating, roster imports,
 * certificate batches): the route enqueues, answers 202 with the id at once, and the client polls.
 *
 * The job's state and progress are a `background_jobs` row, so any node answers the poll.
 * - PostgreSQL (several nodes): the row's id is sent to pg-boss (schema `pgboss`, made by pg-boss on
 *   start), whose workers on every node fetch it with SKIP LOCKED, so one free node runs it.
 *   pg-boss 10 has no heartbeat (its expiry is a maximum run time), so liveness is ours: the running
 *   node touches the row every JOB_STALE_SECONDS / 4, and every node sweeps for rows not touched for
 *   JOB_STALE_SECONDS, puts them back to 'queued' and sends them again: a job whose node died starts
 *   again from the beginning on another node within about JOB_STALE_SECONDS + a poll.
 * - PGlite (one process): the same row, the work started in this process on the next turn of the
 *   event loop; rows left unfinished by a previous process are started again at start().
 *
 * A handler must be safe to run again from the start. Each run is one numbered attempt; writes of a
 * superseded attempt (a node thought dead that was only stalled) are ignored, and a handler that
 * commits in one transaction calls `assertCurrent(tx)` before committing, so it never commits twice.
 *
 * Adding a kind is two lines: `jobs.register('kind', (input, ctx) => work(...))` once at boot on every
 * node (in the module's routes), and `await jobs.enqueue('kind', user.id, input)` in the handler.
 * The input is JSON (ids, a storage key), never personal data and never a file's bytes.
 */

export type JobState = 'running' | 'done' | 'failed';

/** What the poll shows (the contract's shape): a queued job shows as running, its message says it waits. */
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
  /** how many times the work was started (more than 1 after a node was lost) */
  attempts: number;
}

/** What the work function is handed to report how far it got. */
export type ProgressFn = (done: number, total: number, message?: string) => void;

export interface JobContext {
  jobId: string;
  /** this run's number (1, then 2 if a node was lost…) */
  attempt: number;
  /** throttled: written at most every PROGRESS_MS, and once more at the end; throws JobSuperseded once this run is superseded */
  progress: ProgressFn;
  /** aborted when this run has been superseded by another (its node was taken for dead) */
  signal: AbortSignal;
  /** throws unless this run is still the job's current one: call it inside a transaction just before it commits */
  assertCurrent(db: Db | Tx): Promise<void>;
}

export type JobHandler<I> = (input: I, ctx: JobContext) => Promise<unknown>;

export interface JobKindOptions<I> {
  /** runs once when the job ends, done or failed (given up included): removes what the input points at, e.g. an uploaded file */
  onEnd?(input: I): Promise<void>;
}

export interface JobQueueOptions {
  staleSeconds: number;
  /** jobs one node runs at once (PostgreSQL) */
  concurrency: number;
  maxAttempts: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Thrown by assertCurrent: the job was given to another run; this one stops without a trace. */
export class JobSuperseded extends Error {
  constructor() {
    super('job superseded by a newer attempt');
  }
}

const QUEUE = 'background_jobs';
const PROGRESS_MS = 300;
/** pg-boss's own expiry is only a backstop (its retry finds the row already taken); liveness is the heartbeat */
const BOSS_EXPIRE_SECONDS = 4 * 3600;
const KEEP_FINISHED_DAYS = 30;

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/**
 * A result as jsonb takes it: PostgreSQL refuses U+0000 in jsonb text, and a result may quote a
 * cell of an uploaded file (a roster's bad rows), so it becomes U+FFFD, the replacement character.
 */
export function storable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '\uFFFD') : v)) ?? 'null');
}

export class JobQueue {
  private readonly handlers = new Map<string, { handler: JobHandler<never>; opts: JobKindOptions<never> }>();
  private readonly running = new Set<Promise<void>>();
  private boss: PgBoss | null = null;
  private workerIds: string[] = [];
  private sweeper: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly db: Db;

  constructor(
    private readonly database: Database,
    private readonly opts: JobQueueOptions,
  ) {
    this.db = database.db;
  }

  /** Every node registers the same kinds at boot, before start(). */
  register<I>(kind: string, handler: JobHandler<I>, opts: JobKindOptions<I> = {}): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} registered twice`);
    this.handlers.set(kind, { handler: handler as JobHandler<never>, opts: opts as JobKindOptions<never> });
  }

  /** Writes the job's row and hands it to a worker; its id at once. */
  async enqueue(kind: string, ownerUserId: number, input: object): Promise<string> {
    if (!this.handlers.has(kind)) throw new Error(`job kind ${kind} is not registered`);
    const id = randomUUID();
    await this.db.insert(backgroundJobs).values({ id, kind, ownerUserId, input });
    await this.dispatch(id);
    return id;
  }

  /** The job's status for its owner; null when it does not exist or belongs to someone else. */
  async status(id: string, userId: number): Promise<JobStatus | null> {
    const [row] = await this.db
      .select()
      .from(backgroundJobs)
      .where(and(eq(backgroundJobs.id, id), eq(backgroundJobs.ownerUserId, userId)));
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      state: row.state === 'queued' ? 'running' : row.state,
      done: row.done,
      total: row.total,
      message: row.message,
      result: row.result ?? null,
      startedAt: (row.startedAt ?? row.createdAt).toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      attempts: row.attempts,
    };
  }

  /** Resolves when the job has finished (tests and scripts); null for an unknown id. */
  async wait(id: string, pollMs = 50): Promise<JobStatus | null> {
    for (;;) {
      const [row] = await this.db
        .select({ owner: backgroundJobs.ownerUserId, state: backgroundJobs.state })
        .from(backgroundJobs)
        .where(eq(backgroundJobs.id, id));
      if (!row) return null;
      if (row.state === 'done' || row.state === 'failed') return this.status(id, row.owner);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** After every module has registered its kinds. */
  async start(): Promise<void> {
    this.stopped = false;
    if (this.database.kind === 'postgres') {
      const pool = (this.db as unknown as { $client: pg.Pool }).$client;
      // pg-boss on the platform's own pool: no second set of connections, and closing the database closes it
      const boss = new PgBoss({
        db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
        schema: 'pgboss',
        schedule: false,
        supervise: true,
        migrate: true,
      });
      boss.on('error', (err) => this.opts.log.warn({ error: loggable(err) }, 'job queue (pg-boss) error'));
      await boss.start();
      try {
        if (!(await boss.getQueue(QUEUE)))
          await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 3, retryDelay: 5, expireInSeconds: BOSS_EXPIRE_SECONDS });
      } catch (e) {
        // another node made it at the same moment
        if (!(await boss.getQueue(QUEUE))) throw e;
      }
      this.boss = boss;
      for (let i = 0; i < this.opts.concurrency; i++)
        this.workerIds.push(
          await boss.work<{ id: string }>(QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
            if (job) await this.track(this.run(job.data.id));
          }),
        );
      await this.sweep(this.opts.staleSeconds);
      const every = Math.max(1000, (this.opts.staleSeconds * 1000) / 4);
      this.sweeper = setInterval(() => void this.sweep(this.opts.staleSeconds), every);
      this.sweeper.unref();
    } else {
      // one process: whatever a previous process left unfinished starts again now
      await this.sweep(0);
    }
  }

  /** Stops taking work and waits (a little) for the jobs running here; an unfinished one is picked up again by another node. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    const idle = Promise.allSettled([...this.running]);
    await Promise.race([idle, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    if (this.boss) await this.boss.stop({ graceful: true, wait: true, timeout: 1000, close: false });
    this.boss = null;
    this.workerIds = [];
  }

  private track(p: Promise<void>): Promise<void> {
    this.running.add(p);
    return p.finally(() => this.running.delete(p));
  }

  private async dispatch(id: string) {
    if (this.database.kind === 'postgres') {
      // stopping (or not started): the row stays queued and another node's sweep sends it
      if (!this.boss) return;
      await this.boss.send(QUEUE, { id });
      // this node's workers look at once instead of at their next poll
      for (const w of this.workerIds) this.boss.notifyWorker(w);
      return;
    }
    // the caller has its id before the work starts; errors are the job's, recorded in its row
    if (this.stopped) return; // started again by the next process's start()
    setImmediate(
      () => void this.track(this.run(id)).catch((err) => this.opts.log.warn({ error: loggable(err), jobId: id }, 'job run failed')),
    );
  }

  /**
   * Rows not touched for `staleSeconds`: a running one lost its node (started again, or given up after
   * maxAttempts); a queued one may have lost its pg-boss message (sent again; a duplicate is harmless,
   * the claim below is atomic). The database's clock decides, never a node's. Also forgets old finished rows.
   */
  private async sweep(staleSeconds: number) {
    try {
      const stale = sql`${backgroundJobs.updatedAt} <= now() - make_interval(secs => ${staleSeconds})`;
      const abandoned = await this.db
        .update(backgroundJobs)
        .set({ state: 'failed', message: '任务多次中断，已停止，请重新发起', finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(backgroundJobs.state, 'running'), sql`${backgroundJobs.attempts} >= ${this.opts.maxAttempts}`, stale))
        .returning({ id: backgroundJobs.id, kind: backgroundJobs.kind, input: backgroundJobs.input });
      for (const j of abandoned) {
        this.opts.log.error({ jobId: j.id, kind: j.kind }, 'job given up: its node was lost too often');
        await this.ended(j.kind, j.input);
      }
      const again = await this.db
        .update(backgroundJobs)
        .set({
          state: 'queued',
          message: sql`case when ${backgroundJobs.state} = 'running' then '处理节点中断，任务将重新开始' else ${backgroundJobs.message} end`,
          updatedAt: sql`now()`,
        })
        .where(and(sql`${backgroundJobs.state} in ('queued', 'running')`, stale))
        .returning({ id: backgroundJobs.id });
      for (const j of again) await this.dispatch(j.id);
      await this.db.execute(
        sql`delete from background_jobs where state in ('done', 'failed') and finished_at < now() - make_interval(days => ${KEEP_FINISHED_DAYS})`,
      );
    } catch (err) {
      if (!this.stopped) this.opts.log.warn({ error: loggable(err) }, 'job sweep failed');
    }
  }

  private async ended(kind: string, input: unknown) {
    try {
      await this.handlers.get(kind)?.opts.onEnd?.(input as never);
    } catch (err) {
      this.opts.log.warn({ error: loggable(err), kind }, 'job clean-up failed');
    }
  }

  /** Claims the job (only a queued one: a duplicate delivery finds it taken) and runs it here. */
  private async run(id: string): Promise<void> {
    const db = this.db;
    const [job] = await db
      .update(backgroundJobs)
      .set({
        state: 'running',
        attempts: sql`${backgroundJobs.attempts} + 1`,
        startedAt: sql`now()`,
        updatedAt: sql`now()`,
        message: sql`case when ${backgroundJobs.attempts} = 0 then '任务进行中' else '处理节点中断，任务已重新开始' end`,
      })
      .where(and(eq(backgroundJobs.id, id), eq(backgroundJobs.state, 'queued')))
      .returning({ kind: backgroundJobs.kind, input: backgroundJobs.input, attempt: backgroundJobs.attempts });
    if (!job) return;
    const attempt = job.attempt;
    const mine = and(eq(backgroundJobs.id, id), eq(backgroundJobs.attempts, attempt), eq(backgroundJobs.state, 'running'));
    const abort = new AbortController();
    const touch = async (set: Partial<typeof backgroundJobs.$inferInsert>) => {
      const r = await db
        .update(backgroundJobs)
        .set({ ...set, updatedAt: sql`now()` })
        .where(mine)
        .returning({ id: backgroundJobs.id });
      if (!r.length) abort.abort();
      return r.length > 0;
    };
    const warn = (err: unknown) => this.opts.log.warn({ error: loggable(err), jobId: id }, 'job row write failed');

    // progress: the latest figures, written at most every PROGRESS_MS, one write at a time
    const latest = { done: 0, total: 0, message: null as string | null };
    let lastWrite = 0;
    let timer: NodeJS.Timeout | null = null;
    let writes: Promise<unknown> = Promise.resolve();
    const flush = () => {
      timer = null;
      lastWrite = Date.now();
      const s = { ...latest };
      writes = writes.then(() => touch({ done: s.done, total: s.total, ...(s.message ? { message: s.message } : {}) })).catch(warn);
    };
    const progress: ProgressFn = (done, total, message) => {
      // a superseded run stops at its next report instead of working on for nothing
      if (abort.signal.aborted) throw new JobSuperseded();
      latest.done = done;
      latest.total = total;
      if (message) latest.message = message;
      if (timer) return;
      const wait = lastWrite + PROGRESS_MS - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    };
    // the heartbeat: a node that stops writing it is taken for dead after staleSeconds
    const heartbeat = setInterval(
      () => {
        writes = writes.then(() => touch({})).catch(warn);
      },
      Math.max(500, (this.opts.staleSeconds * 1000) / 4),
    );
    heartbeat.unref();
    const ctx: JobContext = {
      jobId: id,
      attempt,
      progress,
      signal: abort.signal,
      async assertCurrent(tx) {
        const r = rowsOf<{ id: string }>(
          await tx.execute(sql`select id from background_jobs where id = ${id} and attempts = ${attempt} and state = 'running'`),
        );
        if (!r.length) throw new JobSuperseded();
      },
    };

    // which node runs which attempt: the log says (an operator following a job across nodes, the two-node test)
    this.opts.log.info({ jobId: id, kind: job.kind, attempt }, 'job started');
    const reg = this.handlers.get(job.kind);
    let outcome: { ok: true; result: unknown } | { ok: false; err: unknown };
    try {
      if (!reg) throw new Error(`job kind ${job.kind} is not registered on this node`);
      outcome = { ok: true, result: await reg.handler(job.input as never, ctx) };
    } catch (err) {
      outcome = { ok: false, err };
    }
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
    await writes;
    if (!outcome.ok && (outcome.err instanceof JobSuperseded || abort.signal.aborted)) return; // the newer run owns the row

    let finished: boolean;
    try {
      finished = outcome.ok
        ? await touch({
            state: 'done',
            result: storable(outcome.result ?? null),
            done: Math.max(latest.done, latest.total),
            total: latest.total,
            message: latest.message ?? '任务已完成',
            finishedAt: sql`now()` as unknown as Date,
          })
        : await touch({
            state: 'failed',
            // an AppError already speaks Chinese to the user; anything else stays in the log
            message: outcome.err instanceof AppError ? `任务失败：${outcome.err.message}` : '任务失败：服务器内部错误，请稍后重试',
            finishedAt: sql`now()` as unknown as Date,
          });
    } catch (err) {
      warn(err);
      // a result the database refused must not leave the job running for ever; if even this fails,
      // the database is gone (this node is stopping) and another node's sweep starts the job again
      finished = await touch({
        state: 'failed',
        message: '任务失败：服务器内部错误，请稍后重试',
        finishedAt: sql`now()` as unknown as Date,
      }).catch(() => false);
      if (!finished) return;
    }
    if (!outcome.ok) this.opts.log.error({ error: loggable(outcome.err), jobId: id, kind: job.kind, attempt }, 'job failed');
    else this.opts.log.info({ jobId: id, kind: job.kind, attempt }, 'job done');
    if (finished) await this.ended(job.kind, job.input);
  }
}
