import type { RequestOf, ResponseOf } from '@pingan/contract';
import { expertsApi, inspectionsApi, regionsApi } from '@pingan/contract';
import { call, request, urlOf } from './client';

/**
 * Experts (专家库、指派), on-site checks (现场核查), 整改 and 明查暗访. Every type is derived from
 * the contract (packages/contract/src/experts.ts and inspections.ts).
 */

type Api = typeof expertsApi;
type InspApi = typeof inspectionsApi;

// ───────────── the pool and assignments ─────────────

export type Pool = ResponseOf<Api['pool']>;
/** a pool entry, with the names of what the expert must avoid */
export type PoolExpert = Pool['items'][number];
export type ProfileInput = RequestOf<Api['putProfile']>['body'];
export type AssignPage = ResponseOf<Api['campaignAssignments']>;
export type Assignment = AssignPage['items'][number]['assignments'][number];
export type AutoResult = ResponseOf<Api['autoAssign']>;
export type AutoAssignInput = RequestOf<Api['autoAssign']>['body'];
/** the details of a 422 EXPERT_CONFLICT answer */
export type { ExpertRefusal as Refusal } from '@pingan/contract';

export const getPool = () => call(expertsApi.pool, {});
export const poolXlsxUrl = () => urlOf(expertsApi.pool, { query: { format: 'xlsx' } });
export const putProfile = (userId: number, input: ProfileInput) => call(expertsApi.putProfile, { params: { id: userId }, body: input });
export const getAssignPage = (campaignId: number) => call(expertsApi.campaignAssignments, { params: { id: campaignId } });
export const assignExperts = (applicationId: number, expertIds: number[], dueOn?: string | null) =>
  call(expertsApi.assign, { params: { id: applicationId }, body: { expertIds, dueOn: dueOn || null } });
export const autoAssign = (campaignId: number, input: AutoAssignInput) =>
  call(expertsApi.autoAssign, { params: { id: campaignId }, body: input });
export const withdrawAssignment = (id: number) => call(expertsApi.withdraw, { params: { id } });

// ───────────── on-site ─────────────

export type MyAssignment = ResponseOf<Api['mine']>['items'][number];
export type OnsitePage = ResponseOf<Api['onsite']>;
export type ChecklistItem = OnsitePage['checklist'][number];
export type Finding = OnsitePage['findings'][number];
export type OnsitePhoto = ResponseOf<Api['uploadPhoto']>;
export type CheckInput = RequestOf<Api['saveCheck']>['body'];
export type CheckSaved = ResponseOf<Api['saveCheck']>;
export type CheckSubmitted = ResponseOf<Api['submit']>;

export const listMyAssignments = () => call(expertsApi.mine, {});
export const getOnsite = (applicationId: number) => call(expertsApi.onsite, { params: { applicationId } });
export const saveOnsite = (applicationId: number, input: CheckInput) =>
  call(expertsApi.saveCheck, { params: { applicationId }, body: input });
export const submitOnsite = (applicationId: number) => call(expertsApi.submit, { params: { applicationId } });
export function uploadPhoto(
  applicationId: number,
  file: File,
  criterionId: string,
  browser: { takenAt: string; latitude?: number; longitude?: number },
) {
  const f = new FormData();
  f.append('criterionId', criterionId);
  f.append('takenAt', browser.takenAt);
  if (browser.latitude != null && browser.longitude != null) {
    f.append('latitude', String(browser.latitude));
    f.append('longitude', String(browser.longitude));
  }
  f.append('file', file);
  return request<OnsitePhoto>('POST', urlOf(expertsApi.uploadPhoto, { params: { applicationId } }), f);
}
export const deletePhoto = (applicationId: number, photoId: number) =>
  call(expertsApi.deletePhoto, { params: { applicationId, id: photoId } });
export const photoUrl = (photoId: number) => urlOf(expertsApi.photo, { params: { id: photoId } });

// ───────────── 整改 ─────────────

export type RectificationList = ResponseOf<Api['rectifications']>;
export type Rectification = RectificationList['items'][number];
export type RectStatus = Rectification['status'];
export type RectificationInput = RequestOf<Api['requestRectification']>['body'];
export type RectificationMoved = ResponseOf<Api['answerRectification']>;

export const listRectifications = (applicationId: number) => call(expertsApi.rectifications, { params: { id: applicationId } });
export const requestRectification = (applicationId: number, input: RectificationInput) =>
  call(expertsApi.requestRectification, { params: { applicationId }, body: input });
export function answerRectification(id: number, answer: string, file: File | null) {
  const f = new FormData();
  f.append('answer', answer);
  if (file) f.append('file', file);
  return request<RectificationMoved>('POST', urlOf(expertsApi.answerRectification, { params: { id } }), f);
}
export const recheckRectification = (id: number, accepted: boolean, note: string | null) =>
  call(expertsApi.recheckRectification, { params: { id }, body: { accepted, note } });

// ───────────── 明查暗访 ─────────────

export type SampleDetail = ResponseOf<InspApi['detail']>;
/** a sample as listed: with how many of its units have a result */
export type Sample = ResponseOf<InspApi['list']>['items'][number];
export type SampleItem = SampleDetail['items'][number];
export type InspectionResults = ResponseOf<InspApi['results']>;
export type SampleInput = RequestOf<InspApi['draw']>['body'];
export type InspectionInput = RequestOf<InspApi['record']>['body'];

export const listSamples = (year?: number) => call(inspectionsApi.list, { query: { year } });
export const getSample = (id: number) => call(inspectionsApi.detail, { params: { id } });
export const drawSample = (input: SampleInput) => call(inspectionsApi.draw, { body: input });
export const recordInspection = (itemId: number, input: InspectionInput) =>
  call(inspectionsApi.record, { params: { id: itemId }, body: input });
export const getInspectionResults = (year: number) => call(inspectionsApi.results, { query: { year } });
export const inspectionResultsXlsxUrl = (year: number) => urlOf(inspectionsApi.results, { query: { year, format: 'xlsx' } });

export const searchSubjects = (q: string) => call(expertsApi.searchSubjects, { query: { q } });
export const listRegions = () => call(regionsApi.list, {});
