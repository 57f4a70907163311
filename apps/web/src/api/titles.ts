import { api } from './client';
import type { Title, VerifyResult } from './types';

export const listTitles = () => api.get<Title[]>('/api/titles');
export const verifyCertificate = (no: string) => api.get<VerifyResult>(`/api/public/verify/${encodeURIComponent(no.trim())}`);
export const certificateUrl = (titleId: number) => `/api/titles/${titleId}/certificate.pdf`;
