import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import { today } from '../../clock.js';
import { sendDeadlineReminders } from './reminders.js';
import { safeMessage } from '../../http/failures.js';
import type { Keys } from '../../crypto/keys.js';
import { decrypt, isEncrypted } from '../../crypto/pii.js';

export type Channel = 'mail' | 'sms';

export interface OutboxMessage {
  id: number;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  /** attempts made before this one */
  attempts: number;
}

/** A way out for mail or SMS. Throwing means "not sent": the message stays in the outbox and is retried. */
export interface Sender {
  channel: Channel;
  send(msg: OutboxMessage): Promise<void>;
}

/** What the log sender and the worker write to: pino's logger (app.log) fits. */
export interface LineLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** 13812341234 → 138****1234; w.zhang@x.com → w***@x.com. Never the whole recipient in a log. */
export function maskRecipient(channel: Channel, recipient: string): string {
  const r = recipient.trim();
  if (channel === 'mail') {
    const at = r.lastIndexOf('@');
    if (at <= 0) return '***';
    return `${r[0]}***${r.slice(at)}`;
  }
  const digits = r.replace(/[^\d+]/g, '');
  if (digits.length < 7) return '***';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * The default sender: one line a message in the server log (masked recipient, the subject's length
 * only, never the body), so a deployment without a mail or SMS gateway loses nothing and leaks nothing.
 */
export class LogSender implements Sender {
  constructor(
    readonly channel: Channel,
    private readonly log: LineLogger,
  ) {}
  async send(msg: OutboxMessage): Promise<void> {
    this.log.info(`outbox ${this.channel} #${msg.id} → ${maskRecipient(msg.channel, msg.recipient)} (${msg.body.length} chars)`);
  }
}

export const defaultSenders = (log: LineLogger): Sender[] => [new LogSender('mail', log), new LogSender('sms', log)];

/** Backoff after the n-th failed attempt (1-based): 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h. */
const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];
/** After this many failed attempts a message is marked failed (and kept, for an administrator). */
export const MAX_ATTEMPTS = 8;
/** A claimed message is not claimed again for this long: a worker that dies mid-send leaves it to be retried. */
const LEASE_MS = 10 * 60_000;

export function backoffMs(failedAttempts: number): number {
  return BACKOFF_MS[Math.min(Math.max(failedAttempts, 1), BACKOFF_MS.length) - 1]!;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Sends what is due. Claims due pending rows in one statement (FOR UPDATE SKIP LOCKED, so two
 * workers on PostgreSQL never take the same row; PGlite runs it the same way on its one connection)
 * by pushing their next attempt past a lease, sends each outside any transaction, then marks it sent,
 * or counts the failure and schedules the next try with backoff, or after MAX_ATTEMPTS marks it failed.
 */
export async function drainOutbox(
  db: Db,
  senders: readonly Sender[],
  opts: { now?: Date; batch?: number; keys?: Keys } = {},
): Promise<DrainResult> {
  const now = opts.now ?? new Date();
  const batch = Math.max(1, Math.min(opts.batch ?? 50, 1000));
  const nowIso = now.toISOString();
  const leaseIso = new Date(now.getTime() + LEASE_MS).toISOString();
  const res = (await db.execute(sql`
    update ${outbox} set next_attempt_at = ${leaseIso}::timestamptz
    where id in (
      select id from ${outbox}
      where status = 'pending' and next_attempt_at <= ${nowIso}::timestamptz
      order by next_attempt_at, id
      limit ${batch}
      for update skip locked
    )
    returning id, channel, recipient, subject, body, attempts`)) as unknown as {
    rows: { id: number; channel: Channel; recipient: string; subject: string | null; body: string; attempts: number }[];
  };
  const claimed = res.rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
  const byChannel = new Map(senders.map((s) => [s.channel, s] as const));
  const out: DrainResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  for (const msg of claimed) {
    const sender = byChannel.get(msg.channel);
    try {
      if (!sender) throw new Error(`no sender for channel ${msg.channel}`);
      // a phone is stored encrypted (users.phone, copied as it is): opened only to hand it to the sender
      const recipient = isEncrypted(msg.recipient) ? (opts.keys ? decrypt(opts.keys, msg.recipient) : null) : msg.recipient;
      if (recipient === null) throw new Error('recipient is encrypted and no key was given');
      await sender.send({ ...msg, recipient });
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: new Date(), attempts: msg.attempts + 1, lastError: null })
        .where(and(eq(outbox.id, msg.id), eq(outbox.status, 'pending')));
      out.sent++;
    } catch (e) {
      const attempts = msg.attempts + 1;
      const lastError = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .update(outbox)
        .set({
          attempts,
          lastError,
          status: failed ? 'failed' : 'pending',
          nextAttemptAt: failed ? now : new Date(now.getTime() + backoffMs(attempts)),
        })
        .where(and(eq(outbox.id, msg.id), eq(outbox.status, 'pending')));
      if (failed) out.failed++;
      else out.retried++;
    }
  }
  return out;
}

export interface OutboxWorker {
  /** stops the timers and waits for a pass under way */
  stop(): Promise<void>;
}

const REMINDER_EVERY_MS = 6 * 3_600_000;
/** the first pass waits a moment, so start-up (and short-lived test servers) are not slowed */
const FIRST_PASS_MS = 5_000;

/**
 * Drains the outbox every `intervalMs` and sends deadline reminders once shortly after start and then
 * every 6 hours (each reminder only once, by its dedupe key). Timers are unref'd: they never keep the
 * process alive. Errors go to the log; the next pass tries again.
 */
export function startOutboxWorker(db: Db, senders: readonly Sender[], log: LineLogger, intervalMs = 30_000, keys?: Keys): OutboxWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  let lastReminders = 0;
  const pass = () => {
    if (stopped || running) return;
    running = (async () => {
      try {
        const now = Date.now();
        if (now - lastReminders >= REMINDER_EVERY_MS) {
          lastReminders = now;
          // the platform's calendar day (China time, CLOCK_OFFSET_DAYS included)
          const n = await sendDeadlineReminders(db, today());
          if (n > 0) log.info(`deadline reminders: ${n} sent`);
        }
        if (stopped) return;
        const r = await drainOutbox(db, senders, { keys });
        if (r.retried || r.failed) log.warn(`outbox: ${r.sent} sent, ${r.retried} to retry, ${r.failed} failed`);
      } catch (e) {
        log.error(`outbox worker: ${e instanceof Error ? safeMessage(e.message, true) : 'error'}`);
      } finally {
        running = null;
      }
    })();
  };
  const first = setTimeout(pass, Math.min(FIRST_PASS_MS, intervalMs));
  const timer = setInterval(pass, intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      if (running) await running;
    },
  };
}
