import * as contract from '@pingan/contract';
import { auditApi, summaryEn, summaryZh, type RequestOf, type ResponseOf, type RouteContract } from '@pingan/contract';
import { call, urlOf } from './client';

/** 审计日志 (audit administrator only). Types derived from the contract (packages/contract/src/audit.ts). */
export type AuditPage = ResponseOf<typeof auditApi.list>;
export type AuditItem = AuditPage['items'][number];
export type AuditQuery = NonNullable<RequestOf<typeof auditApi.list>['query']>;
/** the filters the list and the export share */
export type AuditFilterValues = NonNullable<RequestOf<typeof auditApi.export>['query']>;
export type AuditVerifyResult = ResponseOf<typeof auditApi.verify>;
export type AuditPurgeResult = ResponseOf<typeof auditApi.purge>;

export const listAudit = (query: AuditQuery) => call(auditApi.list, { query });
export const auditXlsxUrl = (query: AuditFilterValues) => urlOf(auditApi.export, { query });
export const verifyAudit = () => call(auditApi.verify, {});
export const purgeAudit = (before: string) => call(auditApi.purge, { body: { before } });

/** Every route of the contract: an action of the trail is a route id, shown by the route's summary. */
const ROUTES: RouteContract[] = Object.entries(contract)
  .filter(([name, v]) => name.endsWith('Api') && v !== null && typeof v === 'object')
  .flatMap(([, v]) => Object.values(v as Record<string, unknown>))
  .filter(
    (r): r is RouteContract =>
      !!r && typeof r === 'object' && typeof (r as RouteContract).id === 'string' && typeof (r as RouteContract).path === 'string',
  );

const BY_ID = new Map(ROUTES.map((r) => [r.id, r]));

/** The actions worth filtering by: every route that writes, answers a file, or shows the trail. */
export const AUDITED_ACTIONS: { id: string; zh: string; en: string }[] = ROUTES.filter(
  (r) => r.method !== 'GET' || r.file || r.id === auditApi.list.id,
)
  .map((r) => ({ id: r.id, zh: summaryZh(r.summary), en: summaryEn(r.summary) }))
  .sort((a, b) => a.id.localeCompare(b.id));

/** The areas (route tags) an object of the trail belongs to. */
export const OBJECT_TYPES: string[] = [...new Set(ROUTES.map((r) => r.tags[0]).filter((t): t is string => !!t))].sort();

/** An action as a person reads it: the route's summary in the reader's language, or the action itself. */
export function actionLabel(action: string, lang: 'zh-CN' | 'en-US'): string {
  const r = BY_ID.get(action);
  if (!r) return action;
  return lang === 'zh-CN' ? summaryZh(r.summary) : summaryEn(r.summary);
}

const BEIJING = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A moment in Beijing time with its offset, whatever the browser's zone: 2026-05-01 14:03:22 +08:00. */
export const fmtBeijing = (iso: string) => `${BEIJING.format(new Date(iso))} +08:00`;
