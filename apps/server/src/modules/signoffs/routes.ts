import type { FastifyPluginAsync } from 'fastify';
import { signoffsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { matrix, matrixExport, override, saveScores, sign, worklist, worklistExport } from './service.js';
import { streamXlsx } from '../../http/xlsx.js';

/** 会签: thin handlers over the contract in packages/contract/src/signoffs.ts. */
export const signoffRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.worklist, async ({ query }, req, reply) => {
      const u = await user(req);
      const { format, limit, offset, ...q } = query;
      if (format === 'xlsx') {
        const x = worklistExport(db, u, q);
        return streamXlsx(reply, '会签待办.xlsx', '会签待办', x.columns, x.fetch);
      }
      return worklist(db, u, { ...q, limit, offset });
    });
    register(app, api.saveScores, async ({ params, body }, req) => saveScores(db, await user(req), params.id, body));
    register(app, api.sign, async ({ params, body }, req) => sign(db, await user(req), params.id, body));
    register(app, api.override, async ({ params, body }, req) => override(db, await user(req), params.id, body));
    register(app, api.matrix, async ({ query }, req, reply) => {
      const u = await user(req);
      const { format, limit, offset, ...q } = query;
      if (format === 'xlsx') {
        const x = await matrixExport(db, u, q);
        return streamXlsx(reply, '会签情况.xlsx', '会签情况', x.columns, x.fetch);
      }
      return matrix(db, u, { ...q, limit, offset });
    });
  };
