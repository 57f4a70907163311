import { api } from './client';
import type { Campaign, NewCampaign } from './types';

export const listCampaigns = () => api.get<Campaign[]>('/api/campaigns');
export const createCampaign = (input: NewCampaign) => api.post<{ id: number }>('/api/campaigns', input);
