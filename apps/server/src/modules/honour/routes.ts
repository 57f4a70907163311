import type { FastifyPluginAsync } from 'fastify';
import { honourApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { today } from '../../clock.js';
import { honourCsv, honourExport, honourList, publicTitle } from './service.js';

/** Per address and minute: a title's page (the certificate check), the open-data files, the roll. */
export const HONOUR_RATE_LIMITS = { title: 30, export: 20, list: 120 } as const;

/** 荣誉榜 and a title's public page: thin handlers over packages/contract/src/honour.ts (no login). */
export const honourRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    // the two open-data files share one count
    const exports = app.rateLimit({ max: HONOUR_RATE_LIMITS.export, timeWindow: 60_000 });
    const limits = new Map<string, ReturnType<typeof app.rateLimit>>([
      [api.title.path, app.rateLimit({ max: HONOUR_RATE_LIMITS.title, timeWindow: 60_000 })],
      [api.exportCsv.path, exports],
      [api.exportJson.path, exports],
      [api.list.path, app.rateLimit({ max: HONOUR_RATE_LIMITS.list, timeWindow: 60_000 })],
    ]);
    app.addHook('onRequest', async (req, reply) => {
      const limit = req.method === 'GET' && req.routeOptions.url ? limits.get(req.routeOptions.url) : undefined;
      if (limit) await limit.call(app, req, reply);
    });

    register(app, api.list, async ({ query }) => honourList(db, query));

    register(app, api.exportJson, async ({ query }, _req, reply) => {
      reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`平安创建荣誉榜-${today()}.json`)}`);
      return honourExport(db, query);
    });

    register(app, api.exportCsv, async ({ query }, _req, reply) => {
      const data = await honourExport(db, query);
      return sendFile(reply, honourCsv(data.items), 'text/csv; charset=utf-8', `平安创建荣誉榜-${data.generatedOn}.csv`);
    });

    register(app, api.title, async ({ params }) => publicTitle(db, params.no));
  };
