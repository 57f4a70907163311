import { z } from 'zod';
import { Id, Page, Text, Timestamp, route, type RouteContract } from './route.js';

/**
 * 数据分析 Analytics: a region's figures and its subregions' (drill-down to the units and a unit's
 * years), category × year, trends, the published yearly ranking, survey progress, a region across
 * years; and 沿用上年申报 (carry an earlier year's application forward). Everything is limited to
 * the account's scope (an office its region's subtree, a department its categories): 404 outside.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;
const Format = z.enum(['json', 'xlsx']).optional();
const Year = z.coerce.number<number | string>().int('年份须为整数').min(2000, '年份须在2000年以后').max(2100, '年份须在2100年以前');
const RegionLevel = z.enum(['province', 'city', 'county', 'town', 'village', 'grid']);
const AppStatus = z.enum([
  'draft',
  'submitted',
  'preliminary_passed',
  'evaluated',
  'in_notice',
  'conferred',
  'returned',
  'rejected',
  'withdrawn',
]);

export const RegionRef = z
  .object({ id: z.number(), name: z.string(), level: RegionLevel, hasChildren: z.boolean() })
  .meta({ id: 'AnalyticsRegionRef', description: '区域 A region, and whether it has subregions' });

export const RegionFigures = z
  .object({
    subjects: z.object({ unit: z.number(), household: z.number(), individual: z.number(), region: z.number(), total: z.number() }),
    /** applications of the year by status (never-submitted drafts are the applicant's: not counted) */
    applications: z.record(z.string(), z.number()),
    applicationsTotal: z.number(),
    /** titles in force at the end of the year (or today, for this year): not revoked, not expired */
    titlesInForce: z.number(),
    /** subjects with a submitted application this year / subjects */
    covered: z.number(),
    coverage: z.number().nullable(),
    /** conferred / (conferred + rejected) this year */
    conferred: z.number(),
    decided: z.number(),
    passRate: z.number().nullable(),
  })
  .meta({ id: 'AnalyticsRegionFigures', description: '区域数字 A region’s figures for a year' });

export const DrilldownAnswer = z
  .object({
    year: z.number(),
    /** the years that have campaigns, newest first */
    years: z.array(z.number()),
    region: RegionRef,
    /** from the account's own region down to this one */
    breadcrumb: z.array(RegionRef),
    figures: RegionFigures,
    children: z.array(z.object({ region: RegionRef, figures: RegionFigures })),
  })
  .meta({ id: 'AnalyticsDrilldown', description: '区域下钻 A region’s figures and its subregions’' });

export const UnitRow = z
  .object({
    subjectId: z.number(),
    name: z.string(),
    kind: z.enum(['unit', 'household', 'individual', 'region']),
    regionName: z.string(),
    /** the latest application the account may see: year, category, status */
    latestYear: z.number().nullable(),
    latestCategory: z.string().nullable(),
    latestStatus: AppStatus.nullable(),
    /** the latest title: name, stars, stored status */
    titleName: z.string().nullable(),
    titleYear: z.number().nullable(),
    titleStars: z.number().nullable(),
    titleStatus: z.enum(['valid', 'suspended', 'revoked']).nullable(),
  })
  .meta({ id: 'AnalyticsUnitRow', description: '单位 A unit with its latest application and title' });

export const UnitHistoryYear = z.object({
  year: z.number(),
  applications: z.array(
    z.object({
      id: z.number(),
      campaignName: z.string(),
      categoryCode: z.string(),
      categoryName: z.string(),
      status: AppStatus,
      score: z.number().nullable(),
      stars: z.number().nullable(),
    }),
  ),
  titles: z.array(
    z.object({
      id: z.number(),
      titleName: z.string(),
      stars: z.number(),
      status: z.enum(['valid', 'suspended', 'revoked']),
      validUntil: z.string().nullable(),
    }),
  ),
});

export const UnitHistory = z
  .object({
    subject: z.object({
      id: z.number(),
      name: z.string(),
      kind: z.enum(['unit', 'household', 'individual', 'region']),
      regionName: z.string(),
    }),
    /** the regions from the account's own region down to the unit's */
    breadcrumb: z.array(RegionRef),
    years: z.array(UnitHistoryYear),
  })
  .meta({ id: 'AnalyticsUnitHistory', description: '单位历年 A unit across years: applications, stars, titles' });

export const CategoryYearMatrix = z
  .object({
    region: RegionRef,
    years: z.array(z.number()),
    categories: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() })),
    cells: z.array(z.object({ categoryCode: z.string(), year: z.number(), applications: z.number(), titles: z.number() })),
  })
  .meta({ id: 'AnalyticsCategoryYearMatrix', description: '类别×年度 Applications and titles per category per year' });

export const TrendRow = z
  .object({
    year: z.number(),
    applications: z.number(),
    titles: z.number(),
    conferred: z.number(),
    decided: z.number(),
    passRate: z.number().nullable(),
  })
  .meta({ id: 'AnalyticsTrendRow', description: '趋势 One year: applications, titles, pass rate' });

export const RankingView = z
  .object({
    id: z.number(),
    scopeRegionId: z.number(),
    scopeRegionName: z.string(),
    level: z.enum(['county', 'town', 'village']),
    year: z.number(),
    publishedAt: Timestamp.nullable(),
    components: z.array(z.object({ indicator: z.string(), label: z.string(), weight: z.number(), better: z.enum(['higher', 'lower']) })),
    rows: z.array(
      z.object({
        regionId: z.number(),
        region: z.string(),
        score: z.number(),
        rank: z.number(),
        components: z.array(
          z.object({ indicator: z.string(), value: z.number().nullable(), points: z.number(), source: z.string().nullable() }),
        ),
        yellowCard: z.boolean(),
        veto: z.boolean(),
        ineligible: z.boolean(),
        reasons: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'AnalyticsRanking', description: '年度排名 A published yearly ranking with its cards' });

export const RankingAnswer = z
  .object({
    ranking: RankingView.nullable(),
    /** the published rankings the account may read */
    available: z.array(
      z.object({ scopeRegionId: z.number(), scopeRegionName: z.string(), level: z.enum(['county', 'town', 'village']), year: z.number() }),
    ),
  })
  .meta({ id: 'AnalyticsRankingAnswer', description: '年度排名 The ranking asked for and those available' });

export const IndicatorValue = z.object({
  indicator: z.string(),
  value: z.number(),
  source: z.enum(['computed', 'survey', 'import', 'manual']),
  sourceRef: z.string().nullable(),
  recordedAt: Timestamp,
});

export const SurveyProgressRow = z
  .object({
    region: RegionRef,
    /** the sampling plan's targets of the year's surveys for the region's subtree */
    target: z.number(),
    responses: z.number(),
    progress: z.number().nullable(),
    /** favourable shares: the region's indicators of the year taken from a survey */
    indicators: z.array(IndicatorValue),
  })
  .meta({ id: 'AnalyticsSurveyProgress', description: '问卷进度 Answers vs target and favourable shares of a region' });

export const RegionYears = z
  .object({
    region: RegionRef,
    years: z.array(z.number()),
    indicators: z.array(z.object({ indicator: z.string(), values: z.array(IndicatorValue.extend({ year: z.number() })) })),
  })
  .meta({ id: 'AnalyticsRegionYears', description: '历年对比 A region’s indicators per year with their sources' });

export const CarryForwardChange = z.object({
  criterionId: z.string(),
  kind: z.enum(['changed', 'added']),
  summary: z.string(),
});

export const CarryForwardResult = z
  .object({
    applicationId: z.number(),
    fromApplicationId: z.number(),
    fromYear: z.number(),
    /** criteria whose statement and figures were copied (text unchanged between the versions) */
    copied: z.array(z.string()),
    /** criteria changed or new in this year's version: to be filled anew */
    changed: z.array(CarryForwardChange),
    /** evidence files are never copied: they are uploaded again */
    filesNotCopied: z.number(),
  })
  .meta({ id: 'CarryForwardResult', description: '沿用上年申报 The new draft and what was copied or marked' });

export const CarryForwardMarks = z
  .object({
    carriedFrom: z.object({ applicationId: z.number(), year: z.number(), campaignName: z.string() }).nullable(),
    copied: z.array(z.string()),
    changed: z.array(CarryForwardChange),
  })
  .meta({ id: 'CarryForwardMarks', description: '沿用标记 Which criteria were carried forward and which changed' });

export const CarryForwardOptions = z
  .object({
    source: z.object({
      applicationId: z.number(),
      year: z.number(),
      campaignName: z.string(),
      categoryCode: z.string(),
      categoryName: z.string(),
    }),
    /** open campaigns of later years running the same category for this subject */
    campaigns: z.array(z.object({ id: z.number(), name: z.string(), year: z.number(), existingApplicationId: z.number().nullable() })),
  })
  .meta({ id: 'CarryForwardOptions', description: '可沿用到的活动 Campaigns an application can be carried forward to' });

const RegionQuery = { regionId: Id.optional(), format: Format };

export const analyticsApi = {
  drilldown: route({
    id: 'analyticsDrilldown',
    method: 'GET',
    path: '/api/analytics/drilldown',
    summary: '区域下钻 A region’s figures and its subregions’ for a year (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({ ...RegionQuery, year: Year.optional() }),
    status: 200,
    response: DrilldownAnswer,
    xlsx: true,
    file: XLSX,
  }),
  units: route({
    id: 'analyticsUnits',
    method: 'GET',
    path: '/api/analytics/units',
    summary: '单位列表 The units of a region’s subtree with their latest application and title (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({ ...RegionQuery, q: Text(100).optional(), ...Page }),
    status: 200,
    response: z.object({ items: z.array(UnitRow), total: z.number() }),
    xlsx: true,
    file: XLSX,
  }),
  unitHistory: route({
    id: 'analyticsUnitHistory',
    method: 'GET',
    path: '/api/analytics/unit-history',
    summary: '单位历年 A unit across years: applications, stars, titles (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({ subjectId: Id, format: Format }),
    status: 200,
    response: UnitHistory,
    xlsx: true,
    file: XLSX,
  }),
  matrix: route({
    id: 'analyticsCategoryYears',
    method: 'GET',
    path: '/api/analytics/category-years',
    summary: '类别×年度 Applications and titles per category per year (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object(RegionQuery),
    status: 200,
    response: CategoryYearMatrix,
    xlsx: true,
    file: XLSX,
  }),
  trends: route({
    id: 'analyticsTrends',
    method: 'GET',
    path: '/api/analytics/trends',
    summary: '趋势 Applications, titles and pass rate per year (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object(RegionQuery),
    status: 200,
    response: z.object({ region: RegionRef, items: z.array(TrendRow) }),
    xlsx: true,
    file: XLSX,
  }),
  ranking: route({
    id: 'analyticsRanking',
    method: 'GET',
    path: '/api/analytics/ranking',
    summary: '年度排名 A published yearly ranking with its cards (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({
      scopeRegionId: Id.optional(),
      level: z.enum(['county', 'town', 'village']).optional(),
      year: Year.optional(),
      format: Format,
    }),
    status: 200,
    response: RankingAnswer,
    xlsx: true,
    file: XLSX,
  }),
  surveys: route({
    id: 'analyticsSurveys',
    method: 'GET',
    path: '/api/analytics/surveys',
    summary: '问卷进度 Survey answers vs targets and favourable shares per subregion (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({ ...RegionQuery, year: Year.optional() }),
    status: 200,
    response: z.object({ year: z.number(), region: RegionRef, items: z.array(SurveyProgressRow) }),
    xlsx: true,
    file: XLSX,
  }),
  regionYears: route({
    id: 'analyticsRegionYears',
    method: 'GET',
    path: '/api/analytics/region-years',
    summary: '历年对比 A region’s indicators per year with their sources (?format=xlsx)',
    tags: ['analytics'],
    auth: 'session',
    query: z.object(RegionQuery),
    status: 200,
    response: RegionYears,
    xlsx: true,
    file: XLSX,
  }),
  carryForwardOptions: route({
    id: 'carryForwardOptions',
    method: 'GET',
    path: '/api/multiyear/carry-forward/options',
    summary: '可沿用到的活动 The open campaigns an earlier application can be carried forward to',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({ applicationId: Id }),
    status: 200,
    response: CarryForwardOptions,
  }),
  carryForward: route({
    id: 'carryForward',
    method: 'POST',
    path: '/api/multiyear/carry-forward',
    summary: '沿用上年申报 Start this year’s draft from an earlier application (unchanged criteria copied, changed ones marked)',
    tags: ['analytics'],
    auth: 'session',
    body: z.object({ applicationId: Id, campaignId: Id }),
    status: 201,
    response: CarryForwardResult,
  }),
  carryForwardMarks: route({
    id: 'carryForwardMarks',
    method: 'GET',
    path: '/api/multiyear/carry-forward/marks',
    summary: '沿用标记 Which criteria of an application were carried forward and which changed',
    tags: ['analytics'],
    auth: 'session',
    query: z.object({ applicationId: Id }),
    status: 200,
    response: CarryForwardMarks,
  }),
} satisfies Record<string, RouteContract>;
