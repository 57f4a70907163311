import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, desc, eq, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { loginEvents, sessions, subjects, users } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { buildScope, type CurrentUser } from '../../access/scope.js';

export const SESSION_COOKIE = 'pingan_sid';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** The handle a session is shown by: a hash of its token hash, so the list never reveals a usable secret. */
const sessionHandle = (th: string) => createHash('sha256').update(`session:${th}`).digest('base64url').slice(0, 22);

/** The session rules, from the configuration. */
export interface SessionPolicy {
  sessionHours: number;
  idleMinutes: number;
  lockoutFailures: number;
  lockoutMinutes: number;
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
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);

export const lockedError = (until: Date) => new AppError('ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定至 ${shanghaiTime(until)}（北京时间），请届时再试`);

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
 * 登录. Every attempt is recorded in login_events. LOCKOUT_FAILURES wrong passwords in a row lock the
 * account for LOCKOUT_MINUTES; while locked even the right password is refused, with the same answer
 * whether it was right or not. A token presented with the request is ended first (rotation).
 */
export async function login(db: Db, username: string, password: string, policy: SessionPolicy, client: ClientInfo, presentedToken?: string) {
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
    .where(and(eq(sessions.userId, u.id), or(lte(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMinutes * 60_000)))));
  await db.insert(sessions).values({
    tokenHash: tokenHash(token),
    userId: u.id,
    expiresAt,
    lastSeenAt: now,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
  });
  await recordLogin(db, username, u.id, client, 'ok');
  return { token, expiresAt, userId: u.id };
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

/**
 * The account of a session token, or null: no such session, past its absolute expiry, idle longer
 * than idleMinutes, or the account disabled. Marks the session seen, at most once a minute.
 */
export async function userForToken(db: Db, token: string | undefined, idleMinutes: number): Promise<CurrentUser | null> {
  if (!token) return null;
  const now = new Date();
  const th = tokenHash(token);
  const [row] = await db
    .select({ u: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, th), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - idleMinutes * 60_000))));
  if (!row || row.u.disabled) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.tokenHash, th), lt(sessions.lastSeenAt, new Date(now.getTime() - TOUCH_EVERY_MS))));
  const { scope, org } = await buildScope(db, row.u);
  return {
    id: row.u.id,
    username: row.u.username,
    displayName: row.u.displayName,
    role: row.u.role,
    org,
    subjectId: row.u.subjectId,
    scope,
  };
}

/** GET /api/auth/sessions: the account's live sessions, newest first; `current` marks this request's. */
export async function listSessions(db: Db, u: CurrentUser, currentToken: string | undefined, idleMinutes: number) {
  const now = new Date();
  const current = currentToken ? tokenHash(currentToken) : null;
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, u.id), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - idleMinutes * 60_000))))
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

/** 修改密码: the current password must be right (wrong ones count towards the lockout); every other session ends. */
export async function changePassword(db: Db, u: CurrentUser, currentPassword: string, newPassword: string, policy: SessionPolicy, currentToken: string | undefined) {
  const [row] = await db.select().from(users).where(eq(users.id, u.id));
  if (!row) throw new AppError('UNAUTHENTICATED');
  if (!(await verify(row.passwordHash, currentPassword))) {
    await countFailure(db, u.id, policy, new Date());
    throw new AppError('WRONG_PASSWORD');
  }
  if (currentPassword === newPassword) throw new AppError('VALIDATION', '新密码不能与当前密码相同');
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), failedLogins: 0 })
      .where(eq(users.id, u.id));
    const keep = currentToken ? tokenHash(currentToken) : '';
    await tx.delete(sessions).where(and(eq(sessions.userId, u.id), ne(sessions.tokenHash, keep)));
  });
}

/** GET /api/me: the signed-in account, its organisation and, for an applicant, its subject. */
export async function currentAccount(db: Db, u: CurrentUser) {
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
    org: u.org && { id: u.org.id, name: u.org.name, kind: u.org.kind as 'safety_office' | 'department', deptCode: u.org.deptCode, regionId: u.org.regionId, regionName: u.org.regionName },
    subject,
    categoryCodes: u.scope.categoryCodes,
  };
}

// a hash of a random string, used only to spend equal time on unknown user names
let dummyHash: Promise<string> | undefined;
const DUMMY_HASH = () => (dummyHash ??= hash(randomBytes(16).toString('hex')));
