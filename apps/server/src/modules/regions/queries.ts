import { asc, like } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { regions } from '../../db/schema.js';

/** The regions of a subtree, by path (the region itself first). */
export function regionsUnder(db: Db, regionPath: string) {
  return db
    .select({ id: regions.id, parentId: regions.parentId, name: regions.name, level: regions.level, path: regions.path })
    .from(regions)
    .where(like(regions.path, `${regionPath}%`))
    .orderBy(asc(regions.path));
}
