import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import * as contract from '@pingan/contract';
import { IMPORT_COLUMNS, IMPORT_MAX_ROWS, type RouteContract } from '@pingan/contract';
import { ROLES } from '@pingan/core';
import { organisations, subjects, users } from '../src/db/schema.js';
import { attachmentProblems } from '../src/access/admin.js';
import { DB_KINDS, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * 三员分立: each administrator's functions work for it and for nobody else, the administrators do no
 * business work, no account holds two roles, and the system administrator cannot raise or lock out
 * itself. Also the all-or-nothing Excel import of accounts.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Req {
  name: string;
  method: Method;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

async function sheet(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('账号');
  ws.addRow([...IMPORT_COLUMNS]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function readSheet(data: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return out;
}

describe.each(DB_KINDS)('三员分立 on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  let nextIp = 1;
  const ip = () => `10.20.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

  beforeAll(async () => {
    s = await getTestServer(kind);
  });
  afterAll(async () => {
    await s?.close();
  });

  async function send(cookie: string | null, r: Omit<Req, 'name'>) {
    const res = await s.app.inject({
      method: r.method,
      url: r.url,
      headers: { 'x-forwarded-for': ip(), ...(cookie ? { cookie } : {}), ...(r.headers ?? {}) },
      payload: r.payload as never,
    });
    let body: any = res.body;
    try {
      body = res.json();
    } catch {
      /* a file */
    }
    return { status: res.statusCode, body, raw: res.rawPayload, type: String(res.headers['content-type'] ?? '') };
  }
  const as = async (user: string, method: Method, url: string, payload?: unknown) => send(await s.login(user), { method, url, payload });
  async function loginWith(username: string, password: string) {
    const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    const set = res.cookies.find((c) => c.name === 'pingan_sid');
    return { status: res.statusCode, body: res.json(), cookie: set ? `pingan_sid=${set.value}` : '' };
  }
  const idOf = async (username: string) => (await db().select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
  const orgId = async (name: string) =>
    (await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, name)))[0]!.id;
  const userCount = async () =>
    Number(
      (
        await db()
          .select({ n: sql<number>`count(*)::int` })
          .from(users)
      )[0]!.n,
    );

  /** counts each administrator's own functions that worked, for the printout */
  const worked: Record<string, number> = { sys_admin: 0, security_admin: 0, audit_admin: 0 };
  const ok = (role: string, status: number, expected: number, body?: unknown) => {
    expect(status, JSON.stringify(body)).toBe(expected);
    worked[role]!++;
  };

  it('sys_admin: lists, creates, updates, resets, disables accounts; a new account must change its one-time password first', async () => {
    const list = await as('sysadmin', 'GET', '/api/admin/users?q=city&limit=5');
    ok('sys_admin', list.status, 200, list.body);
    expect(list.body.total).toBeGreaterThanOrEqual(5);
    expect(list.body.items).toHaveLength(5);
    for (const u of list.body.items) expect(Object.keys(u).join()).not.toMatch(/hash|secret|step/i);
    const applicants = await as('sysadmin', 'GET', '/api/admin/users?role=applicant&disabled=false&limit=500');
    ok('sys_admin', applicants.status, 200);
    expect(applicants.body.items.every((u: { role: string }) => u.role === 'applicant')).toBe(true);
    const byOrg = await as('sysadmin', 'GET', `/api/admin/users?orgId=${await orgId('云州市平安办')}`);
    expect(byOrg.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['city_office', 'expert_sun', 'expert_zhou']);

    // create
    const created = await as('sysadmin', 'POST', '/api/admin/users', {
      username: 'qs_health',
      displayName: '钱卫东',
      role: 'lead_department',
      orgId: await orgId('青山区卫生健康局'),
      email: 'qian@example.cn',
    });
    ok('sys_admin', created.status, 201, created.body);
    const otp: string = created.body.oneTimePassword;
    expect(otp).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    expect(created.body.user).toMatchObject({
      username: 'qs_health',
      role: 'lead_department',
      mustChangePassword: true,
      disabled: false,
      org: { name: '青山区卫生健康局' },
    });
    const id = created.body.user.id as number;
    ok('sys_admin', (await as('sysadmin', 'GET', `/api/admin/users/${id}`)).status, 200);

    // the one-time password logs in, but only the account page works until it is changed
    const first = await loginWith('qs_health', otp);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ok: true, mustChangePassword: true, passwordExpired: false, totpSetupRequired: false });
    const gated = await send(first.cookie, { method: 'GET', url: '/api/applications' });
    expect(gated.status).toBe(403);
    expect(gated.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await send(first.cookie, { method: 'GET', url: '/api/auth/sessions' })).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const me = await send(first.cookie, { method: 'GET', url: '/api/me' });
    expect(me.body).toMatchObject({ mustChangePassword: true, passwordProfile: 'dengbao', totpEnabled: false, totpRequired: false });
    const weak = await send(first.cookie, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: otp, newPassword: 'myqs_healthpw' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('PASSWORD_POLICY');
    expect(weak.body.details.problems).toEqual(['密码须包含大写字母、小写字母、数字、符号中的至少三类', '密码不能包含用户名']);
    expect(
      (
        await send(first.cookie, {
          method: 'POST',
          url: '/api/auth/password',
          payload: { currentPassword: otp, newPassword: 'Qingshan#2027' },
        })
      ).status,
    ).toBe(200);
    expect((await send(first.cookie, { method: 'GET', url: '/api/applications' })).status).toBe(200);
    expect((await send(first.cookie, { method: 'GET', url: '/api/me' })).body.mustChangePassword).toBe(false);

    // update: the name alone keeps the sessions; a role change ends them
    const renamed = await as('sysadmin', 'PUT', `/api/admin/users/${id}`, { displayName: '钱卫东（主任）' });
    ok('sys_admin', renamed.status, 200, renamed.body);
    expect(renamed.body).toMatchObject({ sessionsEnded: 0, user: { displayName: '钱卫东（主任）' } });
    expect((await send(first.cookie, { method: 'GET', url: '/api/me' })).status).toBe(200);
    const moved = await as('sysadmin', 'PUT', `/api/admin/users/${id}`, { role: 'cooperating_department' });
    ok('sys_admin', moved.status, 200, moved.body);
    expect(moved.body.sessionsEnded).toBe(1);
    expect((await send(first.cookie, { method: 'GET', url: '/api/me' })).status).toBe(401);

    // reset: a new one-time password, must change again, sessions end
    const second = await loginWith('qs_health', 'Qingshan#2027');
    const reset = await as('sysadmin', 'POST', `/api/admin/users/${id}/reset-password`);
    ok('sys_admin', reset.status, 200, reset.body);
    expect(reset.body.sessionsEnded).toBe(1);
    expect((await send(second.cookie, { method: 'GET', url: '/api/me' })).status).toBe(401);
    expect((await loginWith('qs_health', 'Qingshan#2027')).status).toBe(401);
    expect((await loginWith('qs_health', reset.body.oneTimePassword)).body.mustChangePassword).toBe(true);
    ok('sys_admin', (await as('sysadmin', 'POST', `/api/admin/users/${id}/reset-totp`)).status, 200);

    // disable: sessions end, logins refused; enable again
    const third = await loginWith('qs_health', reset.body.oneTimePassword);
    const disabled = await as('sysadmin', 'PUT', `/api/admin/users/${id}`, { disabled: true });
    ok('sys_admin', disabled.status, 200, disabled.body);
    expect(disabled.body.sessionsEnded).toBe(1);
    expect((await send(third.cookie, { method: 'GET', url: '/api/me' })).status).toBe(401);
    expect((await loginWith('qs_health', reset.body.oneTimePassword)).status).toBe(401);
    ok('sys_admin', (await as('sysadmin', 'PUT', `/api/admin/users/${id}`, { disabled: false, unlock: true })).status, 200);
    expect((await loginWith('qs_health', reset.body.oneTimePassword)).status).toBe(200);
  });

  it('sys_admin may create the other administrators, each with one role and no organisation; the rules of role and attachment hold', async () => {
    const sec = await as('sysadmin', 'POST', '/api/admin/users', {
      username: 'secadmin2',
      displayName: '安全管理员乙',
      role: 'security_admin',
    });
    ok('sys_admin', sec.status, 201, sec.body);
    const login = await loginWith('secadmin2', sec.body.oneTimePassword);
    await send(login.cookie, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: sec.body.oneTimePassword, newPassword: 'Anquan#Guanli2027' },
    });
    expect((await send(login.cookie, { method: 'GET', url: '/api/admin/policy' })).status).toBe(200);

    const bad = async (body: unknown, status = 400) => {
      const r = await as('sysadmin', 'POST', '/api/admin/users', body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r.body.message as string;
    };
    const office = await orgId('云州市平安办');
    expect(await bad({ username: 'aud2', displayName: '审计乙', role: 'audit_admin', orgId: office })).toContain('不得隶属');
    expect(await bad({ username: 'sys2', displayName: '系统乙', role: 'sys_admin', subjectId: 1 })).toContain('不得隶属');
    expect(await bad({ username: 'app2', displayName: '单位乙', role: 'applicant' })).toContain('须指定申报主体');
    expect(await bad({ username: 'off2', displayName: '办乙', role: 'safety_office', orgId: await orgId('云州市教育局') })).toContain(
      '须属于平安办',
    );
    expect(await bad({ username: 'dep2', displayName: '部门乙', role: 'lead_department' })).toContain('须指定所属组织');
    expect(await bad({ username: 'CITY_OFFICE', displayName: '重名', role: 'safety_office', orgId: office }, 409)).toContain('已存在');
    expect(await bad({ username: 'x', displayName: '短', role: 'safety_office', orgId: office })).toContain('用户名至少3个字符');
    // turning a business account into an administrator keeps no scope behind
    const wang = await idOf('city_women');
    const keepOrg = await as('sysadmin', 'PUT', `/api/admin/users/${wang}`, { role: 'audit_admin' });
    expect(keepOrg.status).toBe(400);
    expect(keepOrg.body.message).toContain('不得隶属');
  });

  it('sys_admin cannot change its own role, disable itself or reset its own password', async () => {
    const me = await idOf('sysadmin');
    for (const body of [{ role: 'security_admin' }, { role: 'safety_office', orgId: 1 }, { disabled: true }]) {
      const r = await as('sysadmin', 'PUT', `/api/admin/users/${me}`, body);
      expect(r.status, JSON.stringify(body)).toBe(403);
    }
    expect((await as('sysadmin', 'POST', `/api/admin/users/${me}/reset-password`)).status).toBe(403);
    expect((await as('sysadmin', 'PUT', `/api/admin/users/${me}`, { displayName: '系统管理员（甲）' })).status).toBe(200);
    const [row] = await db().select().from(users).where(eq(users.id, me));
    expect(row).toMatchObject({ role: 'sys_admin', disabled: false });
  });

  it('sys_admin: organisations, the pickers and the exports', async () => {
    const list = await as('sysadmin', 'GET', '/api/admin/orgs?kind=department&limit=100');
    ok('sys_admin', list.status, 200, list.body);
    expect(list.body.items.every((o: { kind: string }) => o.kind === 'department')).toBe(true);
    const regions = await as('sysadmin', 'GET', '/api/admin/regions');
    ok('sys_admin', regions.status, 200);
    const qingshan = regions.body.find((r: { name: string }) => r.name === '青山区');
    const sub = await as('sysadmin', 'GET', `/api/admin/orgs?regionId=${qingshan.id}`);
    expect(sub.body.items.map((o: { name: string }) => o.name)).toContain('青山区教育局');
    expect(sub.body.items.every((o: { regionPath: string }) => o.regionPath.startsWith(qingshan.path))).toBe(true);

    const made = await as('sysadmin', 'POST', '/api/admin/orgs', {
      name: '青山区商务局',
      kind: 'department',
      regionId: qingshan.id,
      deptCode: 'commerce',
    });
    ok('sys_admin', made.status, 201, made.body);
    expect(made.body).toMatchObject({ name: '青山区商务局', regionName: '青山区', users: 0 });
    const dup = await as('sysadmin', 'POST', '/api/admin/orgs', {
      name: '青山区教育局（重复）',
      kind: 'department',
      regionId: qingshan.id,
      deptCode: 'education',
    });
    expect(dup.status).toBe(409);
    expect(
      (await as('sysadmin', 'POST', '/api/admin/orgs', { name: '某局', kind: 'department', regionId: qingshan.id, deptCode: 'nonsense' }))
        .status,
    ).toBe(400);
    const renamed = await as('sysadmin', 'PUT', `/api/admin/orgs/${made.body.id}`, {
      name: '青山区商务和投资促进局',
      kind: 'department',
      regionId: qingshan.id,
      deptCode: 'commerce',
    });
    ok('sys_admin', renamed.status, 200, renamed.body);
    // an office with its accounts cannot become a department under them
    const office = await orgId('青山区平安办');
    const flip = await as('sysadmin', 'PUT', `/api/admin/orgs/${office}`, {
      name: '青山区平安办',
      kind: 'department',
      regionId: qingshan.id,
      deptCode: 'justice',
    });
    expect(flip.status).toBe(400);

    const xlsx = await as('sysadmin', 'GET', '/api/admin/orgs?format=xlsx');
    ok('sys_admin', xlsx.status, 200);
    expect(xlsx.type).toContain(XLSX);
    const subjects_ = await as('sysadmin', 'GET', '/api/admin/subjects?q=小学');
    ok('sys_admin', subjects_.status, 200);
    expect(subjects_.body.items.length).toBeGreaterThan(0);

    const exp = await as('sysadmin', 'GET', '/api/admin/users/export?role=applicant');
    ok('sys_admin', exp.status, 200);
    const rows = await readSheet(exp.raw);
    expect(rows[0]).toContain('用户名');
    expect(rows[0]!.join()).not.toMatch(/密码$|hash|secret/i);
    const applicants = Number(
      (
        await db()
          .select({ n: sql<number>`count(*)::int` })
          .from(users)
          .where(eq(users.role, 'applicant'))
      )[0]!.n,
    );
    expect(rows).toHaveLength(applicants + 1);
    const text = rows.flat().join('\n');
    expect(text).not.toContain('$argon2');
    expect(text).not.toContain('Pingan@2026');
  });

  it('Excel import: all or nothing, every bad row named with its reasons; then every account made with a one-time password', async () => {
    const tpl = await as('sysadmin', 'GET', '/api/admin/users/import-template');
    ok('sys_admin', tpl.status, 200);
    expect((await readSheet(tpl.raw))[0]).toEqual([...IMPORT_COLUMNS]);

    const edu = await orgId('临江县教育局');
    const office = await orgId('临江县平安办');
    const [subject] = await db().select({ id: subjects.id }).from(subjects).limit(1);
    const upload = async (data: Buffer, user = 'sysadmin') => {
      const m = multipart('accounts.xlsx', XLSX, data);
      return send(await s.login(user), { method: 'POST', url: '/api/admin/users/import', payload: m.payload, headers: m.headers });
    };
    const before = await userCount();
    const bad = await upload(
      await sheet([
        ['lj_edu2', '吴二', '牵头部门', edu, null, null, null],
        ['lj_office', '重名', 'safety_office', office, null, null, null],
        ['lj_x', '', '局长', null, null, 'not-an-email', null],
        ['lj_edu2', '吴三', 'lead_department', edu, null, null, null],
        ['lj_app', '某单位', 'applicant', office, subject!.id, null, null],
        ['lj_aud', '审计丙', 'audit_admin', null, null, null, null],
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('IMPORT_INVALID');
    const problems = bad.body.details.rows as { row: number; reasons: string[] }[];
    expect(problems.map((p) => p.row)).toEqual([3, 4, 5, 6]);
    expect(problems[0]!.reasons).toEqual(['用户名「lj_office」已存在']);
    expect(problems[1]!.reasons.join()).toMatch(/角色「局长」不存在.*姓名：请输入姓名.*邮箱：邮箱格式不正确/);
    expect(problems[2]!.reasons).toEqual(['用户名「lj_edu2」与第2行重复']);
    expect(problems[3]!.reasons).toEqual(['申报单位不能隶属组织']);
    expect(bad.body.message).toContain('第3行');
    expect(await userCount()).toBe(before);

    const good = await upload(
      await sheet([
        ['lj_edu2', '吴二', '牵头部门', edu, null, 'wu@example.cn', '0731-1234567'],
        ['lj_app', '某单位', 'applicant', null, subject!.id, null, null],
        ['lj_aud', '审计丙', 'audit_admin', null, null, null, null],
      ]),
    );
    ok('sys_admin', good.status, 201, good.body);
    expect(good.body.created).toBe(3);
    expect(good.body.accounts.map((a: { row: number; role: string }) => [a.row, a.role])).toEqual([
      [2, 'lead_department'],
      [3, 'applicant'],
      [4, 'audit_admin'],
    ]);
    expect(await userCount()).toBe(before + 3);
    const first = await loginWith('lj_edu2', good.body.accounts[0].oneTimePassword);
    expect(first.body.mustChangePassword).toBe(true);

    // bounds: too many rows, not a workbook, missing columns, and nobody else may import
    const many = await upload(
      await sheet(Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => [`bulk${i}`, `批量${i}`, 'expert', office, null, null, null])),
    );
    expect(many.status).toBe(400);
    expect(many.body.message).toContain(`${IMPORT_MAX_ROWS}`);
    expect((await upload(Buffer.from('not a workbook'))).status).toBe(400);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['用户名', '姓名']);
    const cols = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(cols.body.message).toContain('缺少列');
    expect((await upload(await sheet([['z_1', 'z', 'expert', office, null, null, null]]), 'city_office')).status).toBe(403);
    expect(await userCount()).toBe(before + 3);
  });

  it('security_admin: reads and changes the policy, within bounds, and the change applies at the next login', async () => {
    const got = await as('secadmin', 'GET', '/api/admin/policy');
    ok('security_admin', got.status, 200, got.body);
    expect(got.body.policy).toEqual(got.body.defaults);
    expect(got.body.policy).toMatchObject({
      passwordProfile: 'dengbao',
      lockoutFailures: 5,
      lockoutMinutes: 10,
      idleMinutes: 30,
      sessionHours: 12,
    });
    const policy = { ...got.body.policy, lockoutFailures: 3 };
    const put = await as('secadmin', 'PUT', '/api/admin/policy', policy);
    ok('security_admin', put.status, 200, put.body);
    expect(put.body).toMatchObject({ policy: { lockoutFailures: 3 }, updatedBy: 'secadmin' });
    for (let i = 0; i < 2; i++) expect((await loginWith('gh_community', `wrong-${i}`)).body.code).toBe('BAD_CREDENTIALS');
    expect((await loginWith('gh_community', 'wrong-3')).body.code).toBe('ACCOUNT_LOCKED');
    await db().update(users).set({ lockedUntil: null, failedLogins: 0 }).where(eq(users.username, 'gh_community'));

    for (const [field, value] of [
      ['lockoutFailures', 2],
      ['lockoutFailures', 21],
      ['lockoutMinutes', 0],
      ['idleMinutes', 241],
      ['sessionHours', 73],
      ['sessionHours', 1.5],
      ['passwordProfile', 'nist'],
    ] as const) {
      const r = await as('secadmin', 'PUT', '/api/admin/policy', { ...policy, [field]: value });
      expect(r.status, `${field}=${value}`).toBe(400);
    }
    expect((await as('secadmin', 'PUT', '/api/admin/policy', got.body.defaults)).status).toBe(200);
    worked.security_admin!++;
  });

  it('audit_admin: reads the audit trail', async () => {
    const r = await as('auditor', 'GET', '/api/audit?limit=5');
    ok('audit_admin', r.status, 200, r.body);
    const e = await as('auditor', 'GET', '/api/audit/export');
    ok('audit_admin', e.status, 200);
    const v = await as('auditor', 'POST', '/api/audit/verify');
    ok('audit_admin', v.status, 200, v.body);
  });

  it('0 cross-role successes: administrators × the others’ routes and business routes, business roles × administration', async () => {
    const victim = await idOf('city_police');
    const anOrg = await orgId('云州市公安局');
    const xlsx = multipart('a.xlsx', XLSX, await sheet([['cross_1', '越权', 'expert', anOrg, null, null, null]]));
    const policy = (await as('secadmin', 'GET', '/api/admin/policy')).body.policy;
    // requests that would succeed for their own administrator
    const own: Record<'sys_admin' | 'security_admin' | 'audit_admin', Req[]> = {
      sys_admin: [
        { name: 'listUsers', method: 'GET', url: '/api/admin/users' },
        { name: 'getUser', method: 'GET', url: `/api/admin/users/${victim}` },
        { name: 'exportUsers', method: 'GET', url: '/api/admin/users/export' },
        { name: 'template', method: 'GET', url: '/api/admin/users/import-template' },
        { name: 'import', method: 'POST', url: '/api/admin/users/import', payload: xlsx.payload, headers: xlsx.headers },
        {
          name: 'createUser',
          method: 'POST',
          url: '/api/admin/users',
          payload: { username: 'cross_2', displayName: '越权', role: 'sys_admin' },
        },
        { name: 'updateUser', method: 'PUT', url: `/api/admin/users/${victim}`, payload: { disabled: true } },
        { name: 'reset', method: 'POST', url: `/api/admin/users/${victim}/reset-password` },
        { name: 'resetTotp', method: 'POST', url: `/api/admin/users/${victim}/reset-totp` },
        { name: 'listOrgs', method: 'GET', url: '/api/admin/orgs' },
        {
          name: 'createOrg',
          method: 'POST',
          url: '/api/admin/orgs',
          payload: { name: '越权局', kind: 'department', regionId: 1, deptCode: 'justice' },
        },
        {
          name: 'updateOrg',
          method: 'PUT',
          url: `/api/admin/orgs/${anOrg}`,
          payload: { name: '越权', kind: 'department', regionId: 1, deptCode: 'police' },
        },
        { name: 'regions', method: 'GET', url: '/api/admin/regions' },
        { name: 'subjects', method: 'GET', url: '/api/admin/subjects' },
      ],
      security_admin: [
        { name: 'getPolicy', method: 'GET', url: '/api/admin/policy' },
        { name: 'putPolicy', method: 'PUT', url: '/api/admin/policy', payload: { ...policy, lockoutFailures: 20 } },
      ],
      audit_admin: [
        { name: 'listAudit', method: 'GET', url: '/api/audit' },
        { name: 'exportAudit', method: 'GET', url: '/api/audit/export' },
        { name: 'verifyAudit', method: 'POST', url: '/api/audit/verify' },
        { name: 'purgeAudit', method: 'POST', url: '/api/audit/purge', payload: { before: '2000-01-01' } },
      ],
    };
    const adminOf = { sys_admin: 'sysadmin', security_admin: 'secadmin', audit_admin: 'auditor' } as const;
    // every business route with a session that needs no query: what a scope of nothing must refuse
    const skip = new Set(['authApi', 'adminApi', 'auditApi', 'notificationsApi']);
    const business: Req[] = [];
    for (const [group, api] of Object.entries(contract)) {
      if (!group.endsWith('Api') || skip.has(group) || !api || typeof api !== 'object') continue;
      for (const c of Object.values(api as Record<string, RouteContract>)) {
        if (!c || typeof c !== 'object' || c.auth !== 'session' || c.multipart) continue;
        if (c.query && !c.query.safeParse({}).success) continue;
        if (c.body && !c.body.safeParse({}).success) continue;
        business.push({ name: c.id, method: c.method, url: c.path.replace(/:\w+/g, '1'), ...(c.body ? { payload: {} } : {}) });
      }
    }
    business.push({
      name: 'createApplication',
      method: 'POST',
      url: '/api/applications',
      payload: { campaignId: 1, categoryCode: 'campus' },
    });
    expect(business.length).toBeGreaterThan(40);

    const tally = { attempts: 0, successes: 0, byStatus: {} as Record<number, number> };
    const failures: string[] = [];
    const attempt = async (user: string, r: Req) => {
      const res = await send(await s.login(user), r);
      tally.attempts++;
      tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
      if (res.status < 400 || ![403, 404].includes(res.status)) {
        tally.successes += res.status < 400 ? 1 : 0;
        failures.push(`${user} ${r.method} ${r.url} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    };
    const roles = Object.keys(own) as (keyof typeof own)[];
    let adminCross = 0;
    for (const role of roles)
      for (const other of roles.filter((r) => r !== role))
        for (const r of own[other]) {
          await attempt(adminOf[role], r);
          adminCross++;
        }
    let adminBusiness = 0;
    for (const role of roles)
      for (const r of business) {
        await attempt(adminOf[role], r);
        adminBusiness++;
      }
    let businessAdmin = 0;
    for (const user of ['city_office', 'city_edu', 'city_police', 'expert_zhou', 'school_nm', 'family_wang'])
      for (const r of roles.flatMap((role) => own[role])) {
        await attempt(user, r);
        businessAdmin++;
      }
    expect(failures).toEqual([]);
    expect(tally.successes).toBe(0);
    // nothing changed underneath
    const [v] = await db().select().from(users).where(eq(users.id, victim));
    expect(v).toMatchObject({ disabled: false, mustChangePassword: false });
    expect(
      (
        await db()
          .select()
          .from(users)
          .where(sql`${users.username} like 'cross_%'`)
      ).length,
    ).toBe(0);
    expect((await as('secadmin', 'GET', '/api/admin/policy')).body.policy.lockoutFailures).toBe(policy.lockoutFailures);

    // and each administrator's own requests do work for it (the same list, run by its owner; the destructive ones last)
    for (const role of roles)
      for (const r of own[role].filter(
        (q) =>
          !['purgeAudit', 'import', 'createUser', 'createOrg', 'updateOrg', 'updateUser', 'reset', 'resetTotp', 'putPolicy'].includes(
            q.name,
          ),
      )) {
        const res = await send(await s.login(adminOf[role]), r);
        ok(role, res.status, 200, res.body);
      }

    console.log(
      `[三员 ${kind}] own functions that worked: sys_admin ${worked.sys_admin}, security_admin ${worked.security_admin}, audit_admin ${worked.audit_admin}; ` +
        `cross-role attempts ${tally.attempts} (admin × other admins ${adminCross}, admin × business ${adminBusiness} over ${business.length} routes, business × admin ${businessAdmin}), ` +
        `successes ${tally.successes}, answers ${JSON.stringify(tally.byStatus)}`,
    );
  });

  it('no account holds two roles; administrators have no scope, every other account the attachment its role needs', async () => {
    const all = await db().select().from(users);
    const orgKinds = new Map((await db().select().from(organisations)).map((o) => [o.id, { kind: o.kind }]));
    const byName = new Map<string, number>();
    for (const u of all) byName.set(u.username.toLowerCase(), (byName.get(u.username.toLowerCase()) ?? 0) + 1);
    expect([...byName.values()].every((n) => n === 1)).toBe(true);
    const wrong = all.filter(
      (u) =>
        !ROLES.includes(u.role) || attachmentProblems(u.role, u.orgId, u.subjectId, u.orgId ? orgKinds.get(u.orgId)! : null).length > 0,
    );
    expect(wrong.map((u) => u.username)).toEqual([]);
    const admins = all.filter((u) => ['sys_admin', 'security_admin', 'audit_admin'].includes(u.role));
    expect(admins.every((u) => u.orgId === null && u.subjectId === null)).toBe(true);
    console.log(
      `[三员 ${kind}] accounts ${all.length}, each with exactly 1 role; administrators ${admins.length}, with an organisation or subject 0`,
    );
  });
});
