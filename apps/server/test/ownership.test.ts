import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * Who owns each step. Scope decides what an account sees; ownership decides what it may do. The
 * demo's city campaign runs the default chain: 牵头部门初评 (the city's lead department of the
 * category) → 平安办综合评定 (the city office, which owns the campaign).
 */
interface Item {
  id: number;
  subjectName: string;
  categoryCode: string;
  status: string;
  campaignName: string;
}

describe.each(DB_KINDS)('ownership on %s', (kind) => {
  let s: TestServer;
  let apps: Item[];
  const byName = (n: string) => apps.find((a) => a.subjectName === n)!;
  beforeAll(async () => {
    s = await getTestServer(kind);
    // the city's 十大平安 round, on the default chain (the demo's other campaigns run other presets)
    apps = ((await call(s, 'city_office', 'GET', '/api/applications?limit=500')).body.items as Item[]).filter((a) =>
      /^云州市\d+年“十大平安”创建$/.test(a.campaignName),
    );
  });
  afterAll(() => s?.close());

  const criteriaOf = async (id: number) => {
    const d = (await call(s, 'city_office', 'GET', `/api/applications/${id}`)).body;
    return d.standard.groups.flatMap((g: { criteria: { id: string; points: number; judge: string }[] }) => g.criteria) as {
      id: string;
      points: number;
      judge: string;
    }[];
  };
  const fullScores = async (id: number) =>
    (await criteriaOf(id)).map((c) => ({ criterionId: c.id, met: true, score: c.judge === 'yesno' ? null : c.points }));

  it('a county office sees the city campaign’s applications in its county but owns no step of them: 404 on acting, no buttons', async () => {
    const donghu = byName('青山区东湖中学'); // at the city office's evaluation
    const seen = await call(s, 'qs_office', 'GET', `/api/applications/${donghu.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toEqual([]);
    expect(seen.body.canReview).toBe(false);
    expect(seen.body.step.key).toBe('evaluation');
    for (const decision of ['pass', 'reject', 'return', 'none'] as const) {
      const r = await call(s, 'qs_office', 'POST', `/api/applications/${donghu.id}/reviews`, {
        decision,
        reason: '越权尝试',
        scores: await fullScores(donghu.id),
      });
      expect(r.status).toBe(404);
    }
    // the city office owns it: it sees the buttons the server would accept
    const office = (await call(s, 'city_office', 'GET', `/api/applications/${donghu.id}`)).body;
    expect(office.allowedActions).toEqual(expect.arrayContaining(['evaluate', 'return', 'reject']));
    expect(office.campaignOffice).toBe(true);
  });

  it('a lead department cannot pass an untouched review; saving twice keeps one review and its comment', async () => {
    const jiangbin = byName('临江县第二中学'); // submitted, at 牵头部门初评 of 云州市教育局
    const untouched = await call(s, 'city_edu', 'POST', `/api/applications/${jiangbin.id}/reviews`, { decision: 'pass', scores: [] });
    expect(untouched.status).toBe(400);
    expect(untouched.body.message).toMatch(/未评判.*须对全部项目作出判定/);
    expect((await call(s, 'city_edu', 'GET', `/api/applications/${jiangbin.id}`)).body.status).toBe('submitted');

    const scores = await fullScores(jiangbin.id);
    const first = await call(s, 'city_edu', 'POST', `/api/applications/${jiangbin.id}/reviews`, {
      decision: 'none',
      comment: '初评意见：资料基本齐全',
      scores: scores.slice(0, 2),
    });
    expect(first.status).toBe(200);
    const second = await call(s, 'city_edu', 'POST', `/api/applications/${jiangbin.id}/reviews`, {
      decision: 'none',
      scores: scores.slice(2),
    });
    expect(second.status).toBe(200);
    expect(second.body.reviewId).toBe(first.body.reviewId);
    const d = (await call(s, 'city_edu', 'GET', `/api/applications/${jiangbin.id}`)).body;
    const mine = d.reviews.filter((r: { step: string }) => r.step === 'lead_review');
    expect(mine).toHaveLength(1);
    expect(mine[0].comment).toBe('初评意见：资料基本齐全');
    expect(mine[0].scores).toHaveLength(scores.length);

    // a department of another category does not own the step
    expect(
      (await call(s, 'city_health', 'POST', `/api/applications/${jiangbin.id}/reviews`, { decision: 'pass', scores: [] })).status,
    ).toBe(404);
    const passed = await call(s, 'city_edu', 'POST', `/api/applications/${jiangbin.id}/reviews`, { decision: 'pass', scores: [] });
    expect(passed.status).toBe(200);
    expect(passed.body.status).toBe('preliminary_passed');
    const after = (await call(s, 'city_office', 'GET', `/api/applications/${jiangbin.id}`)).body;
    expect(after.step.key).toBe('evaluation');
    expect(after.events.at(-1).action).toBe('pass:lead_review');
  });

  it('after 综合评定 the office returns a candidate even when the page sends the earlier scores back', async () => {
    const linjiang = byName('临江县人民医院'); // evaluated
    const scores = await fullScores(linjiang.id);
    const r = await call(s, 'city_office', 'POST', `/api/applications/${linjiang.id}/reviews`, {
      decision: 'return',
      reason: '群众反映安保制度未落实，请补充材料',
      scores,
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('returned');
    const d = (await call(s, 'hospital_linjiang', 'GET', `/api/applications/${linjiang.id}`)).body;
    expect(d.events.at(-1).reason).toBe('群众反映安保制度未落实，请补充材料');
    expect(d.step).toBeNull();
  });

  it('property: every request that succeeds was made by the owner of the step (or the campaign’s office turning it back)', async () => {
    const accounts = [
      'city_office',
      'qs_office',
      'lj_office',
      'cn_office',
      'city_edu',
      'city_health',
      'city_women',
      'city_police',
      'qs_edu',
      'lj_edu',
      'expert_zhou',
      'school_nm',
      'family_wang',
    ];
    const leadOf: Record<string, string> = { campus: 'city_edu', hospital: 'city_health', family: 'city_women' };
    const candidates = apps.filter((a) => ['submitted', 'preliminary_passed', 'evaluated', 'in_notice'].includes(a.status));
    expect(candidates.length).toBeGreaterThan(3);
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...accounts),
        fc.constantFrom(...candidates),
        fc.constantFrom('pass', 'return', 'reject', 'none'),
        async (account, app, decision) => {
          const before = (await call(s, 'city_office', 'GET', `/api/applications/${app.id}`)).body;
          const scores = decision === 'none' ? (await fullScores(app.id)).slice(0, 1) : [];
          const r = await call(s, account, 'POST', `/api/applications/${app.id}/reviews`, {
            decision,
            reason: '性质测试',
            comment: null,
            scores,
          });
          if (r.status >= 200 && r.status < 300) {
            successes++;
            const stepOwner =
              before.step?.key === 'lead_review' ? leadOf[app.categoryCode] : before.step?.key === 'evaluation' ? 'city_office' : null;
            const ownsStep = account === stepOwner;
            const officeTurnsBack = account === 'city_office' && (decision === 'return' || decision === 'reject');
            expect(
              ownsStep || officeTurnsBack,
              `${account} ${decision} on ${app.subjectName} at ${before.status}/${before.step?.key}`,
            ).toBe(true);
          } else expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 80, seed: 20261130 },
    );
    expect(successes).toBeGreaterThan(0);
  });
});
