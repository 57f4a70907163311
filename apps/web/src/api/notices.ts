import { api } from './client';
import type { NewNotice, NoticeSummary, PublicNotice } from './types';

export const listNotices = () => api.get<NoticeSummary[]>('/api/notices');
export const publishNotice = (input: NewNotice) => api.post<{ id: number }>('/api/notices', input);
export const conferNotice = (id: number) => api.post<{ conferred: number[] }>(`/api/notices/${id}/confer`);
export const listPublicNotices = () => api.get<NoticeSummary[]>('/api/public/notices');
export const getPublicNotice = (id: number) => api.get<PublicNotice>(`/api/public/notices/${id}`);
