import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { and, desc, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { campaigns, applications, subjects, titles, regions } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { renderCertificate } from './certificate.js';

/** Titles in scope: the applicant's own, or the region subtree (and categories) of staff. */
export function titleScopeSql(user: CurrentUser): SQL {
  const s = user.scope;
  if (s.role === 'applicant') return s.subjectId ? eq(titles.subjectId, s.subjectId) : sql`false`;
  if (!s.regionPath) return sql`false`;
  const inRegion = like(titles.regionPath, `${s.regionPath}%`);
  if (s.categoryCodes === null) return inRegion;
  return s.categoryCodes.length ? and(inRegion, inArray(titles.categoryCode, s.categoryCodes))! : sql`false`;
}

export const titleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get('/api/titles', { schema: { tags: ['titles'], summary: '已命名 Titles in scope' } }, async (req) => {
      const user = await ctx.requireUser(req);
      return db
        .select({ t: titles, subjectName: subjects.name, regionName: regions.name })
        .from(titles)
        .innerJoin(subjects, eq(subjects.id, titles.subjectId))
        .innerJoin(regions, eq(regions.id, subjects.regionId))
        .where(titleScopeSql(user))
        .orderBy(desc(titles.id))
        .limit(500)
        .then((rows) => rows.map((r) => ({ ...r.t, subjectName: r.subjectName, regionName: r.regionName })));
    });

    app.get(
      '/api/titles/:id/certificate.pdf',
      { schema: { tags: ['titles'], summary: '下载证书 Certificate PDF', params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        const [row] = await db
          .select({ t: titles, subjectName: subjects.name, campaignName: campaigns.name })
          .from(titles)
          .innerJoin(subjects, eq(subjects.id, titles.subjectId))
          .innerJoin(applications, eq(applications.id, titles.applicationId))
          .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
          .where(and(eq(titles.id, req.params.id), titleScopeSql(user)));
        if (!row) throw notFound('证书');
        const origin = `${req.protocol}://${req.host}`;
        const pdf = await renderCertificate({
          banner: bannerFor(row.campaignName),
          subjectName: row.subjectName,
          year: row.t.year,
          titleName: row.t.titleName,
          stars: row.t.stars,
          level: row.t.level,
          issuer: row.t.issuer,
          conferredOn: row.t.conferredOn,
          certificateNo: row.t.certificateNo,
          verifyUrl: `${origin}/verify/${row.t.certificateNo}`,
        });
        reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${row.subjectName}-${row.t.titleName}-证书.pdf`)}`);
        return reply.send(pdf);
      },
    );

    app.get(
      '/api/public/verify/:no',
      { schema: { tags: ['public'], summary: '证书查验（无需登录）Verify a certificate', params: z.object({ no: z.string().min(6).max(40) }) } },
      async (req) => {
        const [row] = await db
          .select({ t: titles, subjectName: subjects.name, regionName: regions.name })
          .from(titles)
          .innerJoin(subjects, eq(subjects.id, titles.subjectId))
          .innerJoin(regions, eq(regions.id, subjects.regionId))
          .where(eq(titles.certificateNo, req.params.no.trim().toUpperCase()));
        if (!row) throw notFound('证书');
        return {
          certificateNo: row.t.certificateNo,
          subjectName: row.subjectName,
          regionName: row.regionName,
          titleName: row.t.titleName,
          year: row.t.year,
          stars: row.t.stars,
          level: row.t.level,
          issuer: row.t.issuer,
          conferredOn: row.t.conferredOn,
          valid: row.t.revokedAt === null,
          revokeReason: row.t.revokeReason,
        };
      },
    );
  };

/** “十大平安”创建 from a campaign named 大托铺街道2026年“十大平安”创建: the quoted brand, else 平安创建. */
export function bannerFor(campaignName: string): string {
  const m = campaignName.match(/[“"]([^”"]+)[”"]/);
  return m ? `“${m[1]}”创建` : '平安创建';
}
