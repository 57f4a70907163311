import { filingsApi } from '@pingan/contract';
import type { RequestOf, ResponseOf } from '@pingan/contract';
import { call, request, urlOf } from './client';

/** 报备: the calls of the filings pages, typed from the contract (packages/contract/src/filings.ts). */
type Api = typeof filingsApi;
export type FilingCampaign = ResponseOf<Api['campaigns']>['items'][number];
export type FilingRequirement = ResponseOf<Api['requirements']>['items'][number];
export type FilingMatrix = ResponseOf<Api['matrix']>;
export type MatrixQuery = NonNullable<RequestOf<Api['matrix']>['query']>;
export type MyFiling = ResponseOf<Api['mine']>['items'][number];
export type Filing = ResponseOf<Api['detail']>;
export type SummaryFigures = NonNullable<Filing['prefill']>;
export type RequirementBody = RequestOf<Api['createRequirement']>['body'];
export type SaveBody = RequestOf<Api['save']>['body'];

export const listFilingCampaigns = () => call(filingsApi.campaigns, {});
export const listRequirements = (campaignId: number) => call(filingsApi.requirements, { query: { campaignId } });
export const createRequirement = (body: RequirementBody) => call(filingsApi.createRequirement, { body });
export const createFromPlan = (campaignId: number) => call(filingsApi.fromPlan, { body: { campaignId } });
export const updateRequirement = (id: number, body: RequestOf<Api['updateRequirement']>['body']) =>
  call(filingsApi.updateRequirement, { params: { id }, body });
export const deleteRequirement = (id: number) => call(filingsApi.deleteRequirement, { params: { id } });
export const remindFiler = (requirementId: number, orgId: number) =>
  call(filingsApi.remind, { params: { id: requirementId }, body: { orgId } });
export const remindLate = (campaignId: number) => call(filingsApi.remindLate, { body: { campaignId } });
export const getMatrix = (query: MatrixQuery) => call(filingsApi.matrix, { query });
export const matrixXlsxUrl = (query: Omit<MatrixQuery, 'limit' | 'offset'>) =>
  urlOf(filingsApi.matrix, { query: { ...query, format: 'xlsx' } });
export const listMine = (query: NonNullable<RequestOf<Api['mine']>['query']>) => call(filingsApi.mine, { query });
export const openFiling = (requirementId: number) => call(filingsApi.open, { body: { requirementId } });
export const getFiling = (id: number) => call(filingsApi.detail, { params: { id } });
export const saveFiling = (id: number, body: SaveBody) => call(filingsApi.save, { params: { id }, body });
export const submitFiling = (id: number) => call(filingsApi.submit, { params: { id } });
export const acceptFiling = (id: number) => call(filingsApi.accept, { params: { id } });
export const returnFiling = (id: number, reason: string) => call(filingsApi.reject, { params: { id }, body: { reason } });
export const searchSites = (id: number, q?: string) => call(filingsApi.sites, { params: { id }, query: { q: q || undefined } });
export const filingFileUrl = (id: number) => urlOf(filingsApi.download, { params: { id } });

export function uploadFilingFile(id: number, file: File): Promise<Filing> {
  const form = new FormData();
  form.append('file', file);
  return request<Filing>('POST', urlOf(filingsApi.upload, { params: { id } }), form);
}

export const FILING_ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx';
