import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ApplicationForm, ApplicationStatus, CriterionAnswer, Rating, ReviewStage, Role, StandardDoc } from '@pingan/core';

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
  },
  (t) => [index('regions_path_idx').on(t.path)],
);

/** A region's 平安办 or one of its departments. */
export const organisations = pgTable('organisations', {
  id: serial('id').primaryKey(),
  regionId: integer('region_id').notNull().references(() => regions.id),
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
    regionId: integer('region_id').notNull().references(() => regions.id),
    unitType: text('unit_type'),
    supervisingDept: text('supervising_dept'),
    households: integer('households'),
    staff: integer('staff'),
    address: text('address'),
  },
  (t) => [index('subjects_region_idx').on(t.regionId)],
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
  createdAt: createdAt(),
});

export const sessions = pgTable('sessions', {
  /** sha256 of the cookie token: a leaked table does not give live sessions */
  tokenHash: text('token_hash').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});

/** A category (创建类别/品牌) and which department leads and cooperates on it. */
export const categories = pgTable('categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  leadDepts: jsonb('lead_depts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  cooperateDepts: jsonb('cooperate_depts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
});

export const standards = pgTable('standards', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  categoryCode: text('category_code').notNull().references(() => categories.code),
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
    standardVersionId: integer('standard_version_id').notNull().references(() => standardVersions.id),
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
    standardId: integer('standard_id').notNull().references(() => standards.id),
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
  regionId: integer('region_id').notNull().references(() => regions.id),
  orgId: integer('org_id').notNull().references(() => organisations.id),
  year: integer('year').notNull(),
  name: text('name').notNull(),
  applyDeadline: date('apply_deadline', { mode: 'string' }).notNull(),
  reviewDeadline: date('review_deadline', { mode: 'string' }).notNull(),
  phases: jsonb('phases').$type<CampaignPhase[]>().notNull().default(sql`'[]'::jsonb`),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
});

/** The categories a campaign runs, each pinned to one standard version. */
export const campaignCategories = pgTable(
  'campaign_categories',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
    categoryCode: text('category_code').notNull().references(() => categories.code),
    standardVersionId: integer('standard_version_id').notNull().references(() => standardVersions.id),
    quota: integer('quota'),
  },
  (t) => [uniqueIndex('campaign_categories_uq').on(t.campaignId, t.categoryCode)],
);

/** 申报 */
export const applications = pgTable(
  'applications',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
    categoryCode: text('category_code').notNull().references(() => categories.code),
    standardVersionId: integer('standard_version_id').notNull().references(() => standardVersions.id),
    subjectId: integer('subject_id').notNull().references(() => subjects.id),
    /** the subject's region, copied so scope checks need no join */
    regionId: integer('region_id').notNull().references(() => regions.id),
    regionPath: text('region_path').notNull(),
    status: text('status').$type<ApplicationStatus>().notNull().default('draft'),
    form: jsonb('form').$type<ApplicationForm>().notNull().default(sql`'{}'::jsonb`),
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
    uniqueIndex('applications_one_per_subject').on(t.campaignId, t.categoryCode, t.subjectId),
  ],
);

/** The applicant's self-assessment per criterion (自查自评). */
export const answers = pgTable(
  'answers',
  {
    applicationId: integer('application_id').notNull().references(() => applications.id),
    criterionId: text('criterion_id').notNull(),
    statement: text('statement'),
    figures: jsonb('figures').$type<CriterionAnswer['figures']>().notNull().default(sql`'{}'::jsonb`),
    /** the core's verdict on the figures, taken when they are saved: true, false, or null = incomplete */
    figuresMet: boolean('figures_met'),
  },
  (t) => [uniqueIndex('answers_pk').on(t.applicationId, t.criterionId)],
);

export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    criterionId: text('criterion_id'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: integer('uploaded_by').notNull().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('evidence_app_idx').on(t.applicationId)],
);

/** One reviewer's pass over an application at one stage. */
export const reviews = pgTable(
  'reviews',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    stage: text('stage').$type<ReviewStage>().notNull(),
    reviewerId: integer('reviewer_id').notNull().references(() => users.id),
    orgId: integer('org_id').references(() => organisations.id),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [index('reviews_app_idx').on(t.applicationId)],
);

export const reviewScores = pgTable(
  'review_scores',
  {
    reviewId: integer('review_id').notNull().references(() => reviews.id),
    applicationId: integer('application_id').notNull().references(() => applications.id),
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
    applicationId: integer('application_id').notNull().references(() => applications.id),
    actorId: integer('actor_id').references(() => users.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('events_app_idx').on(t.applicationId)],
);

/** 公示 */
export const publicNotices = pgTable('public_notices', {
  id: serial('id').primaryKey(),
  campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
  regionId: integer('region_id').notNull().references(() => regions.id),
  orgId: integer('org_id').notNull().references(() => organisations.id),
  title: text('title').notNull(),
  body: text('body'),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  publishedBy: integer('published_by').notNull().references(() => users.id),
  createdAt: createdAt(),
});

export const noticeItems = pgTable(
  'notice_items',
  {
    noticeId: integer('notice_id').notNull().references(() => publicNotices.id),
    applicationId: integer('application_id').notNull().references(() => applications.id),
  },
  (t) => [uniqueIndex('notice_items_pk').on(t.noticeId, t.applicationId)],
);

/** A conferred title with its certificate number for public verification. */
export const titles = pgTable('titles', {
  id: serial('id').primaryKey(),
  applicationId: integer('application_id').notNull().unique().references(() => applications.id),
  subjectId: integer('subject_id').notNull().references(() => subjects.id),
  regionPath: text('region_path').notNull(),
  categoryCode: text('category_code').notNull(),
  titleName: text('title_name').notNull(),
  year: integer('year').notNull(),
  stars: integer('stars').notNull(),
  level: text('level').notNull(),
  issuer: text('issuer').notNull(),
  certificateNo: text('certificate_no').notNull().unique(),
  conferredOn: date('conferred_on', { mode: 'string' }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokeReason: text('revoke_reason'),
});
