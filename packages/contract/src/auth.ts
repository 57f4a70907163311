import { z } from 'zod';
import { ROLES, SubjectKind } from '@pingan/core';
import { Ok, Text, Timestamp, route } from './route.js';
import { PasswordProfile } from './admin.js';

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
    /** the password was set by an administrator (new account, reset): change it before anything else */
    mustChangePassword: z.boolean(),
    /** when the password expires (等保 profile: 90 days after it was set); null when it never does */
    passwordExpiresAt: Timestamp.nullable(),
    /** the password has expired: change it before anything else */
    passwordExpired: z.boolean(),
    /** the rules a new password must follow */
    passwordProfile: PasswordProfile,
    /** a second factor (TOTP) is set up */
    totpEnabled: z.boolean(),
    /** the policy requires a second factor for this account */
    totpRequired: z.boolean(),
  })
  .meta({ id: 'Me', description: '当前用户 The signed-in account' });

/** A TOTP code: six digits (spaces the user may type are removed). */
export const OtpCode = z
  .string()
  .max(16, '动态口令为6位数字')
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, '动态口令为6位数字'));

export const LoginInput = z.object({
  username: Text(64).min(1, '请输入用户名'),
  password: Text(256).min(1, '请输入密码'),
  /** the TOTP code, when the account has a second factor (else the answer is 401 OTP_REQUIRED) */
  otp: OtpCode.optional(),
});

export const LoginAnswer = z
  .object({
    ok: z.literal(true),
    /** while any of these holds, only the account page works (403 PASSWORD_CHANGE_REQUIRED / TOTP_SETUP_REQUIRED elsewhere) */
    mustChangePassword: z.boolean(),
    passwordExpired: z.boolean(),
    totpSetupRequired: z.boolean(),
  })
  .meta({ id: 'LoginAnswer', description: '登录结果 Logged in, and what must be done first' });

/**
 * A new password's shape only; the server checks it against the security policy's profile
 * (packages/core password.ts) and answers 400 PASSWORD_POLICY with every problem.
 */
export const NewPassword = Text(256).min(1, '请输入新密码');

export const ChangePasswordInput = z.object({
  currentPassword: Text(256).min(1, '请输入当前密码'),
  newPassword: NewPassword,
});

export const TotpSetupAnswer = z
  .object({
    /** base32, for typing into the authenticator app by hand */
    secret: z.string(),
    /** otpauth://totp/… to show as a QR code (antd QRCode) */
    otpauthUri: z.string(),
  })
  .meta({ id: 'TotpSetup', description: '双因素密钥 A new TOTP secret (shown once)' });

export const TotpDisableInput = z
  .object({ code: OtpCode.optional(), password: Text(256).min(1).optional() })
  .refine((v) => v.code !== undefined || v.password !== undefined, '请输入动态口令或当前密码');

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
    response: LoginAnswer,
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
  totpSetup: route({
    id: 'setupTotp',
    method: 'POST',
    path: '/api/auth/totp/setup',
    summary: '设置双因素 Start setting up a TOTP second factor (a new secret, not enabled until confirmed)',
    tags: ['auth'],
    auth: 'session',
    status: 200,
    response: TotpSetupAnswer,
  }),
  totpConfirm: route({
    id: 'confirmTotp',
    method: 'POST',
    path: '/api/auth/totp/confirm',
    summary: '启用双因素 Enable the second factor with a first code from the app',
    tags: ['auth'],
    auth: 'session',
    body: z.object({ code: OtpCode }),
    status: 200,
    response: Ok,
  }),
  totpDisable: route({
    id: 'disableTotp',
    method: 'POST',
    path: '/api/auth/totp/disable',
    summary: '停用双因素 Turn the second factor off (a current code or the password; refused when the policy requires it)',
    tags: ['auth'],
    auth: 'session',
    body: TotpDisableInput,
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
