import { z } from 'zod';
import { IdParams, Page, Timestamp, route } from './route.js';

/** 通知: an account's own notifications in the app (mail and SMS leave through the outbox). */

export const NotificationItem = z.object({
  id: z.number(),
  /** assigned | deadline | returned | override | rectification | … */
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  /** an in-app path, e.g. /applications/42 */
  link: z.string().nullable(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});

export const NotificationPage = z.object({
  items: z.array(NotificationItem),
  /** the total of the filter (all, or unread only) */
  total: z.number(),
  unread: z.number(),
});

export const notificationsApi = {
  list: route({
    id: 'listNotifications',
    method: 'GET',
    path: '/api/notifications',
    summary: '我的通知 My notifications (newest first, with the unread count)',
    tags: ['notifications'],
    auth: 'session',
    query: z.object({ unread: z.enum(['0', '1', 'true', 'false']).optional(), ...Page }),
    status: 200,
    response: NotificationPage,
  }),
  markAllRead: route({
    id: 'markAllNotificationsRead',
    method: 'POST',
    path: '/api/notifications/read-all',
    summary: '全部标为已读 Mark all my notifications read',
    tags: ['notifications'],
    auth: 'session',
    status: 200,
    response: z.object({ updated: z.number() }),
  }),
  markRead: route({
    id: 'markNotificationRead',
    method: 'POST',
    path: '/api/notifications/:id/read',
    summary: '标为已读 Mark one of my notifications read',
    tags: ['notifications'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({ id: z.number(), readAt: Timestamp }),
  }),
};
