import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ROLES, type Role } from '@pingan/core';
import { PDF_BYTES } from './helpers.js';
import { repairToSchema, type Json } from './json-value.js';
import { RULES as surveysRules } from './authz/surveys.js';
import { RULES as assessmentRules } from './authz/assessment.js';
import { RULES as analyticsRules } from './authz/analytics.js';
import { RULES as rosterRules } from './authz/roster.js';
import { RULES as documentsRules } from './authz/documents.js';
import { RULES as filingsRules } from './authz/filings.js';
export type { Json };

/**
 * The authorisation matrix (权限矩阵): for every route of the contract, which roles may use it.
 * authz-matrix.test.ts holds the server to it, route by route and role by role, with one demo
 * account per role and anonymously. A route that is not here fails the build.
 *
 * - allow: 'public' — everyone, signed in or not; otherwise the roles. Any other role must get 401,
 *   403 or 404 (404 where an id outside one's scope must not reveal that it exists).
 * - check: how an allowed role is checked. 'complete' (the default): the test sends a complete
 *   request with ids from the demo world that the account can see, and the answer must be a 2xx.
 *   'refusable': the request is well-formed (it passes the contract's schema, so it reaches the
 *   handler) but the test does not build one the business rules accept — a file of the right kind,
 *   an application at the right step, a correct TOTP code — so the handler may answer 400, 404,
 *   409, 413, 415 or 422 on the merits; it must never answer 401 or 403. `why` says what is missing.
 *
 * Scope still applies inside an allowed role: an office sees its region, a department its
 * categories, an expert its open assignments, an applicant its own units (access.test.ts).
 */

export type Actor = Role | 'anonymous';
export const ACTORS: readonly Actor[] = [...ROLES, 'anonymous'];

export interface Rule {
  allow: 'public' | readonly Role[];
  check?: 'complete' | 'refusable';
  why?: string;
  /** allowed roles whose demo account has nothing for a complete request here: checked as 'refusable' */
  refusableFor?: { roles: readonly Role[]; why: string };
  /** another demo account of the role, where the default one cannot act (e.g. a lower office recommends) */
  accounts?: Partial<Record<Role, string>>;
  /** what an allowed role that has nothing here gets (an empty list) */
  note?: string;
}

/** The demo account each role is checked with (src/demo/accounts.ts). */
export const MATRIX_ACCOUNTS: Record<Role, string> = {
  safety_office: 'city_office',
  lead_department: 'city_edu',
  cooperating_department: 'city_police',
  expert: 'expert_zhou',
  applicant: 'school_nm',
  sys_admin: 'sysadmin',
  security_admin: 'secadmin',
  audit_admin: 'auditor',
};

const EVERYONE_SIGNED_IN: readonly Role[] = ROLES;
const OFFICE: readonly Role[] = ['safety_office'];
const DEPARTMENTS: readonly Role[] = ['lead_department', 'cooperating_department'];
const STAFF: readonly Role[] = ['safety_office', 'lead_department', 'cooperating_department', 'expert'];
/** everyone who does business work: staff and applicants (the three administrators do none) */
const BUSINESS: readonly Role[] = [...STAFF, 'applicant'];
const APPLICANT: readonly Role[] = ['applicant'];
const EXPERT: readonly Role[] = ['expert'];

const refusable = (allow: Rule['allow'], why: string): Rule => ({ allow, check: 'refusable', why });

export const AUTHZ_MATRIX: Record<string, Rule> = {
  // ── 系统管理 accounts and organisations: the system administrator only
  adminListUsers: { allow: ['sys_admin'] },
  adminExportUsers: { allow: ['sys_admin'] },
  adminUserImportTemplate: { allow: ['sys_admin'] },
  adminImportUsers: refusable(['sys_admin'], 'the test uploads a file that is not a real workbook'),
  adminGetUser: { allow: ['sys_admin'] },
  adminCreateUser: refusable(['sys_admin'], 'generated account data (role without its organisation)'),
  adminUpdateUser: refusable(['sys_admin'], 'generated account data'),
  adminResetPassword: { allow: ['sys_admin'] },
  adminResetTotp: { allow: ['sys_admin'] },
  adminListOrgs: { allow: ['sys_admin'] },
  adminCreateOrg: refusable(['sys_admin'], 'generated organisation data'),
  adminUpdateOrg: refusable(['sys_admin'], 'generated organisation data'),
  adminListRegions: { allow: ['sys_admin'] },
  adminListSubjects: { allow: ['sys_admin'] },
  // ── 安全策略 the security administrator only
  getSecurityPolicy: { allow: ['security_admin'] },
  putSecurityPolicy: { allow: ['security_admin'] },
  // ── 审计 the audit administrator only
  listAudit: { allow: ['audit_admin'] },
  exportAudit: { allow: ['audit_admin'] },
  verifyAudit: { allow: ['audit_admin'] },
  purgeAudit: { allow: ['audit_admin'], note: 'purges nothing younger than the retention period' },

  // ── 申报 applications
  listApplications: { allow: BUSINESS },
  createApplication: refusable(APPLICANT, 'the applicant already has its application in that campaign'),
  getApplication: { allow: BUSINESS },
  saveDraft: refusable(APPLICANT, 'generated answers name no real criterion'),
  submitApplication: refusable(APPLICANT, 'the draft is incomplete (422)'),
  reviewApplication: refusable(STAFF, 'an account that owns no step of that application gets 404'),
  uploadEvidence: { allow: APPLICANT },
  downloadEvidence: { allow: BUSINESS, refusableFor: { roles: EXPERT, why: 'the application assigned to the demo expert has no files' } },
  deleteEvidence: { allow: APPLICANT },
  withdrawEvidence: refusable(APPLICANT, 'only a frozen file is withdrawn'),
  listRevisions: { allow: BUSINESS },
  getRevision: { allow: BUSINESS, refusableFor: { roles: APPLICANT, why: 'the demo applicant has only its new draft, never submitted' } },
  revealContact: { allow: BUSINESS, note: 'an applicant sees its own application’s contact' },

  // ── 登录与账号 sign-in and one's own account
  login: { allow: 'public' },
  logout: { allow: 'public' },
  listMySessions: { allow: EVERYONE_SIGNED_IN },
  revokeOtherSessions: { allow: EVERYONE_SIGNED_IN },
  changePassword: refusable(EVERYONE_SIGNED_IN, 'the new password is the current one'),
  setupTotp: { allow: EVERYONE_SIGNED_IN, note: 'starts a pending secret; the factor is on only once confirmed' },
  confirmTotp: refusable(EVERYONE_SIGNED_IN, 'the code is not a valid one'),
  disableTotp: refusable(EVERYONE_SIGNED_IN, 'no second factor is on'),
  getMe: { allow: EVERYONE_SIGNED_IN },

  // ── 创建活动 campaigns
  listCampaigns: { allow: BUSINESS },
  listChainPresets: { allow: BUSINESS, note: 'the presets are reference data; only an office creates campaigns with them' },
  createCampaign: { allow: OFFICE },
  updateCampaign: { allow: OFFICE },
  withdrawCampaign: refusable(OFFICE, 'a campaign with applications under way is not withdrawn (409)'),
  getDashboard: { allow: STAFF },

  // ── 专家 experts, on-site checks, 整改
  listExpertPool: { allow: OFFICE },
  searchExpertSubjects: { allow: OFFICE },
  putExpertProfile: refusable(OFFICE, 'generated profile data'),
  getCampaignAssignments: { allow: OFFICE },
  assignExperts: refusable(OFFICE, 'the application is not at an on-site step'),
  autoAssignExperts: refusable(OFFICE, 'the campaign has no on-site step'),
  withdrawAssignment: { allow: OFFICE },
  listMyOnsiteAssignments: { allow: BUSINESS, note: 'anyone but an expert gets an empty list' },
  getOnsiteCheck: { allow: EXPERT },
  saveOnsiteCheck: refusable(EXPERT, 'generated findings'),
  uploadOnsitePhoto: refusable(EXPERT, 'the test uploads a PDF, not a photo'),
  downloadOnsitePhoto: refusable(EXPERT, 'the demo world has no photo'),
  deleteOnsitePhoto: refusable(EXPERT, 'the demo world has no photo'),
  submitOnsiteCheck: refusable(EXPERT, 'the check is not complete'),
  requestRectification: refusable(EXPERT, 'generated request'),
  listRectifications: { allow: ['safety_office', 'expert', 'applicant'] },
  answerRectification: refusable(APPLICANT, 'the demo world has no rectification'),
  recheckRectification: refusable(EXPERT, 'the demo world has no rectification'),

  // ── 明查暗访 inspections: the office
  drawInspectionSample: { allow: OFFICE },
  listInspectionSamples: { allow: OFFICE },
  getInspectionSample: { allow: OFFICE },
  recordInspection: refusable(OFFICE, 'generated result'),
  getInspectionResults: { allow: OFFICE },

  // ── 公示 notices
  listNotices: { allow: BUSINESS, note: 'the notices of the account’s region; an applicant (no region) gets an empty list' },
  listNoticeCandidates: { allow: OFFICE },
  getNotice: { allow: STAFF },
  publishNotice: refusable(OFFICE, 'the applications named are not evaluated'),
  updateNotice: refusable(OFFICE, 'generated notice data'),
  withdrawNotice: refusable(OFFICE, 'the reason and state'),
  removeNoticeItem: refusable(OFFICE, 'generated reason'),
  conferNotice: refusable(OFFICE, 'the notice period has not ended'),
  listPublicNotices: { allow: 'public' },
  getPublicNotice: { allow: 'public' },
  // ── 异议 objections: the public files them; the candidate's lead department and the owning office handle them
  fileObjection: refusable('public', 'a real-name filing without its SMS code'),
  uploadObjectionFile: refusable('public', 'no upload token'),
  getObjectionReceipt: { allow: 'public' },
  listObjections: { allow: ['safety_office', 'lead_department'], accounts: { lead_department: 'city_women' } },
  getObjection: { allow: ['safety_office', 'lead_department'], accounts: { lead_department: 'city_women' } },
  recordObjectionFindings: {
    ...refusable(['safety_office', 'lead_department'], 'the demo objection is closed'),
    accounts: { lead_department: 'city_women' },
  },
  decideObjection: refusable(OFFICE, 'the demo objection is closed'),
  revealObjectorContact: {
    ...refusable(['safety_office', 'lead_department'], 'the demo objections are anonymous'),
    accounts: { lead_department: 'city_women' },
  },
  downloadObjectionFile: { allow: ['safety_office', 'lead_department'], accounts: { lead_department: 'city_women' } },

  // ── 通知 one's own notifications
  listNotifications: { allow: EVERYONE_SIGNED_IN },
  markAllNotificationsRead: { allow: EVERYONE_SIGNED_IN },
  markNotificationRead: refusable(EVERYONE_SIGNED_IN, 'an account with no notification of its own gets 404'),

  // ── 名额 quotas
  getQuotas: { allow: ['safety_office', 'lead_department'] },
  replaceQuotas: refusable(OFFICE, 'generated quota rows'),
  loadQuotaTable: refusable(OFFICE, 'generated table code'),
  importQuotas: refusable(OFFICE, 'the test uploads a file that is not a real workbook'),

  // ── 评级 rating
  rateCampaign: { allow: OFFICE },
  getJob: { allow: OFFICE },
  rateApplication: {
    allow: STAFF,
    refusableFor: {
      roles: EXPERT,
      why: 'FINDING: rating/queries.ts applicationScopeRow selects no id, so an expert’s assignment is never in scope (404)',
    },
  },

  // ── 推荐 recommendations (004)
  listRecommendations: { allow: ['safety_office', 'lead_department'] },
  // a campaign's own office does not recommend into it (403): a lower office or the campaign region's lead department does
  recommendTitle: { ...refusable(['safety_office', 'lead_department'], 'generated title id'), accounts: { safety_office: 'qs_office' } },
  withdrawRecommendation: {
    ...refusable(['safety_office', 'lead_department'], 'generated reason'),
    accounts: { safety_office: 'qs_office' },
  },
  getNominations: { allow: ['safety_office', 'lead_department'] },

  listRegions: { allow: BUSINESS },

  // ── 评选 selections
  listSelections: { allow: OFFICE },
  runSelection: refusable(OFFICE, 'the campaign has no 4-star round'),

  // ── 会签 signoffs
  listSignoffWorklist: { allow: DEPARTMENTS },
  saveSignoffScores: refusable(DEPARTMENTS, 'generated scores'),
  signSignoff: refusable(DEPARTMENTS, 'generated decision'),
  overrideSignoff: refusable(OFFICE, 'the deadline has not passed'),
  getSignoffMatrix: { allow: OFFICE },

  // ── 标准 standards
  listStandards: { allow: BUSINESS },
  getStandardVersion: { allow: BUSINESS },
  listCategories: { allow: BUSINESS },
  validateStandard: { allow: BUSINESS, note: 'checks a document and stores nothing' },
  createStandard: refusable(OFFICE, 'a generated standard is not a valid one'),
  addStandardVersion: refusable(OFFICE, 'a generated standard is not a valid one'),
  diffStandardVersions: { allow: BUSINESS },
  exportStandardVersion: { allow: BUSINESS },

  // ── 称号 titles
  listTitles: { allow: BUSINESS },
  downloadCertificate: { allow: BUSINESS, refusableFor: { roles: APPLICANT, why: 'the demo applicant holds no title yet' } },
  getSigningKey: { allow: 'public' },
  setNamingDocument: { allow: OFFICE },
  startCertificateBatch: { allow: OFFICE },
  listCertificateBatches: { allow: OFFICE },
  getCertificateBatch: { allow: OFFICE },
  downloadCertificateBatchPdf: { allow: OFFICE },
  downloadCertificateBatchZip: { allow: OFFICE },
  // ── 荣誉榜 the honour roll, its open data, a title's public page
  listHonourRoll: { allow: 'public' },
  exportHonourCsv: { allow: 'public' },
  exportHonourJson: { allow: 'public' },
  getPublicTitle: { allow: 'public' },
  // ── 事件与申诉 incidents: recorded by offices and departments, decided by the conferring office, appealed by the holder
  listIncidents: {
    allow: ['safety_office', 'lead_department', 'cooperating_department', 'applicant'],
    note: 'an applicant sees the confirmed incidents against its own unit',
  },
  listIncidentTargets: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  recordIncident: refusable(
    ['safety_office', 'lead_department', 'cooperating_department'],
    'generated body names both a subject and a region',
  ),
  getIncident: {
    allow: ['safety_office', 'lead_department', 'cooperating_department', 'applicant'],
    refusableFor: { roles: APPLICANT, why: 'the demo incident is against 云州市人民医院, not the demo applicant' },
  },
  uploadIncidentFile: refusable(['safety_office', 'lead_department', 'cooperating_department'], 'the demo incident is already decided'),
  downloadIncidentFile: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  confirmIncident: refusable(OFFICE, 'the demo incident is already confirmed'),
  dismissIncident: refusable(OFFICE, 'the demo incident is already confirmed'),
  fileIncidentAppeal: refusable(APPLICANT, 'the demo applicant holds no incident'),
  decideIncidentAppeal: refusable(OFFICE, 'the demo incident has no appeal yet'),
  // ── 网络评选 the online vote: the campaign office runs it, the public votes by phone and SMS code
  listVotes: { allow: OFFICE },
  listVoteCandidates: { allow: OFFICE },
  createVote: refusable(OFFICE, 'the generated campaign’s chain has no vote step'),
  getVote: { allow: OFFICE },
  listVoteBallots: { allow: OFFICE },
  setAsideBallots: refusable(OFFICE, 'ballot 1 carries no anomaly flag'),
  restoreBallots: refusable(OFFICE, 'generated ballot ids'),
  closeVote: refusable(OFFICE, 'the state of the demo vote'),
  applyVoteResult: refusable(OFFICE, 'the demo vote is open until the close'),
  listPublicVotes: { allow: 'public' },
  getPublicVote: { allow: 'public' },
  castBallot: refusable('public', 'no SMS code was sent for the number'),
  // ── 公众 the public's one-time codes
  requestSmsCode: { allow: 'public' },
  // ── issue 8: regions assessed, one file per area under authz/
  ...surveysRules,
  ...assessmentRules,
  ...analyticsRules,
  ...rosterRules,
  ...documentsRules,
  ...filingsRules,
};

/** The actors a rule lets through. */
export function allowedActors(rule: Rule): Actor[] {
  return rule.allow === 'public' ? [...ACTORS] : [...rule.allow];
}

// ───────────────────────────── well-formed requests from the contract ─────────────────────────────
// Shared with access.test.ts: a request must pass the contract's schema to reach the handler, where
// authorisation is decided.

/** the platform's calendar day: dates in bodies are today's, which no rule refuses as too early or too late */
export const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Def = { type: string; [k: string]: any };
const def = (s: z.ZodType): Def => (s as any)._zod.def as Def;

/** Values for fields whose name says what they are: real ids from the demo world, filled in per actor. */
export type Refs = Record<string, number | string | undefined>;

/** A plausible value for a schema; names that are ids take the actor's real ids. */
export function example(s: z.ZodType | undefined, refs: Refs, key = '', depth = 0): Json | undefined {
  if (!s || depth > 8) return undefined;
  const d = def(s);
  switch (d.type) {
    case 'string':
      if (key in refs && refs[key] !== undefined) return String(refs[key]);
      if (/date|deadline|on$|start|end|day|before/i.test(key)) return TODAY;
      // a new number each time: one code a minute per number (modules/public/otp.ts)
      if (/phone/i.test(key)) return `139${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;
      if (/email/i.test(key)) return 'authz@example.com';
      if (/username/i.test(key)) return `authz_${randomBytes(3).toString('hex')}`;
      return '权限矩阵测试';
    case 'number':
    case 'int':
      if (key in refs && typeof refs[key] === 'number') return refs[key] as number;
      return /year/i.test(key) ? 2026 : 1;
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(d.entries as Record<string, string>)[0]!;
    case 'literal':
      return (d.values as Json[])[0]!;
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) {
        const e = example(v, refs, k, depth + 1);
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    case 'array': {
      if (/ids$/i.test(key) && refs[key.replace(/s$/i, '')] !== undefined) return [refs[key.replace(/s$/i, '')] as number];
      const e = example(d.element, refs, key.replace(/s$/, ''), depth + 1);
      return e === undefined ? [] : [e];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return example(d.innerType, refs, key, depth + 1);
    case 'pipe':
      return def(d.in).type === 'transform' ? example(d.out, refs, key, depth + 1) : example(d.in, refs, key, depth + 1);
    case 'union':
      return example(d.options[0], refs, key, depth + 1);
    case 'lazy':
      return example(d.getter(), refs, key, depth + 1);
    case 'record':
      return {};
    default:
      return '权限矩阵测试';
  }
}

/** Nudges a value until the schema accepts it (json-value.ts), with today's date and this file's text. */
export function repair(s: z.ZodType, value: Json): Json {
  return repairToSchema(s, value, { date: TODAY, text: '权限矩阵测试ABC' });
}

export function multipartBody(parts: { name: string; value: string | Buffer; fileName?: string; contentType?: string }[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----authz${randomBytes(6).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = p.fileName !== undefined ? `form-data; name="${p.name}"; filename="${p.fileName}"` : `form-data; name="${p.name}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`),
    );
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A query string the schema accepts, with the fewest parameters (lists stay unfiltered). */
export function queryString(schema: z.ZodType | undefined, refs: Refs): string {
  if (!schema) return '';
  const qv = repair(schema, example(schema, refs) ?? {});
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries((qv ?? {}) as Record<string, Json>))
    if (v !== null && typeof v !== 'object') params.set(k, String(v));
  for (const k of [...params.keys()])
    if (schema.safeParse(Object.fromEntries([...params].filter(([x]) => x !== k))).success) params.delete(k);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** A body the schema accepts where it can be built from the schema alone. */
export function bodyFor(schema: z.ZodType | undefined, refs: Refs): unknown {
  return schema ? repair(schema, example(schema, refs) ?? {}) : undefined;
}

/** A one-file multipart body: a small PDF, or something named .xlsx for the import routes. */
export function uploadBody(routeId: string): { payload: Buffer; headers: Record<string, string> } {
  const xlsx = /import/i.test(routeId);
  return multipartBody([
    {
      name: 'file',
      value: xlsx ? Buffer.from('PK\u0003\u0004') : PDF_BYTES,
      fileName: xlsx ? 'import.xlsx' : 'photo.pdf',
      contentType: xlsx ? XLSX : 'application/pdf',
    },
  ]);
}
