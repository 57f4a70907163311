import { eq } from 'drizzle-orm';
import type { Chain, CriterionAnswer, FigureAnswer, StandardDoc } from '@pingan/core';
import { PRESET_000, PRESET_002, PRESET_004, PRESET_LEAD_OFFICE, allCriteria } from '@pingan/core';
import type { Db } from '../db/client.js';
import { campaignCategories, campaignQuotas, campaigns, users } from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import type { CurrentUser } from '../access/scope.js';
import { addEvidence } from '../modules/applications/files.js';
import { createApplication, reviewApplication, saveDraft, submitApplication } from '../modules/applications/service.js';
import { conferNotice, publishNotice } from '../modules/notices/service.js';
import { recommend } from '../modules/recommendations/service.js';
import { assignExperts, seedExperts } from '../modules/experts/service.js';

/**
 * The demo world on review chains: one campaign per preset, with applications standing at their
 * steps, driven through the real use cases as the users would.
 *   - 城南街道 “十大平安” (002): 村（社区）初审 → 街道审核 → 领导小组审定
 *   - 云州市 平安建设单位星级评定 (000): 部门会签 → 牵头部门初评 → 现场核查 → 综合评定
 *   - 青山区, 临江县 平安校园 naming (lead-office) → 云州市 市级评定 by recommendation (004)
 */
export interface DemoContext {
  year: number;
  regionId: Map<string, number>;
  orgId: Map<string, number>;
  subjectId: Map<string, number>;
  as(username: string): Promise<CurrentUser>;
  version(code: string): { id: number; doc: StandardDoc };
  passingFigure(m: StandardDoc['groups'][number]['criteria'][number]['measures'][number]): FigureAnswer;
  /** YYYY-MM-DD, offset days from today */
  day(offset: number): string;
}

export async function insertCampaign(
  db: Db,
  c: DemoContext,
  o: {
    region: string;
    org: string;
    creator: string;
    name: string;
    chain: Chain;
    standards: { code: string; quota?: number }[];
    parent?: number;
  },
): Promise<number> {
  const y = c.year;
  const [creator] = await db.select({ id: users.id }).from(users).where(eq(users.username, o.creator));
  const [row] = await db
    .insert(campaigns)
    .values({
      regionId: c.regionId.get(o.region)!,
      orgId: c.orgId.get(o.org)!,
      year: y,
      name: o.name,
      applyDeadline: `${y}-12-20`,
      reviewDeadline: `${y}-12-31`,
      phases: [
        { key: 'mobilise', name: '动员部署', start: `${y}-04-01`, end: `${y}-04-30` },
        { key: 'apply', name: '推荐申报', start: `${y}-05-01`, end: `${y}-12-20` },
        { key: 'guide', name: '指导培育', start: `${y}-07-01`, end: `${y}-12-25` },
        { key: 'accept', name: '验收表彰', start: `${y}-09-01`, end: `${y}-12-31` },
      ],
      chain: o.chain,
      parentCampaignId: o.parent ?? null,
      createdBy: creator?.id ?? null,
    })
    .returning({ id: campaigns.id });
  for (const s of o.standards) {
    const v = c.version(s.code);
    await db
      .insert(campaignCategories)
      .values({ campaignId: row!.id, categoryCode: v.doc.category.code, standardVersionId: v.id, quota: s.quota ?? null });
  }
  return row!.id;
}

/** Fills the 申报表 and self-assessment with passing figures, attaches the required evidence and submits. */
export async function applyAndSubmit(
  db: Db,
  storage: FileStorage,
  c: DemoContext,
  applicant: string,
  campaignId: number,
  code: string,
  submit = true,
): Promise<number> {
  const user = await c.as(applicant);
  const { doc } = c.version(code);
  const app = await createApplication(db, user, { campaignId, categoryCode: doc.category.code });
  const answers = allCriteria(doc).map((k): CriterionAnswer => ({
    criterionId: k.id,
    statement: `对照本项要求开展自查：${(k.title ?? k.text).slice(0, 30)}……制度、台账与记录齐全。`,
    figures: Object.fromEntries(k.measures.map((m) => [m.id, c.passingFigure(m)])),
  }));
  await saveDraft(
    db,
    user,
    app.id,
    {
      revision: app.revision,
      form: {
        content: `申报${c.year}年度“${doc.category.name}”`,
        plan: '一、健全组织机构；二、落实人防物防技防；三、开展矛盾纠纷排查化解；四、加强宣传教育。',
        contactName: user.displayName,
        contactPhone: '0731-88001234',
      },
      answers,
    },
    null,
  );
  for (const k of allCriteria(doc).filter((x) => x.evidenceRequired))
    await addEvidence(db, storage, user, app.id, {
      criterionId: k.id,
      fileName: `第${k.id}项佐证材料.pdf`,
      declaredType: 'application/pdf',
      data: DEMO_PDF,
    });
  if (submit) await submitApplication(db, user, app.id);
  return app.id;
}

/** A reviewer who owns the current step judges every item met and passes it on. */
export async function passStep(db: Db, c: DemoContext, reviewer: string, applicationId: number, code: string, comment: string) {
  const { doc } = c.version(code);
  const scores = allCriteria(doc).map((k) => ({
    criterionId: k.id,
    met: true,
    score: k.judge === 'yesno' ? null : k.points,
    comment: '资料齐全，符合要求',
  }));
  return reviewApplication(db, await c.as(reviewer), applicationId, { decision: 'pass', comment, scores });
}

export async function seedChainCampaigns(db: Db, storage: FileStorage, c: DemoContext): Promise<void> {
  const y = c.year;

  // ── 002: the street's own “十大平安” round: 村（社区）初审 → 街道审核 → 领导小组审定
  const street = await insertCampaign(db, c, {
    region: 'chengnan',
    org: 'chengnan.office',
    creator: 'cn_office',
    name: `城南街道${y}年“十大平安”创建（平安家庭）`,
    chain: PRESET_002,
    standards: [{ code: 'datuopu-2020-family', quota: 1 }],
  });
  const li = await applyAndSubmit(db, storage, c, 'family_li', street, 'datuopu-2020-family');
  await passStep(db, c, 'nm_community', li, 'datuopu-2020-family', '经社区入户核实，情况属实，同意推荐');
  await applyAndSubmit(db, storage, c, 'family_zhao', street, 'datuopu-2020-family');

  // ── 000: the city's star rating of units: 部门会签 → 牵头部门初评 → 现场核查 → 综合评定
  const star = await insertCampaign(db, c, {
    region: 'city',
    org: 'city.office',
    creator: 'city_office',
    name: `云州市${y}年平安建设单位星级评定`,
    chain: PRESET_000,
    standards: [{ code: 'zhenjiang-2022-unit-star', quota: 10 }],
  });
  const renmin = await applyAndSubmit(db, storage, c, 'hospital_rm', star, 'zhenjiang-2022-unit-star');
  await passStep(db, c, 'city_health', renmin, 'zhenjiang-2022-unit-star', '初评通过，建议现场核查');
  await applyAndSubmit(db, storage, c, 'hospital_tcm', star, 'zhenjiang-2022-unit-star');

  // the city's expert pool; 孙立新 works at 青山区东湖中学 and must stand aside (回避) from it
  const [zhou] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'expert_zhou'));
  const [sun] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'expert_sun'));
  await seedExperts(db, {
    regionId: c.regionId.get('city')!,
    experts: [
      { userId: zhou!.id, domains: ['industry_unit', 'campus', 'hospital', 'family'], homeRegionId: c.regionId.get('baisha')!, maxLoad: 8 },
      {
        userId: sun!.id,
        domains: ['campus', 'industry_unit'],
        employerSubjectId: c.subjectId.get('school.donghu')!,
        homeRegionId: c.regionId.get('donghu')!,
        maxLoad: 5,
      },
    ],
  });
  await assignExperts(db, await c.as('city_office'), renmin, { expertIds: [zhou!.id], dueOn: c.day(10) });

  // ── 004: counties name their own 平安校园 first, then recommend to the city within quota
  const city004 = await insertCampaign(db, c, {
    region: 'city',
    org: 'city.office',
    creator: 'city_office',
    name: `云州市${y}年“平安校园”市级评定（县区推荐）`,
    chain: PRESET_004,
    standards: [{ code: 'jiangzhou-2015-campus', quota: 2 }],
  });
  for (const [county, quota] of [
    ['qingshan', 1],
    ['linjiang', 1],
  ] as const)
    await db
      .insert(campaignQuotas)
      .values({ campaignId: city004, regionId: c.regionId.get(county)!, categoryCode: 'campus', count: quota, source: 'manual' });
  const counties = [
    {
      region: 'qingshan',
      org: 'qingshan.office',
      office: 'qs_office',
      edu: 'qs_edu',
      name: '青山区',
      schools: ['school_dh', 'school_yuehu'],
    },
    {
      region: 'linjiang',
      org: 'linjiang.office',
      office: 'lj_office',
      edu: 'lj_edu',
      name: '临江县',
      schools: ['school_bs', 'school_jiangbin'],
    },
  ];
  for (const k of counties) {
    const naming = await insertCampaign(db, c, {
      region: k.region,
      org: k.org,
      creator: k.office,
      name: `${k.name}${y}年平安校园评定命名`,
      chain: PRESET_LEAD_OFFICE,
      standards: [{ code: 'jiangzhou-2015-campus', quota: 2 }],
      parent: city004,
    });
    const ids: number[] = [];
    for (const school of k.schools) {
      const id = await applyAndSubmit(db, storage, c, school, naming, 'jiangzhou-2015-campus');
      await passStep(db, c, k.edu, id, 'jiangzhou-2015-campus', '初评通过');
      await passStep(db, c, k.office, id, 'jiangzhou-2015-campus', '经评定，达到平安校园标准');
      ids.push(id);
    }
    // the county's notice ran its five working days a fortnight ago: published and conferred as of then
    const office = await c.as(k.office);
    const notice = await publishNotice(
      db,
      office,
      {
        campaignId: naming,
        title: `${k.name}${y}年平安校园拟命名单位公示`,
        body: '公示期间如有异议，请向县（区）平安办反映。',
        startsOn: c.day(-21),
        endsOn: c.day(-14),
        applicationIds: ids,
      },
      { today: c.day(-21) },
    );
    await conferNotice(db, office, notice.id);
  }
  // 临江县 has recommended one school already, which fills its quota; 青山区 has not yet
  const ljTitles = await db.query.titles.findMany({ where: (t, { like }) => like(t.regionPath, `%/${c.regionId.get('linjiang')!}/%`) });
  const jiangbin = ljTitles.find((t) => t.subjectId === c.subjectId.get('school.jiangbin'));
  if (jiangbin) await recommend(db, await c.as('lj_office'), city004, jiangbin.id);
}

const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
