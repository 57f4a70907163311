import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { subjects } from '../../db/schema.js';
import { SESSION_COOKIE, login, logout } from './service.js';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: '登录 Log in',
          body: z.object({ username: z.string().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(256) }),
        },
      },
      async (req, reply) => {
        const s = await login(ctx.database.db, req.body.username.trim(), req.body.password, ctx.config.SESSION_HOURS);
        reply.setCookie(SESSION_COOKIE, s.token, {
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          expires: s.expiresAt,
          secure: req.protocol === 'https',
        });
        return { ok: true };
      },
    );

    app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出 Log out' } }, async (req, reply) => {
      await logout(ctx.database.db, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.get('/api/me', { schema: { tags: ['auth'], summary: '当前用户 Current account' } }, async (req) => {
      const u = await ctx.requireUser(req);
      let subject: { id: number; name: string; kind: string; unitType: string | null } | null = null;
      if (u.subjectId) {
        const [s] = await ctx.database.db
          .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, unitType: subjects.unitType })
          .from(subjects)
          .where(eq(subjects.id, u.subjectId));
        subject = s ?? null;
      }
      return {
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        org: u.org && { id: u.org.id, name: u.org.name, kind: u.org.kind, deptCode: u.org.deptCode, regionId: u.org.regionId, regionName: u.org.regionName },
        subject,
        categoryCodes: u.scope.categoryCodes,
      };
    });
  };
