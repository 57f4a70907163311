import { applicationsApi, type ResponseOf } from '@pingan/contract';
import { call, request, urlOf } from './client';
import type { ApplicationListQuery, DraftInput, EvidenceFile, ReviewInput } from './types';

export const listApplications = (query: ApplicationListQuery) => call(applicationsApi.list, { query });
/** The list as Excel (contact phones masked), with the page's filters. */
export const applicationsXlsxUrl = (query: Omit<ApplicationListQuery, 'limit' | 'offset'>) =>
  urlOf(applicationsApi.list, { query: { ...query, format: 'xlsx' } });
export const createApplication = (campaignId: number, categoryCode: string) =>
  call(applicationsApi.create, { body: { campaignId, categoryCode } });
export const getApplication = (id: number) => call(applicationsApi.detail, { params: { id } });
export const saveDraft = (id: number, body: DraftInput) => call(applicationsApi.saveDraft, { params: { id }, body });
export const submitApplication = (id: number) => call(applicationsApi.submit, { params: { id } });
export const reviewApplication = (id: number, body: ReviewInput) => call(applicationsApi.review, { params: { id }, body });

export function uploadEvidence(id: number, criterionId: string, file: File): Promise<EvidenceFile> {
  const form = new FormData();
  form.append('criterionId', criterionId);
  form.append('file', file, file.name);
  return request<EvidenceFile>('POST', urlOf(applicationsApi.upload, { params: { id } }), form);
}
export const deleteEvidence = (fileId: number) => call(applicationsApi.deleteFile, { params: { id: fileId } });
/** Takes a submitted file out of the revision being prepared; it stays in the history. */
export const withdrawEvidence = (fileId: number) => call(applicationsApi.withdrawFile, { params: { id: fileId } });
export const listRevisions = (id: number) => call(applicationsApi.revisions, { params: { id } });
export const getRevision = (id: number, no: number) => call(applicationsApi.revision, { params: { id, no } });
/** The full phone and ID numbers: an explicit action, recorded in the audit trail. */
export const revealContact = (id: number) => call(applicationsApi.revealContact, { params: { id } });
export const fileUrl = (fileId: number) => urlOf(applicationsApi.download, { params: { id: fileId } });

/** Accepted evidence types (the server checks extension, declared type and content). */
export const EVIDENCE_ACCEPT = '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx';

export type ContactReveal = ResponseOf<typeof applicationsApi.revealContact>;
export type RevisionSummary = ResponseOf<typeof applicationsApi.revisions>['items'][number];
export type RevisionDetail = ResponseOf<typeof applicationsApi.revision>;
