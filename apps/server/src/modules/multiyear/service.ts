import { and, asc, desc, eq, gt, gte, inArray, isNull } from 'drizzle-orm';
import { carryForwardPlan } from '@pingan/core';
import type { Db } from '../../db/client.js';
import {
  answers,
  applicationEvents,
  applications,
  campaignCategories,
  campaigns,
  categories,
  evidenceFiles,
  regions,
  subjects,
} from '../../db/schema.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import { AppError, notFound } from '../../errors.js';
import { today } from '../../clock.js';
import { loadStandardDoc, loadVisibleApplication } from '../applications/queries.js';
import { createApplication } from '../applications/service.js';

/**
 * 沿用上年申报: an applicant starts this year's draft from one of its earlier applications. The
 * statement and figures of every criterion whose wording and measures are the same in both
 * standard versions are copied; changed and new criteria are marked to be filled anew. Evidence
 * files are never copied. The link is an application event ('carry_forward', its reason naming the
 * earlier application), so the marks can be shown later without a column of their own.
 */

const EVENT = 'carry_forward';
const reasonFor = (year: number, id: number) => `沿用${year}年申报（编号${id}）`;
const sourceIdOf = (reason: string | null) => {
  const m = /编号(\d+)）$/.exec(reason ?? '');
  return m ? Number(m[1]) : null;
};

async function campaignYear(db: Db, campaignId: number) {
  const [c] = await db.select({ year: campaigns.year, name: campaigns.name }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (!c) throw notFound('创建活动');
  return c;
}

/** The source: an application of the account's own subject (404 otherwise). */
async function loadSource(db: Db, user: CurrentUser, applicationId: number) {
  requireRole(user, 'applicant');
  const app = await loadVisibleApplication(db, user, applicationId);
  return { app, campaign: await campaignYear(db, app.campaignId) };
}

export async function carryForwardOptions(db: Db, user: CurrentUser, applicationId: number) {
  const { app, campaign } = await loadSource(db, user, applicationId);
  const [subject] = await db
    .select({ path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(eq(subjects.id, app.subjectId));
  const [cat] = await db.select().from(categories).where(eq(categories.code, app.categoryCode));
  const open = await db
    .select({ id: campaigns.id, name: campaigns.name, year: campaigns.year, path: regions.path, chain: campaigns.chain })
    .from(campaigns)
    .innerJoin(campaignCategories, eq(campaignCategories.campaignId, campaigns.id))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(
      and(
        eq(campaignCategories.categoryCode, app.categoryCode),
        eq(campaigns.status, 'active'),
        gt(campaigns.year, campaign.year),
        gte(campaigns.applyDeadline, today()),
      ),
    )
    .orderBy(desc(campaigns.year), asc(campaigns.id));
  const fit = open.filter((c) => subject && subject.path.startsWith(c.path) && c.chain?.rules.entry !== 'recommendation');
  const existing = fit.length
    ? await db
        .select({ id: applications.id, campaignId: applications.campaignId })
        .from(applications)
        .where(
          and(
            inArray(
              applications.campaignId,
              fit.map((c) => c.id),
            ),
            eq(applications.categoryCode, app.categoryCode),
            eq(applications.subjectId, app.subjectId),
          ),
        )
    : [];
  return {
    source: {
      applicationId: app.id,
      year: campaign.year,
      campaignName: campaign.name,
      categoryCode: app.categoryCode,
      categoryName: cat?.name ?? app.categoryCode,
    },
    campaigns: fit.map((c) => ({
      id: c.id,
      name: c.name,
      year: c.year,
      existingApplicationId: existing.find((e) => e.campaignId === c.id)?.id ?? null,
    })),
  };
}

export async function carryForward(db: Db, user: CurrentUser, input: { applicationId: number; campaignId: number }) {
  const { app: src, campaign: from } = await loadSource(db, user, input.applicationId);
  const to = await campaignYear(db, input.campaignId);
  if (to.year <= from.year)
    throw new AppError('VALIDATION', `只能把以往年度的申报沿用到新的年度：该申报是${from.year}年的，所选活动是${to.year}年的`);
  const [dup] = await db
    .select({ id: applications.id })
    .from(applications)
    .where(
      and(
        eq(applications.campaignId, input.campaignId),
        eq(applications.categoryCode, src.categoryCode),
        eq(applications.subjectId, src.subjectId),
      ),
    );
  if (dup) throw new AppError('DUPLICATE', `本单位在该活动中已有此类别的申报（编号${dup.id}），不能再沿用上年申报`, { id: dup.id });
  // every rule of a new application holds (deadline, category, subject kind, entry by recommendation)
  const created = await createApplication(db, user, { campaignId: input.campaignId, categoryCode: src.categoryCode });
  const plan = carryForwardPlan(await loadStandardDoc(db, src.standardVersionId), await loadStandardDoc(db, created.standardVersionId));
  const copy = new Set(plan.copy);
  const old = (await db.select().from(answers).where(eq(answers.applicationId, src.id))).filter((a) => copy.has(a.criterionId));
  const files = await db
    .select({ id: evidenceFiles.id })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.applicationId, src.id), isNull(evidenceFiles.withdrawnAt)));
  await db.transaction(async (tx) => {
    await tx
      .update(applications)
      .set({ form: src.form, contactPhone: src.contactPhone, updatedAt: new Date() })
      .where(eq(applications.id, created.id));
    if (old.length)
      await tx.insert(answers).values(
        old.map((a) => ({
          applicationId: created.id,
          criterionId: a.criterionId,
          statement: a.statement,
          figures: a.figures,
          figuresMet: a.figuresMet,
        })),
      );
    await tx
      .insert(applicationEvents)
      .values({ applicationId: created.id, actorId: user.id, action: EVENT, toStatus: 'draft', reason: reasonFor(from.year, src.id) });
  });
  return {
    applicationId: created.id,
    fromApplicationId: src.id,
    fromYear: from.year,
    copied: old.map((a) => a.criterionId).sort((a, b) => plan.copy.indexOf(a) - plan.copy.indexOf(b)),
    changed: plan.marks,
    filesNotCopied: files.length,
  };
}

/** What a carried-forward application took over and what changed; empty for any other application. */
export async function carryForwardMarks(db: Db, user: CurrentUser, applicationId: number) {
  const app = await loadVisibleApplication(db, user, applicationId);
  const [ev] = await db
    .select({ reason: applicationEvents.reason })
    .from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, app.id), eq(applicationEvents.action, EVENT)))
    .orderBy(desc(applicationEvents.id))
    .limit(1);
  const srcId = sourceIdOf(ev?.reason ?? null);
  const [src] = srcId ? await db.select().from(applications).where(eq(applications.id, srcId)) : [];
  if (!src || src.subjectId !== app.subjectId) return { carriedFrom: null, copied: [], changed: [] };
  const from = await campaignYear(db, src.campaignId);
  const plan = carryForwardPlan(await loadStandardDoc(db, src.standardVersionId), await loadStandardDoc(db, app.standardVersionId));
  return {
    carriedFrom: { applicationId: src.id, year: from.year, campaignName: from.name },
    copied: plan.copy,
    changed: plan.marks,
  };
}
