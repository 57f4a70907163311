import { z } from 'zod';
import type { StandardChange } from '@pingan/core';
import { Id, IdParams, Text, Timestamp, route } from './route.js';
import { StandardDocSchema } from './common.js';

/** 标准库: standards, their versions, categories; editing, diffs, validation and export. */

export const StandardVersionSummary = z.object({
  id: z.number(),
  version: z.number(),
  note: z.string().nullable(),
  /** number of criteria (评分细则) */
  criteria: z.number(),
  maxPoints: z.number(),
  createdAt: Timestamp,
});

export const StandardSummary = z
  .object({
    id: z.number(),
    code: z.string(),
    title: z.string(),
    issuer: z.string(),
    categoryCode: z.string(),
    categoryName: z.string(),
    versions: z.array(StandardVersionSummary),
  })
  .meta({ id: 'StandardSummary', description: '标准 A standard with its versions' });

export const StandardVersionView = z
  .object({
    id: z.number(),
    standardId: z.number(),
    version: z.number(),
    note: z.string().nullable(),
    createdAt: Timestamp,
    doc: StandardDocSchema,
  })
  .meta({ id: 'StandardVersion', description: '标准版本 One version of a standard, in full' });

export const CategoryView = z
  .object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    leadDepts: z.array(z.string()),
    cooperateDepts: z.array(z.string()),
  })
  .meta({ id: 'Category', description: '创建类别 A category' });

/** The id of a stored version, after a new standard or a new version. */
export const NewStandardVersionView = z.object({ id: z.number(), standardId: z.number(), version: z.number() });

/** core diffStandards: one change between two versions */
export const StandardChangeSchema = z
  .object({
    kind: z.enum(['added', 'removed', 'changed']),
    target: z.enum(['criterion', 'group', 'standard']),
    id: z.string(),
    criterionId: z.string().optional(),
    groupId: z.string().optional(),
    field: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    summary: z.string(),
  })
  .meta({ id: 'StandardChange', description: '版本差异 One change between two versions' });

export const StandardFileFormat = z.enum(['json', 'yaml', 'xlsx']);

const DocBody = z.object({
  /** a document of format pingan-standard/v1; checked by parseStandard, errors name the field */
  doc: z.unknown().optional(),
  note: Text(500).trim().nullish(),
});

export const standardsApi = {
  list: route({
    id: 'listStandards',
    method: 'GET',
    path: '/api/standards',
    summary: '标准库 Standards library',
    tags: ['standards'],
    auth: 'session',
    status: 200,
    response: z.array(StandardSummary),
  }),
  version: route({
    id: 'getStandardVersion',
    method: 'GET',
    path: '/api/standard-versions/:id',
    summary: '标准版本全文 One standard version',
    tags: ['standards'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: StandardVersionView,
  }),
  categories: route({
    id: 'listCategories',
    method: 'GET',
    path: '/api/categories',
    summary: '创建类别 Categories',
    tags: ['standards'],
    auth: 'session',
    status: 200,
    response: z.array(CategoryView),
  }),
  validate: route({
    id: 'validateStandard',
    method: 'POST',
    path: '/api/standards/validate',
    summary: '校验标准 Validate a standard document',
    tags: ['standards'],
    auth: 'session',
    body: z.object({ doc: z.unknown().optional() }),
    status: 200,
    response: z.object({ ok: z.boolean(), errors: z.array(z.string()) }),
  }),
  create: route({
    id: 'createStandard',
    method: 'POST',
    path: '/api/standards',
    summary: '新建标准 Create a standard (version 1)',
    tags: ['standards'],
    auth: 'session',
    body: DocBody,
    status: 201,
    response: NewStandardVersionView,
  }),
  addVersion: route({
    id: 'addStandardVersion',
    method: 'POST',
    path: '/api/standards/:id/versions',
    summary: '保存新版本 Store a new version',
    tags: ['standards'],
    auth: 'session',
    params: IdParams,
    body: DocBody,
    status: 201,
    response: NewStandardVersionView,
  }),
  diff: route({
    id: 'diffStandardVersions',
    method: 'GET',
    path: '/api/standards/:id/versions/:a/diff/:b',
    summary: '版本对比 Changes between two versions (a and b are version numbers)',
    tags: ['standards'],
    auth: 'session',
    params: z.object({ id: Id, a: Id, b: Id }),
    status: 200,
    response: z.array(StandardChangeSchema),
  }),
  export: route({
    id: 'exportStandardVersion',
    method: 'GET',
    path: '/api/standard-versions/:id/export',
    summary: '导出标准 Download a version as JSON, YAML or Excel',
    tags: ['standards'],
    auth: 'session',
    params: IdParams,
    query: z.object({ format: StandardFileFormat.default('yaml') }),
    status: 200,
    response: null,
    file: 'application/octet-stream',
  }),
};

// ── compile-time check: the diff schema describes exactly the core's StandardChange ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof StandardChangeSchema>, StandardChange>>();
