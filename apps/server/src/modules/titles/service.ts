import { LEVEL_LABELS, PUBLIC_TITLE_STATUS_LABELS, ownsCampaign, publicTitleStatus, type TitleLevel } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { Column, PageFn } from '../../http/xlsx.js';
import { today } from '../../clock.js';
import type { SigningKey } from '../../crypto/keys.js';
import { actorOf } from '../../access/ownership.js';
import { requireRole, type CurrentUser } from '../../access/scope.js';
import { renderCertificate, type CertificateData, type CertificateLayout } from './certificate.js';
import {
  campaignForOffice,
  certificateRow,
  setCampaignNamingDocument,
  storeSignature,
  titleRows,
  type CertificateRow,
  type TitleFilter,
} from './queries.js';
import {
  PDF_KEYS,
  SIGNED_FIELDS,
  canonicalJson,
  fingerprint,
  publicKeyOf,
  signText,
  verifyText,
  type CertificatePayload,
  type SignedCertificate,
} from './sign.js';

/** What certificates are made with: the database, the signing key and the public address they print. */
export interface CertificateEnv {
  db: Db;
  key: SigningKey;
  /** PUBLIC_BASE_URL (config publicBaseUrl()), never a request's Host */
  baseUrl: string;
}

/** The title's public page, which its QR code opens. */
export const publicUrlOf = (baseUrl: string, certificateNo: string) => `${baseUrl}/t/${encodeURIComponent(certificateNo)}`;

// ───────────────────────────── the staff list ─────────────────────────────

/** Titles in the account's scope, newest first, each with its live status and public page. */
export async function listTitles(db: Db, user: CurrentUser, f: TitleFilter, baseUrl: string) {
  const day = today();
  const { items, total, nextCursor } = await titleRows(db, user, f, day);
  return {
    total,
    nextCursor,
    items: items.map((r) => ({
      ...r.t,
      revokedAt: iso(r.t.revokedAt),
      subjectName: r.subjectName,
      regionName: r.regionName,
      campaignId: r.campaignId,
      campaignName: r.campaignName,
      publicStatus: publicTitleStatus(r.t, day),
      publicUrl: publicUrlOf(baseUrl, r.t.certificateNo),
      signed: r.t.signature !== null,
    })),
  };
}

type TitleRow = Awaited<ReturnType<typeof listTitles>>['items'][number];

/** ?format=xlsx: every title the list shows with the same filters, streamed (http/xlsx.ts). */
export function titlesExport(db: Db, user: CurrentUser, f: Omit<TitleFilter, 'limit' | 'offset' | 'cursor'>, baseUrl: string) {
  // each page continues from the last one's cursor (keyset); a page asked out of turn uses its offset
  let next = { offset: 0, cursor: undefined as string | undefined };
  const fetch: PageFn<TitleRow> = async (offset, limit) => {
    const { cursor: _ignored, ...filter } = f as TitleFilter;
    const page = await listTitles(
      db,
      user,
      { ...filter, limit, offset, cursor: offset === next.offset ? next.cursor : undefined },
      baseUrl,
    );
    next = { offset: offset + page.items.length, cursor: page.nextCursor ?? undefined };
    return page.items;
  };
  const columns: Column<TitleRow>[] = [
    { header: '证书编号', width: 34, value: (t) => t.certificateNo },
    { header: '命名对象', width: 30, value: (t) => t.subjectName },
    { header: '所在区域', width: 14, value: (t) => t.regionName },
    { header: '称号', width: 14, value: (t) => t.titleName },
    { header: '年度', width: 8, value: (t) => t.year },
    { header: '星级', width: 8, value: (t) => (t.level === 'title' ? '' : t.stars) },
    { header: '等级', width: 12, value: (t) => LEVEL_LABELS[t.level as TitleLevel]?.zh ?? t.level },
    { header: '命名单位', width: 26, value: (t) => t.issuer },
    { header: '命名日期', width: 12, value: (t) => t.conferredOn },
    { header: '命名文件', width: 20, value: (t) => t.namingDocument },
    { header: '状态', width: 10, value: (t) => PUBLIC_TITLE_STATUS_LABELS[t.publicStatus].zh },
    { header: '状态日期', width: 12, value: (t) => t.statusSince },
    { header: '原因', width: 30, value: (t) => t.statusReason },
    { header: '有效期至', width: 12, value: (t) => t.validUntil },
    { header: '创建活动', width: 32, value: (t) => t.campaignName },
    { header: '公开查验链接', width: 60, value: (t) => t.publicUrl },
  ];
  return { columns, fetch };
}

// ───────────────────────────── certificates ─────────────────────────────

/** What a title's signature covers. */
export function certificatePayload(row: CertificateRow): CertificatePayload {
  const t = row.t;
  return {
    v: 1,
    certificateNo: t.certificateNo,
    holder: row.subjectName,
    title: t.titleName,
    year: t.year,
    stars: t.level === 'title' ? 0 : t.stars,
    level: t.level,
    issuer: t.issuer,
    conferredOn: t.conferredOn,
    namingDocument: t.namingDocument,
  };
}

/**
 * The title's signed certificate data: the stored one while it still says what the title says and
 * verifies under today's key; else signed now and stored (conferral signs nothing: the first
 * certificate rendered does, and a change of stars, naming document or key signs anew).
 */
export async function ensureSigned(env: CertificateEnv, row: CertificateRow): Promise<SignedCertificate> {
  const { signed, fresh } = signatureFor(env.key, row);
  if (fresh) await storeSignature(env.db, row.t.id, signed);
  return signed;
}

/** ensureSigned without the write: `fresh` when it was signed now and is still to be stored. */
export function signatureFor(key: SigningKey, row: CertificateRow): { signed: SignedCertificate; fresh: boolean } {
  const text = canonicalJson(certificatePayload(row));
  const t = row.t;
  if (t.signedData === text && t.signature && t.signatureAlg === key.alg && verifyText(publicKeyOf(key), key.alg, text, t.signature))
    return { signed: { signedData: text, signature: t.signature, signatureAlg: t.signatureAlg }, fresh: false };
  const signed = { signedData: text, signature: signText(key, text), signatureAlg: key.alg };
  row.t = { ...t, ...signed };
  return { signed, fresh: true };
}

/** The campaign's banner: “十大平安”创建 from a campaign named 大托铺街道2026年“十大平安”创建. */
export function bannerFor(campaignName: string): string {
  const m = campaignName.match(/[“"]([^”"]+)[”"]/);
  return m ? `“${m[1]}”创建` : '平安创建';
}

/** What the certificate prints, from the title and the public address. */
export function certificateData(row: CertificateRow, baseUrl: string): CertificateData {
  const t = row.t;
  return {
    banner: bannerFor(row.campaignName),
    subjectName: row.subjectName,
    year: t.year,
    titleName: t.titleName,
    stars: t.stars,
    level: t.level,
    issuer: t.issuer,
    conferredOn: t.conferredOn,
    certificateNo: t.certificateNo,
    namingDocument: t.namingDocument,
    verifyUrl: publicUrlOf(baseUrl, t.certificateNo),
  };
}

/** A file name without the characters file systems refuse. */
export function safeFileName(s: string): string {
  return s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || '证书';
}

/** The certificate of a title in scope, as a signed PDF in the chosen layout. */
export async function certificatePdf(env: CertificateEnv, user: CurrentUser, id: number, layout: CertificateLayout) {
  const row = await certificateRow(env.db, user, id);
  if (!row) throw notFound('证书');
  const signed = await ensureSigned(env, row);
  const data = await renderCertificate(certificateData(row, env.baseUrl), layout, signed);
  return { data, fileName: safeFileName(`${row.subjectName}-${row.t.titleName}-${layout === 'a4' ? '证书' : '牌匾'}.pdf`) };
}

/** GET /api/public/signing-key: what anyone needs to check a certificate offline. */
export function signingKeyView(key: SigningKey) {
  return {
    algorithm: key.alg,
    publicKeyPem: key.publicKeyPem,
    fingerprint: fingerprint(key.publicKeyPem),
    signedFields: [...SIGNED_FIELDS],
    pdfEntries: { data: PDF_KEYS.data, signature: PDF_KEYS.signature, algorithm: PDF_KEYS.alg },
  };
}

/**
 * The campaign's own office (平安办 of the campaign's region) may print its certificates and record
 * its naming document. A campaign outside the office's region subtree does not exist for it.
 */
export async function assertCampaignOffice(db: Db, user: CurrentUser, campaignId: number) {
  requireRole(user, 'safety_office');
  const c = await campaignForOffice(db, campaignId);
  if (!c || !user.org || !c.regionPath.startsWith(user.org.regionPath)) throw notFound('创建活动');
  if (!ownsCampaign(actorOf(user), c.regionId)) throw forbidden('只有本活动的平安办可以办理');
  return c;
}

/** PUT /api/campaigns/:id/naming-document: records 命名文件 on the campaign's titles. */
export async function setNamingDocument(
  db: Db,
  user: CurrentUser,
  campaignId: number,
  input: { namingDocument: string; overwrite: boolean },
) {
  await assertCampaignOffice(db, user, campaignId);
  const doc = input.namingDocument.trim();
  if (!doc) throw new AppError('VALIDATION', '请填写命名文件文号');
  return { updated: await setCampaignNamingDocument(db, campaignId, doc, input.overwrite) };
}
