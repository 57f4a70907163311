import type { ParsedRequestOf, RequestOf, ResponseOf, SelectionTieDetails } from '@pingan/contract';
import { quotasApi, recommendationsApi, selectionsApi } from '@pingan/contract';
import { call, request, urlOf } from './client';

/**
 * Quotas (名额), 004 recommendations (推荐申报), 002 nominations and 000 selections (评选). Every
 * type here is derived from the contract (packages/contract/src/quotas.ts, recommendations.ts,
 * selections.ts).
 */

type QuotasApi = typeof quotasApi;
type RecommendationsApi = typeof recommendationsApi;
type SelectionsApi = typeof selectionsApi;

export type Quotas = ResponseOf<QuotasApi['get']>;
export type QuotaRow = Quotas['rows'][number];
/** one row as the server takes it (ids as numbers) */
export type QuotaInput = ParsedRequestOf<QuotasApi['replace']>['body']['rows'][number];
export type LoadInput = RequestOf<QuotasApi['load']>['body'];
export type LoadReport = ResponseOf<QuotasApi['load']>;

/** The quota tables of the standards library (standards/shangluo-985). */
export const QUOTA_TABLES = [{ code: 'shangluo-2018-quotas', name: '2018年度“平安商洛”创建市级示范点分配表（004 附件）' }] as const;

export const getQuotas = (campaignId: number) => call(quotasApi.get, { params: { id: campaignId } });
export const quotasXlsxUrl = (campaignId: number) => urlOf(quotasApi.get, { params: { id: campaignId }, query: { format: 'xlsx' } });
export const putQuotas = (campaignId: number, rows: QuotaInput[]) =>
  call(quotasApi.replace, { params: { id: campaignId }, body: { rows } });
export const loadQuotaTable = (campaignId: number, body: LoadInput) => call(quotasApi.load, { params: { id: campaignId }, body });
export function importQuotas(campaignId: number, file: File) {
  const form = new FormData();
  form.append('file', file);
  return request<ResponseOf<QuotasApi['import']>>('POST', urlOf(quotasApi.import, { params: { id: campaignId } }), form);
}

export type Recommendations = ResponseOf<RecommendationsApi['list']>;
export type Recommendation = Recommendations['recommendations'][number];
export type EligibleTitle = Recommendations['eligible'][number];
export type RuleBroken = NonNullable<EligibleTitle['problem']>;
export type RecommendResult = ResponseOf<RecommendationsApi['recommend']>;

export const getRecommendations = (campaignId: number, page: { q?: string; limit?: number; offset?: number } = {}) =>
  call(recommendationsApi.list, {
    params: { id: campaignId },
    query: { q: page.q || undefined, limit: page.limit ?? 50, offset: page.offset ?? 0 },
  });
export const recommend = (campaignId: number, titleId: number) =>
  call(recommendationsApi.recommend, { params: { id: campaignId }, body: { titleId } });
export const withdrawRecommendation = (campaignId: number, applicationId: number, reason: string) =>
  call(recommendationsApi.withdraw, { params: { id: campaignId, applicationId }, body: { reason } });

export type Nominations = ResponseOf<RecommendationsApi['nominations']>;
export const getNominations = (campaignId: number) => call(recommendationsApi.nominations, { params: { id: campaignId } });

export type SelectionList = ResponseOf<SelectionsApi['list']>;
export type Selection = ResponseOf<SelectionsApi['run']>;
export type RankedEntry = Selection['ranking'][number];
/** the details of the 422 RULE_BROKEN answer when a tie at the cut-off is not broken */
export type SelectionTie = SelectionTieDetails['tie'];
export type SelectionInput = RequestOf<SelectionsApi['run']>['body'];

export const listSelections = (campaignId: number) => call(selectionsApi.list, { params: { id: campaignId } });
export const runSelection = (campaignId: number, body: SelectionInput) => call(selectionsApi.run, { params: { id: campaignId }, body });
