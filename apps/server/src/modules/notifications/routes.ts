import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { listNotifications, markAllRead, markRead } from './service.js';

const Id = z.coerce.number().int().positive().max(2147483647);

const Notification = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

const Page = z.object({ items: z.array(Notification), total: z.number(), unread: z.number() });

export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get(
      '/api/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: '我的通知 My notifications (newest first, with the unread count)',
          querystring: z.object({
            unread: z.enum(['0', '1', 'true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          }),
          response: { 200: Page },
        },
      },
      async (req) => {
        const user = await ctx.requireUser(req);
        const unreadOnly = req.query.unread === '1' || req.query.unread === 'true';
        return listNotifications(db, user.id, { unreadOnly, limit: req.query.limit, offset: req.query.offset });
      },
    );

    app.post(
      '/api/notifications/read-all',
      {
        schema: { tags: ['notifications'], summary: '全部标为已读 Mark all my notifications read', response: { 200: z.object({ updated: z.number() }) } },
      },
      async (req) => {
        const user = await ctx.requireUser(req);
        return markAllRead(db, user.id);
      },
    );

    app.post(
      '/api/notifications/:id/read',
      {
        schema: {
          tags: ['notifications'],
          summary: '标为已读 Mark one of my notifications read',
          params: z.object({ id: Id }),
          response: { 200: z.object({ id: z.number(), readAt: z.string() }) },
        },
      },
      async (req) => {
        const user = await ctx.requireUser(req);
        return markRead(db, user.id, req.params.id);
      },
    );
  };
