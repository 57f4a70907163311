import { api, withQuery } from './client';

/** Experts (专家库、指派), on-site checks (现场核查), 整改 and 明查暗访. */

export interface PoolExpert {
  userId: number;
  username: string;
  displayName: string;
  orgName: string;
  disabled: boolean;
  hasProfile: boolean;
  poolRegionId: number | null;
  domains: string[];
  employerSubjectId: number | null;
  homeRegionId: number | null;
  relatedSubjectIds: number[];
  maxLoad: number;
  load: number;
  employerName?: string | null;
  homeRegionName?: string | null;
  relatedNames?: string[];
}

export interface Pool {
  items: PoolExpert[];
  categories: { code: string; name: string }[];
}

export interface ProfileInput {
  domains: string[];
  employerSubjectId: number | null;
  homeRegionId: number | null;
  relatedSubjectIds: number[];
  maxLoad: number;
}

export interface Assignment {
  id: number;
  applicationId: number;
  expertId: number;
  expertName: string;
  status: 'open' | 'done' | 'withdrawn';
  dueOn: string | null;
  assignedAt: string;
}

export interface AssignPage {
  campaign: { id: number; name: string; year: number };
  onsiteSteps: { key: string; name: string }[];
  experts: PoolExpert[];
  items: {
    id: number;
    subjectName: string;
    regionName: string;
    categoryCode: string;
    categoryName: string;
    status: string;
    step: string | null;
    assignments: Assignment[];
    /** reasons to stand aside (回避), by expert id */
    conflicts: Record<string, string[]>;
  }[];
}

export interface Refusal {
  expertId: number;
  expertName: string;
  reasons: string[];
}

export interface AutoResult {
  assigned: { applicationId: number; expertId: number; expertName: string; subjectName: string }[];
  uncovered: { applicationId: number; subjectName: string; missing: number; openCount: number; reason: string }[];
  loads: { expertId: number; expertName: string; load: number; maxLoad: number }[];
}

export const getPool = () => api.get<Pool>('/api/experts');
export const putProfile = (userId: number, input: ProfileInput) => api.put<PoolExpert>(`/api/experts/${userId}`, input);
export const getAssignPage = (campaignId: number) => api.get<AssignPage>(`/api/campaigns/${campaignId}/assignments`);
export const assignExperts = (applicationId: number, expertIds: number[], dueOn?: string | null) =>
  api.post<{ assignments: Assignment[] }>(`/api/applications/${applicationId}/assignments`, { expertIds, dueOn: dueOn || null });
export const autoAssign = (campaignId: number, input: { perApplication: number; cap: number; categoryCode?: string }) =>
  api.post<AutoResult>(`/api/campaigns/${campaignId}/assignments/auto`, input);
export const withdrawAssignment = (id: number) => api.del<{ ok: boolean }>(`/api/assignments/${id}`);

// ───────────── on-site ─────────────

export interface MyAssignment {
  assignmentId: number;
  applicationId: number;
  dueOn: string | null;
  assignedAt: string;
  subjectName: string;
  address: string | null;
  regionName: string;
  categoryName: string;
  campaignName: string;
  status: string;
  checkStatus: 'none' | 'draft' | 'submitted';
  openRectifications: number;
}

export interface ChecklistItem {
  criterionId: string;
  groupId: string;
  groupName: string;
  title: string | null;
  text: string;
  points: number;
  judge: 'yesno' | 'score';
  veto: boolean;
  evidence: string[];
  measures: { id: string; label: string; want: string; wantEn: string; kind: string }[];
  reported: Record<string, number | null>;
  statement: string | null;
}

export interface Finding {
  criterionId: string;
  met: boolean | null;
  score: number | null;
  note: string | null;
  figures: Record<string, number>;
}

export interface OnsitePhoto {
  id: number;
  criterionId: string | null;
  size: number;
  contentType: string;
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
  source: 'exif' | 'browser' | 'none';
  createdAt: string;
}

export interface OnsitePage {
  application: { id: number; status: string; step: string | null; subjectName: string; address: string | null; regionName: string; categoryName: string; campaignName: string };
  assignment: { id: number; dueOn: string | null };
  checklist: ChecklistItem[];
  check: { id: number; status: 'draft' | 'submitted'; place: string | null; latitude: number | null; longitude: number | null; startedAt: string; submittedAt: string | null; summary: string | null } | null;
  findings: Finding[];
  photos: OnsitePhoto[];
  rectifications: { id: number; criterionId: string; request: string; dueOn: string; status: RectStatus; answer: string | null; mine: boolean }[];
}

export interface CheckInput {
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  summary: string | null;
  findings: { criterionId: string; met: boolean | null; score: number | null; note: string | null }[];
}

export const listMyAssignments = () => api.get<{ items: MyAssignment[] }>('/api/onsite');
export const getOnsite = (applicationId: number) => api.get<OnsitePage>(`/api/onsite/${applicationId}`);
export const saveOnsite = (applicationId: number, input: CheckInput) => api.put<{ checkId: number; savedAt: string }>(`/api/onsite/${applicationId}`, input);
export const submitOnsite = (applicationId: number) =>
  api.post<{ reviewId: number; rating: { total: number; max: number; stars: number }; advanced: { status: string; step: string | null } | null }>(`/api/onsite/${applicationId}/submit`);
export function uploadPhoto(applicationId: number, file: File, criterionId: string, browser: { takenAt: string; latitude?: number; longitude?: number }) {
  const f = new FormData();
  f.append('criterionId', criterionId);
  f.append('takenAt', browser.takenAt);
  if (browser.latitude != null && browser.longitude != null) {
    f.append('latitude', String(browser.latitude));
    f.append('longitude', String(browser.longitude));
  }
  f.append('file', file);
  return api.upload<OnsitePhoto>(`/api/onsite/${applicationId}/photos`, f);
}
export const deletePhoto = (applicationId: number, photoId: number) => api.del<{ ok: boolean }>(`/api/onsite/${applicationId}/photos/${photoId}`);
export const photoUrl = (photoId: number) => `/api/onsite-photos/${photoId}`;

// ───────────── 整改 ─────────────

export type RectStatus = 'open' | 'answered' | 'accepted' | 'reopened';

export interface Rectification {
  id: number;
  applicationId: number;
  criterionId: string;
  request: string;
  dueOn: string;
  status: RectStatus;
  requestedBy: number;
  requestedByName: string | null;
  requestedAt: string;
  answer: string | null;
  answeredAt: string | null;
  recheckNote: string | null;
  recheckedAt: string | null;
  files: { id: number; fileName: string; size: number }[];
  canAnswer: boolean;
  canRecheck: boolean;
}

export const listRectifications = (applicationId: number) => api.get<{ items: Rectification[]; role: 'applicant' | 'expert' | 'office' }>(`/api/applications/${applicationId}/rectifications`);
export const requestRectification = (applicationId: number, input: { criterionId: string; request: string; dueOn: string }) =>
  api.post<Rectification>(`/api/onsite/${applicationId}/rectifications`, input);
export function answerRectification(id: number, answer: string, file: File | null) {
  const f = new FormData();
  f.append('answer', answer);
  if (file) f.append('file', file);
  return api.upload<{ id: number; status: RectStatus }>(`/api/rectifications/${id}/answer`, f);
}
export const recheckRectification = (id: number, accepted: boolean, note: string | null) =>
  api.post<{ id: number; status: RectStatus }>(`/api/rectifications/${id}/recheck`, { accepted, note });

// ───────────── 明查暗访 ─────────────

export interface Sample {
  id: number;
  year: number;
  quarter: number;
  mode: 'announced' | 'unannounced';
  seed: string;
  size: number;
  population: number;
  createdAt: string;
  done?: number;
}

export interface SampleItem {
  id: number;
  sampleId: number;
  subjectId: number;
  subjectName: string;
  unitType: string | null;
  address: string | null;
  regionName: string;
  score: number | null;
  findings: string | null;
  inspectedOn: string | null;
  inspectorName: string | null;
}

export interface InspectionResults {
  year: number;
  samples: number;
  units: { subjectId: number; subjectName: string; regionName: string; area: string; inspections: number; average: number }[];
  regions: { regionId: number; regionName: string; units: number; inspections: number; average: number; rank: number }[];
}

export const listSamples = (year?: number) => api.get<{ items: Sample[] }>('/api/inspections/samples', { year });
export const getSample = (id: number) => api.get<Sample & { items: SampleItem[] }>(`/api/inspections/samples/${id}`);
export const drawSample = (input: { year: number; quarter: number; mode: 'announced' | 'unannounced'; size: number; seed?: string | null }) =>
  api.post<Sample & { items: SampleItem[] }>('/api/inspections/samples', input);
export const recordInspection = (itemId: number, input: { score: number; findings: string | null; inspectedOn: string }) =>
  api.put<SampleItem>(`/api/inspections/items/${itemId}`, input);
export const getInspectionResults = (year: number) => api.get<InspectionResults>('/api/inspections/results', { year });
export const inspectionResultsXlsxUrl = (year: number) => withQuery('/api/inspections/results', { year, format: 'xlsx' });

export const searchSubjects = (q: string) => api.get<{ items: { id: number; name: string; kind: string; regionName: string }[] }>('/api/experts/subjects', { q });
export const listRegions = () => api.get<{ id: number; name: string; level: string; path: string; parentId: number | null }[]>('/api/regions');
