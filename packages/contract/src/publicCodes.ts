import { z } from 'zod';
import { route } from './route.js';

/** 中国大陆手机号 */
export const MobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '请输入11位手机号码');
/** a six-digit SMS code */
export const SmsCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, '验证码为6位数字');
/** a public reference (notice, candidate, vote, receipt): Crockford base32 */
export const PublicCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJKMNP-TV-Z]{8,40}$/, '编号格式不正确');

export const CodeRequest = z.object({ phone: MobilePhone, purpose: z.enum(['objection', 'vote', 'survey']) });
export const CodeSent = z
  .object({ sentTo: z.string(), expiresInSeconds: z.number(), retryAfterSeconds: z.number() })
  .meta({ id: 'CodeSent', description: '验证码已发送 Code sent (masked number)' });

export const publicCodesApi = {
  request: route({
    id: 'requestSmsCode',
    method: 'POST',
    path: '/api/public/sms-codes',
    summary: '获取短信验证码（无需登录）Send a one-time code to a phone',
    tags: ['public'],
    auth: 'public',
    body: CodeRequest,
    status: 202,
    response: CodeSent,
  }),
};
