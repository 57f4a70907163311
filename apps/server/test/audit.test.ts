import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { asc, count, eq, gt, sql } from 'drizzle-orm';
import { addDays, earliestNoticeEnd } from '@pingan/core';
import { AUDIT_EXPORT_MAX } from '@pingan/contract';
import { auditLog, publicNotices, users } from '../src/db/schema.js';
import { REPO_ROOT, loadConfig } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/client.js';
import { hmac, loadKeys, type Keys } from '../src/crypto/keys.js';
import { sqlState } from '../src/http/failures.js';
import { flushAuditWrites } from '../src/http/audit-hook.js';
import { GENESIS, PURGE_ACTION, canonical, recordAudit, verifyAudit } from '../src/modules/audit/service.js';
import { auditVerifyCommand } from '../src/cli/admin/audit-verify.js';
import { buildApp } from '../src/app.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { today } from '../src/modules/applications/service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo/accounts.js';
import { DB_KINDS, PDF_BYTES, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * 审计日志: every state-changing request and every file answer leaves a row (who, when, from where,
 * what, on what, with what result), the trail refuses UPDATE and DELETE even to the application's
 * own connection, tampering is found by the HMAC chain down to the row, a purge keeps what the
 * retention period protects and leaves a chain that still verifies, and only the audit
 * administrator sees, exports, checks or purges it.
 */

const UA = 'Mozilla/5.0 (audit-test; vitest) PinganAudit/1.0';
type Row = typeof auditLog.$inferSelect;
const figures = { rowsChecked: 0, eventTypes: new Set<string>(), kinds: [] as string[] };

/** A request with a user agent and, when given, a session cookie. */
async function req(
  s: { app: TestServer['app'] },
  cookie: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await s.app.inject({
    method,
    url,
    headers: { 'user-agent': UA, ...(cookie ? { cookie } : {}), ...headers },
    payload: payload as never,
  });
  let body: any = res.body;
  try {
    body = res.json();
  } catch {
    /* a file */
  }
  return {
    status: res.statusCode,
    body,
    raw: res.rawPayload,
    headers: res.headers,
    cookie: res.cookies.find((c) => c.name === 'pingan_sid'),
  };
}

/** Logs in with a user agent; returns the cookie header. */
async function loginAs(s: TestServer, username: string, password = DEMO_PASSWORD): Promise<string> {
  const r = await req(s, null, 'POST', '/api/auth/login', { username, password });
  expect(r.status, `${username}: ${JSON.stringify(r.body)}`).toBe(200);
  return `pingan_sid=${r.cookie!.value}`;
}

const lastId = async (db: Db) =>
  Number((await db.select({ n: sql<number>`coalesce(max(${auditLog.id}), 0)::float8` }).from(auditLog))[0]!.n);
const rowsAfter = async (db: Db, id: number) => db.select().from(auditLog).where(gt(auditLog.id, id)).orderBy(asc(auditLog.id));

/** Runs `fn` and returns the rows it left in the trail, once the writes after the answers are done. */
async function trailOf(db: Db, fn: () => Promise<unknown>): Promise<Row[]> {
  await flushAuditWrites();
  const before = await lastId(db);
  await fn();
  await flushAuditWrites();
  return rowsAfter(db, before);
}

const userId = async (db: Db, username: string) =>
  (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

/** Expects one row of `rows` with this action and these columns, each with a time, an address and the user agent. */
function expectRow(rows: Row[], want: Partial<Row> & { action: string }, detail: Record<string, unknown> = {}): Row {
  const hit = rows.find(
    (r) => Object.entries(want).every(([k, v]) => r[k as keyof Row] === v) && Object.entries(detail).every(([k, v]) => r.detail?.[k] === v),
  );
  expect(
    hit,
    `${JSON.stringify(want)} ${JSON.stringify(detail)} among ${JSON.stringify(rows.map((r) => [r.action, r.username, r.result, r.objectType, r.objectId, r.detail]))}`,
  ).toBeTruthy();
  const r = hit!;
  expect(Math.abs(r.at.getTime() - Date.now())).toBeLessThan(5 * 60_000);
  expect(r.ip).toBe('127.0.0.1');
  expect(r.userAgent).toBe(UA);
  figures.eventTypes.add(want.action + (r.result !== 'ok' ? `:${r.result}` : ''));
  return r;
}

/** Any error's SQLSTATE, from a promise expected to fail. */
async function refusal(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
  } catch (e) {
    return sqlState(e) ?? 'error';
  }
  return null;
}

/** Appends a row as recordAudit does, but at a chosen time: the past the purge tests need. */
async function appendAt(db: Db, keys: Keys, at: Date, action: string): Promise<Row> {
  const [last] = await db
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(sql`${auditLog.id} desc`)
    .limit(1);
  const idRes = (await db.execute(sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::float8 as id`)) as unknown as {
    rows: { id: number }[];
  };
  const row = {
    id: Number(idRes.rows[0]!.id),
    at,
    userId: null,
    username: 'old_account',
    role: 'safety_office',
    ip: '10.0.0.1',
    userAgent: 'old',
    action,
    objectType: 'applications',
    objectId: '1',
    result: 'ok' as const,
    detail: { status: 200 },
    prevHash: last?.hash ?? GENESIS,
  };
  const hash = hmac(keys, canonical(row));
  await db.execute(sql`insert into audit_log (id, at, user_id, username, role, ip, user_agent, action, object_type, object_id, result, detail, prev_hash, hash)
    overriding system value values (${row.id}, ${at.toISOString()}, null, ${row.username}, ${row.role}, ${row.ip}, ${row.userAgent}, ${action}, ${row.objectType}, ${row.objectId}, 'ok', ${JSON.stringify(row.detail)}::jsonb, ${row.prevHash}, ${hash})`);
  return { ...row, hash };
}

/** As the superuser: the trigger off, one statement, the trigger on. */
async function bypassTrigger(db: Db, statement: ReturnType<typeof sql>) {
  await db.execute(sql`alter table audit_log disable trigger user`);
  try {
    await db.execute(statement);
  } finally {
    await db.execute(sql`alter table audit_log enable trigger user`);
  }
}

const keysOf = (s: TestServer) => loadKeys(loadConfig({}, { DATA_DIR: path.dirname(s.filesDir) }));

describe.each(DB_KINDS)('audit trail on %s', (kind) => {
  let s: TestServer;
  let db: Db;
  let keys: Keys;
  beforeAll(async () => {
    s = await getTestServer(kind, { config: { LOCKOUT_FAILURES: 3 } });
    db = s.database.db;
    keys = keysOf(s);
  });
  afterAll(async () => {
    await flushAuditWrites();
    await s?.close();
  });

  it('records logins, failures, the lockout, logout and a password change with account, address and user agent', async () => {
    let rows = await trailOf(db, () => loginAs(s, 'school_nm'));
    expectRow(
      rows,
      {
        action: 'login',
        result: 'ok',
        username: 'school_nm',
        userId: await userId(db, 'school_nm'),
        role: 'applicant',
        objectType: 'auth',
      },
      { status: 200 },
    );

    rows = await trailOf(db, () => req(s, null, 'POST', '/api/auth/login', { username: 'city_edu', password: 'wrong-password' }));
    const failed = expectRow(
      rows,
      { action: 'login', result: 'denied', username: 'city_edu', userId: null },
      { status: 401, code: 'BAD_CREDENTIALS' },
    );
    expect(JSON.stringify(failed.detail)).not.toContain('wrong-password');

    // wrong passwords until the account locks (the policy may ask for more than the configured 3)
    rows = await trailOf(db, async () => {
      for (let i = 0; i < 12; i++) {
        const r = await req(s, null, 'POST', '/api/auth/login', { username: 'expert_sun', password: `wrong-${i}` });
        if (r.body.code === 'ACCOUNT_LOCKED') break;
      }
      // locked: even the right password is refused, and the trail says why
      await req(s, null, 'POST', '/api/auth/login', { username: 'expert_sun', password: DEMO_PASSWORD });
    });
    const locked = rows.filter((r) => r.detail?.code === 'ACCOUNT_LOCKED');
    expect(locked.length).toBeGreaterThanOrEqual(2);
    expectRow(locked, { action: 'login', result: 'denied', username: 'expert_sun', userId: null }, { code: 'ACCOUNT_LOCKED' });

    const police = await loginAs(s, 'city_police');
    rows = await trailOf(db, () => req(s, police, 'POST', '/api/auth/logout'));
    expectRow(rows, { action: 'logout', result: 'ok', username: 'city_police', userId: await userId(db, 'city_police') });

    const hospital = await loginAs(s, 'hospital_rm');
    rows = await trailOf(db, async () => {
      const r = await req(s, hospital, 'POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Qz7#mLp2!wRz9vK' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    });
    const changed = expectRow(rows, { action: 'changePassword', result: 'ok', username: 'hospital_rm', objectType: 'auth' });
    expect(JSON.stringify(changed)).not.toContain('Qz7#mLp2');
    rows = await trailOf(db, () =>
      req(s, hospital, 'POST', '/api/auth/password', { currentPassword: 'not-it', newPassword: 'Another#Pass2026' }),
    );
    expectRow(rows, { action: 'changePassword', result: 'failed', username: 'hospital_rm' }, { status: 422, code: 'WRONG_PASSWORD' });
  });

  it('records a title’s life: draft, evidence in and out, submission, reviews, notice, conferral, an export and downloads', async () => {
    const office = await loginAs(s, 'city_office');
    const school = await loginAs(s, 'school_nm');
    const edu = await loginAs(s, 'city_edu');
    const standards = (await req(s, office, 'GET', '/api/standards')).body as { code: string; versions: { id: number }[] }[];
    const campus = standards.find((x) => x.code === 'datuopu-2020-campus')!;
    const year = Number(today().slice(0, 4));
    let campaignId = 0;
    let rows = await trailOf(db, async () => {
      const created = await req(s, office, 'POST', '/api/campaigns', {
        name: `云州市${year}年审计测试活动`,
        year,
        applyDeadline: `${year}-12-31`,
        reviewDeadline: `${year}-12-31`,
        phases: [{ key: 'apply', name: '推荐申报', start: `${year}-01-01`, end: `${year}-12-31` }],
        categories: [{ standardVersionId: campus.versions[0]!.id, quota: 5 }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      campaignId = created.body.id;
    });
    expectRow(rows, { action: 'createCampaign', result: 'ok', username: 'city_office', objectType: 'campaigns' });

    let id = 0;
    rows = await trailOf(db, async () => {
      const r = await req(s, school, 'POST', '/api/applications', { campaignId, categoryCode: 'campus' });
      expect(r.status).toBe(201);
      id = r.body.id;
    });
    expectRow(rows, { action: 'createApplication', result: 'ok', username: 'school_nm' });
    let detail = (await req(s, school, 'GET', `/api/applications/${id}`)).body;
    const criteria = detail.standard.groups.flatMap((g: { criteria: unknown[] }) => g.criteria) as {
      id: string;
      points: number;
      evidenceRequired: boolean;
      measures: { id: string; kind: string; min?: number; comparator?: string }[];
    }[];
    const answers = criteria.map((c) => ({
      criterionId: c.id,
      statement: `第${c.id}项：已落实。`,
      figures: Object.fromEntries(
        c.measures.map((m) => [
          m.id,
          m.kind === 'distance'
            ? { value: 500 }
            : m.kind === 'threshold'
              ? { value: m.comparator?.startsWith('>') ? 95 : 0 }
              : m.kind === 'range'
                ? { value: m.min }
                : m.kind === 'change'
                  ? { value: 5, previous: 10 }
                  : { value: 4 },
        ]),
      ),
    }));
    rows = await trailOf(db, async () => {
      const r = await req(s, school, 'PUT', `/api/applications/${id}/draft`, {
        revision: detail.revision,
        form: { content: '申报平安校园', plan: '一、健全组织', contactName: '何校长', contactPhone: '0731-88886666' },
        answers,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    });
    const draft = expectRow(rows, {
      action: 'saveDraft',
      result: 'ok',
      username: 'school_nm',
      objectType: 'applications',
      objectId: String(id),
    });
    // the body (the phone number, the statements) never reaches the trail
    expect(JSON.stringify(draft)).not.toMatch(/88886666|已落实|何校长/);
    // a bad body is refused before the handler runs: the trail still names the account
    rows = await trailOf(db, () => req(s, school, 'PUT', `/api/applications/${id}/draft`, { revision: 'x' }));
    expectRow(
      rows,
      { action: 'saveDraft', result: 'failed', username: 'school_nm', objectId: String(id) },
      { status: 400, code: 'VALIDATION' },
    );

    const upload = async (c: string, name: string) => {
      const mp = multipart(name, 'application/pdf', PDF_BYTES, c);
      const r = await req(s, school, 'POST', `/api/applications/${id}/files`, mp.payload, mp.headers);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as number;
    };
    let fileId = 0;
    rows = await trailOf(db, async () => {
      for (const c of criteria.filter((x) => x.evidenceRequired)) fileId = await upload(c.id, `第${c.id}项台账.pdf`);
    });
    expectRow(
      rows,
      { action: 'uploadEvidence', result: 'ok', username: 'school_nm', objectType: 'evidence', objectId: String(id) },
      { status: 201 },
    );
    const spare = await upload(criteria[0]!.id, '多余的文件.pdf');
    rows = await trailOf(db, async () => expect((await req(s, school, 'DELETE', `/api/files/${spare}`)).status).toBe(200));
    expectRow(rows, { action: 'deleteEvidence', result: 'ok', username: 'school_nm', objectType: 'evidence', objectId: String(spare) });

    rows = await trailOf(db, async () => {
      const r = await req(s, school, 'POST', `/api/applications/${id}/submit`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    });
    expectRow(rows, { action: 'submitApplication', result: 'ok', username: 'school_nm', objectId: String(id) });

    const scores = criteria.map((c) => ({ criterionId: c.id, score: c.points, met: true, comment: '符合' }));
    rows = await trailOf(db, async () => {
      expect((await req(s, edu, 'POST', `/api/applications/${id}/reviews`, { decision: 'pass', comment: '初评通过', scores })).status).toBe(
        200,
      );
      expect(
        (await req(s, office, 'POST', `/api/applications/${id}/reviews`, { decision: 'pass', comment: '综合评定通过', scores })).status,
      ).toBe(200);
    });
    expectRow(rows, { action: 'reviewApplication', result: 'ok', username: 'city_edu', role: 'lead_department', objectId: String(id) });
    expectRow(rows, { action: 'reviewApplication', result: 'ok', username: 'city_office', objectId: String(id) });

    const t = today();
    let noticeId = 0;
    rows = await trailOf(db, async () => {
      const r = await req(s, office, 'POST', '/api/notices', {
        campaignId,
        title: '平安校园拟命名单位公示',
        startsOn: t,
        endsOn: earliestNoticeEnd(t, 5),
        applicationIds: [id],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      noticeId = r.body.id;
    });
    expectRow(rows, { action: 'publishNotice', result: 'ok', username: 'city_office', objectType: 'notices' });
    // still running: refused, and the refusal is in the trail with its code
    rows = await trailOf(db, () => req(s, office, 'POST', `/api/notices/${noticeId}/confer`));
    expectRow(rows, { action: 'conferNotice', result: 'failed', objectId: String(noticeId) }, { status: 422, code: 'NOTICE_NOT_ENDED' });
    await db
      .update(publicNotices)
      .set({ startsOn: addDays(t, -10), endsOn: addDays(t, -3) })
      .where(eq(publicNotices.id, noticeId));
    rows = await trailOf(db, async () => expect((await req(s, office, 'POST', `/api/notices/${noticeId}/confer`)).status).toBe(200));
    expectRow(rows, { action: 'conferNotice', result: 'ok', username: 'city_office', objectType: 'notices', objectId: String(noticeId) });

    // an Excel export is recorded; the same list as JSON is a read and is not
    rows = await trailOf(db, async () => {
      const x = await req(s, office, 'GET', `/api/campaigns/${campaignId}/quotas?format=xlsx`);
      expect(x.status).toBe(200);
      expect(x.headers['content-type']).toContain('spreadsheetml');
    });
    expectRow(
      rows,
      { action: 'getQuotas', result: 'ok', username: 'city_office', objectType: 'quotas', objectId: String(campaignId) },
      { kind: 'export' },
    );
    expect(await trailOf(db, () => req(s, office, 'GET', `/api/campaigns/${campaignId}/quotas`))).toEqual([]);
    rows = await trailOf(db, () => req(s, office, 'GET', `/api/standard-versions/${campus.versions[0]!.id}/export?format=yaml`));
    expectRow(rows, { action: 'exportStandardVersion', result: 'ok', objectType: 'standards' }, { kind: 'export' });

    rows = await trailOf(db, async () => {
      const f = await req(s, school, 'GET', `/api/files/${fileId}`);
      expect(f.status).toBe(200);
      // another school may not have it: 404, recorded as denied
      const other = await loginAs(s, 'school_dh');
      expect((await req(s, other, 'GET', `/api/files/${fileId}`)).status).toBe(404);
    });
    expectRow(
      rows,
      { action: 'downloadEvidence', result: 'ok', username: 'school_nm', objectType: 'evidence', objectId: String(fileId) },
      { kind: 'download' },
    );
    expectRow(
      rows,
      { action: 'downloadEvidence', result: 'denied', username: 'school_dh', objectId: String(fileId) },
      { status: 404, code: 'NOT_FOUND' },
    );

    detail = (await req(s, school, 'GET', `/api/applications/${id}`)).body;
    rows = await trailOf(db, async () => {
      const pdf = await req(s, school, 'GET', `/api/titles/${detail.title.id}/certificate.pdf`);
      expect(pdf.status).toBe(200);
    });
    expectRow(
      rows,
      { action: 'downloadCertificate', result: 'ok', username: 'school_nm', objectType: 'titles', objectId: String(detail.title.id) },
      { kind: 'download' },
    );

    // a path no route answers is recorded too, with the path it tried
    rows = await trailOf(db, () => req(s, school, 'POST', '/api/no-such-thing?x=1', {}));
    const probe = expectRow(
      rows,
      { action: 'unmatchedRoute', result: 'denied', username: 'school_nm' },
      { status: 404, method: 'POST', path: '/api/no-such-thing' },
    );
    expect(probe.objectType).toBeNull();
  });

  it('gives the trail to the audit administrator only: pages, filters, an .xlsx, the check; looking is recorded', async () => {
    const auditor = await loginAs(s, 'auditor');
    await flushAuditWrites();
    const inTrail = Number((await db.select({ n: count() }).from(auditLog))[0]!.n);
    let rows = await trailOf(db, async () => {
      const page1 = await req(s, auditor, 'GET', '/api/audit?limit=5');
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(5);
      const ids = page1.body.items.map((i: { id: number }) => i.id);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
      expect(page1.body.total).toBe(inTrail);
      expect(page1.body.untilId).toBe(ids[0]);
      await flushAuditWrites();
      // looking added a row; pinned to untilId the next page follows on exactly
      const page2 = await req(s, auditor, 'GET', `/api/audit?limit=5&offset=5&untilId=${page1.body.untilId}`);
      expect(page2.body.total).toBe(page1.body.total);
      const all = await req(s, auditor, 'GET', `/api/audit?limit=10&untilId=${page1.body.untilId}`);
      expect([...ids, ...page2.body.items.map((i: { id: number }) => i.id)]).toEqual(all.body.items.map((i: { id: number }) => i.id));
    });
    expectRow(rows, { action: 'listAudit', result: 'ok', username: 'auditor', role: 'audit_admin', objectType: 'audit' });

    const failedLogins = await req(s, auditor, 'GET', '/api/audit?action=login&result=denied&limit=500');
    expect(failedLogins.body.items.length).toBeGreaterThanOrEqual(3);
    expect(failedLogins.body.items.every((i: { action: string; result: string }) => i.action === 'login' && i.result === 'denied')).toBe(
      true,
    );
    expect(failedLogins.body.items.map((i: { detail: { code?: string } }) => i.detail.code)).toContain('ACCOUNT_LOCKED');
    const mine = await req(
      s,
      auditor,
      'GET',
      `/api/audit?username=SCHOOL_N&from=${today()}&to=${today()}&objectType=applications&limit=500`,
    );
    expect(mine.body.total).toBeGreaterThan(3);
    expect(
      mine.body.items.every((i: { username: string; objectType: string }) => i.username === 'school_nm' && i.objectType === 'applications'),
    ).toBe(true);
    expect((await req(s, auditor, 'GET', `/api/audit?to=${addDays(today(), -2)}`)).body.total).toBe(0);
    expect((await req(s, auditor, 'GET', '/api/audit?from=2026-02-30')).status).toBe(400);
    expect((await req(s, auditor, 'GET', '/api/audit?result=maybe')).status).toBe(400);

    let xlsxRows = 0;
    rows = await trailOf(db, async () => {
      const x = await req(s, auditor, 'GET', '/api/audit/export?action=login');
      expect(x.status).toBe(200);
      expect(x.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.raw as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('审计日志')!;
      expect(ws.getRow(1).getCell(2).value).toBe('时间（北京时间）');
      xlsxRows = ws.rowCount - 1;
      const total = (await req(s, auditor, 'GET', '/api/audit?action=login&limit=1')).body.total;
      expect(xlsxRows).toBe(Math.min(total, AUDIT_EXPORT_MAX));
      expect(String(ws.getRow(2).getCell(2).value)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00$/);
      expect(ws.getRow(2).getCell(7).value).toBe('登录');
      expect(String(wb.getWorksheet('说明')!.getRow(5).getCell(2).value)).toContain(`全部 ${xlsxRows} 条`);
    });
    expectRow(rows, { action: 'exportAudit', result: 'ok', username: 'auditor' }, { kind: 'export' });

    rows = await trailOf(db, async () => {
      const v = await req(s, auditor, 'POST', '/api/audit/verify');
      expect(v.status).toBe(200);
      expect(v.body.firstBroken).toBeNull();
      expect(v.body.rows).toBeGreaterThan(40);
      figures.rowsChecked = Math.max(figures.rowsChecked, v.body.rows);
    });
    expectRow(rows, { action: 'verifyAudit', result: 'ok', username: 'auditor' });

    // everyone else is refused, and each refusal is a row
    const others = [
      'sysadmin',
      'city_office',
      'school_nm',
      ...DEMO_ACCOUNTS.filter((a) => (a.role as string) === 'security_admin').map((a) => a.username),
    ];
    for (const name of others) {
      const cookie = await loginAs(s, name);
      rows = await trailOf(db, async () => {
        expect((await req(s, cookie, 'GET', '/api/audit')).status, name).toBe(403);
        expect((await req(s, cookie, 'GET', '/api/audit/export')).status, name).toBe(403);
        expect((await req(s, cookie, 'POST', '/api/audit/verify')).status, name).toBe(403);
        expect((await req(s, cookie, 'POST', '/api/audit/purge', { before: '2030-01-01' })).status, name).toBe(403);
      });
      for (const action of ['listAudit', 'exportAudit', 'verifyAudit', 'purgeAudit'])
        expectRow(rows, { action, result: 'denied', username: name }, { status: 403, code: 'FORBIDDEN' });
    }
    expect((await req(s, null, 'GET', '/api/audit')).status).toBe(401);
    figures.kinds.push(kind);
  });

  it('refuses UPDATE and DELETE, to the application and to a plain role; a changed row is named by the check', async () => {
    await flushAuditWrites();
    const before = await verifyAudit(db, keys);
    expect(before.firstBroken).toBeNull();
    const [victim] = await db.select().from(auditLog).where(eq(auditLog.action, 'saveDraft')).limit(1);
    expect(victim).toBeTruthy();

    // the application's own connection
    expect(await refusal(db.execute(sql`update audit_log set action = 'nothing' where id = ${victim!.id}`))).toBe('42501');
    expect(await refusal(db.execute(sql`delete from audit_log where id = ${victim!.id}`))).toBe('42501');
    expect(await refusal(db.execute(sql`truncate audit_log`))).toBe('42501');
    // the purge switch does not open young rows
    expect(
      await refusal(
        db.transaction(async (tx) => {
          await tx.execute(sql`set local pingan.audit_purge = 'on'`);
          await tx.execute(sql`delete from audit_log where id = ${victim!.id}`);
        }),
      ),
    ).toBe('42501');

    if (kind === 'postgres') {
      // a role that is not the superuser, as a deployment's application account would be
      const role = `pingan_app_${randomBytes(4).toString('hex')}`;
      const password = randomBytes(12).toString('hex');
      const dbName = ((await db.execute(sql`select current_database() as d`)) as unknown as { rows: { d: string }[] }).rows[0]!.d;
      await db.execute(sql.raw(`create role ${role} login password '${password}'`));
      try {
        await db.execute(
          sql.raw(
            `grant connect on database ${dbName} to ${role}; grant usage on schema public to ${role}; grant select, insert on audit_log to ${role}`,
          ),
        );
        const url = new URL(process.env.DATABASE_URL!);
        url.username = role;
        url.password = password;
        url.pathname = `/${dbName}`;
        const c = new pg.Client({ connectionString: url.toString() });
        await c.connect();
        try {
          expect((await c.query('select count(*)::int as n from audit_log')).rows[0].n).toBeGreaterThan(0);
          expect(await refusal(c.query(`update audit_log set action = 'nothing' where id = ${victim!.id}`))).toBe('42501');
          expect(await refusal(c.query(`delete from audit_log where id = ${victim!.id}`))).toBe('42501');
          // with UPDATE and DELETE granted, the trigger still refuses; it cannot be switched off by a non-owner
          await db.execute(sql.raw(`grant update, delete on audit_log to ${role}`));
          expect(await refusal(c.query(`update audit_log set action = 'nothing' where id = ${victim!.id}`))).toBe('42501');
          expect(await refusal(c.query(`delete from audit_log where id = ${victim!.id}`))).toBe('42501');
          expect(await refusal(c.query('alter table audit_log disable trigger user'))).toBe('42501');
          expect(await refusal(c.query('truncate audit_log'))).toBe('42501');
        } finally {
          await c.end();
        }
      } finally {
        await db.execute(
          sql.raw(
            `revoke all on audit_log from ${role}; revoke all on schema public from ${role}; revoke all on database ${dbName} from ${role}; drop role ${role}`,
          ),
        );
      }
    }
    const [still] = await db.select().from(auditLog).where(eq(auditLog.id, victim!.id));
    expect(still).toEqual(victim);

    // the superuser can switch the trigger off: the chain names exactly the changed row
    await bypassTrigger(db, sql`update audit_log set action = 'login' where id = ${victim!.id}`);
    const broken = await verifyAudit(db, keys);
    expect(broken.firstBroken).toEqual({ id: victim!.id, reason: 'hash' });
    const auditor = await loginAs(s, 'auditor');
    expect((await req(s, auditor, 'POST', '/api/audit/verify')).body.firstBroken).toEqual({ id: victim!.id, reason: 'hash' });
    // put back, the chain holds again
    await bypassTrigger(db, sql`update audit_log set action = ${victim!.action} where id = ${victim!.id}`);
    await flushAuditWrites();
    const healed = await verifyAudit(db, keys);
    expect(healed.firstBroken).toBeNull();
    figures.rowsChecked = Math.max(figures.rowsChecked, healed.rows);
  });

  it('writes a burst of 150 entries in arrival order, batched, with the chain intact', async () => {
    const [tip] = await db.select({ before: sql<number>`coalesce(max(${auditLog.id}), 0)::float8` }).from(auditLog);
    const before = Number(tip?.before ?? 0);
    // all at once: the first goes alone, the rest wait and go together (ids from one statement, one INSERT)
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        recordAudit(db, keys, {
          actor: null,
          username: `burst${i}`,
          client: { ip: '10.0.0.7', userAgent: null },
          action: 'login',
          objectType: 'auth',
          result: 'denied',
          detail: { status: 401, n: i },
        }),
      ),
    );
    const rows = await db
      .select({ id: auditLog.id, username: auditLog.username, prevHash: auditLog.prevHash, hash: auditLog.hash })
      .from(auditLog)
      .where(gt(auditLog.id, before))
      .orderBy(asc(auditLog.id));
    const burst = rows.filter((r) => r.username?.startsWith('burst'));
    expect(burst.map((r) => r.username)).toEqual(Array.from({ length: 150 }, (_, i) => `burst${i}`));
    // each row links to the one before it in id order
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect((await verifyAudit(db, keys)).firstBroken).toBeNull();
  });

  it('never turns an answer into an error when the trail cannot be written, and logs no data', async () => {
    const lines: string[] = [];
    const config = loadConfig(
      {},
      {
        DATA_DIR: path.dirname(s.filesDir),
        LOG_LEVEL: 'error',
        WEB_DIST: '/nonexistent',
        OUTBOX_INTERVAL_MS: 0,
        LOGIN_RATE_PER_MINUTE: 100_000,
      },
    );
    const app2 = await buildApp(config, s.database, new LocalDiskStorage(s.filesDir), { logStream: { write: (l) => void lines.push(l) } });
    await app2.ready();
    const count0 = Number((await db.select({ n: count() }).from(auditLog))[0]!.n);
    await db.execute(sql`alter table audit_log rename to audit_log_away`);
    try {
      const login = await req({ app: app2 }, null, 'POST', '/api/auth/login', { username: 'family_wang', password: DEMO_PASSWORD });
      expect(login.status).toBe(200);
      const read = await req({ app: app2 }, `pingan_sid=${login.cookie!.value}`, 'POST', '/api/notifications/read-all');
      expect(read.status).toBe(200);
      await flushAuditWrites();
    } finally {
      await db.execute(sql`alter table audit_log_away rename to audit_log`);
      await app2.close();
    }
    const failures = lines.filter((l) => l.includes('audit trail write failed'));
    expect(failures.length).toBe(2);
    for (const l of failures) expect(l).not.toMatch(/family_wang|Pingan@|PinganAudit|127\.0\.0\.1|params/);
    expect(Number((await db.select({ n: count() }).from(auditLog))[0]!.n)).toBe(count0);
  });
});

describe.each(DB_KINDS)('purging the audit trail on %s', (kind) => {
  let s: TestServer;
  let db: Db;
  let keys: Keys;
  const old: Row[] = [];
  const young: Row[] = [];
  beforeAll(async () => {
    s = await getTestServer(kind);
    db = s.database.db;
    keys = keysOf(s);
    // the trail starts with rows from long ago: 5 past the retention period, 2 within it
    expect(await lastId(db)).toBe(0);
    const day = 86_400_000;
    for (let i = 0; i < 5; i++) old.push(await appendAt(db, keys, new Date(Date.now() - (400 - i) * day), 'saveDraft'));
    for (let i = 0; i < 2; i++) young.push(await appendAt(db, keys, new Date(Date.now() - (100 - i) * day), 'submitApplication'));
  });
  afterAll(async () => {
    await flushAuditWrites();
    await s?.close();
  });

  it('is refused to everyone but the audit administrator', async () => {
    expect((await verifyAudit(db, keys)).firstBroken).toBeNull();
    for (const name of ['sysadmin', 'city_office', 'school_nm']) {
      const cookie = await loginAs(s, name);
      const r = await req(s, cookie, 'POST', '/api/audit/purge', { before: addDays(today(), 1) });
      expect(r.status, name).toBe(403);
    }
    await flushAuditWrites();
    expect((await db.select().from(auditLog).where(eq(auditLog.id, old[0]!.id))).length).toBe(1);
  });

  it('deletes only rows past the retention period, records itself, and the chain still verifies', async () => {
    const auditor = await loginAs(s, 'auditor');
    expect((await req(s, auditor, 'POST', '/api/audit/purge', { before: '2026-02-30' })).status).toBe(400);
    let answer: any;
    const rows = await trailOf(db, async () => {
      // "before tomorrow" asks for everything; the retention period keeps the last 180 days
      const r = await req(s, auditor, 'POST', '/api/audit/purge', { before: addDays(today(), 1) });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      answer = r.body;
    });
    expect(answer.purged).toBe(5);
    expect(answer.lastHash).toBe(old[4]!.hash);
    expect(Date.now() - Date.parse(answer.cutoff)).toBeGreaterThanOrEqual(180 * 86_400_000);
    expect(Date.now() - Date.parse(answer.cutoff)).toBeLessThan(181 * 86_400_000);
    // one row for the purge, written in its transaction: no second one from the hook
    expect(rows.filter((r) => r.action === PURGE_ACTION)).toHaveLength(1);
    const purge = expectRow(
      rows,
      { action: PURGE_ACTION, result: 'ok', username: 'auditor', role: 'audit_admin', objectType: 'audit' },
      { count: 5, lastHash: old[4]!.hash },
    );

    const left = await db.select().from(auditLog).orderBy(asc(auditLog.id));
    expect(left.map((r) => r.id)).not.toContain(old[0]!.id);
    expect(left[0]!.id).toBe(young[0]!.id);
    expect(left[0]!.prevHash).toBe(old[4]!.hash);
    expect(left.at(-1)!.id).toBe(purge.id);
    const v = await req(s, auditor, 'POST', '/api/audit/verify');
    expect(v.body).toEqual({ rows: left.length, firstBroken: null });

    // a date earlier than every row purges nothing
    const none = await req(s, auditor, 'POST', '/api/audit/purge', { before: '2000-01-01' });
    expect(none.body).toEqual({ purged: 0, cutoff: '1999-12-31T16:00:00.000Z', lastHash: null });
    await flushAuditWrites();
    expect((await verifyAudit(db, keys)).firstBroken).toBeNull();

    // rows removed behind the trail's back (the trigger off) leave a first row that no purge accounts for
    await bypassTrigger(db, sql`delete from audit_log where id = ${young[0]!.id}`);
    expect((await verifyAudit(db, keys)).firstBroken).toEqual({ id: young[1]!.id, reason: 'link' });
  });
});

describe('pingan-admin audit-verify', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-audit-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on an intact chain and 1 naming the first broken row after tampering', async () => {
    const config = loadConfig({}, { DATA_DIR: dir, DATABASE_URL: undefined });
    const keys = loadKeys(config);
    let database = await openDatabase({ dataDir: dir });
    for (let i = 0; i < 7; i++)
      await recordAudit(database.db, keys, {
        actor: null,
        username: `user${i}`,
        client: { ip: '10.0.0.9', userAgent: null },
        action: 'login',
        objectType: 'auth',
        result: 'denied',
        detail: { status: 401, code: 'BAD_CREDENTIALS' },
      });
    await database.close();

    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await auditVerifyCommand.run([], config);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    expect(out.join('')).toContain('已校验 checked: 7 条 rows');
    expect(out.join('')).toContain('chain intact');

    database = await openDatabase({ dataDir: dir });
    const [fourth] = await database.db.select().from(auditLog).orderBy(asc(auditLog.id)).offset(3).limit(1);
    await bypassTrigger(database.db, sql`update audit_log set username = 'someone_else' where id = ${fourth!.id}`);
    await database.close();

    // the operator's entry point, as a child process with the platform's environment
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/server/src/cli/admin.ts'), 'audit-verify'], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', NODE_ENV: 'development' },
      encoding: 'utf8',
      cwd: REPO_ROOT,
    });
    expect(run.stderr).not.toContain('失败');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('已校验 checked: 4 条 rows');
    expect(run.stdout).toContain(`first broken row id=${fourth!.id} (内容与校验值不符 hash mismatch)`);
  }, 60_000);
});

afterAll(() => {
  console.log(
    `audit trail: ${figures.rowsChecked} rows checked by verifyAudit; ${figures.eventTypes.size} event types covered ` +
      `(${[...figures.eventTypes].sort().join(', ')}); databases: ${figures.kinds.join(', ') || 'none'}`,
  );
});
