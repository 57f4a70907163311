import { analyticsApi } from '@pingan/contract';
import type { RequestOf, ResponseOf } from '@pingan/contract';
import { call, urlOf } from './client';

/** 数据分析 and 沿用上年申报: the calls, typed from the contract; the *XlsxUrl give the Excel download of each list. */
type Api = typeof analyticsApi;
export type Drilldown = ResponseOf<Api['drilldown']>;
export type RegionFigures = Drilldown['figures'];
export type RegionRef = Drilldown['region'];
export type UnitRow = ResponseOf<Api['units']>['items'][number];
export type UnitHistory = ResponseOf<Api['unitHistory']>;
export type CategoryYears = ResponseOf<Api['matrix']>;
export type Trends = ResponseOf<Api['trends']>;
export type RankingAnswer = ResponseOf<Api['ranking']>;
export type Ranking = NonNullable<RankingAnswer['ranking']>;
export type SurveyProgress = ResponseOf<Api['surveys']>;
export type RegionYears = ResponseOf<Api['regionYears']>;
export type CarryForwardOptions = ResponseOf<Api['carryForwardOptions']>;
export type CarryForwardResult = ResponseOf<Api['carryForward']>;
export type CarryForwardMarks = ResponseOf<Api['carryForwardMarks']>;

type Q<K extends keyof Api> = Omit<NonNullable<RequestOf<Api[K]>['query']>, 'format'>;
const xlsx = <K extends keyof Api>(k: K, query: Q<K>) => urlOf(analyticsApi[k], { query: { ...query, format: 'xlsx' } } as never);

export const getDrilldown = (query: Q<'drilldown'>) => call(analyticsApi.drilldown, { query });
export const drilldownXlsxUrl = (query: Q<'drilldown'>) => xlsx('drilldown', query);
export const listUnits = (query: Q<'units'>) => call(analyticsApi.units, { query });
export const unitsXlsxUrl = (query: Omit<Q<'units'>, 'limit' | 'offset'>) => xlsx('units', query as Q<'units'>);
export const getUnitHistory = (subjectId: number) => call(analyticsApi.unitHistory, { query: { subjectId } });
export const unitHistoryXlsxUrl = (subjectId: number) => xlsx('unitHistory', { subjectId });
export const getCategoryYears = (regionId?: number) => call(analyticsApi.matrix, { query: { regionId } });
export const categoryYearsXlsxUrl = (regionId?: number) => xlsx('matrix', { regionId });
export const getTrends = (regionId?: number) => call(analyticsApi.trends, { query: { regionId } });
export const trendsXlsxUrl = (regionId?: number) => xlsx('trends', { regionId });
export const getRanking = (query: Q<'ranking'>) => call(analyticsApi.ranking, { query });
export const rankingXlsxUrl = (query: Q<'ranking'>) => xlsx('ranking', query);
export const getSurveyProgress = (query: Q<'surveys'>) => call(analyticsApi.surveys, { query });
export const surveysXlsxUrl = (query: Q<'surveys'>) => xlsx('surveys', query);
export const getRegionYears = (regionId?: number) => call(analyticsApi.regionYears, { query: { regionId } });
export const regionYearsXlsxUrl = (regionId?: number) => xlsx('regionYears', { regionId });

export const getCarryForwardOptions = (applicationId: number) => call(analyticsApi.carryForwardOptions, { query: { applicationId } });
export const carryForward = (applicationId: number, campaignId: number) =>
  call(analyticsApi.carryForward, { body: { applicationId, campaignId } });
export const getCarryForwardMarks = (applicationId: number) => call(analyticsApi.carryForwardMarks, { query: { applicationId } });
