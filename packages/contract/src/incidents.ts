import { z } from 'zod';
import { CONSEQUENCES, INCIDENT_TYPES, PUBLIC_TITLE_STATUSES, RatingScheme, TITLE_STATUSES_STORED } from '@pingan/core';
import { DateStr, Id, IdParams, Page, Text, Timestamp, route } from './route.js';
import { TitleLevel } from './common.js';

/**
 * 事件与申诉: departments and offices record serious incidents (命案, 重大安全事故…) against a unit,
 * household or region; the office that conferred the titles confirms the consequence (黄牌警告,
 * 撤销, 降星, 取消下一年度评先资格) or dismisses; the holder appeals within the set days.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const IncidentType = z.enum(INCIDENT_TYPES);
export const Consequence = z.enum(CONSEQUENCES);
export const IncidentStatus = z.enum(['reported', 'confirmed', 'dismissed']);
export const AppealStatus = z.enum(['open', 'upheld', 'dismissed']);
const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const IncidentListItem = z
  .object({
    id: z.number(),
    type: IncidentType,
    occurredOn: z.string(),
    place: z.string(),
    /** against a unit/household/person (subject) or a region */
    target: z.enum(['subject', 'region']),
    subjectId: z.number().nullable(),
    subjectKind: z.enum(['unit', 'household', 'individual', 'region']).nullable(),
    /** the subject's name, or the region's for a region incident */
    targetName: z.string(),
    regionName: z.string(),
    status: IncidentStatus,
    proposedConsequences: z.array(Consequence),
    /** what the office confirmed (null until decided) */
    consequences: z.array(Consequence).nullable(),
    reportedByOrg: z.string(),
    createdAt: Timestamp,
    decidedOn: z.string().nullable(),
    appealUntil: z.string().nullable(),
    appealStatus: AppealStatus.nullable(),
    ineligibleYear: z.number().nullable(),
  })
  .meta({ id: 'IncidentListItem', description: '事件 An incident in the list' });

export const IncidentFile = z
  .object({ id: z.number(), fileName: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), createdAt: Timestamp })
  .meta({ id: 'IncidentFile', description: '事件证据 An evidence file of an incident' });

export const IncidentProposal = z.object({
  consequences: z.array(Consequence),
  basis: z.enum(['standard_rule', 'veto', 'default']),
  note: Bilingual,
  vetoCriteria: z.array(z.object({ criterionId: z.string(), title: z.string().nullable(), text: z.string(), keyword: z.string() })),
  sources: z.array(z.object({ file: z.string(), quote: z.string() })),
});

export const TitleEventView = z.object({
  kind: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  fromStars: z.number().nullable(),
  toStars: z.number().nullable(),
  reason: z.string().nullable(),
  on: z.string(),
  incidentId: z.number().nullable(),
  appealId: z.number().nullable(),
});

export const IncidentTitle = z.object({
  titleId: z.number(),
  titleName: z.string(),
  year: z.number(),
  certificateNo: z.string(),
  stars: z.number(),
  level: TitleLevel,
  scheme: RatingScheme,
  status: z.enum(TITLE_STATUSES_STORED),
  publicStatus: z.enum(PUBLIC_TITLE_STATUSES),
  validUntil: z.string().nullable(),
  campaignName: z.string(),
  /** the office of the campaign that conferred it: the one that decides */
  conferredBy: z.string(),
  /** what the title's standard proposes for this incident type */
  proposal: IncidentProposal,
  /**
   * Before the decision: what the proposed consequences would do to it now. After: what the
   * confirmed ones did (action null and a note when nothing changed, e.g. already revoked).
   */
  change: z.object({
    action: z.enum(['revoke', 'suspend', 'lower_stars']).nullable(),
    toStatus: z.enum(TITLE_STATUSES_STORED),
    toStars: z.number(),
    note: Bilingual.nullable(),
  }),
  /** after the decision: the title's status and stars before it (incident_titles) */
  fromStatus: z.string().nullable(),
  fromStars: z.number().nullable(),
  /** the title's history (title_events), oldest first */
  events: z.array(TitleEventView),
});

export const AppealView = z.object({
  id: z.number(),
  text: z.string(),
  status: AppealStatus,
  reply: z.string().nullable(),
  filedBy: z.string(),
  filedAt: Timestamp,
  decidedBy: z.string().nullable(),
  decidedAt: Timestamp.nullable(),
});

export const IncidentDetail = IncidentListItem.extend({
  description: z.string(),
  /** the person who recorded it (staff only; null for the holder) */
  reportedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  /** the evidence (staff only: the holder sees the decision, not the files) */
  files: z.array(IncidentFile),
  /** the incident-level proposal (the strongest of the titles' proposals, or the default table) */
  proposal: IncidentProposal,
  titles: z.array(IncidentTitle),
  appeal: AppealView.nullable(),
  /** what this account may do now (the server checks again) */
  canDecide: z.boolean(),
  canUpload: z.boolean(),
  canAppeal: z.boolean(),
  canDecideAppeal: z.boolean(),
  /** the platform's day, for the deadline shown */
  today: z.string(),
}).meta({ id: 'Incident', description: '事件详情 An incident with its titles, decision and appeal' });

export const IncidentTarget = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(['unit', 'household', 'individual', 'region']),
  regionName: z.string(),
  /** its titles still valid or on a yellow card */
  currentTitles: z.number(),
});

export const incidentsApi = {
  list: route({
    id: 'listIncidents',
    method: 'GET',
    path: '/api/incidents',
    summary: '事件列表 Incidents in scope, newest first (?format=xlsx: the same list as Excel)',
    tags: ['incidents'],
    auth: 'session',
    query: z.object({
      status: IncidentStatus.optional(),
      type: IncidentType.optional(),
      q: Text(100).optional(),
      ...Page,
      format: z.enum(['json', 'xlsx']).optional(),
    }),
    status: 200,
    response: z.object({ items: z.array(IncidentListItem), total: z.number() }),
    xlsx: true,
    file: XLSX,
  }),
  targets: route({
    id: 'listIncidentTargets',
    method: 'GET',
    path: '/api/incidents/targets',
    summary:
      '可登记对象 Units and households an incident can be recorded against (my region, by name: the first 50, and whether more match)',
    tags: ['incidents'],
    auth: 'session',
    query: z.object({ q: Text(100).optional() }),
    status: 200,
    /** more: more match than are listed (type more of the name) */
    response: z.object({ items: z.array(IncidentTarget), more: z.boolean() }),
  }),
  create: route({
    id: 'recordIncident',
    method: 'POST',
    path: '/api/incidents',
    summary: '登记事件 Record an incident against a unit/household or a region',
    tags: ['incidents'],
    auth: 'session',
    body: z.object({
      type: IncidentType,
      occurredOn: DateStr,
      place: Text(200).min(1, '请填写地点'),
      description: Text(5000).min(1, '请填写事件经过'),
      subjectId: Id.nullish(),
      regionId: Id.nullish(),
    }),
    status: 201,
    response: IncidentDetail,
  }),
  detail: route({
    id: 'getIncident',
    method: 'GET',
    path: '/api/incidents/:id',
    summary: '事件详情 An incident, the titles it affects, the decision and the appeal',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: IncidentDetail,
  }),
  upload: route({
    id: 'uploadIncidentFile',
    method: 'POST',
    path: '/api/incidents/:id/files',
    summary: '上传事件证据 Upload evidence (multipart: file)',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    multipart: true,
    status: 201,
    response: IncidentFile,
  }),
  download: route({
    id: 'downloadIncidentFile',
    method: 'GET',
    path: '/api/incident-files/:id',
    summary: '下载事件证据 Download an evidence file',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: null,
    file: 'application/octet-stream',
  }),
  confirm: route({
    id: 'confirmIncident',
    method: 'POST',
    path: '/api/incidents/:id/confirm',
    summary: '确认事件并处理 Confirm: the titles change at once, the holder is notified',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    body: z.object({ consequences: z.array(Consequence).min(1).max(3), reason: Text(2000) }),
    status: 200,
    response: IncidentDetail,
  }),
  dismiss: route({
    id: 'dismissIncident',
    method: 'POST',
    path: '/api/incidents/:id/dismiss',
    summary: '不予认定 Dismiss the incident, with the reason',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    body: z.object({ reason: Text(2000) }),
    status: 200,
    response: IncidentDetail,
  }),
  appeal: route({
    id: 'fileIncidentAppeal',
    method: 'POST',
    path: '/api/incidents/:id/appeal',
    summary: '提出申诉 The holder appeals, within the set days',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    body: z.object({ text: Text(5000) }),
    status: 201,
    response: IncidentDetail,
  }),
  decideAppeal: route({
    id: 'decideIncidentAppeal',
    method: 'POST',
    path: '/api/incidents/:id/appeal/decision',
    summary: '申诉处理 The office upholds (titles restored) or dismisses the appeal, with a written reply',
    tags: ['incidents'],
    auth: 'session',
    params: IdParams,
    body: z.object({ decision: z.enum(['upheld', 'dismissed']), reply: Text(5000) }),
    status: 200,
    response: IncidentDetail,
  }),
};
