import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import { addDays, earliestNoticeEnd } from '@pingan/core';
import { applicationEvents, applications, publicNotices, titles } from '../src/db/schema.js';
import { today } from '../src/modules/applications/service.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/** 公示: owned by the campaign's office, dated from today for at least the minimum, withdrawable. */
describe.each(DB_KINDS)('public notices on %s', (kind) => {
  let s: TestServer;
  let campaignId: number;
  const app: Record<string, number> = {};
  const t0 = today();
  const year = Number(t0.slice(0, 4));

  /** Moves an application straight to 综合评定完成, as if its chain had run. */
  const evaluate = (ids: number[]) =>
    s.database.db.update(applications).set({ status: 'evaluated', step: null }).where(inArray(applications.id, ids));
  const events = (id: number) =>
    s.database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(asc(applicationEvents.id));
  /** a notice's public address: its random code, never its id */
  const codeOf = async (id: number) =>
    (await s.database.db.select({ c: publicNotices.publicCode }).from(publicNotices).where(eq(publicNotices.id, id)))[0]!.c;
  const publish = (user: string, ids: number[], startsOn: string, endsOn: string, title = '拟命名单位公示（测试）') =>
    call(s, user, 'POST', '/api/notices', { campaignId, title, body: '如有异议请书面反映。', startsOn, endsOn, applicationIds: ids });

  beforeAll(async () => {
    s = await getTestServer(kind);
    const standards = (await call(s, 'city_office', 'GET', '/api/standards')).body as { code: string; versions: { id: number }[] }[];
    const v = (code: string) => standards.find((x) => x.code === code)!.versions[0]!.id;
    const created = await call(s, 'city_office', 'POST', '/api/campaigns', {
      name: `云州市${year}年公示测试活动`,
      year,
      applyDeadline: `${year}-12-31`,
      reviewDeadline: `${year}-12-31`,
      phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-31` }],
      categories: [
        { standardVersionId: v('datuopu-2020-campus') },
        { standardVersionId: v('datuopu-2020-family') },
        { standardVersionId: v('datuopu-2020-hospital') },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    campaignId = created.body.id;
    for (const [user, cat] of [
      ['school_nm', 'campus'],
      ['school_dh', 'campus'],
      ['school_bs', 'campus'],
      ['hospital_rm', 'hospital'],
      ['family_wang', 'family'],
    ] as const) {
      const r = await call(s, user, 'POST', '/api/applications', { campaignId, categoryCode: cat });
      expect(r.status, `${user}: ${JSON.stringify(r.body)}`).toBe(201);
      app[user] = r.body.id;
    }
    await evaluate(Object.values(app));
  });
  afterAll(() => s?.close());

  it('refuses a notice starting in the past, or shorter than the minimum, naming the earliest end', async () => {
    const yesterday = addDays(t0, -1);
    const past = await publish('city_office', [app.school_nm!], yesterday, addDays(t0, 10));
    expect(past.status).toBe(422);
    expect(past.body.code).toBe('DATE_INVALID');
    expect(past.body.message).toContain('早于今天');
    const zero = await publish('city_office', [app.school_nm!], t0, t0);
    expect(zero.status).toBe(422);
    expect(zero.body.message).toContain(`最早于${earliestNoticeEnd(t0, 5)}结束`);
    const bad = await publish('city_office', [app.school_nm!], `${year}-02-30`, `${year}-03-10`);
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('不是有效日期');
    // nothing moved
    const [a] = await s.database.db.select().from(applications).where(eq(applications.id, app.school_nm!));
    expect(a!.status).toBe('evaluated');
  });

  it('lets only the campaign’s own office publish, edit, withdraw and confer (others: 404)', async () => {
    expect((await publish('qs_office', [app.school_dh!], t0, earliestNoticeEnd(t0, 5))).status).toBe(404);
    expect((await publish('lj_office', [app.school_bs!], t0, earliestNoticeEnd(t0, 5))).status).toBe(404);
    // a lead department cannot publish at all
    expect((await publish('city_edu', [app.school_nm!], t0, earliestNoticeEnd(t0, 5))).status).toBe(403);
    const n = await publish('city_office', [app.school_dh!], t0, earliestNoticeEnd(t0, 5), '东湖中学公示（权限测试）');
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    const id = n.body.id as number;
    expect((await call(s, 'qs_office', 'PUT', `/api/notices/${id}`, { title: '县区改标题试试' })).status).toBe(404);
    expect((await call(s, 'qs_office', 'POST', `/api/notices/${id}/withdraw`, { reason: '越权' })).status).toBe(404);
    expect(
      (await call(s, 'qs_office', 'POST', `/api/notices/${id}/items/${app.school_dh}/withdraw`, { action: 'withdraw', reason: '越权' }))
        .status,
    ).toBe(404);
    expect((await call(s, 'qs_office', 'GET', `/api/notices/${id}`)).status).toBe(404);
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(t0, -20), endsOn: addDays(t0, -10) })
      .where(eq(publicNotices.id, id));
    expect((await call(s, 'qs_office', 'POST', `/api/notices/${id}/confer`)).status).toBe(404);
    const list = (await call(s, 'qs_office', 'GET', '/api/notices')).body as { id: number }[];
    expect(list.some((x) => x.id === id)).toBe(false);
    const conferred = await call(s, 'city_office', 'POST', `/api/notices/${id}/confer`);
    expect(conferred.status).toBe(200);
    expect(conferred.body.conferred).toEqual([app.school_dh]);
    const [title] = await s.database.db.select().from(titles).where(eq(titles.applicationId, app.school_dh!));
    // in the name of the campaign owner's leading group
    expect(title!.issuer).toBe('云州市平安建设领导小组');
  });

  it('keeps a future notice off the public pages until it starts', async () => {
    const tomorrow = addDays(t0, 1);
    const n = await publish('city_office', [app.school_nm!], tomorrow, earliestNoticeEnd(tomorrow, 5), '南门小学拟命名公示（明日开始）');
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    const id = n.body.id as number;
    const code = await codeOf(id);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    const pubList = async () =>
      ((await call(s, null, 'GET', '/api/public/notices?limit=500')).body.items as { code: string }[]).map((x) => x.code);
    expect(await pubList()).not.toContain(code);
    expect((await call(s, null, 'GET', `/api/public/notices/${code}`)).status).toBe(404);
    // the office sees it, as not yet started
    const staff = await call(s, 'city_office', 'GET', `/api/notices/${id}`);
    expect(staff.status).toBe(200);
    expect(staff.body.state).toBe('upcoming');
    // the day comes
    await s.database.db.update(publicNotices).set({ startsOn: t0 }).where(eq(publicNotices.id, id));
    expect(await pubList()).toContain(code);
    const pub = await call(s, null, 'GET', `/api/public/notices/${code}`);
    expect(pub.status).toBe(200);
    expect(pub.body.items.map((i: { subjectName: string }) => i.subjectName)).toEqual(['云州市南门实验小学']);

    // edit: the end may only move later, never below the minimum
    const earlier = await call(s, 'city_office', 'PUT', `/api/notices/${id}`, { endsOn: addDays(earliestNoticeEnd(tomorrow, 5), -1) });
    expect(earlier.status).toBe(422);
    const later = await call(s, 'city_office', 'PUT', `/api/notices/${id}`, {
      title: '南门小学拟命名公示（延长）',
      endsOn: addDays(earliestNoticeEnd(tomorrow, 5), 3),
    });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect((await call(s, null, 'GET', `/api/public/notices/${code}`)).body.title).toBe('南门小学拟命名公示（延长）');

    // withdrawing the whole notice takes its names back to 评定完成 and the public page away
    expect((await call(s, 'qs_office', 'POST', `/api/notices/${id}/withdraw`, { reason: '越权' })).status).toBe(404);
    expect((await call(s, 'city_office', 'POST', `/api/notices/${id}/withdraw`, { reason: '  ' })).status).toBe(400);
    const w = await call(s, 'city_office', 'POST', `/api/notices/${id}/withdraw`, { reason: '公示名单有误，重新发布' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body.returned).toEqual([app.school_nm]);
    expect((await call(s, null, 'GET', `/api/public/notices/${code}`)).status).toBe(404);
    expect(await pubList()).not.toContain(code);
    const [a] = await s.database.db.select().from(applications).where(eq(applications.id, app.school_nm!));
    expect(a!.status).toBe('evaluated');
    const ev = (await events(app.school_nm!)).at(-1)!;
    expect(ev).toMatchObject({ fromStatus: 'in_notice', toStatus: 'evaluated' });
    expect(ev.reason).toContain('公示名单有误，重新发布');
    expect((await call(s, 'city_office', 'PUT', `/api/notices/${id}`, { title: '撤销后再改' })).status).toBe(409);
  });

  it('withdraws and returns candidates during the notice with a recorded reason, masks households, shows 已撤回 only', async () => {
    const n = await publish(
      'city_office',
      [app.school_bs!, app.hospital_rm!, app.family_wang!],
      t0,
      earliestNoticeEnd(t0, 5),
      '第二批拟命名对象公示（测试）',
    );
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    const id = n.body.id as number;
    const code = await codeOf(id);
    // the numeric id is no public address
    expect((await call(s, null, 'GET', `/api/public/notices/${id}`)).status).toBe(400);

    let pub = (await call(s, null, 'GET', `/api/public/notices/${code}`)).body;
    expect(pub.code).toBe(code);
    expect(pub).not.toHaveProperty('id');
    expect(pub.open).toBe(true);
    // every candidate by a code of its own, with its objection counts (none yet)
    expect(new Set(pub.items.map((i: { code: string }) => i.code)).size).toBe(3);
    for (const i of pub.items) expect(i.objections).toEqual({ filed: 0, open: 0, upheld: 0, dismissed: 0 });
    const names = pub.items.map((i: { subjectName: string }) => i.subjectName);
    expect(names).toContain('王**家庭');
    expect(names).not.toContain('王建国家庭');
    expect(JSON.stringify(pub)).not.toContain('applicationId');
    expect(pub.items.map((i: { no: number }) => i.no).sort()).toEqual([1, 2, 3]);

    const objection = '经核实群众反映的安全事故属实';
    const wd = await call(s, 'city_office', 'POST', `/api/notices/${id}/items/${app.school_bs}/withdraw`, {
      action: 'withdraw',
      reason: objection,
    });
    expect(wd.status, JSON.stringify(wd.body)).toBe(200);
    expect(wd.body.status).toBe('withdrawn');
    const back = await call(s, 'city_office', 'POST', `/api/notices/${id}/items/${app.hospital_rm}/withdraw`, {
      action: 'return',
      reason: '补充消防验收材料',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.status).toBe('returned');
    // twice is refused; a reason is required
    expect(
      (await call(s, 'city_office', 'POST', `/api/notices/${id}/items/${app.school_bs}/withdraw`, { action: 'withdraw', reason: '再来' }))
        .status,
    ).toBe(409);
    expect(
      (await call(s, 'city_office', 'POST', `/api/notices/${id}/items/${app.family_wang}/withdraw`, { action: 'withdraw', reason: '' }))
        .status,
    ).toBe(400);
    // not on this notice
    expect(
      (
        await call(s, 'city_office', 'POST', `/api/notices/${id}/items/${app.school_nm}/withdraw`, {
          action: 'withdraw',
          reason: '不在名单',
        })
      ).status,
    ).toBe(404);

    const ev = (await events(app.school_bs!)).at(-1)!;
    expect(ev).toMatchObject({ action: 'withdraw', fromStatus: 'in_notice', toStatus: 'withdrawn' });
    expect(ev.reason).toContain(objection);
    expect((await events(app.hospital_rm!)).at(-1)!.reason).toContain('补充消防验收材料');

    const staff = (await call(s, 'city_office', 'GET', `/api/notices/${id}`)).body;
    const bs = staff.items.find((i: { applicationId: number }) => i.applicationId === app.school_bs);
    expect(bs.removedReason).toBe(objection);
    expect(bs.removedAt).toBeTruthy();

    pub = (await call(s, null, 'GET', `/api/public/notices/${code}`)).body;
    expect(pub.items.filter((i: { withdrawn: boolean }) => i.withdrawn)).toHaveLength(2);
    expect(JSON.stringify(pub)).not.toContain(objection);
    expect(JSON.stringify(pub)).not.toContain('补充消防验收材料');
    expect(JSON.stringify(pub)).not.toContain('returned');

    // a running notice cannot be conferred; after it ends, only the names still on it are
    expect((await call(s, 'city_office', 'POST', `/api/notices/${id}/confer`)).status).toBe(422);
    await s.database.db
      .update(publicNotices)
      .set({ startsOn: addDays(t0, -20), endsOn: addDays(t0, -10) })
      .where(eq(publicNotices.id, id));
    expect((await call(s, 'city_office', 'POST', `/api/notices/${id}/withdraw`, { reason: '期满后撤销' })).status).toBe(409);
    const conf = await call(s, 'city_office', 'POST', `/api/notices/${id}/confer`);
    expect(conf.status).toBe(200);
    expect(conf.body.conferred).toEqual([app.family_wang]);
    expect(conf.body.waiting).toEqual([]);
    const t = await s.database.db
      .select()
      .from(titles)
      .where(inArray(titles.applicationId, [app.school_bs!, app.hospital_rm!, app.family_wang!]));
    expect(t.map((x) => x.applicationId)).toEqual([app.family_wang]);
    pub = (await call(s, null, 'GET', `/api/public/notices/${code}`)).body;
    expect(pub.items.filter((i: { conferred: boolean }) => i.conferred)).toHaveLength(1);
  });
});
