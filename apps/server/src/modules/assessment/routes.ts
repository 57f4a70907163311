import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** 区域考评: thin handlers over the contract in packages/contract/src/assessment.ts. */
export const assessmentRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async () => {
    void ctx;
  };
