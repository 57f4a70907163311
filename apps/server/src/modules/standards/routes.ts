import type { FastifyPluginAsync } from 'fastify';
import { standardsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { getStandardVersion, listCategories, listStandards } from './service.js';

/** 标准库: thin handlers over the contract in packages/contract/src/standards.ts (reading). */
export const standardRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async (_input, req) => {
      await user(req);
      return listStandards(db);
    });
    register(app, api.version, async ({ params }, req) => {
      await user(req);
      return getStandardVersion(db, params.id);
    });
    register(app, api.categories, async (_input, req) => {
      await user(req);
      return listCategories(db);
    });
  };
