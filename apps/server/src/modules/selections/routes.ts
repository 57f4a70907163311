import type { FastifyPluginAsync } from 'fastify';
import { selectionsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { listSelections, runSelection } from './service.js';

/** 星级评选: thin handlers over the contract in packages/contract/src/selections.ts. */
export const selectionRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async ({ params }, req) => listSelections(db, await user(req), params.id));
    register(app, api.run, async ({ params, body }, req) => runSelection(db, await user(req), params.id, body));
  };
