import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FigureAnswer, Measure, StandardDoc } from '@pingan/core';
import { allCriteria, figuresMet } from '@pingan/core';
import type { Db } from '../db/client.js';
import {
  answers,
  applicationEvents,
  applications,
  ballotChoices,
  ballots,
  campaignCategories,
  campaignQuotas,
  campaigns,
  regions,
  signoffs,
  standardVersions,
  subjects,
  titles,
  users,
  voteCandidates,
} from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import type { CurrentUser } from '../access/scope.js';
import { issueTitle } from '../modules/titles/issue.js';
import { recommend } from '../modules/recommendations/service.js';
import { saveScores, sign } from '../modules/signoffs/service.js';
import { departmentCriteria } from '../modules/signoffs/queries.js';
import { assignExperts } from '../modules/experts/service.js';
import { saveCheck, submitCheck } from '../modules/experts/onsite.js';
import { createVote } from '../modules/votes/service.js';

/**
 * The demo's 网络评选 (004): in 云州市's “平安校园” city round (县区推荐, PRESET_004), three more
 * schools named by their counties this year are recommended by the city's education bureau within
 * its own quota, signed off by the city departments, checked on site by the city's experts, and
 * stand at 网络评选. The city office opened the vote three days ago (until four days from now,
 * choose up to 2, weight 30 %); 78 people have voted, and last night 14 ballots came from one
 * network and one device within two minutes, all for the same school: the burst the office's
 * anomaly flags show.
 *
 * From the recommendation on, driven through the real use cases as the users would; the county
 * naming before it is recorded as the conferral records it. Deterministic: a seeded PRNG, times
 * from the platform's day. The schools of the demo's other rounds are left as they were.
 */

const SCHOOLS = [
  { key: 'liuxi', name: '临江县柳溪小学', region: '柳溪村', county: 'lj', address: '临江县白沙镇柳溪村一组', staff: 38 },
  { key: 'huibin', name: '青山区湖滨中学', region: '东湖村', county: 'qs', address: '青山区东湖街道湖滨路8号', staff: 86 },
  { key: 'baisha2', name: '临江县白沙镇第二小学', region: '白沙村', county: 'lj', address: '临江县白沙镇新街20号', staff: 52 },
] as const;

/** how far short of full points each school falls on some items, as the experts score them on site */
const SHORT: Record<(typeof SCHOOLS)[number]['key'], number> = { liuxi: 1, huibin: 0.8, baisha2: 0.9 };

const COUNTIES = {
  qs: { name: '青山区', region: '青山区', office: 'qs_office', edu: 'qs_edu' },
  lj: { name: '临江县', region: '临江县', office: 'lj_office', edu: 'lj_edu' },
} as const;

/** mulberry32: the same ballots on every machine */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const demoHash = (what: string) => createHash('sha256').update(`demo-vote:${what}`).digest('hex');

/** A figure that meets a measure, without randomness (the self-assessment the county reviewed). */
function meetingFigure(m: Measure): FigureAnswer {
  switch (m.kind) {
    case 'threshold':
      if (m.comparator === '>=' || m.comparator === '>') return { value: m.unit === '%' ? 100 : Math.ceil(m.value * 1.2) + 1 };
      if (m.comparator === '=') return { value: m.value };
      return { value: 0 };
    case 'change':
      return { previous: 12, value: 6 };
    case 'range':
      return { value: Math.round((m.min + m.max) / 2) };
    case 'frequency':
      return { value: m.min + 1 };
    case 'distance':
      return { value: Math.round(m.value * 1.8) };
  }
}

export async function seedVotes(
  db: Db,
  storage: FileStorage,
  ctx: { as(username: string): Promise<CurrentUser>; day(offset: number): string },
): Promise<void> {
  const [city004] = await db
    .select()
    .from(campaigns)
    .where(and(sql`${campaigns.chain}->>'preset' = 'shangluo-004'`, isNull(campaigns.parentCampaignId)))
    .orderBy(campaigns.id)
    .limit(1);
  if (!city004) throw new Error('demo: the 004 city campaign is missing');
  const [cc] = await db
    .select({ versionId: campaignCategories.standardVersionId, doc: standardVersions.doc })
    .from(campaignCategories)
    .innerJoin(standardVersions, eq(standardVersions.id, campaignCategories.standardVersionId))
    .where(and(eq(campaignCategories.campaignId, city004.id), eq(campaignCategories.categoryCode, 'campus')));
  if (!cc) throw new Error('demo: the 004 city campaign has no 平安校园 category');
  const doc: StandardDoc = cc.doc;
  const regionByName = async (name: string) => {
    const [r] = await db.select({ id: regions.id }).from(regions).where(eq(regions.name, name));
    if (!r) throw new Error(`demo region ${name} missing`);
    return r.id;
  };

  // the schools, named by their counties a fortnight ago. The county rounds are the story of the
  // demo's other schools (chains.ts); here the conferral is recorded as conferNotice records it (the
  // application conferred, the title issued with its number), without accounts or evidence files of
  // their own, so the demo world grows by little more than what the vote needs.
  const subjectIds = new Map<string, number>();
  for (const s of SCHOOLS) {
    const k = COUNTIES[s.county];
    const countyRegion = await regionByName(k.region);
    const [naming] = await db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.parentCampaignId, city004.id), eq(campaigns.regionId, countyRegion)));
    if (!naming) throw new Error(`demo: ${k.name}'s naming round is missing`);
    const [sibling] = await db
      .select({ t: titles, versionId: applications.standardVersionId })
      .from(titles)
      .innerJoin(applications, eq(applications.id, titles.applicationId))
      .where(eq(applications.campaignId, naming.id))
      .orderBy(titles.id)
      .limit(1);
    if (!sibling) throw new Error(`demo: ${k.name} has named no school`);
    const office = await ctx.as(k.office);
    const regionId = await regionByName(s.region);
    const [region] = await db.select({ path: regions.path }).from(regions).where(eq(regions.id, regionId));
    const [subject] = await db
      .insert(subjects)
      .values({
        kind: 'unit',
        name: s.name,
        regionId,
        unitType: doc.category.unitTypes[0] ?? null,
        supervisingDept: 'education',
        staff: s.staff,
        address: s.address,
      })
      .returning({ id: subjects.id });
    subjectIds.set(s.key, subject!.id);
    await db.transaction(async (tx) => {
      const [app] = await tx
        .insert(applications)
        .values({
          campaignId: naming.id,
          categoryCode: 'campus',
          standardVersionId: sibling.versionId,
          subjectId: subject!.id,
          regionId,
          regionPath: region!.path,
          supervisingDept: 'education',
          status: 'conferred',
          form: {
            content: `申报${city004.year}年度“平安校园”`,
            plan: '一、健全安全工作组织；二、落实人防物防技防；三、开展校园周边治安整治；四、加强安全教育和应急演练。',
            contactName: s.name,
          },
          submissions: 1,
          submittedAt: new Date(`${ctx.day(-35)}T09:00:00+08:00`),
        })
        .returning({ id: applications.id });
      // the self-assessment the county reviewed: every item described, every measure met
      await tx.insert(answers).values(
        allCriteria(doc).map((c) => {
          const figures = Object.fromEntries(c.measures.map((m) => [m.id, meetingFigure(m)]));
          return {
            applicationId: app!.id,
            criterionId: c.id,
            statement: `${s.name}对照本项要求开展自查，制度、台账与记录齐全。`,
            figures,
            figuresMet: figuresMet(c, { criterionId: c.id, figures }),
          };
        }),
      );
      await tx.insert(applicationEvents).values({
        applicationId: app!.id,
        actorId: office.id,
        action: 'confer',
        fromStatus: 'in_notice',
        toStatus: 'conferred',
        reason: `${k.name}${city004.year}年平安校园评定命名`,
        at: new Date(`${ctx.day(-13)}T10:00:00+08:00`),
      });
      await issueTitle(
        tx,
        {
          applicationId: app!.id,
          subjectId: subject!.id,
          regionPath: region!.path,
          categoryCode: 'campus',
          titleName: sibling.t.titleName,
          year: sibling.t.year,
          stars: sibling.t.stars,
          level: sibling.t.level,
          issuer: sibling.t.issuer,
          conferredOn: ctx.day(-13),
        },
        office.id,
      );
    });
  }

  // the city's education bureau recommends them within a quota of its own (004 table 2)
  await db.insert(campaignQuotas).values({
    campaignId: city004.id,
    regionId: null,
    deptCode: 'education',
    categoryCode: 'campus',
    count: SCHOOLS.length,
    source: 'manual',
  });
  const edu = await ctx.as('city_edu');
  const appIds: number[] = [];
  for (const s of SCHOOLS) {
    const [t] = await db
      .select({ id: titles.id })
      .from(titles)
      .where(eq(titles.subjectId, subjectIds.get(s.key)!));
    if (!t) throw new Error(`demo: ${s.name} was not named`);
    appIds.push((await recommend(db, edu, city004.id, t.id)).id);
  }

  // 市级部门会签: every department with a row judges its items and signs
  const versionId = cc.versionId;
  for (const id of appIds) {
    const rows = await db.select().from(signoffs).where(eq(signoffs.applicationId, id)).orderBy(signoffs.id);
    for (const r of rows) {
      const [u] = await db
        .select({ username: users.username })
        .from(users)
        .where(and(eq(users.orgId, r.orgId), eq(users.disabled, false)))
        .orderBy(users.id)
        .limit(1);
      if (!u) continue;
      const dept = await ctx.as(u.username);
      const crit = departmentCriteria(versionId, doc, r.deptCode);
      await saveScores(db, dept, r.id, {
        scores: crit.map((c) => (c.judge === 'yesno' ? { criterionId: c.id, met: true } : { criterionId: c.id, score: c.points })),
        comment: '本部门负责条目均已落实',
      });
      await sign(db, dept, r.id, { comment: '同意' });
    }
  }

  // 实地核查 by 周敏: assigned, checked, submitted; the applications move on to 网络评选
  const office = await ctx.as('city_office');
  for (const [i, id] of appIds.entries()) {
    // 回避: 周敏 lives in 白沙镇 (two of the schools), 孙立新 works in 东湖街道 (the third)
    const username = SCHOOLS[i]!.county === 'lj' ? 'expert_sun' : 'expert_zhou';
    const [e] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
    await assignExperts(db, office, id, { expertIds: [e!.id], dueOn: null });
    const expert = await ctx.as(username);
    await saveCheck(db, expert, id, {
      place: '校园实地',
      summary: '实地查看校门安保、视频监控、消防设施和安全台账，情况属实。',
      findings: allCriteria(doc).map((c, k) => ({
        criterionId: c.id,
        met: true,
        // on site 湖滨中学 and 白沙镇第二小学 fall a little short on some items
        score: c.judge === 'yesno' ? null : k % 4 === 1 ? Math.round(c.points * SHORT[SCHOOLS[i]!.key] * 10) / 10 : c.points,
        note: '现场核实',
      })),
    });
    await submitCheck(db, expert, id);
  }

  // the vote: opened three days ago, open four more days
  const vote = await createVote(
    db,
    office,
    {
      campaignId: city004.id,
      categoryCode: 'campus',
      title: `云州市${city004.year}年“平安校园”市级评定网络评选`,
      body: '根据《关于深入开展平安创建活动的实施方案》，对各县（区）推荐申报对象采取实地核查、网络评选、媒体公示等方式进行评选。每个手机号码限投一次，每次最多选择2所学校。',
      startsOn: ctx.day(-3),
      endsOn: ctx.day(4),
      maxChoices: 2,
      weightPercent: 30,
      applicationIds: appIds,
    },
    { today: ctx.day(-3) },
  );
  const candidateIds = (
    await db.select({ id: voteCandidates.id }).from(voteCandidates).where(eq(voteCandidates.voteId, vote.id)).orderBy(voteCandidates.id)
  ).map((r) => r.id);
  const [liuxi, huibin, baisha2] = candidateIds as [number, number, number];

  // 78 ordinary ballots over the first three days, each from its own phone, network and device; then
  // last night at 22:40 14 ballots from one network and one device within two minutes, all for
  // 白沙镇第二小学. Written in one statement (the one-per-voter rule is the unique index, as for castBallot).
  const rnd = prng(4004);
  const at = (day: number, seconds: number) => new Date(Date.parse(`${ctx.day(day)}T08:00:00+08:00`) + seconds * 1000);
  const cast: { voterHash: string; networkHash: string; deviceHash: string; createdAt: Date; choices: number[] }[] = [];
  for (let i = 0; i < 78; i++) {
    const day = -3 + Math.floor(i / 26);
    const minutes = Math.floor((i % 26) * 30 + rnd() * 25); // 08:00–21:00
    const r = rnd();
    const first = r < 0.42 ? liuxi : r < 0.78 ? huibin : baisha2;
    cast.push({
      voterHash: demoHash(`voter:${i}`),
      networkHash: demoHash(`net:${i}`),
      deviceHash: demoHash(`device:${i % 70}`),
      createdAt: at(day, minutes * 60),
      choices: rnd() < 0.35 ? [first, first === huibin ? liuxi : huibin] : [first],
    });
  }
  for (let i = 0; i < 14; i++)
    cast.push({
      voterHash: demoHash(`burst-voter:${i}`),
      networkHash: demoHash('net:burst'),
      deviceHash: demoHash('device:burst'),
      // 22:40:00, :05 … :50 (eleven in one minute), then 22:41:00, :10, :20
      createdAt: at(-1, (14 * 60 + 40) * 60 + (i < 11 ? i * 5 : 60 + (i - 11) * 10)),
      choices: [baisha2],
    });
  const rows = await db
    .insert(ballots)
    .values(cast.map(({ choices: _c, ...b }) => ({ voteId: vote.id, ...b })))
    .returning({ id: ballots.id, voterHash: ballots.voterHash });
  const idOf = new Map(rows.map((r) => [r.voterHash, r.id]));
  await db
    .insert(ballotChoices)
    .values(cast.flatMap((b) => b.choices.map((candidateId) => ({ ballotId: idOf.get(b.voterHash)!, candidateId }))));
}
