import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, campaigns, categories, noticeItems, publicNotices, regions, subjects, titles } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { assertApplicationVisible, requireRole, type CurrentUser } from '../../access/scope.js';
import { today, transition } from '../applications/service.js';

export interface NoticeInput {
  campaignId: number;
  title: string;
  body?: string | null;
  startsOn: string;
  endsOn: string;
  applicationIds: number[];
}

/** The 平安办 publishes evaluated applications for public notice (公示). */
export async function publishNotice(db: Db, user: CurrentUser, input: NoticeInput) {
  requireRole(user, 'safety_office');
  if (input.endsOn < input.startsOn) throw new AppError('VALIDATION', '公示结束日期不能早于开始日期');
  const apps = await db.select().from(applications).where(inArray(applications.id, input.applicationIds));
  if (apps.length !== new Set(input.applicationIds).size) throw notFound('申报');
  for (const a of apps) {
    assertApplicationVisible(user, a);
    if (a.campaignId !== input.campaignId) throw new AppError('VALIDATION', `申报${a.id}不属于该创建活动`);
    if (a.status !== 'evaluated') throw new AppError('WRONG_STATUS', `申报${a.id}尚未完成综合评定，不能公示`);
  }
  return db.transaction(async (tx) => {
    const [n] = await tx
      .insert(publicNotices)
      .values({
        campaignId: input.campaignId,
        regionId: user.org!.regionId,
        orgId: user.org!.id,
        title: input.title,
        body: input.body ?? null,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        publishedBy: user.id,
      })
      .returning();
    await tx.insert(noticeItems).values(apps.map((a) => ({ noticeId: n!.id, applicationId: a.id })));
    for (const a of apps) await transition(tx, user, a, 'publish', `列入公示：${input.title}`);
    return { id: n!.id };
  });
}

/**
 * After the notice period, confers the titles of the notice's applications still in notice,
 * each with a certificate number for public verification.
 */
export async function conferNotice(db: Db, user: CurrentUser, noticeId: number) {
  requireRole(user, 'safety_office');
  const [n] = await db.select().from(publicNotices).where(eq(publicNotices.id, noticeId));
  if (!n || !user.org || !(await regionPathOf(db, n.regionId)).startsWith(user.org.regionPath)) throw notFound('公示');
  if (today() <= n.endsOn) throw new AppError('NOTICE_NOT_ENDED', `公示期至${n.endsOn}，期满后方可命名`);
  const rows = await db
    .select({ a: applications, year: campaigns.year, categoryName: categories.name })
    .from(noticeItems)
    .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(eq(noticeItems.noticeId, noticeId), eq(applications.status, 'in_notice')));
  const issuer = issuerName(user.org.name);
  return db.transaction(async (tx) => {
    const conferred: number[] = [];
    for (const r of rows) {
      await transition(tx, user, r.a, 'confer', null);
      const stars = r.a.stars ?? 0;
      await tx.insert(titles).values({
        applicationId: r.a.id,
        subjectId: r.a.subjectId,
        regionPath: r.a.regionPath,
        categoryCode: r.a.categoryCode,
        titleName: r.categoryName,
        year: r.year,
        stars,
        level: r.a.rating?.level ?? 'standard',
        issuer,
        certificateNo: certificateNo(r.year, r.a.id),
        conferredOn: today(),
      });
      conferred.push(r.a.id);
    }
    return { conferred };
  });
}

/** 云州市平安办 → 云州市平安建设领导小组: the plaque names the leading group, not the office. */
export function issuerName(orgName: string): string {
  return orgName.replace(/平安办(公室)?$|平安建设领导小组办公室$/, '平安建设领导小组');
}

export function certificateNo(year: number, applicationId: number): string {
  // the random tail makes numbers unguessable, so the public verify page cannot be enumerated
  return `PA${year}-${String(applicationId).padStart(6, '0')}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

async function regionPathOf(db: Db, regionId: number): Promise<string> {
  const [r] = await db.select({ path: regions.path }).from(regions).where(eq(regions.id, regionId));
  return r?.path ?? '';
}

/** Staff list of notices in the account's region. */
export async function listNotices(db: Db, user: CurrentUser) {
  if (!user.org) return [];
  return db
    .select({
      id: publicNotices.id,
      title: publicNotices.title,
      startsOn: publicNotices.startsOn,
      endsOn: publicNotices.endsOn,
      regionName: regions.name,
      campaignId: publicNotices.campaignId,
      items: sql<number>`(select count(*)::int from ${noticeItems} where ${noticeItems.noticeId} = ${publicNotices.id})`,
      inNotice: sql<number>`(select count(*)::int from ${noticeItems} join ${applications} on ${applications.id} = ${noticeItems.applicationId} where ${noticeItems.noticeId} = ${publicNotices.id} and ${applications.status} = 'in_notice')`,
      conferred: sql<number>`(select count(*)::int from ${noticeItems} join ${applications} on ${applications.id} = ${noticeItems.applicationId} where ${noticeItems.noticeId} = ${publicNotices.id} and ${applications.status} = 'conferred')`,
    })
    .from(publicNotices)
    .innerJoin(regions, eq(regions.id, publicNotices.regionId))
    .where(like(regions.path, `${user.org.regionPath}%`))
    .orderBy(desc(publicNotices.id));
}

/** What anyone may read without logging in: the notice and the names on it. */
export async function publicNoticeList(db: Db) {
  return db
    .select({ id: publicNotices.id, title: publicNotices.title, startsOn: publicNotices.startsOn, endsOn: publicNotices.endsOn, regionName: regions.name })
    .from(publicNotices)
    .innerJoin(regions, eq(regions.id, publicNotices.regionId))
    .orderBy(desc(publicNotices.startsOn), desc(publicNotices.id))
    .limit(200);
}

export async function publicNoticeDetail(db: Db, id: number) {
  const [n] = await db
    .select({ n: publicNotices, regionName: regions.name })
    .from(publicNotices)
    .innerJoin(regions, eq(regions.id, publicNotices.regionId))
    .where(eq(publicNotices.id, id));
  if (!n) throw notFound('公示');
  const items = await db
    .select({
      applicationId: applications.id,
      subjectName: subjects.name,
      regionName: regions.name,
      categoryName: categories.name,
      stars: applications.stars,
      score: applications.score,
      status: applications.status,
    })
    .from(noticeItems)
    .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(eq(noticeItems.noticeId, id))
    .orderBy(asc(categories.name), asc(subjects.name));
  return {
    id: n.n.id,
    title: n.n.title,
    body: n.n.body,
    startsOn: n.n.startsOn,
    endsOn: n.n.endsOn,
    regionName: n.regionName,
    ended: today() > n.n.endsOn,
    items: items.map((i) => ({ ...i, conferred: i.status === 'conferred', withdrawn: i.status === 'rejected' })),
  };
}
