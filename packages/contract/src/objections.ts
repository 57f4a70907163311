import { z } from 'zod';
import { Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { MobilePhone, PublicCode, SmsCode } from './publicCodes.js';

/**
 * 异议: objections to a candidate on a public notice (公示). The public files them without an
 * account (by name with a phone confirmed by an SMS code, or anonymously), attaches evidence with a
 * short-lived upload token, and follows them by a receipt code. The candidate's lead department and
 * the office that owns the notice investigate; the office decides, with a written reply.
 */

export const ObjectionStatus = z.enum(['open', 'investigating', 'upheld', 'dismissed']);
export const ObjectionOutcome = z.enum(['withdrawn', 'stars_lowered']);

const trimmed = (max: number, min: number, message: string) =>
  Text(max)
    .transform((s) => s.trim())
    .pipe(z.string().min(min, message));

/** the objection itself: what is wrong with the candidate, 5 to 2000 characters */
export const ObjectionText = trimmed(2000, 5, '异议内容至少5个字');

/** Filing: anonymous, or by name with the phone and its one-time code (checked by the server). */
export const FileObjectionInput = z.object({
  anonymous: z.boolean(),
  name: Text(30).optional(),
  phone: MobilePhone.optional(),
  code: SmsCode.optional(),
  text: ObjectionText,
});

export const ObjectionFiled = z
  .object({
    /** the receipt the objector keeps (回执编号) */
    receipt: z.string(),
    /** lets the objector attach evidence files to this objection for a short while */
    uploadToken: z.string(),
    uploadExpiresInSeconds: z.number(),
    maxFiles: z.number(),
    maxFileBytes: z.number(),
  })
  .meta({ id: 'ObjectionFiled', description: '异议已受理 The objection was filed: its receipt and an upload token' });

export const ObjectionFileAdded = z
  .object({ fileName: z.string(), size: z.number(), files: z.number() })
  .meta({ id: 'ObjectionFileAdded', description: '证据已上传 An evidence file was attached' });

/** What the receipt shows: status and the written reply, nothing about who filed it nor what it says. */
export const ObjectionReceipt = z
  .object({
    receipt: z.string(),
    noticeCode: z.string(),
    noticeTitle: z.string(),
    /** the candidate as the public notice shows it (households masked) */
    candidateName: z.string(),
    categoryName: z.string(),
    filedOn: z.string(),
    status: ObjectionStatus,
    outcome: ObjectionOutcome.nullable(),
    reply: z.string().nullable(),
    decidedOn: z.string().nullable(),
  })
  .meta({ id: 'ObjectionReceipt', description: '异议办理情况 An objection’s status and reply, by its receipt (no login)' });

export const ReceiptParams = z.object({ receipt: PublicCode });
export const CandidateParams = z.object({ code: PublicCode });

// ── staff ──

export const ObjectionRowView = z
  .object({
    id: z.number(),
    noticeId: z.number(),
    noticeTitle: z.string(),
    applicationId: z.number(),
    subjectName: z.string(),
    regionName: z.string(),
    categoryName: z.string(),
    anonymous: z.boolean(),
    status: ObjectionStatus,
    outcome: ObjectionOutcome.nullable(),
    files: z.number(),
    createdAt: Timestamp,
    decidedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ObjectionRow' });

export const ObjectionFileView = z.object({
  id: z.number(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  createdAt: Timestamp,
});

export const ObjectionDetailView = z
  .object({
    id: z.number(),
    receipt: z.string(),
    noticeId: z.number(),
    noticeTitle: z.string(),
    noticeStartsOn: z.string(),
    noticeEndsOn: z.string(),
    applicationId: z.number(),
    applicationStatus: z.string(),
    subjectName: z.string(),
    regionName: z.string(),
    categoryName: z.string(),
    /** the candidate's stars now (null: a title-only standard) */
    stars: z.number().nullable(),
    anonymous: z.boolean(),
    /** real-name objections: masked (王**, 138****1234); the full values only through revealContact */
    objectorName: z.string().nullable(),
    objectorPhone: z.string().nullable(),
    text: z.string(),
    findings: z.string().nullable(),
    status: ObjectionStatus,
    outcome: ObjectionOutcome.nullable(),
    reply: z.string().nullable(),
    decidedByName: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    revision: z.number(),
    files: z.array(ObjectionFileView),
    /** the lead department or the owning office, while the objection is open */
    canInvestigate: z.boolean(),
    /** the office that owns the notice, while the objection is open */
    canDecide: z.boolean(),
    canRevealContact: z.boolean(),
  })
  .meta({ id: 'ObjectionDetail' });

export const ObjectionListQuery = z.object({
  noticeId: Id.optional(),
  status: ObjectionStatus.optional(),
  q: Text(100).optional(),
  ...Page,
  format: z.enum(['json', 'xlsx']).optional(),
});

const Findings = trimmed(4000, 1, '须填写调查核实情况');
const Reply = trimmed(4000, 5, '书面答复至少5个字');

export const ObjectionFindingsInput = z.object({
  findings: Findings,
  revision: z.number().int().positive().max(2147483647).nullish(),
});

export const ObjectionDecisionInput = z.object({
  decision: z.enum(['upheld', 'dismissed']),
  /** required when upheld */
  outcome: ObjectionOutcome.nullish(),
  /** stars_lowered: by how many (the stars never go below 1) */
  lowerBy: z.number().int().min(1, '至少降低1星').max(4, '最多降低4星').nullish(),
  findings: Findings.nullish(),
  reply: Reply,
  revision: z.number().int().positive().max(2147483647).nullish(),
});

export const ObjectionContact = z
  .object({ name: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: 'ObjectionContact', description: '异议人联系方式 The objector’s name and phone (audited)' });

export const objectionsApi = {
  file: route({
    id: 'fileObjection',
    method: 'POST',
    path: '/api/public/candidates/:code/objections',
    summary: '提出异议（无需登录）Object to a candidate on a public notice',
    tags: ['public'],
    auth: 'public',
    params: CandidateParams,
    body: FileObjectionInput,
    status: 201,
    response: ObjectionFiled,
  }),
  uploadFile: route({
    id: 'uploadObjectionFile',
    method: 'POST',
    path: '/api/public/objections/:receipt/files',
    summary: '上传异议证据（无需登录，凭上传令牌）Attach an evidence file (multipart: token, file)',
    tags: ['public'],
    auth: 'public',
    params: ReceiptParams,
    multipart: true,
    status: 201,
    response: ObjectionFileAdded,
  }),
  receipt: route({
    id: 'getObjectionReceipt',
    method: 'GET',
    path: '/api/public/objections/:receipt',
    summary: '异议办理查询（无需登录）An objection’s status and reply, by receipt',
    tags: ['public'],
    auth: 'public',
    params: ReceiptParams,
    status: 200,
    response: ObjectionReceipt,
  }),
  list: route({
    id: 'listObjections',
    method: 'GET',
    path: '/api/objections',
    summary: '异议办理 Objections for my department or office (?format=xlsx)',
    tags: ['objections'],
    auth: 'session',
    query: ObjectionListQuery,
    status: 200,
    response: z.object({ items: z.array(ObjectionRowView), total: z.number() }),
    file: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    xlsx: true,
  }),
  detail: route({
    id: 'getObjection',
    method: 'GET',
    path: '/api/objections/:id',
    summary: '异议详情 An objection with its text, files and findings',
    tags: ['objections'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: ObjectionDetailView,
  }),
  findings: route({
    id: 'recordObjectionFindings',
    method: 'POST',
    path: '/api/objections/:id/findings',
    summary: '记录调查核实情况 Record investigation findings',
    tags: ['objections'],
    auth: 'session',
    params: IdParams,
    body: ObjectionFindingsInput,
    status: 200,
    response: z.object({ id: z.number(), status: ObjectionStatus, revision: z.number() }),
  }),
  decide: route({
    id: 'decideObjection',
    method: 'POST',
    path: '/api/objections/:id/decide',
    summary: '异议处理决定 Decide: upheld (withdrawn / stars lowered) or dismissed, with a written reply',
    tags: ['objections'],
    auth: 'session',
    params: IdParams,
    body: ObjectionDecisionInput,
    status: 200,
    response: z.object({
      id: z.number(),
      status: ObjectionStatus,
      outcome: ObjectionOutcome.nullable(),
      stars: z.number().nullable(),
    }),
  }),
  revealContact: route({
    id: 'revealObjectorContact',
    method: 'POST',
    path: '/api/objections/:id/contact',
    summary: '查看异议人联系方式 Reveal the objector’s name and phone (audited)',
    tags: ['objections'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: ObjectionContact,
  }),
  downloadFile: route({
    id: 'downloadObjectionFile',
    method: 'GET',
    path: '/api/objection-files/:id',
    summary: '下载异议证据 Download an objection’s evidence file',
    tags: ['objections'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/octet-stream',
  }),
};
