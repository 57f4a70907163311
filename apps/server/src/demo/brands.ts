import { PRESET_002, PRESET_LEAD_OFFICE, allCriteria } from '@pingan/core';
import type { Db } from '../db/client.js';
import { subjects, users } from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import { hashPassword } from '../modules/auth/service.js';
import { createApplication, saveDraft, submitApplication } from '../modules/applications/service.js';
import { fillIndicatorFigures } from '../modules/assessment/fill.js';
import { DEMO_PASSWORD } from './accounts.js';
import { applyAndSubmit, insertCampaign, passStep, type DemoContext } from './chains.js';

/** The regions that apply for 003's 平安县（市）区 / 乡（镇）办事处, each with its own applicant desk. */
export const REGION_APPLICANTS = [
  { region: 'qingshan', name: '青山区', level: 'county', username: 'region_qs' },
  { region: 'linjiang', name: '临江县', level: 'county', username: 'region_lj' },
  { region: 'chengnan', name: '城南街道', level: 'town', username: 'town_cn' },
  { region: 'donghu', name: '东湖街道', level: 'town', username: 'town_dh' },
  { region: 'baisha', name: '白沙镇', level: 'town', username: 'town_bs' },
  { region: 'linjiang.town', name: '临江镇', level: 'town', username: 'town_lj' },
] as const;

/** People for 004's two individual honours, recommended by their community (the chain's first step). */
export const INDIVIDUAL_APPLICANTS = [
  { region: 'nanmen', name: '李明', username: 'grid_liming', code: 'shangluo-2018-household-head', note: '南门社区网格员' },
  { region: 'guihua', name: '周桂英', username: 'volunteer_zhou', code: 'shangluo-2018-volunteer', note: '桂花社区红袖章志愿者' },
] as const;

/**
 * Regions and people apply too (issue 8): the regions as subjects with their own accounts, the
 * city's round for 平安县（市）区、乡（镇） under 003's 五个90% (figures come from the region
 * indicators, not typed), and 青山区's round for the two individual honours of 004 on 002's chain,
 * whose first step is the community's 初审 — the community recommends.
 * Returns the campaign ids so later seeders (the ranking) can act on them.
 */
export async function seedBrands(
  db: Db,
  storage: FileStorage,
  c: DemoContext,
): Promise<{ regionCampaign: number; honourCampaign: number }> {
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const r of REGION_APPLICANTS) {
    const [s] = await db
      .insert(subjects)
      .values({ kind: 'region', name: r.name, regionId: c.regionId.get(r.region)!, unitType: r.level })
      .returning({ id: subjects.id });
    c.subjectId.set(`region.${r.region}`, s!.id);
    await db
      .insert(users)
      .values({ username: r.username, passwordHash: hash, displayName: `${r.name}平安创建申报`, role: 'applicant', subjectId: s!.id });
  }
  for (const p of INDIVIDUAL_APPLICANTS) {
    const [s] = await db
      .insert(subjects)
      .values({ kind: 'individual', name: p.name, regionId: c.regionId.get(p.region)!, address: p.note })
      .returning({ id: subjects.id });
    c.subjectId.set(`person.${p.username}`, s!.id);
    await db.insert(users).values({ username: p.username, passwordHash: hash, displayName: p.name, role: 'applicant', subjectId: s!.id });
  }

  const y = c.year;
  const regionCampaign = await insertCampaign(db, c, {
    region: 'city',
    org: 'city.office',
    creator: 'city_office',
    name: `云州市${y}年平安县（市）区、乡（镇）达标评定`,
    chain: PRESET_LEAD_OFFICE,
    standards: [{ code: 'xx-city-safe-county' }],
  });
  // the towns open their drafts and take their figures from the region indicators (measured, not typed);
  // 城南街道 goes in; 临江镇's draft will be refused on submission: vetoed after three years last
  const { doc } = c.version('xx-city-safe-county');
  for (const r of REGION_APPLICANTS.filter((x) => x.level === 'town')) {
    const user = await c.as(r.username);
    const app = await createApplication(db, user, { campaignId: regionCampaign, categoryCode: 'safe_county_town' });
    await saveDraft(
      db,
      user,
      app.id,
      {
        revision: app.revision,
        form: {
          content: `申报${y}年度“平安乡（镇）办事处”`,
          plan: '对照“五个90%以上”逐项落实。',
          contactName: user.displayName,
          contactPhone: '0731-88002468',
        },
        answers: allCriteria(doc).map((k) => ({
          criterionId: k.id,
          statement: `${r.name}${(k.title ?? k.text).slice(0, 20)}：数据取自区域指标。`,
        })),
      },
      null,
    );
    await fillIndicatorFigures(db, user, app.id);
    if (r.region === 'chengnan') await submitApplication(db, user, app.id);
  }

  const honourCampaign = await insertCampaign(db, c, {
    region: 'qingshan',
    org: 'qingshan.office',
    creator: 'qs_office',
    name: `青山区${y}年优秀治安中心户长（网格员）、优秀平安志愿者（红袖章）评选`,
    chain: PRESET_002,
    standards: [
      { code: 'shangluo-2018-household-head', quota: 2 },
      { code: 'shangluo-2018-volunteer', quota: 2 },
    ],
  });
  const li = await applyAndSubmit(db, storage, c, 'grid_liming', honourCampaign, 'shangluo-2018-household-head');
  await passStep(db, c, 'nm_community', li, 'shangluo-2018-household-head', '经社区核实，该同志长期担任网格员，表现突出，同意推荐');
  await applyAndSubmit(db, storage, c, 'volunteer_zhou', honourCampaign, 'shangluo-2018-volunteer');
  return { regionCampaign, honourCampaign };
}
