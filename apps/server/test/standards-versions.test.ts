import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import YAML from 'yaml';
import type { StandardDoc } from '@pingan/core';
import { SAMPLE } from '../../../packages/core/test/fixtures.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';
import { criteria, standardVersions, standards } from '../src/db/schema.js';
import { standardFromXlsx } from '../src/modules/standards/formats.js';

/** Editing standards over the API: new versions, diffs, validation, export. */
describe.each(DB_KINDS)('standard versions on %s', (kind) => {
  let s: TestServer;
  let std: { id: number; code: string; versions: { id: number; version: number }[] };
  let doc: StandardDoc;
  const versionCount = async (standardId: number) =>
    (await s.database.db.select({ n: count() }).from(standardVersions).where(eq(standardVersions.standardId, standardId)))[0]!.n;

  beforeAll(async () => {
    s = await getTestServer(kind);
    const list = (await call(s, 'city_office', 'GET', '/api/standards')).body as (typeof std)[];
    std = list.find((x) => x.code === 'datuopu-2020-campus')!;
    doc = (await call(s, 'city_office', 'GET', `/api/standard-versions/${std.versions.at(-1)!.id}`)).body.doc;
  });
  afterAll(() => s?.close());

  it('stores an edited document as the next version and the diff lists the change', async () => {
    const before = await versionCount(std.id);
    const last = std.versions.at(-1)!.version;
    const edited = structuredClone(doc);
    const c = edited.groups[0]!.criteria[0]!;
    const oldPoints = c.points;
    c.points = oldPoints + 2;
    const r = await call(s, 'city_office', 'POST', `/api/standards/${std.id}/versions`, { doc: edited, note: '第1项加2分' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ version: last + 1, standardId: std.id });
    expect(await versionCount(std.id)).toBe(before + 1);
    const rows = await s.database.db.select().from(criteria).where(eq(criteria.standardVersionId, r.body.id));
    expect(rows.find((x) => x.criterionId === c.id)!.points).toBe(oldPoints + 2);

    const stored = await call(s, 'city_office', 'GET', `/api/standard-versions/${r.body.id}`);
    expect(stored.body).toMatchObject({ version: last + 1, note: '第1项加2分' });
    expect(stored.body.doc).toEqual(edited);

    const d = await call(s, 'city_edu', 'GET', `/api/standards/${std.id}/versions/${last}/diff/${last + 1}`);
    expect(d.status).toBe(200);
    expect(d.body).toEqual([
      expect.objectContaining({
        kind: 'changed',
        target: 'criterion',
        criterionId: c.id,
        field: 'points',
        before: oldPoints,
        after: oldPoints + 2,
        summary: `第${c.id}项分值由${oldPoints}改为${oldPoints + 2}`,
      }),
    ]);
    expect((await call(s, 'city_edu', 'GET', `/api/standards/${std.id}/versions/${last}/diff/${last}`)).body).toEqual([]);
    expect((await call(s, 'city_edu', 'GET', `/api/standards/${std.id}/versions/${last}/diff/99`)).status).toBe(404);
  });

  it('refuses an invalid document with field-named errors and writes nothing', async () => {
    const before = await versionCount(std.id);
    const bad = structuredClone(doc) as unknown as { groups: { criteria: Record<string, unknown>[] }[]; year: unknown };
    bad.groups[0]!.criteria[0]!.points = '十';
    bad.year = 1999;
    const r = await call(s, 'city_office', 'POST', `/api/standards/${std.id}/versions`, { doc: bad });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION');
    expect(r.body.message).toMatch(/^标准内容有2处错误：/);
    expect(r.body.details.errors).toEqual([
      expect.stringMatching(/^year: 数值过小/),
      'groups[0].criteria[0].points: 无效输入：期望 数字，实际接收 string',
    ]);

    const otherCode = { ...structuredClone(doc), code: 'some-other-code' };
    const c = await call(s, 'city_office', 'POST', `/api/standards/${std.id}/versions`, { doc: otherCode });
    expect(c.status).toBe(400);
    expect(c.body.details.errors[0]).toMatch(/^code: 须与该标准的编号 datuopu-2020-campus 一致/);

    const missing = await call(s, 'city_office', 'POST', `/api/standards/${std.id}/versions`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.details.errors).toEqual(['doc: 须提交标准内容']);
    expect(await versionCount(std.id)).toBe(before);
  });

  it('only the safety office may store standards', async () => {
    const before = await versionCount(std.id);
    for (const user of ['school_nm', 'city_edu', 'expert_zhou']) {
      const r = await call(s, user, 'POST', `/api/standards/${std.id}/versions`, { doc });
      expect(r.status, user).toBe(403);
      expect((await call(s, user, 'POST', '/api/standards', { doc: { ...SAMPLE, code: 'forbidden-one' } })).status).toBe(403);
    }
    expect((await call(s, null, 'POST', `/api/standards/${std.id}/versions`, { doc })).status).toBe(401);
    expect(await versionCount(std.id)).toBe(before);
    expect(await s.database.db.select().from(standards).where(eq(standards.code, 'forbidden-one'))).toEqual([]);
  });

  it('creates a new standard as version 1 and refuses its code a second time', async () => {
    const r = await call(s, 'qs_office', 'POST', '/api/standards', { doc: SAMPLE, note: '测试标准' });
    expect(r.status).toBe(201);
    expect(r.body.version).toBe(1);
    const list = (await call(s, 'qs_office', 'GET', '/api/standards')).body as { code: string; versions: unknown[] }[];
    expect(list.find((x) => x.code === 'test-campus')!.versions).toHaveLength(1);
    const again = await call(s, 'qs_office', 'POST', '/api/standards', { doc: SAMPLE });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('test-campus');
    const bad = await call(s, 'qs_office', 'POST', '/api/standards', { doc: { ...SAMPLE, code: 'Bad Code', groups: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors).toEqual(['code: lower-case code with dashes', 'groups: 数值过小：期望 array >=1 项']);
  });

  it('validates for the editor without storing', async () => {
    expect((await call(s, 'city_office', 'POST', '/api/standards/validate', { doc })).body).toEqual({ ok: true, errors: [] });
    const r = await call(s, 'city_edu', 'POST', '/api/standards/validate', {
      doc: { ...doc, groups: [{ id: 'A', name: '组', criteria: [{ id: '1', text: 't' }] }] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: false, errors: ['groups[0].criteria[0].points: 无效输入：期望 数字，实际接收 undefined'] });
    expect((await call(s, 'city_edu', 'POST', '/api/standards/validate', {})).body).toEqual({ ok: false, errors: ['doc: 须提交标准内容'] });
    expect((await call(s, null, 'POST', '/api/standards/validate', { doc })).status).toBe(401);
  });

  it('exports a version as JSON, YAML and Excel downloads', async () => {
    const v = std.versions[0]!;
    const get = async (format: string) =>
      s.app.inject({
        method: 'GET',
        url: `/api/standard-versions/${v.id}/export?format=${format}`,
        headers: { cookie: await s.login('school_nm') },
      });
    const original = (await call(s, 'city_office', 'GET', `/api/standard-versions/${v.id}`)).body.doc;

    const json = await get('json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''datuopu-2020-campus-v${v.version}.json`);
    expect(JSON.parse(json.body)).toEqual(original);

    const yaml = await get('yaml');
    expect(yaml.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(YAML.parse(yaml.body)).toEqual(original);

    const xlsx = await get('xlsx');
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toContain('.xlsx');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const back = await standardFromXlsx(xlsx.rawPayload);
    expect(back.ok && back.doc).toEqual(original);

    expect((await get('csv')).statusCode).toBe(400);
    expect((await call(s, 'school_nm', 'GET', '/api/standard-versions/99999/export?format=json')).status).toBe(404);
    expect((await call(s, null, 'GET', `/api/standard-versions/${v.id}/export?format=json`)).status).toBe(401);
  });
});
