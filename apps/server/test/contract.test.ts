import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { route } from '@pingan/contract';
import { register } from '../src/http/contract.js';
import { REPO_ROOT } from '../src/config.js';
import { getTestServer, type TestServer } from './helpers.js';

/**
 * One contract per route: every route in the OpenAPI document has an operationId, a security
 * statement and a typed answer; answers go out through their schema; two outside tools accept
 * the document (redocly's recommended rules, openapi-typescript).
 */
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;
interface Op {
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('the API contract', () => {
  let s: TestServer;
  let doc: { paths: Record<string, Partial<Record<(typeof METHODS)[number], Op>>> };
  beforeAll(async () => {
    s = await getTestServer('pglite');
    doc = s.app.swagger() as unknown as typeof doc;
  });
  afterAll(() => s?.close());

  it('documents every route: operationId, security, a typed success answer and the error answers', () => {
    const ops = Object.entries(doc.paths).flatMap(([p, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ where: `${m.toUpperCase()} ${p}`, op: item[m]! })),
    );
    expect(ops.length).toBeGreaterThan(60);
    const ids = new Set<string>();
    for (const { where, op } of ops) {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(op.operationId!), `${where}: operationId ${op.operationId} twice`).toBe(false);
      ids.add(op.operationId!);
      expect(Array.isArray(op.security), `${where}: no security statement`).toBe(true);
      const ok = Object.entries(op.responses ?? {}).find(([code]) => /^2\d\d$/.test(code));
      expect(ok, `${where}: no success answer`).toBeTruthy();
      const content = Object.values(ok![1].content ?? {});
      expect(content.length, `${where}: untyped success answer`).toBeGreaterThan(0);
      for (const c of content) expect(c.schema, `${where}: answer without a schema`).toBeTruthy();
      expect(op.responses?.['400'], `${where}: no 4xx answer`).toBeTruthy();
    }
  });

  it('openapi-typescript types every success answer', async () => {
    const ast = await openapiTS(JSON.parse(JSON.stringify(doc)));
    const ts = astToString(ast);
    // an operation whose success answer had no schema comes out as `content?: never`
    const operations = ts.slice(ts.indexOf('export interface operations'));
    const successes = [...operations.matchAll(/\n {12}(20\d): \{\n {16}headers: \{[^}]*\};\n {16}content(\??): ([^;\n]+)/g)];
    expect(successes.length).toBeGreaterThan(60);
    const untyped = successes.filter((m) => m[2] === '?' || m[3]!.trim() === 'never');
    expect(untyped.map((m) => m[0].slice(0, 80))).toEqual([]);
  });

  it('redocly lint (recommended rules) reports no error', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-oas-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const bin = path.join(REPO_ROOT, 'node_modules/.bin/redocly');
    const r = await promisify(execFile)(bin, ['lint', file, '--format=json'], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (e: { stdout: string }) => e,
    );
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 120_000);

  it('an answer that does not match its schema is refused, and fields a schema does not name never leave', async () => {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const shape = z.object({ id: z.number(), name: z.string() });
    const c = (id: string, p: string) =>
      route({ id, method: 'GET', path: p, summary: 't', tags: ['t'], auth: 'public', status: 200, response: shape });
    register(app, c('wrong', '/wrong'), async () => ({ id: 'not a number', name: 1 }) as never);
    register(app, c('leaky', '/leaky'), async () => ({ id: 1, name: '王建国家庭', phone: '13812341234', passwordHash: 'x' }) as never);
    await app.ready();
    expect((await app.inject({ url: '/wrong' })).statusCode).toBe(500);
    const leaky = await app.inject({ url: '/leaky' });
    expect(leaky.statusCode).toBe(200);
    expect(leaky.json()).toEqual({ id: 1, name: '王建国家庭' });
    await app.close();
  });
});
