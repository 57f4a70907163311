import { regionsApi, rosterApi, type RequestOf, type ResponseOf } from '@pingan/contract';
import { call, request, urlOf } from './client';

/** 名册导入: the template, the upload (a job), its progress and error report, the roster list. */
export type RosterQuery = NonNullable<RequestOf<typeof rosterApi.list>['query']>;
export type RosterUnit = ResponseOf<typeof rosterApi.list>['items'][number];
export type RosterJob = ResponseOf<typeof rosterApi.job>;
export type RosterProblem = NonNullable<RosterJob['result']>['problems'][number];

export const rosterTemplateUrl = () => urlOf(rosterApi.template, {});
export const listRoster = (query: RosterQuery) => call(rosterApi.list, { query });
export const rosterXlsxUrl = (query: Omit<RosterQuery, 'limit' | 'offset'>) =>
  urlOf(rosterApi.list, { query: { ...query, format: 'xlsx' } });
export const getRosterJob = (id: string) => call(rosterApi.job, { params: { id } });
export const rosterErrorsUrl = (id: string) => urlOf(rosterApi.errorReport, { params: { id } });

export function uploadRoster(file: File): Promise<ResponseOf<typeof rosterApi.importFile>> {
  const form = new FormData();
  form.append('file', file);
  return request('POST', urlOf(rosterApi.importFile, {}), form);
}

/** the regions of my subtree, for the region filter */
export const listRegions = () => call(regionsApi.list, {});
