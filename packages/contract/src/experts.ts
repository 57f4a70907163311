import { z } from 'zod';
import type { ChecklistItem as CoreChecklistItem, ChecklistMeasure as CoreChecklistMeasure } from '@pingan/core';
import { SubjectKind } from '@pingan/core';
import { DateStr, Id, IdParams, Ok, Text, Timestamp, route } from './route.js';
import { ApplicationStatus } from './common.js';
import { EvidenceFile } from './applications.js';

/**
 * Experts (专家库、指派), on-site checks (现场核查) with photos, and 整改 (rectifications): the
 * experts module's routes.
 */

const CriterionId = Text(32).min(1);
const AppParams = z.object({ applicationId: Id });
/** two decimals at most, so SQL's exact sums and the engine's agree */
const Score = z
  .number()
  .finite()
  .min(0)
  .max(1e6)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, '得分最多保留两位小数');

// ───────────── the pool and assignments ─────────────

export const PoolExpert = z
  .object({
    userId: z.number(),
    username: z.string(),
    displayName: z.string(),
    orgName: z.string(),
    disabled: z.boolean(),
    hasProfile: z.boolean(),
    /** the region whose pool holds the expert */
    poolRegionId: z.number().nullable(),
    /** category codes the expert checks; empty: every category */
    domains: z.array(z.string()),
    employerSubjectId: z.number().nullable(),
    homeRegionId: z.number().nullable(),
    relatedSubjectIds: z.array(z.number()),
    maxLoad: z.number(),
    /** open assignments now */
    load: z.number(),
  })
  .meta({ id: 'PoolExpert' });

/** A pool entry with the names of what the expert must avoid (回避). */
export const PoolEntry = PoolExpert.extend({
  employerName: z.string().nullable(),
  homeRegionName: z.string().nullable(),
  relatedNames: z.array(z.string()),
});

export const ExpertProfileInput = z.object({
  domains: z.array(Text(64).min(1)).max(50),
  employerSubjectId: Id.nullable(),
  homeRegionId: Id.nullable(),
  relatedSubjectIds: z.array(Id).max(100),
  maxLoad: z.number().int().min(0).max(200),
});

export const AssignmentStatus = z.enum(['open', 'done', 'withdrawn']);

export const ExpertAssignment = z
  .object({
    id: z.number(),
    applicationId: z.number(),
    expertId: z.number(),
    expertName: z.string(),
    status: AssignmentStatus,
    dueOn: z.string().nullable(),
    assignedAt: Timestamp,
  })
  .meta({ id: 'ExpertAssignment' });

export const AssignPage = z.object({
  campaign: z.object({ id: z.number(), name: z.string(), year: z.number() }),
  onsiteSteps: z.array(z.object({ key: z.string(), name: z.string() })),
  experts: z.array(PoolExpert),
  items: z.array(
    z.object({
      id: z.number(),
      subjectName: z.string(),
      regionName: z.string(),
      categoryCode: z.string(),
      categoryName: z.string(),
      status: ApplicationStatus,
      step: z.string().nullable(),
      assignments: z.array(ExpertAssignment),
      /** reasons to stand aside (回避), by expert id */
      conflicts: z.record(z.string(), z.array(z.string())),
    }),
  ),
});

export const AutoAssignResult = z.object({
  assigned: z.array(z.object({ applicationId: z.number(), expertId: z.number(), expertName: z.string(), subjectName: z.string() })),
  uncovered: z.array(
    z.object({ applicationId: z.number(), subjectName: z.string(), missing: z.number(), openCount: z.number(), reason: z.string() }),
  ),
  loads: z.array(z.object({ expertId: z.number(), expertName: z.string(), load: z.number(), maxLoad: z.number() })),
});

/** The details of a 422 EXPERT_CONFLICT answer: each refused expert with the reasons. */
export const ExpertRefusal = z.object({ expertId: z.number(), expertName: z.string(), reasons: z.array(z.string()) });
export type ExpertRefusal = z.infer<typeof ExpertRefusal>;

// ───────────── on-site checks ─────────────

export const CheckStatus = z.enum(['draft', 'submitted']);
export const RectificationStatus = z.enum(['open', 'answered', 'accepted', 'reopened']);

export const MyAssignment = z.object({
  assignmentId: z.number(),
  applicationId: z.number(),
  dueOn: z.string().nullable(),
  assignedAt: Timestamp,
  subjectName: z.string(),
  address: z.string().nullable(),
  regionName: z.string(),
  categoryName: z.string(),
  campaignName: z.string(),
  status: ApplicationStatus,
  checkStatus: z.enum(['none', 'draft', 'submitted']),
  openRectifications: z.number(),
});

export const ChecklistMeasure = z.object({
  id: z.string(),
  label: z.string(),
  want: z.string(),
  wantEn: z.string(),
  kind: z.enum(['threshold', 'change', 'range', 'frequency', 'distance']),
});

const CoreChecklist = z.object({
  criterionId: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  points: z.number(),
  judge: z.enum(['yesno', 'score']),
  veto: z.boolean(),
  evidence: z.array(z.string()),
  measures: z.array(ChecklistMeasure),
});

export const ChecklistItem = CoreChecklist.extend({
  /** what the unit reported, by measure id, to verify on site */
  reported: z.record(z.string(), z.number().nullable()),
  statement: z.string().nullable(),
});

export const OnsiteFinding = z.object({
  criterionId: z.string(),
  met: z.boolean().nullable(),
  score: z.number().nullable(),
  note: z.string().nullable(),
  figures: z.record(z.string(), z.number()),
});

export const OnsitePhoto = z
  .object({
    id: z.number(),
    criterionId: z.string().nullable(),
    size: z.number(),
    contentType: z.string(),
    takenAt: Timestamp.nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    /** where the capture time and position came from */
    source: z.enum(['exif', 'browser', 'none']),
    createdAt: Timestamp,
  })
  .meta({ id: 'OnsitePhoto' });

export const OnsitePage = z
  .object({
    application: z.object({
      id: z.number(),
      status: ApplicationStatus,
      step: z.string().nullable(),
      subjectName: z.string(),
      address: z.string().nullable(),
      regionName: z.string(),
      categoryName: z.string(),
      campaignName: z.string(),
    }),
    assignment: z.object({ id: z.number(), dueOn: z.string().nullable() }),
    checklist: z.array(ChecklistItem),
    check: z
      .object({
        id: z.number(),
        status: CheckStatus,
        place: z.string().nullable(),
        latitude: z.number().nullable(),
        longitude: z.number().nullable(),
        startedAt: Timestamp,
        submittedAt: Timestamp.nullable(),
        summary: z.string().nullable(),
      })
      .nullable(),
    findings: z.array(OnsiteFinding),
    photos: z.array(OnsitePhoto),
    rectifications: z.array(
      z.object({
        id: z.number(),
        criterionId: z.string(),
        request: z.string(),
        dueOn: z.string(),
        status: RectificationStatus,
        answer: z.string().nullable(),
        mine: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'OnsitePage' });

export const CheckInput = z.object({
  place: Text(200).nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  summary: Text(5000).nullish(),
  findings: z
    .array(
      z.object({
        criterionId: CriterionId,
        met: z.boolean().nullish(),
        score: Score.nullish(),
        note: Text(2000).nullish(),
        figures: z.record(Text(64), z.number().finite()).optional(),
      }),
    )
    .max(500),
});

// ───────────── 整改 ─────────────

export const Rectification = z
  .object({
    id: z.number(),
    applicationId: z.number(),
    criterionId: z.string(),
    request: z.string(),
    dueOn: z.string(),
    status: RectificationStatus,
    requestedBy: z.number(),
    requestedByName: z.string().nullable(),
    requestedAt: Timestamp,
    answer: z.string().nullable(),
    answeredAt: Timestamp.nullable(),
    recheckNote: z.string().nullable(),
    recheckedAt: Timestamp.nullable(),
    files: z.array(EvidenceFile),
    canAnswer: z.boolean(),
    canRecheck: z.boolean(),
  })
  .meta({ id: 'Rectification' });

const RectificationMoved = z.object({ id: z.number(), status: RectificationStatus });

export const expertsApi = {
  // the office: pool and assignments
  pool: route({
    id: 'listExpertPool',
    method: 'GET',
    path: '/api/experts',
    summary: '专家库 The expert pool of my region',
    tags: ['experts'],
    auth: 'session',
    query: z.object({ format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: z.object({ items: z.array(PoolEntry), categories: z.array(z.object({ code: z.string(), name: z.string() })) }),
    xlsx: true,
  }),
  searchSubjects: route({
    id: 'searchExpertSubjects',
    method: 'GET',
    path: '/api/experts/subjects',
    summary: '查找单位 Find subjects of my region by name (for 回避 facts): the first 30 by id, and whether more match',
    tags: ['experts'],
    auth: 'session',
    query: z.object({ q: Text(50).default('') }),
    status: 200,
    response: z.object({
      items: z.array(z.object({ id: z.number(), name: z.string(), kind: SubjectKind, regionName: z.string() })),
      /** more subjects match than are listed: type more of the name */
      more: z.boolean(),
    }),
  }),
  putProfile: route({
    id: 'putExpertProfile',
    method: 'PUT',
    path: '/api/experts/:id',
    summary: '设置专家信息 Put an expert into the pool (domains, 回避 facts, cap)',
    tags: ['experts'],
    auth: 'session',
    params: IdParams,
    body: ExpertProfileInput,
    status: 200,
    response: PoolExpert,
  }),
  campaignAssignments: route({
    id: 'getCampaignAssignments',
    method: 'GET',
    path: '/api/campaigns/:id/assignments',
    summary: '专家指派 Applications at the onsite step, the pool and conflicts',
    tags: ['experts'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: AssignPage,
  }),
  assign: route({
    id: 'assignExperts',
    method: 'POST',
    path: '/api/applications/:id/assignments',
    summary: '指派专家 Assign experts by hand (conflicts refused with reasons: 422 EXPERT_CONFLICT, details.refusals)',
    tags: ['experts'],
    auth: 'session',
    params: IdParams,
    body: z.object({ expertIds: z.array(Id).min(1).max(20), dueOn: DateStr.nullish() }),
    status: 201,
    response: z.object({ assignments: z.array(ExpertAssignment) }),
  }),
  autoAssign: route({
    id: 'autoAssignExperts',
    method: 'POST',
    path: '/api/campaigns/:id/assignments/auto',
    summary: '自动分配专家 Assign automatically: balanced load, a cap per expert',
    tags: ['experts'],
    auth: 'session',
    params: IdParams,
    body: z.object({
      categoryCode: Text(64).min(1).optional(),
      perApplication: z.number().int().min(1).max(10),
      cap: z.number().int().min(1).max(200),
    }),
    status: 200,
    response: AutoAssignResult,
  }),
  withdraw: route({
    id: 'withdrawAssignment',
    method: 'DELETE',
    path: '/api/assignments/:id',
    summary: '撤回指派 Withdraw an assignment',
    tags: ['experts'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: Ok,
  }),

  // the expert: on-site checks
  mine: route({
    id: 'listMyOnsiteAssignments',
    method: 'GET',
    path: '/api/onsite',
    summary: '我的核查任务 My open assignments',
    tags: ['onsite'],
    auth: 'session',
    status: 200,
    response: z.object({ items: z.array(MyAssignment) }),
  }),
  onsite: route({
    id: 'getOnsiteCheck',
    method: 'GET',
    path: '/api/onsite/:applicationId',
    summary: '现场核查清单 The checklist, my findings and photos',
    tags: ['onsite'],
    auth: 'session',
    params: AppParams,
    status: 200,
    response: OnsitePage,
  }),
  saveCheck: route({
    id: 'saveOnsiteCheck',
    method: 'PUT',
    path: '/api/onsite/:applicationId',
    summary: '保存核查草稿 Save the draft (autosave)',
    tags: ['onsite'],
    auth: 'session',
    params: AppParams,
    body: CheckInput,
    status: 200,
    response: z.object({ checkId: z.number(), savedAt: Timestamp }),
  }),
  uploadPhoto: route({
    id: 'uploadOnsitePhoto',
    method: 'POST',
    path: '/api/onsite/:applicationId/photos',
    summary: '上传现场照片 Upload a photo (multipart: file, criterionId, takenAt, latitude, longitude)',
    tags: ['onsite'],
    auth: 'session',
    params: AppParams,
    multipart: true,
    status: 201,
    response: OnsitePhoto,
  }),
  photo: route({
    id: 'downloadOnsitePhoto',
    method: 'GET',
    path: '/api/onsite-photos/:id',
    summary: '下载现场照片 Download a photo (JPEG or PNG, shown inline)',
    tags: ['onsite'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/octet-stream',
  }),
  deletePhoto: route({
    id: 'deleteOnsitePhoto',
    method: 'DELETE',
    path: '/api/onsite/:applicationId/photos/:id',
    summary: '删除现场照片 Delete a photo of my draft',
    tags: ['onsite'],
    auth: 'session',
    params: z.object({ applicationId: Id, id: Id }),
    status: 200,
    response: Ok,
  }),
  submit: route({
    id: 'submitOnsiteCheck',
    method: 'POST',
    path: '/api/onsite/:applicationId/submit',
    summary: '提交核查 Submit: findings become onsite-stage scores',
    tags: ['onsite'],
    auth: 'session',
    params: AppParams,
    status: 200,
    response: z.object({
      reviewId: z.number(),
      rating: z.object({ total: z.number(), max: z.number(), stars: z.number() }),
      /** where the application went when this check closed the onsite step */
      advanced: z.object({ status: ApplicationStatus, step: z.string().nullable() }).nullable(),
    }),
  }),

  // 整改
  requestRectification: route({
    id: 'requestRectification',
    method: 'POST',
    path: '/api/onsite/:applicationId/rectifications',
    summary: '提出整改要求 Ask the unit to fix something by a date',
    tags: ['rectifications'],
    auth: 'session',
    params: AppParams,
    body: z.object({ criterionId: CriterionId, request: Text(2000).refine((s) => s.trim().length > 0, '请填写整改要求'), dueOn: DateStr }),
    status: 201,
    response: Rectification,
  }),
  rectifications: route({
    id: 'listRectifications',
    method: 'GET',
    path: '/api/applications/:id/rectifications',
    summary: '整改要求 Rectifications of an application',
    tags: ['rectifications'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({ items: z.array(Rectification), role: z.enum(['applicant', 'expert', 'office']) }),
  }),
  answerRectification: route({
    id: 'answerRectification',
    method: 'POST',
    path: '/api/rectifications/:id/answer',
    summary: '答复整改 Answer (multipart: answer, optional file)',
    tags: ['rectifications'],
    auth: 'session',
    params: IdParams,
    multipart: true,
    status: 200,
    response: RectificationMoved,
  }),
  recheckRectification: route({
    id: 'recheckRectification',
    method: 'POST',
    path: '/api/rectifications/:id/recheck',
    summary: '复查整改 Re-check the answer',
    tags: ['rectifications'],
    auth: 'session',
    params: IdParams,
    body: z.object({ accepted: z.boolean(), note: Text(2000).nullish() }),
    status: 200,
    response: RectificationMoved,
  }),
};

// ── compile-time checks: the schemas describe exactly the core's types ──
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<_T extends true>(): void {}
same<Same<z.infer<typeof ChecklistMeasure>, CoreChecklistMeasure>>();
same<Same<z.infer<typeof CoreChecklist>, CoreChecklistItem>>();
