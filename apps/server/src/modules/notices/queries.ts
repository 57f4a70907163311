import { publicCode } from '../../crypto/codes.js';
import { and, asc, count, desc, eq, ilike, inArray, isNull, like, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  applicationEvents,
  applications,
  campaigns,
  categories,
  noticeItems,
  organisations,
  publicNotices,
  regions,
  subjects,
  standardVersions,
} from '../../db/schema.js';

export type NoticeRow = typeof publicNotices.$inferSelect;

/** A notice with its campaign's owner region and notice minimum. */
export async function loadNotice(db: Db | Tx, id: number) {
  const [r] = await db
    .select({
      n: publicNotices,
      campaignRegionId: campaigns.regionId,
      campaignOrgId: campaigns.orgId,
      minNoticeDays: campaigns.minNoticeDays,
      regionPath: regions.path,
    })
    .from(publicNotices)
    .innerJoin(campaigns, eq(campaigns.id, publicNotices.campaignId))
    .innerJoin(regions, eq(regions.id, publicNotices.regionId))
    .where(eq(publicNotices.id, id));
  return r ?? null;
}

const countItems = (where: ReturnType<typeof sql>) =>
  sql<number>`(select count(*)::int from ${noticeItems} join ${applications} on ${applications.id} = ${noticeItems.applicationId} where ${noticeItems.noticeId} = ${publicNotices.id} and ${where})`;

/** Notices run by offices in a region subtree, newest first. */
export async function noticesInRegion(db: Db, regionPath: string) {
  return db
    .select({
      id: publicNotices.id,
      title: publicNotices.title,
      body: publicNotices.body,
      startsOn: publicNotices.startsOn,
      endsOn: publicNotices.endsOn,
      status: publicNotices.status,
      withdrawnReason: publicNotices.withdrawnReason,
      revision: publicNotices.revision,
      regionName: regions.name,
      campaignId: publicNotices.campaignId,
      campaignName: campaigns.name,
      campaignRegionId: campaigns.regionId,
      minNoticeDays: campaigns.minNoticeDays,
      items: sql<number>`(select count(*)::int from ${noticeItems} where ${noticeItems.noticeId} = ${publicNotices.id})`,
      inNotice: countItems(sql`${applications.status} = 'in_notice' and ${noticeItems.removedAt} is null`),
      conferred: countItems(sql`${applications.status} = 'conferred' and ${noticeItems.removedAt} is null`),
      removed: sql<number>`(select count(*)::int from ${noticeItems} where ${noticeItems.noticeId} = ${publicNotices.id} and ${noticeItems.removedAt} is not null)`,
      publicCode: publicNotices.publicCode,
    })
    .from(publicNotices)
    .innerJoin(regions, eq(regions.id, publicNotices.regionId))
    .innerJoin(campaigns, eq(campaigns.id, publicNotices.campaignId))
    .where(like(regions.path, `${regionPath}%`))
    .orderBy(desc(publicNotices.id));
}

/** The names on a notice, for staff: ids, statuses and removal reasons included. */
export async function noticeItemRows(db: Db | Tx, noticeId: number) {
  return db
    .select({
      applicationId: applications.id,
      subjectName: subjects.name,
      subjectKind: subjects.kind,
      /** stars (000) or a title conferred or not (001, 002): a title-only standard shows no stars */
      scheme: sql<'stars' | 'title'>`coalesce(${standardVersions.doc}->>'scheme', 'stars')`,
      regionName: regions.name,
      categoryName: categories.name,
      stars: applications.stars,
      score: applications.score,
      status: applications.status,
      removedAt: noticeItems.removedAt,
      removedReason: noticeItems.removedReason,
      publicCode: noticeItems.publicCode,
    })
    .from(noticeItems)
    .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .innerJoin(standardVersions, eq(standardVersions.id, applications.standardVersionId))
    .where(eq(noticeItems.noticeId, noticeId))
    .orderBy(asc(categories.name), asc(subjects.name), asc(applications.id));
}

export async function applicationsByIds(db: Db, ids: number[]) {
  return ids.length ? db.select().from(applications).where(inArray(applications.id, ids)) : [];
}

/** Applications of a notice still to confer: in notice and not taken off it. */
export async function itemsToConfer(db: Db, noticeId: number) {
  return db
    .select({ a: applications, year: campaigns.year, categoryName: categories.name })
    .from(noticeItems)
    .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(eq(noticeItems.noticeId, noticeId), eq(applications.status, 'in_notice'), isNull(noticeItems.removedAt)));
}

export async function insertNotice(
  tx: Tx,
  values: Omit<typeof publicNotices.$inferInsert, 'publicCode'>,
  applicationIds: number[],
): Promise<number> {
  const [n] = await tx
    .insert(publicNotices)
    .values({ ...values, publicCode: publicCode() })
    .returning({ id: publicNotices.id });
  await tx
    .insert(noticeItems)
    .values(applicationIds.map((applicationId) => ({ noticeId: n!.id, applicationId, publicCode: publicCode() })));
  return n!.id;
}

export async function updateNoticeRow(
  tx: Tx | Db,
  id: number,
  revision: number,
  values: Partial<typeof publicNotices.$inferInsert>,
): Promise<boolean> {
  const done = await tx
    .update(publicNotices)
    .set({ ...values, revision: sql`${publicNotices.revision} + 1` })
    .where(and(eq(publicNotices.id, id), eq(publicNotices.revision, revision)))
    .returning({ id: publicNotices.id });
  return done.length > 0;
}

export async function markItemRemoved(tx: Tx, noticeId: number, applicationId: number, reason: string): Promise<boolean> {
  const done = await tx
    .update(noticeItems)
    .set({ removedAt: new Date(), removedReason: reason })
    .where(and(eq(noticeItems.noticeId, noticeId), eq(noticeItems.applicationId, applicationId), isNull(noticeItems.removedAt)))
    .returning({ id: noticeItems.applicationId });
  return done.length > 0;
}

/**
 * Takes every application still in notice back to 评定完成 when a whole notice is withdrawn
 * (撤销公示), recording the change on each. Returns the ids moved.
 */
export async function returnItemsToEvaluated(tx: Tx, noticeId: number, actorId: number, reason: string): Promise<number[]> {
  const ids = (
    await tx
      .select({ id: applications.id })
      .from(noticeItems)
      .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
      .where(and(eq(noticeItems.noticeId, noticeId), eq(applications.status, 'in_notice'), isNull(noticeItems.removedAt)))
  ).map((r) => r.id);
  if (!ids.length) return [];
  await tx
    .update(applications)
    .set({ status: 'evaluated', updatedAt: new Date(), revision: sql`${applications.revision} + 1` })
    .where(and(inArray(applications.id, ids), eq(applications.status, 'in_notice')));
  await tx.insert(applicationEvents).values(
    ids.map((applicationId) => ({
      applicationId,
      actorId,
      action: 'notice_withdrawn',
      fromStatus: 'in_notice' as const,
      toStatus: 'evaluated' as const,
      reason,
    })),
  );
  return ids;
}

/** Evaluated applications of a campaign, candidates for a new notice, searchable (subject or region name) and paged with the total: never cut at a fixed number. */
export async function candidateRows(db: Db, campaignId: number, q: string | null, limit: number, offset: number) {
  const where = and(
    eq(applications.campaignId, campaignId),
    eq(applications.status, 'evaluated'),
    q
      ? or(
          ilike(subjects.name, `%${q.replace(/[\\%_]/g, (m) => '\\' + m)}%`),
          ilike(regions.name, `%${q.replace(/[\\%_]/g, (m) => '\\' + m)}%`),
        )
      : undefined,
  );
  const base = () =>
    db
      .select({
        id: applications.id,
        subjectName: subjects.name,
        regionName: regions.name,
        categoryCode: applications.categoryCode,
        categoryName: categories.name,
        score: applications.score,
        stars: applications.stars,
      })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .innerJoin(categories, eq(categories.code, applications.categoryCode))
      .where(where);
  const [items, [total]] = await Promise.all([
    base().orderBy(desc(applications.stars), desc(applications.score), asc(applications.id)).limit(limit).offset(offset),
    // the names are joined only when a search needs them: the campaign and status are the application's own
    q
      ? db
          .select({ n: count() })
          .from(applications)
          .innerJoin(subjects, eq(subjects.id, applications.subjectId))
          .innerJoin(regions, eq(regions.id, subjects.regionId))
          .where(where)
      : db.select({ n: count() }).from(applications).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Public: active notices that have started, newest first. */
export async function publicNoticeRows(db: Db, today: string, limit: number, offset: number) {
  const where = and(eq(publicNotices.status, 'active'), lte(publicNotices.startsOn, today));
  const [items, [total]] = await Promise.all([
    db
      .select({
        publicCode: publicNotices.publicCode,
        title: publicNotices.title,
        startsOn: publicNotices.startsOn,
        endsOn: publicNotices.endsOn,
        regionName: regions.name,
      })
      .from(publicNotices)
      .innerJoin(regions, eq(regions.id, publicNotices.regionId))
      .where(where)
      .orderBy(desc(publicNotices.startsOn), desc(publicNotices.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(publicNotices).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function publicNoticeRow(db: Db, code: string, today: string) {
  const [n] = await db
    .select({ n: publicNotices, regionName: regions.name })
    .from(publicNotices)
    .innerJoin(regions, eq(regions.id, publicNotices.regionId))
    .where(and(eq(publicNotices.publicCode, code), eq(publicNotices.status, 'active'), lte(publicNotices.startsOn, today)));
  return n ?? null;
}

export async function organisationName(db: Db | Tx, orgId: number): Promise<string> {
  const [o] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
  return o?.name ?? '';
}
