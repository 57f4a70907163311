import { z } from 'zod';
import { ROLES, SubjectKind } from '@pingan/core';
import type { Role } from '@pingan/core';
import { Id, IdParams, Ok, Page, Text, Timestamp, route } from './route.js';

/**
 * 系统管理 (三员分立): accounts and organisations (系统管理员 sys_admin only) and the security policy
 * (安全管理员 security_admin only). The audit trail (审计管理员) has its own contract.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;

export const RoleEnum = z.enum(ROLES);

/** The three administrators (三员): they manage the platform and do no business work. */
export const ADMIN_ROLES = ['sys_admin', 'security_admin', 'audit_admin'] as const satisfies readonly Role[];
export function isAdminRole(role: Role): boolean {
  return (ADMIN_ROLES as readonly string[]).includes(role);
}

/**
 * What an account of each role is attached to: staff to an organisation, an applicant to a subject
 * (申报主体), an administrator to nothing (so no scope lets it do business).
 */
export const ROLE_ATTACHMENT: Record<Role, 'org' | 'subject' | 'none'> = {
  safety_office: 'org',
  lead_department: 'org',
  cooperating_department: 'org',
  expert: 'org',
  applicant: 'subject',
  sys_admin: 'none',
  security_admin: 'none',
  audit_admin: 'none',
};
/** The organisation kind a staff role needs (an expert may sit in either). */
export const ROLE_ORG_KIND: Partial<Record<Role, 'safety_office' | 'department'>> = {
  safety_office: 'safety_office',
  lead_department: 'department',
  cooperating_department: 'department',
};

export const OrgKind = z.enum(['safety_office', 'department']);

/** Username: 3–64 characters of letters, digits, '_', '.', '-', starting with a letter or digit. */
export const Username = z
  .string()
  .min(3, '用户名至少3个字符')
  .max(64, '用户名不能超过64个字符')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, '用户名只能包含字母、数字、下划线、点和连字符，且以字母或数字开头');

const Email = z.string().max(254, '邮箱不能超过254个字符').email('邮箱格式不正确');
const Phone = z.string().regex(/^[0-9+\-\s]{5,20}$/, '电话格式不正确');
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

// ───────────────────────────── accounts ─────────────────────────────

export const AdminUserView = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: RoleEnum,
    org: z.object({ id: z.number(), name: z.string(), kind: OrgKind, regionId: z.number(), regionName: z.string() }).nullable(),
    subject: z.object({ id: z.number(), name: z.string(), kind: SubjectKind, regionName: z.string() }).nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    disabled: z.boolean(),
    /** the next login must set a new password (new account, reset) */
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
    /** set while the account is locked after failed logins */
    lockedUntil: Timestamp.nullable(),
    passwordChangedAt: Timestamp,
    lastLoginAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'AdminUser', description: '账号 An account as the system administrator sees it (never a password or secret)' });

export const AdminUserQuery = z.object({
  /** part of the username or display name */
  q: Text(64).optional(),
  role: RoleEnum.optional(),
  orgId: Id.optional(),
  subjectId: Id.optional(),
  disabled: Flag.optional(),
  ...Page,
});

export const AdminUserList = z.object({ items: z.array(AdminUserView), total: z.number().int() });

export const CreateUserInput = z.object({
  username: Username,
  displayName: Text(64).trim().min(1, '请输入姓名'),
  role: RoleEnum,
  /** for staff roles (ROLE_ATTACHMENT 'org') */
  orgId: Id.nullable().optional(),
  /** for applicants (ROLE_ATTACHMENT 'subject') */
  subjectId: Id.nullable().optional(),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
});

/** Every field optional: only those present change. */
export const UpdateUserInput = z.object({
  displayName: Text(64).trim().min(1, '请输入姓名').optional(),
  role: RoleEnum.optional(),
  orgId: Id.nullable().optional(),
  subjectId: Id.nullable().optional(),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  disabled: z.boolean().optional(),
  /** clears a lockout after failed logins */
  unlock: z.boolean().optional(),
});

/** A one-time password: shown once, in this answer only; the account must change it at first login. */
export const CreatedUser = z
  .object({ user: AdminUserView, oneTimePassword: z.string() })
  .meta({ id: 'CreatedUser', description: '新账号与一次性密码 The new account and its one-time password (shown once)' });

export const UpdatedUser = z.object({
  user: AdminUserView,
  /** sessions ended by this change (disabling, a role or scope change) */
  sessionsEnded: z.number().int(),
});

export const ResetPasswordAnswer = z.object({
  oneTimePassword: z.string(),
  sessionsEnded: z.number().int(),
});

/** One row of an import that is wrong, with every reason (the import changed nothing). */
export const ImportRowProblem = z.object({ row: z.number().int(), reasons: z.array(z.string()) }).meta({ id: 'ImportRowProblem' });
/**
 * The `details` of the 400 answer (code IMPORT_INVALID) when any row is wrong:
 * `{ rows: ImportRowProblem[] }`, rows numbered as in Excel (the header is row 1).
 */
export const ImportProblems = z.object({ rows: z.array(ImportRowProblem) });

export const ImportedAccount = z.object({
  row: z.number().int(),
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: RoleEnum,
  oneTimePassword: z.string(),
});
export const ImportReport = z
  .object({ created: z.number().int(), accounts: z.array(ImportedAccount) })
  .meta({ id: 'ImportReport', description: '导入结果 Accounts created by an import, with their one-time passwords (shown once)' });

/** At most this many rows in one import file. */
export const IMPORT_MAX_ROWS = 500;
/** The columns of the import template, in order. */
export const IMPORT_COLUMNS = ['用户名', '姓名', '角色', '组织编号', '申报主体编号', '邮箱', '电话'] as const;

// ───────────────────────────── organisations ─────────────────────────────

export const AdminOrgView = z
  .object({
    id: z.number(),
    name: z.string(),
    kind: OrgKind,
    deptCode: z.string(),
    regionId: z.number(),
    regionName: z.string(),
    regionPath: z.string(),
    /** accounts attached to it */
    users: z.number().int(),
  })
  .meta({ id: 'AdminOrg', description: '组织 A 平安办 or department' });

export const AdminOrgQuery = z.object({
  q: Text(64).optional(),
  kind: OrgKind.optional(),
  regionId: Id.optional(),
  format: z.enum(['json', 'xlsx']).optional(),
  ...Page,
});

export const OrgInput = z.object({
  name: Text(100).trim().min(1, '请输入组织名称'),
  kind: OrgKind,
  regionId: Id,
  /** 部门代码: a code of the department catalogue (core DEPARTMENTS: education, health, police …); safety_office for a 平安办 */
  deptCode: z
    .string()
    .min(1, '请输入部门代码')
    .max(32, '部门代码不能超过32个字符')
    .regex(/^[a-z][a-z0-9_]*$/, '部门代码只能包含小写字母、数字和下划线，且以字母开头'),
});

/** The whole region tree and the subjects, for the pickers of the account and organisation forms. */
export const AdminRegion = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'town', 'village', 'grid']),
  path: z.string(),
});
export const AdminSubject = z.object({ id: z.number(), name: z.string(), kind: SubjectKind, regionName: z.string() });

// ───────────────────────────── security policy ─────────────────────────────

export const PasswordProfile = z.enum(['dengbao', 'asvs']);

/** Bounds of every number of the policy (inclusive). */
export const POLICY_BOUNDS = {
  lockoutFailures: { min: 3, max: 20 },
  lockoutMinutes: { min: 1, max: 1440 },
  idleMinutes: { min: 5, max: 240 },
  sessionHours: { min: 1, max: 72 },
} as const;

const bounded = (k: keyof typeof POLICY_BOUNDS, label: string) =>
  z
    .number()
    .int(`${label}须为整数`)
    .min(POLICY_BOUNDS[k].min, `${label}不能小于${POLICY_BOUNDS[k].min}`)
    .max(POLICY_BOUNDS[k].max, `${label}不能大于${POLICY_BOUNDS[k].max}`);

export const SecurityPolicy = z
  .object({
    /** dengbao: 等保 (≥ 8 characters, 3 of 4 classes, expires after 90 days); asvs: ASVS 5.0 (≥ 12 characters, not a common password, no expiry) */
    passwordProfile: PasswordProfile,
    /** failed logins in a row that lock an account */
    lockoutFailures: bounded('lockoutFailures', '锁定阈值'),
    lockoutMinutes: bounded('lockoutMinutes', '锁定时长'),
    /** a session unused this long ends */
    idleMinutes: bounded('idleMinutes', '空闲超时'),
    /** a session ends this long after login, however busy */
    sessionHours: bounded('sessionHours', '会话最长时长'),
    /** staff (平安办, departments, experts) must use a second factor (TOTP) */
    totpRequiredForStaff: z.boolean(),
    /** the three administrators must use a second factor (TOTP) */
    totpRequiredForAdmins: z.boolean(),
  })
  .meta({ id: 'SecurityPolicy', description: '安全策略 The security policy' });

export const SecurityPolicyView = z
  .object({
    policy: SecurityPolicy,
    /** the values from the server's configuration, used where nothing was saved */
    defaults: SecurityPolicy,
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'SecurityPolicyView' });

// ───────────────────────────── routes ─────────────────────────────

export const adminApi = {
  listUsers: route({
    id: 'adminListUsers',
    method: 'GET',
    path: '/api/admin/users',
    summary: '账号列表 Accounts (system administrator)',
    tags: ['admin'],
    auth: 'session',
    query: AdminUserQuery,
    status: 200,
    response: AdminUserList,
  }),
  exportUsers: route({
    id: 'adminExportUsers',
    method: 'GET',
    path: '/api/admin/users/export',
    summary: '导出账号 Accounts as .xlsx (same filters; never passwords or secrets)',
    tags: ['admin'],
    auth: 'session',
    query: AdminUserQuery.omit({ limit: true, offset: true }),
    status: 200,
    response: null,
    file: XLSX,
  }),
  importTemplate: route({
    id: 'adminUserImportTemplate',
    method: 'GET',
    path: '/api/admin/users/import-template',
    summary: '账号导入模板 The .xlsx template for importing accounts',
    tags: ['admin'],
    auth: 'session',
    status: 200,
    response: null,
    file: XLSX,
  }),
  importUsers: route({
    id: 'adminImportUsers',
    method: 'POST',
    path: '/api/admin/users/import',
    summary: '导入账号 Import accounts from .xlsx (multipart: file); all or nothing, 400 IMPORT_INVALID lists the wrong rows',
    tags: ['admin'],
    auth: 'session',
    multipart: true,
    status: 201,
    response: ImportReport,
  }),
  getUser: route({
    id: 'adminGetUser',
    method: 'GET',
    path: '/api/admin/users/:id',
    summary: '账号详情 One account',
    tags: ['admin'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: AdminUserView,
  }),
  createUser: route({
    id: 'adminCreateUser',
    method: 'POST',
    path: '/api/admin/users',
    summary: '新建账号 Create an account (answers a one-time password, shown once)',
    tags: ['admin'],
    auth: 'session',
    body: CreateUserInput,
    status: 201,
    response: CreatedUser,
  }),
  updateUser: route({
    id: 'adminUpdateUser',
    method: 'PUT',
    path: '/api/admin/users/:id',
    summary: '修改账号 Update an account (disabling or a role change ends its sessions)',
    tags: ['admin'],
    auth: 'session',
    params: IdParams,
    body: UpdateUserInput,
    status: 200,
    response: UpdatedUser,
  }),
  resetPassword: route({
    id: 'adminResetPassword',
    method: 'POST',
    path: '/api/admin/users/:id/reset-password',
    summary: '重置密码 Reset a password (one-time password, must change, ends its sessions)',
    tags: ['admin'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: ResetPasswordAnswer,
  }),
  resetTotp: route({
    id: 'adminResetTotp',
    method: 'POST',
    path: '/api/admin/users/:id/reset-totp',
    summary: '重置双因素 Remove an account’s second factor (lost device; ends its sessions)',
    tags: ['admin'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: Ok,
  }),
  listOrgs: route({
    id: 'adminListOrgs',
    method: 'GET',
    path: '/api/admin/orgs',
    summary: '组织列表 Organisations (?format=xlsx exports)',
    tags: ['admin'],
    auth: 'session',
    query: AdminOrgQuery,
    status: 200,
    response: z.object({ items: z.array(AdminOrgView), total: z.number().int() }),
    xlsx: true,
    file: XLSX,
  }),
  createOrg: route({
    id: 'adminCreateOrg',
    method: 'POST',
    path: '/api/admin/orgs',
    summary: '新建组织 Create an organisation',
    tags: ['admin'],
    auth: 'session',
    body: OrgInput,
    status: 201,
    response: AdminOrgView,
  }),
  updateOrg: route({
    id: 'adminUpdateOrg',
    method: 'PUT',
    path: '/api/admin/orgs/:id',
    summary: '修改组织 Update an organisation',
    tags: ['admin'],
    auth: 'session',
    params: IdParams,
    body: OrgInput,
    status: 200,
    response: AdminOrgView,
  }),
  regions: route({
    id: 'adminListRegions',
    method: 'GET',
    path: '/api/admin/regions',
    summary: '全部辖区 The whole region tree (for the organisation form)',
    tags: ['admin'],
    auth: 'session',
    status: 200,
    response: z.array(AdminRegion),
  }),
  subjects: route({
    id: 'adminListSubjects',
    method: 'GET',
    path: '/api/admin/subjects',
    summary: '申报主体 Subjects by name (for an applicant account)',
    tags: ['admin'],
    auth: 'session',
    query: z.object({ q: Text(64).optional(), ...Page }),
    status: 200,
    response: z.object({ items: z.array(AdminSubject), total: z.number().int() }),
  }),
  getPolicy: route({
    id: 'getSecurityPolicy',
    method: 'GET',
    path: '/api/admin/policy',
    summary: '安全策略 The security policy (security administrator)',
    tags: ['admin'],
    auth: 'session',
    status: 200,
    response: SecurityPolicyView,
  }),
  putPolicy: route({
    id: 'putSecurityPolicy',
    method: 'PUT',
    path: '/api/admin/policy',
    summary: '修改安全策略 Change the security policy (security administrator)',
    tags: ['admin'],
    auth: 'session',
    body: SecurityPolicy,
    status: 200,
    response: SecurityPolicyView,
  }),
};
