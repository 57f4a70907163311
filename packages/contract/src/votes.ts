import { z } from 'zod';
import { DateStr, Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { ApplicationStatus } from './common.js';
import { MobilePhone, PublicCode, SmsCode } from './publicCodes.js';

/**
 * 网络评选: the online vote. Staff routes (/api/votes, the campaign office) create a vote over the
 * candidates at a chain's vote step, read the tally with its anomaly flags, set flagged ballots
 * aside, close the vote and apply the result to the chain. Public routes (/api/public/votes, no
 * login) are addressed by public codes only, show households masked and never an internal id;
 * counts are public only once the vote is closed.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

const Title = Text(200)
  .transform((s) => s.trim())
  .pipe(z.string().min(4, '评选标题至少4个字'));
const Reason = Text(500)
  .transform((s) => s.trim())
  .pipe(z.string().min(1, '须填写理由'));

export const VoteStatus = z.enum(['open', 'closed', 'cancelled']);
/** upcoming, open (voting), counting (period over, not yet closed), closed (tally frozen, public), cancelled */
export const VoteState = z.enum(['upcoming', 'open', 'counting', 'closed', 'cancelled']);
export const VoteFlag = z.enum(['burst_network', 'same_device', 'time_cluster']);

// ───────────────────────────── staff ─────────────────────────────

export const VoteRowView = z
  .object({
    id: z.number(),
    publicCode: z.string(),
    campaignId: z.number(),
    campaignName: z.string(),
    categoryCode: z.string(),
    categoryName: z.string(),
    title: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    maxChoices: z.number(),
    weightPercent: z.number(),
    status: VoteStatus,
    state: VoteState,
    candidates: z.number(),
    ballots: z.number(),
    setAside: z.number(),
    applied: z.boolean(),
    /** the account is the campaign's office: it may act on the vote */
    owned: z.boolean(),
  })
  .meta({ id: 'VoteRow', description: '网络评选 A vote in the staff list' });

export const VoteCandidateOption = z.object({
  applicationId: z.number(),
  categoryCode: z.string(),
  categoryName: z.string(),
  subjectName: z.string(),
  regionName: z.string(),
  score: z.number().nullable(),
  ratingPercent: z.number().nullable(),
  /** the title of an open vote the application is already a candidate in */
  inVote: z.string().nullable(),
});

export const VoteCandidatesView = z
  .object({
    campaign: z.object({ id: z.number(), name: z.string() }),
    /** the chain's vote step, or null when the campaign's chain has none */
    step: z.object({ key: z.string(), name: z.string() }).nullable(),
    categories: z.array(z.object({ code: z.string(), name: z.string() })),
    items: z.array(VoteCandidateOption),
  })
  .meta({ id: 'VoteCandidates', description: '可参加网络评选的申报 Applications at the vote step' });

export const VoteTallyCandidate = z.object({
  candidateId: z.number(),
  publicCode: z.string(),
  applicationId: z.number(),
  subjectName: z.string(),
  regionName: z.string(),
  status: ApplicationStatus,
  /** the application is still at the vote step (the result can pass it on) */
  atVoteStep: z.boolean(),
  /** votes from all valid ballots, and without the set-aside ones (the figure the result uses) */
  votesAll: z.number(),
  votes: z.number(),
  sharePercent: z.number(),
  index: z.number(),
  rank: z.number(),
  ratingPercent: z.number().nullable(),
  combined: z.number().nullable(),
});

export const VoteFlagGroup = z.object({
  flag: VoteFlag,
  /** the network or device fingerprint (a keyed hash), or the minute */
  key: z.string(),
  /** a short label for the key */
  label: z.string(),
  ballots: z.number(),
  setAside: z.number(),
  from: Timestamp,
  to: Timestamp,
});

export const VoteDetailView = VoteRowView.extend({
  body: z.string().nullable(),
  closedAt: Timestamp.nullable(),
  closeReason: z.string().nullable(),
  appliedAt: Timestamp.nullable(),
  tally: z.object({
    ballotsAll: z.number(),
    ballotsSetAside: z.number(),
    ballotsCounted: z.number(),
    candidates: z.array(VoteTallyCandidate),
  }),
  flags: z.object({
    flaggedBallots: z.number(),
    medianPerMinute: z.number(),
    clusterThreshold: z.number(),
    thresholds: z.object({
      burstMinBallots: z.number(),
      burstWindowMinutes: z.number(),
      sameDeviceMinBallots: z.number(),
      clusterFactor: z.number(),
      clusterMinBallots: z.number(),
    }),
    groups: z.array(VoteFlagGroup),
  }),
  canSetAside: z.boolean(),
  canClose: z.boolean(),
  /** closing before the period ends needs a reason */
  closeNeedsReason: z.boolean(),
  canApply: z.boolean(),
  formula: z.string(),
}).meta({ id: 'VoteDetail', description: '网络评选计票 A vote with its tally and anomaly flags' });

export const BallotView = z.object({
  id: z.number(),
  createdAt: Timestamp,
  flags: z.array(VoteFlag),
  network: z.string(),
  device: z.string(),
  setAside: z.boolean(),
  setAsideReason: z.string().nullable(),
  choices: z.array(z.string()),
});

export const VoteInput = z.object({
  campaignId: Id,
  categoryCode: Text(64).pipe(z.string().min(1, '须选择类别')),
  title: Title,
  body: Text(5000).nullish(),
  startsOn: DateStr,
  endsOn: DateStr,
  maxChoices: z.number().int('每人可选数须为整数').min(1, '每人至少可选1个').max(1000),
  weightPercent: z.number().int('权重须为整数').min(0, '权重须在0到100之间').max(100, '权重须在0到100之间'),
  /** a subset of the applications at the vote step; all of them when left out */
  applicationIds: z.array(Id).min(1).max(1000).optional(),
});

const BallotIds = z.array(Id).min(1, '至少选择一张选票').max(5000);

// ───────────────────────────── public ─────────────────────────────

export const PublicVoteSummary = z
  .object({
    code: z.string(),
    title: z.string(),
    regionName: z.string(),
    categoryName: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    state: VoteState,
    candidates: z.number(),
    maxChoices: z.number(),
  })
  .meta({ id: 'PublicVoteSummary', description: '网络评选 A vote in the public list (no login)' });

export const PublicVoteCandidate = z.object({
  code: z.string(),
  /** households and persons masked (王**家庭) */
  name: z.string(),
  /** county and township only */
  regionName: z.string(),
  /** after the vote closes: counted votes, share of counted ballots, rank; null while it runs */
  votes: z.number().nullable(),
  sharePercent: z.number().nullable(),
  rank: z.number().nullable(),
});

export const PublicVoteView = z
  .object({
    code: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    campaignName: z.string(),
    regionName: z.string(),
    categoryName: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    state: VoteState,
    maxChoices: z.number(),
    weightPercent: z.number(),
    closedEarly: z.boolean(),
    candidates: z.array(PublicVoteCandidate),
    /** after the vote closes: ballots received, set aside as anomalous, counted */
    totals: z.object({ ballots: z.number(), setAside: z.number(), counted: z.number() }).nullable(),
  })
  .meta({ id: 'PublicVote', description: '网络评选详情（无需登录）A vote: candidates, and results once closed' });

export const BallotInput = z.object({
  phone: MobilePhone,
  smsCode: SmsCode,
  choices: z.array(PublicCode).min(1, '请至少选择1个候选对象').max(100),
});

const VoteCodeParams = z.object({ code: PublicCode });

export const votesApi = {
  list: route({
    id: 'listVotes',
    method: 'GET',
    path: '/api/votes',
    summary: '网络评选 Votes in my region (?format=xlsx: as Excel)',
    tags: ['votes'],
    auth: 'session',
    query: z.object({
      campaignId: Id.optional(),
      state: VoteState.optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({ items: z.array(VoteRowView), total: z.number() }),
    xlsx: true,
    file: XLSX,
  }),
  candidates: route({
    id: 'listVoteCandidates',
    method: 'GET',
    path: '/api/votes/candidates',
    summary: '网络评选候选对象 Applications at a campaign’s vote step',
    tags: ['votes'],
    auth: 'session',
    query: z.object({ campaignId: Id }),
    status: 200,
    response: VoteCandidatesView,
  }),
  create: route({
    id: 'createVote',
    method: 'POST',
    path: '/api/votes',
    summary: '发起网络评选 Open a vote over a category’s candidates',
    tags: ['votes'],
    auth: 'session',
    body: VoteInput,
    status: 201,
    response: z.object({ id: z.number(), publicCode: z.string(), candidates: z.number() }),
  }),
  detail: route({
    id: 'getVote',
    method: 'GET',
    path: '/api/votes/:id',
    summary: '计票与异常 The tally, both figures, and the anomaly flags (?format=xlsx: the tally as Excel)',
    tags: ['votes'],
    auth: 'session',
    params: IdParams,
    query: z.object({ format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: VoteDetailView,
    xlsx: true,
    file: XLSX,
  }),
  ballots: route({
    id: 'listVoteBallots',
    method: 'GET',
    path: '/api/votes/:id/ballots',
    summary: '异常选票 Flagged ballots, by flag or group',
    tags: ['votes'],
    auth: 'session',
    params: IdParams,
    query: z.object({
      flag: VoteFlag.optional(),
      group: Text(80).optional(),
      setAside: z.enum(['true', 'false']).optional(),
      ...Page,
    }),
    status: 200,
    response: z.object({ items: z.array(BallotView), total: z.number() }),
  }),
  setAside: route({
    id: 'setAsideBallots',
    method: 'POST',
    path: '/api/votes/:id/set-aside',
    summary: '剔除异常选票 Set flagged ballots aside, with a reason',
    tags: ['votes'],
    auth: 'session',
    params: IdParams,
    body: z.object({ ballotIds: BallotIds, reason: Reason }),
    status: 200,
    response: z.object({ changed: z.number(), ballotsSetAside: z.number() }),
  }),
  restore: route({
    id: 'restoreBallots',
    method: 'POST',
    path: '/api/votes/:id/restore',
    summary: '恢复选票 Count set-aside ballots again',
    tags: ['votes'],
    auth: 'session',
    params: IdParams,
    body: z.object({ ballotIds: BallotIds }),
    status: 200,
    response: z.object({ changed: z.number(), ballotsSetAside: z.number() }),
  }),
  close: route({
    id: 'closeVote',
    method: 'POST',
    path: '/api/votes/:id/close',
    summary: '结束投票 Close the vote and freeze the tally (before its end: with a reason)',
    tags: ['votes'],
    auth: 'session',
    params: IdParams,
    body: z.object({ reason: Text(500).nullish() }),
    status: 200,
    response: z.object({ id: z.number(), status: VoteStatus, closedAt: Timestamp }),
  }),
  apply: route({
    id: 'applyVoteResult',
    method: 'POST',
    path: '/api/votes/:id/apply',
    summary: '应用评选结果 Pass the candidates’ vote step, recording votes and the combined score',
    tags: ['votes'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({
      applied: z.array(
        z.object({
          applicationId: z.number(),
          subjectName: z.string(),
          votes: z.number(),
          combined: z.number().nullable(),
          passed: z.boolean(),
          note: z.string().nullable(),
        }),
      ),
    }),
  }),
  publicList: route({
    id: 'listPublicVotes',
    method: 'GET',
    path: '/api/public/votes',
    summary: '网络评选（无需登录）Open and closed votes',
    tags: ['public'],
    auth: 'public',
    query: z.object({ ...Page }),
    status: 200,
    response: z.object({ items: z.array(PublicVoteSummary), total: z.number() }),
  }),
  publicDetail: route({
    id: 'getPublicVote',
    method: 'GET',
    path: '/api/public/votes/:code',
    summary: '网络评选详情（无需登录）A vote: candidates, results once closed',
    tags: ['public'],
    auth: 'public',
    params: VoteCodeParams,
    status: 200,
    response: PublicVoteView,
  }),
  cast: route({
    id: 'castBallot',
    method: 'POST',
    path: '/api/public/votes/:code/ballots',
    summary: '投票（手机号+短信验证码）Vote, confirmed by an SMS code; one ballot per phone',
    tags: ['public'],
    auth: 'public',
    params: VoteCodeParams,
    body: BallotInput,
    status: 201,
    response: z.object({ ok: z.literal(true), choices: z.number(), at: Timestamp }),
  }),
};
