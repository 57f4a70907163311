import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { addDays, earliestNoticeEnd } from '@pingan/core';
import {
  applicationEvents,
  applications,
  auditLog,
  noticeItems,
  notifications,
  objections,
  phoneCodes,
  publicNotices,
  titles,
  users,
} from '../src/db/schema.js';
import { today } from '../src/modules/applications/service.js';
import { loadConfig } from '../src/config.js';
import { loadKeys } from '../src/crypto/keys.js';
import { decrypt } from '../src/crypto/pii.js';
import { flushAuditWrites } from '../src/http/audit-hook.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, type TestServer } from './helpers.js';
import { multipartBody } from './authz-matrix.js';

/**
 * 异议: the public objects to a candidate during the notice (by name with an SMS code, or
 * anonymously), within throttles; the lead department and the owning office investigate; the office
 * decides with a written reply; a candidate with an open objection is not conferred.
 */
describe.each(DB_KINDS)('objections on %s', (kind) => {
  let s: TestServer;
  let campaignId: number;
  let noticeId: number;
  let noticeCode: string;
  const app: Record<string, number> = {};
  /** each candidate's public code on the notice */
  const item: Record<string, string> = {};
  /** the last SMS text sent to each number */
  const sms = new Map<string, string>();
  const t0 = today();
  const year = Number(t0.slice(0, 4));

  /** A public request (no session) from a client address of the test's choosing. */
  const pub = async (method: 'GET' | 'POST', url: string, ip: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await s.app.inject({ method, url, payload: payload as never, headers, remoteAddress: ip });
    let body: any = res.body;
    try {
      body = res.json();
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body };
  };
  /** Asks for a code for `phone` and reads it from the SMS the platform sent. */
  const codeFor = async (phone: string, ip: string): Promise<string> => {
    const r = await pub('POST', '/api/public/sms-codes', ip, { phone, purpose: 'objection' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const m = /验证码为(\d{6})/.exec(sms.get(phone) ?? '');
    expect(m, sms.get(phone)).toBeTruthy();
    // a number may ask again only after a minute: move this code's time back so the test need not wait
    await s.database.db.update(phoneCodes).set({ createdAt: sql`${phoneCodes.createdAt} - interval '2 minutes'` });
    return m![1]!;
  };
  const file = (candidate: string, ip: string, body: Record<string, unknown>) =>
    pub('POST', `/api/public/candidates/${candidate}/objections`, ip, body);
  const anonymous = (candidate: string, ip: string, text = '该单位今年发生过安全事故，群众反映强烈，不应命名。') =>
    file(candidate, ip, { anonymous: true, text });
  const objectionByReceipt = async (receipt: string) =>
    (await s.database.db.select().from(objections).where(eq(objections.publicCode, receipt)))[0]!;
  const publicNotice = async (code = noticeCode) => (await call(s, null, 'GET', `/api/public/notices/${code}`)).body;
  const publish = (ids: number[], startsOn: string, endsOn: string, title: string, campaign = campaignId) =>
    call(s, 'city_office', 'POST', '/api/notices', {
      campaignId: campaign,
      title,
      body: '如有异议请在公示期内提出。',
      startsOn,
      endsOn,
      applicationIds: ids,
    });
  const createCampaign = async (name: string, codes: string[]) => {
    const standards = (await call(s, 'city_office', 'GET', '/api/standards')).body as { code: string; versions: { id: number }[] }[];
    const created = await call(s, 'city_office', 'POST', '/api/campaigns', {
      name,
      year,
      applyDeadline: `${year}-12-31`,
      reviewDeadline: `${year}-12-31`,
      phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-31` }],
      categories: codes.map((c) => ({ standardVersionId: standards.find((x) => x.code === c)!.versions[0]!.id })),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as number;
  };
  const apply = async (campaign: number, user: string, categoryCode: string) => {
    const r = await call(s, user, 'POST', '/api/applications', { campaignId: campaign, categoryCode });
    expect(r.status, `${user}: ${JSON.stringify(r.body)}`).toBe(201);
    await s.database.db.update(applications).set({ status: 'evaluated', step: null }).where(eq(applications.id, r.body.id));
    return r.body.id as number;
  };

  beforeAll(async () => {
    s = await getTestServer(kind, {
      sms: {
        send: async (phone, text) => {
          sms.set(phone, text);
        },
      },
    });
    campaignId = await createCampaign(`云州市${year}年异议测试活动`, [
      'datuopu-2020-campus',
      'datuopu-2020-family',
      'zhenjiang-2022-unit-star',
    ]);
    for (const [user, cat] of [
      ['school_nm', 'campus'],
      ['school_dh', 'campus'],
      ['school_bs', 'campus'],
      ['family_wang', 'family'],
      ['hospital_rm', 'industry_unit'],
    ] as const)
      app[user] = await apply(campaignId, user, cat);
    // the hospital was rated three stars (000): an upheld objection may lower them
    await s.database.db.update(applications).set({ stars: 3 }).where(eq(applications.id, app.hospital_rm!));
    const n = await publish(Object.values(app), t0, earliestNoticeEnd(t0, 5), '云州市异议测试拟命名公示');
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    noticeId = n.body.id;
    const staff = await call(s, 'city_office', 'GET', `/api/notices/${noticeId}`);
    noticeCode = staff.body.publicCode;
    const rows = await s.database.db.select().from(noticeItems).where(eq(noticeItems.noticeId, noticeId));
    for (const [user, id] of Object.entries(app)) item[user] = rows.find((r) => r.applicationId === id)!.publicCode;
  }, 120_000);
  afterAll(() => s?.close());

  let realReceipt = '';
  let realToken = '';
  let familyReceipt = '';

  it('files by name with the right code, refuses a wrong or reused code, keeps name and phone encrypted', async () => {
    const ip = '10.1.0.1';
    const phone = '13912345678';
    const code = await codeFor(phone, ip);
    const wrong = code === '000000' ? '111111' : '000000';
    const text = '南门实验小学今年3月发生学生踩踏受伤事件，学校隐瞒未报，不符合平安校园标准。';
    const bad = await file(item.school_nm!, ip, { anonymous: false, name: '赵志远', phone, code: wrong, text });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('WRONG_OTP');
    const ok = await file(item.school_nm!, ip, { anonymous: false, name: '赵志远', phone, code, text });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(ok.body.uploadToken).toBeTruthy();
    expect(ok.body.maxFiles).toBe(5);
    realReceipt = ok.body.receipt;
    realToken = ok.body.uploadToken;
    const again = await file(item.school_nm!, ip, { anonymous: false, name: '赵志远', phone, code, text });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('WRONG_OTP');
    // a real-name filing needs its code; text is bounded and free of NUL
    expect((await file(item.school_nm!, ip, { anonymous: false, name: '赵志远', phone, text })).status).toBe(400);
    expect((await file(item.school_nm!, ip, { anonymous: true, text: '有问题\u0000有问题' })).status).toBe(400);
    expect((await file(item.school_nm!, ip, { anonymous: true, text: '太短' })).status).toBe(400);
    expect((await file(item.school_nm!, ip, { anonymous: true, text: '长'.repeat(2001) })).status).toBe(400);

    const row = await objectionByReceipt(realReceipt);
    expect(row.anonymous).toBe(false);
    expect(row.applicationId).toBe(app.school_nm);
    expect(row.objectorName).toMatch(/^g1:/);
    expect(row.objectorPhone).toMatch(/^g1:/);
    expect(row.objectorPhone).not.toContain(phone);
    expect(row.phoneHash).toMatch(/^[0-9a-f]{64}$/);
    const keys = loadKeys(loadConfig({}, { DATA_DIR: s.filesDir.replace(/\/files$/, '') }));
    expect(decrypt(keys, row.objectorName!)).toBe('赵志远');
    expect(decrypt(keys, row.objectorPhone!)).toBe(phone);
  });

  it('files anonymously, with nothing of the objector stored but a keyed hash of the address', async () => {
    const r = await anonymous(item.family_wang!, '10.1.0.2', '王建国家庭与邻居长期因排水问题发生纠纷，多次吵架，邻里关系紧张。');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    familyReceipt = r.body.receipt;
    const row = await objectionByReceipt(familyReceipt);
    expect(row).toMatchObject({ anonymous: true, objectorName: null, objectorPhone: null, phoneHash: null, status: 'open' });
    expect(row.ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.ipHash).not.toContain('10.1.0.2');
    // the receipt shows the status, and nothing else of the objection
    const rec = await call(s, null, 'GET', `/api/public/objections/${familyReceipt}`);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ receipt: familyReceipt, status: 'open', reply: null, candidateName: '王**家庭', noticeCode });
    expect(JSON.stringify(rec.body)).not.toContain('排水');
    expect((await call(s, null, 'GET', '/api/public/objections/ZZZZZZZZZZZZZZZZ')).status).toBe(404);
  });

  it('throttles: three a day per phone and candidate, ten a day per address (429 in Chinese)', async () => {
    const phone = '13687654321';
    for (let k = 0; k < 3; k++) {
      const ip = `10.2.0.${k + 1}`;
      const code = await codeFor(phone, ip);
      const r = await file(item.school_dh!, ip, {
        anonymous: false,
        name: '钱多多',
        phone,
        code,
        text: `第${k + 1}次反映：东湖中学周边交通秩序混乱，存在安全隐患。`,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const code = await codeFor(phone, '10.2.0.9');
    const fourth = await file(item.school_dh!, '10.2.0.9', { anonymous: false, name: '钱多多', phone, code, text: '第四次反映同一问题。' });
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('RATE_LIMITED');
    expect(fourth.body.message).toMatch(/该手机号码24小时内对同一对象提出异议已达3次/);
    // the refused filing did not spend the code: it still works against another candidate
    const other = await file(item.school_bs!, '10.2.0.9', {
      anonymous: false,
      name: '钱多多',
      phone,
      code,
      text: '白沙镇中心小学门口无护学岗。',
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);

    const ip = '10.3.0.1';
    for (let k = 0; k < 10; k++) expect((await anonymous(item.school_bs!, ip)).status).toBe(201);
    const eleventh = await anonymous(item.school_bs!, ip);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.message).toContain('本网络24小时内提出异议已达10次');
    expect((await anonymous(item.school_bs!, '10.3.0.2')).status).toBe(201);
  });

  it('refuses filings before the notice starts, after it ends and against a candidate taken off', async () => {
    const other = await createCampaign(`云州市${year}年异议测试活动（二）`, ['datuopu-2020-campus']);
    const nm = await apply(other, 'school_nm', 'campus');
    const dh = await apply(other, 'school_dh', 'campus');
    const tomorrow = addDays(t0, 1);
    const future = await publish([nm], tomorrow, earliestNoticeEnd(tomorrow, 5), '明日开始的公示', other);
    expect(future.status).toBe(201);
    const ended = await publish([dh], t0, earliestNoticeEnd(t0, 5), '已结束的公示', other);
    expect(ended.status).toBe(201);
    const codeOf = async (applicationId: number) =>
      (await s.database.db.select().from(noticeItems).where(eq(noticeItems.applicationId, applicationId)))[0]!.publicCode;
    expect((await anonymous(await codeOf(nm), '10.4.0.1')).status).toBe(404);
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(t0, -12), endsOn: addDays(t0, -1) })
      .where(eq(publicNotices.id, ended.body.id));
    const late = await anonymous(await codeOf(dh), '10.4.0.1');
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('公示期已于');
    // the last day itself is within the period (以内 includes it)
    await s.database.db.update(publicNotices).set({ endsOn: t0 }).where(eq(publicNotices.id, ended.body.id));
    expect((await anonymous(await codeOf(dh), '10.4.0.1')).status).toBe(201);
    expect((await anonymous('0000000000000000', '10.4.0.1')).status).toBe(404);
  });

  it('attaches evidence with the upload token: PDF/JPEG/PNG by their bytes, five at most', async () => {
    const url = `/api/public/objections/${realReceipt}/files`;
    const part = (name: string, data: Buffer, type: string, token?: string) =>
      multipartBody([
        ...(token ? [{ name: 'token', value: token }] : []),
        { name: 'file', value: data, fileName: name, contentType: type },
      ]);
    const send = (mp: ReturnType<typeof part>) => pub('POST', url, '10.1.0.1', mp.payload, mp.headers);
    expect((await send(part('证据.pdf', PDF_BYTES, 'application/pdf'))).status).toBe(400);
    expect(
      (
        await send(
          part(
            '证据.pdf',
            PDF_BYTES,
            'application/pdf',
            realToken.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
          ),
        )
      ).status,
    ).toBe(400);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    expect((await send(part('伪装.pdf', png, 'application/pdf', realToken))).status).toBe(415);
    expect((await send(part('脚本.html', Buffer.from('<script>'), 'text/html', realToken))).status).toBe(415);
    const first = await send(part('现场照片.png', png, 'image/png', realToken));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ fileName: '现场照片.png', files: 1 });
    for (let k = 2; k <= 5; k++) expect((await send(part(`材料${k}.pdf`, PDF_BYTES, 'application/pdf', realToken))).status).toBe(201);
    const sixth = await send(part('材料6.pdf', PDF_BYTES, 'application/pdf', realToken));
    expect(sixth.status).toBe(409);
    // a token opens only its own objection
    const other = await pub(
      'POST',
      `/api/public/objections/${familyReceipt}/files`,
      '10.1.0.1',
      part('x.pdf', PDF_BYTES, 'application/pdf', realToken).payload,
      part('x.pdf', PDF_BYTES, 'application/pdf', realToken).headers,
    );
    expect(other.status).toBe(400);
  });

  it('shows per candidate how many objections were filed and how they stand, never who filed them', async () => {
    const n = await publicNotice();
    expect(n.open).toBe(true);
    const byCode = new Map<string, any>(n.items.map((i: any) => [i.code, i]));
    expect(byCode.get(item.school_nm!).objections).toEqual({ filed: 1, open: 1, upheld: 0, dismissed: 0 });
    expect(byCode.get(item.school_dh!).objections).toEqual({ filed: 3, open: 3, upheld: 0, dismissed: 0 });
    expect(byCode.get(item.school_bs!).objections.filed).toBe(12);
    expect(byCode.get(item.hospital_rm!).objections.filed).toBe(0);
    expect(byCode.get(item.school_nm!).canObject).toBe(true);
    const text =
      JSON.stringify(n) +
      JSON.stringify(await call(s, null, 'GET', `/api/public/objections/${realReceipt}`)) +
      JSON.stringify((await call(s, null, 'GET', '/api/public/notices?limit=500')).body);
    for (const secret of ['赵志远', '13912345678', '钱多多', '13687654321', '踩踏', 'applicationId', 'noticeId', '"id"'])
      expect(text, secret).not.toContain(secret);
    // no number that is an internal id of the notice or its candidates appears as a value
    const keys = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          keys.add(k);
          walk(x);
        }
    };
    walk(n);
    expect([...keys].filter((k) => /id$/i.test(k))).toEqual([]);
  });

  it('lets only the lead department and the owning office see an objection; others get 404', async () => {
    const row = await objectionByReceipt(realReceipt);
    const url = `/api/objections/${row.id}`;
    for (const u of ['city_edu', 'city_office']) {
      const r = await call(s, u, 'GET', url);
      expect(r.status, `${u}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body).toMatchObject({
        subjectName: '云州市南门实验小学',
        anonymous: false,
        objectorName: '赵**',
        objectorPhone: '139****5678',
      });
      expect(r.body.files).toHaveLength(5);
    }
    expect((await call(s, 'city_edu', 'GET', url)).body).toMatchObject({ canInvestigate: true, canDecide: false });
    expect((await call(s, 'city_office', 'GET', url)).body).toMatchObject({ canInvestigate: true, canDecide: true });
    for (const u of ['city_women', 'city_health', 'city_police', 'qs_office', 'qs_edu', 'lj_office', 'expert_zhou', 'school_nm'])
      expect((await call(s, u, 'GET', url)).status, u).toBe(404);
    // the family's objection is the 妇联's, not the 教育局's
    const fam = await objectionByReceipt(familyReceipt);
    expect((await call(s, 'city_women', 'GET', `/api/objections/${fam.id}`)).status).toBe(200);
    expect((await call(s, 'city_edu', 'GET', `/api/objections/${fam.id}`)).status).toBe(404);
    // worklists
    const ids = async (u: string, q = '') =>
      ((await call(s, u, 'GET', `/api/objections?limit=500${q}`)).body.items as { id: number }[]).map((i) => i.id);
    expect(await ids('city_edu')).toContain(row.id);
    expect(await ids('city_edu')).not.toContain(fam.id);
    expect(await ids('city_women')).toContain(fam.id);
    expect(await ids('city_women')).not.toContain(row.id);
    expect(await ids('city_office')).toEqual(expect.arrayContaining([row.id, fam.id]));
    expect(await ids('qs_office')).not.toContain(row.id);
    expect(await ids('city_office', `&noticeId=${noticeId}&status=open&q=${encodeURIComponent('南门')}`)).toEqual([row.id]);
    expect((await call(s, 'city_police', 'GET', '/api/objections')).status).toBe(403);
    const x = await s.app.inject({
      method: 'GET',
      url: `/api/objections?format=xlsx&noticeId=${noticeId}`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // both were told
    const told = await s.database.db
      .select({ username: users.username })
      .from(notifications)
      .innerJoin(users, eq(users.id, notifications.userId))
      .where(eq(notifications.link, `/objections/${row.id}`));
    expect(told.map((t) => t.username).sort()).toEqual(['city_edu', 'city_office']);
    // evidence: the handlers download it, others do not
    const fileId = (await call(s, 'city_edu', 'GET', url)).body.files[1].id;
    const dl = await s.app.inject({ method: 'GET', url: `/api/objection-files/${fileId}`, headers: { cookie: await s.login('city_edu') } });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PDF_BYTES)).toBe(true);
    expect((await call(s, 'qs_office', 'GET', `/api/objection-files/${fileId}`)).status).toBe(404);
    // the full phone only through the audited action
    const reveal = await call(s, 'city_edu', 'POST', `${url}/contact`);
    expect(reveal.status).toBe(200);
    expect(reveal.body).toEqual({ name: '赵志远', phone: '13912345678' });
    expect((await call(s, 'qs_office', 'POST', `${url}/contact`)).status).toBe(404);
    expect((await call(s, 'city_women', 'POST', `/api/objections/${fam.id}/contact`)).status).toBe(409);
    await flushAuditWrites();
    const audits = await s.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.view'), eq(auditLog.objectType, 'objection'), eq(auditLog.objectId, String(row.id))))
      .orderBy(desc(auditLog.id));
    expect(audits.map((a) => a.result).sort()).toEqual(['denied', 'ok']);
  });

  it('decides: the lead department investigates, the office decides upheld (withdrawn) with a written reply', async () => {
    const row = await objectionByReceipt(realReceipt);
    const url = `/api/objections/${row.id}`;
    const f = await call(s, 'city_edu', 'POST', `${url}/findings`, { findings: '经查，3月确有学生在楼梯间摔倒受伤，学校未按规定上报。' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.status).toBe('investigating');
    expect((await call(s, null, 'GET', `/api/public/objections/${realReceipt}`)).body.status).toBe('investigating');
    const byLead = await call(s, 'city_edu', 'POST', `${url}/decide`, { decision: 'dismissed', reply: '经调查核实，异议不成立。' });
    expect(byLead.status).toBe(403);
    expect((await call(s, 'city_office', 'POST', `${url}/decide`, { decision: 'upheld', reply: '经调查核实，异议成立。' })).status).toBe(
      400,
    );
    expect((await call(s, 'city_office', 'POST', `${url}/decide`, { decision: 'upheld', outcome: 'withdrawn' })).status).toBe(400);
    expect(
      (
        await call(s, 'city_office', 'POST', `${url}/decide`, {
          decision: 'upheld',
          outcome: 'stars_lowered',
          lowerBy: 1,
          reply: '平安校园不评星级。',
        })
      ).status,
    ).toBe(422);
    const reply = '经教育局调查核实，您反映的学生受伤事件属实且未按规定上报，异议成立，该校撤出本次公示名单。';
    const d = await call(s, 'city_office', 'POST', `${url}/decide`, { decision: 'upheld', outcome: 'withdrawn', reply });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: 'upheld', outcome: 'withdrawn' });
    const [a] = await s.database.db.select().from(applications).where(eq(applications.id, app.school_nm!));
    expect(a!.status).toBe('withdrawn');
    const ev = (
      await s.database.db
        .select()
        .from(applicationEvents)
        .where(eq(applicationEvents.applicationId, app.school_nm!))
        .orderBy(asc(applicationEvents.id))
    ).at(-1)!;
    expect(ev).toMatchObject({ action: 'withdraw', fromStatus: 'in_notice', toStatus: 'withdrawn' });
    expect(ev.reason).toContain('异议成立');
    const rec = (await call(s, null, 'GET', `/api/public/objections/${realReceipt}`)).body;
    expect(rec).toMatchObject({ status: 'upheld', outcome: 'withdrawn', reply, decidedOn: t0 });
    const pubItem = (await publicNotice()).items.find((i: any) => i.code === item.school_nm);
    expect(pubItem).toMatchObject({ status: 'withdrawn', canObject: false, objections: { filed: 1, open: 0, upheld: 1, dismissed: 0 } });
    expect(JSON.stringify(await publicNotice())).not.toContain('未按规定上报');
    // decided once; a candidate taken off takes no more objections
    expect((await call(s, 'city_office', 'POST', `${url}/decide`, { decision: 'dismissed', reply: '再次答复内容。' })).status).toBe(409);
    expect((await call(s, 'city_edu', 'POST', `${url}/findings`, { findings: '补充' })).status).toBe(409);
    expect((await anonymous(item.school_nm!, '10.5.0.1')).status).toBe(409);
  });

  it('decides upheld with the stars lowered (never below 1, on the history) and dismissed', async () => {
    const h = await anonymous(item.hospital_rm!, '10.6.0.1', '人民医院急诊科夜间保安经常脱岗，曾发生医闹未及时处置。');
    expect(h.status).toBe(201);
    const hid = (await objectionByReceipt(h.body.receipt)).id;
    expect((await call(s, 'city_health', 'GET', `/api/objections/${hid}`)).status).toBe(200);
    const tooFar = await call(s, 'city_office', 'POST', `/api/objections/${hid}/decide`, {
      decision: 'upheld',
      outcome: 'stars_lowered',
      lowerBy: 3,
      reply: '经核实异议部分属实，降低星级。',
    });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.message).toContain('不能低于1星');
    const low = await call(s, 'city_office', 'POST', `/api/objections/${hid}/decide`, {
      decision: 'upheld',
      outcome: 'stars_lowered',
      lowerBy: 1,
      findings: '卫健委核实：夜间安保确有脱岗记录两次。',
      reply: '经核实异议部分属实，该院星级由三星降为二星，仍列入公示。',
    });
    expect(low.status, JSON.stringify(low.body)).toBe(200);
    expect(low.body).toMatchObject({ status: 'upheld', outcome: 'stars_lowered', stars: 2 });
    const [a] = await s.database.db.select().from(applications).where(eq(applications.id, app.hospital_rm!));
    expect(a).toMatchObject({ stars: 2, status: 'in_notice' });
    const ev = (
      await s.database.db
        .select()
        .from(applicationEvents)
        .where(eq(applicationEvents.applicationId, app.hospital_rm!))
        .orderBy(asc(applicationEvents.id))
    ).at(-1)!;
    expect(ev).toMatchObject({ action: 'stars_lowered', fromStatus: 'in_notice', toStatus: 'in_notice' });
    expect(ev.reason).toContain('星级由3星降为2星');
    expect((await publicNotice()).items.find((i: any) => i.code === item.hospital_rm)).toMatchObject({
      stars: 2,
      status: 'in_notice',
      objections: { filed: 1, open: 0, upheld: 1, dismissed: 0 },
    });

    const fam = await objectionByReceipt(familyReceipt);
    const dis = await call(s, 'city_office', 'POST', `/api/objections/${fam.id}/decide`, {
      decision: 'dismissed',
      reply: '经妇联会同社区调查，所反映的排水纠纷已于去年调解结案，双方签订调解协议，异议不成立。',
    });
    expect(dis.status, JSON.stringify(dis.body)).toBe(200);
    expect(dis.body).toMatchObject({ status: 'dismissed', outcome: null });
    expect((await call(s, null, 'GET', `/api/public/objections/${familyReceipt}`)).body).toMatchObject({
      status: 'dismissed',
      outcome: null,
    });
    const [w] = await s.database.db.select().from(applications).where(eq(applications.id, app.family_wang!));
    expect(w!.status).toBe('in_notice');
  });

  it('does not confer a candidate while an objection on it is open, and confers it once closed', async () => {
    // the notice ends
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(t0, -12), endsOn: addDays(t0, -1) })
      .where(eq(publicNotices.id, noticeId));
    expect((await anonymous(item.school_dh!, '10.7.0.1')).status).toBe(409);
    const staff = (await call(s, 'city_office', 'GET', `/api/notices/${noticeId}`)).body;
    const open = (id: number) => staff.items.find((i: any) => i.applicationId === id);
    expect(open(app.school_dh!)).toMatchObject({ objectionsTotal: 3, objectionsOpen: 3 });
    expect(open(app.school_bs!)).toMatchObject({ objectionsTotal: 12, objectionsOpen: 12 });
    expect(open(app.family_wang!)).toMatchObject({ objectionsTotal: 1, objectionsOpen: 0 });

    const first = await call(s, 'city_office', 'POST', `/api/notices/${noticeId}/confer`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect([...first.body.conferred].sort()).toEqual([app.family_wang, app.hospital_rm].sort());
    expect(first.body.waiting).toEqual(
      expect.arrayContaining([
        { applicationId: app.school_dh, openObjections: 3 },
        { applicationId: app.school_bs, openObjections: 12 },
      ]),
    );
    expect(first.body.waiting).toHaveLength(2);
    const [ht] = await s.database.db.select().from(titles).where(eq(titles.applicationId, app.hospital_rm!));
    expect(ht!.stars).toBe(2);
    expect(
      await s.database.db
        .select()
        .from(titles)
        .where(inArray(titles.applicationId, [app.school_dh!, app.school_bs!])),
    ).toEqual([]);

    // the 东湖中学 objections are dismissed: the next call confers it; 白沙 still waits
    const dh = await s.database.db.select().from(objections).where(eq(objections.applicationId, app.school_dh!));
    for (const o of dh) {
      const r = await call(s, 'city_office', 'POST', `/api/objections/${o.id}/decide`, {
        decision: 'dismissed',
        reply: '经教育局会同交警部门核实，学校周边已设置护学岗和交通信号，异议不成立。',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const second = await call(s, 'city_office', 'POST', `/api/notices/${noticeId}/confer`);
    expect(second.status).toBe(200);
    expect(second.body.conferred).toEqual([app.school_dh]);
    expect(second.body.waiting).toEqual([{ applicationId: app.school_bs, openObjections: 12 }]);
    const [a] = await s.database.db.select().from(applications).where(eq(applications.id, app.school_dh!));
    expect(a!.status).toBe('conferred');
    expect((await publicNotice()).items.find((i: any) => i.code === item.school_dh)).toMatchObject({
      status: 'conferred',
      objections: { filed: 3, open: 0, upheld: 0, dismissed: 3 },
    });
  });
});
