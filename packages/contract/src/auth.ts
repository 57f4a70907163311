import { z } from 'zod';
import { ROLES, SubjectKind } from '@pingan/core';
import { Ok, Text, Timestamp, route } from './route.js';

/** 登录: log in, log out, the current account. */

export const MeSchema = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    org: z
      .object({
        id: z.number(),
        name: z.string(),
        kind: z.enum(['safety_office', 'department']),
        deptCode: z.string(),
        regionId: z.number(),
        regionName: z.string(),
      })
      .nullable(),
    subject: z.object({ id: z.number(), name: z.string(), kind: SubjectKind, unitType: z.string().nullable() }).nullable(),
    /** a department's categories; null for everyone else */
    categoryCodes: z.array(z.string()).nullable(),
  })
  .meta({ id: 'Me', description: '当前用户 The signed-in account' });

export const LoginInput = z.object({
  username: Text(64).min(1, '请输入用户名'),
  password: Text(256).min(1, '请输入密码'),
});

/** The password policy (等保 L3): at least 8 characters from at least 3 of lower case, upper case, digits, other. */
export const PASSWORD_MIN_LENGTH = 8;
export function passwordClasses(p: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(p)).length;
}
export const NewPassword = Text(256)
  .min(PASSWORD_MIN_LENGTH, `密码至少${PASSWORD_MIN_LENGTH}位`)
  .refine((p) => passwordClasses(p) >= 3, '密码须包含大写字母、小写字母、数字、符号中的至少三类');

export const ChangePasswordInput = z.object({
  currentPassword: Text(256).min(1, '请输入当前密码'),
  newPassword: NewPassword,
});

export const SessionItem = z
  .object({
    /** an opaque handle of the session (not its token) */
    id: z.string(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    expiresAt: Timestamp,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    /** the session this request came with */
    current: z.boolean(),
  })
  .meta({ id: 'SessionItem', description: '登录会话 A live session of the account' });

export const authApi = {
  login: route({
    id: 'login',
    method: 'POST',
    path: '/api/auth/login',
    summary: '登录 Log in (sets the session cookie)',
    tags: ['auth'],
    auth: 'public',
    body: LoginInput,
    status: 200,
    response: Ok,
  }),
  logout: route({
    id: 'logout',
    method: 'POST',
    path: '/api/auth/logout',
    summary: '退出 Log out (ends the session)',
    tags: ['auth'],
    auth: 'public',
    status: 200,
    response: Ok,
  }),
  sessions: route({
    id: 'listMySessions',
    method: 'GET',
    path: '/api/auth/sessions',
    summary: '我的会话 My live sessions',
    tags: ['auth'],
    auth: 'session',
    status: 200,
    response: z.object({ items: z.array(SessionItem) }),
  }),
  revokeOtherSessions: route({
    id: 'revokeOtherSessions',
    method: 'POST',
    path: '/api/auth/sessions/revoke-others',
    summary: '退出其他会话 End every other session of my account',
    tags: ['auth'],
    auth: 'session',
    status: 200,
    response: z.object({ ok: z.literal(true), revoked: z.number().int() }),
  }),
  changePassword: route({
    id: 'changePassword',
    method: 'POST',
    path: '/api/auth/password',
    summary: '修改密码 Change my password (ends my other sessions)',
    tags: ['auth'],
    auth: 'session',
    body: ChangePasswordInput,
    status: 200,
    response: Ok,
  }),
  me: route({
    id: 'getMe',
    method: 'GET',
    path: '/api/me',
    summary: '当前用户 Current account',
    tags: ['auth'],
    auth: 'session',
    status: 200,
    response: MeSchema,
  }),
};
