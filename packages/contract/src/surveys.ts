import { z } from 'zod';
import { SCALE_MAX_LIMIT, SINGLE_MAX_OPTIONS, SURVEY_INDICATORS, SURVEY_MAX_QUESTIONS, SURVEY_QUESTION_KINDS } from '@pingan/core';
import { DateStr, Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { MobilePhone, PublicCode, SmsCode } from './publicCodes.js';
import type { RouteContract } from './route.js';

/**
 * 问卷调查: the safety office builds a questionnaire (两率一度, 公众安全感, 知晓率, or a unit's own
 * 民调), sets a sampling plan per subregion, opens it to the public (one answer per phone, confirmed
 * by SMS, or per invitation code), imports a contractor's telephone results, watches progress
 * against the targets, and applies the results: region indicators (source 'survey') and, for a
 * unit's survey, the measure of the unit's application. Public routes use the public code only.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const SurveyStatus = z.enum(['draft', 'open', 'closed']);
export const SurveyKind = z.enum(['two_rates_one_degree', 'safety_feeling', 'awareness', 'satisfaction', 'custom']);
export const SurveyIdentity = z.enum(['phone', 'invitation']);
export const SurveyQuestionKind = z.enum(SURVEY_QUESTION_KINDS);
export const SurveyIndicatorId = z.enum(SURVEY_INDICATORS);
export const SurveyTemplateKind = z.enum(['two_rates_one_degree', 'safety_feeling', 'awareness']);
export const SurveyTargetBasis = z.enum(['population', 'households', 'manual']);

const QuestionId = z.string().regex(/^q\d{1,4}$/, '题目编号须为q加数字');

export const SurveyQuestionSchema = z
  .object({
    /** q1, q2 …: checked with the rest of the questionnaire (core questionProblems) */
    id: Text(8),
    kind: SurveyQuestionKind,
    text: Text(500),
    textEn: Text(500).optional(),
    options: z.array(Text(100)).max(SINGLE_MAX_OPTIONS, `最多${SINGLE_MAX_OPTIONS}个选项`).optional(),
    max: z.number().int('量表最高分须为整数').min(2).max(SCALE_MAX_LIMIT).optional(),
    required: z.boolean(),
    /** one of SURVEY_INDICATORS (core): checked with the rest of the questionnaire */
    indicator: Text(64).nullish(),
  })
  .meta({ id: 'SurveyQuestion', description: '问卷题目 A question: kind, text, options, the indicator it measures' });

export const SurveyMeasureRef = z.object({
  categoryCode: Text(64).pipe(z.string().min(1)),
  criterionId: Text(32).pipe(z.string().min(1)),
  measureId: Text(64).pipe(z.string().min(1)),
});

export const SurveyRow = z
  .object({
    id: z.number(),
    publicCode: z.string(),
    title: z.string(),
    kind: SurveyKind,
    year: z.number(),
    regionName: z.string(),
    orgName: z.string(),
    subjectName: z.string().nullable(),
    identity: SurveyIdentity,
    status: SurveyStatus,
    opensOn: z.string().nullable(),
    closesOn: z.string().nullable(),
    questions: z.number(),
    target: z.number(),
    responses: z.number(),
    appliedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'SurveyRow', description: '问卷 A survey in the list' });

export const SurveyTargetView = z.object({
  regionId: z.number(),
  regionName: z.string(),
  level: z.string(),
  target: z.number(),
  basis: SurveyTargetBasis,
  population: z.number().nullable(),
  households: z.number().nullable(),
});

export const SurveyRegionOption = z.object({
  id: z.number(),
  name: z.string(),
  level: z.string(),
  parentName: z.string().nullable(),
  population: z.number().nullable(),
  households: z.number().nullable(),
});

export const SurveyView = z
  .object({
    id: z.number(),
    publicCode: z.string(),
    title: z.string(),
    kind: SurveyKind,
    year: z.number(),
    intro: z.string().nullable(),
    identity: SurveyIdentity,
    status: SurveyStatus,
    opensOn: z.string().nullable(),
    closesOn: z.string().nullable(),
    revision: z.number(),
    regionId: z.number(),
    regionName: z.string(),
    orgName: z.string(),
    subject: z.object({ id: z.number(), name: z.string() }).nullable(),
    measure: SurveyMeasureRef.extend({ label: z.string().nullable() }).nullable(),
    questions: z.array(SurveyQuestionSchema),
    targets: z.array(SurveyTargetView),
    /** where targets may be set: the regions below the survey's (and, for a unit's survey, its own) */
    regionOptions: z.array(SurveyRegionOption),
    responses: z.number(),
    invitations: z.object({ issued: z.number(), used: z.number() }),
    appliedAt: Timestamp.nullable(),
    /** the account's office made the survey: it may act on it */
    owned: z.boolean(),
    canEdit: z.boolean(),
    canOpen: z.boolean(),
    /** why it cannot open yet (no question, no plan), in Chinese */
    openBlockers: z.array(z.string()),
    canClose: z.boolean(),
    canApply: z.boolean(),
    canImport: z.boolean(),
    /** the public page: /public/surveys/<code> */
    publicPath: z.string(),
  })
  .meta({ id: 'Survey', description: '问卷详情 A survey: questions, sampling plan, what the account may do' });

export const SurveyTemplateView = z
  .object({
    kind: SurveyTemplateKind,
    title: z.string(),
    titleEn: z.string(),
    intro: z.string(),
    questions: z.array(SurveyQuestionSchema),
  })
  .meta({ id: 'SurveyTemplate', description: '问卷模板 A survey template' });

export const SurveyUnitOption = z.object({
  subjectId: z.number(),
  subjectName: z.string(),
  regionName: z.string(),
  applicationId: z.number(),
  campaignName: z.string(),
  year: z.number(),
  status: z.string(),
  categoryCode: z.string(),
  measures: z.array(z.object({ criterionId: z.string(), measureId: z.string(), label: z.string(), threshold: z.string() })),
});

export const SurveyCreateInput = z.object({
  template: SurveyTemplateKind.nullish(),
  title: Text(200)
    .transform((s) => s.trim())
    .pipe(z.string().min(2, '标题至少2个字'))
    .optional(),
  year: z.number().int().min(2000, '年度不正确').max(2100, '年度不正确'),
  identity: SurveyIdentity.default('phone'),
  intro: Text(2000).nullish(),
  opensOn: DateStr.nullish(),
  closesOn: DateStr.nullish(),
  /** a unit's own survey: its result fills this measure of the unit's application */
  subjectId: Id.nullish(),
  measure: SurveyMeasureRef.nullish(),
});

export const SurveyUpdateInput = z.object({
  revision: z.number().int().min(1).max(2147483647),
  title: Text(200)
    .transform((s) => s.trim())
    .pipe(z.string().min(2, '标题至少2个字')),
  intro: Text(2000).nullish(),
  identity: SurveyIdentity,
  opensOn: DateStr.nullish(),
  closesOn: DateStr.nullish(),
  questions: z.array(SurveyQuestionSchema).max(SURVEY_MAX_QUESTIONS, `问卷最多${SURVEY_MAX_QUESTIONS}题`),
});

export const SurveyTargetsInput = z.object({
  targets: z
    .array(
      z.object({ regionId: Id, target: z.number().int('目标须为整数').min(0).max(1_000_000), basis: SurveyTargetBasis.default('manual') }),
    )
    .max(500),
});

export const SurveyTargetProposal = z
  .object({
    total: z.number(),
    basis: SurveyTargetBasis,
    min: z.number(),
    items: z.array(SurveyTargetView),
    /** regions without the basis figure (given the minimum, or all equal when none has it) */
    missingBasis: z.array(z.string()),
  })
  .meta({ id: 'SurveyTargetProposal', description: '样本分配建议 Targets sized from a total (not saved)' });

const ProgressRow = z.object({
  regionId: z.number(),
  regionName: z.string(),
  target: z.number(),
  web: z.number(),
  telephone: z.number(),
  responses: z.number(),
  /** responses ÷ target × 100, 2 decimals; null without a target */
  percent: z.number().nullable(),
});

export const SurveyProgress = z
  .object({ items: z.array(ProgressRow), total: ProgressRow.omit({ regionId: true }) })
  .meta({ id: 'SurveyProgress', description: '调查进度 Responses per region against the targets' });

export const SurveyTally = z.object({
  answered: z.number(),
  counts: z.record(z.string(), z.number()),
  favourable: z.number().nullable(),
  share: z.number().nullable(),
  mean: z.number().nullable(),
});

export const SurveyIndicatorResult = z.object({
  regionId: z.number(),
  regionName: z.string(),
  indicator: z.string(),
  label: z.string(),
  value: z.number(),
  responses: z.number(),
  answered: z.number(),
  favourable: z.number(),
});

export const SurveyResults = z
  .object({
    responses: z.number(),
    questions: z.array(
      z.object({
        questionId: z.string(),
        text: z.string(),
        kind: SurveyQuestionKind,
        indicator: z.string().nullable(),
        overall: SurveyTally,
        byRegion: z.array(z.object({ regionId: z.number(), regionName: z.string(), tally: SurveyTally })),
      }),
    ),
    /** what applying would write: per target region and for the survey's region */
    indicators: z.array(SurveyIndicatorResult),
    /** a unit's survey: the figure its measure would get */
    measureValue: z.number().nullable(),
  })
  .meta({ id: 'SurveyResults', description: '调查结果 Tallies per question and region, indicator figures' });

export const SurveyApplyResult = z
  .object({
    indicators: z.array(z.object({ regionId: z.number(), regionName: z.string(), indicator: z.string(), value: z.number() })),
    measure: z
      .object({
        applicationId: z.number(),
        subjectName: z.string(),
        criterionId: z.string(),
        measureId: z.string(),
        value: z.number(),
        criterionStatus: z.string(),
        ratingTotal: z.number(),
      })
      .nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'SurveyApplyResult', description: '应用调查结果 Indicators written and the unit measure filled' });

export const SurveyImportReport = z
  .object({ imported: z.number(), importRef: z.string() })
  .meta({ id: 'SurveyImportReport', description: '电话调查导入结果 Telephone responses imported' });

export const SurveyInvitationsInput = z.object({
  regionId: Id,
  count: z.number().int('数量须为整数').min(1, '至少生成1个邀请码').max(5000, '一次最多生成5000个邀请码'),
});

// ───────────────────────────── public ─────────────────────────────

/** open: answering; upcoming: open but before its first day; closed: ended (or past its last day); draft: not yet open */
export const PublicSurveyState = z.enum(['draft', 'upcoming', 'open', 'closed']);

export const PublicSurveySummary = z
  .object({ code: z.string(), title: z.string(), regionName: z.string(), year: z.number(), closesOn: z.string().nullable() })
  .meta({ id: 'PublicSurveySummary', description: '问卷调查（无需登录）An open survey' });

export const PublicSurveyView = z
  .object({
    code: z.string(),
    title: z.string(),
    intro: z.string().nullable(),
    regionName: z.string(),
    year: z.number(),
    state: PublicSurveyState,
    /** why it cannot be answered now, in Chinese; null while open */
    message: z.string().nullable(),
    opensOn: z.string().nullable(),
    closesOn: z.string().nullable(),
    identity: SurveyIdentity,
    questions: z.array(SurveyQuestionSchema.omit({ indicator: true })),
    /** the regions one answers for (names; the respondent picks theirs) */
    regions: z.array(z.object({ name: z.string() })),
  })
  .meta({ id: 'PublicSurvey', description: '问卷（无需登录）A survey to answer' });

export const SurveyAnswerValue = z.union([Text(500), z.number().int().min(0).max(100), z.boolean()]);

export const SurveyResponseInput = z.object({
  /** identity 'phone' */
  phone: MobilePhone.optional(),
  smsCode: SmsCode.optional(),
  /** identity 'invitation' */
  invitation: PublicCode.optional(),
  /** the respondent's region, by name, among the survey's (an invitation fixes it) */
  region: Text(100).optional(),
  answers: z
    .record(QuestionId, SurveyAnswerValue)
    .refine((a) => Object.keys(a).length <= SURVEY_MAX_QUESTIONS, `最多${SURVEY_MAX_QUESTIONS}题`),
});

const CodeParams = z.object({ code: PublicCode });

export const surveysApi = {
  list: route({
    id: 'listSurveys',
    method: 'GET',
    path: '/api/surveys',
    summary: '问卷调查 Surveys in my region (?format=xlsx: as Excel)',
    tags: ['surveys'],
    auth: 'session',
    query: z.object({
      status: SurveyStatus.optional(),
      year: z.coerce.number<number | string>().int().min(2000).max(2100).optional(),
      q: Text(100).optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({ items: z.array(SurveyRow), total: z.number() }),
    xlsx: true,
    file: XLSX,
  }),
  templates: route({
    id: 'listSurveyTemplates',
    method: 'GET',
    path: '/api/surveys/templates',
    summary: '问卷模板 The templates: 两率一度, 公众安全感, 平安创建知晓率',
    tags: ['surveys'],
    auth: 'session',
    status: 200,
    response: z.object({ items: z.array(SurveyTemplateView) }),
  }),
  unitOptions: route({
    id: 'listSurveyUnitOptions',
    method: 'GET',
    path: '/api/surveys/unit-options',
    summary:
      '单位民调对象 Units in my region with an editable application whose percentage measures a survey can fill (by name: the first 50, and whether more match)',
    tags: ['surveys'],
    auth: 'session',
    query: z.object({ q: Text(100).optional() }),
    status: 200,
    /** more: more match than are listed (type more of the name) */
    response: z.object({ items: z.array(SurveyUnitOption), more: z.boolean() }),
  }),
  create: route({
    id: 'createSurvey',
    method: 'POST',
    path: '/api/surveys',
    summary: '新建问卷 Create a survey, blank or from a template',
    tags: ['surveys'],
    auth: 'session',
    body: SurveyCreateInput,
    status: 201,
    response: SurveyView,
  }),
  detail: route({
    id: 'getSurvey',
    method: 'GET',
    path: '/api/surveys/:id',
    summary: '问卷详情 A survey with its questions and sampling plan',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: SurveyView,
  }),
  update: route({
    id: 'updateSurvey',
    method: 'PUT',
    path: '/api/surveys/:id',
    summary: '编辑问卷 Save the questions and settings (draft only)',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    body: SurveyUpdateInput,
    status: 200,
    response: SurveyView,
  }),
  proposeTargets: route({
    id: 'proposeSurveyTargets',
    method: 'GET',
    path: '/api/surveys/:id/target-proposal',
    summary: '样本分配建议 Size the targets from a total by population or households (not saved)',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    query: z.object({
      total: z.coerce.number<number | string>().int().min(1, '样本总量须为正整数').max(1_000_000),
      min: z.coerce.number<number | string>().int().min(0).max(100_000).default(0),
      basis: z.enum(['population', 'households']).default('population'),
      level: z.enum(['county', 'town', 'village']).optional(),
    }),
    status: 200,
    response: SurveyTargetProposal,
  }),
  saveTargets: route({
    id: 'saveSurveyTargets',
    method: 'PUT',
    path: '/api/surveys/:id/targets',
    summary: '保存抽样方案 Save the targets per region (draft or open)',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    body: SurveyTargetsInput,
    status: 200,
    response: SurveyView,
  }),
  open: route({
    id: 'openSurvey',
    method: 'POST',
    path: '/api/surveys/:id/open',
    summary: '发布问卷 Open the survey to the public (needs a question and a sampling plan)',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: SurveyView,
  }),
  close: route({
    id: 'closeSurvey',
    method: 'POST',
    path: '/api/surveys/:id/close',
    summary: '结束调查 Close the survey',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: SurveyView,
  }),
  invitations: route({
    id: 'createSurveyInvitations',
    method: 'POST',
    path: '/api/surveys/:id/invitations',
    summary: '生成邀请码 Generate N invitation codes for a region: an Excel file shown once (the codes are kept hashed)',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    body: SurveyInvitationsInput,
    status: 201,
    response: null,
    file: XLSX,
  }),
  progress: route({
    id: 'getSurveyProgress',
    method: 'GET',
    path: '/api/surveys/:id/progress',
    summary: '调查进度 Responses per region against the targets (?format=xlsx: as Excel)',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    query: z.object({ format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: SurveyProgress,
    xlsx: true,
    file: XLSX,
  }),
  results: route({
    id: 'getSurveyResults',
    method: 'GET',
    path: '/api/surveys/:id/results',
    summary: '调查结果 Tallies per question and region, and the indicator figures',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: SurveyResults,
  }),
  apply: route({
    id: 'applySurveyResults',
    method: 'POST',
    path: '/api/surveys/:id/apply',
    summary: '应用调查结果 Write the region indicators (source: survey) and fill a unit’s measure',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: SurveyApplyResult,
  }),
  importTemplate: route({
    id: 'surveyImportTemplate',
    method: 'GET',
    path: '/api/surveys/:id/import-template',
    summary: '电话调查导入模板 The .xlsx template: one row per respondent, one column per question',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: XLSX,
  }),
  importResponses: route({
    id: 'importSurveyResponses',
    method: 'POST',
    path: '/api/surveys/:id/import',
    summary:
      '导入电话调查结果 Import telephone responses from .xlsx (multipart: file); all or nothing, 400 IMPORT_INVALID lists the wrong rows',
    tags: ['surveys'],
    auth: 'session',
    params: IdParams,
    multipart: true,
    status: 201,
    response: SurveyImportReport,
  }),
  publicList: route({
    id: 'listPublicSurveys',
    method: 'GET',
    path: '/api/public/surveys',
    summary: '问卷调查（无需登录）Open surveys',
    tags: ['public'],
    auth: 'public',
    query: z.object({ ...Page }),
    status: 200,
    response: z.object({ items: z.array(PublicSurveySummary), total: z.number() }),
  }),
  publicDetail: route({
    id: 'getPublicSurvey',
    method: 'GET',
    path: '/api/public/surveys/:code',
    summary: '问卷（无需登录）A survey to answer',
    tags: ['public'],
    auth: 'public',
    params: CodeParams,
    status: 200,
    response: PublicSurveyView,
  }),
  respond: route({
    id: 'answerSurvey',
    method: 'POST',
    path: '/api/public/surveys/:code/responses',
    summary: '提交问卷（手机号+短信验证码，或邀请码）Answer: one response per phone or per invitation code; anonymous',
    tags: ['public'],
    auth: 'public',
    params: CodeParams,
    body: SurveyResponseInput,
    status: 201,
    response: z.object({ ok: z.literal(true), at: Timestamp }).meta({ id: 'SurveyAnswered', description: '问卷已提交 Answer received' }),
  }),
} satisfies Record<string, RouteContract>;
