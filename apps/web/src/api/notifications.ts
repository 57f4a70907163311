import { api } from './client';

export interface NotificationItem {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  total: number;
  unread: number;
}

export const notificationsApi = {
  list: (q: { unread?: boolean; limit?: number; offset?: number } = {}) =>
    api.get<NotificationPage>('/api/notifications', { unread: q.unread ? 1 : undefined, limit: q.limit, offset: q.offset }),
  markRead: (id: number) => api.post<{ id: number; readAt: string }>(`/api/notifications/${id}/read`),
  markAllRead: () => api.post<{ updated: number }>('/api/notifications/read-all'),
};

/** Only in-app paths are followed: a link is a path on this site, never another origin. */
export function safeLink(link: string | null): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}
