import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { isStaff } from '@pingan/core';
import { DEMO_ACCOUNTS } from '../src/demo/accounts.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * A household's draft is its own: no staff account finds it by id, list, search, count, export or
 * file until it is submitted. Each submission freezes a revision: after a return the applicant
 * cannot delete what the reviewers saw, only withdraw it (kept, downloadable, in the history).
 */
const STAFF = DEMO_ACCOUNTS.filter((a) => isStaff(a.role)).map((a) => a.username);
const HOUSEHOLD = 'family_wang';
const NAME = '王建国家庭';

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function xlsxText(s: TestServer, user: string, url: string): Promise<string> {
  const res = await s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });
  expect(res.statusCode, `${user} ${url}`).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text)))));
  return cells.join('\n');
}

async function upload(s: TestServer, user: string, appId: number, criterionId: string, name: string, data: Buffer) {
  const mp = multipart(name, 'application/pdf', data, criterionId);
  return s.app.inject({
    method: 'POST',
    url: `/api/applications/${appId}/files`,
    headers: { ...mp.headers, cookie: await s.login(user) },
    payload: mp.payload,
  });
}

describe.each(DB_KINDS)('drafts and frozen revisions on %s', (kind) => {
  let s: TestServer;
  let id = 0;
  let criterionId = '';
  let original: { id: number; sha256: string };
  const originalBytes = Buffer.concat([PDF_BYTES, Buffer.from('% original ledger\n')]);
  const replacementBytes = Buffer.concat([PDF_BYTES, Buffer.from('% replacement ledger\n')]);
  let form: { content: string; plan: string; contactName: string; contactPhone: string };
  let answers: { criterionId: string; statement: string; figures: Record<string, { value: number; previous: number }> }[];

  beforeAll(async () => {
    s = await getTestServer(kind);
    // the city's 十大平安 round (a lead-office chain: 牵头部门初评 → 平安办评定), 平安家庭
    const campaigns = (await call(s, HOUSEHOLD, 'GET', '/api/campaigns')).body as {
      id: number;
      regionName: string;
      chain: { preset: string };
      categories: { code: string }[];
    }[];
    const campaign = campaigns.find(
      (c) => c.regionName === '云州市' && c.chain.preset === 'lead-office' && c.categories.some((x) => x.code === 'family'),
    )!;
    expect(campaign).toBeTruthy();
    const created = await call(s, HOUSEHOLD, 'POST', '/api/applications', { campaignId: campaign.id, categoryCode: 'family' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    id = created.body.id;
    const d = (await call(s, HOUSEHOLD, 'GET', `/api/applications/${id}`)).body;
    const criteria = d.standard.groups.flatMap((g: { criteria: unknown[] }) => g.criteria) as {
      id: string;
      evidenceRequired: boolean;
      measures: { id: string }[];
    }[];
    answers = criteria.map((c) => ({
      criterionId: c.id,
      statement: `第${c.id}项：家庭成员遵纪守法，邻里和睦。`,
      figures: Object.fromEntries(c.measures.map((m) => [m.id, { value: 1, previous: 2 }])),
    }));
    form = { content: '申报平安家庭', plan: '一、家庭和睦；二、遵纪守法', contactName: '王建国', contactPhone: '13907311234' };
    const saved = await call(s, HOUSEHOLD, 'PUT', `/api/applications/${id}/draft`, { revision: d.revision, form, answers });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    criterionId = (criteria.find((c) => c.evidenceRequired) ?? criteria[0]!).id;
    for (const c of criteria.filter((x) => x.evidenceRequired && x.id !== criterionId))
      expect((await upload(s, HOUSEHOLD, id, c.id, `第${c.id}项.pdf`, PDF_BYTES)).statusCode).toBe(201);
    const up = await upload(s, HOUSEHOLD, id, criterionId, '家庭台账.pdf', originalBytes);
    expect(up.statusCode).toBe(201);
    original = up.json();
    expect(original.sha256).toBe(sha256(originalBytes));
  }, 120_000);
  afterAll(() => s?.close());

  it('the applicant sees its draft and its phone in full', async () => {
    const d = (await call(s, HOUSEHOLD, 'GET', `/api/applications/${id}`)).body;
    expect(d.status).toBe('draft');
    expect(d.form.contactPhone).toBe('13907311234');
    expect(d.submissions).toBe(0);
    expect((await call(s, HOUSEHOLD, 'GET', '/api/applications')).body.items.map((a: { id: number }) => a.id)).toContain(id);
  });

  it(`no staff account (${STAFF.length}) finds the draft: by id, file, list, search, count or export`, async () => {
    expect(STAFF).toEqual(expect.arrayContaining(['city_office', 'city_police', 'expert_zhou', 'city_women', 'nm_community', 'cn_office']));
    for (const u of STAFF) {
      for (const path of [
        `/api/applications/${id}`,
        `/api/files/${original.id}`,
        `/api/applications/${id}/revisions`,
        `/api/applications/${id}/revisions/1`,
      ])
        expect((await call(s, u, 'GET', path)).status, `${u} GET ${path}`).toBe(404);
      expect((await call(s, u, 'POST', `/api/applications/${id}/contact`)).status, `${u} reveal`).toBe(404);
      const all = (await call(s, u, 'GET', '/api/applications?limit=500')).body;
      expect(
        all.items.map((a: { id: number }) => a.id),
        u,
      ).not.toContain(id);
      expect(
        all.items.some((a: { status: string }) => a.status === 'draft'),
        u,
      ).toBe(false);
      expect((await call(s, u, 'GET', '/api/applications?status=draft')).body.total, u).toBe(0);
      expect((await call(s, u, 'GET', `/api/applications?q=${encodeURIComponent('王建国')}`)).body.total, u).toBe(0);
      const dash = await call(s, u, 'GET', '/api/dashboard');
      if (dash.status === 200) {
        expect(dash.body.applicationsByStatus.draft, `${u} dashboard`).toBeUndefined();
        expect(
          dash.body.byCategory.some((r: { status: string }) => r.status === 'draft'),
          `${u} dashboard`,
        ).toBe(false);
      }
      const sheet = await xlsxText(s, u, '/api/applications?format=xlsx');
      expect(sheet, `${u} export`).not.toContain(NAME);
      expect(sheet, `${u} export`).not.toContain('草稿');
    }
  });

  it('after submission the staff in scope see it, with the phone masked; revision 1 is frozen', async () => {
    const sub = await call(s, HOUSEHOLD, 'POST', `/api/applications/${id}/submit`);
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    const seeing = [];
    for (const u of STAFF) if ((await call(s, u, 'GET', `/api/applications/${id}`)).status === 200) seeing.push(u);
    expect(seeing).toEqual(expect.arrayContaining(['city_office', 'city_women', 'qs_office', 'cn_office', 'nm_community']));
    expect(seeing).not.toContain('lj_office');
    const d = (await call(s, 'city_office', 'GET', `/api/applications/${id}`)).body;
    expect(d.form.contactPhone).toBe('139****1234');
    expect(d.submissions).toBe(1);
    expect(d.events.find((e: { action: string }) => e.action === 'submit').revisionNo).toBe(1);
    expect(await xlsxText(s, 'city_office', '/api/applications?format=xlsx')).toContain(NAME);
    const file = await s.app.inject({ method: 'GET', url: `/api/files/${original.id}`, headers: { cookie: await s.login('city_women') } });
    expect(file.statusCode).toBe(200);
    // a submitted application's form is not the applicant's to change, nor its files
    expect((await call(s, HOUSEHOLD, 'PUT', `/api/applications/${id}/draft`, { revision: d.revision, form, answers })).status).toBe(409);
    expect((await call(s, HOUSEHOLD, 'DELETE', `/api/files/${original.id}`)).status).toBe(409);
  });

  it('after a return the frozen file cannot be deleted (409) but can be withdrawn and replaced; staff keep seeing revision 1', async () => {
    const ret = await call(s, 'city_women', 'POST', `/api/applications/${id}/reviews`, {
      decision: 'return',
      reason: '请补充家庭台账',
      scores: [],
    });
    expect(ret.status, JSON.stringify(ret.body)).toBe(200);
    expect(ret.body.status).toBe('returned');

    const del = await call(s, HOUSEHOLD, 'DELETE', `/api/files/${original.id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toMatch(/已随第1次提交归档，不能删除/);
    const w = await call(s, HOUSEHOLD, 'POST', `/api/files/${original.id}/withdraw`);
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body.withdrawnAt).toBeTruthy();
    expect((await call(s, HOUSEHOLD, 'POST', `/api/files/${original.id}/withdraw`)).status).toBe(409);
    const up = await upload(s, HOUSEHOLD, id, criterionId, '家庭台账（补充）.pdf', replacementBytes);
    expect(up.statusCode).toBe(201);
    const replacement = up.json() as { id: number; frozenIn: number | null };
    expect(replacement.frozenIn).toBeNull();
    // a file not yet submitted can be deleted as before
    const extra = (await upload(s, HOUSEHOLD, id, criterionId, '多余.pdf', PDF_BYTES)).json() as { id: number };
    expect((await call(s, HOUSEHOLD, 'DELETE', `/api/files/${extra.id}`)).status).toBe(200);
    let mine = (await call(s, HOUSEHOLD, 'GET', `/api/applications/${id}`)).body;
    const saved = await call(s, HOUSEHOLD, 'PUT', `/api/applications/${id}/draft`, {
      revision: mine.revision,
      form: { ...form, plan: '一、家庭和睦；二、遵纪守法；三、补充台账', contactPhone: '13907319876' },
      answers,
    });
    expect(saved.status).toBe(200);
    mine = (await call(s, HOUSEHOLD, 'GET', `/api/applications/${id}`)).body;
    expect(mine.files.map((f: { id: number }) => f.id)).not.toContain(original.id);
    expect(mine.files.map((f: { id: number }) => f.id)).toContain(replacement.id);
    expect(mine.form.contactPhone).toBe('13907319876');

    // staff see the last submission, noted as being revised; not the new file
    const d = (await call(s, 'city_office', 'GET', `/api/applications/${id}`)).body;
    expect(d.revising).toBe(true);
    expect(d.frozenRevision.no).toBe(1);
    expect(d.form.plan).toBe(form.plan);
    expect(d.form.contactPhone).toBe('139****1234');
    expect(d.files.map((f: { id: number }) => f.id)).toContain(original.id);
    expect(d.files.map((f: { id: number }) => f.id)).not.toContain(replacement.id);
    expect((await call(s, 'city_office', 'GET', `/api/files/${replacement.id}`)).status).toBe(404);
    expect((await call(s, HOUSEHOLD, 'GET', `/api/files/${replacement.id}`)).status).toBe(200);
  });

  it('the revisions show revision 1 with the original file and form, revision 2 after resubmission; the frozen file still downloads', async () => {
    const resub = await call(s, HOUSEHOLD, 'POST', `/api/applications/${id}/submit`);
    expect(resub.status, JSON.stringify(resub.body)).toBe(200);
    for (const u of [HOUSEHOLD, 'city_office']) {
      const list = (await call(s, u, 'GET', `/api/applications/${id}/revisions`)).body.items as {
        no: number;
        fileCount: number;
        withdrawnCount: number;
        submittedByName: string;
      }[];
      expect(list.map((r) => r.no)).toEqual([2, 1]);
      expect(list[1]!.withdrawnCount).toBe(1);
      expect(list[0]!.submittedByName).toBe('王建国');
      const r1 = (await call(s, u, 'GET', `/api/applications/${id}/revisions/1`)).body;
      expect(r1.form.plan).toBe(form.plan);
      expect(r1.form.contactPhone).toBe(u === HOUSEHOLD ? '13907311234' : '139****1234');
      const f1 = r1.evidence.find((e: { id: number }) => e.id === original.id);
      expect(f1).toMatchObject({ fileName: '家庭台账.pdf', sha256: original.sha256, url: `/api/files/${original.id}` });
      expect(f1.withdrawnAt).toBeTruthy();
      const r2 = (await call(s, u, 'GET', `/api/applications/${id}/revisions/2`)).body;
      expect(r2.form.plan).toContain('补充台账');
      expect(r2.evidence.map((e: { id: number }) => e.id)).not.toContain(original.id);
      expect(r2.evidence.map((e: { fileName: string }) => e.fileName)).toContain('家庭台账（补充）.pdf');
      expect((await call(s, u, 'GET', `/api/applications/${id}/revisions/3`)).status).toBe(404);
      // the withdrawn file still downloads, byte for byte what was submitted
      const dl = await s.app.inject({ method: 'GET', url: f1.url, headers: { cookie: await s.login(u) } });
      expect(dl.statusCode).toBe(200);
      expect(sha256(dl.rawPayload)).toBe(original.sha256);
    }
    const d = (await call(s, 'city_office', 'GET', `/api/applications/${id}`)).body;
    expect(d.frozenRevision).toBeNull();
    expect(d.revising).toBe(false);
    expect(d.submissions).toBe(2);
    expect(d.form.contactPhone).toBe('139****9876');
    expect(d.events.filter((e: { action: string }) => e.action === 'submit').map((e: { revisionNo: number }) => e.revisionNo)).toEqual([
      1, 2,
    ]);
    // still frozen: not deletable, now in revision 2 as well
    expect((await call(s, HOUSEHOLD, 'DELETE', `/api/files/${original.id}`)).status).toBe(409);
  });
});
