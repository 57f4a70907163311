import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sessions, subjects, users } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { buildScope, type CurrentUser } from '../../access/scope.js';

export const SESSION_COOKIE = 'pingan_sid';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(db: Db, username: string, password: string, hours: number) {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  // verify against a real hash even for unknown names, so timing does not reveal accounts
  const ok = u ? await verify(u.passwordHash, password) : (await verify(await DUMMY_HASH(), password), false);
  if (!u || !ok || u.disabled) throw new AppError('BAD_CREDENTIALS');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + hours * 3600_000);
  await db.insert(sessions).values({ tokenHash: tokenHash(token), userId: u.id, expiresAt });
  return { token, expiresAt, userId: u.id };
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

export async function userForToken(db: Db, token: string | undefined): Promise<CurrentUser | null> {
  if (!token) return null;
  const [row] = await db
    .select({ u: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, new Date())));
  if (!row || row.u.disabled) return null;
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
