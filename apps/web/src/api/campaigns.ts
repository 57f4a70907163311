import { api } from './client';
import type { Campaign, NewCampaign } from './types';

export const listCampaigns = () => api.get<Campaign[]>('/api/campaigns');
export const createCampaign = (input: NewCampaign) => api.post<{ id: number }>('/api/campaigns', input);
/** 批量评级 (平安办): starts a background job; poll it with getJob. */
export const rateCampaign = (id: number) => api.post<{ jobId: string }>(`/api/campaigns/${id}/rate`);
