import { z } from 'zod';
import { IdParams, Text, Timestamp, route } from './route.js';
import { TitleLevel } from './common.js';

/** 命名: conferred titles, their certificates, and the public certificate check. */

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
  })
  .meta({ id: 'Title', description: '已命名 A conferred title in scope' });

/** What anyone may read about a certificate: no internal ids, households and persons masked. */
export const VerifyResultView = z
  .object({
    certificateNo: z.string(),
    /** households and persons masked: 王**家庭 */
    subjectName: z.string(),
    regionName: z.string(),
    titleName: z.string(),
    year: z.number(),
    stars: z.number(),
    level: TitleLevel,
    issuer: z.string(),
    conferredOn: z.string(),
    valid: z.boolean(),
    revokeReason: z.string().nullable(),
  })
  .meta({ id: 'VerifyResult', description: '证书查验 A certificate as the public check shows it' });

export const titlesApi = {
  list: route({
    id: 'listTitles',
    method: 'GET',
    path: '/api/titles',
    summary: '已命名 Titles in scope (newest first, at most 500)',
    tags: ['titles'],
    auth: 'session',
    status: 200,
    response: z.array(TitleView),
  }),
  certificate: route({
    id: 'downloadCertificate',
    method: 'GET',
    path: '/api/titles/:id/certificate.pdf',
    summary: '下载证书 Certificate PDF',
    tags: ['titles'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/pdf',
  }),
  verify: route({
    id: 'verifyCertificate',
    method: 'GET',
    path: '/api/public/verify/:no',
    summary: '证书查验（无需登录）Verify a certificate',
    tags: ['public'],
    auth: 'public',
    params: z.object({ no: Text(40).min(6) }),
    status: 200,
    response: VerifyResultView,
  }),
};
