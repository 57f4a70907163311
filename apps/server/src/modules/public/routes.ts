import type { FastifyPluginAsync } from 'fastify';
import { publicCodesApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { requestCode } from './otp.js';

/** The public's one-time codes: thin handler over packages/contract/src/publicCodes.ts. */
export const publicCodeRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    // besides the per-number and per-address counts in otp.ts, a burst guard per address
    const burst = app.rateLimit({ max: 10, timeWindow: 60_000 });
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'POST' && req.routeOptions.url === api.request.path) await burst.call(app, req, reply);
    });
    register(app, api.request, async ({ body }, req) =>
      requestCode(ctx.database.db, ctx.keys, ctx.sms, { ...body, ip: req.ip }, new Date(), ctx.config.SMS_RESEND_SECONDS * 1000),
    );
  };
