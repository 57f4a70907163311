import type { FastifyPluginAsync } from 'fastify';
import { titlesApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { certificatePdf, listTitles, verifyCertificate } from './service.js';

/** Kept for the modules that import them from here (dashboard); they live in queries.ts and service.ts. */
export { titleScopeSql } from './queries.js';
export { bannerFor } from './service.js';

/** 命名: thin handlers over the contract in packages/contract/src/titles.ts. */
export const titleRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async (_, req) => listTitles(db, await user(req)));

    register(app, api.certificate, async ({ params }, req, reply) => {
      const pdf = await certificatePdf(db, await user(req), params.id, `${req.protocol}://${req.host}`);
      return sendFile(reply, pdf.data, 'application/pdf', pdf.fileName);
    });

    register(app, api.verify, async ({ params }) => verifyCertificate(db, params.no));
  };
