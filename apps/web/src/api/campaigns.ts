import type { Chain, ChainStep } from '@pingan/core';
import { campaignsApi, ratingApi } from '@pingan/contract';
import { call, urlOf } from './client';
import type { Campaign, CampaignUpdate, ChainPreset, NewCampaign } from './types';

/** A campaign as the list answers it (derived from the contract: packages/contract/src/campaigns.ts). */
export type CampaignFull = Campaign;
/** The body of a new campaign: its dates, phases, categories, and chain (a preset or the office's own). */
export type CampaignBody = NewCampaign;
export type { ChainPreset, CampaignUpdate };
export type { Chain, ChainStep };

export const listCampaigns = () => call(campaignsApi.list, {});
export const campaignsXlsxUrl = () => urlOf(campaignsApi.list, { query: { format: 'xlsx' } });
export const listChainPresets = () => call(campaignsApi.chainPresets, {});
export const createCampaign = (input: CampaignBody) => call(campaignsApi.create, { body: input });
export const updateCampaign = (id: number, input: CampaignUpdate) => call(campaignsApi.update, { params: { id }, body: input });
export const withdrawCampaign = (id: number, reason: string) => call(campaignsApi.withdraw, { params: { id }, body: { reason } });
/** 批量评级 (平安办): starts a background job; poll it with getJob. */
export const rateCampaign = (id: number) => call(ratingApi.rateCampaign, { params: { id } });
