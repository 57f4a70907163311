import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** 数据分析: thin handlers over the contract in packages/contract/src/analytics.ts. */
export const analyticsRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async () => {
    void ctx;
  };
