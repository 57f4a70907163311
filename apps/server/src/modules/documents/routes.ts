import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** 打印文书: thin handlers over the contract in packages/contract/src/documents.ts. */
export const documentRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async () => {
    void ctx;
  };
