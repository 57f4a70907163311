import ExcelJS from 'exceljs';
import { LEVEL_LABELS, PUBLIC_TITLE_STATUS_LABELS, ownsCampaign, publicTitleStatus, type TitleLevel } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
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
  const { items, total } = await titleRows(db, user, f, day);
  return {
    total,
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

/** The Excel export stops here; a second sheet says so when it did. */
export const TITLE_EXPORT_MAX = 10_000;

/** ?format=xlsx: the same list (same filters) as Excel. */
export async function titlesXlsx(db: Db, user: CurrentUser, f: Omit<TitleFilter, 'limit' | 'offset'>, baseUrl: string): Promise<Buffer> {
  const { items, total } = await listTitles(db, user, { ...f, limit: TITLE_EXPORT_MAX, offset: 0 }, baseUrl);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('已命名');
  ws.columns = [
    { header: '证书编号', key: 'no', width: 34 },
    { header: '命名对象', key: 'subject', width: 30 },
    { header: '所在区域', key: 'region', width: 14 },
    { header: '称号', key: 'title', width: 14 },
    { header: '年度', key: 'year', width: 8 },
    { header: '星级', key: 'stars', width: 8 },
    { header: '等级', key: 'level', width: 12 },
    { header: '命名单位', key: 'issuer', width: 26 },
    { header: '命名日期', key: 'conferredOn', width: 12 },
    { header: '命名文件', key: 'doc', width: 20 },
    { header: '状态', key: 'status', width: 10 },
    { header: '状态日期', key: 'since', width: 12 },
    { header: '原因', key: 'reason', width: 30 },
    { header: '有效期至', key: 'validUntil', width: 12 },
    { header: '创建活动', key: 'campaign', width: 32 },
    { header: '公开查验链接', key: 'url', width: 60 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const t of items)
    ws.addRow({
      no: t.certificateNo,
      subject: t.subjectName,
      region: t.regionName,
      title: t.titleName,
      year: t.year,
      stars: t.level === 'title' ? '' : t.stars,
      level: LEVEL_LABELS[t.level as TitleLevel]?.zh ?? t.level,
      issuer: t.issuer,
      conferredOn: t.conferredOn,
      doc: t.namingDocument ?? '',
      status: PUBLIC_TITLE_STATUS_LABELS[t.publicStatus].zh,
      since: t.statusSince ?? '',
      reason: t.statusReason ?? '',
      validUntil: t.validUntil ?? '',
      campaign: t.campaignName,
      url: t.publicUrl,
    });
  if (total > items.length) {
    const note = wb.addWorksheet('说明');
    note.addRow([`共 ${total} 条，本文件为最新的 ${items.length} 条（单次导出上限 ${TITLE_EXPORT_MAX} 条），请按活动或年度筛选后分批导出`]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
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
