import { api, withQuery } from './client';

/** 会签 (departments sign off): the department's worklist and the office's matrix. */

export interface SignoffScoreValue {
  score: number | null;
  met: boolean | null;
  notApplicable: boolean;
  comment: string | null;
}

export interface SignoffCriterion {
  id: string;
  title: string | null;
  text: string;
  judge: 'yesno' | 'score';
  points: number;
  veto: boolean;
  role: 'lead' | 'cooperate';
  judged: boolean;
  current: SignoffScoreValue | null;
}

export interface SignoffItem {
  id: number;
  step: string;
  status: 'pending' | 'signed' | 'overridden';
  late: boolean;
  deadline: string | null;
  comment: string | null;
  signedAt: string | null;
  overrideReason: string | null;
  reviewComment: string | null;
  judged: number;
  application: {
    id: number;
    status: string;
    subjectName: string;
    categoryCode: string;
    categoryName: string;
    campaignId: number;
    campaignName: string;
    submittedAt: string | null;
  };
  criteria: SignoffCriterion[];
}

export interface Worklist {
  total: number;
  limit: number;
  offset: number;
  today: string;
  items: SignoffItem[];
}

export type WorklistStatus = 'pending' | 'signed' | 'all';

export interface WorklistQuery {
  campaignId?: number;
  status: WorklistStatus;
  limit: number;
  offset: number;
}

export interface ScoreInput {
  criterionId: string;
  met?: boolean | null;
  score?: number | null;
  notApplicable?: boolean;
  comment?: string | null;
}

export interface Moved {
  signoffId: number;
  status: 'signed' | 'overridden';
  application: { id: number; status: string; step: string | null; advanced: boolean };
}

export type CellState = 'pending' | 'signed' | 'overridden' | 'late';

export interface MatrixCell {
  signoffId: number;
  orgId: number;
  deptCode: string;
  step: string;
  state: CellState;
  deadline: string | null;
  at: string | null;
  by: string | null;
  comment: string | null;
  reason: string | null;
}

export interface Matrix {
  campaign: { id: number; name: string };
  today: string;
  departments: { orgId: number; deptCode: string; name: string }[];
  total: number;
  limit: number;
  offset: number;
  summary: Record<CellState, number>;
  rows: {
    application: { id: number; status: string; step: string | null; subjectName: string; categoryCode: string; categoryName: string };
    cells: MatrixCell[];
  }[];
}

export interface MatrixQuery {
  campaignId: number;
  state: 'open' | 'all';
  limit: number;
  offset: number;
}

export const getWorklist = (q: WorklistQuery) => api.get<Worklist>('/api/signoffs/worklist', { ...q });
export const worklistXlsxUrl = (q: Omit<WorklistQuery, 'limit' | 'offset'>) => withQuery('/api/signoffs/worklist', { ...q, format: 'xlsx' });
export const saveSignoffScores = (id: number, body: { scores: ScoreInput[]; comment?: string | null }) =>
  api.put<{ signoffId: number; reviewId: number; judged: number; total: number; missing: string[] }>(`/api/signoffs/${id}/scores`, body);
export const signSignoff = (id: number, comment?: string | null) => api.post<Moved>(`/api/signoffs/${id}/sign`, { comment: comment || null });
export const overrideSignoff = (id: number, reason: string) => api.post<Moved>(`/api/signoffs/${id}/override`, { reason });
export const getMatrix = (q: MatrixQuery) => api.get<Matrix>('/api/signoffs/matrix', { ...q });
export const matrixXlsxUrl = (q: Omit<MatrixQuery, 'limit' | 'offset'>) => withQuery('/api/signoffs/matrix', { ...q, format: 'xlsx' });
