import { and, desc, eq, inArray } from 'drizzle-orm';
import { PRESET_000, addDays } from '@pingan/core';
import type { Db } from '../../db/client.js';
import {
  applications,
  campaignCategories,
  campaigns,
  organisations,
  regions,
  signoffs,
  standardVersions,
  standards,
  subjects,
  users,
} from '../../db/schema.js';
import { buildScope, type CurrentUser } from '../../access/scope.js';
import { loadOwnership } from '../../access/ownership.js';
import { enterChain } from '../applications/chain.js';
import { today } from '../applications/service.js';
import { saveScores, sign } from './service.js';
import { departmentCriteria, standardDocs } from './queries.js';

/**
 * Demo rows for 会签: a city campaign for 平安校园 under the 江州县 2015 standard (its criteria name
 * education, police, traffic police, fire… as lead or cooperating departments; the city has
 * education and police), running PRESET_000 so applications start at 部门会签. Three schools are at
 * the step: at the first the education bureau has signed, at the second the police is late, the
 * third is untouched. Call after seedDemo (it looks everything up by name and code).
 */
export async function seedSignoffs(db: Db): Promise<{ campaignId: number; applicationIds: number[] } | null> {
  const [city] = await db.select().from(regions).where(eq(regions.level, 'city')).limit(1);
  if (!city) return null;
  const [office] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.regionId, city.id), eq(organisations.kind, 'safety_office')))
    .limit(1);
  const [version] = await db
    .select({ id: standardVersions.id })
    .from(standardVersions)
    .innerJoin(standards, eq(standards.id, standardVersions.standardId))
    .where(eq(standards.code, 'jiangzhou-2015-campus'))
    .orderBy(desc(standardVersions.version))
    .limit(1);
  if (!office || !version) return null;
  const on = today();
  const year = Number(on.slice(0, 4));
  const [camp] = await db
    .insert(campaigns)
    .values({
      regionId: city.id,
      orgId: office.id,
      year,
      name: `${city.name}${year}年平安校园创建（部门会签）`,
      applyDeadline: `${year}-12-20`,
      reviewDeadline: `${year}-12-31`,
      chain: PRESET_000,
    })
    .returning();
  await db.insert(campaignCategories).values({ campaignId: camp!.id, categoryCode: 'campus', standardVersionId: version.id });
  const schools = await db
    .select({ id: subjects.id, regionId: subjects.regionId, path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(and(eq(subjects.kind, 'unit'), inArray(subjects.unitType, ['school', 'kindergarten'])))
    .orderBy(subjects.id)
    .limit(3);
  const ids: number[] = [];
  for (const s of schools) {
    const [app] = await db
      .insert(applications)
      .values({
        campaignId: camp!.id,
        categoryCode: 'campus',
        standardVersionId: version.id,
        subjectId: s.id,
        regionId: s.regionId,
        regionPath: s.path,
        status: 'submitted',
        submittedAt: new Date(),
      })
      .returning();
    await db.transaction(async (tx) => enterChain(tx, app!, await loadOwnership(tx, app!)));
    ids.push(app!.id);
  }
  // the first school: the city's education bureau has judged its items and signed
  const [edu] = await db
    .select()
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(and(eq(organisations.regionId, city.id), eq(organisations.deptCode, 'education'), eq(users.disabled, false)))
    .limit(1);
  if (edu && ids[0]) {
    const { scope, org } = await buildScope(db, edu.users);
    const user: CurrentUser = {
      id: edu.users.id,
      username: edu.users.username,
      displayName: edu.users.displayName,
      role: edu.users.role,
      org,
      subjectId: null,
      scope,
    };
    const [row] = await db
      .select()
      .from(signoffs)
      .where(and(eq(signoffs.applicationId, ids[0]), eq(signoffs.orgId, edu.organisations.id)));
    if (row) {
      const docs = await standardDocs(db, [version.id]);
      const crit = departmentCriteria(version.id, docs.get(version.id)!, 'education');
      await saveScores(db, user, row.id, {
        scores: crit.map((c) => (c.judge === 'yesno' ? { criterionId: c.id, met: true } : { criterionId: c.id, score: c.points })),
        comment: '各项工作落实到位',
      });
      await sign(db, user, row.id, { comment: '同意' });
    }
  }
  // the second school: the police missed its deadline
  if (ids[1])
    await db
      .update(signoffs)
      .set({ deadline: addDays(on, -3) })
      .where(and(eq(signoffs.applicationId, ids[1]), eq(signoffs.deptCode, 'police')));
  return { campaignId: camp!.id, applicationIds: ids };
}
