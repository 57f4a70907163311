import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { addDays } from '@pingan/core';
import {
  applications,
  phoneCodes,
  regionIndicators,
  subjects,
  surveyInvitations,
  surveyResponses,
  surveys,
  users,
} from '../src/db/schema.js';
import { today } from '../src/clock.js';
import { buildScope, type CurrentUser } from '../src/access/scope.js';
import { seedSurveys } from '../src/demo/surveys.js';
import { DB_KINDS, call, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * 问卷调查: the demo's 两率一度 survey of 云州市 (four towns, ~200 answers, applied), the builder's
 * validation, the sampling plan, the public's answers (one per phone as a keyed hash, one per
 * invitation code), closed surveys refused, the telephone import (all or nothing, row errors), the
 * tallies, and the whole path: survey answers → region indicator → the school's measure → its rating.
 */
describe.each(DB_KINDS)('surveys on %s', (kind) => {
  let s: TestServer;
  let demo: { surveyId: number; publicCode: string };
  const sms = new Map<string, string>();
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  let phoneSeq = 0;
  const newPhone = () => `1390000${String(++phoneSeq).padStart(4, '0')}`;

  const pub = async (method: 'GET' | 'POST', url: string, payload?: unknown, ip = '198.51.100.7') => {
    const res = await s.app.inject({ method, url, payload: payload as never, remoteAddress: ip });
    let body: any = res.body;
    try {
      body = res.json();
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body };
  };
  /** Asks for a survey code for `phone` and reads it from the SMS the platform sent. */
  const codeFor = async (phone: string): Promise<string> => {
    const r = await pub('POST', '/api/public/sms-codes', { phone, purpose: 'survey' }, `198.51.100.${(phoneSeq % 200) + 1}`);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const m = /验证码为(\d{6})，用于问卷调查/.exec(sms.get(phone) ?? '');
    expect(m, sms.get(phone)).toBeTruthy();
    await s.database.db.update(phoneCodes).set({ createdAt: sql`${phoneCodes.createdAt} - interval '2 minutes'` });
    return m![1]!;
  };
  const answer = async (code: string, answers: Record<string, unknown>, region?: string, phone = newPhone()) =>
    pub('POST', `/api/public/surveys/${code}/responses`, { phone, smsCode: await codeFor(phone), region, answers });
  const as = async (username: string): Promise<CurrentUser> => {
    const [u] = await s.database.db.select().from(users).where(eq(users.username, username));
    const { scope, org } = await buildScope(s.database.db, u!);
    return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, org, subjectId: u!.subjectId, scope };
  };
  const file = async (method: 'GET' | 'POST', user: string, url: string, payload?: unknown) => {
    const res = await s.app.inject({ method, url, headers: { cookie: await s.login(user) }, payload: payload as never });
    return res;
  };
  const readXlsx = async (data: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as never);
    return wb;
  };
  /** A draft survey of the city office, with its questions and a plan over the two counties, opened. */
  const openedSurvey = async (questions: unknown[], identity: 'phone' | 'invitation' = 'phone') => {
    const c = await call(s, 'city_office', 'POST', '/api/surveys', { year: Number(today().slice(0, 4)), identity, title: '测试问卷' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const u = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}`, {
      revision: c.body.revision,
      title: '测试问卷',
      identity,
      questions,
    });
    expect(u.status, JSON.stringify(u.body)).toBe(200);
    const p = await call(s, 'city_office', 'GET', `/api/surveys/${c.body.id}/target-proposal?total=20&min=5`);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const t = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}/targets`, {
      targets: p.body.items.map((x: any) => ({ regionId: x.regionId, target: x.target, basis: 'manual' })),
    });
    expect(t.status).toBe(200);
    const o = await call(s, 'city_office', 'POST', `/api/surveys/${c.body.id}/open`);
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    return o.body as { id: number; publicCode: string; targets: { regionId: number; regionName: string }[] };
  };
  const Q = [
    { id: 'q1', kind: 'satisfaction', text: '您对平安建设是否满意？', required: true, indicator: 'satisfaction' },
    { id: 'q2', kind: 'yes_no', text: '您是否知道平安创建？', required: true, indicator: 'awareness' },
    { id: 'q3', kind: 'scale', text: '安全感打分', max: 5, required: false, indicator: 'public_safety_feeling' },
    { id: 'q4', kind: 'open', text: '建议', required: false },
  ];

  beforeAll(async () => {
    s = await getTestServer(kind, { sms: { send: async (phone, text) => void sms.set(phone, text) } });
    demo = await seedSurveys(s.database.db, { as, day: (n) => addDays(today(), n) });
  });
  afterAll(() => s?.close());

  it('the demo: 云州市’s open 两率一度 survey over its four towns, ~200 answers, results applied', async () => {
    const list = await call(s, 'city_office', 'GET', '/api/surveys');
    expect(list.status).toBe(200);
    const row = list.body.items.find((x: any) => x.id === demo.surveyId);
    expect(row).toMatchObject({ status: 'open', kind: 'two_rates_one_degree', target: 200, regionName: '云州市' });
    expect(row.responses).toBeGreaterThanOrEqual(180);
    expect(row.appliedAt).toBeTruthy();
    const prog = await call(s, 'city_office', 'GET', `/api/surveys/${demo.surveyId}/progress`);
    expect(prog.body.items.map((x: any) => x.regionName)).toEqual(['城南街道', '东湖街道', '白沙镇', '临江镇']);
    expect(prog.body.total.responses).toBe(row.responses);
    expect(prog.body.items.reduce((t: number, x: any) => t + x.target, 0)).toBe(200);
    const ind = await s.database.db.select().from(regionIndicators).where(eq(regionIndicators.sourceRef, demo.publicCode));
    // four towns and the city, each: awareness, participation, satisfaction and 两率一度
    expect(ind).toHaveLength(20);
    expect(ind.every((r) => r.source === 'survey')).toBe(true);
    const x = await s.app.inject({
      method: 'GET',
      url: `/api/surveys/${demo.surveyId}/progress?format=xlsx`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(x.headers['content-type']).toContain(XLSX);
    const ws = (await readXlsx(x.rawPayload)).worksheets[0]!;
    expect(ws.getRow(1).values).toContain('目标样本');
    expect(ws.rowCount).toBe(6);
    const lx = await file('GET', 'city_office', '/api/surveys?format=xlsx');
    expect((await readXlsx(lx.rawPayload)).worksheets[0]!.rowCount).toBe(1 + list.body.total);
  });

  it('scope: the city’s lead department reads, cannot act; a county office does not see the city’s survey', async () => {
    expect((await call(s, 'city_edu', 'GET', `/api/surveys/${demo.surveyId}`)).body.owned).toBe(false);
    expect((await call(s, 'city_edu', 'POST', `/api/surveys/${demo.surveyId}/close`)).status).toBe(403);
    expect((await call(s, 'qs_office', 'GET', `/api/surveys/${demo.surveyId}`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'GET', '/api/surveys')).body.items.some((x: any) => x.id === demo.surveyId)).toBe(false);
    expect((await call(s, 'city_police', 'GET', '/api/surveys')).status).toBe(403);
    expect((await call(s, 'school_nm', 'GET', `/api/surveys/${demo.surveyId}`)).status).toBe(403);
  });

  it('builder: questions validated in Chinese, no open without a question and a plan, no edit once open', async () => {
    const year = Number(today().slice(0, 4));
    const c = await call(s, 'city_office', 'POST', '/api/surveys', { year, identity: 'phone' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ status: 'draft', questions: [], canOpen: false });
    expect(c.body.openBlockers).toEqual(['问卷至少须有1道题', '请先制定抽样方案（各地区的样本目标）']);
    const bad = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}`, {
      revision: c.body.revision,
      title: '测试',
      identity: 'phone',
      questions: [
        { id: 'q1', kind: 'single', text: '选一个', options: ['甲'], required: true },
        { id: 'q2', kind: 'open', text: '意见', required: false, indicator: 'satisfaction' },
        { id: 'q3', kind: 'yes_no', text: '知道吗', required: true, indicator: 'awareness' },
        { id: 'q4', kind: 'yes_no', text: '知道吗', required: true, indicator: 'awareness' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(
      '第1题单选题至少须有2个选项；第2题只有满意度、量表、是否题可以计算指标；第4题与第3题测量同一指标（知晓率），每个指标只能由一题测量',
    );
    // a scale beyond 10 is refused by the contract
    const scale = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}`, {
      revision: c.body.revision,
      title: '测试',
      identity: 'phone',
      questions: [{ id: 'q1', kind: 'scale', text: '打分', max: 11, required: true }],
    });
    expect(scale.status).toBe(400);
    const ok = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}`, {
      revision: c.body.revision,
      title: '测试',
      identity: 'phone',
      questions: Q,
    });
    expect(ok.status).toBe(200);
    // satisfaction questions carry the fixed three options whatever was sent
    expect(ok.body.questions[0].options).toEqual(['满意', '基本满意', '不满意']);
    const stale = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}`, {
      revision: c.body.revision,
      title: '测试',
      identity: 'phone',
      questions: Q,
    });
    expect(stale.status).toBe(409);
    const early = await call(s, 'city_office', 'POST', `/api/surveys/${c.body.id}/open`);
    expect(early.status).toBe(400);
    expect(early.body.message).toBe('不能发布：请先制定抽样方案（各地区的样本目标）');
    // the plan: 30 over the two counties, at least 10 each; a total below the minimums refused
    expect((await call(s, 'city_office', 'GET', `/api/surveys/${c.body.id}/target-proposal?total=10&min=10`)).body.message).toBe(
      '样本总量10不足：2个地区每个至少10份，共需20份',
    );
    const p = await call(s, 'city_office', 'GET', `/api/surveys/${c.body.id}/target-proposal?total=31&min=10`);
    expect(p.body.items.map((x: any) => x.regionName)).toEqual(['青山区', '临江县']);
    expect(p.body.items.reduce((t: number, x: any) => t + x.target, 0)).toBe(31);
    const towns = await call(s, 'city_office', 'GET', `/api/surveys/${c.body.id}/target-proposal?total=41&level=town`);
    expect(towns.body.items).toHaveLength(4);
    expect(towns.body.items.map((x: any) => x.target).sort()).toEqual([10, 10, 10, 11]);
    const outside = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}/targets`, {
      targets: [{ regionId: c.body.regionId, target: 5 }],
    });
    expect(outside.status).toBe(400);
    await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}/targets`, {
      targets: p.body.items.map((x: any) => ({ regionId: x.regionId, target: x.target, basis: 'manual' })),
    });
    const open = await call(s, 'city_office', 'POST', `/api/surveys/${c.body.id}/open`);
    expect(open.body).toMatchObject({ status: 'open', canEdit: false, canClose: true });
    const late = await call(s, 'city_office', 'PUT', `/api/surveys/${c.body.id}`, {
      revision: open.body.revision,
      title: '测试',
      identity: 'phone',
      questions: Q,
    });
    expect(late.status).toBe(409);
  });

  it('public: one response per phone (a keyed hash, no number stored); wrong answers and regions refused', async () => {
    const sv = await openedSurvey(Q);
    const d = await pub('GET', `/api/public/surveys/${sv.publicCode}`);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ state: 'open', message: null, identity: 'phone', regions: [{ name: '青山区' }, { name: '临江县' }] });
    expect(JSON.stringify(d.body)).not.toMatch(/"(id|regionId)"\s*:\s*\d/);
    expect(d.body.questions[0]).not.toHaveProperty('indicator');
    const phone = newPhone();
    const first = await answer(sv.publicCode, { q1: '满意', q2: true, q3: 4, q4: '很好' }, '青山区', phone);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // the same phone again, with a fresh code: refused before the code is even used
    const again = await answer(sv.publicCode, { q1: '不满意', q2: false }, '青山区', phone);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('您已参与本次问卷调查，每个手机号码只能提交一次');
    const wrong = await answer(sv.publicCode, { q1: '非常满意', q3: 9 }, '青山区');
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('第1题的答案不正确；第2题须作答；第3题的答案不正确');
    const nowhere = await answer(sv.publicCode, { q1: '满意', q2: true }, '火星');
    expect(nowhere.body.message).toBe('请选择您所在的地区');
    const badCode = await pub('POST', `/api/public/surveys/${sv.publicCode}/responses`, {
      phone: newPhone(),
      smsCode: '000000',
      region: '青山区',
      answers: { q1: '满意', q2: true },
    });
    expect(badCode.status).toBe(422);
    const rows = await s.database.db.select().from(surveyResponses).where(eq(surveyResponses.surveyId, sv.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.respondentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(phone);
    expect(JSON.stringify(rows)).not.toContain(phone.slice(3));
    // a different survey takes the same phone: the hash is keyed with the survey
    const other = await openedSurvey(Q);
    expect((await answer(other.publicCode, { q1: '满意', q2: true }, '临江县', phone)).status).toBe(201);
  });

  it('invitation codes: generated for a region into an Excel shown once, stored hashed, each answers once', async () => {
    const sv = await openedSurvey(Q, 'invitation');
    const region = sv.targets[1]!;
    const res = await file('POST', 'city_office', `/api/surveys/${sv.id}/invitations`, { regionId: region.regionId, count: 3 });
    expect(res.statusCode, res.body).toBe(201);
    const ws = (await readXlsx(res.rawPayload)).worksheets[0]!;
    const codes = [2, 3, 4].map((r) => String(ws.getRow(r).getCell(2).value));
    expect(new Set(codes).size).toBe(3);
    expect(ws.getRow(2).getCell(3).value).toBe(region.regionName);
    const stored = await s.database.db.select().from(surveyInvitations).where(eq(surveyInvitations.surveyId, sv.id));
    expect(stored).toHaveLength(3);
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
    const d = await pub('GET', `/api/public/surveys/${sv.publicCode}`);
    expect(d.body.identity).toBe('invitation');
    const use = (code: string) =>
      pub('POST', `/api/public/surveys/${sv.publicCode}/responses`, { invitation: code, answers: { q1: '满意', q2: true } });
    // the invitation fixes the region, whatever the form says
    expect((await use(codes[0]!.toLowerCase())).status).toBe(201);
    const twice = await use(codes[0]!);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('该邀请码已使用，每个邀请码只能提交一次');
    expect((await use('ZZZZZZZZZZ')).body.message).toBe('邀请码不正确，请核对后重新输入');
    const [row] = await s.database.db.select().from(surveyResponses).where(eq(surveyResponses.surveyId, sv.id));
    expect(row!.regionId).toBe(region.regionId);
    // a phone survey has no invitation codes
    const phoneSurvey = await file('POST', 'city_office', `/api/surveys/${demo.surveyId}/invitations`, {
      regionId: region.regionId,
      count: 1,
    });
    expect(phoneSurvey.statusCode).toBe(400);
  });

  it('a closed survey refuses answers with a clear message, and so does a draft', async () => {
    const sv = await openedSurvey(Q);
    const closed = await call(s, 'city_office', 'POST', `/api/surveys/${sv.id}/close`);
    expect(closed.body.status).toBe('closed');
    const d = await pub('GET', `/api/public/surveys/${sv.publicCode}`);
    expect(d.body).toMatchObject({ state: 'closed', message: '本次问卷调查已结束，感谢您的关注', questions: [] });
    const r = await answer(sv.publicCode, { q1: '满意', q2: true }, '青山区');
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('本次问卷调查已结束，感谢您的关注');
    const draft = await call(s, 'city_office', 'POST', '/api/surveys', { year: 2026, identity: 'phone' });
    const dr = await pub('POST', `/api/public/surveys/${draft.body.publicCode}/responses`, {
      phone: newPhone(),
      smsCode: '123456',
      answers: {},
    });
    expect(dr.body.message).toBe('本次问卷调查尚未发布');
    expect((await pub('GET', '/api/public/surveys/00000000')).status).toBe(404);
  });

  it('telephone import: the template, row-by-row errors and nothing written, then all rows with channel telephone', async () => {
    const sv = await openedSurvey(Q);
    const webPhone = newPhone();
    expect((await answer(sv.publicCode, { q1: '满意', q2: true }, '青山区', webPhone)).status).toBe(201);
    const tpl = await file('GET', 'city_office', `/api/surveys/${sv.id}/import-template`);
    expect(tpl.statusCode).toBe(200);
    const wb = await readXlsx(tpl.rawPayload);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '地区',
      '电话（选填，用于去重）',
      'q1 您对平安建设是否满意？',
      'q2 您是否知道平安创建？',
      'q3 安全感打分',
      'q4 建议',
    ]);
    const rows: unknown[][] = [
      ['青山区', '13700000001', '满意', '是', 5, ''],
      ['火星', '', '满意', '是', '', ''],
      ['临江县', '12345', '很满意', '也许', 7, ''],
      ['临江县', '13700000001', '基本满意', '否', 3, '加强巡逻'],
      ['临江县', webPhone, '不满意', '否', '', ''],
      ['临江县', '', '', '是', '', ''],
    ];
    for (const r of rows) ws.addRow(r);
    const upload = async (w: ExcelJS.Workbook) => {
      const m = multipart('电话调查.xlsx', XLSX, Buffer.from(await w.xlsx.writeBuffer()));
      const res = await s.app.inject({
        method: 'POST',
        url: `/api/surveys/${sv.id}/import`,
        headers: { ...m.headers, cookie: await s.login('city_office') },
        payload: m.payload,
      });
      return { status: res.statusCode, body: res.json() };
    };
    const bad = await upload(wb);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('IMPORT_INVALID');
    expect(bad.body.details.rows).toEqual([
      { row: 3, reasons: ['地区「火星」不在抽样方案中'] },
      {
        row: 4,
        reasons: [
          '电话须为11位手机号码',
          '第1题（q1）的答案「很满意」不正确，应为满意 / 基本满意 / 不满意',
          '第2题（q2）的答案「也许」不正确，应为是 / 否',
          '第3题（q3）的答案「7」不正确，应为1到5的整数',
        ],
      },
      { row: 5, reasons: ['电话与第2行重复'] },
      { row: 6, reasons: ['该电话已有答卷（网上或此前导入）'] },
      { row: 7, reasons: ['第1题须作答'] },
    ]);
    const count = async () => (await s.database.db.select().from(surveyResponses).where(eq(surveyResponses.surveyId, sv.id))).length;
    expect(await count()).toBe(1);
    // fixed: the good rows only
    const good = new ExcelJS.Workbook();
    const gs = good.addWorksheet('电话调查');
    gs.addRow(ws.getRow(1).values as unknown[]);
    gs.spliceRows(1, 1, (ws.getRow(1).values as unknown[]).slice(1));
    gs.addRow(['青山区', '13700000001', '满意', '是', 5, '']);
    gs.addRow(['临江县', '', '基本满意', '否', 3, '加强巡逻']);
    gs.addRow(['临江县', '', '不满意', 'no', '', '']);
    const ok = await upload(good);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.imported).toBe(3);
    const all = await s.database.db.select().from(surveyResponses).where(eq(surveyResponses.surveyId, sv.id));
    expect(all.filter((r) => r.channel === 'telephone')).toHaveLength(3);
    expect(all.find((r) => r.channel === 'telephone' && r.respondentHash)).toBeTruthy();
    // the same phone imported twice is refused
    expect((await upload(good)).status).toBe(400);
    // tallies per question and region, and the indicator figures
    const res = await call(s, 'city_office', 'GET', `/api/surveys/${sv.id}/results`);
    expect(res.body.responses).toBe(4);
    const q1 = res.body.questions[0];
    expect(q1.overall).toMatchObject({ answered: 4, counts: { 满意: 2, 基本满意: 1, 不满意: 1 }, favourable: 3, share: 75 });
    expect(q1.byRegion.map((x: any) => [x.regionName, x.tally.share])).toEqual([
      ['青山区', 100],
      ['临江县', 50],
    ]);
    const q3 = res.body.questions[2];
    expect(q3.overall).toMatchObject({ answered: 2, mean: 4, share: 80 });
    const city = Object.fromEntries(
      res.body.indicators.filter((x: any) => x.regionName === '云州市').map((x: any) => [x.indicator, x.value]),
    );
    expect(city).toEqual({ satisfaction: 75, awareness: 50, public_safety_feeling: 80 });
  });

  it('survey answers → region indicator → the school’s measure → its rating', async () => {
    const year = Number(today().slice(0, 4));
    const [camp] = (
      (await s.database.db.execute(
        sql.raw(`select c.id from campaigns c join campaign_categories cc on cc.campaign_id = c.id and cc.category_code = 'campus' join regions r on r.id = c.region_id and r.level = 'city'
         where c.status = 'active' and c.year = ${year} and (c.chain is null or c.chain->'rules'->>'entry' is distinct from 'recommendation') order by c.id limit 1`),
      )) as unknown as { rows: { id: number }[] }
    ).rows;
    const draft = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: camp!.id, categoryCode: 'campus' });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const appId = draft.body.id as number;
    const revisionBefore = (await call(s, 'school_nm', 'GET', `/api/applications/${appId}`)).body.revision as number;
    const opts = await call(s, 'city_office', 'GET', `/api/surveys/unit-options?q=${encodeURIComponent('南门实验')}`);
    const unit = opts.body.items.find((x: any) => x.applicationId === appId);
    expect(unit.measures).toContainEqual({
      criterionId: '7',
      measureId: 'satisfaction',
      label: '教职工、学生家长平安创建民调满意率',
      threshold: '>= 80%',
    });
    const created = await call(s, 'city_office', 'POST', '/api/surveys', {
      year,
      identity: 'phone',
      subjectId: unit.subjectId,
      measure: { categoryCode: 'campus', criterionId: '7', measureId: 'satisfaction' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sv = created.body;
    expect(sv.measure.label).toBe('教职工、学生家长平安创建民调满意率');
    expect(sv.questions.map((q: any) => q.indicator)).toEqual(['satisfaction']);
    expect(sv.targets).toHaveLength(1);
    await call(s, 'city_office', 'PUT', `/api/surveys/${sv.id}/targets`, { targets: [{ regionId: sv.targets[0].regionId, target: 10 }] });
    expect((await call(s, 'city_office', 'POST', `/api/surveys/${sv.id}/open`)).status).toBe(200);
    const criterion7 = async () => {
      const [a] = await s.database.db.select().from(applications).where(eq(applications.id, appId));
      return a!.rating?.criteria.find((c) => c.criterionId === '7') ?? null;
    };
    // a new draft: no figure, no rating stored yet
    expect((await criterion7())?.status ?? 'pending').toBe('pending');

    // 1. 2 of 4 satisfied: 50 % — below 80 %, the criterion is not met
    for (const a of ['满意', '基本满意', '不满意', '不满意']) expect((await answer(sv.publicCode, { q1: a })).status).toBe(201);
    const first = await call(s, 'city_office', 'POST', `/api/surveys/${sv.id}/apply`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.measure).toMatchObject({
      applicationId: appId,
      criterionId: '7',
      measureId: 'satisfaction',
      value: 50,
      criterionStatus: 'not_met',
    });
    expect((await criterion7())!.status).toBe('not_met');
    const [ind] = await s.database.db
      .select()
      .from(regionIndicators)
      .where(
        and(eq(regionIndicators.regionId, sv.regionId), eq(regionIndicators.year, year), eq(regionIndicators.indicator, 'satisfaction')),
      );
    expect(ind).toMatchObject({
      value: 50,
      source: 'survey',
      sourceRef: sv.publicCode,
      detail: { responses: 4, answered: 4, favourable: 2 },
    });

    // 2. six more satisfied: 8 of 10 = exactly 80 % — the measure (>= 80 %) is met, the criterion awaits its review
    for (let i = 0; i < 6; i++) expect((await answer(sv.publicCode, { q1: '满意' })).status).toBe(201);
    const second = await call(s, 'city_office', 'POST', `/api/surveys/${sv.id}/apply`);
    expect(second.body.measure).toMatchObject({ value: 80, criterionStatus: 'pending' });
    const c7 = (await criterion7())!;
    expect(c7.status).toBe('pending');
    expect(c7.reasons.map((r) => r.code)).toContain('criterion.awaitReview');
    const [ind2] = await s.database.db
      .select()
      .from(regionIndicators)
      .where(
        and(eq(regionIndicators.regionId, sv.regionId), eq(regionIndicators.year, year), eq(regionIndicators.indicator, 'satisfaction')),
      );
    expect(ind2).toMatchObject({ value: 80, source: 'survey', sourceRef: sv.publicCode, detail: { responses: 10, favourable: 8 } });
    // the school's application shows the figure with where it came from
    const mine = await call(s, 'school_nm', 'GET', `/api/applications/${appId}`);
    const fig = mine.body.answers.find((a: any) => a.criterionId === '7').figures.satisfaction;
    expect(fig).toMatchObject({ value: 80, source: { kind: 'survey', ref: sv.publicCode } });
    expect(fig.source.label).toContain('（10份）');
    // the revision moved on: a save from a page opened before the survey was applied is refused
    expect(mine.body.revision).toBe(revisionBefore + 2);
    const [subj] = await s.database.db.select().from(subjects).where(eq(subjects.id, unit.subjectId));
    expect(subj!.regionId).toBe(sv.regionId);
  });

  it('results are applied only by the office that made the survey, and only with answers', async () => {
    const sv = await openedSurvey(Q);
    expect((await call(s, 'city_office', 'POST', `/api/surveys/${sv.id}/apply`)).body.message).toBe('还没有答卷，没有结果可应用');
    expect((await call(s, 'city_edu', 'POST', `/api/surveys/${sv.id}/apply`)).status).toBe(403);
    const [row] = await s.database.db.select({ status: surveys.status }).from(surveys).where(eq(surveys.id, sv.id));
    expect(row!.status).toBe('open');
  });
});
