import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import { allCriteria, maxPoints } from '@pingan/core';
import type { AppContext } from '../../context.js';
import { categories, standardVersions, standards } from '../../db/schema.js';
import { notFound } from '../../errors.js';

export const standardRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get('/api/standards', { schema: { tags: ['standards'], summary: '标准库 Standards library' } }, async (req) => {
      await ctx.requireUser(req);
      const rows = await db
        .select({ s: standards, categoryName: categories.name, v: standardVersions })
        .from(standards)
        .innerJoin(categories, eq(categories.code, standards.categoryCode))
        .innerJoin(standardVersions, eq(standardVersions.standardId, standards.id))
        .orderBy(asc(standards.id), asc(standardVersions.version));
      const out = new Map<number, { id: number; code: string; title: string; issuer: string; categoryCode: string; categoryName: string; versions: { id: number; version: number; note: string | null; criteria: number; maxPoints: number; createdAt: Date }[] }>();
      for (const r of rows) {
        const e = out.get(r.s.id) ?? { id: r.s.id, code: r.s.code, title: r.s.title, issuer: r.s.issuer, categoryCode: r.s.categoryCode, categoryName: r.categoryName, versions: [] };
        e.versions.push({ id: r.v.id, version: r.v.version, note: r.v.note, criteria: allCriteria(r.v.doc).length, maxPoints: maxPoints(r.v.doc), createdAt: r.v.createdAt });
        out.set(r.s.id, e);
      }
      return [...out.values()];
    });

    app.get(
      '/api/standard-versions/:id',
      { schema: { tags: ['standards'], summary: '标准版本全文 One standard version', params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req) => {
        await ctx.requireUser(req);
        const [v] = await db.select().from(standardVersions).where(eq(standardVersions.id, req.params.id));
        if (!v) throw notFound('标准版本');
        return { id: v.id, standardId: v.standardId, version: v.version, note: v.note, createdAt: v.createdAt, doc: v.doc };
      },
    );

    app.get('/api/categories', { schema: { tags: ['standards'], summary: '创建类别 Categories' } }, async (req) => {
      await ctx.requireUser(req);
      return db.select().from(categories).orderBy(asc(categories.code));
    });
  };
