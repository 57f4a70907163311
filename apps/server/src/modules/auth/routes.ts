import type { FastifyPluginAsync } from 'fastify';
import { authApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { SESSION_COOKIE, currentAccount, login, logout } from './service.js';

/** 登录: thin handlers over the contract in packages/contract/src/auth.ts. */
export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;

    register(app, api.login, async ({ body }, req, reply) => {
      const s = await login(db, body.username.trim(), body.password, ctx.config.SESSION_HOURS);
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        expires: s.expiresAt,
        secure: req.protocol === 'https',
      });
      return { ok: true as const };
    });

    register(app, api.logout, async (_input, req, reply) => {
      await logout(db, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    });

    register(app, api.me, async (_input, req) => currentAccount(db, await ctx.requireUser(req)));
  };
