import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * 打印文书: the 申报表 and 审核表 of an application (002's layout: 盖章 and 年 月 日 for each level of
 * the campaign's chain; the 审核表 with each step's result, opinion and date) and a region's yearly
 * summary. The PDFs are rendered (pdftoppm, page 1 to PNG) and their text read (pdftotext, or the
 * embedded font checked where pdftotext is missing); out of scope is 404.
 */
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAS_PDFTOTEXT = has('pdftotext');

describe.each(DB_KINDS)('printed forms on %s', (kind) => {
  let s: TestServer;
  let dir = '';
  /** the demo's 002 application held at 街道审核 after 村（社区）初审 passed, and its applicant's name */
  let app002 = { id: 0, name: '' };
  let qingshan = 0;
  const q = async <T>(text: string): Promise<T[]> => ((await s.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;

  const pdf = async (user: string, url: string) => {
    const res = await s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });
    return { status: res.statusCode, type: String(res.headers['content-type']), data: res.rawPayload, body: res.body };
  };
  /** renders page 1 to PNG (the PDF parses) and answers the text without whitespace */
  const read = (data: Buffer, name: string): string => {
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, data);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, name)]);
    const png = fs.readFileSync(path.join(dir, `${name}.png`));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);
    if (!HAS_PDFTOTEXT) {
      // no text extraction here: the Chinese font must at least be embedded
      expect(data.toString('latin1')).toMatch(/NotoSansHans-Regular/);
      expect(data.toString('latin1')).toMatch(/\/FontFile[23]?/);
      return '';
    }
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, '');
  };
  const expectText = (text: string, ...parts: string[]) => {
    if (!HAS_PDFTOTEXT) return;
    for (const p of parts) expect(text, p).toContain(p.replace(/\s+/g, ''));
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-docs-'));
    const [a] = await q<{ id: number; name: string }>(
      `select a.id, s.name from applications a join campaigns c on c.id = a.campaign_id join subjects s on s.id = a.subject_id
       where c.chain->>'preset' = 'datuopu-002' and a.step = 'street_review' order by a.id limit 1`,
    );
    app002 = { id: Number(a!.id), name: a!.name };
    qingshan = Number((await q<{ id: number }>(`select id from regions where name = '青山区'`))[0]!.id);
  });
  afterAll(async () => {
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('申报表: the applicant, its content and a seal area with 年 月 日 for every level of the chain', async () => {
    const r = await pdf('qs_office', `/api/applications/${app002.id}/forms/application`);
    expect(r.status, r.body).toBe(200);
    expect(r.type).toBe('application/pdf');
    const text = read(r.data, 'apply');
    expectText(text, app002.name, '申报表', '申报单位', '申报内容', '平安创建活动计划', '申报单位（盖章）');
    // one opinion row per reviewing level, each with its signer's seal line and a blank date
    // the village's and the street's desks; 领导小组审定 is the campaign's own office (城南街道 runs it)
    expectText(
      text,
      '村（社区）初审意见',
      '街道审核意见',
      '领导小组审定意见',
      '审核单位：南门社区平安办（盖章）',
      '审核单位：城南街道平安办（盖章）',
    );
    if (HAS_PDFTOTEXT) {
      expect(text.split('城南街道平安办（盖章）').length - 1).toBe(2);
      expect(text.split('盖章').length - 1).toBeGreaterThanOrEqual(8);
      expect(text).toContain('年月日');
    }
  });

  it('审核表: each step with its result, opinion and date from the history', async () => {
    const r = await pdf('qs_office', `/api/applications/${app002.id}/forms/review`);
    expect(r.status).toBe(200);
    const text = read(r.data, 'review');
    const [passed] = await q<{ at: string; reason: string }>(
      `select to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as at, reason from application_events
       where application_id = ${app002.id} and action = 'pass:village_review' order by id desc limit 1`,
    );
    const [y, m, d] = passed!.at.split('-').map(Number);
    expectText(
      text,
      app002.name,
      '审核表',
      '平安创建开展情况及成果',
      '审核结果：通过',
      `${y}年${m}月${d}日`,
      '审核结果：审核中',
      '审核结果：尚未审核',
    );
    if (HAS_PDFTOTEXT) {
      // the village step's opinion is on the form
      const [rev] = await q<{ comment: string | null }>(
        `select comment from reviews where application_id = ${app002.id} and step = 'village_review' order by id limit 1`,
      );
      expect(text).toContain((rev?.comment ?? passed!.reason).replace(/\s+/g, '').slice(0, 12));
    }
  });

  it('the forms are scoped as the application is: 404 out of scope, the applicant’s own answered', async () => {
    expect((await pdf('lj_office', `/api/applications/${app002.id}/forms/application`)).status).toBe(404);
    expect((await pdf('lj_office', `/api/applications/${app002.id}/forms/review`)).status).toBe(404);
    expect((await pdf('school_bs', `/api/applications/${app002.id}/forms/review`)).status).toBe(404);
    expect((await pdf('qs_office', '/api/applications/2147483646/forms/review')).status).toBe(404);
    expect((await pdf('qs_office', '/api/applications/abc/forms/review')).status).toBe(400);
    const [own] = await q<{ id: number }>(
      `select a.id from applications a join users u on u.subject_id = a.subject_id where u.username = 'school_bs' order by a.id limit 1`,
    );
    const mine = await pdf('school_bs', `/api/applications/${own!.id}/forms/application`);
    expect(mine.status).toBe(200);
    expectText(read(mine.data, 'own'), '临江县白沙镇中心小学');
  });

  it('the yearly summary of a region: figures, indicators with their source, the ranking row, bar charts', async () => {
    const year = Number((await q<{ y: number }>(`select max(year)::int as y from campaigns`))[0]!.y);
    const [city] = await q<{ id: number }>(`select id from regions where name = '云州市'`);
    await q(
      `insert into region_indicators (region_id, year, indicator, value, source, source_ref)
       values (${qingshan}, ${year}, 'public_safety_feeling', 93.5, 'survey', 'SV-TEST'), (${qingshan}, ${year}, 'pass_rate', 88, 'computed', 'applications')
       on conflict (region_id, year, indicator) do update set value = excluded.value, source = excluded.source, source_ref = excluded.source_ref`,
    );
    const rows = [
      {
        regionId: qingshan,
        region: '青山区',
        score: 91.2,
        rank: 1,
        components: [],
        yellowCard: false,
        veto: false,
        lastStreak: 0,
        ineligible: false,
        reasons: [],
      },
      {
        regionId: 999999,
        region: '临江县',
        score: 80,
        rank: 2,
        components: [],
        yellowCard: true,
        veto: false,
        lastStreak: 1,
        ineligible: false,
        reasons: ['末位'],
      },
    ];
    await q(
      `insert into region_rankings (scope_region_id, level, year, components, rows, status)
       values (${city!.id}, 'county', ${year}, '[]'::jsonb, '${JSON.stringify(rows)}'::jsonb, 'published')`,
    );
    const r = await pdf('city_office', `/api/documents/region-summary?regionId=${qingshan}&year=${year}`);
    expect(r.status, r.body).toBe(200);
    expect(r.type).toBe('application/pdf');
    const text = read(r.data, 'summary');
    expectText(text, `青山区${year}年度平安创建工作汇总`, '申报按状态', '称号按名称', '下级区域的称号数', '城南街道', '创建覆盖率');
    expectText(text, '公众安全感', '93.5%', '问卷调查（SV-TEST）', '系统计算（applications）', '1/2', '91.2', '已发布');
    // the county office for its own region too; another county, a department, a bad year: refused
    expect((await pdf('qs_office', `/api/documents/region-summary?regionId=${qingshan}&year=${year}`)).status).toBe(200);
    expect((await pdf('lj_office', `/api/documents/region-summary?regionId=${qingshan}&year=${year}`)).status).toBe(404);
    expect((await pdf('qs_office', `/api/documents/region-summary?regionId=${city!.id}&year=${year}`)).status).toBe(404);
    expect((await pdf('qs_edu', `/api/documents/region-summary?regionId=${qingshan}&year=${year}`)).status).toBe(403);
    expect((await call(s, 'city_office', 'GET', `/api/documents/region-summary?regionId=${qingshan}&year=99999`)).status).toBe(400);
  });
});
