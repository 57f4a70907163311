import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register } from '../../http/contract.js';
import { clientOf } from '../../http/client.js';
import { currentPolicy } from '../policy/service.js';
import {
  SESSION_COOKIE,
  changePassword,
  confirmTotp,
  currentAccount,
  disableTotp,
  listSessions,
  login,
  logout,
  revokeOtherSessions,
  setupTotp,
} from './service.js';

/** Routes that try a password or a TOTP code: throttled per client address (LOGIN_RATE_PER_MINUTE). */
const THROTTLED = new Set<string>([api.login.path, api.changePassword.path, api.totpConfirm.path, api.totpDisable.path]);

/** 登录: thin handlers over the contract in packages/contract/src/auth.ts. */
export const authRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const c = ctx.config;
    // the security policy in force (settings, cached briefly; defaults from the configuration)
    const policy = () => currentPolicy(db, c);
    const client = clientOf;

    // @fastify/rate-limit is registered at the root (http/security.ts); one counter per address for both routes
    const limit = app.rateLimit({ max: c.LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 });
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.method === 'POST' && THROTTLED.has(req.routeOptions.url ?? '')) await limit.call(app, req, reply);
    });

    register(app, api.login, async ({ body }, req, reply) => {
      const s = await login(
        db,
        ctx.keys,
        { username: body.username.trim(), password: body.password, otp: body.otp },
        await policy(),
        client(req),
        req.cookies[SESSION_COOKIE],
      );
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        expires: s.expiresAt,
        // behind a TLS proxy this needs TRUST_PROXY, so that req.protocol reads X-Forwarded-Proto
        secure: req.protocol === 'https',
      });
      return s.answer;
    });

    register(app, api.logout, async (_input, req, reply) => {
      await logout(db, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    });

    register(app, api.sessions, async (_input, req) =>
      listSessions(db, await ctx.requireUser(req), req.cookies[SESSION_COOKIE], await policy()),
    );

    register(app, api.revokeOtherSessions, async (_input, req) => {
      const u = await ctx.requireUser(req);
      return { ok: true as const, revoked: await revokeOtherSessions(db, u.id, req.cookies[SESSION_COOKIE]) };
    });

    register(app, api.changePassword, async ({ body }, req) => {
      await changePassword(
        db,
        await ctx.requireUser(req),
        body.currentPassword,
        body.newPassword,
        await policy(),
        req.cookies[SESSION_COOKIE],
      );
      return { ok: true as const };
    });

    register(app, api.totpSetup, async (_input, req) => setupTotp(db, ctx.keys, await ctx.requireUser(req)));
    register(app, api.totpConfirm, async ({ body }, req) => {
      await confirmTotp(db, ctx.keys, await ctx.requireUser(req), body.code, await policy());
      return { ok: true as const };
    });
    register(app, api.totpDisable, async ({ body }, req) => {
      await disableTotp(db, ctx.keys, await ctx.requireUser(req), body, await policy());
      return { ok: true as const };
    });

    register(app, api.me, async (_input, req) => {
      const u = await ctx.requireUser(req);
      // requireUser (modules/auth/session.ts) resolved the flags with the account
      if (!req.accountFlags) throw new AppError('UNAUTHENTICATED');
      return currentAccount(db, u, req.accountFlags, await policy());
    });
  };
