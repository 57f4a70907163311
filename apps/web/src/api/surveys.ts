import { surveysApi, type RequestOf, type ResponseOf } from '@pingan/contract';
import { ApiError, call, pathOf, request, urlOf } from './client';

/** 问卷调查: the calls of the survey pages, typed from the contract. */
type Api = typeof surveysApi;
export type SurveyListQuery = NonNullable<RequestOf<Api['list']>['query']>;
export type SurveyRowT = ResponseOf<Api['list']>['items'][number];
export type SurveyT = ResponseOf<Api['detail']>;
export type SurveyQuestionT = SurveyT['questions'][number];
export type SurveyTemplateT = ResponseOf<Api['templates']>['items'][number];
export type SurveyUnitOptionT = ResponseOf<Api['unitOptions']>['items'][number];
export type SurveyProgressT = ResponseOf<Api['progress']>;
export type SurveyResultsT = ResponseOf<Api['results']>;
export type SurveyApplyT = ResponseOf<Api['apply']>;
export type SurveyProposalT = ResponseOf<Api['proposeTargets']>;
export type CreateSurveyBody = RequestOf<Api['create']>['body'];
export type UpdateSurveyBody = RequestOf<Api['update']>['body'];
export type ProposalQuery = RequestOf<Api['proposeTargets']>['query'];

export const listSurveys = (query: SurveyListQuery) => call(surveysApi.list, { query });
export const surveysXlsxUrl = (query: Omit<SurveyListQuery, 'limit' | 'offset'>) =>
  urlOf(surveysApi.list, { query: { ...query, format: 'xlsx' } });
export const listSurveyTemplates = () => call(surveysApi.templates, {});
export const listUnitOptions = (q?: string) => call(surveysApi.unitOptions, { query: { q: q || undefined } });
export const createSurvey = (body: CreateSurveyBody) => call(surveysApi.create, { body });
export const getSurvey = (id: number) => call(surveysApi.detail, { params: { id } });
export const updateSurvey = (id: number, body: UpdateSurveyBody) => call(surveysApi.update, { params: { id }, body });
export const proposeTargets = (id: number, query: ProposalQuery) => call(surveysApi.proposeTargets, { params: { id }, query });
export const saveTargets = (id: number, targets: { regionId: number; target: number; basis: 'population' | 'households' | 'manual' }[]) =>
  call(surveysApi.saveTargets, { params: { id }, body: { targets } });
export const openSurvey = (id: number) => call(surveysApi.open, { params: { id } });
export const closeSurvey = (id: number) => call(surveysApi.close, { params: { id } });
export const getSurveyProgress = (id: number) => call(surveysApi.progress, { params: { id }, query: {} });
export const surveyProgressXlsxUrl = (id: number) => urlOf(surveysApi.progress, { params: { id }, query: { format: 'xlsx' } });
export const getSurveyResults = (id: number) => call(surveysApi.results, { params: { id } });
export const applySurveyResults = (id: number) => call(surveysApi.apply, { params: { id } });
export const surveyImportTemplateUrl = (id: number) => urlOf(surveysApi.importTemplate, { params: { id } });

export function importSurveyResponses(id: number, file: File): Promise<ResponseOf<Api['importResponses']>> {
  const form = new FormData();
  form.append('file', file);
  return request('POST', pathOf(surveysApi.importResponses, { id }), form);
}

/**
 * Invitation codes: the answer is the Excel file itself (the only time the codes are shown), so this
 * posts with fetch and hands back the file and its name for the browser to save.
 */
export async function createInvitations(
  id: number,
  body: RequestOf<Api['invitations']>['body'],
): Promise<{ blob: Blob; fileName: string }> {
  const res = await fetch(pathOf(surveysApi.invitations, { id }), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `HTTP ${res.status}`);
  }
  const cd = res.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/.exec(cd)?.[1];
  return { blob: await res.blob(), fileName: name ? decodeURIComponent(name) : '邀请码.xlsx' };
}
