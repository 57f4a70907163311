import type { FastifyPluginAsync } from 'fastify';
import { assessmentApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { computeIndicators, indicatorsXlsx, listIndicators, recordIndicator } from './service.js';
import { computeRanking, getRanking, listRankings, publishRanking, rankingXlsx, rankingsXlsx } from './ranking.js';
import { fillIndicatorFigures } from './fill.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 区域考评: thin handlers over the contract in packages/contract/src/assessment.ts. */
export const assessmentRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.indicators, async ({ query }, req, reply) => {
      const { format, limit, offset, ...filter } = query;
      const u = await user(req);
      if (format === 'xlsx') return sendFile(reply, await indicatorsXlsx(db, u, filter), XLSX, `${filter.year}年地区指标.xlsx`);
      return listIndicators(db, u, { ...filter, limit, offset });
    });
    register(app, api.compute, async ({ body }, req) => computeIndicators(db, await user(req), body));
    register(app, api.record, async ({ body }, req) => recordIndicator(db, await user(req), body));

    register(app, api.rankings, async ({ query }, req, reply) => {
      const { format, limit, offset, ...filter } = query;
      const u = await user(req);
      if (format === 'xlsx') return sendFile(reply, await rankingsXlsx(db, u, filter), XLSX, '年度排名列表.xlsx');
      return listRankings(db, u, { ...filter, limit, offset });
    });
    register(app, api.ranking, async ({ query }, req, reply) => {
      const { format, ...key } = query;
      const u = await user(req);
      if (format === 'xlsx') return sendFile(reply, await rankingXlsx(db, u, key), XLSX, `${key.year}年度排名.xlsx`);
      return getRanking(db, u, key);
    });
    register(app, api.computeRanking, async ({ body }, req) => computeRanking(db, await user(req), body));
    register(app, api.publishRanking, async ({ body }, req) => publishRanking(db, await user(req), body));

    register(app, api.fill, async ({ params }, req) => fillIndicatorFigures(db, await user(req), params.id));
  };
