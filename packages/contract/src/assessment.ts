import { z } from 'zod';
import { ASSESSMENT_INDICATOR_IDS } from '@pingan/core';
import { Id, IdParams, Page, Text, Timestamp, route } from './route.js';

/**
 * 区域考评 Region assessment (issue 8): each region's indicators for a year (computed from the
 * system's data, from surveys, or entered with their source), 五个90% and the pass share (003);
 * the yearly ranking from weighted components with 黄牌警告 / 一票否决 (003) and 取消评先资格 (004),
 * published as sanctions that bar the region's applications; a region's application filled from
 * its indicators.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const AssessmentIndicatorId = z.enum(ASSESSMENT_INDICATOR_IDS);
export const AssessmentIndicatorSource = z.enum(['computed', 'survey', 'import', 'manual']);
export const AssessmentRankedLevel = z.enum(['county', 'town', 'village']);
const Year = z.coerce.number<number | string>().int('年度须为整数').min(2000, '年度须在2000至2100之间').max(2100, '年度须在2000至2100之间');

export const AssessmentIndicatorValue = z
  .object({
    indicator: z.string(),
    value: z.number(),
    source: AssessmentIndicatorSource,
    /** a survey's code, 'applications', 'inspections', 'incidents', or where an entered figure comes from */
    sourceRef: z.string().nullable(),
    /** numerator, denominator and what they count; the note of an entered figure */
    detail: z.record(z.string(), z.unknown()).nullable(),
    recordedAt: Timestamp,
    recordedBy: z.string().nullable(),
  })
  .meta({ id: 'RegionIndicatorValue', description: '地区指标值 A region’s figure for a year, with its source' });

export const AssessmentIndicatorCheck = z.object({
  id: z.string(),
  label: z.string(),
  required: z.string(),
  value: z.number().nullable(),
  met: z.boolean().nullable(),
  reason: z.string(),
});

export const AssessmentRegionIndicatorRow = z
  .object({
    regionId: z.number(),
    name: z.string(),
    level: z.string(),
    parentName: z.string().nullable(),
    /** indicator id → its figure */
    values: z.record(z.string(), AssessmentIndicatorValue),
    /** 五个90% (003) */
    evaluation: z.object({
      met: z.boolean().nullable(),
      unmet: z.array(z.string()),
      missing: z.array(z.string()),
      summary: z.string(),
      results: z.array(AssessmentIndicatorCheck),
    }),
  })
  .meta({ id: 'AssessmentRegionIndicatorRow', description: '地区指标 One region’s indicators and 五个90%' });

export const AssessmentIndicatorCatalogueItem = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  unit: z.string(),
  origin: z.enum(['computed', 'survey', 'manual']),
  better: z.enum(['higher', 'lower']),
  /** the 003 requirement when it is one of 五个90%: ≥ 90% */
  target: z.string().nullable(),
});

export const AssessmentIndicatorTable = z
  .object({
    year: z.number(),
    rootRegionId: z.number(),
    level: AssessmentRankedLevel,
    items: z.array(AssessmentRegionIndicatorRow),
    total: z.number(),
    catalogue: z.array(AssessmentIndicatorCatalogueItem),
    /** the indicators' collective name and the document */
    indicatorGroup: z.string(),
    document: z.string(),
    /** 达标比例: towns/counties of the root meeting all of 五个90% against the year's step */
    passShare: z.object({
      level: AssessmentRankedLevel,
      passed: z.number(),
      total: z.number(),
      share: z.number().nullable(),
      met: z.boolean().nullable(),
      reason: z.string(),
    }),
  })
  .meta({ id: 'RegionIndicatorTable', description: '地区指标表 The regions of a level and their indicators' });

export const AssessmentComputeResult = z
  .object({
    year: z.number(),
    regions: z.number(),
    written: z.number(),
    /** figures entered or imported by hand that the computation left as they are */
    kept: z.number(),
    ms: z.number(),
  })
  .meta({ id: 'IndicatorComputeResult', description: '指标计算结果 What a recomputation wrote' });

export const AssessmentRankingComponentSchema = z.object({
  indicator: AssessmentIndicatorId,
  label: Text(40).min(1, '请填写名称'),
  weight: z.number().positive('权重须大于0').max(1000, '权重不能超过1000'),
  better: z.enum(['higher', 'lower']),
});

/** A component as stored and answered. */
export const AssessmentRankingComponentView = z.object({
  indicator: z.string(),
  label: z.string(),
  weight: z.number(),
  better: z.enum(['higher', 'lower']),
});

export const AssessmentRankingRowView = z.object({
  regionId: z.number(),
  region: z.string(),
  score: z.number(),
  rank: z.number(),
  components: z.array(
    z.object({
      indicator: z.string(),
      value: z.number().nullable(),
      points: z.number(),
      source: z.string().nullable(),
      how: z.string().nullable(),
    }),
  ),
  yellowCard: z.boolean(),
  veto: z.boolean(),
  lastStreak: z.number(),
  ineligible: z.boolean(),
  reasons: z.array(z.string()),
});

export const AssessmentRankingView = z
  .object({
    id: z.number(),
    scopeRegionId: z.number(),
    scopeRegion: z.string(),
    level: AssessmentRankedLevel,
    year: z.number(),
    status: z.enum(['draft', 'published']),
    components: z.array(AssessmentRankingComponentView),
    rows: z.array(AssessmentRankingRowView),
    computedAt: Timestamp,
    publishedAt: Timestamp.nullable(),
    publishedBy: z.string().nullable(),
    /** the sanctions its publication wrote */
    sanctions: z.array(
      z.object({
        regionId: z.number(),
        region: z.string(),
        kind: z.enum(['yellow_card', 'veto', 'ineligible']),
        ruleId: z.string(),
        reason: z.string(),
        year: z.number(),
      }),
    ),
  })
  .meta({ id: 'RegionRanking', description: '年度排名 A yearly ranking with each region’s components and consequences' });

export const AssessmentRankingAnswer = z
  .object({
    ranking: AssessmentRankingView.nullable(),
    /** the components to start from: the ranking's, else the defaults (003/004) */
    components: z.array(AssessmentRankingComponentView),
    /** the rules applied, in the documents' words */
    rules: z.array(z.object({ id: z.string(), kind: z.string(), document: z.string(), text: z.string() })),
    /** the years already published for this scope and level */
    publishedYears: z.array(z.number()),
  })
  .meta({ id: 'RegionRankingAnswer', description: '年度排名 A ranking (or none yet) with its rules' });

export const AssessmentRankingListItem = z
  .object({
    id: z.number(),
    scopeRegionId: z.number(),
    scopeRegion: z.string(),
    level: AssessmentRankedLevel,
    year: z.number(),
    status: z.enum(['draft', 'published']),
    regions: z.number(),
    first: z.string().nullable(),
    yellowCards: z.array(z.string()),
    vetoes: z.array(z.string()),
    ineligible: z.array(z.string()),
    computedAt: Timestamp,
    publishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'RegionRankingListItem', description: '年度排名 A ranking in the list' });

export const AssessmentFillResult = z
  .object({
    revision: z.number(),
    filled: z.array(
      z.object({ criterionId: z.string(), measureId: z.string(), indicator: z.string(), value: z.number(), label: z.string() }),
    ),
    missing: z.array(z.object({ criterionId: z.string(), measureId: z.string(), indicator: z.string() })),
  })
  .meta({ id: 'IndicatorFillResult', description: '指标填入结果 Figures filled from the region’s indicators' });

const RankingKey = {
  /** the region whose subregions are ranked; default: the office's own */
  scopeRegionId: Id.optional(),
  level: AssessmentRankedLevel,
  year: Year,
};

export const assessmentApi = {
  indicators: route({
    id: 'listRegionIndicators',
    method: 'GET',
    path: '/api/assessment/indicators',
    summary: '地区指标 The regions of a level under a region, their indicators for a year and 五个90% (?format=xlsx)',
    tags: ['assessment'],
    auth: 'session',
    query: z.object({
      year: Year,
      regionId: Id.optional(),
      level: AssessmentRankedLevel.optional(),
      q: Text(50).optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: AssessmentIndicatorTable,
    xlsx: true,
    file: XLSX,
  }),
  compute: route({
    id: 'computeRegionIndicators',
    method: 'POST',
    path: '/api/assessment/indicators/compute',
    summary: '重新计算指标 Recompute coverage, pass rate, inspection score and incidents for every region of my subtree',
    tags: ['assessment'],
    auth: 'session',
    body: z.object({ year: Year, regionId: Id.optional() }),
    status: 200,
    response: AssessmentComputeResult,
  }),
  record: route({
    id: 'recordRegionIndicator',
    method: 'POST',
    path: '/api/assessment/indicators',
    summary: '录入指标 Enter a region’s figure by hand, naming where it comes from (e.g. 省综治办通报)',
    tags: ['assessment'],
    auth: 'session',
    body: z.object({
      regionId: Id,
      year: Year,
      indicator: AssessmentIndicatorId,
      value: z.number().finite().min(0, '数值不能为负').max(1000000, '数值过大'),
      note: Text(500).trim().min(1, '请注明数据来源'),
    }),
    status: 201,
    response: AssessmentIndicatorValue,
  }),
  rankings: route({
    id: 'listRegionRankings',
    method: 'GET',
    path: '/api/assessment/rankings',
    summary: '年度排名列表 Rankings of my subtree, newest first (?format=xlsx)',
    tags: ['assessment'],
    auth: 'session',
    query: z.object({
      year: Year.optional(),
      level: AssessmentRankedLevel.optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({ items: z.array(AssessmentRankingListItem), total: z.number() }),
    xlsx: true,
    file: XLSX,
  }),
  ranking: route({
    id: 'getRegionRanking',
    method: 'GET',
    path: '/api/assessment/ranking',
    summary: '年度排名 The ranking of a scope, level and year, with every component (?format=xlsx)',
    tags: ['assessment'],
    auth: 'session',
    query: z.object({ ...RankingKey, format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: AssessmentRankingAnswer,
    xlsx: true,
    file: XLSX,
  }),
  computeRanking: route({
    id: 'computeRegionRanking',
    method: 'POST',
    path: '/api/assessment/ranking/compute',
    summary: '计算排名 Compute (or recompute) the draft ranking from the indicators and the components',
    tags: ['assessment'],
    auth: 'session',
    body: z.object({ ...RankingKey, components: z.array(AssessmentRankingComponentSchema).min(1, '请至少设置一个评分项').max(20) }),
    status: 200,
    response: AssessmentRankingAnswer,
  }),
  publishRanking: route({
    id: 'publishRegionRanking',
    method: 'POST',
    path: '/api/assessment/ranking/publish',
    summary: '发布排名 Publish the draft: 黄牌警告, 一票否决 and 取消评先资格 take effect',
    tags: ['assessment'],
    auth: 'session',
    body: z.object(RankingKey),
    status: 200,
    response: AssessmentRankingAnswer,
  }),
  fill: route({
    id: 'fillIndicatorFigures',
    method: 'POST',
    path: '/api/applications/:id/indicator-figures',
    summary: '从地区指标填入 Fill a region’s draft from its indicators of the campaign’s year, with their sources',
    tags: ['assessment'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: AssessmentFillResult,
  }),
};
