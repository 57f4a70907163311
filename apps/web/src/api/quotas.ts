import { api, request, withQuery } from './client';

/** Quotas (名额), 004 recommendations (推荐申报), 002 nominations and 000 selections (评选). */

export interface QuotaRow {
  id: number;
  regionId: number | null;
  regionName: string | null;
  deptCode: string | null;
  deptName: string | null;
  categoryCode: string;
  categoryName: string;
  count: number;
  used: number;
  source: 'table' | 'manual' | 'import';
}

export interface Quotas {
  campaign: { id: number; name: string; year: number };
  canEdit: boolean;
  recommender: { kind: 'region' | 'department'; name: string } | null;
  rows: QuotaRow[];
  regions: { id: number; name: string }[];
  categories: { code: string; name: string }[];
}

export interface QuotaInput {
  regionId: number | null;
  deptCode: string | null;
  categoryCode: string;
  count: number;
}

export interface LoadReport {
  table: { code: string; title: string; year: number };
  written: number;
  matched: { tableRegion: string; regionId: number; regionName: string; how: 'name' | 'mapped' }[];
  unmatched: string[];
  categories: { code: string; inCampaign: boolean }[];
  message: string;
}

/** The quota tables of the standards library (standards/shangluo-985). */
export const QUOTA_TABLES = [{ code: 'shangluo-2018-quotas', name: '2018年度“平安商洛”创建市级示范点分配表（004 附件）' }] as const;

export const getQuotas = (campaignId: number) => api.get<Quotas>(`/api/campaigns/${campaignId}/quotas`);
export const quotasXlsxUrl = (campaignId: number) => withQuery(`/api/campaigns/${campaignId}/quotas`, { format: 'xlsx' });
export const putQuotas = (campaignId: number, rows: QuotaInput[]) => api.put<Quotas>(`/api/campaigns/${campaignId}/quotas`, { rows });
export const loadQuotaTable = (campaignId: number, body: { code: string; regionMap?: Record<string, number>; categoryMap?: Record<string, string> }) =>
  api.post<LoadReport>(`/api/campaigns/${campaignId}/quotas/load`, body);
export function importQuotas(campaignId: number, file: File) {
  const form = new FormData();
  form.append('file', file);
  return api.upload<{ imported: number }>(`/api/campaigns/${campaignId}/quotas/import`, form);
}

export interface RuleBroken {
  rule: string;
  message: string;
}

export interface Recommendation {
  id: number;
  subjectId: number;
  subjectName: string;
  categoryCode: string;
  categoryName: string;
  status: string;
  step: string | null;
  lowerTitleId: number | null;
  recommendedByOrgId: number | null;
  recommendedByName: string;
  submittedAt: string | null;
}

export interface EligibleTitle {
  titleId: number;
  subjectName: string;
  categoryCode: string;
  categoryName: string;
  titleName: string;
  year: number;
  certificateNo: string;
  recommended: boolean;
  problem: RuleBroken | null;
}

export interface Recommendations {
  campaign: { id: number; name: string; year: number; entry: 'self' | 'recommendation' };
  rules: string[];
  quotas: QuotaRow[];
  role: 'office' | 'recommender';
  recommender: { kind: 'region' | 'department'; name: string } | null;
  recommendations: Recommendation[];
  eligible: EligibleTitle[];
}

export const getRecommendations = (campaignId: number) => api.get<Recommendations>(`/api/campaigns/${campaignId}/recommendations`);
export const recommend = (campaignId: number, titleId: number) =>
  api.post<{ id: number; status: string; step: string | null }>(`/api/campaigns/${campaignId}/recommendations`, { titleId });
export const withdrawRecommendation = (campaignId: number, applicationId: number, reason: string) =>
  request<{ id: number; status: 'withdrawn' }>('DELETE', `/api/campaigns/${campaignId}/recommendations/${applicationId}`, { reason });

export interface Nominations {
  campaign: { id: number; name: string; year: number };
  factor: number | null;
  applies: boolean;
  categories: { categoryCode: string; categoryName: string; awardQuota: number | null; nominated: number; required: number | null; met: boolean; message: string; rule: string }[];
}
export const getNominations = (campaignId: number) => api.get<Nominations>(`/api/campaigns/${campaignId}/nominations`);

export interface RankedEntry {
  applicationId: number;
  subjectName: string;
  score: number;
  rank: number;
  selected: boolean;
  reason: string;
}
export interface Selection {
  id: number;
  categoryCode: string;
  stars: number;
  capacity: number;
  decidedAt: string;
  selectedCount: number;
  ranking: RankedEntry[];
}
export interface SelectionTie {
  rank: number;
  seats: number;
  applicationIds: number[];
  message: string;
}

export const listSelections = (campaignId: number) => api.get<{ stars: number | null; selections: Selection[] }>(`/api/campaigns/${campaignId}/selections`);
export const runSelection = (campaignId: number, body: { categoryCode: string; capacity: number; tieBreak?: number[] }) =>
  api.post<Selection>(`/api/campaigns/${campaignId}/selections`, body);
