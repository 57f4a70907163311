import type { Db, Tx } from '../../db/client.js';
import { notifications } from '../../db/schema.js';

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

/** Tells these users something in the app. Part of the caller's transaction; a repeated dedupeKey is ignored. */
export async function notify(db: Db | Tx, userIds: readonly number[], n: NotificationInput): Promise<void> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  await db
    .insert(notifications)
    .values(ids.map((userId) => ({ userId, kind: n.kind, title: n.title, body: n.body ?? null, link: n.link ?? null, dedupeKey: n.dedupeKey ?? null })))
    .onConflictDoNothing();
}
