import type { RequestOf, ResponseOf } from '@pingan/contract';
import { adminApi } from '@pingan/contract';
import { ApiError, call, request, urlOf } from './client';

/**
 * 系统管理 (三员分立): accounts and organisations (系统管理员), the security policy (安全管理员).
 * Every type is derived from the contract (packages/contract/src/admin.ts).
 */
type AdminApi = typeof adminApi;

export type AdminUserList = ResponseOf<AdminApi['listUsers']>;
export type AdminUser = AdminUserList['items'][number];
export type AdminUserQuery = NonNullable<RequestOf<AdminApi['listUsers']>['query']>;
export type CreateUserInput = RequestOf<AdminApi['createUser']>['body'];
export type UpdateUserInput = RequestOf<AdminApi['updateUser']>['body'];
export type CreatedUser = ResponseOf<AdminApi['createUser']>;
export type ImportReport = ResponseOf<AdminApi['importUsers']>;
export type ImportedAccount = ImportReport['accounts'][number];
export type AdminOrgList = ResponseOf<AdminApi['listOrgs']>;
export type AdminOrg = AdminOrgList['items'][number];
export type AdminOrgQuery = NonNullable<RequestOf<AdminApi['listOrgs']>['query']>;
export type OrgInput = RequestOf<AdminApi['createOrg']>['body'];
export type AdminRegion = ResponseOf<AdminApi['regions']>[number];
export type AdminSubject = ResponseOf<AdminApi['subjects']>['items'][number];
export type SecurityPolicyView = ResponseOf<AdminApi['getPolicy']>;
export type SecurityPolicy = RequestOf<AdminApi['putPolicy']>['body'];

/** Filters of the account list as the page holds them (the query's disabled flag is text on the wire). */
export interface UserFilters {
  q?: string;
  role?: AdminUser['role'];
  orgId?: number;
  disabled?: boolean;
}
const userQuery = (f: UserFilters) => ({
  q: f.q || undefined,
  role: f.role,
  orgId: f.orgId,
  disabled: f.disabled === undefined ? undefined : f.disabled ? ('true' as const) : ('false' as const),
});

export const listUsers = (f: UserFilters, limit: number, offset: number) =>
  call(adminApi.listUsers, { query: { ...userQuery(f), limit, offset } });
export const usersXlsxUrl = (f: UserFilters) => urlOf(adminApi.exportUsers, { query: userQuery(f) });
export const importTemplateUrl = () => urlOf(adminApi.importTemplate, {});
export const createUser = (body: CreateUserInput) => call(adminApi.createUser, { body });
export const updateUser = (id: number, body: UpdateUserInput) => call(adminApi.updateUser, { params: { id }, body });
export const resetPassword = (id: number) => call(adminApi.resetPassword, { params: { id } });
export const resetTotp = (id: number) => call(adminApi.resetTotp, { params: { id } });
export function importUsers(file: File) {
  const form = new FormData();
  form.append('file', file);
  return request<ImportReport>('POST', urlOf(adminApi.importUsers, {}), form);
}

/** The wrong rows of a refused import (400 IMPORT_INVALID), or null for any other failure. */
export function importProblems(e: unknown): { row: number; reasons: string[] }[] | null {
  if (!(e instanceof ApiError) || e.code !== 'IMPORT_INVALID') return null;
  const rows = (e.details as { rows?: unknown } | undefined)?.rows;
  if (!Array.isArray(rows)) return null;
  return rows.filter(
    (r): r is { row: number; reasons: string[] } =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as { row?: unknown }).row === 'number' &&
      Array.isArray((r as { reasons?: unknown }).reasons),
  );
}

export const listOrgs = (q: { q?: string; kind?: AdminOrg['kind']; regionId?: number }, limit: number, offset: number) =>
  call(adminApi.listOrgs, { query: { q: q.q || undefined, kind: q.kind, regionId: q.regionId, limit, offset } });
export const orgsXlsxUrl = (q: { q?: string; kind?: AdminOrg['kind']; regionId?: number }) =>
  urlOf(adminApi.listOrgs, { query: { q: q.q || undefined, kind: q.kind, regionId: q.regionId, format: 'xlsx' } });
export const createOrg = (body: OrgInput) => call(adminApi.createOrg, { body });
export const updateOrg = (id: number, body: OrgInput) => call(adminApi.updateOrg, { params: { id }, body });
export const listAdminRegions = () => call(adminApi.regions, {});
export const searchAdminSubjects = (q: string) => call(adminApi.subjects, { query: { q: q || undefined, limit: 30 } });

export const getPolicy = () => call(adminApi.getPolicy, {});
export const putPolicy = (body: SecurityPolicy) => call(adminApi.putPolicy, { body });
