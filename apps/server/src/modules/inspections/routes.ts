import type { FastifyPluginAsync } from 'fastify';
import { inspectionsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { drawInspectionSample, getSample, listSamples, recordItem, results, resultsXlsx } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 明查暗访: thin handlers over the contract in packages/contract/src/inspections.ts. */
export const inspectionRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.draw, async ({ body }, req) => drawInspectionSample(db, await user(req), body));
    register(app, api.list, async ({ query }, req) => listSamples(db, await user(req), query.year));
    register(app, api.detail, async ({ params }, req) => getSample(db, await user(req), params.id));
    register(app, api.record, async ({ params, body }, req) => recordItem(db, await user(req), params.id, body));
    register(app, api.results, async ({ query }, req, reply) => {
      const u = await user(req);
      if (query.format === 'xlsx') return sendFile(reply, await resultsXlsx(db, u, query.year), XLSX, `明查暗访结果${query.year}.xlsx`);
      return results(db, u, query.year);
    });
  };
