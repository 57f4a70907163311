import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../src/db/schema.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { userForToken } from '../src/modules/auth/service.js';
import { DB_KINDS, getTestServer, statementsOf, type TestServer } from './helpers.js';

/**
 * Every way a session ends, and that it really ends: after logout, absolute expiry (the one set at
 * login and a policy shortened since), idle expiry, a password change (the other sessions), an
 * administrator's reset, disabling and a role change, every old token gets 401 on /api/me and on
 * the other routes tried; the sessions that should live still answer.
 */
const ROUTES = ['/api/me', '/api/auth/sessions', '/api/applications', '/api/notifications', '/api/campaigns', '/api/regions'];

describe.each(DB_KINDS)('ended sessions on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  let nextIp = 1;
  const ip = () => `10.30.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;
  const tally = { tokens: 0, checks: 0, refused: 0, scenarios: [] as string[] };

  beforeAll(async () => {
    s = await getTestServer(kind);
  });
  afterAll(async () => {
    console.log(
      `[sessions ${kind}] ${tally.tokens} old tokens over ${tally.scenarios.length} ways of ending (${tally.scenarios.join(', ')}); ` +
        `${tally.checks} requests, ${tally.refused} got 401 (${tally.checks ? Math.round((tally.refused / tally.checks) * 1000) / 10 : 0} %)`,
    );
    await s?.close();
  });

  async function login(username: string, password = DEMO_PASSWORD) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': ip() },
      payload: { username, password },
    });
    expect(res.statusCode, res.body).toBe(200);
    const set = res.cookies.find((c) => c.name === 'pingan_sid')!;
    return `pingan_sid=${set.value}`;
  }
  const get = async (cookie: string, url: string) =>
    (await s.app.inject({ method: 'GET', url, headers: { cookie, 'x-forwarded-for': ip() } })).statusCode;
  const send = (cookie: string, method: 'POST' | 'PUT', url: string, payload?: unknown) =>
    s.app.inject({ method, url, headers: { cookie, 'x-forwarded-for': ip() }, payload: payload as never });
  const userId = async (username: string) => (await db().select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

  /** every old token, on every route: 401 */
  async function expectDead(scenario: string, tokens: string[]) {
    tally.scenarios.push(scenario);
    tally.tokens += tokens.length;
    const answers: string[] = [];
    for (const t of tokens)
      for (const url of ROUTES) {
        const status = await get(t, url);
        tally.checks++;
        if (status === 401) tally.refused++;
        else answers.push(`${scenario}: ${url} → ${status}`);
      }
    expect(answers).toEqual([]);
  }

  it('logout ends the session it was sent with, and only that one', async () => {
    const [a, b, keep] = [await login('city_health'), await login('city_health'), await login('city_health')];
    for (const t of [a, b])
      expect((await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: t } })).statusCode).toBe(200);
    await expectDead('logout', [a, b]);
    expect(await get(keep, '/api/me')).toBe(200);
  });

  it('absolute expiry: past the end set at login, and past a session length the policy has shortened since', async () => {
    const [a, b] = [await login('qs_office'), await login('qs_office')];
    const id = await userId('qs_office');
    // fresh activity does not help a session past its absolute end
    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
      .where(eq(sessions.userId, id));
    await expectDead('absolute expiry', [a, b]);

    const [c, d] = [await login('lj_edu'), await login('lj_edu')];
    const lj = await userId('lj_edu');
    // logged in 2 hours ago, still within the 12 hours set at login; the policy now allows 1 hour
    await db()
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 2 * 3600_000), lastSeenAt: new Date() })
      .where(eq(sessions.userId, lj));
    expect(await get(c, '/api/me')).toBe(200);
    const secadmin = await login('secadmin');
    const policy = (await s.app.inject({ method: 'GET', url: '/api/admin/policy', headers: { cookie: secadmin } })).json().policy;
    const put = await s.app.inject({
      method: 'PUT',
      url: '/api/admin/policy',
      headers: { cookie: secadmin },
      payload: { ...policy, sessionHours: 1 },
    });
    expect(put.statusCode).toBe(200);
    await expectDead('policy shortened', [c, d]);
    expect(
      (await s.app.inject({ method: 'PUT', url: '/api/admin/policy', headers: { cookie: secadmin }, payload: policy })).statusCode,
    ).toBe(200);
  });

  it('idle expiry: unused longer than the policy’s idle minutes', async () => {
    const [a, b, busy] = [await login('cn_office'), await login('cn_office'), await login('cn_office')];
    const id = await userId('cn_office');
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.userId, id));
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) })
      .where(eq(sessions.tokenHash, await hashOf(busy)));
    await expectDead('idle', [a, b]);
    expect(await get(busy, '/api/me')).toBe(200);
  });

  it('a password change ends every other session of the account', async () => {
    const [a, b, c] = [await login('nm_community'), await login('nm_community'), await login('nm_community')];
    const r = await send(a, 'POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Nanmen#2027x' });
    expect(r.statusCode, r.body).toBe(200);
    await expectDead('password change', [b, c]);
    expect(await get(a, '/api/me')).toBe(200);
    const [row] = await db().select().from(users).where(eq(users.username, 'nm_community'));
    expect(Date.now() - row!.passwordChangedAt.getTime()).toBeLessThan(60_000);
  });

  it('an administrator’s reset, disabling and a role change end every session of the account', async () => {
    const admin = await login('sysadmin');
    const reset = [await login('school_dh'), await login('school_dh')];
    expect((await send(admin, 'POST', `/api/admin/users/${await userId('school_dh')}/reset-password`)).statusCode).toBe(200);
    await expectDead('reset', reset);

    const disabled = [await login('hospital_rm'), await login('hospital_rm')];
    expect((await send(admin, 'PUT', `/api/admin/users/${await userId('hospital_rm')}`, { disabled: true })).json().sessionsEnded).toBe(2);
    await expectDead('disabled', disabled);

    const moved = [await login('city_police'), await login('city_police'), await login('city_police')];
    const r = await send(admin, 'PUT', `/api/admin/users/${await userId('city_police')}`, { role: 'lead_department' });
    expect(r.json().sessionsEnded).toBe(3);
    await expectDead('role change', moved);
    // the administrator's own session lives on
    expect(await get(admin, '/api/me')).toBe(200);
    expect(tally.refused).toBe(tally.checks);
  });

  it('a request finds its session in one statement and writes last_seen_at at most once a minute, idle limit kept', async () => {
    const cookie = await login('family_wang');
    const token = cookie.replace(/^pingan_sid=/, '');
    const th = await hashOf(cookie);
    const policy = { sessionHours: 12, idleMinutes: 30, lockoutFailures: 5, lockoutMinutes: 15 };
    const seen = async () =>
      (await db().select({ t: sessions.lastSeenAt }).from(sessions).where(eq(sessions.tokenHash, th)))[0]!.t.getTime();
    const lookup = async () => {
      let found: Awaited<ReturnType<typeof userForToken>> = null;
      const n = await statementsOf(db(), async () => (found = await userForToken(db(), token, policy)));
      return { n, found: found as Awaited<ReturnType<typeof userForToken>> };
    };
    // seen just now (the login): a read, no write; an applicant's scope needs no further statement
    const t0 = await seen();
    for (let i = 0; i < 3; i++) {
      const r = await lookup();
      expect(r.found?.user.username).toBe('family_wang');
      expect(r.n).toBe(1);
    }
    expect(await seen()).toBe(t0);
    // seen two minutes ago: the one write, then reads again
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 2 * 60_000) })
      .where(eq(sessions.tokenHash, th));
    expect((await lookup()).n).toBe(2);
    expect(Date.now() - (await seen())).toBeLessThan(60_000);
    expect((await lookup()).n).toBe(1);
    // idle past the policy's minutes: no session, whatever was read
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.tokenHash, th));
    expect((await lookup()).found).toBeNull();
    expect(await get(cookie, '/api/me')).toBe(401);
  });
});

async function hashOf(cookie: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256')
    .update(cookie.replace(/^pingan_sid=/, ''))
    .digest('hex');
}
