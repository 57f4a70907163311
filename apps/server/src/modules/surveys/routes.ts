import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.js';

/** 问卷调查: thin handlers over the contract in packages/contract/src/surveys.ts. */
export const surveyRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async () => {
    void ctx;
  };
