import type { FastifyPluginAsync } from 'fastify';
import { signoffsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { matrix, matrixXlsx, override, saveScores, sign, worklist, worklistXlsx } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 会签: thin handlers over the contract in packages/contract/src/signoffs.ts. */
export const signoffRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.worklist, async ({ query }, req, reply) => {
      const u = await user(req);
      const { format, limit, offset, ...q } = query;
      if (format === 'xlsx') return sendFile(reply, await worklistXlsx(db, u, q), XLSX, '会签待办.xlsx');
      return worklist(db, u, { ...q, limit, offset });
    });
    register(app, api.saveScores, async ({ params, body }, req) => saveScores(db, await user(req), params.id, body));
    register(app, api.sign, async ({ params, body }, req) => sign(db, await user(req), params.id, body));
    register(app, api.override, async ({ params, body }, req) => override(db, await user(req), params.id, body));
    register(app, api.matrix, async ({ query }, req, reply) => {
      const u = await user(req);
      const { format, limit, offset, ...q } = query;
      if (format === 'xlsx') return sendFile(reply, await matrixXlsx(db, u, q), XLSX, '会签情况.xlsx');
      return matrix(db, u, { ...q, limit, offset });
    });
  };
