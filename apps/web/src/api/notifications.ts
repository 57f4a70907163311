import type { ResponseOf } from '@pingan/contract';
import { notificationsApi as contract } from '@pingan/contract';
import { call } from './client';

/** Types derived from the contract (packages/contract/src/notifications.ts). */
export type NotificationPage = ResponseOf<typeof contract.list>;
export type NotificationItem = NotificationPage['items'][number];

export const notificationsApi = {
  list: (q: { unread?: boolean; limit?: number; offset?: number } = {}) =>
    call(contract.list, { query: { unread: q.unread ? '1' : undefined, limit: q.limit, offset: q.offset } }),
  markRead: (id: number) => call(contract.markRead, { params: { id } }),
  markAllRead: () => call(contract.markAllRead, {}),
};

/** Only in-app paths are followed: a link is a path on this site, never another origin. */
export function safeLink(link: string | null): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}
