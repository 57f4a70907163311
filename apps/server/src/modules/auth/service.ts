import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, desc, eq, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { isStaff, passwordExpiresAt, passwordProblems, type Role } from '@pingan/core';
import { isAdminRole } from '@pingan/contract';
import type { Db } from '../../db/client.js';
import { loginEvents, sessions, subjects, users } from '../../db/schema.js';
import { AppError, forbidden } from '../../errors.js';
import { buildScope, type CurrentUser } from '../../access/scope.js';
import type { Keys } from '../../crypto/keys.js';
import { decrypt, encrypt } from '../../crypto/pii.js';
import { commonPasswords, type SecurityPolicy } from '../policy/service.js';
import { acceptTotp, newTotpSecret, totpUri } from './totp.js';

export const SESSION_COOKIE = 'pingan_sid';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** The handle a session is shown by: a hash of its token hash, so the list never reveals a usable secret. */
const sessionHandle = (th: string) => createHash('sha256').update(`session:${th}`).digest('base64url').slice(0, 22);

/** The session rules: the security policy (modules/policy), whose defaults come from the configuration. */
export type SessionPolicy = Pick<SecurityPolicy, 'sessionHours' | 'idleMinutes' | 'lockoutFailures' | 'lockoutMinutes'> &
  Partial<SecurityPolicy>;

/** What an account must do before anything else, and the facts /api/me shows about its password and second factor. */
export interface AccountFlags {
  mustChangePassword: boolean;
  passwordExpired: boolean;
  passwordExpiresAt: Date | null;
  totpEnabled: boolean;
  totpRequired: boolean;
}

/** Whether the policy requires a second factor of this role: staff and the three administrators each by their own switch. */
export function totpRequiredFor(role: Role, policy: Partial<SecurityPolicy>): boolean {
  if (isAdminRole(role)) return policy.totpRequiredForAdmins === true;
  return isStaff(role) && policy.totpRequiredForStaff === true;
}

export function accountFlags(
  u: { role: Role; mustChangePassword: boolean; passwordChangedAt: Date; totpEnabled: boolean },
  policy: Partial<SecurityPolicy>,
  now = new Date(),
): AccountFlags {
  const expiresAt = passwordExpiresAt(policy.passwordProfile ?? 'dengbao', u.passwordChangedAt);
  return {
    mustChangePassword: u.mustChangePassword,
    passwordExpired: expiresAt !== null && expiresAt.getTime() <= now.getTime(),
    passwordExpiresAt: expiresAt,
    totpEnabled: u.totpEnabled,
    totpRequired: totpRequiredFor(u.role, policy),
  };
}

/** The gate an account is held at: a password to change first, then a second factor to set up. */
export type Gate = 'PASSWORD_CHANGE_REQUIRED' | 'TOTP_SETUP_REQUIRED';
export function gateOf(f: AccountFlags): Gate | null {
  if (f.mustChangePassword || f.passwordExpired) return 'PASSWORD_CHANGE_REQUIRED';
  if (f.totpRequired && !f.totpEnabled) return 'TOTP_SETUP_REQUIRED';
  return null;
}

/** Where a request came from, as recorded with logins and sessions. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export type LoginResult = 'ok' | 'bad_password' | 'locked' | 'unknown_user' | 'disabled';

/** last_seen_at is written at most this often per session */
const TOUCH_EVERY_MS = 60_000;

const shanghaiTime = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);

export const lockedError = (until: Date) =>
  new AppError('ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定至 ${shanghaiTime(until)}（北京时间），请届时再试`);

async function recordLogin(db: Db, username: string, userId: number | null, client: ClientInfo, result: LoginResult) {
  await db.insert(loginEvents).values({ username, userId, ip: client.ip, userAgent: client.userAgent?.slice(0, 512) ?? null, result });
}

/** Counts a wrong password in one statement, so concurrent guesses each count; the Nth locks and restarts the count. */
async function countFailure(db: Db, userId: number, policy: SessionPolicy, now: Date): Promise<Date | null> {
  const until = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
  const [after] = await db
    .update(users)
    .set({
      failedLogins: sql`case when ${users.failedLogins} + 1 >= ${policy.lockoutFailures} then 0 else ${users.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${policy.lockoutFailures} then ${until.toISOString()}::timestamptz else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, userId))
    .returning({ lockedUntil: users.lockedUntil });
  return after?.lockedUntil ?? null;
}

/**
 * 登录. Every attempt is recorded in login_events. policy.lockoutFailures wrong passwords (or TOTP
 * codes) in a row lock the account for policy.lockoutMinutes; while locked even the right password
 * is refused, with the same answer whether it was right or not. An account with a second factor
 * needs `otp` too: without it the answer is 401 OTP_REQUIRED (not counted), a wrong or reused code
 * counts as a failure. A token presented with the request is ended first (rotation).
 */
export async function login(
  db: Db,
  keys: Keys,
  input: { username: string; password: string; otp?: string | undefined },
  policy: SessionPolicy,
  client: ClientInfo,
  presentedToken?: string,
) {
  const { username, password } = input;
  if (presentedToken) await logout(db, presentedToken);
  const [u] = await db.select().from(users).where(eq(users.username, username));
  // verify against a real hash even for unknown names, so timing does not reveal accounts
  const ok = u ? await verify(u.passwordHash, password) : (await verify(await DUMMY_HASH(), password), false);
  if (!u) {
    await recordLogin(db, username, null, client, 'unknown_user');
    throw new AppError('BAD_CREDENTIALS');
  }
  const now = new Date();
  if (u.lockedUntil && u.lockedUntil > now) {
    await recordLogin(db, username, u.id, client, 'locked');
    throw lockedError(u.lockedUntil);
  }
  if (u.disabled) {
    await recordLogin(db, username, u.id, client, 'disabled');
    throw new AppError('BAD_CREDENTIALS');
  }
  if (!ok) {
    const lockedUntil = await countFailure(db, u.id, policy, now);
    await recordLogin(db, username, u.id, client, 'bad_password');
    if (lockedUntil && lockedUntil > now) throw lockedError(lockedUntil);
    throw new AppError('BAD_CREDENTIALS');
  }
  if (u.totpEnabled && u.totpSecret) {
    if (!input.otp) throw new AppError('OTP_REQUIRED');
    const totpStep = await acceptTotp(decrypt(keys, u.totpSecret), input.otp, u.totpLastStep);
    // a wrong or replayed code is a failed login: recorded as one and counted towards the lockout
    const accepted =
      totpStep !== null &&
      (
        await db
          .update(users)
          .set({ totpLastStep: totpStep })
          .where(and(eq(users.id, u.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, totpStep))))
          .returning({ id: users.id })
      ).length === 1;
    if (!accepted) {
      const lockedUntil = await countFailure(db, u.id, policy, now);
      await recordLogin(db, username, u.id, client, 'bad_password');
      if (lockedUntil && lockedUntil > now) throw lockedError(lockedUntil);
      throw new AppError('BAD_OTP');
    }
  }
  // the right password: clear the count unless a concurrent guess has just locked the account
  const [cleared] = await db
    .update(users)
    .set({ failedLogins: 0, lockedUntil: null })
    .where(and(eq(users.id, u.id), or(isNull(users.lockedUntil), lte(users.lockedUntil, now))))
    .returning({ id: users.id });
  if (!cleared) {
    const [again] = await db.select({ lockedUntil: users.lockedUntil }).from(users).where(eq(users.id, u.id));
    await recordLogin(db, username, u.id, client, 'locked');
    throw lockedError(again?.lockedUntil ?? now);
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.sessionHours * 3600_000);
  // housekeeping: this account's dead sessions go
  await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, u.id),
        or(lte(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMinutes * 60_000))),
      ),
    );
  await db.insert(sessions).values({
    tokenHash: tokenHash(token),
    userId: u.id,
    expiresAt,
    lastSeenAt: now,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
  });
  await recordLogin(db, username, u.id, client, 'ok');
  const flags = accountFlags(u, policy, now);
  return {
    token,
    expiresAt,
    userId: u.id,
    answer: {
      ok: true as const,
      mustChangePassword: flags.mustChangePassword,
      passwordExpired: flags.passwordExpired,
      totpSetupRequired: flags.totpRequired && !flags.totpEnabled,
    },
  };
}

/** Ends every session of an account (reset, disabling, a role change); returns how many ended. */
export async function endSessions(db: Db, userId: number): Promise<number> {
  return (await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ t: sessions.tokenHash })).length;
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

/**
 * The account of a session token and what it must do first, or null: no such session, past its
 * absolute expiry (the one set at login, or policy.sessionHours after login if the policy has since
 * been shortened), idle longer than policy.idleMinutes, or the account disabled. Marks the session
 * seen, at most once a minute.
 */
export async function userForToken(
  db: Db,
  token: string | undefined,
  policy: SessionPolicy,
): Promise<{ user: CurrentUser; flags: AccountFlags } | null> {
  if (!token) return null;
  const now = new Date();
  const th = tokenHash(token);
  const [row] = await db
    .select({ u: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, th),
        gt(sessions.expiresAt, now),
        gt(sessions.createdAt, new Date(now.getTime() - policy.sessionHours * 3600_000)),
        gt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMinutes * 60_000)),
      ),
    );
  if (!row || row.u.disabled) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.tokenHash, th), lt(sessions.lastSeenAt, new Date(now.getTime() - TOUCH_EVERY_MS))));
  const { scope, org } = await buildScope(db, row.u);
  return {
    user: {
      id: row.u.id,
      username: row.u.username,
      displayName: row.u.displayName,
      role: row.u.role,
      org,
      subjectId: row.u.subjectId,
      scope,
    },
    flags: accountFlags(row.u, policy, now),
  };
}

/** GET /api/auth/sessions: the account's live sessions, newest first; `current` marks this request's. */
export async function listSessions(db: Db, u: CurrentUser, currentToken: string | undefined, policy: SessionPolicy) {
  const now = new Date();
  const current = currentToken ? tokenHash(currentToken) : null;
  const rows = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, u.id),
        gt(sessions.expiresAt, now),
        gt(sessions.createdAt, new Date(now.getTime() - policy.sessionHours * 3600_000)),
        gt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMinutes * 60_000)),
      ),
    )
    .orderBy(desc(sessions.createdAt));
  return {
    items: rows.map((r) => ({
      id: sessionHandle(r.tokenHash),
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      ip: r.ip,
      userAgent: r.userAgent,
      current: r.tokenHash === current,
    })),
  };
}

/** Ends every session of the account but the one presented; returns how many ended. */
export async function revokeOtherSessions(db: Db, userId: number, currentToken: string | undefined): Promise<number> {
  const keep = currentToken ? tokenHash(currentToken) : '';
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keep)))
    .returning({ t: sessions.tokenHash });
  return gone.length;
}

/** Every rule of the policy's password profile the password breaks (Chinese); empty when it is acceptable. */
export function checkNewPassword(policy: Partial<SecurityPolicy>, password: string, username: string): string[] {
  const profile = policy.passwordProfile ?? 'dengbao';
  return passwordProblems(profile, password, { username, common: profile === 'asvs' ? commonPasswords() : undefined });
}

export const passwordPolicyError = (problems: string[]) =>
  new AppError('PASSWORD_POLICY', `新密码不符合要求：${problems.join('；')}`, { problems });

/**
 * 修改密码: the current password must be right (wrong ones count towards the lockout), the new one
 * must follow the policy's profile; it clears must-change, restarts the expiry and ends every other
 * session.
 */
export async function changePassword(
  db: Db,
  u: CurrentUser,
  currentPassword: string,
  newPassword: string,
  policy: SessionPolicy,
  currentToken: string | undefined,
) {
  const [row] = await db.select().from(users).where(eq(users.id, u.id));
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (!(await verify(row.passwordHash, currentPassword))) {
    await countFailure(db, u.id, policy, new Date());
    throw new AppError('WRONG_PASSWORD');
  }
  const problems = checkNewPassword(policy, newPassword, row.username);
  if (currentPassword === newPassword) problems.push('新密码不能与当前密码相同');
  if (problems.length) throw passwordPolicyError(problems);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), failedLogins: 0, mustChangePassword: false, passwordChangedAt: new Date() })
      .where(eq(users.id, u.id));
    const keep = currentToken ? tokenHash(currentToken) : '';
    await tx.delete(sessions).where(and(eq(sessions.userId, u.id), ne(sessions.tokenHash, keep)));
  });
}

/** POST /api/auth/totp/setup: a new secret, stored encrypted and not enabled until a first code confirms it. */
export async function setupTotp(db: Db, keys: Keys, u: CurrentUser) {
  const [row] = await db.select({ enabled: users.totpEnabled }).from(users).where(eq(users.id, u.id));
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (row.enabled) throw new AppError('WRONG_STATUS', '双因素认证已启用；如需更换设备，请先停用');
  const secret = newTotpSecret();
  // a new secret starts a new sequence of codes: the last accepted step belonged to the old one
  await db
    .update(users)
    .set({ totpSecret: encrypt(keys, secret), totpEnabled: false, totpLastStep: null })
    .where(eq(users.id, u.id));
  return { secret, otpauthUri: totpUri(secret, u.username) };
}

/** Accepts a code once: the step is stored in the same statement that checks it is newer. */
async function takeCode(db: Db, keys: Keys, userId: number, code: string): Promise<boolean> {
  const [row] = await db.select({ secret: users.totpSecret, last: users.totpLastStep }).from(users).where(eq(users.id, userId));
  if (!row?.secret) return false;
  const step = await acceptTotp(decrypt(keys, row.secret), code, row.last);
  if (step === null) return false;
  const done = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return done.length === 1;
}

/** POST /api/auth/totp/confirm: a first code from the app enables the second factor. */
export async function confirmTotp(db: Db, keys: Keys, u: CurrentUser, code: string, policy: SessionPolicy) {
  const [row] = await db.select({ enabled: users.totpEnabled, secret: users.totpSecret }).from(users).where(eq(users.id, u.id));
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (row.enabled) throw new AppError('WRONG_STATUS', '双因素认证已启用');
  if (!row.secret) throw new AppError('WRONG_STATUS', '请先生成双因素密钥');
  if (!(await takeCode(db, keys, u.id, code))) {
    await countFailure(db, u.id, policy, new Date());
    throw new AppError('WRONG_OTP');
  }
  await db.update(users).set({ totpEnabled: true }).where(eq(users.id, u.id));
}

/** POST /api/auth/totp/disable: with a current code or the password; refused while the policy requires a second factor. */
export async function disableTotp(
  db: Db,
  keys: Keys,
  u: CurrentUser,
  proof: { code?: string | undefined; password?: string | undefined },
  policy: SessionPolicy,
) {
  const [row] = await db.select().from(users).where(eq(users.id, u.id));
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (totpRequiredFor(row.role, policy) && row.totpEnabled) throw forbidden('安全策略要求使用双因素认证，不能停用');
  if (!row.totpEnabled && !row.totpSecret) return;
  const ok =
    proof.code !== undefined
      ? row.totpEnabled && (await takeCode(db, keys, u.id, proof.code))
      : await verify(row.passwordHash, proof.password ?? '');
  if (!ok) {
    await countFailure(db, u.id, policy, new Date());
    throw new AppError(proof.code !== undefined ? 'WRONG_OTP' : 'WRONG_PASSWORD');
  }
  await db.update(users).set({ totpEnabled: false, totpSecret: null }).where(eq(users.id, u.id));
}

/** GET /api/me: the signed-in account, its organisation and, for an applicant, its subject. */
export async function currentAccount(db: Db, u: CurrentUser, flags: AccountFlags, policy: Partial<SecurityPolicy>) {
  let subject: { id: number; name: string; kind: 'unit' | 'household' | 'individual' | 'region'; unitType: string | null } | null = null;
  if (u.subjectId) {
    const [s] = await db
      .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, unitType: subjects.unitType })
      .from(subjects)
      .where(eq(subjects.id, u.subjectId));
    subject = s ?? null;
  }
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    // organisations.kind is 'safety_office' | 'department' (db/schema.ts); the scope carries it as text
    org: u.org && {
      id: u.org.id,
      name: u.org.name,
      kind: u.org.kind as 'safety_office' | 'department',
      deptCode: u.org.deptCode,
      regionId: u.org.regionId,
      regionName: u.org.regionName,
    },
    subject,
    categoryCodes: u.scope.categoryCodes,
    mustChangePassword: flags.mustChangePassword,
    passwordExpiresAt: flags.passwordExpiresAt?.toISOString() ?? null,
    passwordExpired: flags.passwordExpired,
    passwordProfile: policy.passwordProfile ?? 'dengbao',
    totpEnabled: flags.totpEnabled,
    totpRequired: flags.totpRequired,
  };
}

// a hash of a random string, used only to spend equal time on unknown user names
let dummyHash: Promise<string> | undefined;
const DUMMY_HASH = () => (dummyHash ??= hash(randomBytes(16).toString('hex')));
