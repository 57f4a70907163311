import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { count } from 'drizzle-orm';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';
import { applications, campaigns, evidenceFiles } from '../src/db/schema.js';

/** Bad input gets a 4xx with a message a person can act on, and changes nothing. */
describe.each(DB_KINDS)('bad input on %s', (kind) => {
  let s: TestServer;
  let draftId: number;
  beforeAll(async () => {
    s = await getTestServer(kind, { maxUploadBytes: 64 * 1024 });
    const campaigns = (await call(s, 'school_nm', 'GET', '/api/campaigns')).body;
    // the first campaign the school may apply to itself for 平安校园 (not one that takes recommendations only)
    const own = campaigns.find(
      (c: { categories: { code: string }[]; chain: { rules: { entry?: string } } }) =>
        c.categories.some((k) => k.code === 'campus') && c.chain.rules.entry !== 'recommendation',
    );
    draftId = (await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: own.id, categoryCode: 'campus' })).body.id;
  });
  afterAll(() => s?.close());

  const upload = async (name: string, type: string, data: Buffer, criterionId?: string) => {
    const mp = multipart(name, type, data, criterionId);
    return s.app.inject({
      method: 'POST',
      url: `/api/applications/${draftId}/files`,
      headers: { ...mp.headers, cookie: await s.login('school_nm') },
      payload: mp.payload,
    });
  };
  const files = async () => (await s.database.db.select({ n: count() }).from(evidenceFiles))[0]!.n;

  it('refuses malformed campaign bodies with field messages and writes nothing', async () => {
    const before = (await s.database.db.select({ n: count() }).from(campaigns))[0]!.n;
    const r = await call(s, 'city_office', 'POST', '/api/campaigns', { name: 'x', year: 'abc', applyDeadline: '2026/1/1', categories: [] });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION');
    expect(r.body.message).toMatch(/提交的数据不正确/);
    const inverted = await call(s, 'city_office', 'POST', '/api/campaigns', {
      name: '测试活动',
      year: 2026,
      applyDeadline: '2026-12-31',
      reviewDeadline: '2026-12-01',
      categories: [{ standardVersionId: 1 }],
    });
    expect(inverted.status).toBe(400);
    expect(inverted.body.message).toContain('评审截止日期不能早于申报截止日期');
    const missingVersion = await call(s, 'city_office', 'POST', '/api/campaigns', {
      name: '测试活动',
      year: 2026,
      applyDeadline: '2026-12-01',
      reviewDeadline: '2026-12-31',
      categories: [{ standardVersionId: 99999 }],
    });
    expect(missingVersion.status).toBe(404);
    expect((await s.database.db.select({ n: count() }).from(campaigns))[0]!.n).toBe(before);
    expect(
      (
        await call(s, 'school_nm', 'POST', '/api/campaigns', {
          name: '越权活动',
          year: 2026,
          applyDeadline: '2026-12-01',
          reviewDeadline: '2026-12-31',
          categories: [{ standardVersionId: 1 }],
        })
      ).status,
    ).toBe(403);
  });

  it('refuses unknown criteria and figures in a draft without saving any part of it', async () => {
    const d = (await call(s, 'school_nm', 'GET', `/api/applications/${draftId}`)).body;
    const first = d.standard.groups[0].criteria[0].id;
    const r = await call(s, 'school_nm', 'PUT', `/api/applications/${draftId}/draft`, {
      revision: d.revision,
      form: { content: '不应保存' },
      answers: [
        { criterionId: first, statement: '不应保存' },
        { criterionId: '999', statement: 'x' },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('标准中没有第999项');
    const fig = await call(s, 'school_nm', 'PUT', `/api/applications/${draftId}/draft`, {
      revision: d.revision,
      form: {},
      answers: [{ criterionId: first, figures: { nonsense: { value: 1 } } }],
    });
    expect(fig.status).toBe(400);
    const notNumber = await call(s, 'school_nm', 'PUT', `/api/applications/${draftId}/draft`, {
      revision: d.revision,
      form: {},
      answers: [{ criterionId: first, figures: { x: { value: 'many' } } }],
    });
    expect(notNumber.status).toBe(400);
    const after = (await call(s, 'school_nm', 'GET', `/api/applications/${draftId}`)).body;
    expect(after.revision).toBe(d.revision);
    expect(after.form.content ?? null).toBeNull();
    expect(after.answers).toEqual([]);
  });

  it('checks uploads: type by extension and content, size limit, and leaves no file behind', async () => {
    const before = await files();
    const onDisk = () =>
      fs.existsSync(s.filesDir) ? fs.readdirSync(s.filesDir, { recursive: true }).filter((f) => String(f).includes('-')).length : 0;
    const disk0 = onDisk();
    const exe = await upload('virus.exe', 'application/octet-stream', Buffer.from('MZ\x90\x00'));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().message).toContain('不支持的文件类型');
    const fake = await upload('fake.pdf', 'application/pdf', Buffer.from('<html>not a pdf</html>'));
    expect(fake.statusCode).toBe(415);
    expect(fake.json().message).toContain('不是有效的PDF');
    const big = await upload('big.pdf', 'application/pdf', Buffer.concat([PDF_BYTES, Buffer.alloc(70 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toContain('上限');
    const badCriterion = await upload('ok.pdf', 'application/pdf', PDF_BYTES, '999');
    expect(badCriterion.statusCode).toBe(400);
    expect(await files()).toBe(before);
    expect(onDisk()).toBe(disk0);
    const ok = await upload('台账.pdf', 'application/pdf', PDF_BYTES);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(onDisk()).toBe(disk0 + 1);
  });

  it('refuses bad ids and routes with 4xx, never 500', async () => {
    expect((await call(s, 'city_office', 'GET', '/api/applications/abc')).status).toBe(400);
    expect((await call(s, 'city_office', 'GET', '/api/applications/999999')).status).toBe(404);
    expect((await call(s, 'city_office', 'GET', '/api/applications?status=bogus')).status).toBe(400);
    expect((await call(s, 'city_office', 'GET', '/api/nope')).status).toBe(404);
    const tenSafe = ((await call(s, 'school_nm', 'GET', '/api/campaigns')).body as { id: number; name: string }[]).find(
      (c) => c.name.includes('“十大平安”创建') && c.name.startsWith('云州市'),
    )!;
    const first = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: tenSafe.id, categoryCode: 'campus' });
    expect(first.status).toBe(201);
    const dup = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: tenSafe.id, categoryCode: 'campus' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('已有此类别的申报');
    const wrongKind = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: tenSafe.id, categoryCode: 'family' });
    expect(wrongKind.status).toBe(400);
    expect((await s.database.db.select({ n: count() }).from(applications).where(undefined))[0]!.n).toBeGreaterThan(0);
  });

  it('a review score above the criterion’s points is refused and nothing changes', async () => {
    // an application at 牵头部门初评, the step the city's education bureau owns
    const subs = (await call(s, 'city_edu', 'GET', '/api/applications?status=submitted')).body.items as { id: number }[];
    const details = await Promise.all(subs.map(async (x) => (await call(s, 'city_edu', 'GET', `/api/applications/${x.id}`)).body));
    const d = details.find((x) => x.canScore)!;
    const sub = { id: d.id as number };
    const c = d.standard.groups[0].criteria[0];
    const r = await call(s, 'city_edu', 'POST', `/api/applications/${sub.id}/reviews`, {
      decision: 'pass',
      scores: [{ criterionId: c.id, score: c.points + 1, met: true }],
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(`得分须在0到${c.points}之间`);
    const after = (await call(s, 'city_edu', 'GET', `/api/applications/${sub.id}`)).body;
    expect(after.status).toBe('submitted');
    expect(after.reviews).toHaveLength(d.reviews.length);
  });
});
