import { z } from 'zod';
import { DateStr, Id, Page, Text, Timestamp, route } from './route.js';

/**
 * 审计日志: the append-only, HMAC-chained audit trail, for the audit administrator (审计管理员)
 * only. Every state-changing request, every file answer and every look at the trail is a row.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

/** The most rows one Excel export carries (the newest first); narrow the filters for more. */
export const AUDIT_EXPORT_MAX = 20_000;

export const AuditResult = z.enum(['ok', 'denied', 'failed']);
export type AuditResult = z.infer<typeof AuditResult>;

/** The filters of the list and of the export; dates are calendar days in Beijing time, both ends included. */
export const AuditFilters = z.object({
  from: DateStr.optional(),
  to: DateStr.optional(),
  /** part of the account name (case-insensitive) */
  username: Text(64).trim().optional(),
  /** a route id (the contract's operationId), e.g. login, saveDraft, purgeAudit */
  action: Text(80).trim().optional(),
  result: AuditResult.optional(),
  /** the route's area (its tag), e.g. auth, applications, evidence */
  objectType: Text(40).trim().optional(),
  objectId: Text(64).trim().optional(),
  /** only rows up to this id: the list's `untilId`, passed back so that later pages do not shift as rows arrive */
  untilId: Id.optional(),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

export const AuditItem = z
  .object({
    id: z.number(),
    at: Timestamp,
    userId: z.number().nullable(),
    /** the account, or for a failed login the name as typed */
    username: z.string().nullable(),
    /** a role of @pingan/core ROLES, as it was when the row was written */
    role: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    action: z.string(),
    objectType: z.string().nullable(),
    objectId: z.string().nullable(),
    result: AuditResult,
    /** the answer's status and error code, and for purges the count and the last purged hash; never a request body */
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditItem', description: '审计记录 One row of the audit trail' });

export const AuditPage = z.object({
  items: z.array(AuditItem),
  total: z.number(),
  /** the newest row this answer considered; send it back as `untilId` for the next pages of the same list */
  untilId: z.number(),
});

export const AuditVerifyResult = z
  .object({
    /** rows checked, up to and including the first broken one */
    rows: z.number(),
    firstBroken: z.object({ id: z.number(), reason: z.enum(['hash', 'link']) }).nullable(),
  })
  .meta({ id: 'AuditVerifyResult', description: '审计日志校验结果 Result of checking the audit chain' });

export const AuditPurgeResult = z.object({
  purged: z.number(),
  /** rows older than this moment went: the earlier of `before` (00:00 Beijing time) and now − the retention period */
  cutoff: Timestamp,
  /** the hash of the last purged row, which the first remaining row links to; null when nothing was purged */
  lastHash: z.string().nullable(),
});

export const auditApi = {
  list: route({
    id: 'listAudit',
    method: 'GET',
    path: '/api/audit',
    summary: '审计日志 The audit trail, newest first (audit administrator only)',
    tags: ['audit'],
    auth: 'session',
    query: AuditFilters.extend(Page),
    status: 200,
    response: AuditPage,
  }),
  export: route({
    id: 'exportAudit',
    method: 'GET',
    path: '/api/audit/export',
    summary: `导出审计日志 The audit trail as .xlsx, the newest ${AUDIT_EXPORT_MAX} rows at most (audit administrator only)`,
    tags: ['audit'],
    auth: 'session',
    query: AuditFilters,
    status: 200,
    response: null,
    file: XLSX,
  }),
  verify: route({
    id: 'verifyAudit',
    method: 'POST',
    path: '/api/audit/verify',
    summary: '校验审计日志 Check the HMAC chain of the whole trail (audit administrator only)',
    tags: ['audit'],
    auth: 'session',
    status: 200,
    response: AuditVerifyResult,
  }),
  purge: route({
    id: 'purgeAudit',
    method: 'POST',
    path: '/api/audit/purge',
    summary: '清理过期审计日志 Delete rows older than a date and past the retention period (audit administrator only)',
    tags: ['audit'],
    auth: 'session',
    body: z.object({ before: DateStr }),
    status: 200,
    response: AuditPurgeResult,
  }),
};

/** The Chinese part of a route's summary ("登录 Log in …" → "登录"); the whole summary when it has none. */
export function summaryZh(summary: string): string {
  const zh = /^[^A-Za-z]*/.exec(summary)?.[0].trim() ?? '';
  return zh || summary;
}

/** The English part of a route's summary ("登录 Log in …" → "Log in …"). */
export function summaryEn(summary: string): string {
  const zh = /^[^A-Za-z]*/.exec(summary)?.[0] ?? '';
  return summary.slice(zh.length).trim() || summary;
}
