import type { ApplicationStatus } from '@pingan/core';
import { api } from './client';
import type { NewNotice, NoticeSummary, PublicNotice } from './types';

export type NoticeState = 'upcoming' | 'open' | 'ended' | 'withdrawn';

/** A notice in the staff list, with what the account may do with it. */
export interface NoticeRow extends NoticeSummary {
  body: string | null;
  status: 'active' | 'withdrawn';
  withdrawnReason: string | null;
  revision: number;
  campaignId: number;
  campaignName: string;
  minNoticeDays: number;
  removed: number;
  state: NoticeState;
  owned: boolean;
  canEdit: boolean;
  canWithdraw: boolean;
  canConfer: boolean;
  earliestEnd: string;
}

export interface NoticeItem {
  applicationId: number;
  subjectName: string;
  regionName: string;
  categoryName: string;
  stars: number | null;
  score: number | null;
  status: ApplicationStatus;
  removedAt: string | null;
  removedReason: string | null;
  canRemove: boolean;
}

export interface NoticeDetail {
  id: number;
  campaignId: number;
  title: string;
  body: string | null;
  startsOn: string;
  endsOn: string;
  status: 'active' | 'withdrawn';
  withdrawnReason: string | null;
  revision: number;
  minNoticeDays: number;
  earliestEnd: string;
  state: NoticeState;
  owned: boolean;
  canEdit: boolean;
  items: NoticeItem[];
}

export interface NoticeCandidate {
  id: number;
  subjectName: string;
  regionName: string;
  categoryCode: string;
  categoryName: string;
  score: number | null;
  stars: number | null;
}

export const listNotices = () => api.get<NoticeRow[]>('/api/notices');
export const getNotice = (id: number) => api.get<NoticeDetail>(`/api/notices/${id}`);
export const noticeCandidates = (q: { campaignId: number; q?: string; limit: number; offset: number }) =>
  api.get<{ items: NoticeCandidate[]; total: number; minNoticeDays: number }>('/api/notices/candidates', q);
export const publishNotice = (input: NewNotice) => api.post<{ id: number }>('/api/notices', input);
export const updateNotice = (id: number, input: { title?: string; body?: string | null; endsOn?: string; revision?: number }) =>
  api.put<{ id: number; revision: number }>(`/api/notices/${id}`, input);
export const withdrawNotice = (id: number, reason: string) => api.post<{ id: number; status: 'withdrawn'; returned: number[] }>(`/api/notices/${id}/withdraw`, { reason });
export const removeNoticeItem = (id: number, applicationId: number, action: 'withdraw' | 'return', reason: string) =>
  api.post<{ applicationId: number; status: ApplicationStatus }>(`/api/notices/${id}/items/${applicationId}/withdraw`, { action, reason });
export const conferNotice = (id: number) => api.post<{ conferred: number[] }>(`/api/notices/${id}/confer`);
export const listPublicNotices = () => api.get<NoticeSummary[]>('/api/public/notices');
export const getPublicNotice = (id: number) => api.get<PublicNotice>(`/api/public/notices/${id}`);
