import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';
import { hmac, type Keys } from '../../crypto/keys.js';

/** One row of the trail, as callers hand it in. No request bodies, no personal data in `detail`. */
export interface AuditEntry {
  actor: { id: number; username: string; role: string } | null;
  /** for failed logins: the name as typed, when no account matched */
  username?: string | null;
  client: { ip: string; userAgent: string | null } | null;
  /** dotted: login.ok, login.failed, application.submit, evidence.upload, export.applications, pii.view … */
  action: string;
  objectType?: string | null;
  objectId?: string | number | null;
  result: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown> | null;
}

export const GENESIS = '0'.repeat(64);

type Row = typeof auditLog.$inferSelect;

/** The text the HMAC covers: every column but the hash, in a fixed order, time in UTC ms. */
export function canonical(r: Omit<Row, 'hash' | 'id'> & { id: number }): string {
  return JSON.stringify([
    r.id,
    r.at.getTime(),
    r.userId,
    r.username,
    r.role,
    r.ip,
    r.userAgent,
    r.action,
    r.objectType,
    r.objectId,
    r.result,
    r.detail ?? null,
    r.prevHash,
  ]);
}

/**
 * Appends one row, chained to the one before it. The advisory lock serialises writers so the chain
 * has no forks; the id is taken from the sequence inside the lock so ids and chain order agree.
 */
export async function recordAudit(db: Db, keys: Keys, e: AuditEntry): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7262021)`);
    const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const idRes = await tx.execute(sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::int as id`);
    const id = Number((idRes as unknown as { rows: { id: number }[] }).rows[0]!.id);
    const at = new Date(Math.floor(Date.now()));
    const row = {
      id,
      at,
      userId: e.actor?.id ?? null,
      username: e.actor?.username ?? e.username ?? null,
      role: e.actor?.role ?? null,
      ip: e.client?.ip ?? null,
      userAgent: e.client?.userAgent ?? null,
      action: e.action,
      objectType: e.objectType ?? null,
      objectId: e.objectId == null ? null : String(e.objectId),
      result: e.result,
      detail: e.detail ?? null,
      prevHash: last?.hash ?? GENESIS,
    };
    await tx.execute(sql`insert into audit_log (id, at, user_id, username, role, ip, user_agent, action, object_type, object_id, result, detail, prev_hash, hash)
      overriding system value values (${row.id}, ${row.at.toISOString()}, ${row.userId}, ${row.username}, ${row.role}, ${row.ip}, ${row.userAgent}, ${row.action},
      ${row.objectType}, ${row.objectId}, ${row.result}, ${row.detail === null ? null : JSON.stringify(row.detail)}::jsonb, ${row.prevHash}, ${hmac(keys, canonical(row))})`);
  });
}

/** Walks the chain in id order, a page at a time; names the first row whose hash or link is wrong. */
export async function verifyAudit(db: Db, keys: Keys): Promise<{ rows: number; firstBroken: { id: number; reason: 'hash' | 'link' } | null }> {
  let after = 0;
  let prev: string | null = null;
  let rows = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, after)).orderBy(asc(auditLog.id)).limit(5000);
    if (page.length === 0) return { rows, firstBroken: null };
    for (const r of page) {
      rows++;
      // the first row left after a purge links to a purged row: its link is taken as given (the purge itself is in the trail)
      if (prev !== null && r.prevHash !== prev) return { rows, firstBroken: { id: r.id, reason: 'link' } };
      if (hmac(keys, canonical(r)) !== r.hash) return { rows, firstBroken: { id: r.id, reason: 'hash' } };
      prev = r.hash;
      after = r.id;
    }
  }
}
