import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import * as contract from '@pingan/contract';
import type { RouteContract } from '@pingan/contract';
import { idCheckDigit, isValidIdNumber } from '@pingan/core';
import { DB_KINDS, PDF_BYTES, getTestServer, multipart, type TestServer } from './helpers.js';
import { bodyFor, queryString } from './authz-matrix.js';
import { applications, campaignCategories, campaigns, regions, subjects, titleEvents, titles } from '../src/db/schema.js';
import { issueTitle } from '../src/modules/titles/issue.js';
import { today } from '../src/clock.js';

/**
 * The privacy scan (issue 7, §4): every route of the contract that anyone may call without an
 * account — found by walking every exported *Api object, so a route added later is scanned too —
 * is called with real codes collected from the public lists (and, for the public's own actions,
 * through the real flows: SMS code, objection, evidence, ballot), every file answer is read, and
 * every answer, header and file is searched for:
 *   - the full name of a household or a person (subjects of kind household/individual), or its head;
 *   - an 11-digit mobile number;
 *   - an 18-digit resident ID number with a valid GB 11643 check character;
 *   - a field named id, applicationId, subjectId … (any *Id) holding a number: an internal id.
 * Zero hits, or the test fails naming the route, the address and the hit.
 * The rendered pages are scanned by the browser test (e2e/public-privacy.e2e.ts).
 */

const PUBLIC_ROUTES: RouteContract[] = Object.entries(contract)
  .filter(([name, v]) => name.endsWith('Api') && v && typeof v === 'object')
  .flatMap(([, v]) => Object.values(v as Record<string, RouteContract>))
  .filter((r) => r && typeof r === 'object' && typeof r.path === 'string' && r.auth === 'public');

const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const ID_LIKE = /(?<!\d)\d{17}[\dXx](?!\d)/g;
const ID_KEY = /^(id|[A-Za-z]*Id)$/;

interface Hit {
  route: string;
  url: string;
  kind: 'name' | 'mobile' | 'idNumber' | 'internalId';
  value: string;
  where: string;
}

/** Personal numbers and names in a text: what must never leave a public answer. */
export function scanText(text: string, names: readonly string[]): Omit<Hit, 'route' | 'url' | 'where'>[] {
  const out: Omit<Hit, 'route' | 'url' | 'where'>[] = [];
  for (const n of names) if (text.includes(n)) out.push({ kind: 'name', value: n });
  for (const m of text.matchAll(MOBILE)) out.push({ kind: 'mobile', value: m[0] });
  for (const m of text.matchAll(ID_LIKE)) if (isValidIdNumber(m[0].toUpperCase())) out.push({ kind: 'idNumber', value: m[0] });
  return out;
}

/** Fields that carry an internal id: a number under id or …Id, anywhere in the answer. */
export function scanIds(value: unknown, at = '$'): { where: string; value: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => scanIds(v, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(ID_KEY.test(k) && (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))
        ? [{ where: `${at}.${k}`, value: String(v) }]
        : []),
      ...scanIds(v, `${at}.${k}`),
    ]);
  return [];
}

/** Every string under a key, anywhere in a JSON answer: where the codes of the next requests come from. */
function collect(value: unknown, into: Map<string, Set<string>>): void {
  if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && v.length <= 100) {
        if (!into.has(k)) into.set(k, new Set());
        into.get(k)!.add(v);
      } else collect(v, into);
    }
}

/** A fake but valid resident ID number and a mobile number, as a household head's (seed.ts fakePerson). */
function person(n: number, female: boolean) {
  const first17 = `430104${1960 + n}0${(n % 9) + 1}1${n % 10}${String(100 + n * 2 + (female ? 0 : 1)).padStart(3, '0')}`;
  return { idNumber: first17 + idCheckDigit(first17), phone: `1${[3, 5, 8, 9][n % 4]}${String(912345678 + n * 7919).slice(0, 9)}` };
}

const PUBLIC_NAMES = [
  { name: '周建华家庭', kind: 'household' as const, region: '南门社区第二网格', female: false },
  { name: '吴桂英家庭', kind: 'household' as const, region: '柳溪村', female: true },
  { name: '郑晓明', kind: 'individual' as const, region: '东湖村', female: false },
  { name: '冯淑珍', kind: 'individual' as const, region: '桂花社区', female: true },
];
/** who files a real-name objection: a private person too */
const OBJECTOR = { name: '孙立军', phone: '13607311234' };

describe.each(DB_KINDS)('privacy scan of every public answer on %s', (kind) => {
  let s: TestServer;
  const smsCodes = new Map<string, string>();
  let addr = 0;
  const nextAddress = () => `10.77.${Math.floor(++addr / 250) % 250}.${(addr % 250) + 1}`;
  let phoneSeq = 0;
  const newPhone = () => `1390731${String(1000 + ++phoneSeq).slice(-4)}`;

  beforeAll(async () => {
    s = await getTestServer(kind, {
      sms: {
        send: async (phone, text) => {
          const code = /\d{6}/.exec(text)?.[0];
          if (code) smsCodes.set(phone, code);
        },
      },
    });
    const db = s.database.db;
    const [camp] = await db.select().from(campaigns).orderBy(campaigns.id).limit(1);
    const [cc] = await db
      .select()
      .from(campaignCategories)
      .where(and(eq(campaignCategories.campaignId, camp!.id), eq(campaignCategories.categoryCode, 'family')));
    let n = 0;
    for (const p of PUBLIC_NAMES) {
      const [r] = await db.select().from(regions).where(eq(regions.name, p.region));
      // stored in clear on purpose: a route that read these columns would leak them as they are, and be caught
      const [subj] = await db
        .insert(subjects)
        .values({
          kind: p.kind,
          name: p.name,
          regionId: r!.id,
          address: `${p.region}幸福路${++n}号3栋501`,
          households: 1,
          ...person(n, p.female),
        })
        .returning();
      const [app] = await db
        .insert(applications)
        .values({
          campaignId: camp!.id,
          categoryCode: 'family',
          standardVersionId: cc!.standardVersionId,
          subjectId: subj!.id,
          regionId: r!.id,
          regionPath: r!.path,
          status: 'conferred',
        })
        .returning();
      const head = p.name.replace(/家庭$/, '');
      const t = await db.transaction((tx) =>
        issueTitle(
          tx,
          {
            applicationId: app!.id,
            subjectId: subj!.id,
            regionPath: r!.path,
            categoryCode: 'family',
            titleName: '平安家庭',
            year: Number(today().slice(0, 4)),
            stars: 0,
            level: 'title',
            issuer: '云州市平安建设领导小组',
            conferredOn: today(),
            namingDocument: `云安〔${today().slice(0, 4)}〕8号`,
          },
          null,
        ),
      );
      if (n % 2 === 0) {
        // staff typed the head's name and number into the reason, as people do
        const reason = `${head}（电话${person(n, p.female).phone}，身份证${person(n, p.female).idNumber}）涉嫌违法，撤销称号`;
        await db.update(titles).set({ status: 'revoked', statusReason: reason, statusSince: today() }).where(eq(titles.id, t.id));
        await db
          .insert(titleEvents)
          .values({ titleId: t.id, kind: 'revoked', fromStatus: 'valid', toStatus: 'revoked', reason, on: today() });
      }
    }
  });
  afterAll(() => s?.close());

  it('the scanner itself finds what it must', () => {
    const p = person(3, false);
    expect(isValidIdNumber(p.idNumber)).toBe(true);
    const hits = scanText(`王建国家庭 电话${p.phone}，证件${p.idNumber}；PA2026-7K3QD-M9X2F 20261201123456`, ['王建国']);
    expect(hits.map((h) => h.kind).sort()).toEqual(['idNumber', 'mobile', 'name']);
    expect(scanText('王**家庭 138****1234 430104********1234', ['王建国'])).toEqual([]);
    expect(scanIds({ items: [{ code: 'X', applicationId: 7 }], id: '12', subjectId: null })).toEqual([
      { where: '$.items[0].applicationId', value: '7' },
      { where: '$.id', value: '12' },
    ]);
  });

  it('finds no name of a household or person, no mobile or ID number and no internal id in any public answer or file', async () => {
    const db = s.database.db;
    const people = await db
      .select({ name: subjects.name })
      .from(subjects)
      .where(inArray(subjects.kind, ['household', 'individual']));
    const names = [
      ...new Set(people.flatMap((p) => [p.name, p.name.replace(/家庭$/, '')]).filter((n) => [...n].length >= 2)),
      OBJECTOR.name,
    ];
    expect(names.length).toBeGreaterThanOrEqual(PUBLIC_NAMES.length * 2);

    const hits: Hit[] = [];
    const answered = new Map<string, number[]>();
    /** values by key (code, certificateNo, receipt …), and by the path of the answer they came from */
    const pool = new Map<string, Set<string>>();
    const byPath = new Map<string, Map<string, Set<string>>>();
    const answers = new Map<string, unknown[]>();

    async function scanFile(raw: Buffer, type: string): Promise<string> {
      if (/csv|json|text/.test(type)) return raw.toString('utf8');
      if (/spreadsheetml/.test(type)) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(raw as unknown as ArrayBuffer);
        const cells: string[] = [];
        wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.text ?? '')))));
        return cells.join('\n');
      }
      if (/pdf/.test(type)) {
        const f = path.join(os.tmpdir(), `privacy-${process.pid}-${addr}.pdf`);
        fs.writeFileSync(f, raw);
        try {
          return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-']).toString('utf8');
        } finally {
          fs.rmSync(f, { force: true });
        }
      }
      throw new Error(`cannot read a ${type} answer to scan it: teach public-privacy.test.ts`);
    }

    /** One request as the public (no cookie, its own address), scanned whole: body, file, headers. */
    async function hit(r: RouteContract, url: string, init: { payload?: unknown; headers?: Record<string, string> } = {}) {
      const res = await s.app.inject({
        method: r.method,
        url,
        remoteAddress: nextAddress(),
        payload: init.payload as never,
        headers: init.headers,
      });
      answered.set(r.id, [...(answered.get(r.id) ?? []), res.statusCode]);
      const type = String(res.headers['content-type'] ?? '');
      const text = /json/.test(type) || res.statusCode >= 400 ? res.body : await scanFile(res.rawPayload, type);
      const disposition = decodeURIComponent(String(res.headers['content-disposition'] ?? ''));
      for (const h of scanText(`${text}\n${disposition}`, names)) hits.push({ route: r.id, url, where: 'text', ...h });
      let json: unknown = null;
      if (/json/.test(type)) {
        json = JSON.parse(res.body);
        for (const h of scanIds(json)) hits.push({ route: r.id, url, kind: 'internalId', ...h });
        if (res.statusCode < 300) {
          collect(json, pool);
          const base = r.path.replace(/\/:\w+$/, '');
          if (!byPath.has(base)) byPath.set(base, new Map());
          collect(json, byPath.get(base)!);
          answers.set(r.id, [...(answers.get(r.id) ?? []), json]);
        }
      }
      return { status: res.statusCode, json: json as any };
    }

    /** The query variants of a GET route: none, every value of each enum filter, and every page. */
    async function getAll(r: RouteContract, pathUrl: string) {
      const variants = [''];
      const shape = (r.query as { shape?: Record<string, any> } | undefined)?.shape ?? {};
      for (const [k, v] of Object.entries(shape)) {
        let d = v;
        while (d?._zod?.def?.innerType) d = d._zod.def.innerType;
        if (d?._zod?.def?.type === 'enum')
          for (const e of Object.values(d._zod.def.entries as Record<string, string>)) variants.push(`${k}=${e}`);
      }
      if (r.xlsx) variants.push('format=xlsx');
      const paged = 'limit' in shape && 'offset' in shape;
      for (const v of variants) {
        for (let offset = 0; ; offset += 500) {
          const q = [v, paged ? `limit=500&offset=${offset}` : ''].filter(Boolean).join('&');
          const base = r.query && !q ? queryString(r.query, {}) : q ? `?${q}` : '';
          const a = await hit(r, pathUrl + base);
          if (!paged || !a.json || typeof a.json.total !== 'number' || offset + 500 >= a.json.total) break;
        }
      }
    }

    const param = (p: string) => (p === 'no' ? 'certificateNo' : p);
    /** the real values for a route's one path parameter: from its list, or any answer that named them */
    const valuesFor = (r: RouteContract): { name: string; values: string[] } | null => {
      const names = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (names.length !== 1) throw new Error(`${r.id}: ${names.length} path parameters: teach public-privacy.test.ts`);
      const name = names[0]!;
      const base = r.path.slice(0, r.path.indexOf(`/:${name}`));
      const own = byPath.get(base)?.get(param(name));
      const any = pool.get(param(name));
      const values = [...(own?.size ? own : (any ?? []))];
      return values.length ? { name, values } : null;
    };
    const urlWith = (r: RouteContract, name: string, v: string) => r.path.replace(`:${name}`, encodeURIComponent(v));

    const gets = PUBLIC_ROUTES.filter((r) => r.method === 'GET');
    const listGets = gets.filter((r) => !r.path.includes('/:'));
    const detailGets = gets.filter((r) => r.path.includes('/:'));

    // 1. the lists and files without parameters, every filter value, every page
    for (const r of listGets) await getAll(r, r.path);
    // 2. every detail reachable from them (twice: details name further codes)
    for (let round = 0; round < 2; round++)
      for (const r of detailGets) {
        const v = valuesFor(r);
        if (v) for (const value of v.values.slice(0, 60)) await getAll(r, urlWith(r, v.name, value));
      }

    // 3. the public's own actions, through the real flows
    const requestCode = async (purpose: 'objection' | 'vote', phone: string) => {
      const r = contract.publicCodesApi.request;
      const a = await hit(r, r.path, { payload: { phone, purpose } });
      expect(a.status, `${r.id}: ${JSON.stringify(a.json)}`).toBe(202);
      return smsCodes.get(phone)!;
    };
    const posted = new Set<string>();
    const flows: Record<string, () => Promise<void>> = {
      requestSmsCode: async () => {
        await requestCode('objection', newPhone());
      },
      fileObjection: async () => {
        const r = contract.objectionsApi.file;
        const notices = (answers.get(contract.noticesApi.publicDetail.id) ?? []) as {
          open: boolean;
          items: { code: string; status: string }[];
        }[];
        const candidates = notices.filter((n) => n.open).flatMap((n) => n.items.filter((i) => i.status === 'in_notice').map((i) => i.code));
        expect(candidates.length, 'an open notice with candidates to object to').toBeGreaterThan(0);
        for (const [i, code] of candidates.entries()) {
          // one code a minute per number: each real-name objection from a number of its own
          const phone = i === 1 ? OBJECTOR.phone : newPhone();
          const body =
            i % 2 === 0
              ? { anonymous: true, text: '公示对象存在不符合条件的情况，请予核实。' }
              : {
                  anonymous: false,
                  name: OBJECTOR.name,
                  phone,
                  code: await requestCode('objection', phone),
                  text: `本人${OBJECTOR.name}反映：该对象存在问题，联系电话${phone}。`,
                };
          const a = await hit(r, urlWith(r, 'code', code), { payload: body });
          expect(a.status, `${r.id}: ${JSON.stringify(a.json)}`).toBe(201);
          // 4. evidence for it, with its upload token
          const up = contract.objectionsApi.uploadFile;
          const m = multipart('证据.pdf', 'application/pdf', PDF_BYTES);
          const f = await hit(up, urlWith(up, 'receipt', a.json.receipt), {
            payload: m.payload,
            headers: { ...m.headers, 'x-upload-token': a.json.uploadToken },
          });
          expect(f.status, `${up.id}: ${JSON.stringify(f.json)}`).toBe(201);
          posted.add(up.id);
        }
      },
      castBallot: async () => {
        const r = contract.votesApi.cast;
        const votes = (answers.get(contract.votesApi.publicDetail.id) ?? []) as {
          code: string;
          state: string;
          maxChoices: number;
          candidates: { code: string }[];
        }[];
        const open = [...new Map(votes.filter((v) => v.state === 'open').map((v) => [v.code, v])).values()];
        expect(open.length, 'an open vote to vote in').toBeGreaterThan(0);
        for (const v of open) {
          const phone = newPhone();
          const smsCode = await requestCode('vote', phone);
          const a = await hit(r, urlWith(r, 'code', v.code), {
            payload: { phone, smsCode, choices: v.candidates.slice(0, v.maxChoices).map((c) => c.code) },
          });
          expect(a.status, `${r.id}: ${JSON.stringify(a.json)}`).toBe(201);
        }
      },
    };
    for (const r of PUBLIC_ROUTES.filter((x) => x.method !== 'GET')) {
      if (posted.has(r.id)) continue;
      const flow = flows[r.id];
      if (flow) await flow();
      else if (r.multipart) {
        const m = multipart('a.pdf', 'application/pdf', PDF_BYTES);
        const v = r.path.includes('/:') ? valuesFor(r) : null;
        await hit(r, v ? urlWith(r, v.name, v.values[0]!) : r.path, { payload: m.payload, headers: m.headers });
      } else {
        // a route of the public's without a flow here: a well-formed request as a stranger would send
        const v = r.path.includes('/:') ? valuesFor(r) : null;
        await hit(r, v ? urlWith(r, v.name, v.values[0]!) : r.path, { payload: bodyFor(r.body, {}) });
      }
      posted.add(r.id);
    }

    // 5. everything again after the public acted: receipts, tallies
    for (const r of listGets) await getAll(r, r.path);
    for (const r of detailGets) {
      const v = valuesFor(r);
      if (v) for (const value of v.values.slice(0, 60)) await getAll(r, urlWith(r, v.name, value));
    }

    // first and loudest: what leaked, where
    const report = hits.map((h) => `${h.kind} ${JSON.stringify(h.value)} in ${h.route} ${h.url} (${h.where})`);
    expect(report, `personal data or internal ids in public answers:\n${report.join('\n')}`).toEqual([]);
    // every public route was called, and every public GET answered with data at least once
    const missing = PUBLIC_ROUTES.filter((r) => !answered.has(r.id)).map((r) => r.id);
    expect(missing, 'public routes the scan never called').toEqual([]);
    const neverOk = gets
      .filter((r) => !(answered.get(r.id) ?? []).some((st) => st >= 200 && st < 300))
      .map((r) => `${r.id} ${r.path}: ${answered.get(r.id)}`);
    expect(neverOk, 'public GET routes never answered 2xx (no real code found for them)').toEqual([]);

    // the fixtures were seen: the scan read what it should have
    const honour = JSON.stringify(answers.get(contract.honourApi.exportJson.id) ?? []);
    expect(
      ['周**家庭', '吴**家庭', '郑**', '冯**'].filter((n) => !honour.includes(n)),
      'fixture holders missing from the open data',
    ).toEqual([]);
    const calls = [...answered.values()].reduce((n, a) => n + a.length, 0);
    expect(calls).toBeGreaterThan(PUBLIC_ROUTES.length);
  }, 300_000);
});
