import { api } from './client';
import type {
  ApplicationDetail,
  ApplicationList,
  ApplicationListQuery,
  DraftInput,
  EvidenceFile,
  ReviewInput,
  ReviewResult,
} from './types';
import type { ApplicationStatus } from '@pingan/core';

export const listApplications = (q: ApplicationListQuery) => api.get<ApplicationList>('/api/applications', { ...q });
export const createApplication = (campaignId: number, categoryCode: string) => api.post<{ id: number }>('/api/applications', { campaignId, categoryCode });
export const getApplication = (id: number) => api.get<ApplicationDetail>(`/api/applications/${id}`);
export const saveDraft = (id: number, input: DraftInput) => api.put<{ revision: number }>(`/api/applications/${id}/draft`, input);
export const submitApplication = (id: number) => api.post<{ status: ApplicationStatus }>(`/api/applications/${id}/submit`);
export const reviewApplication = (id: number, input: ReviewInput) => api.post<ReviewResult>(`/api/applications/${id}/reviews`, input);

export function uploadEvidence(id: number, criterionId: string, file: File): Promise<EvidenceFile> {
  const form = new FormData();
  form.append('criterionId', criterionId);
  form.append('file', file, file.name);
  return api.upload<EvidenceFile>(`/api/applications/${id}/files`, form);
}
export const deleteEvidence = (fileId: number) => api.del<{ ok: true }>(`/api/files/${fileId}`);
export const fileUrl = (fileId: number) => `/api/files/${fileId}`;

/** Accepted evidence types (the server checks extension, declared type and content). */
export const EVIDENCE_ACCEPT = '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx';
