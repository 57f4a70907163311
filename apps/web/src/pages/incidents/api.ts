import { incidentsApi, regionsApi } from '@pingan/contract';
import type { RequestOf, ResponseOf } from '@pingan/contract';
import { call, request, urlOf } from '../../api/client';

/** 事件与申诉: the calls of the incidents pages, typed from the contract. */
type Api = typeof incidentsApi;
export type IncidentListQuery = NonNullable<RequestOf<Api['list']>['query']>;
export type IncidentListItem = ResponseOf<Api['list']>['items'][number];
export type Incident = ResponseOf<Api['detail']>;
export type IncidentTitle = Incident['titles'][number];
export type IncidentTarget = ResponseOf<Api['targets']>['items'][number];
export type RecordBody = RequestOf<Api['create']>['body'];
export type IncidentFile = ResponseOf<Api['upload']>;

export const listIncidents = (query: IncidentListQuery) => call(incidentsApi.list, { query });
export const incidentsXlsxUrl = (query: Omit<IncidentListQuery, 'limit' | 'offset'>) =>
  urlOf(incidentsApi.list, { query: { ...query, format: 'xlsx' } });
export const listTargets = (q?: string) => call(incidentsApi.targets, { query: { q: q || undefined } });
export const listRegions = () => call(regionsApi.list, {});
export const recordIncident = (body: RecordBody) => call(incidentsApi.create, { body });
export const getIncident = (id: number) => call(incidentsApi.detail, { params: { id } });
export const confirmIncident = (id: number, body: RequestOf<Api['confirm']>['body']) =>
  call(incidentsApi.confirm, { params: { id }, body });
export const dismissIncident = (id: number, reason: string) => call(incidentsApi.dismiss, { params: { id }, body: { reason } });
export const fileAppeal = (id: number, text: string) => call(incidentsApi.appeal, { params: { id }, body: { text } });
export const decideAppeal = (id: number, body: RequestOf<Api['decideAppeal']>['body']) =>
  call(incidentsApi.decideAppeal, { params: { id }, body });
export const incidentFileUrl = (fileId: number) => urlOf(incidentsApi.download, { params: { id: fileId } });

export function uploadIncidentFile(id: number, file: File): Promise<IncidentFile> {
  const form = new FormData();
  form.append('file', file);
  return request<IncidentFile>('POST', urlOf(incidentsApi.upload, { params: { id } }), form);
}

export const EVIDENCE_ACCEPT = '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx';
