import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** 报备: thin handlers over the contract in packages/contract/src/filings.ts. */
export const filingRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async () => {
    void ctx;
  };
