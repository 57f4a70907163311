import { z } from 'zod';
import { Id, Page, Text, Timestamp, route, type RouteContract } from './route.js';

/**
 * 名册导入: an office loads its regions (常住人口, 户数) and its units and households from an Excel
 * template, within its own region subtree. The upload runs as a background job: every row is
 * checked first; a file with any bad row writes nothing and answers the rows with their reasons
 * (also as Excel); a good file is written in one transaction.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

/** one bad row of the file: its sheet, its row number in Excel and why */
export const RosterProblem = z
  .object({
    sheet: z.enum(['区域', '单位', '文件']),
    row: z.number(),
    /** the row's name cell, to find it */
    name: z.string(),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'RosterProblem', description: '导入错误 A bad row of a roster file and its reasons' });

export const RosterImportResult = z
  .object({
    /** true when the file was written; false when it was refused (nothing written) */
    ok: z.boolean(),
    regionRows: z.number(),
    unitRows: z.number(),
    regionsInserted: z.number(),
    regionsUpdated: z.number(),
    unitsInserted: z.number(),
    unitsUpdated: z.number(),
    /** how many rows are bad (all of them are in the Excel error report) */
    problemCount: z.number(),
    /** the bad rows, at most the first 500 (the error report has all of them) */
    problems: z.array(RosterProblem),
    ms: z.number(),
  })
  .meta({ id: 'RosterImportResult', description: '名册导入结果 What a roster import did, or why it was refused' });

export const RosterJob = z
  .object({
    id: z.string(),
    state: z.enum(['running', 'done', 'failed']),
    done: z.number(),
    total: z.number(),
    /** in Chinese, for the person at the screen */
    message: z.string(),
    result: RosterImportResult.nullable(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'RosterJob', description: '名册导入任务 A roster import job and its progress' });

export const RosterUnit = z
  .object({
    id: z.number(),
    kind: z.enum(['unit', 'household', 'individual', 'region']),
    name: z.string(),
    regionId: z.number(),
    /** 云州市/青山区/城南街道 */
    regionPath: z.string(),
    unitType: z.string().nullable(),
    supervisingDept: z.string().nullable(),
    households: z.number().nullable(),
    staff: z.number().nullable(),
    address: z.string().nullable(),
    /** masked (138****1234) */
    phone: z.string().nullable(),
  })
  .meta({ id: 'RosterUnit', description: '名册单位 A unit or household of the roster (phone masked)' });

export const rosterApi = {
  template: route({
    id: 'rosterTemplate',
    method: 'GET',
    path: '/api/roster/template',
    summary: '名册导入模板 The Excel template (区域, 单位, 说明)',
    tags: ['roster'],
    auth: 'session',
    status: 200,
    response: null,
    file: XLSX,
  }),
  importFile: route({
    id: 'importRoster',
    method: 'POST',
    path: '/api/roster/imports',
    summary: '导入名册 Upload a filled template (multipart: file); answers 202 with the job id',
    tags: ['roster'],
    auth: 'session',
    multipart: true,
    status: 202,
    response: z.object({ jobId: z.string() }),
  }),
  job: route({
    id: 'getRosterImport',
    method: 'GET',
    path: '/api/roster/jobs/:id',
    summary: '导入进度 The import job: progress, then the counts or the bad rows',
    tags: ['roster'],
    auth: 'session',
    params: z.object({ id: Text(64).min(1) }),
    status: 200,
    response: RosterJob,
  }),
  errorReport: route({
    id: 'rosterErrorReport',
    method: 'GET',
    path: '/api/roster/jobs/:id/errors',
    summary: '错误报告 The bad rows of a refused import with their reasons, as Excel',
    tags: ['roster'],
    auth: 'session',
    params: z.object({ id: Text(64).min(1) }),
    status: 200,
    response: null,
    file: XLSX,
  }),
  list: route({
    id: 'listRoster',
    method: 'GET',
    path: '/api/roster/units',
    summary: '名册 Units and households of my region subtree (?format=xlsx: the same list as Excel)',
    tags: ['roster'],
    auth: 'session',
    query: z.object({
      q: Text(100).optional(),
      regionId: Id.optional(),
      kind: z.enum(['unit', 'household']).optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({ items: z.array(RosterUnit), total: z.number() }),
    xlsx: true,
    file: XLSX,
  }),
} satisfies Record<string, RouteContract>;
