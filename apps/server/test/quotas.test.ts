import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { PRESET_004 } from '@pingan/core';
import type { Db } from '../src/db/client.js';
import { campaignCategories, campaignQuotas, campaigns, organisations, regions, standardVersions, standards } from '../src/db/schema.js';
import { today } from '../src/modules/applications/service.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

const YEAR = Number(today().slice(0, 4));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function regionId(db: Db, name: string): Promise<number> {
  const [r] = await db.select({ id: regions.id }).from(regions).where(eq(regions.name, name));
  return r!.id;
}

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名额');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipartFile(fileName: string, data: Buffer) {
  const boundary = '----pinganquota';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${XLSX}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DB_KINDS)('campaign quotas (%s)', (kind) => {
  let s: TestServer;
  let db: Db;
  let cityCampaign: number;
  let qingshan: number;
  let linjiang: number;
  let danfeng: number;

  beforeAll(async () => {
    s = await getTestServer(kind);
    db = s.database.db;
    const city = await regionId(db, '云州市');
    qingshan = await regionId(db, '青山区');
    linjiang = await regionId(db, '临江县');
    // a third county named as in the 004 table, so one row matches by name
    const [cityRow] = await db.select().from(regions).where(eq(regions.id, city));
    const [df] = await db.insert(regions).values({ parentId: city, name: '丹凤县', level: 'county' }).returning();
    await db
      .update(regions)
      .set({ path: `${cityRow!.path}${df!.id}/` })
      .where(eq(regions.id, df!.id));
    danfeng = df!.id;
    const [office] = await db
      .select()
      .from(organisations)
      .where(and(eq(organisations.regionId, city), eq(organisations.kind, 'safety_office')));
    const [v] = await db
      .select({ id: standardVersions.id })
      .from(standardVersions)
      .innerJoin(standards, eq(standards.id, standardVersions.standardId))
      .where(eq(standards.categoryCode, 'campus'))
      .limit(1);
    const [c] = await db
      .insert(campaigns)
      .values({
        regionId: city,
        orgId: office!.id,
        year: YEAR,
        name: '云州市平安创建市级评定',
        applyDeadline: `${YEAR}-12-20`,
        reviewDeadline: `${YEAR}-12-31`,
        chain: PRESET_004,
      })
      .returning();
    cityCampaign = c!.id;
    await db.insert(campaignCategories).values({ campaignId: cityCampaign, categoryCode: 'campus', standardVersionId: v!.id });
  }, 120_000);
  afterAll(async () => s?.close());

  it('loads the 004 tables: names that match map by themselves, the office maps the rest', async () => {
    const first = await call(s, 'city_office', 'POST', `/api/campaigns/${cityCampaign}/quotas/load`, { code: 'shangluo-2018-quotas' });
    expect(first.status).toBe(200);
    expect(first.body.matched).toEqual([expect.objectContaining({ tableRegion: '丹凤县', regionId: danfeng, how: 'name' })]);
    expect(first.body.unmatched).toHaveLength(7);
    expect(first.body.unmatched).toContain('商州区');
    // 丹凤县's 6 brands + the 8 department rows
    expect(first.body.written).toBe(14);
    expect(first.body.message).toContain('未能对应');

    const mapped = await call(s, 'city_office', 'POST', `/api/campaigns/${cityCampaign}/quotas/load`, {
      code: 'shangluo-2018-quotas',
      regionMap: { 商州区: qingshan, 洛南县: linjiang },
      categoryMap: { unit: 'campus' },
    });
    expect(mapped.status).toBe(200);
    expect(mapped.body.matched.map((m: any) => [m.tableRegion, m.how])).toEqual([
      ['商州区', 'mapped'],
      ['洛南县', 'mapped'],
      ['丹凤县', 'name'],
    ]);
    expect(mapped.body.categories).toEqual(
      expect.arrayContaining([
        { code: 'campus', inCampaign: true },
        { code: 'village', inCampaign: false },
      ]),
    );

    const q = await call(s, 'city_office', 'GET', `/api/campaigns/${cityCampaign}/quotas`);
    expect(q.status).toBe(200);
    expect(q.body.canEdit).toBe(true);
    const row = (regionName: string | null, deptCode: string | null, cat: string) =>
      q.body.rows.find((r: any) => r.regionName === regionName && r.deptCode === deptCode && r.categoryCode === cat);
    expect(row('青山区', null, 'village')).toEqual(expect.objectContaining({ count: 30, source: 'table' })); // 商州区 平安村（社区） 30
    expect(row('临江县', null, 'campus')).toEqual(expect.objectContaining({ count: 7 })); // 洛南县 平安单位 7
    expect(row('丹凤县', null, 'town')).toEqual(expect.objectContaining({ count: 5 }));
    // department rows map to department codes: 市教育局 平安校园 15
    expect(row(null, 'education', 'campus')).toEqual(expect.objectContaining({ count: 15, deptName: '教育局' }));
    // a blank cell of the source is no row, not a zero
    expect(q.body.rows.filter((r: any) => r.deptCode === null)).toHaveLength(18);
    expect(q.body.regions.map((r: any) => r.name)).toEqual(['青山区', '临江县', '丹凤县']);

    const bad = await call(s, 'city_office', 'POST', `/api/campaigns/${cityCampaign}/quotas/load`, { code: 'no-such-table' });
    expect(bad.status).toBe(404);
  });

  it('a recommending office sees its own rows; others get 404 and only the campaign office writes', async () => {
    const lj = await call(s, 'lj_office', 'GET', `/api/campaigns/${cityCampaign}/quotas`);
    expect(lj.status).toBe(200);
    expect(lj.body.canEdit).toBe(false);
    expect(lj.body.rows.length).toBeGreaterThan(0);
    expect(lj.body.rows.every((r: any) => r.regionName === '临江县')).toBe(true);
    expect(lj.body.regions).toEqual([]);
    // a city lead department sees its table-2 row
    const edu = await call(s, 'city_edu', 'GET', `/api/campaigns/${cityCampaign}/quotas`);
    expect(edu.body.rows).toEqual([expect.objectContaining({ deptCode: 'education', categoryCode: 'campus', count: 15 })]);
    for (const u of ['qs_edu', 'school_nm', 'cn_office'])
      expect((await call(s, u, 'GET', `/api/campaigns/${cityCampaign}/quotas`)).status).toBe(404);
    const body = { rows: [{ regionId: linjiang, deptCode: null, categoryCode: 'campus', count: 99 }] };
    expect((await call(s, 'lj_office', 'PUT', `/api/campaigns/${cityCampaign}/quotas`, body)).status).toBe(404);
    expect((await call(s, 'city_edu', 'PUT', `/api/campaigns/${cityCampaign}/quotas`, body)).status).toBe(404);
    expect((await call(s, 'lj_office', 'GET', `/api/campaigns/999999/quotas`)).status).toBe(404);
  });

  it('PUT replaces the rows; bad rows are named in Chinese and nothing is written', async () => {
    const before = await db.select().from(campaignQuotas).where(eq(campaignQuotas.campaignId, cityCampaign));
    const chengnan = await regionId(db, '城南街道');
    const bad = await call(s, 'city_office', 'PUT', `/api/campaigns/${cityCampaign}/quotas`, {
      rows: [
        { regionId: linjiang, deptCode: null, categoryCode: 'campus', count: 2 },
        { regionId: chengnan, deptCode: null, categoryCode: 'campus', count: 1 },
        { regionId: linjiang, deptCode: 'education', categoryCode: 'campus', count: 1 },
        { regionId: linjiang, deptCode: null, categoryCode: 'campus', count: 3 },
        { regionId: null, deptCode: 'no_such_dept', categoryCode: 'campus', count: 3 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('第2行：地区不是本创建活动所属地区的下一级地区');
    expect(bad.body.message).toContain('第3行：须填写地区或部门之一');
    expect(bad.body.message).toContain('第4行：与前面的行重复');
    expect(bad.body.message).toContain('未知的部门代码「no_such_dept」');
    expect(await db.select().from(campaignQuotas).where(eq(campaignQuotas.campaignId, cityCampaign))).toHaveLength(before.length);
    const nul = await call(s, 'city_office', 'PUT', `/api/campaigns/${cityCampaign}/quotas`, {
      rows: [{ regionId: null, deptCode: 'edu\u0000', categoryCode: 'campus', count: 1 }],
    });
    expect(nul.status).toBe(400);

    const ok = await call(s, 'city_office', 'PUT', `/api/campaigns/${cityCampaign}/quotas`, {
      rows: [
        { regionId: linjiang, deptCode: null, categoryCode: 'campus', count: 7 },
        { regionId: qingshan, deptCode: null, categoryCode: 'campus', count: 2 },
        { regionId: null, deptCode: 'education', categoryCode: 'campus', count: 15 },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.rows.map((r: any) => [r.regionName ?? r.deptCode, r.count, r.source])).toEqual([
      ['临江县', 7, 'table'], // unchanged from the table: keeps its source
      ['青山区', 2, 'manual'],
      ['education', 15, 'table'],
    ]);
  });

  it('imports an .xlsx all or nothing, with row-by-row Chinese errors, and exports one', async () => {
    const badFile = await xlsx([
      ['地区/部门', '类别代码', '名额'],
      ['临江县', 'campus', 3],
      ['东湖街道', 'campus', 1],
      ['教育局', 'campus', -1],
      ['青山区', '', 2],
    ]);
    const bad = await s.app.inject({
      method: 'POST',
      url: `/api/campaigns/${cityCampaign}/quotas/import`,
      headers: { cookie: await s.login('city_office'), ...multipartFile('q.xlsx', badFile).headers },
      payload: multipartFile('q.xlsx', badFile).payload,
    });
    expect(bad.statusCode).toBe(400);
    const msg = bad.json().message as string;
    expect(msg).toContain('未写入任何数据');
    expect(msg).toContain('第3行：「东湖街道」既不是本活动的下级地区');
    expect(msg).toContain('第4行：名额「-1」');
    expect(msg).toContain('第5行：类别代码为空');
    const still = await call(s, 'city_office', 'GET', `/api/campaigns/${cityCampaign}/quotas`);
    expect(still.body.rows).toHaveLength(3);

    const noHeader = await xlsx([
      ['地区', '名额'],
      ['临江县', 3],
    ]);
    const nh = await s.app.inject({
      method: 'POST',
      url: `/api/campaigns/${cityCampaign}/quotas/import`,
      headers: { cookie: await s.login('city_office'), ...multipartFile('q.xlsx', noHeader).headers },
      payload: multipartFile('q.xlsx', noHeader).payload,
    });
    expect(nh.statusCode).toBe(400);
    expect(nh.json().message).toContain('缺少列');

    const good = await xlsx([
      ['地区/部门', '类别代码', '名额'],
      ['临江县', 'campus', 3],
      ['青山区', 'campus', 4],
      ['教育局', 'campus', 12],
      ['health', 'hospital', 15],
    ]);
    const mp = multipartFile('q.xlsx', good);
    const ok = await s.app.inject({
      method: 'POST',
      url: `/api/campaigns/${cityCampaign}/quotas/import`,
      headers: { cookie: await s.login('city_office'), ...mp.headers },
      payload: mp.payload,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ imported: 4 });
    const lj = await call(s, 'lj_office', 'GET', `/api/campaigns/${cityCampaign}/quotas`);
    expect(lj.body.rows).toEqual([expect.objectContaining({ categoryCode: 'campus', count: 3, source: 'import' })]);
    // others cannot import
    const other = await s.app.inject({
      method: 'POST',
      url: `/api/campaigns/${cityCampaign}/quotas/import`,
      headers: { cookie: await s.login('lj_office'), ...mp.headers },
      payload: mp.payload,
    });
    expect(other.statusCode).toBe(404);

    const exp = await s.app.inject({
      method: 'GET',
      url: `/api/campaigns/${cityCampaign}/quotas?format=xlsx`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual(expect.arrayContaining(['地区/部门', '类别代码', '名额']));
    expect(ws.rowCount).toBe(5);
    expect(ws.getRow(2).getCell(1).value).toBe('临江县');
    // the exported file imports back
    const back = multipartFile('back.xlsx', exp.rawPayload);
    const re = await s.app.inject({
      method: 'POST',
      url: `/api/campaigns/${cityCampaign}/quotas/import`,
      headers: { cookie: await s.login('city_office'), ...back.headers },
      payload: back.payload,
    });
    expect(re.json()).toEqual({ imported: 4 });
  });
});
