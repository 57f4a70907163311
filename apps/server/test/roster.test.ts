import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { DB_KINDS, call, getTestServer, multipart, type TestServer } from './helpers.js';

/**
 * 名册导入: the template, an upload run as a job with progress, every row checked (required cells,
 * unknown or out-of-scope regions, level order, duplicates, bounds, NUL bytes, phones), nothing
 * written when any row is bad and an Excel report of the bad rows; a good file written in one go,
 * existing units updated instead of duplicated, phones encrypted; the roster list and its Excel.
 */
describe.each(DB_KINDS)('roster import on %s', (kind) => {
  let s: TestServer;
  let unitType = '';
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const q = async <T>(text: string): Promise<T[]> => ((await s.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
  const count = async (table: string) => Number((await q<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n);

  type Row = (string | number | null)[];
  const workbook = async (regionRows: Row[], unitRows: Row[]) => {
    const wb = new ExcelJS.Workbook();
    const r = wb.addWorksheet('区域');
    r.addRow(['名称', '级别', '上级区域', '常住人口', '户数']);
    for (const x of regionRows) r.addRow(x);
    const u = wb.addWorksheet('单位');
    u.addRow(['名称', '类型', '所在区域', '单位类型', '主管部门', '户数', '从业人数', '地址', '联系电话']);
    for (const x of unitRows) u.addRow(x);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };
  const upload = async (user: string, data: Buffer) => {
    const mp = multipart('名册.xlsx', XLSX, data);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/roster/imports',
      headers: { ...mp.headers, cookie: await s.login(user) },
      payload: mp.payload,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const finish = async (user: string, jobId: string) => {
    for (let i = 0; i < 500; i++) {
      const r = await call(s, user, 'GET', `/api/roster/jobs/${jobId}`);
      expect(r.status).toBe(200);
      if (r.body.state !== 'running') return r.body;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error('import job did not finish');
  };
  const runImport = async (user: string, data: Buffer) => {
    const up = await upload(user, data);
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    return { jobId: up.body.jobId as string, job: await finish(user, up.body.jobId) };
  };
  const fileOf = async (user: string, url: string) => {
    const res = await s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });
    return { status: res.statusCode, type: String(res.headers['content-type']), data: res.rawPayload };
  };
  const readXlsx = async (data: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    return wb;
  };

  beforeAll(async () => {
    s = await getTestServer(kind, { maxUploadBytes: 5 * 1024 * 1024 });
    unitType = (
      await q<{ t: string }>(
        `select distinct jsonb_array_elements_text(doc->'category'->'unitTypes') as t from standard_versions order by 1 limit 1`,
      )
    )[0]!.t;
  });
  afterAll(() => s?.close());

  it('the template has the two sheets to fill and the 说明 sheet; only an office gets it', async () => {
    const f = await fileOf('qs_office', '/api/roster/template');
    expect(f.status).toBe(200);
    expect(f.type).toContain('spreadsheetml');
    const wb = await readXlsx(f.data);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['区域', '单位', '说明']);
    expect(wb.getWorksheet('单位')!.getRow(1).getCell(9).value).toBe('联系电话');
    // the example row names the office's own region path
    expect(String(wb.getWorksheet('区域')!.getRow(2).getCell(3).value)).toContain('云州市/青山区');
    expect((await fileOf('qs_edu', '/api/roster/template')).status).toBe(403);
    expect((await upload('qs_edu', await workbook([], []))).status).toBe(403);
  });

  it('a file with bad rows writes nothing and reports every bad row, in the answer and as Excel', async () => {
    const before = { regions: await count('regions'), subjects: await count('subjects') };
    const data = await workbook(
      [
        ['湖心街道', '乡镇', '云州市/青山区', 8000, 3000], // good on its own
        ['湖心街道', '乡镇', '云州市/青山区', 1, 1], // duplicate of the row above
        ['新区', '县', '云州市/青山区/城南街道', null, null], // a county under a town
        ['外县村', '村', '云州市/临江县/白沙镇', null, null], // outside 青山区
        ['无名村', '村', '云州市/青山区/不存在街道', null, null], // unknown parent
        ['', '', '云州市/青山区', -5, 'abc'], // required cells, bounds
      ],
      [
        ['青山区示范店', '单位', '云州市/青山区/湖心街道', unitType, 'education', null, 30, '湖心路1号', '13912345678'], // good
        ['青山区示范店', '单位', '云州市/青山区/湖心街道', unitType, null, null, null, null, null], // duplicate
        ['坏电话单位', '单位', '云州市/青山区/城南街道', unitType, null, null, null, null, '12345'],
        // Excel's escape _x0000_ is read back as a NUL byte
        ['空字符_x0000_单位', '单位', '云州市/青山区/城南街道', unitType, null, null, null, null, null],
        ['外区单位', '单位', '云州市/临江县/白沙镇', unitType, null, null, null, null, null],
        ['太多人单位', '单位', '云州市/青山区/城南街道', unitType, null, null, 2147483648, null, null],
        ['某家庭', '家', '云州市/青山区/城南街道', null, null, null, null, null, null],
        ['无部门单位', '单位', '云州市/青山区/城南街道', '不存在的类型', '火星局', null, null, null, null],
      ],
    );
    const { jobId, job } = await runImport('qs_office', data);
    expect(job.state).toBe('done');
    expect(job.result.ok).toBe(false);
    expect(job.result.unitsInserted + job.result.regionsInserted).toBe(0);
    const reasons = (sheet: string, row: number) =>
      (job.result.problems as { sheet: string; row: number; reasons: string[] }[])
        .find((p) => p.sheet === sheet && p.row === row)
        ?.reasons.join('；') ?? '';
    expect(reasons('区域', 2)).toBe('');
    expect(reasons('区域', 3)).toContain('与第2行重复');
    expect(reasons('区域', 4)).toContain('级别顺序有误');
    expect(reasons('区域', 5)).toContain('不在本辖区内');
    expect(reasons('区域', 6)).toContain('不存在');
    expect(reasons('区域', 7)).toContain('名称为空');
    expect(reasons('区域', 7)).toContain('级别为空');
    expect(reasons('区域', 7)).toContain('常住人口须在0到200000000之间');
    expect(reasons('区域', 7)).toContain('户数须为整数');
    expect(reasons('单位', 2)).toBe('');
    expect(reasons('单位', 3)).toContain('与第2行重复');
    expect(reasons('单位', 4)).toContain('联系电话「12345」格式不正确');
    expect(reasons('单位', 5)).toContain('空字符');
    expect(reasons('单位', 6)).toContain('不在本辖区内');
    expect(reasons('单位', 7)).toContain('从业人数须在0到');
    expect(reasons('单位', 8)).toContain('须为“单位”或“家庭”');
    expect(reasons('单位', 9)).toContain('单位类型「不存在的类型」');
    expect(reasons('单位', 9)).toContain('主管部门「火星局」不存在');
    expect(job.result.problemCount).toBe(12);
    // nothing written, not even the good rows
    expect({ regions: await count('regions'), subjects: await count('subjects') }).toEqual(before);
    expect(await q(`select id from regions where name = '湖心街道'`)).toEqual([]);

    const report = await fileOf('qs_office', `/api/roster/jobs/${jobId}/errors`);
    expect(report.status).toBe(200);
    const wb = await readXlsx(report.data);
    const ws = wb.getWorksheet('单位错误')!;
    expect(ws.getRow(1).getCell(11).value).toBe('错误原因');
    const rows: string[] = [];
    ws.eachRow((r, n) => n > 1 && rows.push(`${r.getCell(1).value}|${r.getCell(2).value}|${r.getCell(11).value}`));
    expect(rows).toHaveLength(7);
    expect(rows.find((r) => r.startsWith('4|'))).toContain('格式不正确');
    expect(wb.getWorksheet('区域错误')!.rowCount).toBe(1 + 5);
    // the job is its owner's: another office cannot see it or its report
    expect((await call(s, 'lj_office', 'GET', `/api/roster/jobs/${jobId}`)).status).toBe(404);
    expect((await fileOf('lj_office', `/api/roster/jobs/${jobId}/errors`)).status).toBe(404);
  });

  it('a file that is not a workbook, or lacks the sheets, is refused the same way', async () => {
    const { job } = await runImport('qs_office', Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(job.result.ok).toBe(false);
    expect(job.result.problems[0]).toMatchObject({ sheet: '文件', reasons: ['不是有效的 Excel（.xlsx）文件'] });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['x']);
    const other = await runImport('qs_office', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(other.job.result.problems[0].reasons[0]).toContain('缺少工作表');
  });

  it('a good file is written in one go: new regions and units inserted, existing ones updated, phones sealed', async () => {
    const before = await count('subjects');
    const [kindergarten] = await q<{ id: number; staff: number }>(`select id, staff from subjects where name = '青山区桂花幼儿园'`);
    const data = await workbook(
      [
        ['湖心街道', '街道', '云州市/青山区', 8000, 3000],
        ['湖心社区', '社区', '青山区/湖心街道', 4000, 1500], // a path from the office's own region; a parent added above
        ['城南街道', 'town', '云州市/青山区', 52000, null], // existing: its figures updated
      ],
      [
        ['青山区示范店', '单位', '云州市/青山区/湖心街道/湖心社区', unitType, '教育局', null, 30, '湖心路1号', '139 1234 5678'],
        ['湖心社区李家', '家庭', '云州市/青山区/湖心街道/湖心社区', null, null, 4, null, null, '0731-84561234'],
        ['青山区桂花幼儿园', '单位', '云州市/青山区/城南街道/桂花社区', unitType, 'education', null, 40, null, null], // existing
      ],
    );
    const { job } = await runImport('qs_office', data);
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({
      ok: true,
      regionsInserted: 2,
      regionsUpdated: 1,
      unitsInserted: 2,
      unitsUpdated: 1,
      problemCount: 0,
    });
    expect(job.total).toBeGreaterThan(0);
    expect(job.done).toBe(job.total);
    expect(await count('subjects')).toBe(before + 2);

    const [town] = await q<{ id: number; path: string; level: string; population: number }>(
      `select id, path, level, population from regions where name = '湖心街道'`,
    );
    const [village] = await q<{ parent_id: number; path: string }>(`select parent_id, path from regions where name = '湖心社区'`);
    const [qingshan] = await q<{ path: string }>(`select path from regions where name = '青山区'`);
    expect(town!.level).toBe('town');
    expect(town!.population).toBe(8000);
    expect(town!.path).toBe(`${qingshan!.path}${town!.id}/`);
    expect(village!.parent_id).toBe(town!.id);
    expect(village!.path.startsWith(town!.path)).toBe(true);
    const [chengnan] = await q<{ population: number; households: number | null }>(
      `select population, households from regions where name = '城南街道'`,
    );
    expect(chengnan!.population).toBe(52000);

    const [shop] = await q<{ phone: string; supervising_dept: string; staff: number }>(
      `select phone, supervising_dept, staff from subjects where name = '青山区示范店'`,
    );
    expect(shop!.phone).toMatch(/^(g1|s1):/);
    expect(shop!.phone).not.toContain('13912345678');
    expect(shop!.supervising_dept).toBe('education');
    const same = await q<{ id: number; staff: number }>(`select id, staff from subjects where name = '青山区桂花幼儿园'`);
    expect(same).toEqual([{ id: kindergarten!.id, staff: 40 }]);

    // the roster: paged, masked, and the same list as Excel
    const list = await call(s, 'qs_office', 'GET', `/api/roster/units?q=${encodeURIComponent('示范店')}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ name: '青山区示范店', regionPath: '云州市/青山区/湖心街道/湖心社区', phone: '139****5678' });
    const page = await call(s, 'qs_office', 'GET', '/api/roster/units?limit=2&offset=0');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    const xlsx = await fileOf('qs_office', '/api/roster/units?format=xlsx&kind=household');
    expect(xlsx.status).toBe(200);
    const ws = (await readXlsx(xlsx.data)).getWorksheet('单位')!;
    const names: string[] = [];
    ws.eachRow((r, n) => n > 1 && names.push(String(r.getCell(2).value)));
    expect(names).toContain('湖心社区李家');
    expect(names.every((n) => n !== '青山区示范店')).toBe(true);
  });

  it('the roster is the office’s subtree only', async () => {
    const lj = await call(s, 'lj_office', 'GET', `/api/roster/units?q=${encodeURIComponent('示范店')}`);
    expect(lj.body.total).toBe(0);
    const [qingshan] = await q<{ id: number }>(`select id from regions where name = '青山区'`);
    expect((await call(s, 'lj_office', 'GET', `/api/roster/units?regionId=${qingshan!.id}`)).status).toBe(404);
    const city = await call(s, 'city_office', 'GET', `/api/roster/units?regionId=${qingshan!.id}&q=${encodeURIComponent('示范店')}`);
    expect(city.body.total).toBe(1);
    expect((await call(s, 'qs_edu', 'GET', '/api/roster/units')).status).toBe(403);
  });

  it('an office cannot import into a region above it', async () => {
    const { job } = await runImport('cn_office', await workbook([['越级社区', '社区', '云州市/青山区/东湖街道', null, null]], []));
    expect(job.result.ok).toBe(false);
    expect(job.result.problems[0].reasons.join()).toContain('不在本辖区内');
  });
});
