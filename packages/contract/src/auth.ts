import { z } from 'zod';
import { ROLES, SubjectKind } from '@pingan/core';
import { Ok, Text, route } from './route.js';

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
