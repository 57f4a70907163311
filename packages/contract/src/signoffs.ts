import { z } from 'zod';
import { Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { ApplicationStatus } from './common.js';

/** 会签 (departments sign off): the departments' worklist, scoring, signing; the office's matrix and override. */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const SignoffStatus = z.enum(['pending', 'signed', 'overridden']);
export const SignoffCellState = z.enum(['pending', 'signed', 'overridden', 'late']);

export const SignoffScoreValue = z.object({
  score: z.number().nullable(),
  met: z.boolean().nullable(),
  notApplicable: z.boolean(),
  comment: z.string().nullable(),
});

export const SignoffCriterion = z.object({
  id: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  judge: z.enum(['yesno', 'score']),
  points: z.number(),
  veto: z.boolean(),
  /** the department leads the criterion, or cooperates on it */
  role: z.enum(['lead', 'cooperate']),
  judged: z.boolean(),
  current: SignoffScoreValue.nullable(),
});

export const SignoffItem = z
  .object({
    id: z.number(),
    step: z.string(),
    status: SignoffStatus,
    late: z.boolean(),
    deadline: z.string().nullable(),
    comment: z.string().nullable(),
    signedAt: Timestamp.nullable(),
    overrideReason: z.string().nullable(),
    reviewComment: z.string().nullable(),
    judged: z.number(),
    application: z.object({
      id: z.number(),
      status: ApplicationStatus,
      subjectName: z.string(),
      categoryCode: z.string(),
      categoryName: z.string(),
      campaignId: z.number(),
      campaignName: z.string(),
      submittedAt: Timestamp.nullable(),
    }),
    criteria: z.array(SignoffCriterion),
  })
  .meta({ id: 'SignoffItem' });

export const SignoffWorklist = z.object({
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  today: z.string(),
  items: z.array(SignoffItem),
});

export const SignoffMoved = z.object({
  signoffId: z.number(),
  status: z.enum(['signed', 'overridden']),
  application: z.object({ id: z.number(), status: ApplicationStatus, step: z.string().nullable(), advanced: z.boolean() }),
});

export const SignoffMatrixCell = z.object({
  signoffId: z.number(),
  orgId: z.number(),
  deptCode: z.string(),
  step: z.string(),
  state: SignoffCellState,
  deadline: z.string().nullable(),
  at: Timestamp.nullable(),
  by: z.string().nullable(),
  comment: z.string().nullable(),
  reason: z.string().nullable(),
});

export const SignoffMatrix = z
  .object({
    campaign: z.object({ id: z.number(), name: z.string() }),
    today: z.string(),
    departments: z.array(z.object({ orgId: z.number(), deptCode: z.string(), name: z.string() })),
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
    summary: z.object({ pending: z.number(), signed: z.number(), overridden: z.number(), late: z.number() }),
    rows: z.array(
      z.object({
        application: z.object({
          id: z.number(),
          status: ApplicationStatus,
          step: z.string().nullable(),
          subjectName: z.string(),
          categoryCode: z.string(),
          categoryName: z.string(),
        }),
        cells: z.array(SignoffMatrixCell),
      }),
    ),
  })
  .meta({ id: 'SignoffMatrix' });

export const SignoffScoresInput = z.object({
  scores: z
    .array(
      z.object({
        criterionId: Text(40).min(1, '须指明条目'),
        met: z.boolean().nullish(),
        score: z.number().finite().nullish(),
        notApplicable: z.boolean().optional(),
        comment: Text(2000).nullish(),
      }),
    )
    .max(500),
  comment: Text(2000).nullish(),
});

export const signoffsApi = {
  worklist: route({
    id: 'listSignoffWorklist',
    method: 'GET',
    path: '/api/signoffs/worklist',
    summary: '会签待办 A department’s sign-off worklist (?format=xlsx)',
    tags: ['signoffs'],
    auth: 'session',
    query: z.object({
      campaignId: Id.optional(),
      status: z.enum(['pending', 'signed', 'all']).default('pending'),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: SignoffWorklist,
    xlsx: true,
    file: XLSX,
  }),
  saveScores: route({
    id: 'saveSignoffScores',
    method: 'PUT',
    path: '/api/signoffs/:id/scores',
    summary: '会签评分 Score the department’s own criteria',
    tags: ['signoffs'],
    auth: 'session',
    params: IdParams,
    body: SignoffScoresInput,
    status: 200,
    response: z.object({
      signoffId: z.number(),
      reviewId: z.number(),
      judged: z.number(),
      total: z.number(),
      missing: z.array(z.string()),
    }),
  }),
  sign: route({
    id: 'signSignoff',
    method: 'POST',
    path: '/api/signoffs/:id/sign',
    summary: '部门签署 Sign off',
    tags: ['signoffs'],
    auth: 'session',
    params: IdParams,
    body: z.object({ comment: Text(2000).nullish() }).default({}),
    status: 200,
    response: SignoffMoved,
  }),
  override: route({
    id: 'overrideSignoff',
    method: 'POST',
    path: '/api/signoffs/:id/override',
    summary: '越过逾期部门 Override a department past its deadline',
    tags: ['signoffs'],
    auth: 'session',
    params: IdParams,
    body: z.object({ reason: Text(1000).trim().min(1, '须填写理由') }),
    status: 200,
    response: SignoffMoved,
  }),
  matrix: route({
    id: 'getSignoffMatrix',
    method: 'GET',
    path: '/api/signoffs/matrix',
    summary: '会签情况 Departments × applications (?format=xlsx)',
    tags: ['signoffs'],
    auth: 'session',
    query: z.object({
      campaignId: Id,
      state: z.enum(['open', 'all']).default('open'),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: SignoffMatrix,
    xlsx: true,
    file: XLSX,
  }),
};
