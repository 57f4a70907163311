import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import * as contract from '@pingan/contract';
import type { RouteContract } from '@pingan/contract';
import { DB_KINDS, PDF_BYTES, getTestServer, type TestServer } from './helpers.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { repairToSchema, setAt, type Json } from './json-value.js';

/**
 * Malformed requests generated from the route contracts: every route, as an office, an applicant
 * and anonymously, with ids out of range, strings carrying NUL or a lone surrogate, 100 KB of text,
 * dates that do not exist, wrong JSON types, broken and polluting raw bodies, a 10 MB body, a 64 KB
 * header and malformed multipart bodies on the upload routes. Not one answer may be a 5xx.
 */

type Def = { type: string; [k: string]: any };
const def = (s: z.ZodType): Def => (s as any)._zod.def as Def;

const ROUTES: RouteContract[] = Object.entries(contract)
  .filter(([name, v]) => name.endsWith('Api') && v && typeof v === 'object')
  .flatMap(([, v]) => Object.values(v as Record<string, RouteContract>))
  .filter((r) => r && typeof r === 'object' && typeof r.path === 'string' && typeof r.method === 'string');

const BAD_IDS: Json[] = [0, -1, 2147483648, 1e30, 'abc', '１２'];
const BAD_STRINGS: Json[] = ['a\u0000b', '\ud800', 'x'.repeat(100 * 1024)];
const BAD_DATES: Json[] = ['2026-02-30', '2026-13-01', '0000-01-01'];
const WRONG_TYPES: Json[] = [null, true, [], {}, 1.5, { $gt: '' }];
const BAD_VALUES: Json[] = [...BAD_IDS, ...BAD_STRINGS, ...BAD_DATES, ...WRONG_TYPES];

/** The same, as they travel in a path or a query string (already encoded). */
const BAD_URL_VALUES = [
  '0',
  '-1',
  '2147483648',
  '1e30',
  'abc',
  encodeURIComponent('１２'),
  'a%00b',
  '%ED%A0%80',
  'x'.repeat(100 * 1024),
  '2026-02-30',
  '2026-13-01',
  '0000-01-01',
  '1.5',
  '%',
];

/** A plausible value for a schema, so that one bad field at a time reaches the handler. */
function example(s: z.ZodType | undefined, key = '', depth = 0): Json | undefined {
  if (!s || depth > 8) return undefined;
  const d = def(s);
  switch (d.type) {
    case 'string':
      if (/date|deadline|on$|start|end|day/i.test(key)) return '2026-06-01';
      if (/phone/i.test(key)) return '13800000000';
      return '测试内容';
    case 'number':
    case 'int':
      return /year/i.test(key) ? 2026 : 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(d.entries as Record<string, string>)[0]!;
    case 'literal':
      return (d.values as Json[])[0]!;
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) {
        const e = example(v, k, depth + 1);
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    case 'array': {
      const e = example(d.element, key, depth + 1);
      return e === undefined ? [] : [e];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return example(d.innerType, key, depth + 1);
    case 'pipe':
      return def(d.in).type === 'transform' ? example(d.out, key, depth + 1) : example(d.in, key, depth + 1);
    case 'union':
      return example(d.options[0], key, depth + 1);
    case 'lazy':
      return example(d.getter(), key, depth + 1);
    case 'tuple':
      return (d.items as z.ZodType[]).map((i) => example(i, key, depth + 1) ?? null);
    case 'record':
      return {};
    default:
      return '测试内容';
  }
}

/** The paths of every leaf of a value (at most `max`), arrays and objects included as wholes. */
function leafPaths(v: Json, max = 48, prefix: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  if (out.length >= max) return out;
  if (v && typeof v === 'object') {
    if (prefix.length) out.push(prefix);
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, x] of entries) leafPaths(x as Json, max, [...prefix, k], out);
  } else if (prefix.length) out.push(prefix);
  return out.slice(0, max);
}

function multipartBody(
  parts: { name: string; value: string | Buffer; fileName?: string; contentType?: string }[],
  boundary: string,
): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = p.fileName !== undefined ? `form-data; name="${p.name}"; filename="${p.fileName}"` : `form-data; name="${p.name}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`),
    );
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

interface Req {
  method: RouteContract['method'];
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  user: string | null;
  what: string;
}

/**
 * Defines the fuzz suite for one shard of the routes (every `parts`-th route from `part`), on every
 * database: the shards are separate test files, so they run side by side on the test workers.
 */
export function fuzzRoutes(part: number, parts: number): void {
  const shard = ROUTES.filter((_, i) => i % parts === part);
  describe.each(DB_KINDS)(`fuzzing every route from its contract on %s (routes ${part + 1} of ${parts})`, (kind) => {
    let s: TestServer;
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    beforeAll(async () => {
      s = await getTestServer(kind);
    });
    afterAll(() => s?.close());

    it('answers ≥ 1,000 malformed requests without a single 5xx and without prototype pollution', async () => {
      expect(ROUTES.length).toBeGreaterThan(50);
      expect(shard.length).toBeGreaterThan(ROUTES.length / parts - 1);
      const users = ['city_office', 'school_nm', null] as const;
      const cookies = new Map<string, string>();
      for (const u of users) if (u) cookies.set(u, await s.login(u));

      // real ids each account can see, so that bad bodies reach the handlers
      const firstIds = new Map<string, number | undefined>();
      const firstId = async (user: string | null, listPath: string): Promise<number | undefined> => {
        const key = `${user} ${listPath}`;
        if (firstIds.has(key)) return firstIds.get(key);
        let id: number | undefined;
        if (ROUTES.some((r) => r.method === 'GET' && r.path === listPath)) {
          const res = await s.app.inject({ method: 'GET', url: listPath, headers: user ? { cookie: cookies.get(user)! } : {} });
          try {
            const b = res.json();
            const items = Array.isArray(b) ? b : Array.isArray(b?.items) ? b.items : [];
            id = items.find((x: any) => typeof x?.id === 'number')?.id;
          } catch {
            /* not JSON */
          }
        }
        firstIds.set(key, id);
        return id;
      };
      const realParams = async (r: RouteContract, user: string | null): Promise<Record<string, string>> => {
        const out: Record<string, string> = {};
        for (const m of r.path.matchAll(/:(\w+)/g)) {
          const name = m[1]!;
          const prefix = r.path.slice(0, m.index).replace(/\/$/, '');
          let id: number | undefined;
          if (name === 'applicationId') id = await firstId(user, '/api/applications');
          else if (name === 'id') id = await firstId(user, prefix);
          out[name] = name === 'no' ? 'PA-2026-0001' : String(id ?? 1);
        }
        return out;
      };
      const fill = (path: string, params: Record<string, string>) => path.replace(/:(\w+)/g, (_, n: string) => params[n] ?? '1');
      const qs = (q: Record<string, string>) => {
        const parts = Object.entries(q).map(([k, v]) => `${k}=${v}`);
        return parts.length ? `?${parts.join('&')}` : '';
      };

      const requests: Req[] = [];
      const big10MB = Buffer.alloc(10 * 1024 * 1024, 0x61);
      const header64KB = 'h'.repeat(64 * 1024);
      for (const r of shard) {
        const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
        for (const user of users) {
          // signing in or out, or a new password, ends the session the rest of the run uses: those go anonymous only
          if (user && /login|logout|password/i.test(r.id)) continue;
          const params = await realParams(r, user);
          const paramNames = Object.keys(params);
          const baseQuery: Record<string, string> = {};
          const qEx = r.query ? example(r.query) : undefined;
          if (qEx && typeof qEx === 'object' && !Array.isArray(qEx))
            for (const [k, v] of Object.entries(qEx)) if (v !== null && typeof v !== 'object') baseQuery[k] = encodeURIComponent(String(v));
          const base = r.body ? repairToSchema(r.body, example(r.body) ?? {}, { date: '2026-06-01', text: '测试内容ABC' }) : undefined;
          const json = (payload: string) => ({ payload, headers: { 'content-type': 'application/json' } });
          const basePayload = base === undefined ? undefined : JSON.stringify(base);
          const push = (what: string, url: string, extra: Partial<Req> = {}) =>
            requests.push({
              method: r.method,
              url,
              user,
              what: `${r.method} ${r.path} ${what}`,
              ...(hasBody && basePayload && !extra.payload ? json(basePayload) : {}),
              ...extra,
            });

          // 1. every path parameter, every bad value
          for (const name of paramNames)
            for (const bad of BAD_URL_VALUES)
              push(`param ${name}=${bad.slice(0, 20)}`, fill(r.path, { ...params, [name]: bad }) + qs(baseQuery));
          if (user === null && !paramNames.length && !r.query && !r.body) push('anonymous', r.path);
          if (user === null) {
            // anonymous: a forged 64 KB session cookie and the bad bodies below stop at authentication or validation
            push('64KB cookie', fill(r.path, params), { headers: { cookie: `pingan_sid=${header64KB}` } });
          }
          // 2. every query key, every bad value, and repeated keys (an array where a scalar is wanted)
          const queryKeys = r.query && def(r.query).type === 'object' ? Object.keys(def(r.query).shape) : [];
          for (const k of queryKeys) {
            for (const bad of BAD_URL_VALUES) push(`query ${k}=${bad.slice(0, 20)}`, fill(r.path, params) + qs({ ...baseQuery, [k]: bad }));
            push(`query ${k} twice`, `${fill(r.path, params)}${qs(baseQuery)}${Object.keys(baseQuery).length ? '&' : '?'}${k}=1&${k}=2`);
          }
          if (r.xlsx) push('format=xlsx bad', `${fill(r.path, params)}?format=xlsx&limit=1e30`);
          // 3. every leaf of the body, every bad value; anonymously only where the route is public (elsewhere
          // the signed-in accounts reach the same validation, and an anonymous request stops at sign-in)
          if (hasBody && base !== undefined && (user !== null || r.auth === 'public')) {
            const url = fill(r.path, params) + qs(baseQuery);
            for (const p of leafPaths(base))
              for (const bad of BAD_VALUES)
                push(`body ${p.join('.')}=${JSON.stringify(bad).slice(0, 20)}`, url, json(JSON.stringify(setAt(base, p, bad))));
            // the whole body of the wrong type
            for (const whole of ['[]', '1', 'null', '"x"', 'true']) push(`body ${whole}`, url, json(whole));
          }
          // 4. raw bodies: broken JSON, pollution, wrong media type, 10 MB, 64 KB header
          if (hasBody) {
            const url = fill(r.path, params) + qs(baseQuery);
            const withBase = (extra: string) =>
              basePayload && basePayload !== '{}' ? basePayload.replace(/^\{/, `{${extra},`) : `{${extra}}`;
            push('broken JSON', url, json('{"a":'));
            push('broken JSON 2', url, json('{"a":1,}'));
            push('__proto__', url, json('{"__proto__":{"polluted":1}}'));
            push('__proto__ + body', url, json(withBase('"__proto__":{"polluted":1}')));
            push('constructor.prototype', url, json('{"constructor":{"prototype":{"polluted":1}}}'));
            push('constructor.prototype + body', url, json(withBase('"constructor":{"prototype":{"polluted":1}}')));
            push('NUL in raw JSON', url, json(withBase('"x":"\\u0000"')));
            push('lone surrogate in raw JSON', url, json(withBase('"x":"\\ud800"')));
            push('invalid UTF-8', url, {
              payload: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]),
              headers: { 'content-type': 'application/json' },
            });
            push('text/plain', url, { payload: 'hello', headers: { 'content-type': 'text/plain' } });
            push('no content type', url, { payload: 'hello', headers: {} });
            push('10 MB', url, { payload: big10MB, headers: { 'content-type': 'application/json' } });
          }
          push('64KB header', fill(r.path, params) + qs(baseQuery), { headers: { 'x-fuzz': header64KB } });
          // headers that reach the database (user agent, client address) carrying NUL, a lone surrogate, 64 KB
          for (const ua of ['a\u0000b', '\ud800', header64KB])
            push(`user-agent ${JSON.stringify(ua.slice(0, 8))}`, fill(r.path, params) + qs(baseQuery), {
              headers: { 'user-agent': ua, 'x-forwarded-for': `${ua.slice(0, 100)}, 999.1.1.1` },
            });
          if (user === null && r.id === 'login')
            for (const ua of ['a\u0000b', '\ud800', header64KB])
              push(`real sign-in, user-agent ${JSON.stringify(ua.slice(0, 8))}`, r.path, {
                headers: { 'user-agent': ua, 'x-forwarded-for': 'a\u0000b', 'content-type': 'application/json' },
                payload: JSON.stringify({ username: 'school_dh', password: DEMO_PASSWORD }),
              });
          // 5. malformed multipart on the upload routes
          if (r.multipart) {
            const url = fill(r.path, params);
            const b = `----fuzz${randomBytes(4).toString('hex')}`;
            const ct = { 'content-type': `multipart/form-data; boundary=${b}` };
            const good = multipartBody(
              [
                { name: 'criterionId', value: '1' },
                { name: 'file', value: PDF_BYTES, fileName: 'a.pdf', contentType: 'application/pdf' },
              ],
              b,
            );
            const mp = (what: string, payload: Buffer, headers: Record<string, string> = ct) =>
              push(`multipart ${what}`, url, { payload, headers });
            mp('no boundary', good, { 'content-type': 'multipart/form-data' });
            mp('empty boundary', good, { 'content-type': 'multipart/form-data; boundary=' });
            mp('wrong boundary', good, { 'content-type': 'multipart/form-data; boundary=other' });
            mp('overlong boundary', good, { 'content-type': `multipart/form-data; boundary=${'b'.repeat(200)}` });
            mp('truncated', good.subarray(0, Math.floor(good.length / 2)));
            mp('truncated in headers', good.subarray(0, 30));
            mp('empty', Buffer.alloc(0));
            mp('garbage', randomBytes(512));
            mp(
              'NUL file name',
              multipartBody([{ name: 'file', value: PDF_BYTES, fileName: 'a\u0000.pdf', contentType: 'application/pdf' }], b),
            );
            mp(
              'lone surrogate file name',
              multipartBody([{ name: 'file', value: PDF_BYTES, fileName: 'a\ud800.pdf', contentType: 'application/pdf' }], b),
            );
            mp(
              'invalid UTF-8 file name',
              Buffer.concat([
                Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a`),
                Buffer.from([0xed, 0xa0, 0x80, 0xff]),
                Buffer.from(`.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
                PDF_BYTES,
                Buffer.from(`\r\n--${b}--\r\n`),
              ]),
            );
            mp(
              '100KB file name',
              multipartBody(
                [{ name: 'file', value: PDF_BYTES, fileName: `${'n'.repeat(100 * 1024)}.pdf`, contentType: 'application/pdf' }],
                b,
              ),
            );
            mp(
              'NUL field',
              multipartBody(
                [
                  { name: 'criterionId', value: '1\u00002' },
                  { name: 'note', value: 'a\u0000b' },
                  { name: 'file', value: PDF_BYTES, fileName: 'a.pdf', contentType: 'application/pdf' },
                ],
                b,
              ),
            );
            mp(
              'lone surrogate field',
              multipartBody(
                [
                  { name: 'criterionId', value: '\ud800' },
                  { name: 'note', value: '\ud800' },
                  { name: 'file', value: PDF_BYTES, fileName: 'a.pdf', contentType: 'application/pdf' },
                ],
                b,
              ),
            );
            mp(
              '100KB field',
              multipartBody(
                [
                  { name: 'criterionId', value: 'x'.repeat(100 * 1024) },
                  { name: 'note', value: 'x'.repeat(100 * 1024) },
                  { name: 'file', value: PDF_BYTES, fileName: 'a.pdf', contentType: 'application/pdf' },
                ],
                b,
              ),
            );
            mp(
              'two files',
              multipartBody(
                [
                  { name: 'file', value: PDF_BYTES, fileName: 'a.pdf', contentType: 'application/pdf' },
                  { name: 'file2', value: PDF_BYTES, fileName: 'b.pdf', contentType: 'application/pdf' },
                ],
                b,
              ),
            );
            mp(
              'many fields',
              multipartBody(
                Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, value: 'v' })),
                b,
              ),
            );
            mp('no file', multipartBody([{ name: 'criterionId', value: '1' }], b));
            mp(
              '10 MB',
              Buffer.concat([
                Buffer.from(
                  `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
                ),
                big10MB,
                Buffer.from(`\r\n--${b}--\r\n`),
              ]),
            );
            mp('part without headers', Buffer.from(`--${b}\r\n\r\nvalue\r\n--${b}--\r\n`));
            mp('bad part header', Buffer.from(`--${b}\r\nContent-Disposition: form-data; name=\r\n\r\nvalue\r\n--${b}--\r\n`));
          }
        }
      }

      const byClass: Record<string, number> = {};
      const byStatus: Record<number, number> = {};
      const failures: string[] = [];
      const signedOut: string[] = [];
      for (const q of requests) {
        const headers: Record<string, string> = { ...(q.headers ?? {}) };
        if (q.user && !headers.cookie) headers.cookie = cookies.get(q.user)!;
        const res = await s.app.inject({
          method: q.method,
          url: q.url,
          headers,
          ...(q.payload !== undefined ? { payload: q.payload } : {}),
        });
        byClass[`${Math.floor(res.statusCode / 100)}xx`] = (byClass[`${Math.floor(res.statusCode / 100)}xx`] ?? 0) + 1;
        byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
        // a signed-in account must stay signed in, or the rest of its requests would stop at authentication
        if (res.statusCode === 401 && q.user && !q.what.includes(' /api/auth/login ') && !signedOut.length)
          signedOut.push(`${q.user} ${q.what}: ${res.body.slice(0, 200)}`);
        if (res.statusCode >= 500) failures.push(`${res.statusCode} ${q.user ?? 'anonymous'} ${q.what}: ${res.body.slice(0, 200)}`);
      }
      console.log(
        `fuzz on ${kind}: ${requests.length} requests over ${shard.length} of the ${ROUTES.length} routes; by class ${JSON.stringify(byClass)}; by status ${JSON.stringify(byStatus)}`,
      );
      if (failures.length) console.log(`5xx answers:\n${failures.slice(0, 100).join('\n')}`);

      expect(requests.length).toBeGreaterThanOrEqual(1000);
      expect(failures).toEqual([]);
      expect(signedOut).toEqual([]);
      expect(({} as any).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
      // the server still answers
      expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookies.get('city_office')! } })).statusCode).toBe(
        200,
      );
    }, 900_000);
  });
}
