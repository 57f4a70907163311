import type { RequestOf, ResponseOf } from '@pingan/contract';
import type { applicationsApi } from '@pingan/contract';
import type {
  Action,
  ChainStep,
  ApplicationForm,
  ApplicationStatus,
  CriterionAnswer,
  MissingItem,
  Rating,
  ReviewStage,
  Role,
  StandardDoc,
  TitleLevel,
} from '@pingan/core';

/** Shapes of the server's answers (JSON: dates are ISO strings). */

export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  org: { id: number; name: string; kind: string; deptCode: string; regionId: number; regionName: string } | null;
  subject: { id: number; name: string; kind: string; unitType: string | null } | null;
  categoryCodes: string[] | null;
}

export type PhaseKey = 'mobilise' | 'apply' | 'guide' | 'accept';
export interface CampaignPhase {
  key: PhaseKey;
  name: string;
  start: string;
  end: string;
}

export interface CampaignCategory {
  code: string;
  name: string;
  standardVersionId: number;
  standardTitle: string;
  version: number;
  quota: number | null;
  /** who may hold the title: subject kinds, and unit types when units */
  subjectKinds: string[];
  unitTypes: string[];
}

export interface Campaign {
  id: number;
  name: string;
  year: number;
  regionName: string;
  applyDeadline: string;
  reviewDeadline: string;
  phases: CampaignPhase[];
  categories: CampaignCategory[];
}

export interface NewCampaign {
  name: string;
  year: number;
  applyDeadline: string;
  reviewDeadline: string;
  phases: CampaignPhase[];
  categories: { standardVersionId: number; quota?: number | null }[];
}

export interface StandardVersionSummary {
  id: number;
  version: number;
  criteria: number;
  maxPoints: number;
  createdAt: string;
}

export interface StandardSummary {
  id: number;
  code: string;
  title: string;
  issuer: string;
  categoryCode: string;
  categoryName: string;
  versions: StandardVersionSummary[];
}

export interface StandardVersion {
  id: number;
  standardId: number;
  version: number;
  note: string | null;
  createdAt: string;
  doc: StandardDoc;
}

export interface Category {
  code: string;
  name: string;
  nameEn: string | null;
  leadDepts: string[];
  cooperateDepts: string[];
}

// ── applications: derived from the contract (packages/contract/src/applications.ts) ──
type AppApi = typeof applicationsApi;
export type ApplicationList = ResponseOf<AppApi['list']>;
export type ApplicationListItem = ApplicationList['items'][number];
export type ApplicationListQuery = NonNullable<RequestOf<AppApi['list']>['query']>;
export type ApplicationDetail = ResponseOf<AppApi['detail']>;
export type EvidenceFile = ResponseOf<AppApi['upload']>;
export type ReviewRecord = ApplicationDetail['reviews'][number];
export type ReviewScoreRecord = ReviewRecord['scores'][number];
export type EventRecord = ApplicationDetail['events'][number];
export type ChainStepView = ApplicationDetail['chain'][number];
export type DraftInput = RequestOf<AppApi['saveDraft']>['body'];
export type ReviewInput = RequestOf<AppApi['review']>['body'];
export type Decision = ReviewInput['decision'];
export type ReviewResult = ResponseOf<AppApi['review']>;

export interface DashboardData {
  region: { id: number; name: string };
  categoryCodes: string[] | null;
  subjects: Partial<Record<'unit' | 'household' | 'individual' | 'region', number>>;
  applicationsByStatus: Partial<Record<ApplicationStatus, number>>;
  titlesByStars: Record<string, number>;
  byCategory: { code: string; name: string; status: ApplicationStatus; n: number }[];
}

export interface NoticeSummary {
  id: number;
  title: string;
  startsOn: string;
  endsOn: string;
  regionName: string;
  campaignId?: number;
  /** names on the notice, still in notice, and already conferred */
  items: number;
  inNotice: number;
  conferred: number;
}

export interface NewNotice {
  campaignId: number;
  title: string;
  body?: string | null;
  startsOn: string;
  endsOn: string;
  applicationIds: number[];
}

export interface PublicNoticeItem {
  /** a row number: internal ids never reach public pages */
  no: number;
  subjectName: string;
  regionName: string;
  categoryName: string;
  stars: number | null;
  score: number | null;
  status: ApplicationStatus;
  conferred: boolean;
  withdrawn: boolean;
}

export interface PublicNotice {
  id: number;
  title: string;
  body: string | null;
  startsOn: string;
  endsOn: string;
  regionName: string;
  ended: boolean;
  items: PublicNoticeItem[];
}

export interface Title {
  id: number;
  applicationId: number;
  subjectId: number;
  regionPath: string;
  categoryCode: string;
  titleName: string;
  year: number;
  stars: number;
  level: TitleLevel;
  issuer: string;
  certificateNo: string;
  conferredOn: string;
  revokedAt: string | null;
  revokeReason: string | null;
  subjectName: string;
  regionName: string;
}

export interface VerifyResult {
  certificateNo: string;
  subjectName: string;
  regionName: string;
  titleName: string;
  year: number;
  stars: number;
  level: TitleLevel;
  issuer: string;
  conferredOn: string;
  valid: boolean;
  revokeReason: string | null;
}

/** GET /api/standards/:id/versions/:a/diff/:b: core diffStandards output (a and b are version numbers) */
export type { StandardChange } from '@pingan/core';

/** POST /api/standards/:id/versions: the stored version */
export interface NewStandardVersion {
  id: number;
  standardId: number;
  version: number;
}

export type StandardExportFormat = 'json' | 'yaml' | 'xlsx';

/** GET /api/jobs/:id: a background job's status (its owner only) */
export type JobState = 'running' | 'done' | 'failed';
export interface JobStatus<R = unknown> {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number;
  /** in Chinese, for the person at the screen */
  message: string;
  result: R | null;
  startedAt: string;
  finishedAt: string | null;
}

/** The result of a rate_campaign job (批量评级) */
export interface CampaignRatingResult {
  campaignId: number;
  rated: number;
  updated: number;
  reratedByEngine: number;
  draftsSkipped: number;
  ms: { sql: number; engine: number; total: number };
}
