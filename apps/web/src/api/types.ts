import type { RequestOf, ResponseOf } from '@pingan/contract';
import type { applicationsApi, campaignsApi, noticesApi, titlesApi } from '@pingan/contract';
import type { authApi, dashboardApi, ratingApi, regionsApi, standardsApi } from '@pingan/contract';

/**
 * Names for the server's answers and requests, every one inferred from the contract
 * (packages/contract): nothing here is written by hand.
 */

// ── campaigns: derived from the contract (packages/contract/src/campaigns.ts) ──
type CampaignApi = typeof campaignsApi;
/** A campaign as the list answers it: its review chain, notice minimum, status and what the account may do. */
export type Campaign = ResponseOf<CampaignApi['list']>[number];
export type CampaignPhase = Campaign['phases'][number];
export type PhaseKey = CampaignPhase['key'];
export type CampaignCategory = Campaign['categories'][number];
export type ChainPreset = ResponseOf<CampaignApi['chainPresets']>[number];
export type NewCampaign = RequestOf<CampaignApi['create']>['body'];
export type CampaignUpdate = RequestOf<CampaignApi['update']>['body'];

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

// ── notices and titles: derived from the contract (packages/contract/src/{notices,titles}.ts) ──
type NoticesApi = typeof noticesApi;
/** A notice in the staff list, with its counts and what the account may do with it. */
export type NoticeRow = ResponseOf<NoticesApi['list']>[number];
export type NoticeState = NoticeRow['state'];
export type NoticeDetail = ResponseOf<NoticesApi['detail']>;
export type NoticeItem = NoticeDetail['items'][number];
export type NoticeCandidates = ResponseOf<NoticesApi['candidates']>;
export type NoticeCandidate = NoticeCandidates['items'][number];
export type NoticeCandidatesQuery = NonNullable<RequestOf<NoticesApi['candidates']>['query']>;
export type NewNotice = RequestOf<NoticesApi['publish']>['body'];
export type NoticeUpdate = RequestOf<NoticesApi['update']>['body'];
export type Title = ResponseOf<typeof titlesApi.list>['items'][number];
export type CertificateBatch = ResponseOf<typeof titlesApi.batch>;

// ── auth, dashboard, standards, jobs: derived from the contract (packages/contract/src/{auth,dashboard,standards,rating}.ts) ──
export type Me = ResponseOf<typeof authApi.me>;
export type DashboardData = ResponseOf<typeof dashboardApi.get>;
type StdApi = typeof standardsApi;
export type StandardSummary = ResponseOf<StdApi['list']>[number];
export type StandardVersionSummary = StandardSummary['versions'][number];
export type StandardVersion = ResponseOf<StdApi['version']>;
export type Category = ResponseOf<StdApi['categories']>[number];
/** GET /api/standards/:id/versions/:a/diff/:b: core diffStandards output (a and b are version numbers) */
export type StandardChange = ResponseOf<StdApi['diff']>[number];
/** POST /api/standards/:id/versions: the stored version */
export type NewStandardVersion = ResponseOf<StdApi['addVersion']>;
export type StandardExportFormat = NonNullable<NonNullable<RequestOf<StdApi['export']>['query']>['format']>;
export type StandardValidation = ResponseOf<StdApi['validate']>;
/** GET /api/jobs/:id: a background job's status (its owner only) */
type JobStatusView = ResponseOf<typeof ratingApi.job>;
export type JobState = JobStatusView['state'];
/** The result of a rate_campaign job (批量评级) */
export type CampaignRatingResult = NonNullable<JobStatusView['result']>;
export type JobStatus<R = CampaignRatingResult> = Omit<JobStatusView, 'result'> & { result: R | null };
export type Region = ResponseOf<typeof regionsApi.list>[number];
