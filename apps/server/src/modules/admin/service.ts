import { randomInt } from 'node:crypto';
import { and, asc, count, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { DEPARTMENTS, type Role } from '@pingan/core';
import type { Db } from '../../db/client.js';
import type { Keys } from '../../crypto/keys.js';
import { sealPhone, shownPhone } from '../applications/personalData.js';
import { loginEvents, organisations, regions, subjects, users } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { assertAttachment, assertMayChange, assertMayReset, endsSessions, requireDuty, type AccountState } from '../../access/admin.js';
import { endSessions, hashPassword } from '../auth/service.js';

/**
 * 账号与组织 (系统管理员). Who may do what is decided in access/admin.ts; this file reads and writes.
 * Passwords an administrator hands out are one-time: the account must change them at its first login.
 */

const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ───────────────────────────── one-time passwords ─────────────────────────────

/** No 0/O, 1/l/I: read aloud or copied from a screen without mistakes. */
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';

/**
 * A random one-time password like "Kq7m-Xt3p-9bWz-hR4e": 16 characters from upper, lower and
 * digits in four groups joined by '-', so it satisfies both password profiles (≥ 12 characters,
 * 4 classes); about 90 bits.
 */
export function oneTimePassword(): string {
  const all = UPPER + LOWER + DIGITS;
  for (;;) {
    const chars = Array.from({ length: 16 }, () => all[randomInt(all.length)]!);
    const s = chars.join('');
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return [0, 4, 8, 12].map((i) => s.slice(i, i + 4)).join('-');
  }
}

// ───────────────────────────── accounts ─────────────────────────────

const orgRegion = alias(regions, 'org_region');
const subjectRegion = alias(regions, 'subject_region');

export interface UserFilter {
  q?: string | undefined;
  role?: Role | undefined;
  orgId?: number | undefined;
  subjectId?: number | undefined;
  disabled?: boolean | undefined;
}

function userConditions(f: UserFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (f.q) conds.push(or(ilike(users.username, likeText(f.q)), ilike(users.displayName, likeText(f.q))));
  if (f.role) conds.push(eq(users.role, f.role));
  if (f.orgId) conds.push(eq(users.orgId, f.orgId));
  if (f.subjectId) conds.push(eq(users.subjectId, f.subjectId));
  if (f.disabled !== undefined) conds.push(eq(users.disabled, f.disabled));
  return and(...conds);
}

const lastLogin = sql<
  Date | string | null
>`(select max(${loginEvents.at}) from ${loginEvents} where ${loginEvents.userId} = ${users.id} and ${loginEvents.result} = 'ok')`;

function userSelect(db: Db) {
  return db
    .select({
      u: users,
      orgName: organisations.name,
      orgKind: organisations.kind,
      orgRegionId: organisations.regionId,
      orgRegionName: orgRegion.name,
      subjectName: subjects.name,
      subjectKind: subjects.kind,
      subjectRegionName: subjectRegion.name,
      lastLoginAt: lastLogin,
    })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.orgId))
    .leftJoin(orgRegion, eq(orgRegion.id, organisations.regionId))
    .leftJoin(subjects, eq(subjects.id, users.subjectId))
    .leftJoin(subjectRegion, eq(subjectRegion.id, subjects.regionId));
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userSelect>['where']>>[number];

/**
 * The account as the administrator sees it: never the hash, the TOTP secret or the last step; the
 * phone, stored encrypted, masked (it is not the administrator's to read).
 */
const presentUser = (keys: Keys) => (r: UserRow) => {
  const u = r.u;
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    org:
      u.orgId !== null && r.orgName !== null
        ? { id: u.orgId, name: r.orgName, kind: r.orgKind!, regionId: r.orgRegionId!, regionName: r.orgRegionName ?? '' }
        : null,
    subject:
      u.subjectId !== null && r.subjectName !== null
        ? { id: u.subjectId, name: r.subjectName, kind: r.subjectKind!, regionName: r.subjectRegionName ?? '' }
        : null,
    email: u.email,
    phone: shownPhone(keys, u.phone, false),
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    totpEnabled: u.totpEnabled,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    passwordChangedAt: u.passwordChangedAt.toISOString(),
    lastLoginAt: r.lastLoginAt === null ? null : iso(r.lastLoginAt instanceof Date ? r.lastLoginAt : new Date(r.lastLoginAt)),
    createdAt: u.createdAt.toISOString(),
  };
};
export type AdminUser = ReturnType<ReturnType<typeof presentUser>>;

export async function listUsers(db: Db, keys: Keys, actor: CurrentUser, f: UserFilter & { limit: number; offset: number }) {
  requireDuty(actor, 'manageAccounts');
  const where = userConditions(f);
  const rows = await userSelect(db).where(where).orderBy(asc(users.username)).limit(f.limit).offset(f.offset);
  const [total] = await db.select({ n: count() }).from(users).where(where);
  return { items: rows.map(presentUser(keys)), total: total?.n ?? 0 };
}

/** Every account matching the filter, for the export (no paging). */
export async function allUsers(db: Db, keys: Keys, actor: CurrentUser, f: UserFilter): Promise<AdminUser[]> {
  requireDuty(actor, 'manageAccounts');
  return (await userSelect(db).where(userConditions(f)).orderBy(asc(users.username))).map(presentUser(keys));
}

export async function getUser(db: Db, keys: Keys, actor: CurrentUser, id: number): Promise<AdminUser> {
  requireDuty(actor, 'manageAccounts');
  return userById(db, keys, id);
}

async function userById(db: Db, keys: Keys, id: number): Promise<AdminUser> {
  const [row] = await userSelect(db).where(eq(users.id, id));
  if (!row) throw notFound('账号');
  return presentUser(keys)(row);
}

async function orgFacts(db: Db, orgId: number | null) {
  if (orgId === null) return null;
  const [o] = await db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, orgId));
  if (!o) throw new AppError('VALIDATION', `组织 ${orgId} 不存在`);
  return o;
}

async function assertSubject(db: Db, subjectId: number | null) {
  if (subjectId === null) return;
  const [s] = await db.select({ id: subjects.id }).from(subjects).where(eq(subjects.id, subjectId));
  if (!s) throw new AppError('VALIDATION', `申报主体 ${subjectId} 不存在`);
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  orgId?: number | null | undefined;
  subjectId?: number | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
}

/** 新建账号: a one-time password, answered once; the account must change it at its first login. */
export async function createUser(db: Db, keys: Keys, actor: CurrentUser, input: NewAccount) {
  requireDuty(actor, 'manageAccounts');
  const orgId = input.orgId ?? null;
  const subjectId = input.subjectId ?? null;
  assertAttachment(input.role, orgId, subjectId, await orgFacts(db, orgId));
  await assertSubject(db, subjectId);
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.username})`, input.username.toLowerCase()));
  if (taken) throw new AppError('DUPLICATE', `用户名「${input.username}」已存在`);
  const password = oneTimePassword();
  const [row] = await db
    .insert(users)
    .values({
      username: input.username,
      passwordHash: await hashPassword(password),
      displayName: input.displayName,
      role: input.role,
      orgId,
      subjectId,
      email: input.email ?? null,
      phone: sealPhone(keys, input.phone),
      mustChangePassword: true,
      passwordChangedAt: new Date(),
    })
    .returning({ id: users.id });
  return { user: await userById(db, keys, row!.id), oneTimePassword: password };
}

export interface AccountChange {
  displayName?: string | undefined;
  role?: Role | undefined;
  orgId?: number | null | undefined;
  subjectId?: number | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  disabled?: boolean | undefined;
  unlock?: boolean | undefined;
}

async function accountState(db: Db, id: number): Promise<AccountState> {
  const [u] = await db
    .select({ id: users.id, role: users.role, orgId: users.orgId, subjectId: users.subjectId, disabled: users.disabled })
    .from(users)
    .where(eq(users.id, id));
  if (!u) throw notFound('账号');
  return u;
}

/**
 * 修改账号. A change of role, organisation or subject, or disabling, ends the account's sessions:
 * what it may see or do changed, so it signs in again.
 */
export async function updateUser(db: Db, keys: Keys, actor: CurrentUser, id: number, change: AccountChange) {
  const before = await accountState(db, id);
  assertMayChange(actor, before, change);
  const after: AccountState = {
    id,
    role: change.role ?? before.role,
    orgId: change.orgId !== undefined ? change.orgId : before.orgId,
    subjectId: change.subjectId !== undefined ? change.subjectId : before.subjectId,
    disabled: change.disabled ?? before.disabled,
  };
  assertAttachment(after.role, after.orgId, after.subjectId, await orgFacts(db, after.orgId));
  await assertSubject(db, after.subjectId);
  const set: Partial<typeof users.$inferInsert> = {
    role: after.role,
    orgId: after.orgId,
    subjectId: after.subjectId,
    disabled: after.disabled,
  };
  if (change.displayName !== undefined) set.displayName = change.displayName;
  if (change.email !== undefined) set.email = change.email;
  if (change.phone !== undefined) set.phone = sealPhone(keys, change.phone);
  if (change.unlock) Object.assign(set, { failedLogins: 0, lockedUntil: null });
  let sessionsEnded = 0;
  await db.transaction(async (tx) => {
    await tx.update(users).set(set).where(eq(users.id, id));
    if (endsSessions(before, after)) sessionsEnded = await endSessions(tx as unknown as Db, id);
  });
  return { user: await userById(db, keys, id), sessionsEnded };
}

/** 重置密码: a new one-time password, must change, unlocked; every session of the account ends. */
export async function resetPassword(db: Db, actor: CurrentUser, id: number) {
  const target = await accountState(db, id);
  assertMayReset(actor, target);
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  let sessionsEnded = 0;
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: hash, mustChangePassword: true, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null })
      .where(eq(users.id, id));
    sessionsEnded = await endSessions(tx as unknown as Db, id);
  });
  return { oneTimePassword: password, sessionsEnded };
}

/** 重置双因素: a lost device; the account sets up a new one at its next login if the policy requires it. */
export async function resetTotp(db: Db, actor: CurrentUser, id: number) {
  const target = await accountState(db, id);
  assertMayReset(actor, target);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabled: false, totpSecret: null, totpLastStep: null }).where(eq(users.id, id));
    await endSessions(tx as unknown as Db, id);
  });
  return { ok: true as const };
}

// ───────────────────────────── organisations ─────────────────────────────

export interface OrgFilter {
  q?: string | undefined;
  kind?: 'safety_office' | 'department' | undefined;
  /** the region and everything below it */
  regionId?: number | undefined;
}

const orgUsers = sql<number>`(select count(*)::int from ${users} where ${users.orgId} = ${organisations.id})`;

async function orgConditions(db: Db, f: OrgFilter): Promise<SQL | undefined> {
  const conds: (SQL | undefined)[] = [];
  if (f.q) conds.push(or(ilike(organisations.name, likeText(f.q)), ilike(organisations.deptCode, likeText(f.q))));
  if (f.kind) conds.push(eq(organisations.kind, f.kind));
  if (f.regionId) {
    const [r] = await db.select({ path: regions.path }).from(regions).where(eq(regions.id, f.regionId));
    if (!r) return sql`false`;
    conds.push(like(regions.path, `${r.path}%`));
  }
  return and(...conds);
}

function orgSelect(db: Db) {
  return db
    .select({ o: organisations, regionName: regions.name, regionPath: regions.path, users: orgUsers })
    .from(organisations)
    .innerJoin(regions, eq(regions.id, organisations.regionId));
}

type OrgRow = Awaited<ReturnType<ReturnType<typeof orgSelect>['where']>>[number];
const presentOrg = (r: OrgRow) => ({
  id: r.o.id,
  name: r.o.name,
  kind: r.o.kind,
  deptCode: r.o.deptCode,
  regionId: r.o.regionId,
  regionName: r.regionName,
  regionPath: r.regionPath,
  users: Number(r.users),
});
export type AdminOrg = ReturnType<typeof presentOrg>;

export async function listOrgs(db: Db, actor: CurrentUser, f: OrgFilter & { limit: number; offset: number }) {
  requireDuty(actor, 'manageAccounts');
  const where = await orgConditions(db, f);
  const rows = await orgSelect(db)
    .where(where)
    .orderBy(asc(regions.path), asc(organisations.kind), asc(organisations.name))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await db
    .select({ n: count() })
    .from(organisations)
    .innerJoin(regions, eq(regions.id, organisations.regionId))
    .where(where);
  return { items: rows.map(presentOrg), total: total?.n ?? 0 };
}

export async function allOrgs(db: Db, actor: CurrentUser, f: OrgFilter): Promise<AdminOrg[]> {
  requireDuty(actor, 'manageAccounts');
  return (
    await orgSelect(db)
      .where(await orgConditions(db, f))
      .orderBy(asc(regions.path), asc(organisations.kind), asc(organisations.name))
  ).map(presentOrg);
}

async function orgById(db: Db, id: number): Promise<AdminOrg> {
  const [row] = await orgSelect(db).where(eq(organisations.id, id));
  if (!row) throw notFound('组织');
  return presentOrg(row);
}

export interface OrgInput {
  name: string;
  kind: 'safety_office' | 'department';
  regionId: number;
  deptCode: string;
}

async function checkOrg(db: Db, input: OrgInput, exceptId: number | null) {
  const [r] = await db.select({ id: regions.id }).from(regions).where(eq(regions.id, input.regionId));
  if (!r) throw new AppError('VALIDATION', `辖区 ${input.regionId} 不存在`);
  if (input.kind === 'safety_office' && input.deptCode !== 'safety_office')
    throw new AppError('VALIDATION', '平安办的部门代码须为 safety_office');
  if (input.kind === 'department' && (input.deptCode === 'safety_office' || !(input.deptCode in DEPARTMENTS)))
    throw new AppError('VALIDATION', `部门代码「${input.deptCode}」不在部门目录中`);
  const same = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(
      and(eq(organisations.regionId, input.regionId), or(eq(organisations.name, input.name), eq(organisations.deptCode, input.deptCode))),
    );
  if (same.some((o) => o.id !== exceptId)) throw new AppError('DUPLICATE', '该辖区已有同名或同部门代码的组织');
}

export async function createOrg(db: Db, actor: CurrentUser, input: OrgInput): Promise<AdminOrg> {
  requireDuty(actor, 'manageAccounts');
  await checkOrg(db, input, null);
  const [row] = await db.insert(organisations).values(input).returning({ id: organisations.id });
  return orgById(db, row!.id);
}

/**
 * 修改组织. Its accounts' scope is rebuilt at their next request (scope.ts), so no session ends; a
 * change of kind is refused while accounts of a role that needs the old kind belong to it.
 */
export async function updateOrg(db: Db, actor: CurrentUser, id: number, input: OrgInput): Promise<AdminOrg> {
  requireDuty(actor, 'manageAccounts');
  const [o] = await db.select().from(organisations).where(eq(organisations.id, id));
  if (!o) throw notFound('组织');
  await checkOrg(db, input, id);
  if (o.kind !== input.kind) {
    const needing: Role[] = input.kind === 'department' ? ['safety_office'] : ['lead_department', 'cooperating_department'];
    const [n] = await db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.orgId, id), inArray(users.role, needing)));
    if ((n?.n ?? 0) > 0) throw new AppError('VALIDATION', `该组织下有${n!.n}个账号的角色与新的组织类型不符，请先调整这些账号`);
  }
  await db.update(organisations).set(input).where(eq(organisations.id, id));
  return orgById(db, id);
}

// ───────────────────────────── pickers ─────────────────────────────

export async function allRegions(db: Db, actor: CurrentUser) {
  requireDuty(actor, 'manageAccounts');
  return db
    .select({ id: regions.id, parentId: regions.parentId, name: regions.name, level: regions.level, path: regions.path })
    .from(regions)
    .orderBy(asc(regions.path));
}

export async function findSubjects(db: Db, actor: CurrentUser, f: { q?: string | undefined; limit: number; offset: number }) {
  requireDuty(actor, 'manageAccounts');
  const where = f.q ? ilike(subjects.name, likeText(f.q)) : undefined;
  const items = await db
    .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, regionName: regions.name })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(where)
    .orderBy(asc(subjects.name), asc(subjects.id))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await db.select({ n: count() }).from(subjects).where(where);
  return { items, total: total?.n ?? 0 };
}
