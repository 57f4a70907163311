import { and, asc, desc, eq, gte, ilike, inArray, isNull, like, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PublicTitleStatus } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applications, campaigns, certificateBatches, regions, subjects, titles } from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';
import { decodeCursor, encodeCursor } from '../applications/cursor.js';

/** Titles in scope: the applicant's own, or the region subtree (and categories) of staff. */
export function titleScopeSql(user: CurrentUser): SQL {
  const s = user.scope;
  if (s.role === 'applicant') return s.subjectId ? eq(titles.subjectId, s.subjectId) : sql`false`;
  if (!s.regionPath) return sql`false`;
  const inRegion = like(titles.regionPath, `${s.regionPath}%`);
  if (s.categoryCodes === null) return inRegion;
  return s.categoryCodes.length ? and(inRegion, inArray(titles.categoryCode, s.categoryCodes))! : sql`false`;
}

/** The titles whose public status is `status` on `today` (core publicTitleStatus, as SQL). */
export function publicStatusSql(status: PublicTitleStatus, today: string): SQL {
  switch (status) {
    case 'revoked':
      return eq(titles.status, 'revoked');
    case 'yellow':
      return eq(titles.status, 'suspended');
    case 'expired':
      return and(eq(titles.status, 'valid'), lt(titles.validUntil, today))!;
    case 'valid':
      return and(eq(titles.status, 'valid'), or(isNull(titles.validUntil), gte(titles.validUntil, today)))!;
  }
}

/** `%text%` for LIKE, with the pattern characters in the text taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface TitleFilter {
  q?: string;
  campaignId?: number;
  year?: number;
  status?: PublicTitleStatus;
  limit: number;
  offset: number;
  /** keyset paging: the nextCursor of the page before (offset is then ignored) */
  cursor?: string;
}

const titleColumns = {
  t: titles,
  subjectName: subjects.name,
  regionName: regions.name,
  campaignId: campaigns.id,
  campaignName: campaigns.name,
};

/**
 * Titles in the account's scope, newest first (id desc), with the subject's name, region and
 * campaign; paged by offset or by cursor (keyset on the id). How many match is counted only for a
 * page asked without a cursor, and joins only what a filter needs (the application for a campaign,
 * the subject and region for a search).
 */
export async function titleRows(db: Db, user: CurrentUser, f: TitleFilter, today: string) {
  const q = f.q?.trim();
  const where = and(
    titleScopeSql(user),
    f.campaignId ? eq(applications.campaignId, f.campaignId) : undefined,
    f.year ? eq(titles.year, f.year) : undefined,
    f.status ? publicStatusSql(f.status, today) : undefined,
    q ? or(ilike(subjects.name, contains(q)), ilike(regions.name, contains(q)), ilike(titles.certificateNo, contains(q))) : undefined,
  );
  const after = f.cursor ? decodeCursor(f.cursor, ['i'] as const)[0] : null;
  const rows = db
    .select(titleColumns)
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(after ? and(where, lt(titles.id, after)) : where)
    .orderBy(desc(titles.id))
    // one more than asked: whether another page follows
    .limit(f.limit + 1)
    .offset(after ? 0 : f.offset);
  const counted = after ? null : countTitles(db, where, { application: !!f.campaignId, names: !!q });
  const [found, total] = await Promise.all([rows, counted]);
  const items = found.slice(0, f.limit);
  const last = items[items.length - 1];
  return { items, total, nextCursor: found.length > f.limit && last ? encodeCursor([last.t.id]) : null };
}

async function countTitles(db: Db, where: SQL | undefined, need: { application: boolean; names: boolean }): Promise<number> {
  let q = db
    .select({ n: sql<number>`count(*)::int` })
    .from(titles)
    .$dynamic();
  if (need.names) q = q.innerJoin(subjects, eq(subjects.id, titles.subjectId)).innerJoin(regions, eq(regions.id, subjects.regionId));
  if (need.application) q = q.innerJoin(applications, eq(applications.id, titles.applicationId));
  const [row] = await q.where(where);
  return row?.n ?? 0;
}

/** What a certificate prints, for one title or a campaign's. */
const certificateColumns = { t: titles, subjectName: subjects.name, campaignName: campaigns.name };
export type CertificateRow = { t: typeof titles.$inferSelect; subjectName: string; campaignName: string };

/** One title in the account's scope, with what its certificate prints. */
export async function certificateRow(db: Db, user: CurrentUser, id: number): Promise<CertificateRow | null> {
  const [row] = await db
    .select(certificateColumns)
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(eq(titles.id, id), titleScopeSql(user)));
  return row ?? null;
}

/** The ids of a campaign's titles that get a certificate (not revoked), in print order: region, then holder. */
export async function campaignTitleIds(db: Db, campaignId: number): Promise<number[]> {
  const rows = await db
    .select({ id: titles.id })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .where(and(eq(applications.campaignId, campaignId), ne(titles.status, 'revoked')))
    .orderBy(asc(titles.regionPath), asc(subjects.name), asc(titles.id));
  return rows.map((r) => r.id);
}

/** Titles by id with what their certificates print (no scope: the batch checked the campaign). */
export async function certificateRowsByIds(db: Db, ids: number[]): Promise<CertificateRow[]> {
  if (!ids.length) return [];
  return db
    .select(certificateColumns)
    .from(titles)
    .innerJoin(subjects, eq(subjects.id, titles.subjectId))
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(inArray(titles.id, ids));
}

type Signature = { signedData: string; signature: string; signatureAlg: string };

/** Stores a title's signed certificate data. */
export async function storeSignature(db: Db, id: number, s: Signature) {
  await db.update(titles).set(s).where(eq(titles.id, id));
}

/** Stores many in one statement (an UPDATE … FROM unnest of the arrays): on PGlite the database shares the server's thread. */
export async function storeSignatures(db: Db, rows: { id: number; signed: Signature }[]) {
  if (!rows.length) return;
  const ids = rows.map((r) => r.id);
  const data = rows.map((r) => r.signed.signedData);
  const sigs = rows.map((r) => r.signed.signature);
  const algs = rows.map((r) => r.signed.signatureAlg);
  await db.execute(sql`
    UPDATE ${titles} SET signed_data = v.signed_data, signature = v.signature, signature_alg = v.signature_alg
    FROM unnest(${sql.param(ids)}::int[], ${sql.param(data)}::text[], ${sql.param(sigs)}::text[], ${sql.param(algs)}::text[]) AS v(id, signed_data, signature, signature_alg)
    WHERE ${titles.id} = v.id`);
}

/** A campaign with its region path, for the office checks. */
export async function campaignForOffice(db: Db, campaignId: number) {
  const [c] = await db
    .select({ id: campaigns.id, name: campaigns.name, regionId: campaigns.regionId, regionPath: regions.path })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(eq(campaigns.id, campaignId));
  return c ?? null;
}

/** Records the naming document on a campaign's titles (only where none is recorded, unless `overwrite`). */
export async function setCampaignNamingDocument(db: Db, campaignId: number, namingDocument: string, overwrite: boolean): Promise<number> {
  const ids = db.select({ id: applications.id }).from(applications).where(eq(applications.campaignId, campaignId));
  const rows = await db
    .update(titles)
    .set({ namingDocument })
    .where(and(inArray(titles.applicationId, ids), overwrite ? undefined : isNull(titles.namingDocument)))
    .returning({ id: titles.id });
  return rows.length;
}

// ───────────────────────────── batches ─────────────────────────────

export type BatchRow = typeof certificateBatches.$inferSelect;

export async function batchById(db: Db, id: number): Promise<BatchRow | null> {
  const [b] = await db.select().from(certificateBatches).where(eq(certificateBatches.id, id));
  return b ?? null;
}

export async function runningBatch(db: Db, campaignId: number, layout: 'plaque' | 'a4'): Promise<BatchRow | null> {
  const [b] = await db
    .select()
    .from(certificateBatches)
    .where(
      and(eq(certificateBatches.campaignId, campaignId), eq(certificateBatches.layout, layout), eq(certificateBatches.status, 'running')),
    )
    .orderBy(desc(certificateBatches.id))
    .limit(1);
  return b ?? null;
}

export async function batchesOfCampaign(db: Db, campaignId: number, limit: number, offset: number) {
  const where = eq(certificateBatches.campaignId, campaignId);
  const [items, [count]] = await Promise.all([
    db.select().from(certificateBatches).where(where).orderBy(desc(certificateBatches.id)).limit(limit).offset(offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(certificateBatches)
      .where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

export async function insertBatch(db: Db, v: { campaignId: number; layout: 'plaque' | 'a4'; total: number; createdBy: number }) {
  const [b] = await db.insert(certificateBatches).values(v).returning();
  return b!;
}

export async function updateBatch(db: Db, id: number, v: Partial<Omit<BatchRow, 'id' | 'campaignId' | 'createdBy' | 'createdAt'>>) {
  await db.update(certificateBatches).set(v).where(eq(certificateBatches.id, id));
}
