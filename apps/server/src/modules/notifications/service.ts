import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { notifications, outbox, users } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { countNotifications, listNotificationRows, type NotificationRow } from './queries.js';

export interface NotificationInput {
  /** assigned | deadline | returned | override | rectification | … */
  kind: string;
  /** Chinese, one line: 您有一项会签待办：云州市南门实验小学 平安校园 */
  title: string;
  body?: string | null;
  /** an in-app path, e.g. /applications/42 */
  link?: string | null;
  /** a reminder sent once per user and key */
  dedupeKey?: string | null;
}

/** The name mail and SMS go out under. */
export const SENDER_NAME = '平安创建';

/** The text of the mail or SMS for one notification: what happened and where to look, no more. */
export function outboxText(n: NotificationInput): { subject: string; body: string; sms: string } {
  const lines = [n.title, n.body ?? '', n.link ? `请登录平台查看：${n.link}` : '请登录平台查看'].filter(Boolean);
  return { subject: `【${SENDER_NAME}】${n.title}`, body: lines.join('\n'), sms: `【${SENDER_NAME}】${n.title}，请登录平台查看。` };
}

/**
 * Tells these users something in the app, and queues a mail (users.email) and an SMS (users.phone,
 * copied encrypted as it is stored: the outbox decrypts it only to send) for each in the outbox. Part of the caller's transaction, so the notification and its messages are
 * written together or not at all. A repeated dedupeKey is ignored, messages included. Answers how
 * many notifications were written (repeats not counted).
 */
export async function notify(db: Db | Tx, userIds: readonly number[], n: NotificationInput): Promise<number> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return 0;
  const inserted = await db
    .insert(notifications)
    .values(
      ids.map((userId) => ({
        userId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        link: n.link ?? null,
        dedupeKey: n.dedupeKey ?? null,
      })),
    )
    .onConflictDoNothing()
    .returning({ userId: notifications.userId });
  if (!inserted.length) return 0;
  const recipients = await db
    .select({ email: users.email, phone: users.phone })
    .from(users)
    .where(
      and(
        inArray(
          users.id,
          inserted.map((r) => r.userId),
        ),
        eq(users.disabled, false),
      ),
    );
  const text = outboxText(n);
  const rows: (typeof outbox.$inferInsert)[] = [];
  for (const r of recipients) {
    const email = r.email?.trim();
    const phone = r.phone?.trim();
    if (email) rows.push({ channel: 'mail', recipient: email, subject: text.subject, body: text.body });
    if (phone) rows.push({ channel: 'sms', recipient: phone, subject: null, body: text.sms });
  }
  if (rows.length) await db.insert(outbox).values(rows);
  return inserted.length;
}

export interface NotificationPage {
  items: NotificationRow[];
  total: number;
  unread: number;
}

/** The account's own notifications, newest first, with the total of the filter and the unread count. */
export async function listNotifications(
  db: Db,
  userId: number,
  q: { unreadOnly: boolean; limit: number; offset: number },
): Promise<NotificationPage> {
  const [items, counts] = await Promise.all([listNotificationRows(db, userId, q), countNotifications(db, userId)]);
  return { items, total: q.unreadOnly ? counts.unread : counts.total, unread: counts.unread };
}

/** Marks one of the account's own notifications read; another's is NOT_FOUND. */
export async function markRead(db: Db, userId: number, id: number, now = new Date()): Promise<{ id: number; readAt: string }> {
  const [own] = await db
    .select({ id: notifications.id, readAt: notifications.readAt })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
  if (!own) throw notFound('通知');
  if (own.readAt) return { id, readAt: own.readAt.toISOString() };
  await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return { id, readAt: now.toISOString() };
}

/** Marks all the account's unread notifications read; answers how many were. */
export async function markAllRead(db: Db, userId: number, now = new Date()): Promise<{ updated: number }> {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { updated: rows.length };
}
