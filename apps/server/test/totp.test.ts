import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { loginEvents, settings, users } from '../src/db/schema.js';
import { forgetPolicy } from '../src/modules/policy/service.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { DB_KINDS, getTestServer, type TestServer } from './helpers.js';

/**
 * The second factor (TOTP) and the gates in front of every route: a password to change (new
 * account, reset, 等保 expiry after 90 days) and a second factor the policy requires. Codes come
 * from otplib, as an authenticator app would make them.
 */
describe.each(DB_KINDS)('TOTP and the login gates on %s', (kind) => {
  let s: TestServer;
  const db = () => s.database.db;
  let nextIp = 1;
  const ip = () => `10.40.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

  beforeAll(async () => {
    s = await getTestServer(kind);
  });
  afterAll(async () => {
    await s?.close();
  });

  async function login(username: string, password = DEMO_PASSWORD, otp?: string) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': ip() },
      payload: { username, password, ...(otp ? { otp } : {}) },
    });
    const set = res.cookies.find((c) => c.name === 'pingan_sid');
    return { status: res.statusCode, body: res.json(), cookie: set ? `pingan_sid=${set.value}` : '' };
  }
  async function send(cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
    const res = await s.app.inject({ method, url, headers: { cookie, 'x-forwarded-for': ip() }, payload: payload as never });
    return { status: res.statusCode, body: res.json() };
  }
  /** a code for another 30-second step than the one just used (a code is accepted once) */
  const codeAt = (secret: string, offsetSteps: number) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
  const row = async (username: string) => (await db().select().from(users).where(eq(users.username, username)))[0]!;

  async function enrol(username: string): Promise<{ cookie: string; secret: string }> {
    const { cookie } = await login(username);
    const setup = await send(cookie, 'POST', '/api/auth/totp/setup');
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const secret = setup.body.secret as string;
    expect(setup.body.otpauthUri).toMatch(new RegExp(`^otpauth://totp/.*${username}\\?secret=${secret}&issuer=`));
    const confirm = await send(cookie, 'POST', '/api/auth/totp/confirm', { code: await codeAt(secret, -1) });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    return { cookie, secret };
  }

  it('sets up a second factor: the secret is stored encrypted, enabled only by a right first code', async () => {
    const { cookie } = await login('city_edu');
    const setup = await send(cookie, 'POST', '/api/auth/totp/setup');
    const secret = setup.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const stored = await row('city_edu');
    expect(stored.totpSecret).not.toContain(secret);
    expect(stored.totpSecret).toMatch(/^(g1|s1):/);
    expect(stored.totpEnabled).toBe(false);
    // not enabled yet: the password alone still logs in
    expect((await login('city_edu')).status).toBe(200);
    const wrong = await send(cookie, 'POST', '/api/auth/totp/confirm', {
      code: '000000' === (await codeAt(secret, 0)) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('WRONG_OTP');
    expect((await send(cookie, 'POST', '/api/auth/totp/confirm', { code: 'abc' })).status).toBe(400);
    const code = await codeAt(secret, 0);
    expect((await send(cookie, 'POST', '/api/auth/totp/confirm', { code: code.slice(0, 3) + ' ' + code.slice(3) })).status).toBe(200);
    expect((await row('city_edu')).totpEnabled).toBe(true);
    expect((await send(cookie, 'GET', '/api/me')).body).toMatchObject({ totpEnabled: true, totpRequired: false });
    // a second setup would replace a working factor: refused
    expect((await send(cookie, 'POST', '/api/auth/totp/setup')).status).toBe(409);
  });

  it('login with a second factor: 401 OTP_REQUIRED without a code, a right code once, never twice; wrong codes count towards the lockout', async () => {
    const { secret } = await enrol('city_women');
    const none = await login('city_women');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('OTP_REQUIRED');
    expect(none.cookie).toBe('');
    // a wrong password with a code is just a wrong password
    expect((await login('city_women', 'wrong', await codeAt(secret, 0))).body.code).toBe('BAD_CREDENTIALS');
    const code = await codeAt(secret, 1);
    const ok = await login('city_women', DEMO_PASSWORD, code);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ ok: true, mustChangePassword: false, passwordExpired: false, totpSetupRequired: false });
    const replay = await login('city_women', DEMO_PASSWORD, code);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('BAD_OTP');
    // an older code than the last accepted one is refused too
    expect((await login('city_women', DEMO_PASSWORD, await codeAt(secret, 0))).body.code).toBe('BAD_OTP');
    // 5 failures in a row lock: the replay, the older code, then three more wrong codes (the wrong password above was cleared by the success)
    const [before] = await db().select().from(users).where(eq(users.username, 'city_women'));
    expect(before!.failedLogins).toBe(2);
    expect((await login('city_women', DEMO_PASSWORD, '123456')).body.code).toMatch(/BAD_OTP/);
    expect((await login('city_women', DEMO_PASSWORD, '654321')).body.code).toMatch(/BAD_OTP/);
    expect((await login('city_women', DEMO_PASSWORD, '111111')).body.code).toBe('ACCOUNT_LOCKED');
    expect((await login('city_women', DEMO_PASSWORD, await codeAt(secret, 1))).body.code).toBe('ACCOUNT_LOCKED');
    const events = (await db().select().from(loginEvents).where(eq(loginEvents.username, 'city_women'))).map((e) => e.result);
    expect(events.filter((e) => e === 'ok').length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e === 'bad_password').length).toBe(6);
  });

  it('turns the second factor off with a current code or the password; wrong proof is refused', async () => {
    const { cookie, secret } = await enrol('qs_edu');
    expect((await send(cookie, 'POST', '/api/auth/totp/disable', {})).status).toBe(400);
    expect((await send(cookie, 'POST', '/api/auth/totp/disable', { password: 'not-it' })).body.code).toBe('WRONG_PASSWORD');
    const r = await send(cookie, 'POST', '/api/auth/totp/disable', { code: await codeAt(secret, 1) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await row('qs_edu')).toMatchObject({ totpEnabled: false, totpSecret: null });
    expect((await login('qs_edu')).status).toBe(200);
    const again = await enrol('qs_edu');
    expect((await send(again.cookie, 'POST', '/api/auth/totp/disable', { password: DEMO_PASSWORD })).status).toBe(200);
  });

  it('a policy requiring a second factor sends staff and administrators without one to enrolment, and lets them in after', async () => {
    const sec = await login('secadmin');
    const policy = (await send(sec.cookie, 'GET', '/api/admin/policy')).body.policy;
    expect(
      (await send(sec.cookie, 'PUT', '/api/admin/policy', { ...policy, totpRequiredForStaff: true, totpRequiredForAdmins: true })).status,
    ).toBe(200);

    const staff = await login('lj_office');
    expect(staff.status).toBe(200);
    expect(staff.body.totpSetupRequired).toBe(true);
    const gated = await send(staff.cookie, 'GET', '/api/applications');
    expect(gated.status).toBe(403);
    expect(gated.body.code).toBe('TOTP_SETUP_REQUIRED');
    expect((await send(staff.cookie, 'GET', '/api/me')).body).toMatchObject({ totpRequired: true, totpEnabled: false });
    const setup = await send(staff.cookie, 'POST', '/api/auth/totp/setup');
    expect((await send(staff.cookie, 'POST', '/api/auth/totp/confirm', { code: await codeAt(setup.body.secret, 0) })).status).toBe(200);
    expect((await send(staff.cookie, 'GET', '/api/applications')).status).toBe(200);
    // while required, it cannot be turned off
    expect((await send(staff.cookie, 'POST', '/api/auth/totp/disable', { password: DEMO_PASSWORD })).status).toBe(403);

    // the administrators too (the security administrator's own session is held as well)
    const audit = await login('auditor');
    expect(audit.body.totpSetupRequired).toBe(true);
    expect((await send(audit.cookie, 'GET', '/api/audit')).body.code).toBe('TOTP_SETUP_REQUIRED');
    expect((await send(sec.cookie, 'GET', '/api/admin/policy')).body.code).toBe('TOTP_SETUP_REQUIRED');
    // applicants are not staff
    const applicant = await login('school_nm');
    expect(applicant.body.totpSetupRequired).toBe(false);
    expect((await send(applicant.cookie, 'GET', '/api/applications')).status).toBe(200);

    // put the policy back through the database (the security administrator is held at its own gate)
    await db().update(settings).set({ value: policy }).where(eq(settings.key, 'security_policy'));
    forgetPolicy(db());
  });

  it('等保 expiry: a password older than 90 days must be changed first; ASVS profile: no expiry, common passwords refused', async () => {
    await db()
      .update(users)
      .set({ passwordChangedAt: new Date(Date.now() - 91 * 86_400_000) })
      .where(eq(users.username, 'gh_community'));
    const old = await login('gh_community');
    expect(old.body).toMatchObject({ passwordExpired: true, mustChangePassword: false });
    expect((await send(old.cookie, 'GET', '/api/campaigns')).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const me = (await send(old.cookie, 'GET', '/api/me')).body;
    expect(me.passwordExpired).toBe(true);
    expect(new Date(me.passwordExpiresAt).getTime()).toBeLessThan(Date.now());
    expect(
      (await send(old.cookie, 'POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Guihua#2027' })).status,
    ).toBe(200);
    expect((await send(old.cookie, 'GET', '/api/campaigns')).status).toBe(200);
    const after = (await send(old.cookie, 'GET', '/api/me')).body;
    expect(new Date(after.passwordExpiresAt).getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);

    // the ASVS profile: an old password is no reason to stop anyone; length and the common list are
    const sec = await login('secadmin');
    const policy = (await send(sec.cookie, 'GET', '/api/admin/policy')).body.policy;
    expect((await send(sec.cookie, 'PUT', '/api/admin/policy', { ...policy, passwordProfile: 'asvs' })).status).toBe(200);
    await db()
      .update(users)
      .set({ passwordChangedAt: new Date(Date.now() - 400 * 86_400_000) })
      .where(eq(users.username, 'expert_sun'));
    const asvs = await login('expert_sun');
    expect(asvs.body.passwordExpired).toBe(false);
    expect((await send(asvs.cookie, 'GET', '/api/me')).body).toMatchObject({ passwordProfile: 'asvs', passwordExpiresAt: null });
    const change = (newPassword: string) =>
      send(asvs.cookie, 'POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword });
    const short = await change('Yz#2027abc');
    expect(short.status).toBe(400);
    expect(short.body.details.problems).toEqual(['密码至少12位']);
    expect((await change('qwertyuiop123')).body.details.problems).toEqual(['该密码过于常见，容易被猜中，请换一个']);
    expect((await change('a'.repeat(300))).status).toBe(400);
    expect((await change('青山绿水 yunzhou river walk')).status).toBe(200);
    expect((await send(sec.cookie, 'PUT', '/api/admin/policy', policy)).status).toBe(200);
  });
});
