import { eq } from 'drizzle-orm';
import { allCriteria, type Criterion, type StandardDoc } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { standardVersions } from '../../db/schema.js';

/**
 * Stored standard versions, kept in memory. A version never changes once stored (modules/standards
 * only inserts versions: editing a standard stores a new one, and campaigns and applications pin
 * theirs), so what was read once stays right: nothing to invalidate, only a bound on how many are
 * kept, the least recently used going first. The document is frozen, since every reader shares it.
 */
export interface StandardVersion {
  id: number;
  doc: StandardDoc;
  /** the criteria by id */
  criteria: ReadonlyMap<string, Criterion>;
}

const MAX_VERSIONS = 64;

/**
 * One cache a database: two databases in one process (the tests) may number their versions alike.
 * A transaction shares its database's dialect object, so a read inside a transaction finds and fills
 * the same cache as one outside (the database itself is the key where there is no dialect).
 */
const caches = new WeakMap<object, Map<number, StandardVersion>>();

function cacheOf(db: Db | Tx): Map<number, StandardVersion> {
  const key = (db as unknown as { dialect?: object }).dialect ?? db;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new Map()));
  return cache;
}

/** A stored standard version with its criteria by id; read from the database once. */
export async function standardVersion(db: Db | Tx, id: number): Promise<StandardVersion> {
  const cache = cacheOf(db);
  const hit = cache.get(id);
  if (hit) {
    // a Map keeps insertion order: re-inserting marks it most recently used
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const [v] = await db.select({ doc: standardVersions.doc }).from(standardVersions).where(eq(standardVersions.id, id));
  if (!v) throw new Error(`standard version ${id} missing`);
  const doc = deepFreeze(v.doc);
  const version: StandardVersion = { id, doc, criteria: new Map(allCriteria(doc).map((c) => [c.id, c])) };
  cache.set(id, version);
  if (cache.size > MAX_VERSIONS) cache.delete(cache.keys().next().value!);
  return version;
}

/**
 * Forgets the versions read from a database. The application never needs it (versions are
 * immutable); a test that rewrites a stored version in place must call it afterwards.
 */
export function forgetStandardVersions(db: Db | Tx): void {
  cacheOf(db).clear();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
