import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** 名册导入: thin handlers over the contract in packages/contract/src/roster.ts. */
export const rosterRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async () => {
    void ctx;
  };
