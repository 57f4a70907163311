import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import * as contract from '@pingan/contract';
import type { RouteContract } from '@pingan/contract';
import { findPersonalNumbers } from '@pingan/core';
import {
  applicationRevisions,
  applications,
  campaigns,
  evidenceFiles,
  inspectionSamples,
  onsitePhotos,
  publicNotices,
  standardVersions,
  subjects,
  titles,
  users,
} from '../src/db/schema.js';
import { decrypt, encrypt } from '../src/crypto/pii.js';
import { loadKeys } from '../src/crypto/keys.js';
import { loadConfig } from '../src/config.js';
import { DEMO_ACCOUNTS } from '../src/demo/accounts.js';
import { DB_KINDS, getTestServer, type TestServer } from './helpers.js';

/**
 * The masking scan: as every demo account (and anonymously, the public routes), GET every GET route
 * of the contract with ids from the demo world, JSON and Excel alike, and look for unmasked mobile
 * numbers, landlines and 18-digit ID numbers. None may appear, except an applicant's own on its own
 * application. PDFs and evidence files are counted, not read (their text is not personal data).
 */
const ROUTES: RouteContract[] = Object.entries(contract)
  .filter(([name, v]) => name.endsWith('Api') && v && typeof v === 'object')
  .flatMap(([, api]) => Object.values(api as Record<string, RouteContract>))
  .filter((r) => r && typeof r === 'object' && r.method === 'GET' && typeof r.path === 'string');

const digits = (v: string) => v.replace(/\D/g, '');

interface World {
  apps: number[];
  files: number[];
  photos: number[];
  campaigns: number[];
  samples: number[];
  notices: number[];
  titles: number[];
  certificates: string[];
  versions: number[];
  diffs: { id: number; a: number; b: number }[];
  users: number[];
  year: number;
}

async function world(s: TestServer): Promise<World> {
  const db = s.database.db;
  const ids = async (t: { id: z.ZodType } | any, limit = 1000) =>
    (await db.select({ id: t.id }).from(t).orderBy(t.id).limit(limit)).map((r: { id: number }) => r.id);
  const versions = await db
    .select({ id: standardVersions.id, standardId: standardVersions.standardId, version: standardVersions.version })
    .from(standardVersions);
  const byStandard = new Map<number, number[]>();
  for (const v of versions) byStandard.set(v.standardId, [...(byStandard.get(v.standardId) ?? []), v.version]);
  // one evidence file per application (they are demo PDFs: what matters is that the route answers)
  const files = (
    await db
      .select({ id: sql<number>`min(${evidenceFiles.id})::int` })
      .from(evidenceFiles)
      .groupBy(evidenceFiles.applicationId)
  ).map((r) => r.id);
  return {
    apps: await ids(applications),
    files,
    photos: await ids(onsitePhotos, 5),
    campaigns: await ids(campaigns),
    samples: await ids(inspectionSamples, 20),
    notices: await ids(publicNotices),
    titles: await ids(titles, 5),
    certificates: (await db.select({ no: titles.certificateNo }).from(titles)).map((t) => t.no),
    versions: versions.map((v) => v.id),
    diffs: [...byStandard].map(([id, vs]) => ({ id, a: Math.min(...vs), b: Math.max(...vs) })),
    users: await ids(users),
    year: Number(new Date().toISOString().slice(0, 4)),
  };
}

/** Every URL to ask for one route: its path parameters from the world, its required query filled in. */
function urlsFor(r: RouteContract, w: World): string[] {
  const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  let combos: Record<string, string | number>[] = [{}];
  const p = r.path;
  const pool = (name: string): (string | number)[] => {
    if (name === 'no' && p.startsWith('/api/applications/')) return [1, 2];
    if (name === 'no') return w.certificates;
    if (p.startsWith('/api/applications/:id') || p.startsWith('/api/onsite/:applicationId')) return w.apps;
    if (p.startsWith('/api/files/')) return w.files;
    if (p.startsWith('/api/onsite-photos/')) return w.photos;
    if (p.startsWith('/api/campaigns/:id')) return w.campaigns;
    if (p.startsWith('/api/inspections/samples/')) return w.samples;
    if (p.startsWith('/api/notices/') || p.startsWith('/api/public/notices/')) return w.notices;
    if (p.startsWith('/api/titles/')) return w.titles;
    if (p.startsWith('/api/standard-versions/')) return w.versions;
    if (p.startsWith('/api/admin/users/')) return w.users;
    if (p.startsWith('/api/jobs/')) return ['00000000-0000-0000-0000-000000000000'];
    return [1];
  };
  if (p.startsWith('/api/standards/:id/versions/:a/diff/:b')) combos = w.diffs.map((d) => ({ id: d.id, a: d.a, b: d.b }));
  else for (const name of params) combos = combos.flatMap((c) => pool(name).map((v) => ({ ...c, [name]: v })));
  const shape = (r.query as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
  let queries: Record<string, string | number>[] = [{}];
  for (const k of required) {
    const values: (string | number)[] = k === 'campaignId' ? w.campaigns : k === 'year' ? [w.year] : [];
    queries = queries.flatMap((q) => values.map((v) => ({ ...q, [k]: v })));
  }
  if ('limit' in shape) queries = queries.map((q) => ({ ...q, limit: 500 }));
  if (r.xlsx) queries = queries.flatMap((q) => [q, { ...q, format: 'xlsx' }]);
  const urls: string[] = [];
  for (const c of combos) {
    const path = p.replace(/:(\w+)/g, (_m, k: string) => encodeURIComponent(String(c[k])));
    for (const q of queries) {
      const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
      urls.push(qs ? `${path}?${qs}` : path);
    }
  }
  return urls;
}

async function xlsxText(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text)))));
  return cells.join('\n');
}

describe.each(DB_KINDS)('the masking scan on %s', (kind) => {
  let s: TestServer;
  let w: World;
  /** per applicant account: its own numbers (subject's ID and phone, its applications' contact phones) */
  const own = new Map<string, Set<string>>();
  const accounts = [
    ...DEMO_ACCOUNTS.map((a) => a.username),
    // the households whose head's numbers the demo holds, besides family_wang
    'family_li',
    'family_zhang',
    'family_chen',
    'family_zhao',
  ];

  beforeAll(async () => {
    s = await getTestServer(kind);
    w = await world(s);
    const keys = loadKeys(loadConfig({}, { DATA_DIR: s.filesDir.replace(/\/files$/, '') }));
    const db = s.database.db;
    // accounts with a phone of their own (for SMS), stored as the platform stores it: encrypted
    for (const [username, phone] of [
      ['city_edu', '13812345678'],
      ['family_li', '13987651234'],
    ] as const)
      await db
        .update(users)
        .set({ phone: encrypt(keys, phone) })
        .where(eq(users.username, username));
    for (const u of await db.select().from(users).where(inArray(users.username, accounts))) {
      const set = new Set<string>();
      if (u.phone) set.add(digits(decrypt(keys, u.phone)));
      own.set(u.username, set);
      if (!u.subjectId) continue;
      const [subj] = await db.select().from(subjects).where(eq(subjects.id, u.subjectId));
      for (const v of [subj?.idNumber, subj?.phone]) if (v) set.add(digits(decrypt(keys, v)));
      const apps = await db
        .select({ id: applications.id, phone: applications.contactPhone })
        .from(applications)
        .where(eq(applications.subjectId, u.subjectId));
      for (const a of apps) if (a.phone) set.add(digits(decrypt(keys, a.phone)));
      const revs = apps.length
        ? await db
            .select({ phone: applicationRevisions.contactPhone })
            .from(applicationRevisions)
            .where(
              inArray(
                applicationRevisions.applicationId,
                apps.map((a) => a.id),
              ),
            )
        : [];
      for (const r of revs) if (r.phone) set.add(digits(decrypt(keys, r.phone)));
    }
  }, 180_000);
  afterAll(() => s?.close());

  it('no answer to anyone carries an unmasked phone or ID number, but the applicant’s own', async () => {
    const hits: { user: string; url: string; value: string }[] = [];
    let answers = 0;
    let files = 0;
    let ownHits = 0;
    let requests = 0;
    /** answers that hand out an encrypted value instead of a masked one */
    const sealed: { user: string; url: string }[] = [];
    const routesAnswered = new Set<string>();
    const callers: (string | null)[] = [null, ...accounts];
    for (const user of callers) {
      const cookie = user ? await s.login(user) : undefined;
      for (const r of ROUTES) {
        if (!user && r.auth !== 'public') continue;
        for (const url of urlsFor(r, w)) {
          requests++;
          const res = await s.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
          expect(res.statusCode, `${user} GET ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (res.statusCode !== 200) continue;
          routesAnswered.add(r.id);
          const type = String(res.headers['content-type'] ?? '');
          let text: string;
          if (type.includes('json')) text = res.body;
          else if (type.includes('spreadsheetml')) text = await xlsxText(res.rawPayload);
          else {
            files++; // a PDF certificate, an evidence file, a photo, a standard's file
            continue;
          }
          answers++;
          if (/(?<![0-9A-Za-z])[gs]1:[A-Za-z0-9+/]{20,}/.test(text)) sealed.push({ user: user ?? '(anonymous)', url });
          for (const h of findPersonalNumbers(text)) {
            if (
              user &&
              own.get(user)?.has(digits(h.value)) &&
              (url.startsWith('/api/applications') || url.startsWith('/api/me') || url.startsWith('/api/auth/'))
            )
              ownHits++;
            else hits.push({ user: user ?? '(anonymous)', url, value: h.value });
          }
        }
      }
    }
    console.log(
      `[masking ${kind}] ${ROUTES.length} GET routes in the contract, ${routesAnswered.size} answered; ${callers.length} callers, ${requests} requests, ` +
        `${answers} JSON/Excel answers scanned, ${files} files not read; ${hits.length} hits, ${ownHits} applicant’s own (allowed)`,
    );
    console.log(
      `[masking ${kind}] routes no caller could read here: ${ROUTES.filter((r) => !routesAnswered.has(r.id))
        .map((r) => r.id)
        .join(', ')}`,
    );
    if (hits.length) console.log(hits.slice(0, 20));
    if (sealed.length) console.log('[masking] encrypted values in answers:', sealed.slice(0, 20));
    expect(hits).toEqual([]);
    expect(sealed).toEqual([]);
    // the scan would see a clear number: the households read their own in full
    expect(ownHits).toBeGreaterThan(0);
    expect(routesAnswered.size).toBeGreaterThan(ROUTES.length * 0.7);
  }, 600_000);
});
