import type { RequestOf, ResponseOf } from '@pingan/contract';
import { signoffsApi } from '@pingan/contract';
import { call, urlOf } from './client';

/** 会签 (departments sign off): the department's worklist and the office's matrix, derived from the contract (packages/contract/src/signoffs.ts). */

type Api = typeof signoffsApi;
export type Worklist = ResponseOf<Api['worklist']>;
export type SignoffItem = Worklist['items'][number];
export type SignoffCriterion = SignoffItem['criteria'][number];
export type SignoffScoreValue = NonNullable<SignoffCriterion['current']>;
export type WorklistQuery = Omit<NonNullable<RequestOf<Api['worklist']>['query']>, 'format'>;
export type WorklistStatus = NonNullable<WorklistQuery['status']>;
export type ScoresInput = RequestOf<Api['saveScores']>['body'];
export type ScoreInput = ScoresInput['scores'][number];
export type ScoresSaved = ResponseOf<Api['saveScores']>;
export type Moved = ResponseOf<Api['sign']>;
export type Matrix = ResponseOf<Api['matrix']>;
export type MatrixCell = Matrix['rows'][number]['cells'][number];
export type CellState = MatrixCell['state'];
export type MatrixQuery = Omit<NonNullable<RequestOf<Api['matrix']>['query']>, 'format'>;

export const getWorklist = (query: WorklistQuery) => call(signoffsApi.worklist, { query });
export const worklistXlsxUrl = (q: Omit<WorklistQuery, 'limit' | 'offset'>) =>
  urlOf(signoffsApi.worklist, { query: { ...q, format: 'xlsx' } });
export const saveSignoffScores = (id: number, body: ScoresInput) => call(signoffsApi.saveScores, { params: { id }, body });
export const signSignoff = (id: number, comment?: string | null) =>
  call(signoffsApi.sign, { params: { id }, body: { comment: comment || null } });
export const overrideSignoff = (id: number, reason: string) => call(signoffsApi.override, { params: { id }, body: { reason } });
export const getMatrix = (query: MatrixQuery) => call(signoffsApi.matrix, { query });
export const matrixXlsxUrl = (q: Omit<MatrixQuery, 'limit' | 'offset'>) => urlOf(signoffsApi.matrix, { query: { ...q, format: 'xlsx' } });
