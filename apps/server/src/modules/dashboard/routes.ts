import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { and, eq, isNull, like, sql } from 'drizzle-orm';
import { isStaff } from '@pingan/core';
import type { AppContext } from '../../context.js';
import { applications, categories, regions, subjects, titles } from '../../db/schema.js';
import { forbidden } from '../../errors.js';
import { applicationScopeSql } from '../applications/queries.js';
import { titleScopeSql } from '../titles/routes.js';

/** Figures for the account's own region (and, for a department, its categories). */
export const dashboardRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;
    app.get('/api/dashboard', { schema: { tags: ['dashboard'], summary: '工作台统计 Figures for my region' } }, async (req) => {
      const user = await ctx.requireUser(req);
      if (!isStaff(user.role) || !user.org) throw forbidden('统计仅对工作人员开放');
      const path = user.org.regionPath;
      const [units, byStatus, byStars, byCategory] = await Promise.all([
        db
          .select({ kind: subjects.kind, n: sql<number>`count(*)::int` })
          .from(subjects)
          .innerJoin(regions, eq(regions.id, subjects.regionId))
          .where(like(regions.path, `${path}%`))
          .groupBy(subjects.kind),
        db
          .select({ status: applications.status, n: sql<number>`count(*)::int` })
          .from(applications)
          .where(applicationScopeSql(user.scope))
          .groupBy(applications.status),
        db
          .select({ stars: titles.stars, n: sql<number>`count(*)::int` })
          .from(titles)
          .where(and(titleScopeSql(user), isNull(titles.revokedAt)))
          .groupBy(titles.stars),
        db
          .select({ code: applications.categoryCode, name: categories.name, status: applications.status, n: sql<number>`count(*)::int` })
          .from(applications)
          .innerJoin(categories, eq(categories.code, applications.categoryCode))
          .where(applicationScopeSql(user.scope))
          .groupBy(applications.categoryCode, categories.name, applications.status),
      ]);
      return {
        region: { id: user.org.regionId, name: user.org.regionName },
        categoryCodes: user.scope.categoryCodes,
        subjects: Object.fromEntries(units.map((u) => [u.kind, u.n])),
        applicationsByStatus: Object.fromEntries(byStatus.map((s) => [s.status, s.n])),
        titlesByStars: Object.fromEntries(byStars.map((s) => [String(s.stars), s.n])),
        byCategory,
      };
    });
  };
