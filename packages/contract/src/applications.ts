import { z } from 'zod';
import { ACTIONS, ChainStep, RatingScheme } from '@pingan/core';
import { Id, IdParams, Ok, Page, Text, Timestamp, route } from './route.js';
import {
  ApplicationFormSchema,
  ApplicationStatus,
  CriterionAnswerSchema,
  MissingItemSchema,
  RatingSchema,
  ReviewStage,
  StandardDocSchema,
  TitleLevel,
} from './common.js';

/** 申报: the applications module's routes. */

const FIGURE_BOUND = 1e12;
const Count = z
  .number({ error: '须为整数 must be a whole number' })
  .int('须为整数 must be a whole number')
  .min(0, '不能为负数 cannot be negative')
  .max(2147483647, '不能超过2147483647 too large');
const Bounded = z
  .number({ error: '须为数字' })
  .finite()
  .min(-FIGURE_BOUND, `不能小于-${FIGURE_BOUND} too small`)
  .max(FIGURE_BOUND, `不能超过${FIGURE_BOUND} too large`);
export const FigureInput = z.object({
  value: Bounded,
  previous: Bounded.nullable().optional(),
  /** for a rate of two counts (rateOf): the part and the whole, e.g. 重新犯罪人数 and 刑满释放人员总数 */
  numerator: Count.nullable().optional(),
  denominator: Count.nullable().optional(),
});
const CriterionId = Text(32).min(1);

/**
 * Keyset paging: the answer's nextCursor, handed back as it came to read the page after (offset is
 * then ignored). A list paged this way is as fast on its last page as on its first.
 */
export const Cursor = z
  .string()
  .max(400, '分页游标无效')
  .regex(/^[A-Za-z0-9_-]+$/, '分页游标无效')
  .meta({ description: 'opaque: the nextCursor of the page before' });
/** The page after this one (null on the last page); pass it as ?cursor= */
export const NextCursor = z.string().nullable().meta({ description: 'the next page: pass as ?cursor=; null on the last page' });

export const ApplicationListItem = z.object({
  id: z.number(),
  status: ApplicationStatus,
  categoryCode: z.string(),
  categoryName: z.string(),
  campaignId: z.number(),
  campaignName: z.string(),
  year: z.number(),
  subjectId: z.number(),
  subjectName: z.string(),
  regionPath: z.string(),
  regionName: z.string(),
  score: z.number().nullable(),
  stars: z.number().nullable(),
  /** stars (000) or a title conferred or not (001, 002): a title-only standard shows no stars */
  scheme: RatingScheme,
  submittedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});

export const EvidenceFile = z
  .object({
    id: z.number(),
    criterionId: z.string().nullable(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number(),
    sha256: z.string(),
    createdAt: Timestamp,
    /** the submission (revision number) that froze it: a frozen file cannot be deleted, only withdrawn */
    frozenIn: z.number().nullable(),
    /** taken out of the current revision after a return; the file stays in the history */
    withdrawnAt: Timestamp.nullable(),
  })
  .meta({ id: 'EvidenceFile' });

export const ChainStepView = z.object({
  key: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: ChainStep.shape.kind,
  phase: ChainStep.shape.phase.optional(),
  owner: ChainStep.shape.owner,
  deadline: z.string().nullable(),
});

export const ReviewRecord = z.object({
  id: z.number(),
  stage: ReviewStage,
  step: z.string(),
  stepName: z.string().nullable(),
  reviewerId: z.number(),
  reviewerName: z.string(),
  comment: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  scores: z.array(
    z.object({
      criterionId: z.string(),
      score: z.number().nullable(),
      met: z.boolean().nullable(),
      notApplicable: z.boolean(),
      comment: z.string().nullable(),
    }),
  ),
});

export const EventRecord = z.object({
  id: z.number(),
  /** a workflow action, 'create', 'recommend', 'pass:<step>', 'signoff:<dept>' … */
  action: z.string(),
  from: ApplicationStatus.nullable(),
  to: ApplicationStatus,
  reason: z.string().nullable(),
  at: Timestamp,
  actorName: z.string().nullable(),
  /** for a submission (or a recommendation): the number of the revision it froze */
  revisionNo: z.number().nullable(),
});

export const ApplicationDetail = z
  .object({
    id: z.number(),
    status: ApplicationStatus,
    revision: z.number(),
    form: ApplicationFormSchema,
    categoryCode: z.string(),
    categoryName: z.string(),
    campaign: z.object({ id: z.number(), name: z.string(), year: z.number(), applyDeadline: z.string(), reviewDeadline: z.string() }),
    subject: z.object({
      id: z.number(),
      name: z.string(),
      kind: z.string(),
      unitType: z.string().nullable(),
      address: z.string().nullable(),
      regionName: z.string(),
      /** the household head's or person's ID number and phone: masked (430102********1234) except for the applicant */
      idNumber: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    standardVersionId: z.number(),
    standard: StandardDocSchema,
    answers: z.array(CriterionAnswerSchema),
    files: z.array(EvidenceFile),
    reviews: z.array(ReviewRecord),
    events: z.array(EventRecord),
    rating: RatingSchema,
    missing: z.array(MissingItemSchema),
    /** the actions this account may take now: the same rule the server applies */
    allowedActions: z.array(z.enum(ACTIONS)),
    canEdit: z.boolean(),
    canReview: z.boolean(),
    /** this account owns the current step and scores it here */
    canScore: z.boolean(),
    chain: z.array(ChainStepView),
    step: ChainStepView.nullable(),
    /** this account is the office that owns the campaign */
    campaignOffice: z.boolean(),
    notice: z
      .object({
        id: z.number(),
        title: z.string(),
        startsOn: z.string(),
        endsOn: z.string(),
        /** its public page: /public/notices/<publicCode> */
        publicCode: z.string(),
      })
      .nullable(),
    title: z
      .object({
        id: z.number(),
        certificateNo: z.string(),
        titleName: z.string(),
        stars: z.number(),
        level: TitleLevel,
        conferredOn: z.string(),
      })
      .nullable(),
    submittedAt: Timestamp.nullable(),
    updatedAt: Timestamp,
    /** how many times it has been submitted: each submission froze a numbered revision */
    submissions: z.number(),
    /**
     * set when the form, answers and files shown are a frozen revision rather than the working copy:
     * staff looking at a returned application see its last submission until it is resubmitted
     */
    frozenRevision: z.object({ no: z.number(), submittedAt: Timestamp }).nullable(),
    /** returned: the applicant is revising it */
    revising: z.boolean(),
    /** the form's phone and the subject's numbers are masked here; this account may reveal them (POST …/contact) */
    canRevealContact: z.boolean(),
  })
  .meta({ id: 'ApplicationDetail' });

export const RevisionSummary = z.object({
  no: z.number(),
  submittedAt: Timestamp,
  submittedByName: z.string().nullable(),
  answerCount: z.number(),
  fileCount: z.number(),
  /** files of this revision withdrawn since (kept in the history) */
  withdrawnCount: z.number(),
});

export const RevisionEvidence = z.object({
  id: z.number(),
  criterionId: z.string().nullable(),
  fileName: z.string(),
  sha256: z.string(),
  size: z.number().nullable(),
  contentType: z.string().nullable(),
  /** the download link (GET /api/files/:id); it keeps working for a withdrawn file */
  url: z.string(),
  /** withdrawn from a later revision: 已撤下, kept in the history */
  withdrawnAt: Timestamp.nullable(),
});

export const RevisionDetail = z
  .object({
    no: z.number(),
    submittedAt: Timestamp,
    submittedByName: z.string().nullable(),
    /** the form as submitted; the phone masked except for the applicant */
    form: ApplicationFormSchema,
    answers: z.array(CriterionAnswerSchema),
    evidence: z.array(RevisionEvidence),
  })
  .meta({ id: 'ApplicationRevision' });

/** The full personal numbers behind the masked ones: an explicit, audited action. */
export const ContactReveal = z.object({
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  subjectIdNumber: z.string().nullable(),
  subjectPhone: z.string().nullable(),
});

export const DraftInput = z.object({
  revision: z.number().int().positive().max(2147483647),
  form: z.object({
    content: Text(5000).nullish(),
    plan: Text(10000).nullish(),
    contactName: Text(50).nullish(),
    contactPhone: z
      .string()
      .regex(/^[0-9+\- ]{0,20}$/, '联系电话格式不正确')
      .nullish(),
  }),
  answers: z
    .array(
      z.object({
        criterionId: CriterionId,
        statement: Text(5000).nullish(),
        figures: z.record(Text(64), FigureInput.optional()).optional(),
      }),
    )
    .max(500),
});

export const ReviewInput = z.object({
  decision: z.enum(['pass', 'return', 'reject', 'none']),
  comment: Text(5000).nullish(),
  reason: Text(2000).nullish(),
  scores: z
    .array(
      z.object({
        criterionId: CriterionId,
        // two decimals at most, so SQL's exact sums and the engine's agree
        score: z
          .number()
          .finite()
          .min(-1e6)
          .max(1e6)
          .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, '得分最多保留两位小数')
          .nullish(),
        met: z.boolean().nullish(),
        notApplicable: z.boolean().optional(),
        comment: Text(2000).nullish(),
      }),
    )
    .max(500),
});

export const applicationsApi = {
  list: route({
    id: 'listApplications',
    method: 'GET',
    path: '/api/applications',
    summary: '申报列表 List applications in scope (?format=xlsx: the same list as Excel, contact phones masked)',
    tags: ['applications'],
    auth: 'session',
    query: z.object({
      status: ApplicationStatus.optional(),
      campaignId: Id.optional(),
      categoryCode: Text(64).optional(),
      q: Text(100).optional(),
      ...Page,
      cursor: Cursor.optional(),
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({
      items: z.array(ApplicationListItem),
      /** how many match; counted for a page asked by offset, null for a page asked by cursor */
      total: z.number().nullable(),
      nextCursor: NextCursor,
    }),
    xlsx: true,
    file: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  }),
  create: route({
    id: 'createApplication',
    method: 'POST',
    path: '/api/applications',
    summary: '新建申报 Start an application',
    tags: ['applications'],
    auth: 'session',
    body: z.object({ campaignId: Id, categoryCode: Text(64).min(1) }),
    status: 201,
    response: z.object({ id: z.number() }),
  }),
  detail: route({
    id: 'getApplication',
    method: 'GET',
    path: '/api/applications/:id',
    summary: '申报详情 Application with rating, chain and history',
    tags: ['applications'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: ApplicationDetail,
  }),
  saveDraft: route({
    id: 'saveDraft',
    method: 'PUT',
    path: '/api/applications/:id/draft',
    summary: '保存草稿 Save the 申报表 and self-assessment',
    tags: ['applications'],
    auth: 'session',
    params: IdParams,
    body: DraftInput,
    status: 200,
    response: z.object({ revision: z.number() }),
  }),
  submit: route({
    id: 'submitApplication',
    method: 'POST',
    path: '/api/applications/:id/submit',
    summary: '提交申报 Submit (checks completeness)',
    tags: ['applications'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({ status: ApplicationStatus }),
  }),
  review: route({
    id: 'reviewApplication',
    method: 'POST',
    path: '/api/applications/:id/reviews',
    summary: '评审 Score the step one owns and pass it on, return or reject',
    tags: ['reviews'],
    auth: 'session',
    params: IdParams,
    body: ReviewInput,
    status: 200,
    response: z.object({ reviewId: z.number().nullable(), status: ApplicationStatus, rating: RatingSchema }),
  }),
  upload: route({
    id: 'uploadEvidence',
    method: 'POST',
    path: '/api/applications/:id/files',
    summary: '上传佐证材料 Upload evidence (multipart: criterionId, file)',
    tags: ['evidence'],
    auth: 'session',
    params: IdParams,
    multipart: true,
    status: 201,
    response: EvidenceFile,
  }),
  download: route({
    id: 'downloadEvidence',
    method: 'GET',
    path: '/api/files/:id',
    summary: '下载佐证材料 Download evidence',
    tags: ['evidence'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/octet-stream',
  }),
  deleteFile: route({
    id: 'deleteEvidence',
    method: 'DELETE',
    path: '/api/files/:id',
    summary: '删除佐证材料 Delete evidence not yet submitted (a submitted file can only be withdrawn)',
    tags: ['evidence'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: Ok,
  }),
  withdrawFile: route({
    id: 'withdrawEvidence',
    method: 'POST',
    path: '/api/files/:id/withdraw',
    summary: '撤下佐证材料 Withdraw a submitted file from the revision being prepared (kept in the history)',
    tags: ['evidence'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: EvidenceFile,
  }),
  revisions: route({
    id: 'listRevisions',
    method: 'GET',
    path: '/api/applications/:id/revisions',
    summary: '历次提交 The submissions of an application, each frozen',
    tags: ['applications'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: z.object({ items: z.array(RevisionSummary) }),
  }),
  revision: route({
    id: 'getRevision',
    method: 'GET',
    path: '/api/applications/:id/revisions/:no',
    summary: '提交版本 One submission as it was frozen: form, self-assessment, files',
    tags: ['applications'],
    auth: 'session',
    params: z.object({ id: Id, no: Id }),
    status: 200,
    response: RevisionDetail,
  }),
  revealContact: route({
    id: 'revealContact',
    method: 'POST',
    path: '/api/applications/:id/contact',
    summary: '查看完整号码 Reveal the full phone and ID numbers (audited)',
    tags: ['applications'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: ContactReveal,
  }),
};
