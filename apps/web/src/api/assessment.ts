import { assessmentApi, regionsApi } from '@pingan/contract';
import type { RequestOf, ResponseOf } from '@pingan/contract';
import { call, urlOf } from './client';

/** 区域考评: the calls of the assessment pages, typed from the contract (packages/contract/src/assessment.ts). */
type Api = typeof assessmentApi;
export type IndicatorQuery = NonNullable<RequestOf<Api['indicators']>['query']>;
export type IndicatorTable = ResponseOf<Api['indicators']>;
export type IndicatorRow = IndicatorTable['items'][number];
export type IndicatorFigure = IndicatorRow['values'][string];
export type RecordBody = RequestOf<Api['record']>['body'];
export type RankingKey = RequestOf<Api['publishRanking']>['body'];
export type RankingAnswer = ResponseOf<Api['ranking']>;
export type Ranking = NonNullable<RankingAnswer['ranking']>;
export type RankingRow = Ranking['rows'][number];
export type RankingComponent = RequestOf<Api['computeRanking']>['body']['components'][number];

export const listRegions = () => call(regionsApi.list, {});
export const listIndicators = (query: IndicatorQuery) => call(assessmentApi.indicators, { query });
export const indicatorsXlsxUrl = (query: Omit<IndicatorQuery, 'limit' | 'offset'>) =>
  urlOf(assessmentApi.indicators, { query: { ...query, format: 'xlsx' } });
export const computeIndicators = (year: number, regionId?: number) => call(assessmentApi.compute, { body: { year, regionId } });
export const recordIndicator = (body: RecordBody) => call(assessmentApi.record, { body });
export const getRanking = (key: RankingKey) => call(assessmentApi.ranking, { query: key });
export const rankingXlsxUrl = (key: RankingKey) => urlOf(assessmentApi.ranking, { query: { ...key, format: 'xlsx' } });
export const computeRanking = (key: RankingKey, components: RankingComponent[]) =>
  call(assessmentApi.computeRanking, { body: { ...key, components } });
export const publishRanking = (key: RankingKey) => call(assessmentApi.publishRanking, { body: key });
export const listRankings = (query: NonNullable<RequestOf<Api['rankings']>['query']>) => call(assessmentApi.rankings, { query });
export const rankingsXlsxUrl = (query: { year?: number; level?: RankingKey['level'] }) =>
  urlOf(assessmentApi.rankings, { query: { ...query, format: 'xlsx' } });
/** 从地区指标填入: for a region's draft (the applicant, or the office in scope). */
export const fillIndicatorFigures = (applicationId: number) => call(assessmentApi.fill, { params: { id: applicationId } });
