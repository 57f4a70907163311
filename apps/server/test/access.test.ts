import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';

/** No account reads or changes what lies outside its region and department, by list or by id. */
describe.each(DB_KINDS)('access on %s', (kind) => {
  let s: TestServer;
  let linjiangApp: { id: number; categoryCode: string };
  let qingshanApp: { id: number };
  let fileId: number;
  beforeAll(async () => {
    s = await getTestServer(kind);
    const all = (await call(s, 'city_office', 'GET', '/api/applications?limit=500')).body.items as { id: number; regionPath: string; subjectName: string; categoryCode: string }[];
    linjiangApp = all.find((a) => a.subjectName === '临江县第二中学')!;
    qingshanApp = all.find((a) => a.subjectName === '青山区东湖中学')!;
    // an evidence file on the Linjiang application
    const d = (await call(s, 'city_office', 'GET', `/api/applications/${all.find((a) => a.subjectName === '青山区桂花幼儿园')!.id}`)).body;
    const mp = multipart('台账.pdf', 'application/pdf', PDF_BYTES, d.standard.groups[0].criteria[0].id);
    const up = await s.app.inject({ method: 'POST', url: `/api/applications/${d.id}/files`, headers: { ...mp.headers, cookie: await s.login('school_guihua') }, payload: mp.payload });
    expect(up.statusCode).toBe(201);
    fileId = up.json().id;
  });
  afterAll(() => s?.close());

  it('a county office sees only its county in lists and dashboard figures', async () => {
    const qs = (await call(s, 'qs_office', 'GET', '/api/applications?limit=500')).body;
    const lj = (await call(s, 'lj_office', 'GET', '/api/applications?limit=500')).body;
    const city = (await call(s, 'city_office', 'GET', '/api/applications?limit=500')).body;
    expect(qs.total + lj.total).toBe(city.total);
    expect(qs.items.some((a: { id: number }) => a.id === linjiangApp.id)).toBe(false);
    const dq = (await call(s, 'qs_office', 'GET', '/api/dashboard')).body;
    const dc = (await call(s, 'city_office', 'GET', '/api/dashboard')).body;
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(dq.applicationsByStatus)).toBe(qs.total);
    expect(sum(dq.applicationsByStatus)).toBeLessThan(sum(dc.applicationsByStatus));
    expect(dq.region.name).toBe('青山区');
  });

  it('another region cannot read, review or file-download by id', async () => {
    expect((await call(s, 'qs_office', 'GET', `/api/applications/${linjiangApp.id}`)).status).toBe(404);
    expect((await call(s, 'lj_edu', 'GET', `/api/applications/${qingshanApp.id}`)).status).toBe(404);
    expect((await call(s, 'lj_edu', 'POST', `/api/applications/${qingshanApp.id}/reviews`, { decision: 'reject', reason: 'x', scores: [] })).status).toBe(404);
    expect((await call(s, 'lj_office', 'GET', `/api/files/${fileId}`)).status).toBe(404);
    expect((await call(s, 'qs_office', 'GET', `/api/files/${fileId}`)).status).toBe(200);
  });

  it('a department sees only its categories', async () => {
    const edu = (await call(s, 'city_edu', 'GET', '/api/applications?limit=500')).body.items as { categoryCode: string; id: number }[];
    expect(edu.length).toBeGreaterThan(0);
    expect(new Set(edu.map((a) => a.categoryCode))).toEqual(new Set(['campus']));
    const hospital = (await call(s, 'city_office', 'GET', '/api/applications?categoryCode=hospital')).body.items[0];
    expect((await call(s, 'city_edu', 'GET', `/api/applications/${hospital.id}`)).status).toBe(404);
    const dash = (await call(s, 'city_edu', 'GET', '/api/dashboard')).body;
    expect(Object.values(dash.applicationsByStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(edu.length);
  });

  it('an applicant sees only its own applications and cannot review', async () => {
    const mine = (await call(s, 'school_dh', 'GET', '/api/applications')).body.items as { subjectName: string }[];
    expect(new Set(mine.map((a) => a.subjectName))).toEqual(new Set(['青山区东湖中学']));
    expect((await call(s, 'school_dh', 'GET', `/api/applications/${linjiangApp.id}`)).status).toBe(404);
    expect((await call(s, 'school_dh', 'GET', `/api/files/${fileId}`)).status).toBe(404);
    // an account that owns no step of an application cannot find it to act on
    expect((await call(s, 'school_dh', 'POST', `/api/applications/${qingshanApp.id}/reviews`, { decision: 'pass', scores: [] })).status).toBe(404);
    expect((await call(s, 'school_dh', 'GET', '/api/dashboard')).status).toBe(403);
  });

  it('an applicant cannot touch another unit’s draft', async () => {
    const draft = (await call(s, 'city_office', 'GET', '/api/applications?status=draft')).body.items[0];
    expect((await call(s, 'school_nm', 'PUT', `/api/applications/${draft.id}/draft`, { revision: 1, form: {}, answers: [] })).status).toBe(404);
    const mp = multipart('x.pdf', 'application/pdf', PDF_BYTES);
    const up = await s.app.inject({ method: 'POST', url: `/api/applications/${draft.id}/files`, headers: { ...mp.headers, cookie: await s.login('school_nm') }, payload: mp.payload });
    expect(up.statusCode).toBe(404);
  });

  it('no session, no data; bad password, Chinese error; logout ends the session', async () => {
    expect((await call(s, null, 'GET', '/api/applications')).status).toBe(401);
    const bad = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city_office', password: 'wrong' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().message).toBe('用户名或密码错误');
    const ok = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'auditor', password: 'Pingan@2026' } });
    const set = ok.cookies.find((c) => c.name === 'pingan_sid')!;
    expect(set.httpOnly).toBe(true);
    expect(set.sameSite).toBe('Strict');
    const cookie = `pingan_sid=${set.value}`;
    expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    // an audit administrator is not case staff
    expect((await s.app.inject({ method: 'GET', url: '/api/applications', headers: { cookie } })).json().total).toBe(0);
    await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
