import { z } from 'zod';
import { Page, Text, route } from './route.js';
import { TitleLevel } from './common.js';

/**
 * 荣誉榜 and a title's public page (no login). Nothing here carries an internal id: a title is
 * known by its certificate number, a category by its code, a region by its path of names
 * (云州市/青山区/城南街道). Households and persons appear masked (王**家庭, 王**), and their region
 * stops at the township (乡镇/街道): never the village, the grid or an address.
 */

/** What the public sees of a title's status (core publicTitleStatus). */
export const PublicTitleStatus = z.enum(['valid', 'yellow', 'revoked', 'expired']);
/** Which titles a list shows: `current` (the default) = valid and yellow card; `all` adds revoked and expired. */
export const HonourStatusFilter = z.enum(['current', 'all', 'valid', 'yellow', 'revoked', 'expired']);
export const HolderKind = z.enum(['unit', 'household', 'individual', 'region']);

/** A category code as the standards name them (campus, hospital…). */
const CategoryCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, '类别代码不正确');

/** The filters of the honour roll and of its open-data files. */
export const HonourFilter = z.object({
  year: z.coerce.number<number | string>().int('年度须为整数').min(1990, '年度超出范围').max(2100, '年度超出范围').optional(),
  category: CategoryCode.optional(),
  /** a region by its path of names, e.g. 云州市/青山区/城南街道 (the facets list them) */
  region: Text(200).optional(),
  /** part of the holder's name as the roll shows it (a household is found by 王, never by its head's full name) */
  q: Text(50).optional(),
  status: HonourStatusFilter.default('current'),
});

export const HonourItem = z
  .object({
    certificateNo: z.string(),
    /** households and persons masked: 王**家庭 / 王** */
    holder: z.string(),
    holderKind: HolderKind,
    /** the region's path of names; for households and persons down to the township only */
    region: z.string(),
    categoryCode: z.string(),
    categoryName: z.string(),
    categoryNameEn: z.string().nullable(),
    titleName: z.string(),
    year: z.number(),
    level: TitleLevel,
    /** null where the scheme confers a title without stars */
    stars: z.number().nullable(),
    issuer: z.string(),
    namingDocument: z.string().nullable(),
    conferredOn: z.string(),
    status: PublicTitleStatus,
    statusSince: z.string().nullable(),
    validUntil: z.string().nullable(),
  })
  .meta({ id: 'HonourItem', description: '荣誉榜条目 A title on the honour roll (no login)' });

export const HonourFacets = z
  .object({
    years: z.array(z.object({ year: z.number(), count: z.number() })),
    categories: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable(), count: z.number() })),
    /** regions down to the township, each with the titles in its subtree */
    regions: z.array(
      z.object({
        path: z.string(),
        name: z.string(),
        level: z.enum(['province', 'city', 'county', 'town']),
        depth: z.number(),
        count: z.number(),
      }),
    ),
  })
  .meta({ id: 'HonourFacets', description: '荣誉榜筛选项 Years, categories and regions with counts' });

export const HonourList = z
  .object({ items: z.array(HonourItem), total: z.number(), limit: z.number(), offset: z.number(), facets: HonourFacets })
  .meta({ id: 'HonourList', description: '荣誉榜 The honour roll, a page of it (no login)' });

export const HonourExport = z
  .object({
    generatedOn: z.string(),
    filter: z.object({
      year: z.number().nullable(),
      category: z.string().nullable(),
      region: z.string().nullable(),
      q: z.string().nullable(),
      status: HonourStatusFilter,
    }),
    total: z.number(),
    items: z.array(HonourItem),
  })
  .meta({ id: 'HonourExport', description: '荣誉榜开放数据 The honour roll as open data (JSON)' });

export const TitleHistoryEntry = z
  .object({
    /** conferred, suspended, revoked, restored, stars_changed, appeal_…, expired */
    kind: z.string(),
    on: z.string(),
    fromStatus: PublicTitleStatus.nullable(),
    toStatus: PublicTitleStatus.nullable(),
    fromStars: z.number().nullable(),
    toStars: z.number().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'TitleHistoryEntry' });

export const PublicTitleView = z
  .object({
    certificateNo: z.string(),
    holder: z.string(),
    holderKind: HolderKind,
    region: z.string(),
    categoryCode: z.string(),
    categoryName: z.string(),
    categoryNameEn: z.string().nullable(),
    titleName: z.string(),
    year: z.number(),
    level: TitleLevel,
    stars: z.number().nullable(),
    issuer: z.string(),
    namingDocument: z.string().nullable(),
    conferredOn: z.string(),
    /** the live status on `asOf` (the platform's calendar day), since when and why */
    status: PublicTitleStatus,
    statusSince: z.string().nullable(),
    statusReason: z.string().nullable(),
    validUntil: z.string().nullable(),
    asOf: z.string(),
    /** the certificate's data is signed (Ed25519 or SM2) */
    signed: z.boolean(),
    history: z.array(TitleHistoryEntry),
  })
  .meta({ id: 'PublicTitle', description: '称号公开页 A title’s live status and history (no login)' });

/** Any text: a wrong format answers the same 404 as a number that does not exist. */
export const CertificateNoParams = z.object({ no: Text(100) });

export const honourApi = {
  list: route({
    id: 'listHonourRoll',
    method: 'GET',
    path: '/api/public/honour',
    summary: '荣誉榜（无需登录）The honour roll: titles by year, category and region',
    tags: ['public'],
    auth: 'public',
    query: HonourFilter.extend({ ...Page, limit: Page.limit.default(20) }),
    status: 200,
    response: HonourList,
  }),
  exportCsv: route({
    id: 'exportHonourCsv',
    method: 'GET',
    path: '/api/public/honour.csv',
    summary: '荣誉榜开放数据 CSV（无需登录）The honour roll as CSV (UTF-8, Chinese headers)',
    tags: ['public'],
    auth: 'public',
    query: HonourFilter,
    status: 200,
    response: null,
    file: 'text/csv',
  }),
  exportJson: route({
    id: 'exportHonourJson',
    method: 'GET',
    path: '/api/public/honour.json',
    summary: '荣誉榜开放数据 JSON（无需登录）The honour roll as JSON',
    tags: ['public'],
    auth: 'public',
    query: HonourFilter,
    status: 200,
    response: HonourExport,
  }),
  title: route({
    id: 'getPublicTitle',
    method: 'GET',
    path: '/api/public/titles/:no',
    summary: '称号状态查验（无需登录）A title’s live status by its certificate number',
    tags: ['public'],
    auth: 'public',
    params: CertificateNoParams,
    status: 200,
    response: PublicTitleView,
  }),
};
