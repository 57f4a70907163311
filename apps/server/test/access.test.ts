import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as contract from '@pingan/contract';
import type { RouteContract } from '@pingan/contract';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';
import { bodyFor, queryString, uploadBody } from './authz-matrix.js';

/** No account reads or changes what lies outside its region and department, by list or by id. */
describe.each(DB_KINDS)('access on %s', (kind) => {
  let s: TestServer;
  let linjiangApp: { id: number; categoryCode: string };
  let qingshanApp: { id: number };
  let fileId: number;
  beforeAll(async () => {
    s = await getTestServer(kind);
    const all = (await call(s, 'city_office', 'GET', '/api/applications?limit=500')).body.items as {
      id: number;
      regionPath: string;
      subjectName: string;
      categoryCode: string;
    }[];
    linjiangApp = all.find((a) => a.subjectName === '临江县第二中学')!;
    qingshanApp = all.find((a) => a.subjectName === '青山区东湖中学')!;
    // an evidence file on a submitted Qingshan application (a draft's files are its applicant's alone)
    const qingshan = (await call(s, 'qs_office', 'GET', '/api/applications?limit=500')).body.items as { id: number }[];
    for (const a of qingshan) {
      const files = (await call(s, 'qs_office', 'GET', `/api/applications/${a.id}`)).body.files as { id: number }[];
      if (files.length) {
        fileId = files[0]!.id;
        break;
      }
    }
    expect(fileId).toBeGreaterThan(0);
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
    expect(
      (await call(s, 'lj_edu', 'POST', `/api/applications/${qingshanApp.id}/reviews`, { decision: 'reject', reason: 'x', scores: [] }))
        .status,
    ).toBe(404);
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
    expect(
      (await call(s, 'school_dh', 'POST', `/api/applications/${qingshanApp.id}/reviews`, { decision: 'pass', scores: [] })).status,
    ).toBe(404);
    expect((await call(s, 'school_dh', 'GET', '/api/dashboard')).status).toBe(403);
  });

  it('an applicant cannot touch another unit’s draft', async () => {
    const draft = (await call(s, 'school_yuehu', 'GET', '/api/applications?status=draft')).body.items[0];
    expect((await call(s, 'school_nm', 'PUT', `/api/applications/${draft.id}/draft`, { revision: 1, form: {}, answers: [] })).status).toBe(
      404,
    );
    const mp = multipart('x.pdf', 'application/pdf', PDF_BYTES);
    const up = await s.app.inject({
      method: 'POST',
      url: `/api/applications/${draft.id}/files`,
      headers: { ...mp.headers, cookie: await s.login('school_nm') },
      payload: mp.payload,
    });
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
    // an audit administrator does no business work (三员分立): refused, not an empty list
    expect((await s.app.inject({ method: 'GET', url: '/api/applications', headers: { cookie } })).statusCode).toBe(403);
    await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('makes ≥ 2,000 attempts by id at records outside the account’s region or unit, and not one succeeds', async () => {
    const rows = async <T>(text: string) => ((await s.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
    const apps = await rows<{ id: number; region_path: string; subject_id: number }>(
      'select id, region_path, subject_id from applications order by id',
    );
    const owned = async (table: string) =>
      rows<{ id: number; application_id: number }>(`select id, application_id from ${table} order by id`);
    const records: Record<string, { id: number; application_id: number }[]> = {
      application: apps.map((a) => ({ id: a.id, application_id: a.id })),
      file: await owned('evidence_files'),
      signoff: await owned('signoffs'),
      title: await owned('titles'),
    };
    // every office and department below the city, and every applicant: the city sees all, so it cannot stray
    const accounts = await rows<{ username: string; subject_id: number | null; path: string | null }>(
      `select u.username, u.subject_id, r.path from users u left join organisations o on o.id = u.org_id left join regions r on r.id = o.region_id
       where (u.role in ('safety_office', 'lead_department', 'cooperating_department') and r.level <> 'city') or u.role = 'applicant' order by u.username`,
    );
    const byId = new Map(apps.map((a) => [a.id, a]));
    const foreign = (acct: (typeof accounts)[number], applicationId: number) => {
      const a = byId.get(applicationId)!;
      return acct.subject_id !== null ? a.subject_id !== acct.subject_id : !a.region_path.startsWith(acct.path!);
    };
    // every route that takes the id of an application, an evidence file, a 会签 row or a title
    const kindOf = (param: string, prev: string) =>
      prev === 'revisions'
        ? 'no'
        : prev === 'applications' || (prev === 'onsite' && param === 'applicationId')
          ? 'application'
          : prev === 'files'
            ? 'file'
            : prev === 'signoffs'
              ? 'signoff'
              : prev === 'titles'
                ? 'title'
                : null;
    const routes = Object.entries(contract)
      .filter(([name, v]) => name.endsWith('Api') && v && typeof v === 'object')
      .flatMap(([, v]) => Object.values(v as Record<string, RouteContract>))
      .filter((r) => r.auth === 'session' && r.path.includes(':'))
      .map((r) => ({ r, params: [...r.path.matchAll(/\/([^/]+)\/:(\w+)/g)].map((m) => ({ name: m[2]!, kind: kindOf(m[2]!, m[1]!) })) }))
      .filter((x) => x.params.every((p) => p.kind) && x.params.some((p) => p.kind !== 'no'));
    let attempts = 0;
    const successes: string[] = [];
    const answers: Record<number, number> = {};
    for (const acct of accounts) {
      const cookie = await s.login(acct.username);
      for (const { r, params } of routes) {
        const kindOfRecord = params.find((p) => p.kind !== 'no')!.kind!;
        for (const rec of records[kindOfRecord]!.filter((x) => foreign(acct, x.application_id))) {
          let url = r.path;
          for (const p of params) url = url.replace(`:${p.name}`, String(p.kind === 'no' ? 1 : rec.id));
          const refs = { applicationId: rec.application_id, categoryCode: 'campus' };
          const up = r.multipart ? uploadBody(r.id) : null;
          const res = await s.app.inject({
            method: r.method,
            url: url + queryString(r.query, refs),
            headers: { cookie, ...(up?.headers ?? {}) },
            payload: (up?.payload ?? bodyFor(r.body, refs)) as never,
          });
          attempts++;
          answers[res.statusCode] = (answers[res.statusCode] ?? 0) + 1;
          if (res.statusCode < 300 || res.statusCode >= 500) successes.push(`${acct.username} ${r.method} ${url}: ${res.statusCode}`);
        }
      }
    }
    console.log(
      `cross-scope on ${kind}: ${attempts} attempts by ${accounts.length} accounts on ${routes.length} routes at records outside their region or unit; ` +
        `answers ${Object.entries(answers)
          .map(([st, n]) => `${st}×${n}`)
          .join(', ')}; ${successes.length} succeeded`,
    );
    expect(attempts).toBeGreaterThanOrEqual(2000);
    expect(successes).toEqual([]);
    // the attempts grow with the demo world (≈ 9,000 now): a generous bound for a loaded CI machine
  }, 600_000);
});
