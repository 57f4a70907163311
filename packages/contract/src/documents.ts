import { z } from 'zod';
import { Id, IdParams, route, type RouteContract } from './route.js';

/**
 * 打印文书: the 申报表 and the 审核表 of an application in the layout of 002's forms (bordered
 * tables on A4, a seal area with 盖章 and 年 月 日 for each reviewing level of the campaign's chain),
 * and a region's yearly summary with its figures and bar charts. PDF answers.
 */

export const documentsApi = {
  applicationForm: route({
    id: 'applicationFormPdf',
    method: 'GET',
    path: '/api/applications/:id/forms/application',
    summary: '申报表 The application form as PDF (whoever sees the application)',
    tags: ['documents'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/pdf',
  }),
  reviewForm: route({
    id: 'reviewFormPdf',
    method: 'GET',
    path: '/api/applications/:id/forms/review',
    summary: '审核表 The review form as PDF: each step of the chain with its opinion, result and date',
    tags: ['documents'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/pdf',
  }),
  regionSummary: route({
    id: 'regionSummaryPdf',
    method: 'GET',
    path: '/api/documents/region-summary',
    summary: '年度汇总 A region’s yearly summary as PDF: applications, titles, indicators, ranking (平安办, its subtree)',
    tags: ['documents'],
    auth: 'session',
    query: z.object({
      regionId: Id,
      year: z.coerce.number<number | string>().int('年份须为整数').min(2000, '年份须在2000到2100之间').max(2100, '年份须在2000到2100之间'),
    }),
    status: 200,
    response: null,
    file: 'application/pdf',
  }),
} satisfies Record<string, RouteContract>;
