import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, ne, sql } from 'drizzle-orm';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { FastifyInstance } from 'fastify';
import { publicTitleStatus } from '@pingan/core';
import { today } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { loadSigningKey } from '../src/crypto/keys.js';
import { applications, certificateBatches, subjects, titles } from '../src/db/schema.js';
import { certificateNo, issueTitle } from '../src/modules/titles/issue.js';
import PDFDocument from 'pdfkit';
import { bytesOf, drawCertificate, pageOptions, renderCertificate } from '../src/modules/titles/certificate.js';
import { runBatch, type BatchEnv } from '../src/modules/titles/batch.js';
import { batchById, certificateRowsByIds } from '../src/modules/titles/queries.js';
import { certificateData } from '../src/modules/titles/service.js';
import { canonicalJson, readPublicKeyPem, readSignedPdf, signText, verifyText } from '../src/modules/titles/sign.js';
import { LocalDiskStorage } from '../src/storage/storage.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * Certificates and plaques you can trust (issue 7 §3): unguessable numbers, a QR code to the title's
 * public page built from the configured address (never the Host header), signed data that a CLI
 * checks offline, and a campaign's certificates as one job.
 */

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_CLI = path.join(SERVER_DIR, 'src/cli/admin.ts');
const BASE = 'https://pingan.example.gov.cn';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const NUMBER = /^PA(\d{4})-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z]{5})$/;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-cert-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
const tmpFile = (ext: string, data?: Buffer) => {
  const f = path.join(tmp, `f${++fileNo}.${ext}`);
  if (data) fs.writeFileSync(f, data);
  return f;
};

/** Renders the PDF's first page at 150 dpi with pdftoppm and decodes the QR code on it. */
function decodeQr(pdf: Buffer): string | null {
  const file = tmpFile('pdf', pdf);
  const out = file.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', '-f', '1', '-l', '1', file, out]);
  const png = PNG.sync.read(fs.readFileSync(`${out}.png`));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return code?.data ?? null;
}

const pdfPages = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [tmpFile('pdf', pdf)]).toString())![1]);

/** The entries of a zip, read from its central directory: name and stored bytes. */
function zipEntries(zip: Buffer): { name: string; data: Buffer }[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error('not a zip');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const n = zip.readUInt16LE(p + 28);
    const m = zip.readUInt16LE(p + 30);
    const k = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + n).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({ name, data: method === 0 ? zip.subarray(start, start + size) : Buffer.alloc(0) });
    p += 46 + n + m + k;
  }
  return out;
}

/** Runs `npm run admin -- verify-certificate …` as an operator would (tsx, the real entry point). */
function verifyCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', ADMIN_CLI, 'verify-certificate', ...args], {
      cwd: SERVER_DIR,
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** Changes one field of the signed data inside a certificate PDF, keeping the file otherwise as it is. */
function tamper(pdf: Buffer, change: (d: Record<string, unknown>) => void): Buffer {
  const s = readSignedPdf(pdf)!;
  const d = JSON.parse(s.signedData) as Record<string, unknown>;
  change(d);
  const oldB64 = Buffer.from(s.signedData, 'utf8').toString('base64');
  const newB64 = Buffer.from(canonicalJson(d), 'utf8').toString('base64');
  const text = pdf.toString('latin1');
  expect(text.includes(`(${oldB64})`)).toBe(true);
  return Buffer.from(text.replace(`(${oldB64})`, `(${newB64})`), 'latin1');
}

describe('certificate numbers', () => {
  it('are PA, the year and 100 random bits in Crockford base32: no internal id, no guessing', () => {
    const n = 3000;
    const seen = new Set<string>();
    const perPosition = Array.from({ length: 20 }, () => new Set<string>());
    for (let i = 0; i < n; i++) {
      const no = certificateNo(2026);
      const m = NUMBER.exec(no);
      expect(m, no).not.toBeNull();
      expect(m![1]).toBe('2026');
      const random = m!.slice(2).join('');
      expect(random).toHaveLength(20); // 20 × 5 bits = 100 bits ≥ 96
      random.split('').forEach((ch, j) => perPosition[j]!.add(ch));
      seen.add(no);
    }
    expect(seen.size).toBe(n);
    // every position takes (nearly) all 32 symbols: each carries 5 random bits, none is fixed or counted
    for (const p of perPosition) expect(p.size).toBeGreaterThanOrEqual(30);
    expect([...perPosition.flatMap((p) => [...p])].every((c) => CROCKFORD.includes(c))).toBe(true);
  });
});

describe('signing keys', () => {
  it('are required in production, and made once per algorithm in keys.json elsewhere', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'keys-'));
    const production = { NODE_ENV: 'production' as const, DATA_DIR: dir, DATA_KEY: '1'.repeat(64), AUDIT_KEY: '2'.repeat(64) };
    expect(() => loadSigningKey(loadConfig({}, production))).toThrow(/SIGNING_KEY is required in production/);
    const seed = 'a'.repeat(64);
    const prod = loadSigningKey(loadConfig({}, { ...production, SIGNING_KEY: seed }))!;
    expect(prod.alg).toBe('Ed25519');
    expect(loadSigningKey(loadConfig({}, { DATA_DIR: dir, SIGNING_KEY: seed }))!.publicKeyPem).toBe(prod.publicKeyPem);
    expect(() => loadSigningKey(loadConfig({}, { DATA_DIR: dir, SIGNING_KEY: 'abcd' }))).toThrow(/32 bytes/);
    // nothing is written for the offline verifier; the server makes one and keeps it
    expect(loadSigningKey(loadConfig({}, { DATA_DIR: dir }), { create: false })).toBeNull();
    const ed = loadSigningKey(loadConfig({}, { DATA_DIR: dir }))!;
    const sm = loadSigningKey(loadConfig({}, { DATA_DIR: dir, CRYPTO_PROFILE: 'sm' }))!;
    expect(sm.alg).toBe('SM2-SM3');
    expect(loadSigningKey(loadConfig({}, { DATA_DIR: dir }))!.publicKeyPem).toBe(ed.publicKeyPem);
    expect(loadSigningKey(loadConfig({}, { DATA_DIR: dir, CRYPTO_PROFILE: 'sm' }))!.publicKeyPem).toBe(sm.publicKeyPem);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
    expect(Object.keys(stored).sort()).toEqual(['signingEd25519', 'signingSm2']);
    expect(fs.statSync(path.join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
  });

  it('sign with Ed25519 and with SM2/SM3; one changed field breaks the signature', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'keys-'));
    for (const profile of ['intl', 'sm'] as const) {
      const key = loadSigningKey(loadConfig({}, { DATA_DIR: dir, CRYPTO_PROFILE: profile }))!;
      const pub = readPublicKeyPem(key.publicKeyPem);
      const data = {
        v: 1,
        certificateNo: 'PA2026-7K3QD-M9X2F-0TB8R-Z4WHN',
        holder: '云州市人民医院',
        title: '平安医院',
        year: 2026,
        stars: 4,
        level: 'advanced',
        issuer: '云州市平安建设领导小组',
        conferredOn: '2026-11-20',
        namingDocument: '云安〔2026〕3号',
      };
      const text = canonicalJson(data);
      const sig = signText(key, text);
      expect(verifyText(pub, key.alg, text, sig), profile).toBe(true);
      for (const [k, v] of Object.entries(data)) {
        const changed = canonicalJson({ ...data, [k]: typeof v === 'number' ? v + 1 : `${v}改` });
        expect(verifyText(pub, key.alg, changed, sig), `${profile}: ${k}`).toBe(false);
      }
      expect(verifyText(pub, key.alg === 'Ed25519' ? 'SM2-SM3' : 'Ed25519', text, sig)).toBe(false);
    }
  });
});

describe.each(DB_KINDS)('certificates and plaques on %s', (kind) => {
  let s: TestServer;
  let dataDir: string;
  /** a second app on the same database and data folder, with PUBLIC_BASE_URL unset */
  let plain: FastifyInstance;
  let title: { id: number; no: string; campaignId: number; regionPath: string };

  const pdfOf = async (app: FastifyInstance, user: string, url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: await s.login(user), ...headers } });
    return { status: res.statusCode, body: res.rawPayload, type: res.headers['content-type'] };
  };

  beforeAll(async () => {
    // a trailing slash is dropped: the QR code reads BASE/t/<number>
    s = await getTestServer(kind, { config: { PUBLIC_BASE_URL: `${BASE}/` } });
    dataDir = path.dirname(s.filesDir);
    const config = loadConfig(
      {},
      { DATA_DIR: dataDir, LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', OUTBOX_INTERVAL_MS: 0, LOGIN_RATE_PER_MINUTE: 100_000 },
    );
    expect(config.PUBLIC_BASE_URL).toBeUndefined();
    plain = await buildApp(config, s.database, new LocalDiskStorage(s.filesDir));
    await plain.ready();
    const [t] = await s.database.db
      .select({ id: titles.id, no: titles.certificateNo, campaignId: applications.campaignId, regionPath: titles.regionPath })
      .from(titles)
      .innerJoin(applications, eq(applications.id, titles.applicationId))
      .where(eq(titles.categoryCode, 'hospital'))
      .orderBy(titles.id)
      .limit(1);
    expect(t, 'the demo world confers 云州市人民医院').toBeDefined();
    title = t!;
  });
  afterAll(async () => {
    await plain?.close();
    await s?.close();
  });

  it('conferral gives every title a number of the year and 100 random bits', async () => {
    const all = await s.database.db
      .select({ id: titles.id, no: titles.certificateNo, year: titles.year, app: titles.applicationId })
      .from(titles);
    expect(all.length).toBeGreaterThan(0);
    for (const t of all) {
      const m = NUMBER.exec(t.no);
      expect(m, t.no).not.toBeNull();
      expect(Number(m![1])).toBe(t.year);
    }
  });

  it('prints a QR code of PUBLIC_BASE_URL/t/<number> on the plaque and on the A4 certificate, whatever the Host header says', async () => {
    for (const layout of ['plaque', 'a4'] as const) {
      const pdf = await pdfOf(s.app, 'city_office', `/api/titles/${title.id}/certificate.pdf?layout=${layout}`, {
        host: 'evil.example.com',
        'x-forwarded-host': 'evil.example.com',
        'x-forwarded-proto': 'http',
      });
      expect(pdf.status, layout).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect(pdfPages(pdf.body)).toBe(1);
      expect(decodeQr(pdf.body), layout).toBe(`${BASE}/t/${title.no}`);
      expect(pdf.body.includes(Buffer.from('evil.example.com'))).toBe(false);
    }
  });

  it('without PUBLIC_BASE_URL prints this machine’s address (127.0.0.1 and the port), never the Host header', async () => {
    for (const layout of ['plaque', 'a4'] as const) {
      const pdf = await pdfOf(plain, 'city_office', `/api/titles/${title.id}/certificate.pdf?layout=${layout}`, {
        host: 'evil.example.com:8443',
      });
      expect(pdf.status).toBe(200);
      expect(decodeQr(pdf.body), layout).toBe(`http://127.0.0.1:3000/t/${title.no}`);
    }
    const list = await plain.inject({
      method: 'GET',
      url: '/api/titles?limit=5',
      headers: { cookie: await s.login('city_office'), host: 'evil.example.com' },
    });
    expect(
      list
        .json()
        .items.every((i: { publicUrl: string; certificateNo: string }) => i.publicUrl === `http://127.0.0.1:3000/t/${i.certificateNo}`),
    ).toBe(true);
  });

  it('signs the certificate data, stores the signature on the title and embeds it in the PDF', async () => {
    const pdf = (await pdfOf(s.app, 'city_office', `/api/titles/${title.id}/certificate.pdf`)).body;
    const embedded = readSignedPdf(pdf)!;
    expect(embedded).not.toBeNull();
    const key = await call(s, null, 'GET', '/api/public/signing-key');
    expect(key.status).toBe(200);
    expect(key.body.algorithm).toBe('Ed25519');
    expect(key.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const pub = readPublicKeyPem(key.body.publicKeyPem);
    expect(verifyText(pub, embedded.signatureAlg, embedded.signedData, embedded.signature)).toBe(true);
    const data = JSON.parse(embedded.signedData);
    expect(data).toMatchObject({ v: 1, certificateNo: title.no, holder: '云州市人民医院', title: '平安医院' });
    expect(Object.keys(data).sort()).toEqual([...key.body.signedFields].sort());
    const [row] = await s.database.db.select().from(titles).where(eq(titles.id, title.id));
    expect(row).toMatchObject({ signedData: embedded.signedData, signature: embedded.signature, signatureAlg: 'Ed25519' });
    // one changed field, any of them, and the signature no longer holds
    for (const k of Object.keys(data)) {
      const changed = { ...data, [k]: typeof data[k] === 'number' ? data[k] + 1 : `${data[k] ?? ''}x` };
      expect(verifyText(pub, embedded.signatureAlg, canonicalJson(changed), embedded.signature), k).toBe(false);
    }
    // the same title renders with the same stored signature
    const again = readSignedPdf((await pdfOf(s.app, 'city_office', `/api/titles/${title.id}/certificate.pdf?layout=a4`)).body)!;
    expect(again.signature).toBe(embedded.signature);
  });

  it('a naming document recorded by the campaign’s office is printed and signed anew', async () => {
    const other = await call(s, 'city_edu', 'PUT', `/api/campaigns/${title.campaignId}/naming-document`, {
      namingDocument: '云安〔2026〕3号',
    });
    expect(other.status).toBe(403);
    const nul = await call(s, 'city_office', 'PUT', `/api/campaigns/${title.campaignId}/naming-document`, { namingDocument: 'a\u0000b' });
    expect(nul.status).toBe(400);
    const before = readSignedPdf((await pdfOf(s.app, 'city_office', `/api/titles/${title.id}/certificate.pdf`)).body)!;
    const set = await call(s, 'city_office', 'PUT', `/api/campaigns/${title.campaignId}/naming-document`, {
      namingDocument: ' 云安〔2026〕8号 ',
      overwrite: true,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.updated).toBeGreaterThanOrEqual(1);
    const again = await call(s, 'city_office', 'PUT', `/api/campaigns/${title.campaignId}/naming-document`, {
      namingDocument: '云安〔2026〕9号',
    });
    expect(again.body.updated).toBe(0); // only titles without one, unless told to overwrite
    const pdf = (await pdfOf(s.app, 'city_office', `/api/titles/${title.id}/certificate.pdf`)).body;
    const signed = readSignedPdf(pdf)!;
    expect(JSON.parse(signed.signedData).namingDocument).toBe('云安〔2026〕8号');
    expect(signed.signature).not.toBe(before.signature);
    const key = readPublicKeyPem((await call(s, null, 'GET', '/api/public/signing-key')).body.publicKeyPem);
    expect(verifyText(key, signed.signatureAlg, signed.signedData, signed.signature)).toBe(true);
  });

  it('the offline CLI says 有效签名 for a real certificate and 签名无效 for a tampered one', async () => {
    const pdf = (await pdfOf(s.app, 'city_office', `/api/titles/${title.id}/certificate.pdf?layout=a4`)).body;
    const good = tmpFile('pdf', pdf);
    const ok = await verifyCli([good], { DATA_DIR: dataDir });
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('有效签名');
    expect(ok.out).toContain(title.no);
    expect(ok.out).toContain('云州市人民医院');

    // the stars raised by one: the data no longer matches its signature
    const bad = tmpFile(
      'pdf',
      tamper(pdf, (d) => (d.stars = Number(d.stars) + 1)),
    );
    const no = await verifyCli([bad], { DATA_DIR: dataDir });
    expect(no.code, no.out).toBe(1);
    expect(no.out).toContain('签名无效');

    // with the public key as anyone gets it, from another folder that has no keys at all
    const pem = tmpFile('pem', Buffer.from((await call(s, null, 'GET', '/api/public/signing-key')).body.publicKeyPem));
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect((await verifyCli([good, '--public-key', pem], { DATA_DIR: empty })).code).toBe(0);
    expect((await verifyCli([bad, '--public-key', pem], { DATA_DIR: empty })).code).toBe(1);
    // a PDF that is no certificate of ours
    const plainPdf = tmpFile('pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
    const none = await verifyCli([plainPdf, '--public-key', pem], { DATA_DIR: empty });
    expect(none.code).toBe(1);
    expect(none.out).toContain('签名无效');
  });

  it('the CLI checks an SM2/SM3-signed certificate with its PEM, and refuses it under another key', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'sm-'));
    const key = loadSigningKey(loadConfig({}, { DATA_DIR: dir, CRYPTO_PROFILE: 'sm' }))!;
    const text = canonicalJson({
      v: 1,
      certificateNo: title.no,
      holder: '王**家庭',
      title: '平安家庭',
      year: 2026,
      stars: 0,
      level: 'title',
      issuer: '大托铺街道平安建设领导小组',
      conferredOn: '2026-11-20',
      namingDocument: null,
    });
    const pdf = await renderCertificate(
      {
        banner: '“十大平安”创建',
        subjectName: '王**家庭',
        year: 2026,
        titleName: '平安家庭',
        stars: 0,
        level: 'title',
        issuer: '大托铺街道平安建设领导小组',
        conferredOn: '2026-11-20',
        certificateNo: title.no,
        namingDocument: null,
        verifyUrl: `${BASE}/t/${title.no}`,
      },
      'plaque',
      { signedData: text, signature: signText(key, text), signatureAlg: key.alg },
    );
    const file = tmpFile('pdf', pdf);
    const ok = await verifyCli([file], { DATA_DIR: dir, CRYPTO_PROFILE: 'sm' });
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('SM2-SM3');
    const pem = tmpFile('pem', Buffer.from(key.publicKeyPem));
    expect((await verifyCli([file, '--public-key', pem], { DATA_DIR: tmp })).code).toBe(0);
    const tampered = tmpFile(
      'pdf',
      tamper(pdf, (d) => (d.title = '平安医院')),
    );
    expect((await verifyCli([tampered, '--public-key', pem], { DATA_DIR: tmp })).code).toBe(1);
    // the platform's Ed25519 key does not vouch for it
    expect((await verifyCli([file], { DATA_DIR: dataDir })).code).toBe(1);
  });

  it('the certificate is 404 outside scope: another office, another department, another applicant', async () => {
    const offices = ['qs_office', 'lj_office'];
    const { rows } = (await s.database.db.execute(
      sql`select u.username, r.path from users u join organisations o on o.id = u.org_id join regions r on r.id = o.region_id where u.username in ('qs_office', 'lj_office')`,
    )) as unknown as { rows: { username: string; path: string }[] };
    const outsiders = rows.filter((r) => !title.regionPath.startsWith(r.path)).map((r) => r.username);
    expect(outsiders.length).toBeGreaterThan(0);
    for (const u of [...outsiders, 'city_edu', 'school_nm']) {
      const r = await call(s, u, 'GET', `/api/titles/${title.id}/certificate.pdf`);
      expect(r.status, u).toBe(404);
    }
    expect(offices.length).toBe(2);
    expect((await call(s, null, 'GET', `/api/titles/${title.id}/certificate.pdf`)).status).toBe(401);
    expect((await call(s, 'hospital_rm', 'GET', `/api/titles/${title.id}/certificate.pdf`)).status).toBe(200);
    expect((await call(s, 'city_health', 'GET', `/api/titles/${title.id}/certificate.pdf`)).status).toBe(200);
    expect((await call(s, 'city_office', 'GET', `/api/titles/2147483646/certificate.pdf`)).status).toBe(404);
    expect((await call(s, 'city_office', 'GET', `/api/titles/${title.id}/certificate.pdf?layout=poster`)).status).toBe(400);
  });

  it('the staff list is paged and searchable, with the live status and the public link, and exports to Excel', async () => {
    const all = await call(s, 'city_office', 'GET', '/api/titles?limit=500');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.items.length);
    const one = all.body.items.find((i: { id: number }) => i.id === title.id);
    const [stored] = await s.database.db.select().from(titles).where(eq(titles.id, title.id));
    expect(one).toMatchObject({
      certificateNo: title.no,
      publicStatus: publicTitleStatus(stored!, today()),
      statusReason: stored!.statusReason,
      publicUrl: `${BASE}/t/${title.no}`,
      signed: true,
    });
    const page = await call(s, 'city_office', 'GET', '/api/titles?limit=1&offset=0');
    expect(page.body.items).toHaveLength(Math.min(1, all.body.total));
    expect(page.body.total).toBe(all.body.total);
    const found = await call(s, 'city_office', 'GET', `/api/titles?q=${encodeURIComponent('人民医院')}`);
    expect(found.body.items.map((i: { id: number }) => i.id)).toContain(title.id);
    expect(
      found.body.items.every((i: { subjectName: string; regionName: string }) => `${i.subjectName}${i.regionName}`.includes('人民医院')),
    ).toBe(true);
    const byNo = await call(s, 'city_office', 'GET', `/api/titles?q=${title.no.slice(-11).toLowerCase()}`);
    expect(byNo.body.items.map((i: { id: number }) => i.id)).toEqual([title.id]);
    expect((await call(s, 'city_office', 'GET', '/api/titles?q=%25')).body.total).toBe(0); // % is a character, not a wildcard
    // the live status reads at once, and the status filter agrees with core publicTitleStatus
    const ids = (r: { body: { items: { id: number }[] } }) => r.body.items.map((i) => i.id);
    const asOf = today();
    const yesterday = new Date(Date.parse(`${asOf}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    for (const [change, status] of [
      [{ status: 'suspended', statusReason: '测试：发生安全事故' }, 'yellow'],
      [{ status: 'revoked', statusReason: '测试：一票否决' }, 'revoked'],
      [{ status: 'valid', validUntil: yesterday }, 'expired'],
      [{ status: 'valid', validUntil: asOf }, 'valid'], // the last day still holds
    ] as const) {
      await s.database.db.update(titles).set(change).where(eq(titles.id, title.id));
      const filtered = await call(s, 'city_office', 'GET', `/api/titles?status=${status}`);
      expect(ids(filtered), status).toContain(title.id);
      expect(filtered.body.items.every((i: { publicStatus: string }) => i.publicStatus === status)).toBe(true);
      for (const other of ['valid', 'yellow', 'revoked', 'expired'].filter((x) => x !== status))
        expect(ids(await call(s, 'city_office', 'GET', `/api/titles?status=${other}`)), `${status} ≠ ${other}`).not.toContain(title.id);
    }
    const { id: _i, ...original } = stored!;
    await s.database.db.update(titles).set(original).where(eq(titles.id, title.id));
    // bounded input
    expect((await call(s, 'city_office', 'GET', '/api/titles?limit=501')).status).toBe(400);
    expect((await call(s, 'city_office', 'GET', '/api/titles?q=a%00b')).status).toBe(400);
    // Excel: the same rows
    const xlsx = await s.app.inject({ method: 'GET', url: '/api/titles?format=xlsx', headers: { cookie: await s.login('city_office') } });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('已命名')!;
    expect(ws.rowCount - 1).toBe(all.body.total);
    const cells = ws.getColumn(1).values.slice(2).map(String);
    expect(cells).toContain(title.no);
    // a department sees its categories only
    const edu = await call(s, 'city_edu', 'GET', '/api/titles?limit=500');
    expect(edu.body.items.every((i: { categoryCode: string }) => i.categoryCode === 'campus')).toBe(true);
  });

  describe('a campaign’s certificates as one job', () => {
    const extra = 24;
    let batchId = 0;
    beforeAll(async () => {
      // more titles in the campaign: two holders share a name (their files must not overwrite each other), one title is revoked
      const db = s.database.db;
      const [tpl] = await db
        .select()
        .from(applications)
        .where(eq(applications.id, (await db.select().from(titles).where(eq(titles.id, title.id)))[0]!.applicationId));
      const [subj] = await db.select().from(subjects).where(eq(subjects.id, tpl!.subjectId));
      await db.transaction(async (tx) => {
        for (let i = 0; i < extra; i++) {
          const [sub] = await tx
            .insert(subjects)
            .values({
              kind: 'unit',
              name: i === 1 ? '云州市测试单位00号' : `云州市测试单位${String(i).padStart(2, '0')}号`,
              regionId: subj!.regionId,
            })
            .returning();
          const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = tpl! as typeof tpl & { createdAt?: unknown; updatedAt?: unknown };
          const [app] = await tx
            .insert(applications)
            .values({ ...rest, subjectId: sub!.id, status: 'conferred' })
            .returning();
          const t = await issueTitle(
            tx,
            {
              applicationId: app!.id,
              subjectId: sub!.id,
              regionPath: tpl!.regionPath,
              categoryCode: tpl!.categoryCode,
              titleName: '平安医院',
              year: 2026,
              stars: (i % 5) + 1,
              level: i % 5 >= 3 ? 'advanced' : 'standard',
              issuer: '云州市平安建设领导小组',
              conferredOn: '2026-11-20',
            },
            null,
          );
          if (i === extra - 1) await tx.update(titles).set({ status: 'revoked', statusReason: '测试：撤销' }).where(eq(titles.id, t.id));
        }
      });
    });

    it('makes one print PDF with a page per certificate and a zip of one signed PDF per holder, with progress, without holding up the server', async () => {
      const db = s.database.db;
      const expected = (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(titles)
          .innerJoin(applications, eq(applications.id, titles.applicationId))
          .where(and(eq(applications.campaignId, title.campaignId), ne(titles.status, 'revoked')))
      )[0]!.n;
      expect(expected).toBeGreaterThanOrEqual(extra);

      // others may not start it
      for (const u of ['city_edu', 'hospital_rm', 'qs_office', 'lj_office'])
        expect(
          (await call(s, u, 'POST', `/api/campaigns/${title.campaignId}/certificate-batches`, { layout: 'plaque' })).status,
          u,
        ).toBeOneOf([403, 404]);

      let maxLag = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        maxLag = Math.max(maxLag, now - last - 5);
        last = now;
      }, 5);
      const started = await call(s, 'city_office', 'POST', `/api/campaigns/${title.campaignId}/certificate-batches`, { layout: 'plaque' });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const id = started.body.id as number;
      expect(id).toBeGreaterThan(0);
      batchId = id;
      // starting it again while it runs answers the same job
      expect(
        (await call(s, 'city_office', 'POST', `/api/campaigns/${title.campaignId}/certificate-batches`, { layout: 'plaque' })).body.id,
      ).toBe(id);
      // its files are not there yet
      expect((await call(s, 'city_office', 'GET', `/api/certificate-batches/${id}/certificates.pdf`)).status).toBe(409);

      const seen: number[] = [];
      let status: { status: string; done: number; total: number } = { status: 'running', done: 0, total: 0 };
      const t0 = Date.now();
      while (status.status === 'running' && Date.now() - t0 < 120_000) {
        const health = performance.now();
        const r = await call(s, 'city_office', 'GET', `/api/certificate-batches/${id}`);
        expect(performance.now() - health).toBeLessThan(2000); // the server answers while the job runs
        expect(r.status).toBe(200);
        status = r.body;
        expect(status.total).toBe(expected);
        seen.push(status.done);
        await new Promise((res) => setTimeout(res, 40));
      }
      clearInterval(timer);
      expect(status.status).toBe('done');
      expect(status.done).toBe(expected);
      expect(
        seen.some((d) => d > 0 && d < expected),
        `progress seen: ${seen.join(',')}`,
      ).toBe(true);
      expect(seen.every((d, i) => i === 0 || d >= seen[i - 1]!)).toBe(true);
      expect(maxLag, 'the event loop turned between certificates').toBeLessThan(1500);

      // someone else's office cannot see it or its files
      for (const u of ['qs_office', 'city_edu']) {
        expect((await call(s, u, 'GET', `/api/certificate-batches/${id}`)).status, u).toBeOneOf([403, 404]);
        expect((await call(s, u, 'GET', `/api/certificate-batches/${id}/certificates.zip`)).status, u).toBeOneOf([403, 404]);
      }

      const pdf = await pdfOf(s.app, 'city_office', `/api/certificate-batches/${id}/certificates.pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect(pdfPages(pdf.body)).toBe(expected);
      expect(decodeQr(pdf.body)).toMatch(new RegExp(`^${BASE.replace(/\./g, '\\.')}/t/PA\\d{4}(-[0-9A-Z]{5}){4}$`));

      const zip = await pdfOf(s.app, 'city_office', `/api/certificate-batches/${id}/certificates.zip`);
      expect(zip.status).toBe(200);
      expect(zip.type).toBe('application/zip');
      const entries = zipEntries(zip.body);
      expect(entries).toHaveLength(expected);
      expect(new Set(entries.map((e) => e.name)).size).toBe(expected);
      expect(entries.map((e) => e.name)).toContain('云州市人民医院.pdf');
      expect(entries.filter((e) => e.name.startsWith('云州市测试单位00号'))).toHaveLength(2);
      expect(entries.some((e) => e.name === `云州市测试单位${String(extra - 1).padStart(2, '0')}号.pdf`)).toBe(false); // revoked
      const key = readPublicKeyPem((await call(s, null, 'GET', '/api/public/signing-key')).body.publicKeyPem);
      for (const e of entries) {
        expect(e.data.subarray(0, 5).toString(), e.name).toBe('%PDF-');
        const signed = readSignedPdf(e.data)!;
        expect(verifyText(key, signed.signatureAlg, signed.signedData, signed.signature), e.name).toBe(true);
        expect(`${JSON.parse(signed.signedData).holder}`).toBe(e.name.replace(/(-PA[0-9A-Z-]+)?\.pdf$/, ''));
      }
      const holder = entries.find((e) => e.name === '云州市人民医院.pdf')!;
      expect(decodeQr(holder.data)).toBe(`${BASE}/t/${title.no}`);
      expect(pdfPages(holder.data)).toBe(1);

      const list = await call(s, 'city_office', 'GET', `/api/campaigns/${title.campaignId}/certificate-batches`);
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toMatchObject({ id, status: 'done', done: expected, total: expected, layout: 'plaque' });
    }, 180_000);

    it('the worker’s files hold each holder’s own page in Chinese, drawn as pdfkit with fontkit’s subsetter draws it; a rerun starts over', async () => {
      expect(batchId).toBeGreaterThan(0);
      const zip = (await pdfOf(s.app, 'city_office', `/api/certificate-batches/${batchId}/certificates.zip`)).body;
      const entries = zipEntries(zip);
      const print = (await pdfOf(s.app, 'city_office', `/api/certificate-batches/${batchId}/certificates.pdf`)).body;
      const printFile = tmpFile('pdf', print);
      const pages = pdfPages(print);
      expect(pages).toBe(entries.length);
      const pageText = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), printFile, '-']).toString();
      const holders = entries.map((e) => e.name.replace(/(-PA[0-9A-Z-]+)?\.pdf$/, ''));
      for (const [i, e] of entries.entries()) {
        expect(pdfPages(e.data), e.name).toBe(1);
        const text = execFileSync('pdftotext', [tmpFile('pdf', e.data), '-']).toString();
        // the text comes out of the renumbered glyphs through the ToUnicode map: the holder's name, in Chinese
        expect(text, e.name).toContain(holders[i]);
        expect(text).toContain('平安医院'.split('').join(' '));
        expect(text).toContain('云州市平安建设领导小组');
        expect(text).toContain(JSON.parse(readSignedPdf(e.data)!.signedData).certificateNo);
        // the zip keeps the print PDF's order: the holder's file is the page drawn for it
        expect(pageText(i + 1)).toContain(holders[i]);
      }

      // the glyphs: the holder's page rasterised against the same certificate drawn by pdfkit with the
      // font files as they are (fontkit's own subsetter): the same pixels
      const [row] = await certificateRowsByIds(s.database.db, [title.id]);
      const doc = new PDFDocument({ ...pageOptions('plaque'), autoFirstPage: true });
      const fonts = path.join(path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
      doc.registerFont('regular', path.join(fonts, 'NotoSansHans-Regular.otf'));
      doc.registerFont('bold', path.join(fonts, 'NotoSansHans-Bold.otf'));
      const reference = bytesOf(doc);
      drawCertificate(doc, certificateData(row!, BASE), 'plaque');
      doc.end();
      const raster = (pdf: Buffer) => {
        const file = tmpFile('pdf', pdf);
        execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, file]);
        return PNG.sync.read(fs.readFileSync(`${file}.png`));
      };
      const differing = (a: PNG, b: PNG) => {
        expect([a.width, a.height]).toEqual([b.width, b.height]);
        let n = 0;
        for (let p = 0; p < a.data.length; p += 4)
          if (Math.max(...[0, 1, 2].map((c) => Math.abs(a.data[p + c]! - b.data[p + c]!))) > 48) n++;
        return n / (a.width * a.height);
      };
      const expectedPage = raster(await reference);
      const own = entries.find((e) => e.name === '云州市人民医院.pdf')!;
      expect(differing(raster(own.data), expectedPage)).toBeLessThan(0.001);
      // another holder's page differs where the names differ: the comparison sees glyphs
      expect(differing(raster(entries.find((e) => e.name !== own.name)!.data), expectedPage)).toBeGreaterThan(0.002);

      // run again for the same batch (a crash, a job queue delivering it twice): it starts over and ends with the same files
      const before = (await batchById(s.database.db, batchId))!;
      await s.database.db.update(certificateBatches).set({ status: 'failed', done: 3 }).where(eq(certificateBatches.id, batchId));
      const ids = (
        await s.database.db
          .select({ id: titles.id })
          .from(titles)
          .innerJoin(applications, eq(applications.id, titles.applicationId))
          .where(and(eq(applications.campaignId, title.campaignId), ne(titles.status, 'revoked')))
          .orderBy(titles.id)
      ).map((r) => r.id);
      const key = loadSigningKey(loadConfig({}, { DATA_DIR: dataDir }))!;
      const env: BatchEnv = { db: s.database.db, key, baseUrl: BASE, dir: path.join(dataDir, 'certificates'), onError: () => undefined };
      await runBatch(env, batchId, 'plaque', ids);
      const after = (await batchById(s.database.db, batchId))!;
      expect(after).toMatchObject({
        status: 'done',
        done: ids.length,
        total: ids.length,
        pdfKey: before.pdfKey,
        zipKey: before.zipKey,
        error: null,
      });
      expect(fs.readdirSync(env.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
      const again = (await pdfOf(s.app, 'city_office', `/api/certificate-batches/${batchId}/certificates.zip`)).body;
      expect(zipEntries(again).map((e) => e.name)).toEqual(entries.map((e) => e.name));
    }, 180_000);
  });
});
