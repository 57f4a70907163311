import type { RequestOf, ResponseOf } from '@pingan/contract';
import { objectionsApi } from '@pingan/contract';
import { call, urlOf } from '../../api/client';

/** 异议办理: calls and types derived from the contract (packages/contract/src/objections.ts). */

type Api = typeof objectionsApi;
export type ObjectionList = ResponseOf<Api['list']>;
export type ObjectionRow = ObjectionList['items'][number];
export type ObjectionDetail = ResponseOf<Api['detail']>;
export type ObjectionStatus = ObjectionRow['status'];
export type ObjectionQuery = Omit<NonNullable<RequestOf<Api['list']>['query']>, 'format'>;
export type DecisionInput = RequestOf<Api['decide']>['body'];

export const OBJECTION_STATUSES: readonly ObjectionStatus[] = ['open', 'investigating', 'upheld', 'dismissed'];

export const listObjections = (query: ObjectionQuery) => call(objectionsApi.list, { query });
export const objectionsXlsxUrl = (q: Omit<ObjectionQuery, 'limit' | 'offset'>) =>
  urlOf(objectionsApi.list, { query: { ...q, format: 'xlsx' } });
export const getObjection = (id: number) => call(objectionsApi.detail, { params: { id } });
export const recordFindings = (id: number, findings: string, revision: number) =>
  call(objectionsApi.findings, { params: { id }, body: { findings, revision } });
export const decideObjection = (id: number, body: DecisionInput) => call(objectionsApi.decide, { params: { id }, body });
export const revealObjector = (id: number) => call(objectionsApi.revealContact, { params: { id } });
export const objectionFileUrl = (id: number) => urlOf(objectionsApi.downloadFile, { params: { id } });
