import { RatingScheme } from '@pingan/core';
import { z } from 'zod';
import { Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { ApplicationStatus } from './common.js';
import { DayText } from './campaigns.js';
import { PublicCode } from './publicCodes.js';

/**
 * 公示: the notices module's routes. Staff routes carry ids and reasons; the public routes
 * (/api/public/notices, no login) address notices and candidates by random public codes and list
 * only public fields, so anything else a presenter hands over (an application id, a removal reason,
 * an unmasked name's kind) is dropped by the serialiser.
 */

const Title = Text(200)
  .transform((s) => s.trim())
  .pipe(z.string().min(4, '公示标题至少4个字'));
const Reason = Text(500)
  .transform((s) => s.trim())
  .pipe(z.string().min(1, '须填写理由'));

export const NoticeStatus = z.enum(['active', 'withdrawn']);
export const NoticeState = z.enum(['upcoming', 'open', 'ended', 'withdrawn']);

/** A notice in the staff list, with its counts and what the account may do with it. */
export const NoticeRowView = z
  .object({
    id: z.number(),
    title: z.string(),
    body: z.string().nullable(),
    startsOn: z.string(),
    endsOn: z.string(),
    status: NoticeStatus,
    withdrawnReason: z.string().nullable(),
    revision: z.number(),
    regionName: z.string(),
    campaignId: z.number(),
    campaignName: z.string(),
    minNoticeDays: z.number(),
    /** names on the notice, still in notice, already conferred, and taken off */
    items: z.number(),
    inNotice: z.number(),
    conferred: z.number(),
    removed: z.number(),
    state: NoticeState,
    owned: z.boolean(),
    canEdit: z.boolean(),
    canWithdraw: z.boolean(),
    canConfer: z.boolean(),
    earliestEnd: z.string(),
    /** the notice's address on the public pages (/public/notices/:code) */
    publicCode: z.string(),
  })
  .meta({ id: 'NoticeRow' });

export const NoticeItemView = z.object({
  applicationId: z.number(),
  subjectName: z.string(),
  regionName: z.string(),
  categoryName: z.string(),
  stars: z.number().nullable(),
  score: z.number().nullable(),
  status: ApplicationStatus,
  removedAt: Timestamp.nullable(),
  removedReason: z.string().nullable(),
  canRemove: z.boolean(),
  /** objections filed against it, and those still open (open or investigating): it is not conferred while any is open */
  objectionsTotal: z.number(),
  objectionsOpen: z.number(),
});

export const NoticeDetailView = z
  .object({
    id: z.number(),
    campaignId: z.number(),
    title: z.string(),
    body: z.string().nullable(),
    startsOn: z.string(),
    endsOn: z.string(),
    status: NoticeStatus,
    withdrawnReason: z.string().nullable(),
    revision: z.number(),
    minNoticeDays: z.number(),
    earliestEnd: z.string(),
    state: NoticeState,
    owned: z.boolean(),
    canEdit: z.boolean(),
    publicCode: z.string(),
    items: z.array(NoticeItemView),
  })
  .meta({ id: 'NoticeDetail' });

export const NoticeCandidateView = z.object({
  id: z.number(),
  subjectName: z.string(),
  regionName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  score: z.number().nullable(),
  stars: z.number().nullable(),
});

// ── public: no internal ids (notices and candidates by their random public codes), households masked, no reasons ──

export const PublicNoticeSummary = z
  .object({
    code: z.string(),
    title: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    regionName: z.string(),
    /** within the notice period: objections are taken */
    open: z.boolean(),
  })
  .meta({ id: 'PublicNoticeSummary', description: '公示公告 A public notice in the list (no login)' });

/** How many objections a candidate drew and how they ended: never who filed them nor what they say. */
export const PublicObjectionCounts = z
  .object({ filed: z.number(), open: z.number(), upheld: z.number(), dismissed: z.number() })
  .meta({ id: 'PublicObjectionCounts' });

export const PublicNoticeItem = z
  .object({
    /** the candidate's public reference (random): objections are filed against it */
    code: z.string(),
    /** a row number */
    no: z.number(),
    /** households and persons masked: 王**家庭 */
    subjectName: z.string(),
    regionName: z.string(),
    categoryName: z.string(),
    /** stars (000) or a title conferred or not (001, 002): a title-only standard has no stars (null) */
    scheme: RatingScheme,
    stars: z.number().nullable(),
    score: z.number().nullable(),
    /** a name taken off shows only 已撤回, never why nor whether it was returned */
    status: z.enum(['in_notice', 'conferred', 'withdrawn']),
    conferred: z.boolean(),
    withdrawn: z.boolean(),
    objections: PublicObjectionCounts,
    /** the notice is open and the candidate still on it */
    canObject: z.boolean(),
  })
  .meta({ id: 'PublicNoticeItem' });

export const PublicNoticeView = z
  .object({
    code: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    startsOn: z.string(),
    endsOn: z.string(),
    regionName: z.string(),
    ended: z.boolean(),
    /** within the notice period (startsOn ≤ today ≤ endsOn): objections are taken */
    open: z.boolean(),
    items: z.array(PublicNoticeItem),
  })
  .meta({ id: 'PublicNotice', description: '公示详情 A public notice with its names (no login)' });

export const NoticeInput = z.object({
  campaignId: Id,
  title: Title,
  body: Text(5000).nullish(),
  startsOn: DayText,
  endsOn: DayText,
  applicationIds: z.array(Id).min(1, '至少选择一项申报').max(1000),
});

export const NoticeUpdateInput = z.object({
  title: Title.optional(),
  body: Text(5000).nullish(),
  endsOn: DayText.optional(),
  revision: z.number().int().positive().max(2147483647).nullish(),
});

export const noticesApi = {
  list: route({
    id: 'listNotices',
    method: 'GET',
    path: '/api/notices',
    summary: '公示管理 Notices of my region',
    tags: ['notices'],
    auth: 'session',
    query: z.object({ format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: z.array(NoticeRowView),
    xlsx: true,
  }),
  candidates: route({
    id: 'listNoticeCandidates',
    method: 'GET',
    path: '/api/notices/candidates',
    summary: '可公示的申报 Evaluated applications to put on a notice',
    tags: ['notices'],
    auth: 'session',
    query: z.object({
      campaignId: Id,
      q: Text(100).optional(),
      ...Page,
    }),
    status: 200,
    response: z.object({ items: z.array(NoticeCandidateView), total: z.number(), minNoticeDays: z.number() }),
  }),
  detail: route({
    id: 'getNotice',
    method: 'GET',
    path: '/api/notices/:id',
    summary: '公示详情（工作人员）A notice with its names',
    tags: ['notices'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: NoticeDetailView,
  }),
  publish: route({
    id: 'publishNotice',
    method: 'POST',
    path: '/api/notices',
    summary: '发布公示 Publish a public notice',
    tags: ['notices'],
    auth: 'session',
    body: NoticeInput,
    status: 201,
    response: z.object({ id: z.number() }),
  }),
  update: route({
    id: 'updateNotice',
    method: 'PUT',
    path: '/api/notices/:id',
    summary: '编辑公示 Edit a notice (title, text, a later end)',
    tags: ['notices'],
    auth: 'session',
    params: IdParams,
    body: NoticeUpdateInput,
    status: 200,
    response: z.object({ id: z.number(), revision: z.number() }),
  }),
  withdraw: route({
    id: 'withdrawNotice',
    method: 'POST',
    path: '/api/notices/:id/withdraw',
    summary: '撤销公示 Withdraw a notice, with a reason',
    tags: ['notices'],
    auth: 'session',
    params: IdParams,
    body: z.object({ reason: Reason }),
    status: 200,
    response: z.object({ id: z.number(), status: z.literal('withdrawn'), returned: z.array(z.number()) }),
  }),
  removeItem: route({
    id: 'removeNoticeItem',
    method: 'POST',
    path: '/api/notices/:id/items/:applicationId/withdraw',
    summary: '公示期间撤回或退回 Take a candidate off a notice',
    tags: ['notices'],
    auth: 'session',
    params: z.object({ id: Id, applicationId: Id }),
    body: z.object({ action: z.enum(['withdraw', 'return']), reason: Reason }),
    status: 200,
    response: z.object({ applicationId: z.number(), status: ApplicationStatus }),
  }),
  confer: route({
    id: 'conferNotice',
    method: 'POST',
    path: '/api/notices/:id/confer',
    summary: '公示期满命名 Confer titles after the notice',
    tags: ['notices'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({
      conferred: z.array(z.number()),
      /** candidates held back by objections still open (open or investigating); a later call confers them once closed */
      waiting: z.array(z.object({ applicationId: z.number(), openObjections: z.number() })),
    }),
  }),
  publicList: route({
    id: 'listPublicNotices',
    method: 'GET',
    path: '/api/public/notices',
    summary: '公示公告（无需登录）Public notices',
    tags: ['public'],
    auth: 'public',
    query: z.object({ ...Page }),
    status: 200,
    response: z.object({ items: z.array(PublicNoticeSummary), total: z.number() }),
  }),
  publicDetail: route({
    id: 'getPublicNotice',
    method: 'GET',
    path: '/api/public/notices/:code',
    summary: '公示详情（无需登录）A public notice, by its public code',
    tags: ['public'],
    auth: 'public',
    params: z.object({ code: PublicCode }),
    status: 200,
    response: PublicNoticeView,
  }),
};
