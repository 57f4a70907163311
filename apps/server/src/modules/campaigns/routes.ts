import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { campaignCategories, campaigns, categories, regions, standardVersions, standards, subjects } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import type { Db } from '../../db/client.js';

const DateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD');

/** Path of the region the account works in: its organisation's, or its subject's. */
async function accountRegionPath(db: Db, user: CurrentUser): Promise<string | null> {
  if (user.org) return user.org.regionPath;
  if (!user.subjectId) return null;
  const [r] = await db.select({ path: regions.path }).from(subjects).innerJoin(regions, eq(regions.id, subjects.regionId)).where(eq(subjects.id, user.subjectId));
  return r?.path ?? null;
}

/**
 * Campaigns an account sees: those run by its own region or a region above it (a county office
 * follows the city's round), and, for staff, those run inside its subtree.
 */
async function visibleCampaignIds(db: Db, user: CurrentUser): Promise<number[]> {
  const path = await accountRegionPath(db, user);
  if (!path) return [];
  const rows = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(sql`${path} like ${regions.path} || '%' ${user.org ? sql`or ${regions.path} like ${path + '%'}` : sql``}`);
  return rows.map((r) => r.id);
}

export const campaignRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.get('/api/campaigns', { schema: { tags: ['campaigns'], summary: '创建活动列表 Campaigns' } }, async (req) => {
      const user = await ctx.requireUser(req);
      const ids = await visibleCampaignIds(db, user);
      if (!ids.length) return [];
      const rows = await db
        .select({ c: campaigns, regionName: regions.name })
        .from(campaigns)
        .innerJoin(regions, eq(regions.id, campaigns.regionId))
        .where(inArray(campaigns.id, ids))
        .orderBy(desc(campaigns.year), desc(campaigns.id));
      const cats = await db
        .select({
          cc: campaignCategories,
          name: categories.name,
          standardTitle: standards.title,
          version: standardVersions.version,
          // who may apply, so the applicant's form offers only categories it can hold
          who: sql<{ subjectKinds: string[]; unitTypes: string[] }>`${standardVersions.doc}->'category'`,
        })
        .from(campaignCategories)
        .innerJoin(categories, eq(categories.code, campaignCategories.categoryCode))
        .innerJoin(standardVersions, eq(standardVersions.id, campaignCategories.standardVersionId))
        .innerJoin(standards, eq(standards.id, standardVersions.standardId))
        .where(inArray(campaignCategories.campaignId, ids))
        .orderBy(asc(campaignCategories.id));
      return rows.map(({ c, regionName }) => ({
        id: c.id,
        name: c.name,
        year: c.year,
        regionName,
        applyDeadline: c.applyDeadline,
        reviewDeadline: c.reviewDeadline,
        phases: c.phases,
        categories: cats
          .filter((x) => x.cc.campaignId === c.id)
          .map((x) => ({
            code: x.cc.categoryCode,
            name: x.name,
            standardVersionId: x.cc.standardVersionId,
            standardTitle: x.standardTitle,
            version: x.version,
            quota: x.cc.quota,
            subjectKinds: x.who.subjectKinds,
            unitTypes: x.who.unitTypes ?? [],
          })),
      }));
    });

    app.post(
      '/api/campaigns',
      {
        schema: {
          tags: ['campaigns'],
          summary: '新建创建活动 Create a campaign (平安办)',
          body: z
            .object({
              name: z.string().trim().min(2, '活动名称至少2个字').max(100),
              year: z.number().int().min(2000).max(2100),
              applyDeadline: DateStr,
              reviewDeadline: DateStr,
              phases: z
                .array(z.object({ key: z.enum(['mobilise', 'apply', 'guide', 'accept']), name: z.string().min(1).max(50), start: DateStr, end: DateStr }))
                .max(10)
                .default([]),
              categories: z
                .array(z.object({ standardVersionId: z.number().int().positive(), quota: z.number().int().positive().nullish() }))
                .min(1, '至少选择一个创建类别'),
            })
            .refine((b) => b.reviewDeadline >= b.applyDeadline, { message: '评审截止日期不能早于申报截止日期', path: ['reviewDeadline'] })
            .refine((b) => b.phases.every((p) => p.end >= p.start), { message: '阶段结束日期不能早于开始日期', path: ['phases'] }),
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        requireRole(user, 'safety_office');
        const body = req.body;
        const versions = await db
          .select({ id: standardVersions.id, categoryCode: standards.categoryCode })
          .from(standardVersions)
          .innerJoin(standards, eq(standards.id, standardVersions.standardId))
          .where(inArray(standardVersions.id, body.categories.map((c) => c.standardVersionId)));
        if (versions.length !== new Set(body.categories.map((c) => c.standardVersionId)).size) throw notFound('标准版本');
        const codes = versions.map((v) => v.categoryCode);
        if (new Set(codes).size !== codes.length) throw new AppError('VALIDATION', '同一创建类别只能选择一个标准版本');
        const id = await db.transaction(async (tx) => {
          const [c] = await tx
            .insert(campaigns)
            .values({
              regionId: user.org!.regionId,
              orgId: user.org!.id,
              year: body.year,
              name: body.name,
              applyDeadline: body.applyDeadline,
              reviewDeadline: body.reviewDeadline,
              phases: body.phases,
              createdBy: user.id,
            })
            .returning({ id: campaigns.id });
          await tx.insert(campaignCategories).values(
            body.categories.map((x) => ({
              campaignId: c!.id,
              categoryCode: versions.find((v) => v.id === x.standardVersionId)!.categoryCode,
              standardVersionId: x.standardVersionId,
              quota: x.quota ?? null,
            })),
          );
          return c!.id;
        });
        reply.code(201);
        return { id };
      },
    );
  };

export { visibleCampaignIds };
