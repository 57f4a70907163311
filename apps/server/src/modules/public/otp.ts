import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { phoneCodes } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { hmac, type Keys } from '../../crypto/keys.js';
import { maskRecipient, type LineLogger } from '../notifications/outbox.js';

/**
 * One-time codes by SMS (短信验证码): the public confirms a phone number before a real-name
 * objection or a vote. The number is kept only as a keyed hash (hmac with AUDIT_KEY), the code
 * only as a hash; a code lives CODE_TTL_MS, allows MAX_TRIES wrong guesses and is used once.
 */

export type CodePurpose = 'objection' | 'vote' | 'survey';

/** The way a code leaves: an SMS gateway in production; the default writes it to the server log. */
export interface CodeSender {
  send(phone: string, text: string): Promise<void>;
}

/** The default gateway: one log line with the masked number and the code (the code is not personal data). */
export class LogCodeSender implements CodeSender {
  constructor(private readonly log: LineLogger) {}
  async send(phone: string, text: string): Promise<void> {
    this.log.info(`sms code → ${maskRecipient('sms', phone)}: ${text}`);
  }
}

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_TRIES = 5;
/** one code a minute per number (SMS_RESEND_SECONDS), ten an hour per number, thirty an hour per client address */
export const RESEND_AFTER_MS = 60_000;
export const PER_PHONE_PER_HOUR = 10;
export const PER_ADDRESS_PER_HOUR = 30;

/** 中国大陆手机号: 11 digits starting 1[3-9]. */
export const MOBILE = /^1[3-9]\d{9}$/;

export const phoneHash = (keys: Keys, phone: string) => hmac(keys, `phone:${phone}`);
export const addressHash = (keys: Keys, ip: string) => hmac(keys, `ip:${ip}`);
const codeHash = (phoneH: string, purpose: string, code: string) =>
  createHash('sha256').update(`${phoneH}:${purpose}:${code}`).digest('hex');

function assertMobile(phone: string): void {
  if (!MOBILE.test(phone)) throw new AppError('VALIDATION', '请输入11位手机号码');
}

/** Sends a code to `phone` for `purpose`, within the throttles. */
export async function requestCode(
  db: Db,
  keys: Keys,
  sender: CodeSender,
  input: { phone: string; purpose: CodePurpose; ip: string },
  now = new Date(),
  resendAfterMs = RESEND_AFTER_MS,
): Promise<{ sentTo: string; expiresInSeconds: number; retryAfterSeconds: number }> {
  assertMobile(input.phone);
  const ph = phoneHash(keys, input.phone);
  const ih = addressHash(keys, input.ip);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [byPhone] = await db
    .select({ n: sql<number>`count(*)::int`, last: sql<string | null>`max(${phoneCodes.createdAt})` })
    .from(phoneCodes)
    .where(and(eq(phoneCodes.phoneHash, ph), gt(phoneCodes.createdAt, hourAgo)));
  const last = byPhone?.last ? new Date(byPhone.last) : null;
  if (last && now.getTime() - last.getTime() < resendAfterMs) {
    const wait = Math.ceil((resendAfterMs - (now.getTime() - last.getTime())) / 1000);
    throw new AppError('RATE_LIMITED', `验证码已发送，请${wait}秒后再试`, { retryAfterSeconds: wait });
  }
  if ((byPhone?.n ?? 0) >= PER_PHONE_PER_HOUR) throw new AppError('RATE_LIMITED', '该号码一小时内获取验证码次数过多，请稍后再试');
  const [byAddress] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(phoneCodes)
    .where(and(eq(phoneCodes.ipHash, ih), gt(phoneCodes.createdAt, hourAgo)));
  if ((byAddress?.n ?? 0) >= PER_ADDRESS_PER_HOUR) throw new AppError('RATE_LIMITED', '本网络获取验证码次数过多，请稍后再试');

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.insert(phoneCodes).values({
    phoneHash: ph,
    purpose: input.purpose,
    codeHash: codeHash(ph, input.purpose, code),
    ipHash: ih,
    expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    createdAt: now,
  });
  const what = input.purpose === 'vote' ? '网络评选投票' : input.purpose === 'survey' ? '问卷调查' : '公示异议';
  await sender.send(input.phone, `【平安创建】您的验证码为${code}，用于${what}，${CODE_TTL_MS / 60_000}分钟内有效。`);
  return {
    sentTo: maskRecipient('sms', input.phone),
    expiresInSeconds: CODE_TTL_MS / 1000,
    retryAfterSeconds: Math.ceil(resendAfterMs / 1000),
  };
}

/**
 * Uses the newest live code of `phone` for `purpose`: a wrong code counts a try, the right one is
 * marked used in the same statement that checks it is unused, so it works once. Answers the
 * phone's keyed hash (the voter's or objector's identity).
 */
export async function consumeCode(
  db: Db | Tx,
  keys: Keys,
  input: { phone: string; purpose: CodePurpose; code: string },
  now = new Date(),
): Promise<string> {
  assertMobile(input.phone);
  const ph = phoneHash(keys, input.phone);
  const [row] = await db
    .select()
    .from(phoneCodes)
    .where(
      and(eq(phoneCodes.phoneHash, ph), eq(phoneCodes.purpose, input.purpose), isNull(phoneCodes.usedAt), gt(phoneCodes.expiresAt, now)),
    )
    .orderBy(desc(phoneCodes.id))
    .limit(1);
  const wrong = new AppError('WRONG_OTP', '短信验证码不正确或已失效，请重新获取');
  if (!row || row.attempts >= MAX_TRIES) throw wrong;
  const expected = Buffer.from(row.codeHash, 'hex');
  const given = Buffer.from(codeHash(ph, input.purpose, input.code.trim()), 'hex');
  if (!timingSafeEqual(expected, given)) {
    await db
      .update(phoneCodes)
      .set({ attempts: sql`${phoneCodes.attempts} + 1` })
      .where(eq(phoneCodes.id, row.id));
    throw wrong;
  }
  const used = await db
    .update(phoneCodes)
    .set({ usedAt: now })
    .where(and(eq(phoneCodes.id, row.id), isNull(phoneCodes.usedAt)))
    .returning({ id: phoneCodes.id });
  if (!used.length) throw wrong;
  return ph;
}
