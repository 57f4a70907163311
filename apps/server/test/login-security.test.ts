import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { loginEvents, sessions, users } from '../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo/accounts.js';
import { DB_KINDS, getTestServer, type TestServer } from './helpers.js';

/**
 * 等保 L3 / ASVS L2 login security: lockout, throttling, the login log, idle and absolute session
 * expiry, ending sessions, security headers and the cross-site request guard.
 */
describe.each(DB_KINDS)('login security on %s', (kind) => {
  let s: TestServer;
  let webDir: string;
  let nextIp = 1;
  /** a fresh client address per call site, so the per-address throttle only bites where a test wants it */
  const freshIp = () => `10.9.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

  beforeAll(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
    s = await getTestServer(kind, {
      config: { TRUST_PROXY: true, LOGIN_RATE_PER_MINUTE: 20, WEB_DIST: webDir, PUBLIC_BASE_URL: 'https://pingan.example.gov.cn' },
    });
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  const db = () => s.database.db;
  async function login(username: string, password = DEMO_PASSWORD, ip = freshIp(), headers: Record<string, string> = {}) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': ip, 'user-agent': 'vitest-agent', ...headers },
      payload: { username, password },
    });
    const set = res.cookies.find((c) => c.name === 'pingan_sid');
    return { status: res.statusCode, body: res.json(), cookie: set ? `pingan_sid=${set.value}` : '', set };
  }
  async function session(username: string) {
    const r = await login(username);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.cookie;
  }
  const me = async (cookie: string) => (await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode;
  const userId = async (username: string) => (await db().select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
  const events = async (username: string) =>
    (await db().select().from(loginEvents).where(eq(loginEvents.username, username)).orderBy(asc(loginEvents.id))).map((e) => e.result);

  it('signs in with a user agent that carries NUL and control characters, and records it cleaned', async () => {
    const r = await login('nm_community', DEMO_PASSWORD, freshIp(), { 'user-agent': 'Evil\u0000Agent\u0001/1.0' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rows = await db().select().from(loginEvents).where(eq(loginEvents.username, 'nm_community'));
    expect(rows.at(-1)!.userAgent).toBe('EvilAgent/1.0');
  });

  it('locks an account after 5 wrong passwords, refuses even the right one while locked, and lets it in after the lock ends', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await login('qs_edu', `wrong-${i}`);
      expect(r.status).toBe(401);
      expect(r.body.message).toBe('用户名或密码错误');
    }
    const fifth = await login('qs_edu', 'wrong-5');
    expect(fifth.status).toBe(401);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.body.message).toMatch(/账号已锁定至 .*\d{2}:\d{2}/);
    // the right password and a wrong one get the same answer while locked: nothing tells them apart
    const right = await login('qs_edu');
    const wrong = await login('qs_edu', 'wrong-6');
    expect(right.status).toBe(401);
    expect(right.cookie).toBe('');
    expect(right.body).toEqual(wrong.body);
    const [u] = await db().select().from(users).where(eq(users.username, 'qs_edu'));
    expect(u!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    // the lock ends
    await db()
      .update(users)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(users.username, 'qs_edu'));
    const after = await login('qs_edu');
    expect(after.status).toBe(200);
    expect(await me(after.cookie)).toBe(200);
    expect((await db().select().from(users).where(eq(users.username, 'qs_edu')))[0]!.failedLogins).toBe(0);
    expect(await events('qs_edu')).toEqual([
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
      'locked',
      'locked',
      'ok',
    ]);
  });

  it('records every login with its result, address and user agent', async () => {
    expect((await login('no_such_user', 'x', '10.1.2.3')).status).toBe(401);
    await db().update(users).set({ disabled: true }).where(eq(users.username, 'family_wang'));
    const disabled = await login('family_wang');
    expect(disabled.status).toBe(401);
    expect(disabled.body.message).toBe('用户名或密码错误');
    await db().update(users).set({ disabled: false }).where(eq(users.username, 'family_wang'));
    expect((await login('family_wang', 'nope')).status).toBe(401);
    expect((await login('family_wang')).status).toBe(200);
    const unknown = (await db().select().from(loginEvents).where(eq(loginEvents.username, 'no_such_user')))[0]!;
    expect(unknown).toMatchObject({ result: 'unknown_user', userId: null, ip: '10.1.2.3', userAgent: 'vitest-agent' });
    expect(unknown.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await events('family_wang')).toEqual(['disabled', 'bad_password', 'ok']);
    const id = await userId('family_wang');
    expect((await db().select().from(loginEvents).where(eq(loginEvents.username, 'family_wang'))).every((e) => e.userId === id)).toBe(true);
  });

  it('throttles logins per address: the 21st in a minute gets 429 with a Chinese message, another address does not', async () => {
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await login('no_such_user', 'x', ip)).status);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    const limited = await login('no_such_user', 'x', ip);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.body.message).toMatch(/^尝试过于频繁，请\d+秒后再试$/);
    expect(codes[20]).toBe(429);
    expect((await login('city_women')).status).toBe(200);
  });

  it('ends a session left idle for 30 minutes, touching last_seen_at at most once a minute', async () => {
    const cookie = await session('city_edu');
    const id = await userId('city_edu');
    const seen = async () => (await db().select({ t: sessions.lastSeenAt }).from(sessions).where(eq(sessions.userId, id)))[0]!.t.getTime();
    const first = await seen();
    expect(await me(cookie)).toBe(200);
    expect(await me(cookie)).toBe(200);
    expect(await seen()).toBe(first); // not written on every request
    await db()
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '2 minutes'` })
      .where(eq(sessions.userId, id));
    expect(await me(cookie)).toBe(200);
    expect(await seen()).toBeGreaterThan(Date.now() - 30_000); // written again after a minute
    await db()
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '29 minutes'` })
      .where(eq(sessions.userId, id));
    expect(await me(cookie)).toBe(200); // 29 minutes idle: alive, and now fresh again
    await db()
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
      .where(eq(sessions.userId, id));
    expect(await me(cookie)).toBe(401);
  });

  it('ends a session at its absolute expiry however busy it is', async () => {
    const cookie = await session('city_police');
    const id = await userId('city_police');
    const [row] = await db().select().from(sessions).where(eq(sessions.userId, id));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThan(11.9 * 3600_000);
    expect(await me(cookie)).toBe(200);
    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
      .where(eq(sessions.userId, id));
    expect(await me(cookie)).toBe(401);
  });

  it('after logout, a password change and disabling the account, every old token is refused', async () => {
    // logout
    const loggedOut = [await session('city_health'), await session('city_health'), await session('city_health')];
    for (const c of loggedOut) await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c } });
    // a password change ends every other session of the account
    const [a, b, c] = [await session('lj_office'), await session('lj_office'), await session('lj_office')];
    const change = (cookie: string, body: unknown) =>
      s.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie, 'x-forwarded-for': freshIp() },
        payload: body as never,
      });
    const weak = await change(a, { currentPassword: DEMO_PASSWORD, newPassword: 'abcdefgh1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toContain('至少三类');
    expect((await change(a, { currentPassword: DEMO_PASSWORD, newPassword: 'Ab1' })).json().message).toContain('至少8位');
    const wrongCurrent = await change(a, { currentPassword: 'not-it', newPassword: 'Yunzhou#2027' });
    expect(wrongCurrent.statusCode).toBe(422);
    expect(wrongCurrent.json().message).toBe('当前密码不正确');
    expect((await change(a, { currentPassword: DEMO_PASSWORD, newPassword: 'Yunzhou#2027' })).statusCode).toBe(200);
    expect(await me(a)).toBe(200);
    expect((await login('lj_office')).status).toBe(401);
    const fresh = await login('lj_office', 'Yunzhou#2027');
    expect(fresh.status).toBe(200);
    // login rotates: the token presented with a login is ended
    const rotated = await login('lj_office', 'Yunzhou#2027', freshIp(), { cookie: fresh.cookie });
    expect(rotated.status).toBe(200);
    expect(rotated.cookie).not.toBe(fresh.cookie);
    // disabling the account
    const disabled = [await session('school_bs'), await session('school_bs')];
    await db().update(users).set({ disabled: true }).where(eq(users.username, 'school_bs'));
    const old = [...loggedOut, b, c, fresh.cookie, ...disabled];
    const codes = await Promise.all(old.map(me));
    expect(codes).toEqual(old.map(() => 401));
    expect(await me(rotated.cookie)).toBe(200);
  });

  it('lists my sessions and ends the others, keeping the current one', async () => {
    const a = await session('cn_office');
    const b = await session('cn_office');
    const c = await session('cn_office');
    const list = await s.app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { cookie: a } });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as {
      id: string;
      current: boolean;
      ip: string;
      userAgent: string;
      lastSeenAt: string;
      createdAt: string;
    }[];
    expect(items).toHaveLength(3);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    expect(items.every((i) => i.userAgent === 'vitest-agent' && /^10\.9\./.test(i.ip) && i.id.length > 10)).toBe(true);
    // no token or token hash leaves the server
    const hashes = (await db().select({ h: sessions.tokenHash }).from(sessions)).map((r) => r.h);
    expect(hashes.some((h) => list.body.includes(h))).toBe(false);
    const revoke = await s.app.inject({ method: 'POST', url: '/api/auth/sessions/revoke-others', headers: { cookie: a } });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toEqual({ ok: true, revoked: 2 });
    expect([await me(a), await me(b), await me(c)]).toEqual([200, 401, 401]);
    const again = (await s.app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { cookie: a } })).json().items;
    expect(again).toHaveLength(1);
    expect(again[0].current).toBe(true);
  });

  it('sends the security headers on API answers and the index page, and a relaxed CSP only on /api/docs', async () => {
    const api = await s.app.inject({ method: 'GET', url: '/api/me' });
    const page = await s.app.inject({ method: 'GET', url: '/applications/7' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="root"');
    for (const res of [api, page]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(api.headers['cache-control']).toBe('no-store');
    expect(page.headers['cache-control']).not.toBe('no-store');
    // every API answer: errors, 404s and successes alike
    expect((await s.app.inject({ method: 'GET', url: '/api/nothing-here' })).headers['cache-control']).toBe('no-store');
    const ok = await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: await session('expert_zhou') } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const docs = await s.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self' 'unsafe-inline'");
    expect(String(docs.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('refuses a state-changing request from another site and accepts one from its own', async () => {
    const cookie = await session('expert_sun');
    const foreign = await s.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('CROSS_ORIGIN');
    expect(foreign.json().message).toMatch(/拒绝来自其他网站的请求/);
    expect(foreign.headers['cache-control']).toBe('no-store');
    expect(await me(cookie)).toBe(200); // nothing happened
    const nullOrigin = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: 'null' } });
    expect(nullOrigin.statusCode).toBe(403);
    const foreignLogin = await login('expert_sun', DEMO_PASSWORD, freshIp(), { origin: 'http://evil.example' });
    expect(foreignLogin.status).toBe(403);
    // same origin as the Host, and the configured public address, pass; so does no Origin at all
    const same = await login('expert_sun', DEMO_PASSWORD, freshIp(), { host: 'pingan.local:3000', origin: 'http://pingan.local:3000' });
    expect(same.status).toBe(200);
    const pub = await login('expert_sun', DEMO_PASSWORD, freshIp(), { host: '10.0.0.5:3000', origin: 'https://pingan.example.gov.cn' });
    expect(pub.status).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie, origin: 'https://evil.example' } })).statusCode).toBe(
      200,
    );
    const out = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: 'http://localhost' } });
    expect(out.statusCode).toBe(200);
    expect(await me(cookie)).toBe(401);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over https', async () => {
    const tls = await login('qs_office', DEMO_PASSWORD, freshIp(), { 'x-forwarded-proto': 'https' });
    expect(tls.set!.secure).toBe(true);
    const plain = await login('qs_office');
    expect(plain.set!.secure).toBeFalsy();
  });

  // last: it locks the accounts it sprays
  it('1,000 guesses sprayed over the accounts from 10 addresses get in 0 times', async () => {
    const targets = DEMO_ACCOUNTS.map((a) => a.username).filter((u) => !['school_bs', 'lj_office'].includes(u));
    const guesses = [
      '123456',
      'Pingan@2025',
      'Pingan2026',
      'pingan@2026',
      'Password1!',
      'Admin@123',
      'Yunzhou@2026',
      'Qwer1234!',
      'Pingan@2026 ',
      'P@ssw0rd',
    ];
    const ips = Array.from({ length: 10 }, () => freshIp());
    const statuses: number[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const round = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const n = batch * 20 + i;
          return login(targets[n % targets.length]!, guesses[Math.floor(n / targets.length) % guesses.length]!, ips[n % ips.length]!);
        }),
      );
      statuses.push(...round.map((r) => r.status));
    }
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((c) => c === 200)).toHaveLength(0);
    expect(statuses.filter((c) => c === 429).length).toBeGreaterThanOrEqual(800);
    // every account that got 5 guesses is locked: the right password does not get in either
    const attempts = await db()
      .select({ username: loginEvents.username, n: sql<number>`count(*)::int` })
      .from(loginEvents)
      .where(
        and(
          sql`${loginEvents.ip} = any(${sql.raw(`array[${ips.map((ip) => `'${ip}'`).join(',')}]`)})`,
          eq(loginEvents.result, 'bad_password'),
        ),
      )
      .groupBy(loginEvents.username);
    const locked = attempts.filter((a) => a.n >= 5).map((a) => a.username);
    expect(locked.length).toBeGreaterThan(5);
    for (const u of locked) expect((await login(u)).body.code).toBe('ACCOUNT_LOCKED');
  });
});
