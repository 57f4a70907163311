import type { Chain, ChainStep } from '@pingan/core';
import { api } from './client';
import type { Campaign, NewCampaign } from './types';

/** A campaign as the list answers it: its review chain, notice minimum, status and what the account may do. */
export interface CampaignFull extends Campaign {
  chain: Chain;
  minNoticeDays: number;
  parentCampaignId: number | null;
  status: 'active' | 'withdrawn';
  withdrawnReason: string | null;
  revision: number;
  /** the account is the campaign's own office */
  owned: boolean;
  canEdit: boolean;
  /** an application has left draft: categories and the chain's steps are fixed */
  structureLocked: boolean;
}

export interface ChainPreset extends Chain {
  isDefault: boolean;
}

export interface CampaignBody extends NewCampaign {
  chainPreset?: string | null;
  chain?: Chain | null;
  minNoticeDays?: number | null;
  parentCampaignId?: number | null;
}

export type { Chain, ChainStep };

export const listCampaigns = () => api.get<CampaignFull[]>('/api/campaigns');
export const listChainPresets = () => api.get<ChainPreset[]>('/api/campaigns/chain-presets');
export const createCampaign = (input: CampaignBody) => api.post<{ id: number }>('/api/campaigns', input);
export const updateCampaign = (id: number, input: Partial<CampaignBody> & { revision?: number }) => api.put<{ id: number; revision: number }>(`/api/campaigns/${id}`, input);
export const withdrawCampaign = (id: number, reason: string) => api.post<{ id: number; status: 'withdrawn' }>(`/api/campaigns/${id}/withdraw`, { reason });
/** 批量评级 (平安办): starts a background job; poll it with getJob. */
export const rateCampaign = (id: number) => api.post<{ jobId: string }>(`/api/campaigns/${id}/rate`);
