import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/** 明查暗访: reproducible samples, results per unit and region, Excel export. */
describe.each(DB_KINDS)('inspections on %s', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer(kind);
  });
  afterAll(() => s?.close());
  const year = new Date().getFullYear();

  it('draws the same units again with the same seed, and records a random seed when none is given', async () => {
    const first = await call(s, 'city_office', 'POST', '/api/inspections/samples', {
      year,
      quarter: 1,
      mode: 'unannounced',
      size: 4,
      seed: '云州-2026Q1',
    });
    expect(first.status).toBe(201);
    expect(first.body.seed).toBe('云州-2026Q1');
    expect(first.body.items).toHaveLength(4);
    expect(first.body.population).toBeGreaterThanOrEqual(4);
    const again = await call(s, 'city_office', 'POST', '/api/inspections/samples', {
      year,
      quarter: 2,
      mode: 'announced',
      size: 4,
      seed: '云州-2026Q1',
    });
    expect(again.body.items.map((i: { subjectId: number }) => i.subjectId)).toEqual(
      first.body.items.map((i: { subjectId: number }) => i.subjectId),
    );
    const ids = first.body.items.map((i: { subjectId: number }) => i.subjectId) as number[];
    expect(new Set(ids).size).toBe(ids.length);

    const random = await call(s, 'city_office', 'POST', '/api/inspections/samples', { year, quarter: 3, mode: 'announced', size: 2 });
    expect(random.status).toBe(201);
    expect(random.body.seed).toMatch(new RegExp(`^${year}Q3-[0-9a-f]{12}$`));
    const detail = await call(s, 'city_office', 'GET', `/api/inspections/samples/${random.body.id}`);
    expect(detail.body.seed).toBe(random.body.seed);
    expect(detail.body.items).toHaveLength(2);

    // a sample larger than the population takes every unit once
    const all = await call(s, 'city_office', 'POST', '/api/inspections/samples', {
      year,
      quarter: 4,
      mode: 'announced',
      size: 1000,
      seed: 'x',
    });
    expect(all.body.items).toHaveLength(first.body.population);

    const list = await call(s, 'city_office', 'GET', `/api/inspections/samples?year=${year}`);
    expect(list.body.items).toHaveLength(4);
  });

  it('keeps samples to their office and to safety offices', async () => {
    const mine = await call(s, 'qs_office', 'POST', '/api/inspections/samples', {
      year,
      quarter: 1,
      mode: 'announced',
      size: 50,
      seed: 'qs',
    });
    expect(mine.status).toBe(201);
    // 青山区's population is within its own subtree: fewer units than the city's
    const city = await call(s, 'city_office', 'POST', '/api/inspections/samples', {
      year,
      quarter: 1,
      mode: 'announced',
      size: 1000,
      seed: 'c',
    });
    expect(mine.body.population).toBeLessThan(city.body.population);
    expect((await call(s, 'qs_office', 'GET', `/api/inspections/samples/${city.body.id}`)).status).toBe(404);
    expect((await call(s, 'city_edu', 'GET', `/api/inspections/samples`)).status).toBe(403);
    expect(
      (await call(s, 'expert_zhou', 'POST', '/api/inspections/samples', { year, quarter: 1, mode: 'announced', size: 1 })).status,
    ).toBe(403);
    expect(
      (await call(s, 'city_office', 'POST', '/api/inspections/samples', { year, quarter: 5, mode: 'announced', size: 1 })).status,
    ).toBe(400);
    expect(
      (await call(s, 'city_office', 'POST', '/api/inspections/samples', { year, quarter: 1, mode: 'announced', size: 1, seed: 'a\u0000b' }))
        .status,
    ).toBe(400);
    const item = city.body.items[0].id as number;
    expect((await call(s, 'qs_office', 'PUT', `/api/inspections/items/${item}`, { score: 80, inspectedOn: `${year}-01-05` })).status).toBe(
      404,
    );
  });

  it('records results and reads them per unit and per region, with an Excel export', async () => {
    const sample = await call(s, 'city_office', 'POST', '/api/inspections/samples', {
      year,
      quarter: 2,
      mode: 'unannounced',
      size: 3,
      seed: 'results',
    });
    const [a, b, c] = sample.body.items as { id: number; subjectId: number }[];
    const day = `${year}-01-10`;
    expect(
      (await call(s, 'city_office', 'PUT', `/api/inspections/items/${a!.id}`, { score: 90, findings: '台账齐全', inspectedOn: day }))
        .status,
    ).toBe(200);
    expect((await call(s, 'city_office', 'PUT', `/api/inspections/items/${b!.id}`, { score: 70, inspectedOn: day })).status).toBe(200);
    expect((await call(s, 'city_office', 'PUT', `/api/inspections/items/${c!.id}`, { score: 101, inspectedOn: day })).status).toBe(400);
    expect(
      (await call(s, 'city_office', 'PUT', `/api/inspections/items/${c!.id}`, { score: 50, inspectedOn: `${year}-02-30` })).status,
    ).toBe(400);
    const r = await call(s, 'city_office', 'GET', `/api/inspections/results?year=${year}`);
    expect(r.status).toBe(200);
    const units = r.body.units as { subjectId: number; average: number; area: string }[];
    expect(units.find((u) => u.subjectId === a!.subjectId)!.average).toBe(90);
    expect(units.find((u) => u.subjectId === b!.subjectId)!.average).toBe(70);
    expect(units.find((u) => u.subjectId === c!.subjectId)).toBeUndefined();
    const regions = r.body.regions as { regionName: string; inspections: number; average: number; rank: number }[];
    expect(regions.reduce((n, x) => n + x.inspections, 0)).toBe(2);
    expect(regions[0]!.rank).toBe(1);
    // regions are the city's counties/districts, never the units' own villages
    for (const u of units) expect(regions.map((x) => x.regionName)).toContain(u.area);

    const res = await s.app.inject({
      method: 'GET',
      url: `/api/inspections/results?year=${year}&format=xlsx`,
      headers: { cookie: await s.login('city_office') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.getWorksheet('单位明细')!.rowCount).toBe(1 + units.length);
    expect(wb.getWorksheet('地区汇总')!.getRow(2).getCell(5).value).toBe(regions[0]!.average);
  });
});
