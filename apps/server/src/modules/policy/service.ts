import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { POLICY_BOUNDS, SecurityPolicy as PolicySchema } from '@pingan/contract';
import { parsePasswordList } from '@pingan/core';
import type { z } from 'zod';
import { REPO_ROOT, type Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { settings, users } from '../../db/schema.js';

/**
 * The security policy (安全策略): one settings row, 'security_policy', edited by the security
 * administrator. Read by the auth service at every login and request through a short cache; a field
 * never saved (or saved out of bounds by hand) takes its default from the configuration.
 */
export type SecurityPolicy = z.infer<typeof PolicySchema>;

export const POLICY_KEY = 'security_policy';
/** how long a read policy is reused, per database */
const CACHE_MS = 5_000;

export function defaultPolicy(config: Config): SecurityPolicy {
  const clamp = (k: keyof typeof POLICY_BOUNDS, v: number) => Math.min(Math.max(Math.round(v), POLICY_BOUNDS[k].min), POLICY_BOUNDS[k].max);
  return {
    passwordProfile: 'dengbao',
    lockoutFailures: clamp('lockoutFailures', config.LOCKOUT_FAILURES),
    lockoutMinutes: clamp('lockoutMinutes', config.LOCKOUT_MINUTES),
    idleMinutes: clamp('idleMinutes', config.SESSION_IDLE_MINUTES),
    sessionHours: clamp('sessionHours', config.SESSION_HOURS),
    totpRequiredForStaff: false,
    totpRequiredForAdmins: false,
  };
}

/** The saved row over the defaults, field by field: a bad field falls back, the rest still applies. */
function merge(defaults: SecurityPolicy, saved: unknown): SecurityPolicy {
  if (!saved || typeof saved !== 'object') return defaults;
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, schema] of Object.entries(PolicySchema.shape)) {
    const v = (saved as Record<string, unknown>)[k];
    if (v !== undefined && schema.safeParse(v).success) out[k] = v;
  }
  return out as SecurityPolicy;
}

const cache = new WeakMap<Db, { at: number; policy: SecurityPolicy }>();

/** Drops the cached policy of a database (after a change made outside savePolicy, e.g. by hand or a restore). */
export function forgetPolicy(db: Db): void {
  cache.delete(db);
}

/** The policy in force (cached for a few seconds). */
export async function currentPolicy(db: Db, config: Config): Promise<SecurityPolicy> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.policy;
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, POLICY_KEY));
  const policy = merge(defaultPolicy(config), row?.value);
  cache.set(db, { at: Date.now(), policy });
  return policy;
}

export async function policyView(db: Db, config: Config) {
  const [row] = await db
    .select({ value: settings.value, updatedAt: settings.updatedAt, updatedBy: users.username })
    .from(settings)
    .leftJoin(users, eq(users.id, settings.updatedBy))
    .where(eq(settings.key, POLICY_KEY));
  const defaults = defaultPolicy(config);
  return {
    policy: merge(defaults, row?.value),
    defaults,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** Saves the whole policy (already validated by the contract, bounds included) and drops the cache. */
export async function savePolicy(db: Db, config: Config, policy: SecurityPolicy, by: number) {
  const now = new Date();
  await db
    .insert(settings)
    .values({ key: POLICY_KEY, value: policy, updatedBy: by, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: policy, updatedBy: by, updatedAt: now } });
  forgetPolicy(db);
  return policyView(db, config);
}

let common: Set<string> | undefined;
/** The common-password list (packages/core/data/common-passwords.txt), read once. */
export function commonPasswords(): Set<string> {
  return (common ??= parsePasswordList(fs.readFileSync(path.join(REPO_ROOT, 'packages/core/data/common-passwords.txt'), 'utf8')));
}
