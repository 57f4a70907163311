import { eq, inArray, isNull, and } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, campaigns, regions, titles } from '../../db/schema.js';

/**
 * The demo world's naming documents (命名文件): each campaign that conferred titles names them in
 * a document of its region's 平安建设领导小组, e.g. 云安〔2026〕3号 for 云州市. Certificates print it
 * and sign it; the public page shows it.
 */
export async function seedTitleDemo(db: Db): Promise<void> {
  const rows = await db
    .selectDistinct({ id: campaigns.id, year: campaigns.year, region: regions.name })
    .from(titles)
    .innerJoin(applications, eq(applications.id, titles.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .orderBy(campaigns.id);
  let no = 3;
  for (const c of rows) {
    const doc = `${c.region.slice(0, 1)}安〔${c.year}〕${no++}号`;
    const apps = db.select({ id: applications.id }).from(applications).where(eq(applications.campaignId, c.id));
    await db
      .update(titles)
      .set({ namingDocument: doc })
      .where(and(inArray(titles.applicationId, apps), isNull(titles.namingDocument)));
  }
}
