import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { addDays, findPersonalNumbers } from '@pingan/core';
import { applications, ballotChoices, ballots, campaigns, phoneCodes, subjects, voteCandidates, votes } from '../src/db/schema.js';
import { setClockOffsetDays, today } from '../src/clock.js';
import { AppError } from '../src/errors.js';
import { castBallot } from '../src/modules/votes/ballot.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * 网络评选: the demo's open vote in the 004 city round (three recommended schools at the vote step,
 * 92 ballots, a burst of 14 from one network and device), voted on by the public with a phone and
 * an SMS code, one ballot per phone (100 at once count once), flagged ballots set aside by the
 * office with both figures shown, closed (early only with a reason), results public after the
 * close, and applied to the chain with the votes and the combined score on the record.
 */
describe.each(DB_KINDS)('online vote on %s', (kind) => {
  let s: TestServer;
  let voteId: number;
  let code: string;
  const sms = new Map<string, string>();
  const t0 = today();
  const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49';

  const pub = async (method: 'GET' | 'POST', url: string, ip = '198.51.100.20', payload?: unknown) => {
    const res = await s.app.inject({
      method,
      url,
      payload: payload as never,
      remoteAddress: ip,
      headers: { 'user-agent': UA, 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    let body: any = res.body;
    try {
      body = res.json();
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body, raw: res.body };
  };
  /** Asks for a vote code for `phone` and reads it from the SMS the platform sent. */
  const codeFor = async (phone: string, ip = '198.51.100.20'): Promise<string> => {
    const r = await pub('POST', '/api/public/sms-codes', ip, { phone, purpose: 'vote' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const m = /验证码为(\d{6})/.exec(sms.get(phone) ?? '');
    expect(m, sms.get(phone)).toBeTruthy();
    // one code a minute per number: move the code back so the test need not wait
    await s.database.db.update(phoneCodes).set({ createdAt: sql`${phoneCodes.createdAt} - interval '2 minutes'` });
    return m![1]!;
  };
  const detail = async (user = 'city_office') => (await call(s, user, 'GET', `/api/votes/${voteId}`)).body;
  const publicVote = async () => (await pub('GET', `/api/public/votes/${code}`)).body;

  beforeAll(async () => {
    s = await getTestServer(kind, { sms: { send: async (phone, text) => void sms.set(phone, text) } });
    const [v] = await s.database.db.select().from(votes).orderBy(votes.id).limit(1);
    voteId = v!.id;
    code = v!.publicCode;
  });
  afterAll(() => s?.close());

  it('the demo vote: three candidates at 网络评选, 92 ballots, the burst carrying all three flags', async () => {
    const list = await call(s, 'city_office', 'GET', '/api/votes');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: voteId,
      state: 'open',
      candidates: 3,
      ballots: 92,
      setAside: 0,
      owned: true,
      maxChoices: 2,
    });
    const d = await detail();
    expect(d.tally.ballotsAll).toBe(92);
    expect(d.tally.candidates.map((c: any) => c.subjectName)).toEqual(['临江县柳溪小学', '青山区湖滨中学', '临江县白沙镇第二小学']);
    expect(d.tally.candidates.every((c: any) => c.atVoteStep && c.status === 'preliminary_passed')).toBe(true);
    const groups = Object.fromEntries(d.flags.groups.map((g: any) => [g.flag, g.ballots]));
    expect(groups).toEqual({ burst_network: 14, same_device: 14, time_cluster: 11 });
    expect(d.flags.flaggedBallots).toBe(14);
    expect(d.flags.medianPerMinute).toBe(1);
    expect(d.closeNeedsReason).toBe(true);
    // both figures are the same while nothing is set aside
    for (const c of d.tally.candidates) expect(c.votes).toBe(c.votesAll);
    // the combined score is (1 − w) × rating% + w × vote index
    for (const c of d.tally.candidates) expect(c.combined).toBeCloseTo(0.7 * c.ratingPercent + 0.3 * c.index, 0);
    expect(d.formula).toContain('网络评选');
  });

  it('only offices whose region holds the campaign see a vote; only the campaign’s own office acts', async () => {
    for (const u of ['qs_office', 'city_edu', 'city_police', 'expert_zhou', 'school_nm'])
      expect((await call(s, u, 'GET', `/api/votes/${voteId}`)).status, u).toBe(404);
    expect((await call(s, 'qs_office', 'GET', '/api/votes')).body.items).toEqual([]);
    expect((await call(s, 'city_edu', 'POST', `/api/votes/${voteId}/close`, { reason: '越权' })).status).toBe(404);
    expect((await call(s, null, 'GET', `/api/votes/${voteId}`)).status).toBe(401);
  });

  it('the public sees the candidates masked, by public codes, without counts while the vote runs', async () => {
    const list = await pub('GET', '/api/public/votes');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ code, state: 'open', candidates: 3, maxChoices: 2 })]);
    const v = await pub('GET', `/api/public/votes/${code}`);
    expect(v.status).toBe(200);
    expect(v.body.candidates.map((c: any) => [c.name, c.regionName, c.votes])).toEqual([
      ['临江县柳溪小学', '临江县白沙镇', null],
      ['青山区湖滨中学', '青山区东湖街道', null],
      ['临江县白沙镇第二小学', '临江县白沙镇', null],
    ]);
    expect(v.body.totals).toBeNull();
    // no internal id, no village, no phone or ID number anywhere in the answers
    for (const raw of [list.raw, v.raw]) {
      expect(raw).not.toMatch(/"(id|applicationId|candidateId|voteId)"/);
      expect(raw).not.toMatch(/柳溪村|东湖村|白沙村/);
      expect(findPersonalNumbers(raw)).toEqual([]);
    }
    expect((await pub('GET', '/api/public/votes/ZZZZZZZZZZZZZZZZ')).status).toBe(404);
    expect((await pub('GET', `/api/public/votes/${voteId}`)).status).toBe(400);
  });

  it('votes with a phone and an SMS code; the same phone is refused (409 您已参与本次投票); the phone is never stored', async () => {
    const v = await publicVote();
    const [a, b, c] = v.candidates.map((x: any) => x.code);
    const phone = '13912345678';
    // choices are checked before the code is used
    const first = await codeFor(phone);
    for (const choices of [[a, b, c], [a, a], ['ZZZZZZZZ'], []]) {
      const r = await pub('POST', `/api/public/votes/${code}/ballots`, undefined, { phone, smsCode: first, choices });
      expect(r.status, JSON.stringify(choices)).toBe(400);
    }
    expect(
      (
        await pub('POST', `/api/public/votes/${code}/ballots`, undefined, {
          phone,
          smsCode: first === '000000' ? '111111' : '000000',
          choices: [a],
        })
      ).body.code,
    ).toBe('WRONG_OTP');
    const ok = await pub('POST', `/api/public/votes/${code}/ballots`, '203.0.113.5', { phone, smsCode: first, choices: [a, c] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ ok: true, choices: 2 });
    // the code is used up; a new code for the same phone is refused as a second ballot
    expect((await pub('POST', `/api/public/votes/${code}/ballots`, undefined, { phone, smsCode: first, choices: [b] })).body.code).toBe(
      'WRONG_OTP',
    );
    const again = await pub('POST', `/api/public/votes/${code}/ballots`, '192.0.2.9', {
      phone,
      smsCode: await codeFor(phone),
      choices: [b],
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE');
    expect(again.body.message).toContain('您已参与本次投票');
    // a second voter from the same /24 shares the network hash, from another /24 it does not
    const other = await pub('POST', `/api/public/votes/${code}/ballots`, '203.0.113.77', {
      phone: '13987654321',
      smsCode: await codeFor('13987654321'),
      choices: [b],
    });
    expect(other.status).toBe(201);
    const third = await pub('POST', `/api/public/votes/${code}/ballots`, '198.18.0.1', {
      phone: '13700001111',
      smsCode: await codeFor('13700001111'),
      choices: [c],
    });
    expect(third.status).toBe(201);
    const rows = await s.database.db.select().from(ballots).where(eq(ballots.voteId, voteId)).orderBy(ballots.id);
    const [x, y, z] = rows.slice(-3);
    expect(x!.networkHash).toBe(y!.networkHash);
    expect(z!.networkHash).not.toBe(x!.networkHash);
    expect(x!.deviceHash).toBe(y!.deviceHash);
    const dump = JSON.stringify(await s.database.db.execute(sql`select * from ballots b join ballot_choices c on c.ballot_id = b.id`));
    for (const p of ['13912345678', '13987654321', '13700001111', '203.0.113', UA]) expect(dump).not.toContain(p);
    expect((await detail()).tally.ballotsAll).toBe(95);
  });

  it('100 parallel submissions of the same voter count exactly once', async () => {
    const [cand] = await s.database.db.select().from(voteCandidates).where(eq(voteCandidates.voteId, voteId)).orderBy(voteCandidates.id);
    const voter = 'parallel-voter-hash';
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        castBallot(s.database.db, { voteId, voterHash: voter, networkHash: `net-${i}`, deviceHash: `dev-${i}`, candidateIds: [cand!.id] }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(99);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code).toBe('DUPLICATE');
      expect((r.reason as AppError).status).toBe(409);
    }
    const mine = await s.database.db
      .select()
      .from(ballots)
      .where(and(eq(ballots.voteId, voteId), eq(ballots.voterHash, voter)));
    expect(mine).toHaveLength(1);
    const choices = await s.database.db.select().from(ballotChoices).where(eq(ballotChoices.ballotId, mine[0]!.id));
    expect(choices.map((c) => c.candidateId)).toEqual([cand!.id]);
    // no choice row without its ballot: the losers' inserts left nothing behind
    const orphans = (await s.database.db.execute(
      sql`select count(*)::int as n from ballot_choices c left join ballots b on b.id = c.ballot_id where b.id is null`,
    )) as unknown as { rows: { n: number }[] };
    expect(Number(orphans.rows[0]!.n)).toBe(0);
    console.log(`${kind}: 100 parallel ballots of one voter → ${ok.length} counted, ${refused.length} refused (409 DUPLICATE)`);
    expect((await detail()).tally.ballotsAll).toBe(96);
  });

  it('the office sets flagged ballots aside with a reason, sees both figures, and may restore', async () => {
    const d = await detail();
    const burst = d.flags.groups.find((g: any) => g.flag === 'burst_network');
    const page = await call(s, 'city_office', 'GET', `/api/votes/${voteId}/ballots?flag=burst_network&group=${burst.key}&limit=10`);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(14);
    expect(page.body.items).toHaveLength(10);
    expect(page.body.items[0].flags).toEqual(['burst_network', 'same_device', 'time_cluster']);
    expect(page.body.items[0].choices).toEqual(['临江县白沙镇第二小学']);
    const all = await call(s, 'city_office', 'GET', `/api/votes/${voteId}/ballots?flag=burst_network&limit=500`);
    const ids: number[] = all.body.items.map((b: any) => b.id);
    expect(ids).toHaveLength(14);
    // an unflagged ballot cannot be set aside; a reason is required; nobody else may do it
    const [plain] = await s.database.db.select().from(ballots).where(eq(ballots.voteId, voteId)).orderBy(ballots.id).limit(1);
    const refused = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/set-aside`, { ballotIds: [plain!.id], reason: '可疑' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('只能剔除被标记为异常的选票');
    expect((await call(s, 'city_office', 'POST', `/api/votes/${voteId}/set-aside`, { ballotIds: ids, reason: '  ' })).status).toBe(400);
    expect((await call(s, 'city_office', 'POST', `/api/votes/${voteId}/set-aside`, { ballotIds: ids, reason: 'a\u0000b' })).status).toBe(
      400,
    );
    expect((await call(s, 'qs_office', 'POST', `/api/votes/${voteId}/set-aside`, { ballotIds: ids, reason: '越权' })).status).toBe(404);

    const before = (await detail()).tally.candidates.find((c: any) => c.subjectName === '临江县白沙镇第二小学');
    const done = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/set-aside`, {
      ballotIds: ids,
      reason: '同一网络、同一设备两分钟内集中投票14张，经核查为组织代投',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toEqual({ changed: 14, ballotsSetAside: 14 });
    const after = await detail();
    expect(after.tally).toMatchObject({ ballotsAll: 96, ballotsSetAside: 14, ballotsCounted: 82 });
    const b = after.tally.candidates.find((c: any) => c.subjectName === '临江县白沙镇第二小学');
    expect(b.votesAll).toBe(before.votesAll);
    expect(b.votes).toBe(before.votes - 14);
    expect(after.flags.groups.find((g: any) => g.flag === 'burst_network').setAside).toBe(14);
    const stored = await s.database.db
      .select()
      .from(ballots)
      .where(and(eq(ballots.voteId, voteId), eq(ballots.setAside, true)));
    expect(stored.every((x) => x.setAsideReason?.includes('组织代投') && x.flags.includes('burst_network'))).toBe(true);

    const restored = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/restore`, { ballotIds: ids.slice(0, 2) });
    expect(restored.body).toEqual({ changed: 2, ballotsSetAside: 12 });
    expect(
      (await call(s, 'city_office', 'POST', `/api/votes/${voteId}/set-aside`, { ballotIds: ids, reason: '恢复后再次剔除' })).body,
    ).toEqual({
      changed: 2,
      ballotsSetAside: 14,
    });
  });

  it('exports the tally and the list to Excel', async () => {
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/votes/${voteId}?format=xlsx`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const sheet = wb.getWorksheet('计票结果')!;
    const rows: unknown[][] = [];
    sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const d = await detail();
    const bs = d.tally.candidates.find((c: any) => c.subjectName === '临江县白沙镇第二小学');
    expect(rows.find((r) => r[1] === '临江县白沙镇第二小学')?.slice(3, 5)).toEqual([bs.votesAll, bs.votes]);
    expect(JSON.stringify(rows)).toContain('剔除异常选票 14 张');
    expect(wb.getWorksheet('异常标记')!.rowCount).toBe(4);
    const list = await s.app.inject({ method: 'GET', url: '/api/votes?format=xlsx', headers: { cookie: await s.login('city_office') } });
    expect(list.statusCode).toBe(200);
  });

  it('closing before the end needs a reason; the close freezes the tally and makes the results public', async () => {
    const none = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/close`, {});
    expect(none.status).toBe(422);
    expect(none.body.code).toBe('REASON_REQUIRED');
    const closed = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/close`, { reason: '评选工作日程调整，提前结束投票' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect((await call(s, 'city_office', 'POST', `/api/votes/${voteId}/close`, { reason: '再次' })).status).toBe(409);
    // frozen: no ballot, no set-aside, no restore
    const v = await publicVote();
    const late = await pub('POST', `/api/public/votes/${code}/ballots`, undefined, {
      phone: '13600002222',
      smsCode: await codeFor('13600002222'),
      choices: [v.candidates[0].code],
    });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('已结束');
    const any = (await s.database.db.select().from(ballots).where(eq(ballots.voteId, voteId)).limit(1))[0]!;
    expect((await call(s, 'city_office', 'POST', `/api/votes/${voteId}/restore`, { ballotIds: [any.id] })).status).toBe(409);
    // the flags are written on the ballots at the close
    const flagged = await s.database.db
      .select()
      .from(ballots)
      .where(and(eq(ballots.voteId, voteId), sql`jsonb_array_length(${ballots.flags}) > 0`));
    expect(flagged).toHaveLength(14);
    // public results: counted votes (without set-aside ballots) and the totals
    const d = await detail();
    expect(d.state).toBe('closed');
    expect(d.closeReason).toBe('评选工作日程调整，提前结束投票');
    expect(v.state).toBe('closed');
    expect(v.closedEarly).toBe(true);
    expect(v.totals).toEqual({ ballots: 96, setAside: 14, counted: 82 });
    expect(v.candidates.map((c: any) => c.votes)).toEqual(d.tally.candidates.map((c: any) => c.votes));
    expect(v.candidates.every((c: any) => c.rank >= 1)).toBe(true);
  });

  it('applying the result passes each vote step with the votes and the combined score on the review and in the history', async () => {
    const d = await detail();
    expect(d.canApply).toBe(true);
    expect((await call(s, 'qs_office', 'POST', `/api/votes/${voteId}/apply`)).status).toBe(404);
    const r = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/apply`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.applied.map((a: any) => a.passed)).toEqual([true, true, true]);
    for (const c of d.tally.candidates) {
      const app = (await call(s, 'city_office', 'GET', `/api/applications/${c.applicationId}`)).body;
      expect(app.status).toBe('preliminary_passed');
      expect(app.step.key).toBe('evaluation');
      const review = app.reviews.find((x: any) => x.step === 'online_vote');
      expect(review.stepName).toBe('网络评选');
      expect(review.comment).toContain(`得票${c.votes}票`);
      expect(review.comment).toContain(`全部有效选票中得票${c.votesAll}票`);
      const expected = Math.round((0.7 * c.ratingPercent + 0.3 * c.index) * 10) / 10;
      expect(review.comment).toContain(`综合得分 = (1 − 0.3) × 评分${c.ratingPercent} + 0.3 × 得票指数${c.index} = ${expected}`);
      expect(c.ratingPercent).toBeCloseTo((app.rating.total / app.rating.max) * 100, 0);
      const event = app.events.at(-1);
      expect(event.action).toBe('pass:online_vote');
      expect(event.reason).toBe(review.comment);
    }
    const again = await call(s, 'city_office', 'POST', `/api/votes/${voteId}/apply`);
    expect(again.status).toBe(409);
    expect((await detail()).applied).toBe(true);
  });

  it('opens a vote only over applications at the vote step, with settings checked; one open vote per candidate', async () => {
    const [v] = await s.database.db.select().from(votes).where(eq(votes.id, voteId));
    const [liuxi] = await s.database.db
      .select({ id: applications.id })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .where(and(eq(subjects.name, '临江县柳溪小学'), eq(applications.campaignId, v!.campaignId)));
    // none is at the step any more
    const base = {
      campaignId: v!.campaignId,
      categoryCode: 'campus',
      title: '第二轮网络评选测试',
      startsOn: t0,
      endsOn: addDays(t0, 3),
      maxChoices: 1,
      weightPercent: 20,
    };
    const empty = await call(s, 'city_office', 'POST', '/api/votes', base);
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('没有处于网络评选步骤的候选对象');
    // one school comes back to the step (as after a return and a new pass)
    await s.database.db.update(applications).set({ step: 'online_vote' }).where(eq(applications.id, liuxi!.id));
    const cands = await call(s, 'city_office', 'GET', `/api/votes/candidates?campaignId=${v!.campaignId}`);
    expect(cands.body.step).toEqual({ key: 'online_vote', name: '网络评选' });
    expect(cands.body.items.map((i: any) => i.applicationId)).toEqual([liuxi!.id]);
    for (const [patch, words] of [
      [{ maxChoices: 2 }, '每人可选数'],
      [{ startsOn: addDays(t0, -1) }, '早于今天'],
      [{ endsOn: addDays(t0, -1) }, '结束日期不能早于开始日期'],
      [{ endsOn: addDays(t0, 120) }, '不能超过90天'],
    ] as const) {
      const r = await call(s, 'city_office', 'POST', '/api/votes', { ...base, ...patch });
      expect(r.status, JSON.stringify(patch)).toBe(400);
      expect(r.body.message).toContain(words);
    }
    for (const patch of [{ weightPercent: 101 }, { startsOn: '2026-02-30' }, { title: '标题\u0000' }, { maxChoices: 0 }]) {
      const r = await call(s, 'city_office', 'POST', '/api/votes', { ...base, ...patch });
      expect(r.status, JSON.stringify(patch)).toBe(400);
    }
    expect((await call(s, 'city_edu', 'POST', '/api/votes', base)).status).toBe(404);
    expect((await call(s, 'qs_office', 'POST', '/api/votes', base)).status).toBe(404);
    const made = await call(s, 'city_office', 'POST', '/api/votes', base);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.candidates).toBe(1);
    expect(made.body.publicCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    const dup = await call(s, 'city_office', 'POST', '/api/votes', base);
    expect(dup.status).toBe(409);
    // a campaign whose chain has no vote step
    const [own] = await s.database.db.select().from(campaigns).where(eq(campaigns.id, v!.campaignId));
    const [other] = await s.database.db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.regionId, own!.regionId), sql`coalesce(${campaigns.chain}->>'preset', '') <> 'shangluo-004'`))
      .orderBy(campaigns.id)
      .limit(1);
    const none = await call(s, 'city_office', 'POST', '/api/votes', { ...base, campaignId: other!.id });
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('没有“网络评选”步骤');
    const list = await call(s, 'city_office', 'GET', '/api/votes?state=open&limit=1');
    expect(list.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: made.body.id })] });
    expect((await call(s, 'city_office', 'GET', '/api/votes?limit=501')).status).toBe(400);

    // four days on, the period (both ends included) is over: no ballot, no result shown before the close,
    // and the close needs no reason
    setClockOffsetDays(4);
    try {
      const counting = (await pub('GET', `/api/public/votes/${made.body.publicCode}`)).body;
      expect(counting.state).toBe('counting');
      expect(counting.totals).toBeNull();
      const late = await pub('POST', `/api/public/votes/${made.body.publicCode}/ballots`, undefined, {
        phone: '13500003333',
        smsCode: await codeFor('13500003333'),
        choices: [counting.candidates[0].code],
      });
      expect(late.status).toBe(409);
      expect((await call(s, 'city_office', 'GET', `/api/votes/${made.body.id}`)).body.closeNeedsReason).toBe(false);
      const closed = await call(s, 'city_office', 'POST', `/api/votes/${made.body.id}/close`, {});
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      const after = (await pub('GET', `/api/public/votes/${made.body.publicCode}`)).body;
      expect(after).toMatchObject({ state: 'closed', closedEarly: false, totals: { ballots: 0, setAside: 0, counted: 0 } });
    } finally {
      setClockOffsetDays(0);
    }
  });
});
