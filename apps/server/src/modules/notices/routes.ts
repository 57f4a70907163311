import type { FastifyPluginAsync } from 'fastify';
import { noticesApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { streamXlsx, type Column } from '../../http/xlsx.js';
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

    register(app, api.list, async ({ query }, req, reply) => {
      const all = await listNotices(db, await user(req));
      if (query.format !== 'xlsx') return all;
      return streamXlsx(reply, '公示.xlsx', '公示', NOTICE_COLUMNS, async (o, l) => all.slice(o, o + l));
    });
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

type NoticeRow = Awaited<ReturnType<typeof listNotices>>[number];
const NOTICE_STATE_ZH: Record<NoticeRow['state'], string> = { upcoming: '未开始', open: '公示中', ended: '已结束', withdrawn: '已撤回' };
const NOTICE_COLUMNS: Column<NoticeRow>[] = [
  { header: '编号', width: 8, value: (n) => n.id },
  { header: '公示标题', width: 40, value: (n) => n.title },
  { header: '创建活动', width: 36, value: (n) => n.campaignName },
  { header: '区域', width: 14, value: (n) => n.regionName },
  { header: '开始日期', width: 12, value: (n) => n.startsOn },
  { header: '结束日期', width: 12, value: (n) => n.endsOn },
  { header: '状态', width: 10, value: (n) => NOTICE_STATE_ZH[n.state] ?? n.state },
  { header: '公示对象', width: 10, value: (n) => n.items },
  { header: '公示中', width: 10, value: (n) => n.inNotice },
  { header: '已命名', width: 10, value: (n) => n.conferred },
  { header: '已撤下', width: 10, value: (n) => n.removed },
];
