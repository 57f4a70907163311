import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, campaigns, regions } from '../../db/schema.js';

/** A campaign with the path of its region, or undefined. */
export async function campaignRegion(db: Db, campaignId: number) {
  const [c] = await db
    .select({ id: campaigns.id, regionPath: regions.path })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(eq(campaigns.id, campaignId));
  return c;
}

/** What decides whether an account sees an application, or undefined. */
export async function applicationScopeRow(db: Db, applicationId: number) {
  const [row] = await db
    .select({
      regionPath: applications.regionPath,
      categoryCode: applications.categoryCode,
      subjectId: applications.subjectId,
      status: applications.status,
    })
    .from(applications)
    .where(eq(applications.id, applicationId));
  return row;
}
