import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * Lists at more than a page's worth: paging (by cursor and by offset) gives every row exactly once,
 * in the list's order, with no cap; the counts the dashboard shows are exact.
 */
describe.each(DB_KINDS)('lists paged past 500 rows on %s', (kind) => {
  let s: TestServer;
  let cityPath: string;
  let campaignId: number;
  const N = 1650; // a third evaluated (candidates), a third conferred (titles), the rest submitted or draft

  const rows = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => ((await s.database.db.execute(q)) as unknown as { rows: T[] }).rows;
  const one = async <T>(q: ReturnType<typeof sql>): Promise<T> => (await rows<T>(q))[0]!;

  beforeAll(async () => {
    s = await getTestServer(kind);
    const [city] = await rows<{ id: number; path: string }>(sql`select id, path from regions where level = 'city' order by id limit 1`);
    cityPath = city!.path;
    const [town] = await rows<{ id: number; path: string }>(
      sql`select id, path from regions where level = 'town' and path like ${`${cityPath}%`} order by id limit 1`,
    );
    const [cc] = await rows<{ campaign_id: number; category_code: string; standard_version_id: number }>(sql`
      select cc.campaign_id, cc.category_code, cc.standard_version_id from campaign_categories cc
      join campaigns c on c.id = cc.campaign_id where c.region_id = ${city!.id} and c.status = 'active'
      order by c.year desc, c.id, cc.category_code limit 1`);
    campaignId = cc!.campaign_id;
    // set-based, as a city's data would arrive: units, their applications, the titles of the conferred
    await s.database.db.execute(sql`
      insert into subjects (kind, name, region_id) select 'unit', '分页单位' || g, ${town!.id} from generate_series(1, ${N}) g`);
    // pairs share updated_at exactly (the id decides) and neighbours differ by a microsecond (a JS Date would lose it)
    await s.database.db.execute(sql`
      insert into applications (campaign_id, category_code, standard_version_id, subject_id, region_id, region_path, status, score, stars, updated_at)
      select ${cc!.campaign_id}, ${cc!.category_code}, ${cc!.standard_version_id}, s.id, ${town!.id}, ${town!.path},
             case when g % 3 = 0 then 'evaluated' when g % 3 = 1 then 'conferred' when g % 30 = 2 then 'draft' else 'submitted' end,
             g % 97, g % 6,
             timestamptz '2026-01-01 00:00:00+00' + ((g / 4) * interval '1 second') + (((g % 4) / 2) * interval '1 microsecond')
      from (select id, row_number() over (order by id) as g from subjects where name like '分页单位%') s`);
    await s.database.db.execute(sql`
      insert into titles (application_id, subject_id, region_path, category_code, title_name, year, stars, level, issuer, certificate_no, conferred_on)
      select a.id, a.subject_id, a.region_path, a.category_code, '平安单位', 2026, greatest(a.stars, 1), 'standard', '云州市平安办',
             'PAGING' || lpad(a.id::text, 10, '0'), '2026-01-10'
      from applications a join subjects s on s.id = a.subject_id where s.name like '分页单位%' and a.status = 'conferred'`);
  }, 120_000);
  afterAll(async () => s?.close());

  /** Every page of a list by cursor: the ids in the order given, and the first page's total. */
  async function walkByCursor(user: string, url: string, limit: number) {
    const ids: number[] = [];
    let cursor: string | null = null;
    let total: number | null = null;
    let pages = 0;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const r = await call(s, user, 'GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      if (pages === 0) total = r.body.total;
      else expect(r.body.total).toBeNull();
      ids.push(...(r.body.items as { id: number }[]).map((i) => i.id));
      cursor = r.body.nextCursor;
      if (cursor) expect(r.body.items).toHaveLength(limit);
      pages++;
    } while (cursor && pages < 1000);
    return { ids, total, pages };
  }

  it('the applications list by cursor: every visible application once, newest change first, ties by id', async () => {
    const expected = (
      await rows<{ id: number }>(
        sql`select id from applications where status <> 'draft' and region_path like ${`${cityPath}%`} order by updated_at desc, id desc`,
      )
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(1500);
    const walk = await walkByCursor('city_office', '/api/applications', 100);
    expect(walk.total).toBe(expected.length);
    expect(walk.ids).toEqual(expected);
    expect(new Set(walk.ids).size).toBe(walk.ids.length);
    expect(walk.pages).toBe(Math.ceil(expected.length / 100));
  });

  it('the applications list by offset (the web app’s numbered pages): the same rows, the same order, the total on each', async () => {
    const expected = (
      await rows<{ id: number }>(
        sql`select id from applications where status = 'submitted' and region_path like ${`${cityPath}%`} order by updated_at desc, id desc`,
      )
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(500);
    const ids: number[] = [];
    for (let offset = 0; offset < expected.length + 500; offset += 500) {
      const r = await call(s, 'city_office', 'GET', `/api/applications?status=submitted&limit=500&offset=${offset}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(expected.length);
      expect(r.body.nextCursor === null).toBe(offset + 500 >= expected.length);
      ids.push(...(r.body.items as { id: number }[]).map((i) => i.id));
    }
    expect(ids).toEqual(expected);
  });

  it('a search counts and pages what it finds', async () => {
    const expected = (
      await rows<{ id: number }>(sql`select a.id from applications a join subjects s on s.id = a.subject_id
        where a.status <> 'draft' and s.name like '分页单位1%' order by a.updated_at desc, a.id desc`)
    ).map((r) => r.id);
    const walk = await walkByCursor('city_office', `/api/applications?q=${encodeURIComponent('分页单位1')}`, 70);
    expect(walk.total).toBe(expected.length);
    expect(walk.ids).toEqual(expected);
    // LIKE's pattern characters are taken literally
    const pct = await call(s, 'city_office', 'GET', `/api/applications?q=${encodeURIComponent('%')}`);
    expect(pct.body.total).toBe(0);
  });

  it('a cursor stays within scope: a county office handed the city’s cursor sees only its own rows after it', async () => {
    const cityOrder = (
      await rows<{ id: number }>(
        sql`select id from applications where status <> 'draft' and region_path like ${`${cityPath}%`} order by updated_at desc, id desc`,
      )
    ).map((r) => r.id);
    const first = await call(s, 'city_office', 'GET', '/api/applications?limit=10');
    const lastSeen = cityOrder.indexOf((first.body.items as { id: number }[])[9]!.id);
    const county = await walkByCursor('qs_office', '/api/applications', 200);
    expect(county.ids.length).toBeLessThan(cityOrder.length);
    const other = await call(s, 'qs_office', 'GET', `/api/applications?limit=500&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(200);
    const expected = county.ids.filter((id) => cityOrder.indexOf(id) > lastSeen).slice(0, 500);
    expect((other.body.items as { id: number }[]).map((i) => i.id)).toEqual(expected);
  });

  it('a cursor typed by hand is a 400 with a Chinese message, never a 5xx', async () => {
    const bad = [
      'abc',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('["2026-01-01T00:00:00.000000Z",0]').toString('base64url'),
      Buffer.from('["not a time",5]').toString('base64url'),
      Buffer.from('["2026-13-45T00:00:00.000000Z",5]').toString('base64url'),
      'a'.repeat(500),
      '%27%3B--',
    ];
    for (const c of bad) {
      const r = await call(s, 'city_office', 'GET', `/api/applications?cursor=${c}`);
      expect(r.status, c).toBe(400);
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
      const t = await call(s, 'city_office', 'GET', `/api/titles?cursor=${c}`);
      expect(t.status, c).toBe(400);
    }
  });

  it('the Excel export holds every row of the list (read a page after another by cursor)', async () => {
    const { n } = await one<{ n: number }>(
      sql`select count(*)::int as n from applications where status <> 'draft' and region_path like ${`${cityPath}%`}`,
    );
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/applications?format=xlsx',
      headers: { cookie: await s.login('city_office') },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ids: number[] = [];
    wb.worksheets[0]!.eachRow((row, i) => {
      if (i > 1) ids.push(Number(row.getCell(1).value));
    });
    expect(ids.length).toBe(Number(n));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('titles past 500: by cursor and by offset, every title once, newest first', async () => {
    const expected = (await rows<{ id: number }>(sql`select id from titles where region_path like ${`${cityPath}%`} order by id desc`)).map(
      (r) => r.id,
    );
    expect(expected.length).toBeGreaterThan(500);
    const walk = await walkByCursor('city_office', '/api/titles', 150);
    expect(walk.total).toBe(expected.length);
    expect(walk.ids).toEqual(expected);
    const ids: number[] = [];
    for (let offset = 0; offset < expected.length; offset += 500) {
      const r = await call(s, 'city_office', 'GET', `/api/titles?limit=500&offset=${offset}`);
      expect(r.body.total).toBe(expected.length);
      ids.push(...(r.body.items as { id: number }[]).map((i) => i.id));
    }
    expect(ids).toEqual(expected);
    // a campaign's titles are counted through their applications
    const byCampaign = await call(s, 'city_office', 'GET', `/api/titles?campaignId=${campaignId}&q=PAGING&limit=5`);
    expect(byCampaign.body.total).toBe(Math.floor((N + 2) / 3));
  });

  it('notice candidates past 500: searchable, paged, the total told', async () => {
    const { n } = await one<{ n: number }>(
      sql`select count(*)::int as n from applications where campaign_id = ${campaignId} and status = 'evaluated'`,
    );
    expect(Number(n)).toBeGreaterThan(500);
    const ids: number[] = [];
    for (let offset = 0; offset < Number(n); offset += 200) {
      const r = await call(s, 'city_office', 'GET', `/api/notices/candidates?campaignId=${campaignId}&limit=200&offset=${offset}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(Number(n));
      ids.push(...(r.body.items as { id: number }[]).map((i) => i.id));
    }
    expect(ids.length).toBe(Number(n));
    expect(new Set(ids).size).toBe(ids.length);
    const found = await call(
      s,
      'city_office',
      'GET',
      `/api/notices/candidates?campaignId=${campaignId}&q=${encodeURIComponent('分页单位12')}&limit=500`,
    );
    const { m } = await one<{ m: number }>(sql`select count(*)::int as m from applications a join subjects s on s.id = a.subject_id
      where a.campaign_id = ${campaignId} and a.status = 'evaluated' and s.name like '%分页单位12%'`);
    expect(Number(m)).toBeGreaterThan(0);
    expect(found.body.total).toBe(Number(m));
    for (const i of found.body.items as { subjectName: string }[]) expect(i.subjectName).toContain('分页单位12');
  });

  it('the dashboard’s figures are exact: by status, by category and stars, for an office and a department', async () => {
    const d = (await call(s, 'city_office', 'GET', '/api/dashboard')).body;
    const byStatus = await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from applications
      where status <> 'draft' and region_path like ${`${cityPath}%`} group by status`);
    expect(d.applicationsByStatus).toEqual(Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])));
    const sum = (xs: { n: number }[]) => xs.reduce((a, x) => a + Number(x.n), 0);
    expect(sum(d.byCategory)).toBe(sum(byStatus));
    const stars = await rows<{ stars: number; n: number }>(sql`select stars, count(*)::int as n from titles
      where region_path like ${`${cityPath}%`} and revoked_at is null group by stars`);
    expect(d.titlesByStars).toEqual(Object.fromEntries(stars.map((r) => [String(r.stars), Number(r.n)])));
    const { units } = await one<{ units: number }>(sql`select count(*)::int as units from subjects s join regions r on r.id = s.region_id
      where s.kind = 'unit' and r.path like ${`${cityPath}%`}`);
    expect(d.subjects.unit).toBe(Number(units));
    // a department: its categories and the units it supervises, from the same single pass
    const edu = (await call(s, 'city_edu', 'GET', '/api/dashboard')).body;
    const list = (await call(s, 'city_edu', 'GET', '/api/applications?limit=1')).body;
    expect(Object.values(edu.applicationsByStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(list.total);
  });

  it('search boxes say when more match than they list, and list them all once the name is typed out', async () => {
    const q = encodeURIComponent('分页单位');
    const experts = (await call(s, 'city_office', 'GET', `/api/experts/subjects?q=${q}`)).body;
    expect(experts.items).toHaveLength(30);
    expect(experts.more).toBe(true);
    const targets = (await call(s, 'city_office', 'GET', `/api/incidents/targets?q=${q}`)).body;
    expect(targets.items).toHaveLength(50);
    expect(targets.more).toBe(true);
    // typed out: 分页单位165 matches 分页单位165 and 分页单位1650–1659 (the roster stops at 1650): 2 rows, no more
    const exact = encodeURIComponent('分页单位165');
    const few = (await call(s, 'city_office', 'GET', `/api/experts/subjects?q=${exact}`)).body;
    expect(few.items.map((x: { name: string }) => x.name).sort()).toEqual(['分页单位165', '分页单位1650']);
    expect(few.more).toBe(false);
    const fewTargets = (await call(s, 'city_office', 'GET', `/api/incidents/targets?q=${exact}`)).body;
    expect(fewTargets.items).toHaveLength(2);
    expect(fewTargets.more).toBe(false);
  });
});
