import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { launchChromium, loginAtViewport, SHOTS } from './ui';

/**
 * 数据分析 in the browser: the city 平安办 opens /analytics and drills down by clicking — a bar of
 * the chart (云州市 → 青山区), a row of the table (→ 城南街道), the units view, a unit's row (→ its
 * years) — and back up by the breadcrumb; at each level the breadcrumb and the figures shown are
 * the server's. Screenshots at 1280 wide and one at 375: test-results/screenshots/dashboard-*.png.
 */
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

interface Figures {
  subjects: { total: number };
  applicationsTotal: number;
  titlesInForce: number;
  coverage: number | null;
  passRate: number | null;
}
interface Drill {
  region: { id: number; name: string };
  breadcrumb: { id: number; name: string }[];
  figures: Figures;
  children: { region: { id: number; name: string }; figures: Figures }[];
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400); // the charts' entry animation
  await page.screenshot({ path: path.join(SHOTS, `dashboard-${name}.png`), fullPage: true });
}

describe('dashboard drill-down (city office)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const api = async <T>(url: string): Promise<T> => {
    const res = await page.request.get(`${server.url}${url}`);
    expect(res.status(), url).toBe(200);
    return (await res.json()) as T;
  };
  const crumbs = async () => (await page.getByTestId('drill-breadcrumb').innerText()).split(/\s*\/\s*|\n/).filter(Boolean);
  /** The figure cards show the server's numbers for the region. */
  const expectFigures = async (f: Figures) => {
    const v = (k: string) => page.getByTestId(`fig-${k}`).getAttribute('data-value');
    expect(await v('subjects')).toBe(String(f.subjects.total));
    expect(await v('applications')).toBe(String(f.applicationsTotal));
    expect(await v('titles')).toBe(String(f.titlesInForce));
    expect(await v('coverage')).toBe(pct(f.coverage));
    expect(await v('passRate')).toBe(pct(f.passRate));
  };
  const atRegion = async (names: string[]) => {
    await expect.poll(crumbs, { timeout: 15_000 }).toEqual(names);
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
    page = await loginAtViewport(browser, server.url, 'city_office', WIDE);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('drills 云州市 → 青山区 → 城南街道 → a unit’s years by clicking, with the server’s figures at each level', async () => {
    await page.goto(`${server.url}/analytics`);
    await atRegion(['云州市']);
    const city = await api<Drill>('/api/analytics/drilldown');
    expect(city.children.map((c) => c.region.name)).toEqual(['青山区', '临江县']);
    await expectFigures(city.figures);
    // the city counts what its two counties count
    expect(city.figures.applicationsTotal).toBe(city.children.reduce((s, c) => s + c.figures.applicationsTotal, 0));
    expect(city.figures.applicationsTotal).toBeGreaterThan(0);
    await page.getByTestId('drill-chart').locator('canvas').first().waitFor();
    await shot(page, '1-city');

    // a click on 青山区's column of the chart (the first of two) drills down
    const chart = page.getByTestId('drill-chart');
    const box = (await chart.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await atRegion(['云州市', '青山区']);
    const qs = await api<Drill>(`/api/analytics/drilldown?regionId=${city.children[0]!.region.id}`);
    await expectFigures(qs.figures);
    expect(qs.children.map((c) => c.region.name)).toEqual(['城南街道', '东湖街道']);
    await shot(page, '2-qingshan');

    // a click on 城南街道's row of the table
    const cn = qs.children[0]!.region;
    await page.getByTestId(`drill-row-${cn.id}`).click();
    await atRegion(['云州市', '青山区', '城南街道']);
    const cnd = await api<Drill>(`/api/analytics/drilldown?regionId=${cn.id}`);
    await expectFigures(cnd.figures);
    expect(cnd.children.map((c) => c.region.name)).toEqual(['南门社区', '桂花社区']);

    // its units, on request
    await page.getByTestId('drill-view-units').click();
    const units = await api<{ items: { subjectId: number; name: string; latestStatus: string | null }[]; total: number }>(
      `/api/analytics/units?regionId=${cn.id}&limit=20`,
    );
    const hospital = units.items.find((u) => u.name === '云州市人民医院')!;
    expect(hospital.latestStatus).not.toBeNull();
    await page.getByTestId(`unit-row-${hospital.subjectId}`).waitFor();
    expect(await page.locator('.ant-table-row').count()).toBe(Math.min(20, units.total));
    await shot(page, '3-chengnan-units');

    // a unit's years
    await page.getByTestId(`unit-row-${hospital.subjectId}`).click();
    await atRegion(['云州市', '青山区', '城南街道', '南门社区', '云州市人民医院']);
    const history = await api<{ years: { year: number; applications: unknown[]; titles: unknown[] }[] }>(
      `/api/analytics/unit-history?subjectId=${hospital.subjectId}`,
    );
    const rows = history.years.reduce((s, y) => s + y.applications.length + y.titles.length, 0);
    expect(rows).toBeGreaterThanOrEqual(2);
    const table = page.getByTestId('unit-history').locator('.ant-table-row');
    await expect.poll(() => table.count()).toBe(rows);
    const text = await page.getByTestId('unit-history').innerText();
    expect(text).toContain('已命名');
    expect(text).toContain('黄牌警告'); // the demo's confirmed incident put its title on a yellow card
    expect(await page.getByTestId('history-excel').getAttribute('href')).toContain('format=xlsx');
    await shot(page, '4-unit-history');

    // back up by the breadcrumb
    await page.getByTestId(`crumb-${qs.region.id}`).click();
    await atRegion(['云州市', '青山区']);
    await expectFigures(qs.figures);
  });

  it('shows the other tabs and fits a phone’s width', async () => {
    for (const [tab, testId] of [
      ['类别×年度', 'matrix'],
      ['趋势', 'trends'],
      ['年度排名', 'ranking'],
      ['问卷', 'surveys'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByTestId(testId).waitFor();
    }
    await page.getByRole('tab', { name: '类别×年度' }).click();
    await page.getByTestId('matrix-chart').locator('canvas').first().waitFor();
    await shot(page, '5-matrix');

    const phone = await loginAtViewport(browser, server.url, 'city_office', PHONE);
    await phone.goto(`${server.url}/analytics`);
    await expect.poll(async () => (await phone.getByTestId('drill-breadcrumb').innerText()).trim(), { timeout: 15_000 }).toBe('云州市');
    await phone.getByTestId('drill-chart').locator('canvas').first().waitFor();
    await phone.waitForLoadState('networkidle');
    await phone.waitForTimeout(400);
    await phone.screenshot({ path: path.join(SHOTS, 'dashboard-6-phone.png'), fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.context().close();
  });
});
