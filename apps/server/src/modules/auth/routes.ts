import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register } from '../../http/contract.js';
import { clientOf } from '../../http/client.js';
import { SESSION_COOKIE, changePassword, currentAccount, listSessions, login, logout, revokeOtherSessions, type SessionPolicy } from './service.js';

/** Routes that try a password: throttled per client address (LOGIN_RATE_PER_MINUTE). */
const THROTTLED = new Set<string>([api.login.path, api.changePassword.path]);

/** 登录: thin handlers over the contract in packages/contract/src/auth.ts. */
export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const c = ctx.config;
    const policy: SessionPolicy = { sessionHours: c.SESSION_HOURS, idleMinutes: c.SESSION_IDLE_MINUTES, lockoutFailures: c.LOCKOUT_FAILURES, lockoutMinutes: c.LOCKOUT_MINUTES };
    const client = clientOf;

    // @fastify/rate-limit is registered at the root (http/security.ts); one counter per address for both routes
    const limit = app.rateLimit({ max: c.LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 });
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.method === 'POST' && THROTTLED.has(req.routeOptions.url ?? '')) await limit.call(app, req, reply);
    });

    register(app, api.login, async ({ body }, req, reply) => {
      const s = await login(db, body.username.trim(), body.password, policy, client(req), req.cookies[SESSION_COOKIE]);
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        expires: s.expiresAt,
        // behind a TLS proxy this needs TRUST_PROXY, so that req.protocol reads X-Forwarded-Proto
        secure: req.protocol === 'https',
      });
      return { ok: true as const };
    });

    register(app, api.logout, async (_input, req, reply) => {
      await logout(db, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    });

    register(app, api.sessions, async (_input, req) => listSessions(db, await ctx.requireUser(req), req.cookies[SESSION_COOKIE], c.SESSION_IDLE_MINUTES));

    register(app, api.revokeOtherSessions, async (_input, req) => {
      const u = await ctx.requireUser(req);
      return { ok: true as const, revoked: await revokeOtherSessions(db, u.id, req.cookies[SESSION_COOKIE]) };
    });

    register(app, api.changePassword, async ({ body }, req) => {
      await changePassword(db, await ctx.requireUser(req), body.currentPassword, body.newPassword, policy, req.cookies[SESSION_COOKIE]);
      return { ok: true as const };
    });

    register(app, api.me, async (_input, req) => currentAccount(db, await ctx.requireUser(req)));
  };
