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

export interface ApplicationListItem {
  id: number;
  status: ApplicationStatus;
  categoryCode: string;
  categoryName: string;
  campaignId: number;
  campaignName: string;
  year: number;
  subjectId: number;
  subjectName: string;
  regionPath: string;
  regionName: string;
  score: number | null;
  stars: number | null;
  submittedAt: string | null;
  updatedAt: string;
}

export interface ApplicationList {
  items: ApplicationListItem[];
  total: number;
}

export interface ApplicationListQuery {
  status?: ApplicationStatus;
  campaignId?: number;
  categoryCode?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface EvidenceFile {
  id: number;
  criterionId: string | null;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface ReviewScoreRecord {
  criterionId: string;
  score: number | null;
  met: boolean | null;
  notApplicable: boolean;
  comment: string | null;
}

export interface ReviewRecord {
  id: number;
  stage: ReviewStage;
  /** the chain step the review belongs to, and its name */
  step: string;
  stepName: string | null;
  reviewerId: number;
  reviewerName: string;
  comment: string | null;
  createdAt: string;
  scores: ReviewScoreRecord[];
}

export interface EventRecord {
  id: number;
  /** a workflow Action, or 'create' for the application being started */
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  reason: string | null;
  at: string;
  actorName: string | null;
}

export interface ApplicationDetail {
  id: number;
  status: ApplicationStatus;
  revision: number;
  form: ApplicationForm;
  categoryCode: string;
  categoryName: string;
  campaign: { id: number; name: string; year: number; applyDeadline: string; reviewDeadline: string };
  subject: { id: number; name: string; kind: string; unitType: string | null; address: string | null; regionName: string };
  standardVersionId: number;
  standard: StandardDoc;
  answers: CriterionAnswer[];
  files: EvidenceFile[];
  reviews: ReviewRecord[];
  events: EventRecord[];
  rating: Rating;
  missing: MissingItem[];
  allowedActions: Action[];
  canEdit: boolean;
  canReview: boolean;
  /** this account owns the current step and scores it here */
  canScore: boolean;
  /** the campaign's review chain and the step that holds the application now */
  chain: ChainStepView[];
  step: ChainStepView | null;
  /** this account is the office that owns the campaign */
  campaignOffice: boolean;
  notice: { id: number; title: string; startsOn: string; endsOn: string } | null;
  title: { id: number; certificateNo: string; titleName: string; stars: number; level: TitleLevel; conferredOn: string } | null;
  submittedAt: string | null;
  updatedAt: string;
}

export interface ChainStepView {
  key: string;
  name: string;
  nameEn: string | null;
  kind: ChainStep['kind'];
  phase?: ChainStep['phase'];
  owner: ChainStep['owner'];
  deadline: string | null;
}

export interface DraftInput {
  revision: number;
  form: ApplicationForm;
  answers: CriterionAnswer[];
}

export type Decision = 'pass' | 'return' | 'reject' | 'none';

export interface ReviewInput {
  decision: Decision;
  comment?: string | null;
  reason?: string | null;
  scores: { criterionId: string; score?: number | null; met?: boolean | null; notApplicable?: boolean; comment?: string | null }[];
}

export interface ReviewResult {
  reviewId: number | null;
  status: ApplicationStatus;
  rating: Rating;
}

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
