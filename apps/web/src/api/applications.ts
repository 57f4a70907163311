import { applicationsApi } from '@pingan/contract';
import { call, request, urlOf } from './client';
import type { ApplicationListQuery, DraftInput, EvidenceFile, ReviewInput } from './types';

export const listApplications = (query: ApplicationListQuery) => call(applicationsApi.list, { query });
export const createApplication = (campaignId: number, categoryCode: string) => call(applicationsApi.create, { body: { campaignId, categoryCode } });
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
export const fileUrl = (fileId: number) => urlOf(applicationsApi.download, { params: { id: fileId } });

/** Accepted evidence types (the server checks extension, declared type and content). */
export const EVIDENCE_ACCEPT = '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx';
