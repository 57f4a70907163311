import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { analyticsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { registerMultiyear } from '../multiyear/routes.js';
import { categoryYears, drilldown, ranking, regionYears, surveyProgress, trends, unitHistory, units } from './service.js';
import {
  categoryYearsXlsx,
  drilldownXlsx,
  rankingXlsx,
  regionYearsXlsx,
  surveysXlsx,
  trendsXlsx,
  unitHistoryXlsx,
  unitsXlsx,
} from './xlsx.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const send = (reply: FastifyReply, f: { data: Buffer; name: string }) => sendFile(reply, f.data, XLSX, f.name);

/** 数据分析: thin handlers over the contract in packages/contract/src/analytics.ts. */
export const analyticsRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.drilldown, async ({ query: { format, ...q } }, req, reply) =>
      format === 'xlsx' ? send(reply, await drilldownXlsx(db, await user(req), q)) : drilldown(db, await user(req), q),
    );
    register(app, api.units, async ({ query: { format, limit, offset, ...q } }, req, reply) => {
      const u = await user(req);
      if (format === 'xlsx') return send(reply, await unitsXlsx(db, u, q));
      const { items, total } = await units(db, u, { ...q, limit, offset });
      return { items, total };
    });
    register(app, api.unitHistory, async ({ query }, req, reply) =>
      query.format === 'xlsx'
        ? send(reply, await unitHistoryXlsx(db, await user(req), query.subjectId))
        : unitHistory(db, await user(req), query.subjectId),
    );
    register(app, api.matrix, async ({ query }, req, reply) =>
      query.format === 'xlsx'
        ? send(reply, await categoryYearsXlsx(db, await user(req), query.regionId))
        : categoryYears(db, await user(req), query.regionId),
    );
    register(app, api.trends, async ({ query }, req, reply) =>
      query.format === 'xlsx'
        ? send(reply, await trendsXlsx(db, await user(req), query.regionId))
        : trends(db, await user(req), query.regionId),
    );
    register(app, api.ranking, async ({ query: { format, ...q } }, req, reply) =>
      format === 'xlsx' ? send(reply, await rankingXlsx(db, await user(req), q)) : ranking(db, await user(req), q),
    );
    register(app, api.surveys, async ({ query: { format, ...q } }, req, reply) =>
      format === 'xlsx' ? send(reply, await surveysXlsx(db, await user(req), q)) : surveyProgress(db, await user(req), q),
    );
    register(app, api.regionYears, async ({ query }, req, reply) =>
      query.format === 'xlsx'
        ? send(reply, await regionYearsXlsx(db, await user(req), query.regionId))
        : regionYears(db, await user(req), query.regionId),
    );
    registerMultiyear(app, ctx);
  };
