import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, numeric, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type {
  ApplicationForm,
  ApplicationStatus,
  Chain,
  CriterionAnswer,
  Rating,
  ReviewStage,
  Role,
  StandardDoc,
  TitleLevel,
  TitleStatusStored,
} from '@pingan/core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Region tree: province → city → county → town/street → village/community → grid. */
export const regions = pgTable(
  'regions',
  {
    id: serial('id').primaryKey(),
    parentId: integer('parent_id'),
    name: text('name').notNull(),
    level: text('level').$type<'province' | 'city' | 'county' | 'town' | 'village' | 'grid'>().notNull(),
    /** materialised path "/1/4/17/" for subtree tests */
    path: text('path').notNull().default(''),
    /** 常住人口 and 户数, from the roster: a survey's sampling plan is sized from them */
    population: integer('population'),
    households: integer('households'),
  },
  (t) => [index('regions_path_idx').on(t.path)],
);

/** A region's 平安办 or one of its departments. */
export const organisations = pgTable('organisations', {
  id: serial('id').primaryKey(),
  regionId: integer('region_id')
    .notNull()
    .references(() => regions.id),
  name: text('name').notNull(),
  kind: text('kind').$type<'safety_office' | 'department'>().notNull(),
  deptCode: text('dept_code').notNull(),
});

/** Who applies: a unit, a household, an individual, or a lower region. */
export const subjects = pgTable(
  'subjects',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<'unit' | 'household' | 'individual' | 'region'>().notNull(),
    name: text('name').notNull(),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    unitType: text('unit_type'),
    supervisingDept: text('supervising_dept'),
    households: integer('households'),
    staff: integer('staff'),
    address: text('address'),
    /** household head's or person's ID number and phone: encrypted at rest (pii.ts), masked on reads */
    idNumber: text('id_number'),
    phone: text('phone'),
  },
  (t) => [
    index('subjects_region_idx').on(t.regionId),
    // the dashboard's subjects by kind, per region of a subtree, from the index alone
    index('subjects_region_kind_idx').on(t.regionId, t.kind),
  ],
);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role').$type<Role>().notNull(),
  orgId: integer('org_id').references(() => organisations.id),
  subjectId: integer('subject_id').references(() => subjects.id),
  disabled: boolean('disabled').notNull().default(false),
  /** where mail and SMS notifications go (through the outbox) */
  email: text('email'),
  phone: text('phone'),
  /** consecutive failed logins since the last success or lockout (登录失败次数) */
  failedLogins: integer('failed_logins').notNull().default(0),
  /** while in the future, every login is refused (账号锁定) */
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  /** set when an administrator creates the account or resets its password: the next login must change it */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  /** the 等保 profile expires passwords 90 days after this */
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  /** TOTP second factor: the secret is encrypted at rest (pii.ts); enabled once a first code was confirmed */
  totpSecret: text('totp_secret'),
  totpEnabled: boolean('totp_enabled').notNull().default(false),
  /** the last accepted TOTP time step: a code is never accepted twice */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a leaked table does not give live sessions */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    /** the last request on this session, written at most once a minute: the idle timeout reads it */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Every login attempt, successful or not (登录日志). */
export const loginEvents = pgTable(
  'login_events',
  {
    id: serial('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** the name as typed (bounded by the contract) */
    username: text('username').notNull(),
    userId: integer('user_id').references(() => users.id),
    ip: text('ip'),
    userAgent: text('user_agent'),
    result: text('result').$type<'ok' | 'bad_password' | 'locked' | 'unknown_user' | 'disabled'>().notNull(),
  },
  (t) => [index('login_events_at_idx').on(t.at), index('login_events_user_idx').on(t.userId, t.at)],
);

/** A category (创建类别/品牌) and which department leads and cooperates on it. */
export const categories = pgTable('categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  leadDepts: jsonb('lead_depts')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  cooperateDepts: jsonb('cooperate_depts')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
});

export const standards = pgTable('standards', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  categoryCode: text('category_code')
    .notNull()
    .references(() => categories.code),
  title: text('title').notNull(),
  issuer: text('issuer').notNull(),
});

/**
 * The criteria of each standard version as rows, written once when the version is stored, so a
 * whole campaign can be rated in one set-based SQL pass instead of unpacking JSON per application.
 */
export const criteria = pgTable(
  'criteria',
  {
    standardVersionId: integer('standard_version_id')
      .notNull()
      .references(() => standardVersions.id),
    criterionId: text('criterion_id').notNull(),
    groupId: text('group_id').notNull(),
    position: integer('position').notNull(),
    points: numeric('points', { mode: 'number' }).notNull(),
    veto: boolean('veto').notNull(),
    judge: text('judge').$type<'yesno' | 'score'>().notNull(),
    hasMeasures: boolean('has_measures').notNull(),
  },
  (t) => [uniqueIndex('criteria_pk').on(t.standardVersionId, t.criterionId)],
);

/** One immutable version of a standard; editing makes a new row. */
export const standardVersions = pgTable(
  'standard_versions',
  {
    id: serial('id').primaryKey(),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id),
    version: integer('version').notNull(),
    doc: jsonb('doc').$type<StandardDoc>().notNull(),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('standard_versions_uq').on(t.standardId, t.version)],
);

export interface CampaignPhase {
  key: 'mobilise' | 'apply' | 'guide' | 'accept';
  name: string;
  start: string;
  end: string;
}

/** A region's yearly round (创建活动). */
export const campaigns = pgTable('campaigns', {
  id: serial('id').primaryKey(),
  regionId: integer('region_id')
    .notNull()
    .references(() => regions.id),
  orgId: integer('org_id')
    .notNull()
    .references(() => organisations.id),
  year: integer('year').notNull(),
  name: text('name').notNull(),
  applyDeadline: date('apply_deadline', { mode: 'string' }).notNull(),
  reviewDeadline: date('review_deadline', { mode: 'string' }).notNull(),
  phases: jsonb('phases')
    .$type<CampaignPhase[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  /** the review chain: who owns each step (core chain.ts); null on rows older than chains = DEFAULT_CHAIN */
  chain: jsonb('chain').$type<Chain>(),
  /** a notice lasts at least this many working days */
  minNoticeDays: integer('min_notice_days').notNull().default(5),
  /** for 004 recommendations: the campaign of the level above this one recommends into */
  parentCampaignId: integer('parent_campaign_id'),
  status: text('status').$type<'active' | 'withdrawn'>().notNull().default('active'),
  withdrawnReason: text('withdrawn_reason'),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  revision: integer('revision').notNull().default(1),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The categories a campaign runs, each pinned to one standard version. */
export const campaignCategories = pgTable(
  'campaign_categories',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    standardVersionId: integer('standard_version_id')
      .notNull()
      .references(() => standardVersions.id),
    quota: integer('quota'),
  },
  (t) => [uniqueIndex('campaign_categories_uq').on(t.campaignId, t.categoryCode)],
);

/** 申报 */
export const applications = pgTable(
  'applications',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    standardVersionId: integer('standard_version_id')
      .notNull()
      .references(() => standardVersions.id),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id),
    /** the subject's region, copied so scope checks need no join */
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    regionPath: text('region_path').notNull(),
    /** the subject's supervising department, copied: under 000 it is the 牵头部门 that reviews it */
    supervisingDept: text('supervising_dept'),
    status: text('status').$type<ApplicationStatus>().notNull().default('draft'),
    /** the chain step that holds the application now (submitted / preliminary_passed); null otherwise */
    step: text('step'),
    /** 004: the office that recommended it into this campaign, and the lower title it holds */
    recommendedByOrgId: integer('recommended_by_org_id').references(() => organisations.id),
    lowerTitleId: integer('lower_title_id'),
    /** 000: chosen in the 4-star 评选 (null = not decided) */
    selected: boolean('selected'),
    form: jsonb('form')
      .$type<ApplicationForm>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** the form's contact phone, kept out of the JSON and encrypted at rest (pii.ts) */
    contactPhone: text('contact_phone'),
    /** how many times it has been submitted: each submission freezes a numbered revision */
    submissions: integer('submissions').notNull().default(0),
    /** bumped on every write; a stale save is refused instead of overwriting */
    revision: integer('revision').notNull().default(1),
    rating: jsonb('rating').$type<Rating>(),
    score: numeric('score', { mode: 'number' }),
    stars: integer('stars'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('applications_scope_idx').on(t.regionPath, t.categoryCode),
    index('applications_campaign_idx').on(t.campaignId, t.status),
    index('applications_step_idx').on(t.campaignId, t.step),
    index('applications_updated_idx').on(t.updatedAt, t.id),
    // the dashboard's and the list's counts: every column they read, so the count needs no table row
    index('applications_counts_idx').on(t.regionPath, t.status, t.categoryCode, t.supervisingDept),
    uniqueIndex('applications_one_per_subject').on(t.campaignId, t.categoryCode, t.subjectId),
  ],
);

/** The applicant's self-assessment per criterion (自查自评). */
export const answers = pgTable(
  'answers',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    criterionId: text('criterion_id').notNull(),
    statement: text('statement'),
    figures: jsonb('figures')
      .$type<CriterionAnswer['figures']>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** the core's verdict on the figures, taken when they are saved: true, false, or null = incomplete */
    figuresMet: boolean('figures_met'),
  },
  (t) => [uniqueIndex('answers_pk').on(t.applicationId, t.criterionId)],
);

export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    criterionId: text('criterion_id'),
    /** an answer to a rectification request (整改) */
    rectificationId: integer('rectification_id'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: integer('uploaded_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    /** the submission that froze this file: from then on it cannot be deleted, only withdrawn from later revisions */
    frozenIn: integer('frozen_in'),
    /** taken out of the current revision after a return; the file and its row stay for the history */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [index('evidence_app_idx').on(t.applicationId)],
);

/** What was submitted, frozen: one row per submission (提交版本). A return opens the next one. */
export const applicationRevisions = pgTable(
  'application_revisions',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    /** 1 for the first submission, 2 after the first return, … */
    no: integer('no').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    submittedBy: integer('submitted_by').references(() => users.id),
    /** the form as submitted (the contact phone stays encrypted in contactPhone) */
    form: jsonb('form').$type<ApplicationForm>().notNull(),
    contactPhone: text('contact_phone'),
    answers: jsonb('answers').$type<{ criterionId: string; statement: string | null; figures: CriterionAnswer['figures'] }[]>().notNull(),
    /** the evidence files in this revision, by id with their hashes */
    evidence: jsonb('evidence').$type<{ id: number; criterionId: string | null; fileName: string; sha256: string }[]>().notNull(),
  },
  (t) => [uniqueIndex('application_revisions_uq').on(t.applicationId, t.no)],
);

/** One reviewer's pass over an application at one stage. */
export const reviews = pgTable(
  'reviews',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    stage: text('stage').$type<ReviewStage>().notNull(),
    /** the chain step the review belongs to; one review per reviewer and step, updated in place */
    step: text('step').notNull().default(''),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => users.id),
    orgId: integer('org_id').references(() => organisations.id),
    comment: text('comment'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reviews_app_idx').on(t.applicationId), uniqueIndex('reviews_one_per_step').on(t.applicationId, t.step, t.reviewerId)],
);

export const reviewScores = pgTable(
  'review_scores',
  {
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    criterionId: text('criterion_id').notNull(),
    score: numeric('score', { mode: 'number' }),
    met: boolean('met'),
    notApplicable: boolean('not_applicable').notNull().default(false),
    comment: text('comment'),
  },
  (t) => [uniqueIndex('review_scores_pk').on(t.reviewId, t.criterionId), index('review_scores_app_idx').on(t.applicationId)],
);

/** Every change of state: who, when, from, to, why. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    actorId: integer('actor_id').references(() => users.id),
    action: text('action').notNull(),
    fromStatus: text('from_status').$type<ApplicationStatus>(),
    toStatus: text('to_status').$type<ApplicationStatus>().notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('events_app_idx').on(t.applicationId)],
);

/** 公示 */
export const publicNotices = pgTable('public_notices', {
  id: serial('id').primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => campaigns.id),
  regionId: integer('region_id')
    .notNull()
    .references(() => regions.id),
  orgId: integer('org_id')
    .notNull()
    .references(() => organisations.id),
  title: text('title').notNull(),
  body: text('body'),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  publishedBy: integer('published_by')
    .notNull()
    .references(() => users.id),
  status: text('status').$type<'active' | 'withdrawn'>().notNull().default('active'),
  withdrawnReason: text('withdrawn_reason'),
  revision: integer('revision').notNull().default(1),
  /** the notice's address on public pages (random, 16 characters): internal ids never go public */
  publicCode: text('public_code').notNull().unique(),
  createdAt: createdAt(),
});

export const noticeItems = pgTable(
  'notice_items',
  {
    noticeId: integer('notice_id')
      .notNull()
      .references(() => publicNotices.id),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    /** withdrawn or returned during the notice, with the reason (shown on the public notice) */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedReason: text('removed_reason'),
    /** the candidate's public reference on the notice (random), e.g. for an objection */
    publicCode: text('public_code').notNull().unique(),
  },
  (t) => [uniqueIndex('notice_items_pk').on(t.noticeId, t.applicationId)],
);

/** A conferred title with its certificate number for public verification. */
export const titles = pgTable(
  'titles',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .unique()
      .references(() => applications.id),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id),
    regionPath: text('region_path').notNull(),
    categoryCode: text('category_code').notNull(),
    titleName: text('title_name').notNull(),
    year: integer('year').notNull(),
    stars: integer('stars').notNull(),
    level: text('level').$type<TitleLevel>().notNull(),
    issuer: text('issuer').notNull(),
    certificateNo: text('certificate_no').notNull().unique(),
    conferredOn: date('conferred_on', { mode: 'string' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
    /** live status (core titleStatus.ts): valid, suspended (黄牌警告) or revoked; expiry is by validUntil */
    status: text('status').$type<TitleStatusStored>().notNull().default('valid'),
    statusReason: text('status_reason'),
    statusSince: date('status_since', { mode: 'string' }),
    /** last day the title holds (YYYY-MM-DD); after it the public page says 已到期 */
    validUntil: date('valid_until', { mode: 'string' }),
    /** the naming document (命名文件), e.g. 云安〔2026〕3号 */
    namingDocument: text('naming_document'),
    /** the signed certificate data (canonical JSON) and its signature, base64 (Ed25519 or SM2) */
    signedData: text('signed_data'),
    signature: text('signature'),
    signatureAlg: text('signature_alg'),
  },
  // the titles in a scope (region subtree, categories) and the dashboard's count by stars
  (t) => [index('titles_scope_idx').on(t.regionPath, t.categoryCode, t.stars)],
);

/** A title's history (有效, 黄牌警告, 已撤销, 星级调整, 申诉…), shown on its public page. */
export const titleEvents = pgTable(
  'title_events',
  {
    id: serial('id').primaryKey(),
    titleId: integer('title_id')
      .notNull()
      .references(() => titles.id),
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    fromStars: integer('from_stars'),
    toStars: integer('to_stars'),
    reason: text('reason'),
    incidentId: integer('incident_id'),
    appealId: integer('appeal_id'),
    actorId: integer('actor_id').references(() => users.id),
    on: date('on', { mode: 'string' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('title_events_title_idx').on(t.titleId)],
);

// ───────────────────────────── the public's part ─────────────────────────────

/**
 * One-time codes sent by SMS to confirm a phone number (objections, votes). The phone is kept only
 * as a keyed hash; the code only as a hash; a code is used once and expires.
 */
export const phoneCodes = pgTable(
  'phone_codes',
  {
    id: serial('id').primaryKey(),
    phoneHash: text('phone_hash').notNull(),
    purpose: text('purpose').$type<'objection' | 'vote' | 'survey'>().notNull(),
    codeHash: text('code_hash').notNull(),
    /** keyed hash of the client address, for throttling */
    ipHash: text('ip_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('phone_codes_phone_idx').on(t.phoneHash, t.createdAt), index('phone_codes_ip_idx').on(t.ipHash, t.createdAt)],
);

/** 异议: an objection to a candidate on a public notice, by name and confirmed phone or anonymous. */
export const objections = pgTable(
  'objections',
  {
    id: serial('id').primaryKey(),
    /** the receipt the objector keeps to follow the objection (random) */
    publicCode: text('public_code').notNull().unique(),
    noticeId: integer('notice_id')
      .notNull()
      .references(() => publicNotices.id),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    anonymous: boolean('anonymous').notNull(),
    /** real-name objections: the name and the confirmed phone, encrypted (pii.ts); hash for throttling */
    objectorName: text('objector_name'),
    objectorPhone: text('objector_phone'),
    phoneHash: text('phone_hash'),
    ipHash: text('ip_hash').notNull(),
    text: text('text').notNull(),
    status: text('status').$type<'open' | 'investigating' | 'upheld' | 'dismissed'>().notNull().default('open'),
    /** when upheld: what happened to the candidate */
    outcome: text('outcome').$type<'withdrawn' | 'stars_lowered' | null>(),
    /** the written reply (书面答复), shown to the objector by receipt */
    reply: text('reply'),
    findings: text('findings'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    revision: integer('revision').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('objections_app_idx').on(t.applicationId), index('objections_notice_idx').on(t.noticeId, t.status)],
);

/** Evidence files attached to an objection (stored like evidence: FileStorage, sha256). */
export const objectionFiles = pgTable('objection_files', {
  id: serial('id').primaryKey(),
  objectionId: integer('objection_id')
    .notNull()
    .references(() => objections.id),
  storageKey: text('storage_key').notNull(),
  fileName: text('file_name').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: createdAt(),
});

/** 网络评选: an online vote over a campaign category's candidates. */
export const votes = pgTable('votes', {
  id: serial('id').primaryKey(),
  publicCode: text('public_code').notNull().unique(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => campaigns.id),
  categoryCode: text('category_code').notNull(),
  title: text('title').notNull(),
  body: text('body'),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  /** how many candidates a voter may choose */
  maxChoices: integer('max_choices').notNull(),
  /** the vote's weight in the decision, in percent (0–100) */
  weightPercent: integer('weight_percent').notNull(),
  status: text('status').$type<'open' | 'closed' | 'cancelled'>().notNull().default('open'),
  createdBy: integer('created_by')
    .notNull()
    .references(() => users.id),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  revision: integer('revision').notNull().default(1),
  createdAt: createdAt(),
});

export const voteCandidates = pgTable(
  'vote_candidates',
  {
    id: serial('id').primaryKey(),
    voteId: integer('vote_id')
      .notNull()
      .references(() => votes.id),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    publicCode: text('public_code').notNull().unique(),
  },
  (t) => [uniqueIndex('vote_candidates_uq').on(t.voteId, t.applicationId)],
);

/** One ballot per voter per vote: the unique index makes a second one impossible. */
export const ballots = pgTable(
  'ballots',
  {
    id: serial('id').primaryKey(),
    voteId: integer('vote_id')
      .notNull()
      .references(() => votes.id),
    /** keyed hash of the confirmed phone number: the number itself is never stored */
    voterHash: text('voter_hash').notNull(),
    /** keyed hashes of the network (/24 or /48) and of the device (user agent + client hint) */
    networkHash: text('network_hash').notNull(),
    deviceHash: text('device_hash').notNull(),
    /** anomaly flags computed by the office's check: burst_network, same_device, time_cluster */
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    setAside: boolean('set_aside').notNull().default(false),
    setAsideReason: text('set_aside_reason'),
    setAsideBy: integer('set_aside_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ballots_voter_uq').on(t.voteId, t.voterHash), index('ballots_vote_idx').on(t.voteId, t.createdAt)],
);

export const ballotChoices = pgTable(
  'ballot_choices',
  {
    ballotId: integer('ballot_id')
      .notNull()
      .references(() => ballots.id),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => voteCandidates.id),
  },
  (t) => [uniqueIndex('ballot_choices_pk').on(t.ballotId, t.candidateId), index('ballot_choices_cand_idx').on(t.candidateId)],
);

// ───────────────────────────── incidents ─────────────────────────────

/** A serious case recorded against a unit or a region (命案, 重大安全事故…), and what it costs. */
export const incidents = pgTable(
  'incidents',
  {
    id: serial('id').primaryKey(),
    type: text('type').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    place: text('place').notNull(),
    description: text('description').notNull(),
    /** against a unit/household (subjectId) or against a region (regionId): exactly one is set */
    subjectId: integer('subject_id').references(() => subjects.id),
    regionId: integer('region_id').references(() => regions.id),
    /** for scope: the subject's or the region's path */
    regionPath: text('region_path').notNull(),
    reportedByOrg: integer('reported_by_org')
      .notNull()
      .references(() => organisations.id),
    reportedBy: integer('reported_by')
      .notNull()
      .references(() => users.id),
    status: text('status').$type<'reported' | 'confirmed' | 'dismissed'>().notNull().default('reported'),
    /** the consequence proposed by the rules and the one the office confirmed */
    proposedConsequence: text('proposed_consequence').notNull(),
    consequence: text('consequence'),
    decisionReason: text('decision_reason'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedOn: date('decided_on', { mode: 'string' }),
    /** the holder may appeal until this day (inclusive) */
    appealUntil: date('appeal_until', { mode: 'string' }),
    /** 取消下一年度评先资格: the year the subject may not apply for */
    ineligibleYear: integer('ineligible_year'),
    revision: integer('revision').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('incidents_subject_idx').on(t.subjectId), index('incidents_path_idx').on(t.regionPath)],
);

export const incidentFiles = pgTable('incident_files', {
  id: serial('id').primaryKey(),
  incidentId: integer('incident_id')
    .notNull()
    .references(() => incidents.id),
  storageKey: text('storage_key').notNull(),
  fileName: text('file_name').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: createdAt(),
});

/** A title's affected by a confirmed incident: which titles, and how. */
export const incidentTitles = pgTable(
  'incident_titles',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    titleId: integer('title_id')
      .notNull()
      .references(() => titles.id),
    fromStatus: text('from_status').notNull(),
    fromStars: integer('from_stars').notNull(),
  },
  (t) => [uniqueIndex('incident_titles_pk').on(t.incidentId, t.titleId)],
);

/** 申诉: the holder appeals an incident's consequence within the set days; the office decides. */
export const appeals = pgTable(
  'appeals',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    filedBy: integer('filed_by')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    status: text('status').$type<'open' | 'upheld' | 'dismissed'>().notNull().default('open'),
    reply: text('reply'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('appeals_incident_uq').on(t.incidentId)],
);

/** 证书批量生成: a campaign's certificates as one print PDF and a zip of one file per unit. */
export const certificateBatches = pgTable('certificate_batches', {
  id: serial('id').primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => campaigns.id),
  layout: text('layout').$type<'plaque' | 'a4'>().notNull(),
  status: text('status').$type<'running' | 'done' | 'failed'>().notNull().default('running'),
  done: integer('done').notNull().default(0),
  total: integer('total').notNull().default(0),
  pdfKey: text('pdf_key'),
  zipKey: text('zip_key'),
  error: text('error'),
  createdBy: integer('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

// ───────────────────────────── owners of each step ─────────────────────────────

/** 会签: one row per department named on an application at a signoff step. */
export const signoffs = pgTable(
  'signoffs',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    step: text('step').notNull(),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    deptCode: text('dept_code').notNull(),
    status: text('status').$type<'pending' | 'signed' | 'overridden'>().notNull().default('pending'),
    deadline: date('deadline', { mode: 'string' }),
    comment: text('comment'),
    signedBy: integer('signed_by').references(() => users.id),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    overrideReason: text('override_reason'),
    overriddenBy: integer('overridden_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('signoffs_uq').on(t.applicationId, t.step, t.orgId), index('signoffs_org_idx').on(t.orgId, t.status)],
);

/** An expert in a pool: the level (region) and the domains (category codes) they check. */
export const expertProfiles = pgTable('expert_profiles', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  /** the region whose pool the expert belongs to */
  regionId: integer('region_id')
    .notNull()
    .references(() => regions.id),
  domains: jsonb('domains')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  /** the unit the expert works at, for 回避 */
  employerSubjectId: integer('employer_subject_id').references(() => subjects.id),
  /** where the expert lives or works (village/community or street), for 回避 */
  homeRegionId: integer('home_region_id').references(() => regions.id),
  /** declared relations: subjects the expert must not check */
  relatedSubjectIds: jsonb('related_subject_ids')
    .$type<number[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  /** the most open assignments at once */
  maxLoad: integer('max_load').notNull().default(10),
});

export const expertAssignments = pgTable(
  'expert_assignments',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    expertId: integer('expert_id')
      .notNull()
      .references(() => users.id),
    status: text('status').$type<'open' | 'done' | 'withdrawn'>().notNull().default('open'),
    dueOn: date('due_on', { mode: 'string' }),
    assignedBy: integer('assigned_by')
      .notNull()
      .references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('expert_assignments_uq').on(t.applicationId, t.expertId),
    index('expert_assignments_expert_idx').on(t.expertId, t.status),
  ],
);

/** An on-site check (现场核查): where and when it was done, by whom. */
export const onsiteChecks = pgTable(
  'onsite_checks',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    assignmentId: integer('assignment_id').references(() => expertAssignments.id),
    expertId: integer('expert_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').$type<'onsite' | 'documents'>().notNull().default('onsite'),
    status: text('status').$type<'draft' | 'submitted'>().notNull().default('draft'),
    place: text('place'),
    latitude: numeric('latitude', { mode: 'number' }),
    longitude: numeric('longitude', { mode: 'number' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    summary: text('summary'),
  },
  (t) => [uniqueIndex('onsite_checks_uq').on(t.applicationId, t.expertId)],
);

/** One finding of a check, per criterion; becomes the expert's onsite score. */
export const onsiteFindings = pgTable(
  'onsite_findings',
  {
    checkId: integer('check_id')
      .notNull()
      .references(() => onsiteChecks.id),
    criterionId: text('criterion_id').notNull(),
    met: boolean('met'),
    score: numeric('score', { mode: 'number' }),
    note: text('note'),
    /** figures the expert verified on site, by measure id */
    figures: jsonb('figures')
      .$type<Record<string, number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [uniqueIndex('onsite_findings_pk').on(t.checkId, t.criterionId)],
);

export const onsitePhotos = pgTable(
  'onsite_photos',
  {
    id: serial('id').primaryKey(),
    checkId: integer('check_id')
      .notNull()
      .references(() => onsiteChecks.id),
    criterionId: text('criterion_id'),
    storageKey: text('storage_key').notNull(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    /** capture time and position, from EXIF or else from the browser */
    takenAt: timestamp('taken_at', { withTimezone: true }),
    latitude: numeric('latitude', { mode: 'number' }),
    longitude: numeric('longitude', { mode: 'number' }),
    source: text('source').$type<'exif' | 'browser' | 'none'>().notNull().default('none'),
    uploadedBy: integer('uploaded_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('onsite_photos_check_idx').on(t.checkId)],
);

/** 整改: a finding asks the unit to fix something by a date; the unit answers; the expert re-checks. */
export const rectifications = pgTable(
  'rectifications',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    checkId: integer('check_id').references(() => onsiteChecks.id),
    criterionId: text('criterion_id').notNull(),
    request: text('request').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    status: text('status').$type<'open' | 'answered' | 'accepted' | 'reopened'>().notNull().default('open'),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    answer: text('answer'),
    answeredBy: integer('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    recheckNote: text('recheck_note'),
    recheckedBy: integer('rechecked_by').references(() => users.id),
    recheckedAt: timestamp('rechecked_at', { withTimezone: true }),
  },
  (t) => [index('rectifications_app_idx').on(t.applicationId)],
);

/** 明查暗访: a reproducible random sample of units for a quarter's checks. */
export const inspectionSamples = pgTable('inspection_samples', {
  id: serial('id').primaryKey(),
  regionId: integer('region_id')
    .notNull()
    .references(() => regions.id),
  orgId: integer('org_id')
    .notNull()
    .references(() => organisations.id),
  year: integer('year').notNull(),
  quarter: integer('quarter').notNull(),
  mode: text('mode').$type<'announced' | 'unannounced'>().notNull(),
  /** the seed the sample was drawn with: the same seed and population give the same sample */
  seed: text('seed').notNull(),
  size: integer('size').notNull(),
  population: integer('population').notNull(),
  createdBy: integer('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});

export const inspectionItems = pgTable(
  'inspection_items',
  {
    id: serial('id').primaryKey(),
    sampleId: integer('sample_id')
      .notNull()
      .references(() => inspectionSamples.id),
    subjectId: integer('subject_id')
      .notNull()
      .references(() => subjects.id),
    regionPath: text('region_path').notNull(),
    score: numeric('score', { mode: 'number' }),
    findings: text('findings'),
    inspectedOn: date('inspected_on', { mode: 'string' }),
    inspectorId: integer('inspector_id').references(() => users.id),
  },
  (t) => [uniqueIndex('inspection_items_uq').on(t.sampleId, t.subjectId)],
);

/** Quotas of a campaign: per lower region (004 附件 table 1) or per department (table 2), per brand. */
export const campaignQuotas = pgTable(
  'campaign_quotas',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    /** the recommending body: a lower region's office or a department of the campaign's region */
    regionId: integer('region_id').references(() => regions.id),
    deptCode: text('dept_code'),
    /** category code (brand / domain) the quota is for */
    categoryCode: text('category_code').notNull(),
    count: integer('count').notNull(),
    source: text('source').$type<'table' | 'manual' | 'import'>().notNull().default('manual'),
  },
  (t) => [uniqueIndex('campaign_quotas_uq').on(t.campaignId, t.categoryCode, t.regionId, t.deptCode)],
);

/** 4-star 评选: the ranking among candidates and who was chosen within the number. */
export const selections = pgTable('selections', {
  id: serial('id').primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => campaigns.id),
  categoryCode: text('category_code').notNull(),
  stars: integer('stars').notNull(),
  capacity: integer('capacity').notNull(),
  ranking: jsonb('ranking').$type<{ applicationId: number; score: number; rank: number; selected: boolean; reason: string }[]>().notNull(),
  decidedBy: integer('decided_by')
    .notNull()
    .references(() => users.id),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
});

// ───────────────────────────── telling people ─────────────────────────────

/** In-app notification centre. */
export const notifications = pgTable(
  'notifications',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    /** a reminder sent once: (user, key) is unique, e.g. "deadline:signoff:42" */
    dedupeKey: text('dedupe_key'),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.readAt), uniqueIndex('notifications_dedupe').on(t.userId, t.dedupeKey)],
);

/** Mail and SMS wait here until a sender has taken them: nothing is lost when a sender fails. */
export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    channel: text('channel').$type<'mail' | 'sms'>().notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status').$type<'pending' | 'sent' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * The audit trail (审计日志): every security event and every write. Append-only: a trigger refuses
 * UPDATE and DELETE (migration 0003), except the audit administrator's purge of rows older than the
 * retention period. Each row's hash is an HMAC over its content and the previous row's hash.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: integer('user_id'),
    username: text('username'),
    role: text('role'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** e.g. login.ok, login.failed, application.submit, evidence.upload, export.applications, pii.view */
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    result: text('result').$type<'ok' | 'denied' | 'failed'>().notNull(),
    /** small, never a request body or personal data */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_at_idx').on(t.at), index('audit_user_idx').on(t.userId, t.at), index('audit_action_idx').on(t.action, t.at)],
);

/** Security settings the security administrator sets (安全策略): one row per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// ───────────────────────────── regions assessed (issue 8) ─────────────────────────────

export type IndicatorSource = 'computed' | 'survey' | 'import' | 'manual';

/**
 * A region's figure for a year (五个90%, 两率一度, coverage, pass rate, inspection score …): computed
 * from the data the system holds, taken from a survey, imported, or entered with its source.
 * One row per (region, year, indicator); recomputing replaces it, keeping where it came from.
 */
export const regionIndicators = pgTable(
  'region_indicators',
  {
    id: serial('id').primaryKey(),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    year: integer('year').notNull(),
    /** indicator id: participation, prevention_coverage, legal_team_satisfaction, public_safety_feeling, pass_rate, coverage, awareness, two_rates_one_degree, inspection_score, incidents */
    indicator: text('indicator').notNull(),
    value: numeric('value', { mode: 'number' }).notNull(),
    source: text('source').$type<IndicatorSource>().notNull(),
    /** what it came from: a survey's public code, 'applications', 'inspections', a file name */
    sourceRef: text('source_ref'),
    /** how: numerator and denominator, responses, the note of a manual entry */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    recordedBy: integer('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('region_indicators_uq').on(t.regionId, t.year, t.indicator),
    index('region_indicators_year_idx').on(t.year, t.indicator),
  ],
);

export interface SurveyQuestion {
  /** stable within the survey: q1, q2 … */
  id: string;
  kind: 'satisfaction' | 'scale' | 'yes_no' | 'single' | 'open';
  text: string;
  textEn?: string;
  /** single: the options; satisfaction: 满意/基本满意/不满意 (fixed) */
  options?: string[];
  /** scale: 1..max */
  max?: number;
  required: boolean;
  /** the indicator this question measures: its favourable share becomes the region's figure */
  indicator?: string | null;
}

/** A questionnaire (两率一度, 安全感, 知晓率, or a unit's own 民调) and how it is answered. */
export const surveys = pgTable(
  'surveys',
  {
    id: serial('id').primaryKey(),
    /** the public address: /s/<code> */
    publicCode: text('public_code').notNull(),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    kind: text('kind').$type<'two_rates_one_degree' | 'safety_feeling' | 'awareness' | 'satisfaction' | 'custom'>().notNull(),
    intro: text('intro'),
    questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
    /** one answer per phone number (kept as a keyed hash) or per invitation code */
    identity: text('identity').$type<'phone' | 'invitation'>().notNull().default('phone'),
    /** a unit's own survey (a school's parents): its result fills that measure of the unit's application */
    subjectId: integer('subject_id').references(() => subjects.id),
    measure: jsonb('measure').$type<{ categoryCode: string; criterionId: string; measureId: string } | null>(),
    status: text('status').$type<'draft' | 'open' | 'closed'>().notNull().default('draft'),
    opensOn: date('opens_on', { mode: 'string' }),
    closesOn: date('closes_on', { mode: 'string' }),
    revision: integer('revision').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('surveys_public_code_uq').on(t.publicCode), index('surveys_region_idx').on(t.regionId, t.year)],
);

/** The sampling plan: how many answers each county or street should bring. */
export const surveyTargets = pgTable(
  'survey_targets',
  {
    id: serial('id').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    target: integer('target').notNull(),
    basis: text('basis').$type<'population' | 'households' | 'manual'>().notNull().default('manual'),
  },
  (t) => [uniqueIndex('survey_targets_uq').on(t.surveyId, t.regionId)],
);

/** Invitation codes handed out (by 入户 visit, letter, SMS): kept as keyed hashes, each answers once. */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: serial('id').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    regionId: integer('region_id').references(() => regions.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('survey_invitations_uq').on(t.surveyId, t.codeHash)],
);

/** One answer sheet: anonymous; who answered is only a keyed hash, to keep it to one. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: serial('id').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    /** the respondent's county / street / village, as chosen on the form or given by the invitation */
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    respondentHash: text('respondent_hash'),
    invitationId: integer('invitation_id').references(() => surveyInvitations.id),
    channel: text('channel').$type<'web' | 'telephone'>().notNull().default('web'),
    /** question id → the answer: option text, scale number, true/false, or open text */
    answers: jsonb('answers').$type<Record<string, string | number | boolean>>().notNull(),
    /** a telephone import: the file it came from */
    importRef: text('import_ref'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('survey_responses_respondent_uq').on(t.surveyId, t.respondentHash),
    uniqueIndex('survey_responses_invitation_uq').on(t.invitationId),
    index('survey_responses_region_idx').on(t.surveyId, t.regionId),
  ],
);

export interface RankingComponent {
  /** an indicator id, or 'inspection_score' / 'incidents' */
  indicator: string;
  label: string;
  weight: number;
  /** 'higher' is better (rates), 'lower' is better (incidents) */
  better: 'higher' | 'lower';
}

export interface RankingRow {
  regionId: number;
  region: string;
  score: number;
  rank: number;
  components: { indicator: string; value: number | null; points: number; source: string | null }[];
  yellowCard: boolean;
  veto: boolean;
  lastStreak: number;
  ineligible: boolean;
  reasons: string[];
}

/** The yearly ranking (全年名次) of the subregions of one region at one level. */
export const regionRankings = pgTable(
  'region_rankings',
  {
    id: serial('id').primaryKey(),
    /** the region whose subregions are ranked: the city for counties (003), the city for towns (004) */
    scopeRegionId: integer('scope_region_id')
      .notNull()
      .references(() => regions.id),
    level: text('level').$type<'county' | 'town' | 'village'>().notNull(),
    year: integer('year').notNull(),
    components: jsonb('components').$type<RankingComponent[]>().notNull(),
    rows: jsonb('rows').$type<RankingRow[]>().notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: integer('published_by').references(() => users.id),
  },
  (t) => [uniqueIndex('region_rankings_uq').on(t.scopeRegionId, t.level, t.year)],
);

/**
 * What a published ranking brings a region: 黄牌警告 (last), 一票否决 (three years last: no titles or
 * awards in `year`), 取消评先资格 (两率一度 below the average and in the bottom ten). Applications of
 * the region and of its units in a campaign of `year` are refused with the rule named.
 */
export const regionSanctions = pgTable(
  'region_sanctions',
  {
    id: serial('id').primaryKey(),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id),
    /** the year the sanction bars (the ranking's year + 1 for a veto / ineligibility; the year itself for a card) */
    year: integer('year').notNull(),
    kind: text('kind').$type<'yellow_card' | 'veto' | 'ineligible'>().notNull(),
    /** the rule's id in the encoded document (veto, county_two_rates_one_degree …) */
    ruleId: text('rule_id').notNull(),
    reason: text('reason').notNull(),
    rankingId: integer('ranking_id').references(() => regionRankings.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('region_sanctions_uq').on(t.regionId, t.year, t.kind), index('region_sanctions_year_idx').on(t.year)],
);

/** 报备: what a lower level must file with the level above in a campaign, by when. */
export const filingRequirements = pgTable(
  'filing_requirements',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    kind: text('kind').$type<'plan' | 'standards' | 'demo_sites' | 'summary'>().notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** who files: the offices of the subregions at this level, or the campaign region's departments */
    filers: text('filers').$type<'county' | 'town' | 'department'>().notNull(),
    /** the source's words: 3月20日前…向市综治办上报备案 */
    text: text('text'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('filing_requirements_uq').on(t.campaignId, t.kind, t.filers)],
);

/** One filer's filing against a requirement: drafted, submitted, accepted or returned with a reason. */
export const filings = pgTable(
  'filings',
  {
    id: serial('id').primaryKey(),
    requirementId: integer('requirement_id')
      .notNull()
      .references(() => filingRequirements.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    status: text('status').$type<'draft' | 'submitted' | 'accepted' | 'returned'>().notNull().default('draft'),
    /** the document itself (storage key) and its name */
    fileKey: text('file_key'),
    fileName: text('file_name'),
    /** a structured part: the demo-site list, the summary's figures and text */
    content: jsonb('content').$type<Record<string, unknown>>(),
    note: text('note'),
    reason: text('reason'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: integer('decided_by').references(() => users.id),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    revision: integer('revision').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('filings_uq').on(t.requirementId, t.orgId)],
);

// ───────────────────────────── background jobs ─────────────────────────────

/**
 * Long work (batch rating, roster imports, certificate batches) as one row per job: its state and
 * progress live here, so any server node answers the poll. On PostgreSQL the work itself is queued in
 * pg-boss (its own schema `pgboss`), which hands it to whichever node is free and to another when
 * the node running it dies; on PGlite (one process) it runs in this process.
 */
export const backgroundJobs = pgTable(
  'background_jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    ownerUserId: integer('owner_user_id')
      .notNull()
      .references(() => users.id),
    state: text('state').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull().default(0),
    /** for the person at the screen, in Chinese */
    message: text('message').notNull().default('任务已排队'),
    /** what the work needs to start or start again (ids, a storage key), never personal data */
    input: jsonb('input').notNull().default({}),
    result: jsonb('result'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('background_jobs_owner_idx').on(t.ownerUserId, t.createdAt)],
);
