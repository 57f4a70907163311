import type { FastifyPluginAsync } from 'fastify';
import { noticesApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import {
  conferNotice,
  getNoticeDetail,
  listNotices,
  noticeCandidates,
  publicNoticeDetail,
  publicNoticeList,
  publishNotice,
  removeNoticeItem,
  updateNotice,
  withdrawNotice,
} from './service.js';

/**
 * 公示: thin handlers over the contract in packages/contract/src/notices.ts. The public routes
 * answer through schemas that list only public fields.
 */
export const noticeRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async (_, req) => listNotices(db, await user(req)));
    register(app, api.candidates, async ({ query }, req) => noticeCandidates(db, await user(req), query));
    register(app, api.detail, async ({ params }, req) => getNoticeDetail(db, await user(req), params.id));
    register(app, api.publish, async ({ body }, req) => publishNotice(db, await user(req), body));
    register(app, api.update, async ({ params, body }, req) => updateNotice(db, await user(req), params.id, body));
    register(app, api.withdraw, async ({ params, body }, req) => withdrawNotice(db, await user(req), params.id, body.reason));
    register(app, api.removeItem, async ({ params, body }, req) =>
      removeNoticeItem(db, await user(req), params.id, params.applicationId, body),
    );
    register(app, api.confer, async ({ params }, req) => conferNotice(db, await user(req), params.id));

    register(app, api.publicList, async ({ query }) => publicNoticeList(db, query));
    register(app, api.publicDetail, async ({ params }) => publicNoticeDetail(db, params.code));
  };
