import ExcelJS from 'exceljs';
import { and, asc, count, desc, eq, gt, gte, ilike, lt, lte, max, sql, type SQL } from 'drizzle-orm';
import { ROLE_LABELS, type Role } from '@pingan/core';
import { AUDIT_EXPORT_MAX, type AuditFilters } from '@pingan/contract';
import type { Db, Tx } from '../../db/client.js';
import { auditLog, users } from '../../db/schema.js';
import { hmac, type Keys } from '../../crypto/keys.js';
import { forbidden } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { actionLabel } from './actions.js';

/** One row of the trail, as callers hand it in. No request bodies, no personal data in `detail`. */
export interface AuditEntry {
  actor: { id: number; username: string; role: string } | null;
  /** for failed logins: the name as typed, when no account matched */
  username?: string | null;
  client: { ip: string; userAgent: string | null } | null;
  /** the contract's route id (login, saveDraft, downloadEvidence …) or a dotted event name (pii.view …) */
  action: string;
  objectType?: string | null;
  objectId?: string | number | null;
  result: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown> | null;
}

export const GENESIS = '0'.repeat(64);
/** The action of the row a purge leaves behind; its detail.lastHash anchors the first remaining row. */
export const PURGE_ACTION = 'purgeAudit';
/** Serialises writers of the chain (pg_advisory_xact_lock key). */
const CHAIN_LOCK = 7262021;

type Row = typeof auditLog.$inferSelect;
type Executor = Db | Tx;

/** JSON with object keys sorted at every level: jsonb gives keys back in its own order, the hash must not care. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sorted(o[k])]),
    );
  }
  return v;
}

/** detail as jsonb will hold it: plain JSON (undefined dropped, dates as text), or null. */
function plainDetail(d: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (d == null) return null;
  return JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
}

/** The text the HMAC covers: every column but the hash, in a fixed order, time in UTC ms, detail with sorted keys. */
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
    sorted(r.detail ?? null),
    r.prevHash,
  ]);
}

const rowsOf = <T>(res: unknown): T[] => (res as { rows: T[] }).rows;

async function lockChain(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
}

async function chainTip(tx: Executor): Promise<string | null> {
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return last?.hash ?? null;
}

type LinkedRow = {
  id: number;
  at: Date;
  userId: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: AuditEntry['result'];
  detail: ReturnType<typeof plainDetail>;
  prevHash: string;
};

/** The row for entry `e` with id `id`, linked to `prevHash`, and its hash. */
function linkedRow(keys: Keys, e: AuditEntry, id: number, prevHash: string): { row: LinkedRow; hash: string } {
  const row: LinkedRow = {
    id,
    at: new Date(),
    userId: e.actor?.id ?? null,
    username: e.actor?.username ?? e.username ?? null,
    role: e.actor?.role ?? null,
    ip: e.client?.ip ?? null,
    userAgent: e.client?.userAgent ?? null,
    action: e.action,
    objectType: e.objectType ?? null,
    objectId: e.objectId == null ? null : String(e.objectId),
    result: e.result,
    detail: plainDetail(e.detail),
    prevHash,
  };
  return { row, hash: hmac(keys, canonical(row)) };
}

const rowValues = ({ row, hash }: { row: LinkedRow; hash: string }) =>
  sql`(${row.id}, ${row.at.toISOString()}, ${row.userId}, ${row.username}, ${row.role}, ${row.ip}, ${row.userAgent}, ${row.action},
    ${row.objectType}, ${row.objectId}, ${row.result}, ${row.detail === null ? null : JSON.stringify(row.detail)}::jsonb, ${row.prevHash}, ${hash})`;

/**
 * Inserts the entries in order, each linked to the one before and the first to `prevHash`; the
 * caller holds the chain lock inside a transaction. Ids come from the sequence in one statement and
 * the rows go in one INSERT: 2 statements however many entries wait. Returns the last hash.
 */
async function insertLinked(tx: Executor, entries: readonly { keys: Keys; e: AuditEntry }[], prevHash: string): Promise<string> {
  const idRes = await tx.execute(
    sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::float8 as id from generate_series(1, ${entries.length}::int)`,
  );
  // the chain runs in id order: ids taken together are handed out in ascending order
  const ids = rowsOf<{ id: number | string }>(idRes)
    .map((r) => Number(r.id))
    .sort((x, y) => x - y);
  let prev = prevHash;
  const rows = entries.map(({ keys, e }, i) => {
    const linked = linkedRow(keys, e, ids[i]!, prev);
    prev = linked.hash;
    return linked;
  });
  await tx.execute(sql`insert into audit_log (id, at, user_id, username, role, ip, user_agent, action, object_type, object_id, result, detail, prev_hash, hash)
    overriding system value values ${sql.join(rows.map(rowValues), sql`, `)}`);
  return prev;
}

/**
 * Appends one row inside the caller's transaction, chained to the one before it: for a row that
 * must stand or fall with the change it records. The advisory lock serialises writers so the chain
 * has no forks; the id is taken from the sequence inside the lock so ids and chain order agree.
 */
export async function appendAudit(tx: Executor, keys: Keys, e: AuditEntry): Promise<void> {
  await lockChain(tx);
  await insertLinked(tx, [{ keys, e }], (await chainTip(tx)) ?? GENESIS);
}

interface Waiting {
  keys: Keys;
  e: AuditEntry;
  resolve(): void;
  reject(err: unknown): void;
}
/** One writer at a time per database handle in this process, and the entries waiting for it. */
const queues = new WeakMap<object, { waiting: Waiting[]; running: boolean }>();
/** Entries written in one transaction at most. */
const BATCH = 200;

/**
 * Appends one row in a transaction of its own (see appendAudit). Writes from this process queue
 * behind each other, so a burst of answers takes one pooled connection, not all of them; entries
 * that arrive while a write is under way go together in the next transaction (one lock, one commit,
 * chained in arrival order), so the trail keeps up with a burst instead of falling behind it.
 * Other processes are kept in order by the advisory lock. Not from inside a transaction on the same
 * PGlite database (its one connection is taken): use appendAudit(tx, …) there.
 */
export function recordAudit(db: Db, keys: Keys, e: AuditEntry): Promise<void> {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = { waiting: [], running: false }));
  const queue = q;
  return new Promise<void>((resolve, reject) => {
    queue.waiting.push({ keys, e, resolve, reject });
    if (!queue.running) void drain(db, queue);
  });
}

async function drain(db: Db, q: { waiting: Waiting[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.waiting.length) {
      const batch = q.waiting.splice(0, BATCH);
      try {
        await db.transaction(async (tx) => {
          await lockChain(tx);
          await insertLinked(tx, batch, (await chainTip(tx)) ?? GENESIS);
        });
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  } finally {
    q.running = false;
  }
}

export interface VerifyResult {
  rows: number;
  firstBroken: { id: number; reason: 'hash' | 'link' } | null;
}

/**
 * Walks the chain in id order, a page at a time; names the first row whose hash or link is wrong.
 * The first row links to GENESIS, or, after a purge, to the last purged row: then a purge row of
 * the trail (itself verified on the walk) must name that hash, or the first row's link is broken.
 */
export async function verifyAudit(db: Db, keys: Keys): Promise<VerifyResult> {
  let after = 0;
  let prev: string | null = null;
  let rows = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, after)).orderBy(asc(auditLog.id)).limit(5000);
    if (page.length === 0) return { rows, firstBroken: null };
    for (const r of page) {
      rows++;
      if (prev === null) {
        if (r.prevHash !== GENESIS && !(await purgeAnchors(db, r))) return { rows, firstBroken: { id: r.id, reason: 'link' } };
      } else if (r.prevHash !== prev) return { rows, firstBroken: { id: r.id, reason: 'link' } };
      if (hmac(keys, canonical(r)) !== r.hash) return { rows, firstBroken: { id: r.id, reason: 'hash' } };
      prev = r.hash;
      after = r.id;
    }
  }
}

/** Is there a purge row, at or after `first`, whose lastHash is the hash `first` links to? */
async function purgeAnchors(db: Db, first: Row): Promise<boolean> {
  const [hit] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.action, PURGE_ACTION), gte(auditLog.id, first.id), sql`${auditLog.detail}->>'lastHash' = ${first.prevHash}`))
    .limit(1);
  return !!hit;
}

// ───────────────────────────── the audit administrator ─────────────────────────────

/** The module's one permission check: the trail is the audit administrator's (审计管理员) alone. */
export function assertAuditor(user: CurrentUser): void {
  if (user.role !== 'audit_admin') throw forbidden('只有审计管理员可以查阅和管理审计日志');
}

/** 00:00 of a calendar day in Beijing time. */
const beijingMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);
const nextDay = (day: string) => new Date(beijingMidnight(day).getTime() + 86_400_000);

function whereOf(f: AuditFilters): SQL | undefined {
  const conds: SQL[] = [];
  if (f.from) conds.push(gte(auditLog.at, beijingMidnight(f.from)));
  if (f.to) conds.push(lt(auditLog.at, nextDay(f.to)));
  if (f.username) conds.push(ilike(auditLog.username, `%${f.username.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.action) conds.push(eq(auditLog.action, f.action));
  if (f.result) conds.push(eq(auditLog.result, f.result));
  if (f.objectType) conds.push(eq(auditLog.objectType, f.objectType));
  if (f.objectId) conds.push(eq(auditLog.objectId, f.objectId));
  if (f.untilId) conds.push(lte(auditLog.id, f.untilId));
  return conds.length ? and(...conds) : undefined;
}

const present = (r: Row) => ({
  id: r.id,
  at: r.at.toISOString(),
  userId: r.userId,
  username: r.username,
  role: r.role,
  ip: r.ip,
  userAgent: r.userAgent,
  action: r.action,
  objectType: r.objectType,
  objectId: r.objectId,
  result: r.result,
  detail: r.detail ?? null,
});

/**
 * GET /api/audit: the filtered trail, newest first, a page at a time, with the filter's total. The
 * list is pinned to the rows up to `untilId` (the newest row when not given, answered back), since
 * looking at the trail itself adds rows that would otherwise shift every later page.
 */
export async function listAudit(db: Db, f: AuditFilters & { limit: number; offset: number }) {
  const untilId = f.untilId ?? Number((await db.select({ n: max(auditLog.id) }).from(auditLog))[0]?.n ?? 0);
  const where = whereOf({ ...f, untilId });
  const [rows, [total]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { items: rows.map(present), total: Number(total?.n ?? 0), untilId };
}

const beijingTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
/** e.g. 2026-05-01 14:03:22 +08:00 */
export const fmtBeijing = (d: Date) => `${beijingTime.format(d)} +08:00`;

const RESULT_ZH: Record<string, string> = { ok: '成功', denied: '拒绝', failed: '失败' };
const roleZh = (r: string | null) => (r ? (ROLE_LABELS[r as Role]?.zh ?? r) : '');

/** GET /api/audit/export: the filtered trail as .xlsx, the newest AUDIT_EXPORT_MAX rows at most; a second sheet says what it holds. */
export async function auditXlsx(db: Db, f: AuditFilters): Promise<Buffer> {
  const { items, total } = await listAudit(db, { ...f, limit: AUDIT_EXPORT_MAX, offset: 0 });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('审计日志');
  ws.columns = [
    { header: '编号', key: 'id', width: 10 },
    { header: '时间（北京时间）', key: 'at', width: 28 },
    { header: '账号', key: 'username', width: 18 },
    { header: '角色', key: 'role', width: 14 },
    { header: 'IP地址', key: 'ip', width: 18 },
    { header: '终端（User-Agent）', key: 'userAgent', width: 40 },
    { header: '操作', key: 'label', width: 26 },
    { header: '操作代码', key: 'action', width: 24 },
    { header: '对象类型', key: 'objectType', width: 14 },
    { header: '对象编号', key: 'objectId', width: 12 },
    { header: '结果', key: 'result', width: 8 },
    { header: '状态码', key: 'status', width: 8 },
    { header: '错误代码', key: 'code', width: 20 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of items) {
    const d = r.detail ?? {};
    ws.addRow({
      id: r.id,
      at: fmtBeijing(new Date(r.at)),
      username: r.username ?? '',
      role: roleZh(r.role),
      ip: r.ip ?? '',
      userAgent: r.userAgent ?? '',
      label: actionLabel(r.action),
      action: r.action,
      objectType: r.objectType ?? '',
      objectId: r.objectId ?? '',
      result: RESULT_ZH[r.result] ?? r.result,
      status: typeof d.status === 'number' ? d.status : '',
      code: typeof d.code === 'string' ? d.code : '',
    });
  }
  const about = wb.addWorksheet('说明');
  about.columns = [
    { header: '项目', key: 'k', width: 16 },
    { header: '内容', key: 'v', width: 60 },
  ];
  about.getRow(1).font = { bold: true };
  const filters = Object.entries(f)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('；');
  about.addRows([
    { k: '导出时间', v: fmtBeijing(new Date()) },
    { k: '筛选条件', v: filters || '（无）' },
    { k: '符合条件', v: `${total} 条` },
    {
      k: '本文件',
      v:
        total > items.length
          ? `最新的 ${items.length} 条（单次导出上限 ${AUDIT_EXPORT_MAX} 条，请缩小时间范围分批导出）`
          : `全部 ${items.length} 条`,
    },
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface PurgeResult {
  purged: number;
  cutoff: string;
  lastHash: string | null;
}

/**
 * POST /api/audit/purge: deletes the rows older than the earlier of `before` (00:00 Beijing time)
 * and now − retentionDays, in one transaction that sets pingan.audit_purge (the trigger of
 * migration 0003 refuses any other DELETE). The rows go as a prefix of the chain (every id below
 * the first row at or after the cut-off), and the purge row written in the same transaction names
 * the last purged hash, which the first remaining row links to: verifyAudit passes afterwards.
 */
export async function purgeAudit(
  db: Db,
  keys: Keys,
  who: { actor: AuditEntry['actor']; client: AuditEntry['client'] },
  before: string,
  retentionDays: number,
): Promise<PurgeResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local pingan.audit_purge = 'on'`);
    await lockChain(tx);
    const [plan] = rowsOf<{ cutoff_ms: number | string; bound: number | string | null; tip: string | null }>(
      await tx.execute(sql`with c as (select least(${beijingMidnight(before).toISOString()}::timestamptz, now() - make_interval(days => ${retentionDays}::int)) as cutoff)
        select floor(extract(epoch from c.cutoff) * 1000)::float8 as cutoff_ms,
          coalesce((select min(id) from audit_log where at >= c.cutoff), (select coalesce(max(id), 0) + 1 from audit_log))::float8 as bound,
          (select hash from audit_log order by id desc limit 1) as tip
        from c`),
    );
    const bound = Number(plan!.bound);
    const [lastPurged] = await tx
      .select({ hash: auditLog.hash })
      .from(auditLog)
      .where(lt(auditLog.id, bound))
      .orderBy(desc(auditLog.id))
      .limit(1);
    const [gone] = rowsOf<{ n: number | string }>(
      await tx.execute(sql`with d as (delete from audit_log where id < ${bound} returning 1) select count(*)::float8 as n from d`),
    );
    const purged = Number(gone?.n ?? 0);
    const cutoff = new Date(Number(plan!.cutoff_ms)).toISOString();
    const lastHash = lastPurged?.hash ?? null;
    // linked to the chain's tip as it was before the purge, so the link holds even when every row went
    await insertLinked(
      tx,
      [
        {
          keys,
          e: {
            ...who,
            action: PURGE_ACTION,
            objectType: 'audit',
            result: 'ok',
            detail: { status: 200, count: purged, lastHash, cutoff, before },
          },
        },
      ],
      plan!.tip ?? GENESIS,
    );
    return { purged, cutoff, lastHash };
  });
}

/** The account of a user name, as the trail names an actor (a login that succeeded). */
export async function accountByUsername(db: Db, username: string): Promise<AuditEntry['actor']> {
  const [u] = await db.select({ id: users.id, username: users.username, role: users.role }).from(users).where(eq(users.username, username));
  return u ?? null;
}
