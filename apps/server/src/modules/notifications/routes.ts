import type { FastifyPluginAsync } from 'fastify';
import { notificationsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { listNotifications, markAllRead, markRead } from './service.js';

/** 通知: thin handlers over the contract in packages/contract/src/notifications.ts. */
export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async ({ query }, req) => {
      const u = await user(req);
      const unreadOnly = query.unread === '1' || query.unread === 'true';
      return listNotifications(db, u.id, { unreadOnly, limit: query.limit, offset: query.offset });
    });
    register(app, api.markAllRead, async (_input, req) => markAllRead(db, (await user(req)).id));
    register(app, api.markRead, async ({ params }, req) => markRead(db, (await user(req)).id, params.id));
  };
