import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { surveyResponses } from '../db/schema.js';
import type { CurrentUser } from '../access/scope.js';
import { createSurvey, openSurvey, proposeTargets, saveTargets } from '../modules/surveys/service.js';
import { applySurveyResults } from '../modules/surveys/apply.js';

/**
 * The demo's 问卷调查: 云州市平安办's 两率一度 survey of this year, open from ten days ago for twenty
 * more, its sampling plan over the four towns (200 answers, at least 30 each, sized by population
 * where the roster has it, else equally), about 200 answers already in (one town a little short,
 * a few by the contractor's telephone survey), and the results applied: the towns' and the city's
 * 知晓率, 参与率, 群众满意度 and 两率一度 stand in region_indicators with source 'survey'.
 *
 * Driven through the real use cases; the public's answers are written directly (no SMS in a seed),
 * each with a respondent hash of its own. Deterministic: a seeded PRNG, dates from the platform's day.
 */

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How each town answers: chance of 知道, 参加, and 满意 / 基本满意; and how many of its target come in. */
const TOWN_PROFILE: Record<string, { aware: number; part: number; sat: number; basic: number; fill: number }> = {
  城南街道: { aware: 0.95, part: 0.62, sat: 0.7, basic: 0.22, fill: 1.04 },
  东湖街道: { aware: 0.9, part: 0.55, sat: 0.62, basic: 0.27, fill: 1 },
  白沙镇: { aware: 0.86, part: 0.48, sat: 0.55, basic: 0.3, fill: 1 },
  临江镇: { aware: 0.8, part: 0.4, sat: 0.5, basic: 0.3, fill: 0.86 },
};

const SUGGESTIONS = ['希望加强夜间巡逻', '小区门口路灯不亮，请尽快修复', '建议多开展防诈骗宣传', '', '', '', ''];

export async function seedSurveys(
  db: Db,
  ctx: { as(username: string): Promise<CurrentUser>; day(offset: number): string },
): Promise<{ surveyId: number; publicCode: string }> {
  const office = await ctx.as('city_office');
  const year = Number(ctx.day(0).slice(0, 4));
  const s = await createSurvey(db, office, {
    template: 'two_rates_one_degree',
    year,
    identity: 'phone',
    opensOn: ctx.day(-10),
    closesOn: ctx.day(20),
  });
  const plan = await proposeTargets(db, office, s.id, { total: 200, min: 30, basis: 'population', level: 'town' });
  await saveTargets(db, office, s.id, {
    targets: plan.items.map((t) => ({
      regionId: t.regionId,
      target: t.target,
      basis: plan.missingBasis.length === plan.items.length ? 'manual' : t.basis,
    })),
  });
  await openSurvey(db, office, s.id);

  const rnd = prng(2026_0429);
  const rows: (typeof surveyResponses.$inferInsert)[] = [];
  const start = Date.parse(`${ctx.day(-10)}T01:00:00Z`);
  let n = 0;
  for (const t of plan.items) {
    const p = TOWN_PROFILE[t.regionName] ?? { aware: 0.85, part: 0.5, sat: 0.6, basic: 0.25, fill: 1 };
    const count = Math.round(t.target * p.fill);
    for (let i = 0; i < count; i++, n++) {
      const r = rnd();
      const telephone = i % 9 === 8;
      const suggestion = SUGGESTIONS[Math.floor(rnd() * SUGGESTIONS.length)]!;
      rows.push({
        surveyId: s.id,
        regionId: t.regionId,
        respondentHash: createHash('sha256').update(`demo-survey-respondent:${s.id}:${n}`).digest('hex'),
        channel: telephone ? 'telephone' : 'web',
        importRef: telephone ? `电话调查第一批.xlsx @ ${ctx.day(-3)}` : null,
        answers: {
          q1: rnd() < p.aware,
          q2: rnd() < p.part,
          q3: r < p.sat ? '满意' : r < p.sat + p.basic ? '基本满意' : '不满意',
          ...(suggestion ? { q4: suggestion } : {}),
        },
        createdAt: new Date(start + Math.floor(rnd() * 9 * 86_400_000)),
      });
    }
  }
  await db.insert(surveyResponses).values(rows);
  await applySurveyResults(db, office, s.id);
  return { surveyId: s.id, publicCode: s.publicCode };
}
