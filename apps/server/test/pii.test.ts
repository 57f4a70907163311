import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { findPersonalNumbers, isValidIdNumber } from '@pingan/core';
import { applicationRevisions, applications, auditLog, outbox, subjects, users } from '../src/db/schema.js';
import type { Keys } from '../src/crypto/keys.js';
import { decrypt, encrypt } from '../src/crypto/pii.js';
import { protectPersonalData } from '../src/modules/applications/personalData.js';
import { notify } from '../src/modules/notifications/service.js';
import { drainOutbox, type OutboxMessage, type Sender } from '../src/modules/notifications/outbox.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * Personal numbers at rest: after startup the database holds no phone or ID number in clear, under
 * either crypto profile (intl: AES-256-GCM "g1:", sm: SM4 + HMAC-SM3 "s1:"); they decrypt back, a
 * tampered value is refused, and a member of staff who reveals one leaves a row in the audit trail.
 */
const PROFILES = ['intl', 'sm'] as const;
const CASES = DB_KINDS.flatMap((kind) => PROFILES.map((profile) => [kind, profile] as const));

/** Columns of random or derived machine values, never personal data: keyed hashes, digests, file keys, codes, signatures. */
const MACHINE_VALUE = /(^|_)(hash|sha256|storage_key|public_code|signature|pdf_key|zip_key)$/;

/** Every value of every text, varchar and jsonb column of every table (but machine values), scanned for clear numbers. */
async function scanDatabase(s: TestServer): Promise<{ cells: number; hits: { table: string; column: string; value: string }[] }> {
  const db = s.database.db;
  const cols = (
    (await db.execute(sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json') order by table_name, column_name`)) as unknown as {
      rows: { table_name: string; column_name: string }[];
    }
  ).rows;
  let cells = 0;
  const hits: { table: string; column: string; value: string }[] = [];
  for (const c of cols) {
    // random machine values (hashes, file keys, public codes, signatures) can hold a run of digits that looks like a number
    if (MACHINE_VALUE.test(c.column_name)) continue;
    const rows = (
      (await db.execute(
        sql`select ${sql.identifier(c.column_name)}::text as v from ${sql.identifier(c.table_name)} where ${sql.identifier(c.column_name)} is not null`,
      )) as unknown as {
        rows: { v: string }[];
      }
    ).rows;
    for (const r of rows) {
      cells++;
      for (const h of findPersonalNumbers(r.v)) hits.push({ table: c.table_name, column: c.column_name, value: h.value });
    }
  }
  return { cells, hits };
}

describe.each(CASES)('personal data at rest on %s, profile %s', (kind, profile) => {
  let s: TestServer;
  let keys: Keys;
  const prefix = profile === 'sm' ? 's1:' : 'g1:';
  beforeAll(async () => {
    const data = crypto.randomBytes(32);
    const audit = crypto.randomBytes(32);
    keys = { profile, data, audit };
    s = await getTestServer(kind, {
      config: { CRYPTO_PROFILE: profile, DATA_KEY: data.toString('hex'), AUDIT_KEY: audit.toString('hex') },
    });
  }, 180_000);
  afterAll(() => s?.close());

  it('after startup no clear phone or ID number is left anywhere in the database', async () => {
    const { cells, hits } = await scanDatabase(s);
    console.log(`[pii ${kind}/${profile}] database scan: ${cells} cells, ${hits.length} clear numbers`, hits.slice(0, 5));
    expect(cells).toBeGreaterThan(1000);
    expect(hits).toEqual([]);
    // no form keeps its phone in the JSON
    const [inForm] = await s.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(applications)
      .where(sql`${applications.form} ? 'contactPhone'`);
    const [inRevisions] = await s.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(applicationRevisions)
      .where(sql`${applicationRevisions.form} ? 'contactPhone'`);
    expect([inForm!.n, inRevisions!.n]).toEqual([0, 0]);
  });

  it('the stored values carry the profile’s prefix and decrypt back to valid numbers', async () => {
    const db = s.database.db;
    const households = await db.select().from(subjects).where(eq(subjects.kind, 'household'));
    expect(households.length).toBeGreaterThanOrEqual(5);
    for (const h of households) {
      expect(h.idNumber!.startsWith(prefix), h.name).toBe(true);
      expect(h.phone!.startsWith(prefix), h.name).toBe(true);
      expect(isValidIdNumber(decrypt(keys, h.idNumber!)), h.name).toBe(true);
      expect(decrypt(keys, h.phone!)).toMatch(/^1[3-9]\d{9}$/);
    }
    const phones = await db
      .select({ p: applications.contactPhone })
      .from(applications)
      .where(sql`${applications.contactPhone} is not null`);
    expect(phones.length).toBeGreaterThan(10);
    for (const p of phones) {
      expect(p.p!.startsWith(prefix)).toBe(true);
      expect(decrypt(keys, p.p!)).toMatch(/^0731-8\d{6,7}$/);
    }
    const revs = await db
      .select({ p: applicationRevisions.contactPhone })
      .from(applicationRevisions)
      .where(sql`${applicationRevisions.contactPhone} is not null`);
    expect(revs.length).toBeGreaterThan(5);
    for (const r of revs) expect(decrypt(keys, r.p!)).toMatch(/^0731-8\d{6,7}$/);
    // the applicant reads its own in full through the API
    const mine = (await call(s, 'family_li', 'GET', '/api/applications')).body.items[0];
    const d = (await call(s, 'family_li', 'GET', `/api/applications/${mine.id}`)).body;
    const li = households.find((h) => h.name === '李秀英家庭')!;
    expect(d.subject.idNumber).toBe(decrypt(keys, li.idNumber!));
    expect(d.subject.phone).toBe(decrypt(keys, li.phone!));
    expect(d.form.contactPhone).toMatch(/^0731-8\d{6,7}$/);
  });

  it('a tampered value is refused, not read', async () => {
    const sealed = encrypt(keys, '13812341234');
    expect(sealed.startsWith(prefix)).toBe(true);
    expect(decrypt(keys, sealed)).toBe('13812341234');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 0x01;
    expect(() => decrypt(keys, prefix + raw.toString('base64'))).toThrow();
    // another key cannot read it either
    expect(() => decrypt({ ...keys, data: crypto.randomBytes(32) }, sealed)).toThrow();
    // in the database: the page answers an error, never a garbled number
    const db = s.database.db;
    const [zhao] = await db.select().from(subjects).where(eq(subjects.name, '赵丽华家庭'));
    const bytes = Buffer.from(zhao!.phone!.slice(3), 'base64');
    bytes[bytes.length - 2]! ^= 0x10;
    await db
      .update(subjects)
      .set({ phone: prefix + bytes.toString('base64') })
      .where(eq(subjects.id, zhao!.id));
    const app = (await call(s, 'family_zhao', 'GET', '/api/applications')).body.items[0];
    const res = await call(s, 'family_zhao', 'GET', `/api/applications/${app.id}`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/1[3-9]\d{9}/);
    await db.update(subjects).set({ phone: zhao!.phone }).where(eq(subjects.id, zhao!.id));
    expect((await call(s, 'family_zhao', 'GET', `/api/applications/${app.id}`)).status).toBe(200);
  });

  it('the startup step is idempotent and encrypts what was written in clear since, users’ phones and the outbox included', async () => {
    const db = s.database.db;
    expect(await protectPersonalData(db, keys)).toBe(0);
    const [edu] = await db.select().from(users).where(eq(users.username, 'city_edu'));
    await db.update(users).set({ phone: '13812345678' }).where(eq(users.id, edu!.id));
    const [wang] = await db.select().from(subjects).where(eq(subjects.name, '王建国家庭'));
    await db.update(subjects).set({ idNumber: '430102198001011230', phone: '13987654321' }).where(eq(subjects.id, wang!.id));
    await notify(db, [edu!.id], { kind: 'assigned', title: 'pii 测试' });
    expect((await scanDatabase(s)).hits.length).toBe(4);
    expect(await protectPersonalData(db, keys)).toBe(4);
    expect(await protectPersonalData(db, keys)).toBe(0);
    expect((await scanDatabase(s)).hits).toEqual([]);
    const [again] = await db.select().from(users).where(eq(users.id, edu!.id));
    expect(decrypt(keys, again!.phone!)).toBe('13812345678');

    // the SMS goes out to the clear number, opened only to hand it to the sender
    await notify(db, [edu!.id], { kind: 'assigned', title: 'pii 测试二' });
    const [row] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.channel, 'sms'), eq(outbox.body, '【平安创建】pii 测试二，请登录平台查看。')));
    expect(row!.recipient.startsWith(prefix)).toBe(true);
    const sent: OutboxMessage[] = [];
    const sms: Sender = { channel: 'sms', send: async (m) => void sent.push(m) };
    const mail: Sender = { channel: 'mail', send: async () => undefined };
    await drainOutbox(db, [sms, mail], { now: new Date(Date.now() + 60_000), batch: 1000, keys });
    expect(sent.map((m) => m.recipient)).toContain('13812345678');
    expect(sent.every((m) => /^1[3-9]\d{9}$/.test(m.recipient))).toBe(true);
  });

  it('revealing the full numbers is for the staff who own a step or the campaign office, and is audited', async () => {
    const db = s.database.db;
    const items = (await call(s, 'city_office', 'GET', `/api/applications?limit=500&q=${encodeURIComponent('李秀英')}`)).body.items as {
      id: number;
      campaignName: string;
    }[];
    const app = items.find((a) => a.campaignName.startsWith('云州市'))!;
    expect(app).toBeTruthy();
    const masked = (await call(s, 'city_office', 'GET', `/api/applications/${app.id}`)).body;
    expect(masked.canRevealContact).toBe(true);
    expect(masked.subject.idNumber).toMatch(/^\d{6}\*{8}[\dX]{0,1}\d{3}[\dX]$/);
    expect(masked.subject.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    const before = await db.select().from(auditLog).where(eq(auditLog.action, 'pii.view'));
    const r = await call(s, 'city_office', 'POST', `/api/applications/${app.id}/contact`);
    expect(r.status).toBe(200);
    expect(isValidIdNumber(r.body.subjectIdNumber)).toBe(true);
    expect(r.body.subjectIdNumber.slice(0, 6)).toBe(masked.subject.idNumber.slice(0, 6));
    expect(r.body.subjectPhone.slice(-4)).toBe(masked.subject.phone.slice(-4));
    expect(r.body.contactPhone).toMatch(/^0731-8\d{6,7}$/);
    // 青山区平安办 sees the application but owns no step of the city's round: refused, and recorded
    const qs = (await call(s, 'qs_office', 'GET', `/api/applications/${app.id}`)).body;
    expect(qs.canRevealContact).toBe(false);
    expect((await call(s, 'qs_office', 'POST', `/api/applications/${app.id}/contact`)).status).toBe(403);
    const rows = (await db.select().from(auditLog).where(eq(auditLog.action, 'pii.view'))).slice(before.length);
    expect(rows.map((x) => [x.username, x.result, x.objectType, x.objectId])).toEqual([
      ['city_office', 'ok', 'application', String(app.id)],
      ['qs_office', 'denied', 'application', String(app.id)],
    ]);
    // the trail names what was seen, never the numbers themselves
    expect(findPersonalNumbers(JSON.stringify(rows))).toEqual([]);
  });
});
