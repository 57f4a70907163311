import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { allCriteria, figuresMet, isStaff, type ApplicationStatus } from '@pingan/core';
import { DEMO_ACCOUNTS } from '../src/demo/accounts.js';
import type { Db } from '../src/db/client.js';
import { answers as answerRows, applications, users } from '../src/db/schema.js';
import type { CurrentUser } from '../src/access/scope.js';
import { saveDraft } from '../src/modules/applications/service.js';
import { forgetStandardVersions, standardVersion } from '../src/modules/applications/standardCache.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, multipart, statementsOf, type TestServer } from './helpers.js';

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

/**
 * 保存草稿 is one statement (the answers in one upsert, the scope, revision and status in the UPDATE)
 * and answers exactly as before: the same rows stored, the same errors in the same order.
 */
type Sent = { criterionId: string; statement?: string; figures?: Record<string, { value: number }> };

describe.each(DB_KINDS)('draft saves on %s', (kind) => {
  let s: TestServer;
  let db: Db;
  /** an applicant with a draft (answered), another applicant, one with a submitted and one with a returned application */
  const who = {} as Record<'own' | 'other' | 'submitted' | 'returned', { username: string; appId: number }>;
  let owner: CurrentUser;
  let criteria: ReturnType<typeof allCriteria>;

  const applicantOf = async (status: ApplicationStatus, not: string[] = []) => {
    const rows = await db
      .select({ username: users.username, appId: applications.id, answered: answerRows.criterionId })
      .from(applications)
      .innerJoin(users, and(eq(users.subjectId, applications.subjectId), eq(users.role, 'applicant')))
      .leftJoin(answerRows, eq(answerRows.applicationId, applications.id))
      .where(eq(applications.status, status))
      .orderBy(asc(applications.id));
    const r = rows.find((x) => !not.includes(x.username) && (status !== 'draft' || x.answered));
    expect(r, status).toBeTruthy();
    return { username: r!.username, appId: r!.appId };
  };
  const app = async (id: number) => (await db.select().from(applications).where(eq(applications.id, id)))[0]!;
  const stored = async (id: number) =>
    db
      .select({ c: answerRows.criterionId, statement: answerRows.statement, figures: answerRows.figures, met: answerRows.figuresMet })
      .from(answerRows)
      .where(eq(answerRows.applicationId, id))
      .orderBy(asc(answerRows.criterionId));
  const body = (revision: number, tag: string, extra: Sent[] = []) => ({
    revision,
    form: { content: `申报内容${tag}`, plan: '计划', contactName: '联系人', contactPhone: '13907310000' },
    answers: [...criteria.map((c): Sent => ({ criterionId: c.id, statement: `第${c.id}项自查${tag}` })), ...extra],
  });

  beforeAll(async () => {
    s = await getTestServer(kind);
    db = s.database.db;
    who.own = await applicantOf('draft');
    who.other = await applicantOf('draft', [who.own.username]);
    who.submitted = await applicantOf('submitted');
    who.returned = await applicantOf('returned');
    const [u] = await db.select().from(users).where(eq(users.username, who.own.username));
    owner = {
      id: u!.id,
      username: u!.username,
      displayName: u!.displayName,
      role: 'applicant',
      org: null,
      subjectId: u!.subjectId,
      scope: { role: 'applicant', regionPath: null, categoryCodes: null, subjectId: u!.subjectId, applicationIds: null },
    };
    criteria = allCriteria((await standardVersion(db, (await app(who.own.appId)).standardVersionId)).doc);
    expect(criteria.length).toBeGreaterThan(1);
  });
  afterAll(() => s?.close());

  it('is one statement once the application is known, and stores every answer with its verdict', async () => {
    const id = who.own.appId;
    const first = await statementsOf(db, async () => saveDraft(db, owner, id, body((await app(id)).revision, 'A'), null));
    // the first save of an application in this process reads it once (and its standard, unless read before)
    expect(first).toBeGreaterThanOrEqual(2);
    expect(first).toBeLessThanOrEqual(3);
    const revision = (await app(id)).revision;
    const withFigures = criteria.filter((c) => c.measures.length);
    const sent = body(revision, 'B');
    for (const a of sent.answers) {
      const c = withFigures.find((x) => x.id === a.criterionId);
      if (c) a.figures = Object.fromEntries(c.measures.map((m) => [m.id, { value: 1 }]));
    }
    let result: { revision: number } | undefined;
    expect(await statementsOf(db, async () => (result = await saveDraft(db, owner, id, sent, null)))).toBe(1);
    expect(result).toEqual({ revision: revision + 1 });
    const after = await app(id);
    expect(after.revision).toBe(revision + 1);
    expect(after.form.content).toBe('申报内容B');
    const rows = await stored(id);
    expect(rows.map((r) => r.c).sort()).toEqual(criteria.map((c) => c.id).sort());
    for (const c of criteria) {
      const r = rows.find((x) => x.c === c.id)!;
      expect(r.statement).toBe(`第${c.id}项自查B`);
      expect(r.met).toBe(figuresMet(c, { criterionId: c.id, figures: r.figures }));
    }
  });

  it('answers another applicant, staff, a submitted application, bad answers and a stale revision as before; writes nothing then', async () => {
    const id = who.own.appId;
    const before = await app(id);
    const rowsBefore = await stored(id);
    const put = (user: string, appId: number, payload: unknown) => call(s, user, 'PUT', `/api/applications/${appId}/draft`, payload);
    const unknown = { criterionId: '999', statement: 'x' };

    const other = await put(who.other.username, id, body(before.revision, 'X'));
    expect(other).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: '申报不存在或不在您的权限范围内' } });
    // not even a bad answer tells another applicant that the application exists
    expect((await put(who.other.username, id, body(before.revision, 'X', [unknown]))).status).toBe(404);
    expect((await put('city_office', id, body(before.revision, 'X'))).body.code).toBe('FORBIDDEN');
    expect(await put(who.own.username, 2147483647, body(1, 'X'))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });

    const bad = await put(who.own.username, id, body(before.revision, 'X', [unknown]));
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION', message: '标准中没有第999项' } });
    const measure = await put(
      who.own.username,
      id,
      body(before.revision, 'X', [{ criterionId: criteria[0]!.id, figures: { nope: { value: 1 } } }]),
    );
    expect(measure).toMatchObject({ status: 400, body: { message: `第${criteria[0]!.id}项没有指标「nope」` } });
    // a bad answer is told before a stale revision, as it always was
    expect((await put(who.own.username, id, body(before.revision - 1, 'X', [unknown]))).body.code).toBe('VALIDATION');
    const stale = await put(who.own.username, id, body(before.revision - 1, 'X'));
    expect(stale).toMatchObject({ status: 409, body: { code: 'CONFLICT', message: '记录已被他人修改，请刷新后重试' } });

    const sub = await app(who.submitted.appId);
    const submitted = await put(who.submitted.username, sub.id, body(sub.revision, 'X'));
    expect(submitted).toMatchObject({ status: 409, body: { code: 'WRONG_STATUS', message: '申报已提交，不能再修改' } });
    expect((await app(sub.id)).revision).toBe(sub.revision);

    const after = await app(id);
    expect(after.revision).toBe(before.revision);
    expect(after.form).toEqual(before.form);
    expect(await stored(id)).toEqual(rowsBefore);
  });

  it('saves a returned application; a criterion sent twice is stored as last sent; an empty list keeps the answers', async () => {
    const ret = await app(who.returned.appId);
    const retCriteria = allCriteria((await standardVersion(db, ret.standardVersionId)).doc);
    const saved = await call(s, who.returned.username, 'PUT', `/api/applications/${ret.id}/draft`, {
      revision: ret.revision,
      form: { content: '修改后重新申报', contactPhone: '13907310001' },
      answers: [
        { criterionId: retCriteria[0]!.id, statement: '先写的' },
        { criterionId: retCriteria[0]!.id, statement: '后写的' },
      ],
    });
    expect(saved).toMatchObject({ status: 200, body: { revision: ret.revision + 1 } });
    expect((await stored(ret.id)).find((r) => r.c === retCriteria[0]!.id)!.statement).toBe('后写的');

    const id = who.own.appId;
    const before = await stored(id);
    const empty = await call(s, who.own.username, 'PUT', `/api/applications/${id}/draft`, {
      revision: (await app(id)).revision,
      form: { content: '只改表单' },
      answers: [],
    });
    expect(empty.status).toBe(200);
    expect((await app(id)).form.content).toBe('只改表单');
    expect(await stored(id)).toEqual(before);
  });

  it('reads a stored standard version once, in a transaction or out, and shares it frozen', async () => {
    const id = (await app(who.own.appId)).standardVersionId;
    forgetStandardVersions(db);
    expect(await statementsOf(db, () => standardVersion(db, id))).toBe(1);
    expect(await statementsOf(db, () => standardVersion(db, id))).toBe(0);
    await db.transaction(async (tx) => {
      const v = await standardVersion(tx, id);
      expect(v.criteria.size).toBe(allCriteria(v.doc).length);
      expect(Object.isFrozen(v.doc) && Object.isFrozen(allCriteria(v.doc)[0])).toBe(true);
    });
    const others = await db
      .select({ id: applications.standardVersionId })
      .from(applications)
      .where(inArray(applications.status, ['draft']));
    for (const o of others) expect((await standardVersion(db, o.id)).id).toBe(o.id);
    await expect(standardVersion(db, 2147483647)).rejects.toThrow(/missing/);
  });
});
