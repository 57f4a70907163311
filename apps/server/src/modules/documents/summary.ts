import { sql, type SQL } from 'drizzle-orm';
import { APPLICATION_STATUSES, STATUS_LABELS, indicatorInfo, type ApplicationStatus } from '@pingan/core';
import type { Db } from '../../db/client.js';
import type { CurrentUser } from '../../access/scope.js';
import { forbidden, notFound } from '../../errors.js';
import type { RankingRow } from '../../db/schema.js';
import { Flow, chineseDate, newA4 } from './layout.js';

/**
 * 年度汇总: a region's figures for a year as one PDF — applications by status, titles, coverage and
 * pass rate, the indicators recorded for it (with their source) and its row in a ranking — with
 * bar charts. An office, for a region of its own subtree.
 */

const rowsOf = async <T>(db: Db, q: SQL): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

const SOURCE: Record<string, string> = { computed: '系统计算', survey: '问卷调查', import: '导入', manual: '手工填报' };

export interface RegionSummary {
  region: { id: number; name: string; namePath: string; level: string; population: number | null; households: number | null };
  year: number;
  byStatus: { status: ApplicationStatus; n: number }[];
  submitted: number;
  conferred: number;
  titles: { valid: number; suspended: number; revoked: number };
  titlesByName: { name: string; n: number }[];
  units: number;
  unitsWithTitle: number;
  children: { name: string; applications: number; titles: number }[];
  indicators: { id: string; label: string; unit: string; value: number; source: string; sourceRef: string | null }[];
  ranking: { scope: string; level: string; status: string; rank: number; of: number; score: number; reasons: string[] } | null;
}

export async function loadRegionSummary(db: Db, user: CurrentUser, regionId: number, year: number): Promise<RegionSummary> {
  if (user.role !== 'safety_office' || !user.org) throw forbidden('只有平安办可以打印区域年度汇总');
  const [r] = await rowsOf<{ id: number; name: string; level: string; path: string; population: number | null; households: number | null }>(
    db,
    sql`select id, name, level, path, population, households from regions where id = ${regionId}`,
  );
  if (!r || !r.path.startsWith(user.org.regionPath)) throw notFound('区域');
  const like = `${r.path}%`;
  const ids = r.path.split('/').filter(Boolean).map(Number);
  const [names, byStatus, titles, titlesByName, units, children, indicators, rankings] = await Promise.all([
    rowsOf<{ id: number; name: string }>(
      db,
      sql`select id, name from regions where id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    ),
    rowsOf<{ status: ApplicationStatus; n: number }>(
      db,
      sql`select a.status, count(*)::int as n from applications a join campaigns c on c.id = a.campaign_id
          where a.region_path like ${like} and c.year = ${year} and a.status <> 'draft' group by a.status`,
    ),
    rowsOf<{ status: string; n: number }>(
      db,
      sql`select status, count(*)::int as n from titles where region_path like ${like} and year = ${year} group by status`,
    ),
    rowsOf<{ name: string; n: number }>(
      db,
      sql`select title_name as name, count(*)::int as n from titles where region_path like ${like} and year = ${year}
          group by title_name order by n desc, name limit 12`,
    ),
    rowsOf<{ units: number; with_title: number }>(
      db,
      sql`select count(*)::int as units,
            count(*) filter (where exists (select 1 from titles t where t.subject_id = s.id and t.status = 'valid'
              and (t.valid_until is null or t.valid_until >= ${`${year}-12-31`}::date) and t.year <= ${year}))::int as with_title
          from subjects s join regions g on g.id = s.region_id where g.path like ${like} and s.kind = 'unit'`,
    ),
    rowsOf<{ name: string; applications: number; titles: number }>(
      db,
      sql`select g.name,
            (select count(*)::int from applications a join campaigns c on c.id = a.campaign_id
              where a.region_path like g.path || '%' and c.year = ${year} and a.status <> 'draft') as applications,
            (select count(*)::int from titles t where t.region_path like g.path || '%' and t.year = ${year}) as titles
          from regions g where g.parent_id = ${r.id} order by g.id`,
    ),
    rowsOf<{ indicator: string; value: number; source: string; source_ref: string | null }>(
      db,
      sql`select indicator, value::float8 as value, source, source_ref from region_indicators
          where region_id = ${r.id} and year = ${year} order by indicator`,
    ),
    rowsOf<{ scope: string; level: string; status: string; rows: RankingRow[] }>(
      db,
      sql`select g.name as scope, k.level, k.status, k.rows from region_rankings k join regions g on g.id = k.scope_region_id
          where k.year = ${year} and k.rows @> ${JSON.stringify([{ regionId: r.id }])}::jsonb
          order by (k.status = 'published') desc, k.id desc limit 1`,
    ),
  ]);
  const count = (s: string) => byStatus.find((x) => x.status === s)?.n ?? 0;
  const submitted = byStatus.filter((x) => x.status !== 'withdrawn').reduce((t, x) => t + Number(x.n), 0);
  const k = rankings[0];
  const row = k?.rows.find((x) => x.regionId === r.id);
  const title = (s: string) => Number(titles.find((t) => t.status === s)?.n ?? 0);
  return {
    region: {
      id: r.id,
      name: r.name,
      namePath: ids.map((i) => names.find((n) => n.id === i)?.name ?? '').join('/'),
      level: r.level,
      population: r.population,
      households: r.households,
    },
    year,
    byStatus: APPLICATION_STATUSES.filter((s) => s !== 'draft').map((status) => ({ status, n: Number(count(status)) })),
    submitted,
    conferred: Number(count('conferred')),
    titles: { valid: title('valid'), suspended: title('suspended'), revoked: title('revoked') },
    titlesByName: titlesByName.map((t) => ({ name: t.name, n: Number(t.n) })),
    units: Number(units[0]?.units ?? 0),
    unitsWithTitle: Number(units[0]?.with_title ?? 0),
    children: children.map((c) => ({ name: c.name, applications: Number(c.applications), titles: Number(c.titles) })),
    indicators: indicators.map((i) => {
      const info = indicatorInfo(i.indicator);
      return {
        id: i.indicator,
        label: info?.zh ?? i.indicator,
        unit: info?.unit ?? '',
        value: Number(i.value),
        source: SOURCE[i.source] ?? i.source,
        sourceRef: i.source_ref,
      };
    }),
    ranking:
      k && row
        ? { scope: k.scope, level: k.level, status: k.status, rank: row.rank, of: k.rows.length, score: row.score, reasons: row.reasons }
        : null,
  };
}

const pct = (a: number, b: number) => (b > 0 ? `${Math.round((a / b) * 1000) / 10}%` : '—');

export async function regionSummaryPdf(s: RegionSummary, printedOn: string): Promise<Buffer> {
  const { doc, bytes } = newA4({ Title: `${s.region.name}${s.year}年度平安创建汇总`, Subject: s.region.namePath });
  const f = new Flow(doc);
  f.title(`${s.region.name}${s.year}年度平安创建工作汇总`, 18);
  f.line(`${s.region.namePath}\u3000\u3000打印日期：${chineseDate(printedOn)}`, { align: 'center', size: 9.5, color: '#555' });
  f.gap(6);
  f.grid(
    ['项目', '数值', '说明'],
    [
      ['常住人口', s.region.population == null ? '未填报' : String(s.region.population), '名册导入'],
      ['户数', s.region.households == null ? '未填报' : String(s.region.households), '名册导入'],
      ['申报（不含草稿、撤回）', String(s.submitted), `${s.year}年度创建活动`],
      ['已命名', String(s.conferred), `通过率 ${pct(s.conferred, s.submitted)}（已命名/申报）`],
      ['称号（有效/黄牌/撤销）', `${s.titles.valid}/${s.titles.suspended}/${s.titles.revoked}`, `${s.year}年度授予`],
      ['创建覆盖率', pct(s.unitsWithTitle, s.units), `持有效称号的单位 ${s.unitsWithTitle}/${s.units}`],
    ],
    [3, 2, 5],
  );
  f.gap(12);
  f.bars(
    '申报按状态',
    s.byStatus.filter((x) => x.n > 0).map((x) => ({ label: STATUS_LABELS[x.status].zh, value: x.n })),
  );
  f.gap(8);
  f.bars(
    '称号按名称',
    s.titlesByName.map((t) => ({ label: t.name, value: t.n })),
    { color: '#b71c1c' },
  );
  if (s.children.length) {
    f.gap(8);
    f.bars(
      '下级区域的称号数',
      s.children.map((c) => ({ label: c.name, value: c.titles, text: `${c.titles}（申报${c.applications}）` })),
      { color: '#2e7d32' },
    );
  }
  f.gap(12);
  f.title('指标', 13);
  f.grid(
    ['指标', '数值', '来源'],
    s.indicators.map((i) => [
      i.label,
      `${i.value}${i.unit === '%' ? '%' : i.unit ? ` ${i.unit}` : ''}`,
      `${i.source}${i.sourceRef ? `（${i.sourceRef}）` : ''}`,
    ]),
    [4, 2, 4],
  );
  const rates = s.indicators.filter((i) => i.unit === '%');
  if (rates.length) {
    f.gap(8);
    f.bars(
      '比率类指标（%）',
      rates.map((i) => ({ label: i.label, value: i.value, text: `${i.value}%` })),
      { max: 100, color: '#6a1b9a' },
    );
  }
  f.gap(12);
  f.title('年度排名', 13);
  if (s.ranking)
    f.grid(
      ['排名范围', '名次', '得分', '状态', '说明'],
      [
        [
          s.ranking.scope,
          `${s.ranking.rank}/${s.ranking.of}`,
          String(s.ranking.score),
          s.ranking.status === 'published' ? '已发布' : '草稿',
          s.ranking.reasons.join('；') || '—',
        ],
      ],
      [2, 1, 1, 1, 4],
    );
  else f.line('本年度尚无包含该区域的排名。', { size: 10, color: '#555' });
  doc.end();
  return bytes;
}
