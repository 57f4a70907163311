import { z } from 'zod';
import { FILER_KINDS, FILING_KINDS, FILING_STATES, FILING_STATUSES } from '@pingan/core';
import { DateStr, Id, IdParams, Page, Text, Timestamp, route, type RouteContract } from './route.js';

/**
 * 报备 Filings: what a lower level files with the level above in a campaign (004 三（一）3, 三（二）3):
 * plan, standards, 示范点 and the yearly summary, each by a due date. The campaign's office sets the
 * requirements (by hand or from the encoded plan), watches the matrix, accepts or returns, reminds;
 * the filer (a lower office or a department) drafts, uploads, submits.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const FilingKind = z.enum(FILING_KINDS);
export const FilerKind = z.enum(FILER_KINDS);
export const FilingState = z.enum(FILING_STATES);
export const FilingStatus = z.enum(FILING_STATUSES);

const Count = z.number().int().min(0).max(2147483647);
const Percent = z.number().min(0).max(100);

const StateCounts = z.object({
  not_filed: z.number(),
  draft: z.number(),
  submitted: z.number(),
  accepted: z.number(),
  returned: z.number(),
  late: z.number(),
});

export const FilingRequirement = z
  .object({
    id: z.number(),
    campaignId: z.number(),
    kind: FilingKind,
    title: z.string(),
    dueOn: z.string(),
    filers: FilerKind,
    text: z.string().nullable(),
    createdAt: Timestamp,
    /** how many organisations file against it */
    filerCount: z.number(),
    counts: StateCounts,
    /** something was submitted against it: it can no longer be edited or removed */
    locked: z.boolean(),
  })
  .meta({ id: 'FilingRequirement', description: '报备要求 A filing requirement: what, by whom, by when, and how far it is' });

export const FilingCampaign = z
  .object({
    id: z.number(),
    name: z.string(),
    year: z.number(),
    regionName: z.string(),
    /** the account's office runs it (sets requirements, decides) */
    manages: z.boolean(),
    /** the account's organisation files in it */
    files: z.boolean(),
    requirements: z.number(),
  })
  .meta({ id: 'FilingCampaign', description: '报备活动 A campaign with filing requirements the account manages or files in' });

const FilerView = z.object({ id: z.number(), name: z.string(), kind: FilerKind, regionName: z.string() });

export const FilingCell = z.object({
  requirementId: z.number(),
  state: FilingState,
  filingId: z.number().nullable(),
  late: z.boolean(),
  submittedAt: Timestamp.nullable(),
  remindedAt: Timestamp.nullable(),
});

export const FilingMatrix = z
  .object({
    campaign: z.object({ id: z.number(), name: z.string(), year: z.number(), regionName: z.string(), canManage: z.boolean() }),
    today: z.string(),
    requirements: z.array(FilingRequirement),
    /** one row per filer; a cell per requirement that applies to it */
    rows: z.array(z.object({ org: FilerView, cells: z.array(FilingCell) })),
    total: z.number(),
  })
  .meta({ id: 'FilingMatrix', description: '报备矩阵 Requirements × filers with each filing’s state, late ones marked' });

export const MyFiling = z
  .object({
    requirement: FilingRequirement.pick({ id: true, campaignId: true, kind: true, title: true, dueOn: true, filers: true, text: true }),
    campaignName: z.string(),
    officeName: z.string(),
    state: FilingState,
    late: z.boolean(),
    filingId: z.number().nullable(),
    submittedAt: Timestamp.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'MyFiling', description: '我的报备 One requirement the account’s organisation files against, with its state' });

export const DemoSite = z.object({
  subjectId: z.number(),
  subjectName: z.string(),
  regionName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  note: z.string().nullable(),
});
const DemoSiteInput = z.object({ subjectId: Id, categoryCode: Text(50).pipe(z.string().min(1)), note: Text(500).nullish() });

export const SummaryFigure = z.object({
  value: Percent.nullable(),
  /** where it came from: a region indicator of the year, or computed from applications and titles */
  source: z.enum(['indicator', 'computed', 'manual']),
  numerator: Count.nullable(),
  denominator: Count.nullable(),
  sourceRef: Text(200).nullable(),
});

export const SummaryFigures = z
  .object({
    year: z.number().int().min(1900).max(9999),
    regionName: Text(200),
    applications: z.array(z.object({ status: Text(40), count: Count })).max(40),
    applicationsTotal: Count,
    titlesConferred: Count,
    coverage: SummaryFigure,
    passRate: SummaryFigure,
    indicators: z
      .array(
        z.object({
          indicator: Text(80),
          value: z.number().min(-1e9).max(1e9),
          source: Text(40),
          sourceRef: Text(200).nullable(),
          recordedAt: Text(40).nullable(),
        }),
      )
      .max(60),
  })
  .meta({
    id: 'FilingSummaryFigures',
    description: '年度总结数据 The summary’s figures: prefilled from the system, editable by the filer',
  });

export const FilingSummary = z.object({ figures: SummaryFigures, text: Text(20000) });

export const FilingEvent = z.object({
  at: z.string(),
  action: z.enum(['created', 'saved', 'uploaded', 'submitted', 'accepted', 'returned', 'reminded']),
  by: z.string().nullable(),
  org: z.string().nullable(),
  reason: z.string().nullish(),
  revision: z.number().optional(),
});

export const FilingDetail = z
  .object({
    id: z.number(),
    requirement: FilingRequirement.pick({ id: true, campaignId: true, kind: true, title: true, dueOn: true, filers: true, text: true }),
    campaign: z.object({ id: z.number(), name: z.string(), year: z.number(), regionName: z.string(), officeName: z.string() }),
    org: z.object({ id: z.number(), name: z.string(), regionName: z.string() }),
    status: FilingStatus,
    state: FilingState,
    late: z.boolean(),
    today: z.string(),
    fileName: z.string().nullable(),
    note: z.string().nullable(),
    reason: z.string().nullable(),
    sites: z.array(DemoSite),
    summary: FilingSummary.nullable(),
    /** for a summary: the figures the system holds for the filer's region and the campaign's year, now */
    prefill: SummaryFigures.nullable(),
    submittedAt: Timestamp.nullable(),
    decidedAt: Timestamp.nullable(),
    decidedBy: z.string().nullable(),
    remindedAt: Timestamp.nullable(),
    revision: z.number(),
    history: z.array(FilingEvent),
    /** categories a 示范点 can be named for */
    categories: z.array(z.object({ code: z.string(), name: z.string() })),
    canEdit: z.boolean(),
    canSubmit: z.boolean(),
    canDecide: z.boolean(),
    canRemind: z.boolean(),
  })
  .meta({ id: 'Filing', description: '报备 A filing: the document, the structured part, its state and history' });

const RequirementBody = z.object({
  title: Text(200).pipe(z.string().trim().min(1, '请填写标题')),
  dueOn: DateStr,
  text: Text(5000).nullish(),
});

export const filingsApi = {
  campaigns: route({
    id: 'listFilingCampaigns',
    method: 'GET',
    path: '/api/filings/campaigns',
    summary: '报备活动 Campaigns whose filings the account manages or files in (all of them)',
    tags: ['filings'],
    auth: 'session',
    status: 200,
    response: z.object({ items: z.array(FilingCampaign) }),
  }),
  requirements: route({
    id: 'listFilingRequirements',
    method: 'GET',
    path: '/api/filings/requirements',
    summary: '报备要求 The requirements of a campaign with their progress',
    tags: ['filings'],
    auth: 'session',
    query: z.object({ campaignId: Id }),
    status: 200,
    response: z.object({ items: z.array(FilingRequirement) }),
  }),
  createRequirement: route({
    id: 'createFilingRequirement',
    method: 'POST',
    path: '/api/filings/requirements',
    summary: '新建报备要求 The campaign’s office adds a requirement by hand',
    tags: ['filings'],
    auth: 'session',
    body: RequirementBody.extend({ campaignId: Id, kind: FilingKind, filers: FilerKind }),
    status: 201,
    response: FilingRequirement,
  }),
  fromPlan: route({
    id: 'createFilingRequirementsFromPlan',
    method: 'POST',
    path: '/api/filings/requirements/from-plan',
    summary:
      '按方案生成 Creates the 004 set (plan, standards, 示范点, summary for counties and departments) in the campaign’s year; existing ones are kept',
    tags: ['filings'],
    auth: 'session',
    body: z.object({ campaignId: Id }),
    status: 201,
    response: z.object({ created: z.number(), items: z.array(FilingRequirement) }),
  }),
  updateRequirement: route({
    id: 'updateFilingRequirement',
    method: 'PUT',
    path: '/api/filing-requirements/:id',
    summary: '修改报备要求 Title, due date and text, while nothing was submitted against it',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    body: RequirementBody,
    status: 200,
    response: FilingRequirement,
  }),
  deleteRequirement: route({
    id: 'deleteFilingRequirement',
    method: 'DELETE',
    path: '/api/filing-requirements/:id',
    summary: '删除报备要求 Removes it (and its unsubmitted drafts), while nothing was submitted against it',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({ ok: z.literal(true) }),
  }),
  remind: route({
    id: 'remindFiler',
    method: 'POST',
    path: '/api/filing-requirements/:id/remind',
    summary: '催报 Reminds one filer (in-app, mail, SMS); at most once a day per filing',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    body: z.object({ orgId: Id }),
    status: 200,
    response: z.object({ reminded: z.number(), skipped: z.number() }),
  }),
  remindLate: route({
    id: 'remindLateFilers',
    method: 'POST',
    path: '/api/filings/remind-late',
    summary: '一键催报 Reminds every late filer of the campaign (those reminded today are skipped)',
    tags: ['filings'],
    auth: 'session',
    body: z.object({ campaignId: Id }),
    status: 200,
    response: z.object({ reminded: z.number(), skipped: z.number() }),
  }),
  matrix: route({
    id: 'getFilingMatrix',
    method: 'GET',
    path: '/api/filings/matrix',
    summary: '报备矩阵 Requirements × filers, paged by filer (?format=xlsx: the same matrix as Excel)',
    tags: ['filings'],
    auth: 'session',
    query: z.object({
      campaignId: Id,
      filers: FilerKind.optional(),
      state: FilingState.optional(),
      late: z.enum(['1', 'true']).optional(),
      q: Text(100).optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: FilingMatrix,
    xlsx: true,
    file: XLSX,
  }),
  mine: route({
    id: 'listMyFilings',
    method: 'GET',
    path: '/api/filings/mine',
    summary: '我的报备 What the account’s organisation must file, with due dates and states',
    tags: ['filings'],
    auth: 'session',
    query: z.object({ campaignId: Id.optional(), state: FilingState.optional(), ...Page }),
    status: 200,
    response: z.object({ items: z.array(MyFiling), total: z.number() }),
  }),
  open: route({
    id: 'openFiling',
    method: 'POST',
    path: '/api/filings',
    summary: '开始报备 The filer opens its filing against a requirement (the existing one if any)',
    tags: ['filings'],
    auth: 'session',
    body: z.object({ requirementId: Id }),
    status: 201,
    response: FilingDetail,
  }),
  detail: route({
    id: 'getFiling',
    method: 'GET',
    path: '/api/filings/:id',
    summary: '报备详情 A filing with its document, structured part, state and history',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: FilingDetail,
  }),
  save: route({
    id: 'saveFiling',
    method: 'PUT',
    path: '/api/filings/:id',
    summary: '保存报备 The filer saves its note, 示范点 or summary (a stale revision is refused)',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    body: z.object({
      revision: z.number().int().min(1).max(2147483647),
      note: Text(2000).nullish(),
      sites: z.array(DemoSiteInput).max(200).optional(),
      summary: FilingSummary.optional(),
    }),
    status: 200,
    response: FilingDetail,
  }),
  upload: route({
    id: 'uploadFilingFile',
    method: 'POST',
    path: '/api/filings/:id/file',
    summary: '上传报备文件 The document (multipart: file; PDF, Word or Excel), replacing any earlier one',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    multipart: true,
    status: 201,
    response: FilingDetail,
  }),
  download: route({
    id: 'downloadFilingFile',
    method: 'GET',
    path: '/api/filings/:id/file',
    summary: '下载报备文件 The filed document',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/octet-stream',
  }),
  sites: route({
    id: 'searchFilingSites',
    method: 'GET',
    path: '/api/filings/:id/subjects',
    summary: '可选示范点 Units in the filer’s region that can be named 示范点 (by name: the first 50, and whether more match)',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    query: z.object({ q: Text(100).optional() }),
    status: 200,
    /** more: more match than are listed (type more of the name) */
    response: z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), regionName: z.string() })), more: z.boolean() }),
  }),
  submit: route({
    id: 'submitFiling',
    method: 'POST',
    path: '/api/filings/:id/submit',
    summary: '报送 The filer submits (or resubmits a returned filing)',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: FilingDetail,
  }),
  accept: route({
    id: 'acceptFiling',
    method: 'POST',
    path: '/api/filings/:id/accept',
    summary: '接收 The campaign’s office accepts: the filing is locked',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: FilingDetail,
  }),
  reject: route({
    id: 'returnFiling',
    method: 'POST',
    path: '/api/filings/:id/return',
    summary: '退回 The campaign’s office returns it for correction, with the reason',
    tags: ['filings'],
    auth: 'session',
    params: IdParams,
    body: z.object({ reason: Text(2000) }),
    status: 200,
    response: FilingDetail,
  }),
} satisfies Record<string, RouteContract>;
