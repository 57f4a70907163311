import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import type { CriterionAnswer, FigureAnswer, Measure, StandardDoc } from '@pingan/core';
import { allCriteria, idCheckDigit } from '@pingan/core';
import type { Db } from '../db/client.js';
import { campaignCategories, campaigns, organisations, regions, subjects, users } from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import { addEvidence } from '../modules/applications/files.js';
import { hashPassword } from '../modules/auth/service.js';
import { buildScope, type CurrentUser } from '../access/scope.js';
import { importStandard, loadStandardFiles } from '../modules/standards/files.js';
import { createApplication, reviewApplication, saveDraft, submitApplication, today } from '../modules/applications/service.js';
import { conferNotice, publishNotice } from '../modules/notices/service.js';
import { seedTitleDemo } from '../modules/titles/demo.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.js';
import { seedChainCampaigns, type DemoContext } from './chains.js';
import { seedBrands } from './brands.js';
import { seedAssessment } from './assessment.js';
import { seedSurveys } from './surveys.js';
import { seedFilings } from './filings.js';
import { seedIncidents } from './incidents.js';
import { seedVotes } from './votes.js';
import { seedObjections } from './objections.js';

export { DEMO_PASSWORD };

/** A small deterministic PRNG (mulberry32): the demo world is the same on every machine. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type RegionLevel = 'province' | 'city' | 'county' | 'town' | 'village' | 'grid';
interface RegionSpec {
  key: string;
  name: string;
  level: RegionLevel;
  children?: RegionSpec[];
}

/** 云州市: a fictional city, two districts/counties, streets and towns, villages, communities, grids. */
const REGION_TREE: RegionSpec = {
  key: 'city',
  name: '云州市',
  level: 'city',
  children: [
    {
      key: 'qingshan',
      name: '青山区',
      level: 'county',
      children: [
        {
          key: 'chengnan',
          name: '城南街道',
          level: 'town',
          children: [
            {
              key: 'nanmen',
              name: '南门社区',
              level: 'village',
              children: [
                { key: 'nanmen.g1', name: '南门社区第一网格', level: 'grid' },
                { key: 'nanmen.g2', name: '南门社区第二网格', level: 'grid' },
              ],
            },
            { key: 'guihua', name: '桂花社区', level: 'village' },
          ],
        },
        {
          key: 'donghu',
          name: '东湖街道',
          level: 'town',
          children: [
            { key: 'donghu.v', name: '东湖村', level: 'village' },
            { key: 'yuehu', name: '月湖社区', level: 'village' },
          ],
        },
      ],
    },
    {
      key: 'linjiang',
      name: '临江县',
      level: 'county',
      children: [
        {
          key: 'baisha',
          name: '白沙镇',
          level: 'town',
          children: [
            { key: 'baisha.v', name: '白沙村', level: 'village' },
            { key: 'liuxi', name: '柳溪村', level: 'village' },
          ],
        },
        { key: 'linjiang.town', name: '临江镇', level: 'town', children: [{ key: 'jiangbin', name: '江滨社区', level: 'village' }] },
      ],
    },
  ],
};

const ORGS: { key: string; region: string; name: string; kind: 'safety_office' | 'department'; dept: string }[] = [
  { key: 'city.office', region: 'city', name: '云州市平安办', kind: 'safety_office', dept: 'safety_office' },
  { key: 'city.education', region: 'city', name: '云州市教育局', kind: 'department', dept: 'education' },
  { key: 'city.health', region: 'city', name: '云州市卫生健康委员会', kind: 'department', dept: 'health' },
  { key: 'city.police', region: 'city', name: '云州市公安局', kind: 'department', dept: 'police' },
  { key: 'city.commerce', region: 'city', name: '云州市商务局', kind: 'department', dept: 'commerce' },
  { key: 'city.women', region: 'city', name: '云州市妇女联合会', kind: 'department', dept: 'women_federation' },
  { key: 'qingshan.office', region: 'qingshan', name: '青山区平安办', kind: 'safety_office', dept: 'safety_office' },
  { key: 'qingshan.education', region: 'qingshan', name: '青山区教育局', kind: 'department', dept: 'education' },
  { key: 'qingshan.health', region: 'qingshan', name: '青山区卫生健康局', kind: 'department', dept: 'health' },
  { key: 'qingshan.police', region: 'qingshan', name: '青山区公安分局', kind: 'department', dept: 'police' },
  { key: 'linjiang.office', region: 'linjiang', name: '临江县平安办', kind: 'safety_office', dept: 'safety_office' },
  { key: 'linjiang.education', region: 'linjiang', name: '临江县教育局', kind: 'department', dept: 'education' },
  { key: 'linjiang.health', region: 'linjiang', name: '临江县卫生健康局', kind: 'department', dept: 'health' },
  { key: 'linjiang.police', region: 'linjiang', name: '临江县公安局', kind: 'department', dept: 'police' },
  { key: 'chengnan.office', region: 'chengnan', name: '城南街道平安办', kind: 'safety_office', dept: 'safety_office' },
  { key: 'baisha.office', region: 'baisha', name: '白沙镇平安办', kind: 'safety_office', dept: 'safety_office' },
  // the communities' own desks: 002's chain starts with 村（社区）初审
  { key: 'nanmen.office', region: 'nanmen', name: '南门社区平安办', kind: 'safety_office', dept: 'safety_office' },
  { key: 'guihua.office', region: 'guihua', name: '桂花社区平安办', kind: 'safety_office', dept: 'safety_office' },
];

/** Which demo category each subject applies for; the unit type is taken from that standard. */
const SUBJECTS: {
  key: string;
  name: string;
  region: string;
  category: string;
  kind?: 'unit' | 'household';
  households?: number;
  staff?: number;
  address: string;
  female?: boolean;
}[] = [
  {
    key: 'school.nanmen',
    name: '云州市南门实验小学',
    region: 'nanmen',
    category: 'campus',
    staff: 126,
    address: '青山区城南街道南门路18号',
  },
  { key: 'school.donghu', name: '青山区东湖中学', region: 'donghu.v', category: 'campus', staff: 98, address: '青山区东湖街道湖滨路66号' },
  { key: 'school.guihua', name: '青山区桂花幼儿园', region: 'guihua', category: 'campus', staff: 35, address: '青山区城南街道桂花巷9号' },
  {
    key: 'school.baisha',
    name: '临江县白沙镇中心小学',
    region: 'baisha.v',
    category: 'campus',
    staff: 64,
    address: '临江县白沙镇白沙大道2号',
  },
  {
    key: 'school.jiangbin',
    name: '临江县第二中学',
    region: 'jiangbin',
    category: 'campus',
    staff: 152,
    address: '临江县临江镇滨江路120号',
  },
  { key: 'school.yuehu', name: '青山区月湖小学', region: 'yuehu', category: 'campus', staff: 71, address: '青山区东湖街道月湖路3号' },
  {
    key: 'hospital.renmin',
    name: '云州市人民医院',
    region: 'nanmen',
    category: 'hospital',
    staff: 1480,
    address: '青山区城南街道人民路1号',
  },
  { key: 'hospital.tcm', name: '青山区中医院', region: 'guihua', category: 'hospital', staff: 420, address: '青山区城南街道杏林路27号' },
  {
    key: 'hospital.baisha',
    name: '临江县白沙镇卫生院',
    region: 'baisha.v',
    category: 'hospital',
    staff: 46,
    address: '临江县白沙镇卫生路8号',
  },
  {
    key: 'hospital.linjiang',
    name: '临江县人民医院',
    region: 'jiangbin',
    category: 'hospital',
    staff: 610,
    address: '临江县临江镇健康路55号',
  },
  {
    key: 'family.wang',
    name: '王建国家庭',
    region: 'nanmen.g1',
    category: 'family',
    kind: 'household',
    households: 1,
    address: '南门社区南门路18栋2单元301',
  },
  {
    key: 'family.li',
    name: '李秀英家庭',
    region: 'nanmen.g2',
    category: 'family',
    kind: 'household',
    households: 1,
    address: '南门社区桂园小区5栋102',
    female: true,
  },
  {
    key: 'family.zhang',
    name: '张德福家庭',
    region: 'liuxi',
    category: 'family',
    kind: 'household',
    households: 1,
    address: '临江县白沙镇柳溪村三组12号',
  },
  {
    key: 'family.chen',
    name: '陈美玲家庭',
    region: 'donghu.v',
    category: 'family',
    kind: 'household',
    households: 1,
    address: '东湖村湖东组7号',
    female: true,
  },
  {
    key: 'family.zhao',
    name: '赵丽华家庭',
    region: 'guihua',
    category: 'family',
    kind: 'household',
    households: 1,
    address: '桂花社区桂花巷12栋401',
    female: true,
  },
];

/** The demo campaign runs the 2020 十大平安 standards of 002_169671291d704e13.txt for these categories. */
export const DEMO_STANDARD_FOR: Record<string, string> = {
  campus: 'datuopu-2020-campus',
  hospital: 'datuopu-2020-hospital',
  family: 'datuopu-2020-family',
};

export async function seedDemoIfEmpty(db: Db, storage: FileStorage): Promise<{ ms: number } | null> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(users)) as [{ n: number }];
  if (n > 0) return null;
  const t0 = performance.now();
  await seedDemo(db, storage);
  return { ms: Math.round(performance.now() - t0) };
}

/**
 * A realistic but fake household head's ID number (18 digits: a 长沙 district code, a birth date,
 * a sequence whose parity is the sex, the GB 11643 check character) and mobile number.
 */
function fakePerson(rnd: () => number, female: boolean): { idNumber: string; phone: string } {
  const districts = ['430102', '430103', '430104', '430105', '430111', '430121'];
  const area = districts[Math.floor(rnd() * districts.length)]!;
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(rnd() * 30 * 365) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const seq = String(Math.floor(rnd() * 50) * 2 + (female ? 0 : 1) + 100).padStart(3, '0');
  const first17 = `${area}${birth}${seq}`;
  const prefixes = ['138', '139', '136', '150', '151', '158', '177', '186', '187', '199'];
  const phone = `${prefixes[Math.floor(rnd() * prefixes.length)]}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
  return { idNumber: first17 + idCheckDigit(first17), phone };
}

export async function seedDemo(db: Db, storage: FileStorage): Promise<void> {
  const rnd = prng(20201101);
  // personal numbers from a stream of their own, so the rest of the demo world stays as it was
  const personRnd = prng(11643);
  const regionId = new Map<string, number>();
  const insertRegion = async (r: RegionSpec, parentId: number | null, parentPath: string) => {
    const [row] = await db.insert(regions).values({ parentId, name: r.name, level: r.level }).returning({ id: regions.id });
    const path = `${parentPath}${row!.id}/`;
    await db.update(regions).set({ path }).where(eq(regions.id, row!.id));
    regionId.set(r.key, row!.id);
    for (const c of r.children ?? []) await insertRegion(c, row!.id, path);
  };
  await insertRegion(REGION_TREE, null, '/');

  const orgId = new Map<string, number>();
  for (const o of ORGS) {
    const [row] = await db
      .insert(organisations)
      .values({ regionId: regionId.get(o.region)!, name: o.name, kind: o.kind, deptCode: o.dept })
      .returning({ id: organisations.id });
    orgId.set(o.key, row!.id);
  }

  const docs = loadStandardFiles();
  const versionByCode = new Map<string, { id: number; doc: StandardDoc }>();
  for (const { doc } of docs) {
    const v = await importStandard(db, doc, null, '自源文件导入 Imported from the source document');
    versionByCode.set(doc.code, { id: v.id, doc });
  }
  const standardFor = (category: string) => {
    const v = versionByCode.get(DEMO_STANDARD_FOR[category]!);
    if (!v) throw new Error(`demo standard ${DEMO_STANDARD_FOR[category]} missing from standards/`);
    return v;
  };

  const subjectId = new Map<string, number>();
  for (const s of SUBJECTS) {
    const doc = standardFor(s.category).doc;
    const [row] = await db
      .insert(subjects)
      .values({
        kind: s.kind ?? 'unit',
        name: s.name,
        regionId: regionId.get(s.region)!,
        unitType: s.kind === 'household' ? null : (doc.category.unitTypes[0] ?? null),
        supervisingDept: s.category === 'campus' ? 'education' : s.category === 'hospital' ? 'health' : null,
        households: s.households ?? null,
        staff: s.staff ?? null,
        address: s.address,
        // written in clear: the startup step (buildApp) encrypts them before anyone reads them
        ...(s.kind === 'household' ? fakePerson(personRnd, !!s.female) : {}),
      })
      .returning({ id: subjects.id });
    subjectId.set(s.key, row!.id);
  }

  const userId = new Map<string, number>();
  for (const a of DEMO_ACCOUNTS) {
    const [row] = await db
      .insert(users)
      .values({
        username: a.username,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        displayName: a.displayName,
        role: a.role,
        orgId: a.org ? orgId.get(a.org)! : null,
        subjectId: a.subject ? subjectId.get(a.subject)! : null,
      })
      .returning({ id: users.id });
    userId.set(a.username, row!.id);
  }
  // applicant accounts for the subjects the list above does not name, so every unit can log in
  for (const s of SUBJECTS) {
    if (DEMO_ACCOUNTS.some((a) => a.subject === s.key)) continue;
    const username = s.key.replace('.', '_');
    const [row] = await db
      .insert(users)
      .values({
        username,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        displayName: s.name,
        role: 'applicant',
        subjectId: subjectId.get(s.key)!,
      })
      .returning({ id: users.id });
    userId.set(username, row!.id);
  }

  const as = async (username: string): Promise<CurrentUser> => {
    const [u] = await db.select().from(users).where(eq(users.username, username));
    const { scope, org } = await buildScope(db, u!);
    return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, org, subjectId: u!.subjectId, scope };
  };

  // this year's round, with the four phases of 002 (动员部署 → 推荐申报 → 指导培育 → 验收表彰)
  const year = Number(today().slice(0, 4));
  const [camp] = await db
    .insert(campaigns)
    .values({
      regionId: regionId.get('city')!,
      orgId: orgId.get('city.office')!,
      year,
      name: `云州市${year}年“十大平安”创建`,
      applyDeadline: `${year}-12-20`,
      reviewDeadline: `${year}-12-31`,
      phases: [
        { key: 'mobilise', name: '动员部署', start: `${year}-04-01`, end: `${year}-04-30` },
        { key: 'apply', name: '推荐申报', start: `${year}-05-01`, end: `${year}-12-20` },
        { key: 'guide', name: '指导培育', start: `${year}-07-01`, end: `${year}-12-25` },
        { key: 'accept', name: '验收表彰', start: `${year}-09-01`, end: `${year}-12-31` },
      ],
      createdBy: userId.get('city_office')!,
    })
    .returning({ id: campaigns.id });
  const campaignId = camp!.id;
  const quotas: Record<string, number> = { campus: 3, hospital: 2, family: 3 };
  for (const cat of Object.keys(DEMO_STANDARD_FOR))
    await db
      .insert(campaignCategories)
      .values({ campaignId, categoryCode: cat, standardVersionId: standardFor(cat).id, quota: quotas[cat] ?? null });

  const leadFor: Record<string, string> = { campus: 'city_edu', hospital: 'city_health', family: 'city_women' };
  const applicantFor = (key: string) => DEMO_ACCOUNTS.find((a) => a.subject === key)?.username ?? key.replace('.', '_');

  /** Drives one application through the real use cases up to `stage`, as the users would. */
  const drive = async (
    subjectKey: string,
    stage: 'draft' | 'submitted' | 'preliminary_passed' | 'evaluated' | 'in_notice' | 'conferred' | 'returned' | 'rejected',
    opts: { quality?: number; fillDraft?: boolean } = {},
  ) => {
    const s = SUBJECTS.find((x) => x.key === subjectKey)!;
    const doc = standardFor(s.category).doc;
    const applicant = await as(applicantFor(subjectKey));
    const app = await createApplication(db, applicant, { campaignId, categoryCode: s.category });
    if (stage === 'draft' && !opts.fillDraft) return app.id;
    const answers = allCriteria(doc).map((c): CriterionAnswer => ({
      criterionId: c.id,
      statement: `${s.name}对照本项要求开展自查：${(c.title ?? c.text).slice(0, 40)}……已建立工作台账，相关制度与记录齐全。`,
      figures: Object.fromEntries(c.measures.map((m) => [m.id, passingFigure(m, rnd)])),
    }));
    await saveDraft(
      db,
      applicant,
      app.id,
      {
        revision: app.revision,
        form: {
          content: `申报${year}年度“${doc.category.name}”`,
          plan: `${s.name}${year}年平安创建活动计划：一、健全组织机构；二、落实人防物防技防；三、开展矛盾纠纷排查化解；四、加强宣传教育，提高群众知晓率和满意度。`,
          contactName: applicant.displayName,
          contactPhone: `0731-8${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}`,
        },
        answers,
      },
      null,
    );
    if (stage === 'draft') return app.id;
    // evidence-required criteria need a file: a small real PDF stands in for the scanned ledger
    await attachRequiredEvidence(db, storage, app.id, doc, applicant);
    await submitApplication(db, applicant, app.id);
    if (stage === 'submitted') return app.id;
    const q = opts.quality ?? 0.9;
    const scores = (factor: number) =>
      allCriteria(doc).map((c) => {
        const met = c.veto ? stage !== 'rejected' : rnd() < q + 0.08;
        return {
          criterionId: c.id,
          met,
          score: met ? Math.round(c.points * Math.min(1, factor * (0.85 + rnd() * 0.15)) * 10) / 10 : 0,
          comment: met ? '资料齐全，符合要求' : '佐证材料不足',
        };
      });
    if (stage === 'returned') {
      await reviewApplication(db, await as(leadFor[s.category]!), app.id, {
        decision: 'return',
        reason: '自评说明过于简略，请补充视频监控联网记录和安全隐患排查台账',
        comment: null,
        scores: [],
      });
      return app.id;
    }
    const lead = await as(leadFor[s.category]!);
    if (stage === 'rejected') {
      await reviewApplication(db, lead, app.id, {
        decision: 'reject',
        reason: '本年度发生安全责任事故，一票否决',
        comment: '经核实，一票否决项不符合',
        scores: scores(q),
      });
      return app.id;
    }
    await reviewApplication(db, lead, app.id, { decision: 'pass', comment: '初评通过，同意推荐', scores: scores(q) });
    if (stage === 'preliminary_passed') return app.id;
    await reviewApplication(db, await as('city_office'), app.id, {
      decision: 'pass',
      comment: '经现场核查、资料核查，综合评定通过',
      scores: scores(q),
    });
    return app.id;
  };

  await drive('school.yuehu', 'draft');
  await drive('school.guihua', 'draft', { fillDraft: true });
  await drive('hospital.tcm', 'submitted');
  await drive('school.jiangbin', 'submitted');
  await drive('hospital.baisha', 'returned');
  await drive('family.chen', 'rejected');
  await drive('school.donghu', 'preliminary_passed');
  await drive('hospital.linjiang', 'evaluated', { quality: 0.95 });
  const inNotice = [await drive('family.li', 'evaluated'), await drive('family.zhang', 'evaluated', { quality: 0.8 })];
  const toConfer = [await drive('hospital.renmin', 'evaluated', { quality: 1 })];

  const office = await as('city_office');
  const d = (offset: number) => new Date(Date.parse(today()) + offset * 86400_000).toISOString().slice(0, 10);
  const ended = await publishNotice(
    db,
    office,
    {
      campaignId,
      title: `云州市${year}年“十大平安”创建第一批拟命名单位公示`,
      body: '公示期间，任何单位和个人如有异议，可向云州市平安办反映。',
      startsOn: d(-14),
      endsOn: d(-8),
      applicationIds: toConfer,
    },
    { today: d(-14) },
  );
  await conferNotice(db, office, ended.id);
  await publishNotice(
    db,
    office,
    {
      campaignId,
      title: `云州市${year}年“十大平安”创建第二批拟命名对象公示`,
      body: '公示期为7天。公示期间如有异议，请以书面形式向云州市平安办反映。',
      startsOn: d(-2),
      endsOn: d(4),
      applicationIds: inNotice,
    },
    { today: d(-2) },
  );
  const ctx: DemoContext = {
    year,
    regionId,
    orgId,
    subjectId,
    as,
    version: (code) => {
      const v = versionByCode.get(code);
      if (!v) throw new Error(`demo standard ${code} missing from standards/`);
      return v;
    },
    passingFigure: (m) => passingFigure(m, rnd),
    day: d,
  };
  await seedChainCampaigns(db, storage, ctx);
  await seedObjections(db, storage);
  // 事件与申诉: one confirmed incident that put 云州市人民医院's title on 黄牌警告, its appeal window open
  await seedIncidents(db, storage, { as, day: d });
  // 网络评选: three recommended schools at the 004 round's vote step, the vote open, a flagged burst
  await seedVotes(db, storage, { as, day: d });
  // regions assessed: three years of indicators and published rankings (临江县's yellow card, 临江镇's veto)
  await seedAssessment(db, { as });
  // this year's 两率一度 survey of the city, open, its answers applied as the towns' indicators
  await seedSurveys(db, { as, day: d });
  // 报备: the 004 filings of this year's city round (青山区 accepted, 临江县 returned and late)
  await seedFilings(db, storage, { as });
  // 命名文件: the naming document of every campaign that conferred titles (certificates print and sign it)
  await seedTitleDemo(db);
  // regions and people apply too: region desks, the 003 region round, 004's individual honours
  await seedBrands(db, storage, ctx);
  // school_nm and family_wang start clean: the walkthrough begins with them
}

function passingFigure(m: Measure, rnd: () => number): FigureAnswer {
  const jitter = rnd();
  switch (m.kind) {
    case 'threshold':
      if (m.comparator === '>=' || m.comparator === '>') {
        const top = m.unit === '%' ? 100 : m.value * 1.5;
        return { value: Math.round((m.value + (top - m.value) * (0.3 + 0.6 * jitter)) * 10) / 10 };
      }
      if (m.comparator === '=') return { value: m.value };
      return { value: Math.round(m.value * (0.2 + 0.5 * jitter) * 10) / 10 };
    case 'change':
      return { previous: 10 + Math.floor(jitter * 10), value: Math.floor((10 + Math.floor(jitter * 10)) * 0.5) };
    case 'range':
      return { value: Math.round((m.min + m.max) / 2) };
    case 'frequency':
      return { value: m.min + 1 };
    case 'distance':
      return { value: Math.round(m.value * (1.5 + jitter)) };
  }
}

/** One small valid PDF, written through the real storage, for criteria that require evidence. */
async function attachRequiredEvidence(db: Db, storage: FileStorage, applicationId: number, doc: StandardDoc, user: CurrentUser) {
  for (const c of allCriteria(doc).filter((x) => x.evidenceRequired))
    await addEvidence(db, storage, user, applicationId, {
      criterionId: c.id,
      fileName: `第${c.id}项佐证材料.pdf`,
      declaredType: 'application/pdf',
      data: MINIMAL_PDF,
    });
}

const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
