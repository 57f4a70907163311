import { z } from 'zod';
import { PUBLIC_TITLE_STATUSES } from '@pingan/core';
import { Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { TitleLevel } from './common.js';
import { Cursor, NextCursor } from './applications.js';

/** 命名: conferred titles and their certificates (the public page of a title: honour.ts). */

export const TitleView = z
  .object({
    id: z.number(),
    applicationId: z.number(),
    subjectId: z.number(),
    regionPath: z.string(),
    categoryCode: z.string(),
    titleName: z.string(),
    year: z.number(),
    stars: z.number(),
    level: TitleLevel,
    issuer: z.string(),
    certificateNo: z.string(),
    conferredOn: z.string(),
    revokedAt: Timestamp.nullable(),
    revokeReason: z.string().nullable(),
    subjectName: z.string(),
    regionName: z.string(),
    campaignId: z.number(),
    campaignName: z.string(),
    /** the live status as the public sees it today (core publicTitleStatus) */
    publicStatus: z.enum(PUBLIC_TITLE_STATUSES),
    statusReason: z.string().nullable(),
    statusSince: z.string().nullable(),
    validUntil: z.string().nullable(),
    namingDocument: z.string().nullable(),
    /** the title's public page, the one its certificate's QR code opens: PUBLIC_BASE_URL/t/<number> */
    publicUrl: z.string(),
    /** whether a signed certificate has been issued (the signature is made when one is first rendered) */
    signed: z.boolean(),
  })
  .meta({ id: 'Title', description: '已命名 A conferred title in scope' });

/** The two certificate layouts: the 002 award plaque (A4 landscape) and the A4 portrait certificate. */
export const CertificateLayout = z.enum(['plaque', 'a4']);

/** 证书批量生成: one job per campaign and layout, with its progress. */
export const CertificateBatchView = z
  .object({
    id: z.number(),
    campaignId: z.number(),
    layout: CertificateLayout,
    status: z.enum(['running', 'done', 'failed']),
    done: z.number(),
    total: z.number(),
    /** in Chinese, when it failed */
    error: z.string().nullable(),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'CertificateBatch', description: '证书批量生成 A campaign’s certificates as one job' });

/** The key that signs certificates, for anyone to check one offline. */
export const SigningKeyView = z
  .object({
    algorithm: z.enum(['Ed25519', 'SM2-SM3']),
    /** SubjectPublicKeyInfo, PEM */
    publicKeyPem: z.string(),
    /** SHA-256 of the key's DER, hex */
    fingerprint: z.string(),
    /** the fields the signature covers, as canonical JSON (keys sorted, no spaces, UTF-8) */
    signedFields: z.array(z.string()),
    /** where a certificate PDF carries them: its document information entries */
    pdfEntries: z.object({ data: z.string(), signature: z.string(), algorithm: z.string() }),
  })
  .meta({ id: 'SigningKey', description: '证书签名公钥 The certificates’ public signing key' });

export const titlesApi = {
  list: route({
    id: 'listTitles',
    method: 'GET',
    path: '/api/titles',
    summary: '已命名 Titles in scope, newest first, with their live status (?format=xlsx: the same list as Excel)',
    tags: ['titles'],
    auth: 'session',
    query: z.object({
      /** the holder's name, the region or the certificate number */
      q: Text(100).optional(),
      campaignId: Id.optional(),
      year: z.coerce.number<number | string>().int().min(2000).max(2100).optional(),
      status: z.enum(PUBLIC_TITLE_STATUSES).optional(),
      ...Page,
      cursor: Cursor.optional(),
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({
      items: z.array(TitleView),
      /** how many match; counted for a page asked by offset, null for a page asked by cursor */
      total: z.number().nullable(),
      nextCursor: NextCursor,
    }),
    xlsx: true,
    file: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  }),
  certificate: route({
    id: 'downloadCertificate',
    method: 'GET',
    path: '/api/titles/:id/certificate.pdf',
    summary: '下载证书 Certificate PDF, signed, with the QR code of its public page (?layout=plaque|a4)',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    query: z.object({ layout: CertificateLayout.default('plaque') }),
    status: 200,
    response: null,
    file: 'application/pdf',
  }),
  signingKey: route({
    id: 'getSigningKey',
    method: 'GET',
    path: '/api/public/signing-key',
    summary: '证书签名公钥（无需登录）The public key that verifies certificates',
    tags: ['public'],
    auth: 'public',
    status: 200,
    response: SigningKeyView,
  }),
  setNamingDocument: route({
    id: 'setNamingDocument',
    method: 'PUT',
    path: '/api/campaigns/:id/naming-document',
    summary: '登记命名文件 Record the naming document on a campaign’s titles (its office)',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    body: z.object({
      /** e.g. 云安〔2026〕3号 */
      namingDocument: Text(80).trim().min(1, '请填写命名文件文号'),
      /** also replace a naming document already recorded (default: only titles without one) */
      overwrite: z.boolean().default(false),
    }),
    status: 200,
    response: z.object({ updated: z.number() }),
  }),
  startBatch: route({
    id: 'startCertificateBatch',
    method: 'POST',
    path: '/api/campaigns/:id/certificate-batches',
    summary: '批量生成证书 Start a campaign’s certificates as one job (its office); 202 with the batch id',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    body: z.object({ layout: CertificateLayout.default('plaque') }),
    status: 202,
    response: z.object({ id: z.number() }),
  }),
  listBatches: route({
    id: 'listCertificateBatches',
    method: 'GET',
    path: '/api/campaigns/:id/certificate-batches',
    summary: '证书批量生成记录 A campaign’s certificate batches, newest first (its office)',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    query: z.object({ ...Page }),
    status: 200,
    response: z.object({ items: z.array(CertificateBatchView), total: z.number() }),
  }),
  batch: route({
    id: 'getCertificateBatch',
    method: 'GET',
    path: '/api/certificate-batches/:id',
    summary: '批量生成进度 A certificate batch’s progress (poll it)',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: CertificateBatchView,
  }),
  batchPdf: route({
    id: 'downloadCertificateBatchPdf',
    method: 'GET',
    path: '/api/certificate-batches/:id/certificates.pdf',
    summary: '批量证书打印文件 One PDF with every certificate of the batch, for printing',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/pdf',
  }),
  batchZip: route({
    id: 'downloadCertificateBatchZip',
    method: 'GET',
    path: '/api/certificate-batches/:id/certificates.zip',
    summary: '批量证书压缩包 A zip of one signed PDF per holder',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/zip',
  }),
};
