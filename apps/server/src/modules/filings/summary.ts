import { and, asc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, campaigns, categories, regionIndicators, regions, subjects, titles } from '../../db/schema.js';
import type { Filer } from './queries.js';

/**
 * The yearly summary's figures for a filer, as the system holds them for its region and the
 * campaign's year: applications by status (drafts left out), titles conferred, coverage and pass
 * rate (the region's own indicator of the year when recorded, else computed), and every region
 * indicator of the year with its source. The filer may edit them before filing.
 */

export interface Figure {
  value: number | null;
  source: 'indicator' | 'computed' | 'manual';
  numerator: number | null;
  denominator: number | null;
  sourceRef: string | null;
}

export interface SummaryFigures {
  year: number;
  regionName: string;
  applications: { status: string; count: number }[];
  applicationsTotal: number;
  titlesConferred: number;
  coverage: Figure;
  passRate: Figure;
  indicators: { indicator: string; value: number; source: string; sourceRef: string | null; recordedAt: string | null }[];
}

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

/** The categories a department answers for: those it leads (主责), else those it cooperates on. */
async function departmentCategories(db: Db, deptCode: string): Promise<string[]> {
  const cats = await db.select().from(categories);
  const lead = cats.filter((c) => c.leadDepts.includes(deptCode)).map((c) => c.code);
  return lead.length ? lead : cats.filter((c) => c.cooperateDepts.includes(deptCode)).map((c) => c.code);
}

function inList(col: AnyColumn, codes: string[]): SQL {
  if (!codes.length) return sql`false`;
  return sql`${col} in (${sql.join(
    codes.map((c) => sql`${c}`),
    sql`, `,
  )})`;
}

export async function summaryPrefill(db: Db, filer: Filer, year: number): Promise<SummaryFigures> {
  const under = `${filer.regionPath}%`;
  const cats = filer.kind === 'department' ? await departmentCategories(db, filer.deptCode) : null;
  const appScope = and(
    sql`${applications.regionPath} like ${under}`,
    sql`${applications.status} <> 'draft'`,
    eq(campaigns.year, year),
    cats ? inList(applications.categoryCode, cats) : undefined,
  );
  const byStatus = await db
    .select({ status: applications.status, count: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(appScope)
    .groupBy(applications.status)
    .orderBy(applications.status);
  const titleScope = and(
    sql`${titles.regionPath} like ${under}`,
    eq(titles.year, year),
    cats ? inList(titles.categoryCode, cats) : undefined,
  );
  const [conferred] = await db
    .select({ n: sql<number>`count(*)::int`, subjects: sql<number>`count(distinct ${titles.subjectId})::int` })
    .from(titles)
    .where(titleScope);
  const [applied] = await db
    .select({ subjects: sql<number>`count(distinct ${applications.subjectId})::int` })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(appScope);

  const recorded =
    filer.kind === 'department'
      ? []
      : await db
          .select()
          .from(regionIndicators)
          .where(and(eq(regionIndicators.regionId, filer.regionId), eq(regionIndicators.year, year)))
          .orderBy(asc(regionIndicators.indicator));
  const fromIndicator = (id: string): Figure | null => {
    const r = recorded.find((x) => x.indicator === id);
    if (!r) return null;
    const d = (r.detail ?? {}) as { numerator?: unknown; denominator?: unknown };
    return {
      value: Number(r.value),
      source: 'indicator',
      numerator: typeof d.numerator === 'number' ? d.numerator : null,
      denominator: typeof d.denominator === 'number' ? d.denominator : null,
      sourceRef: `${r.source}${r.sourceRef ? `：${r.sourceRef}` : ''}`,
    };
  };
  const cov = await computedCoverage(db, filer, year, cats);
  return {
    year,
    regionName: filer.kind === 'department' ? filer.name : filer.regionName,
    applications: byStatus.map((r) => ({ status: r.status, count: Number(r.count) })),
    applicationsTotal: byStatus.reduce((a, r) => a + Number(r.count), 0),
    titlesConferred: Number(conferred?.n ?? 0),
    coverage: fromIndicator('coverage') ?? cov,
    passRate: fromIndicator('pass_rate') ?? {
      value: pct(Number(conferred?.subjects ?? 0), Number(applied?.subjects ?? 0)),
      source: 'computed',
      numerator: Number(conferred?.subjects ?? 0),
      denominator: Number(applied?.subjects ?? 0),
      sourceRef: '获得命名的对象 ÷ 申报对象',
    },
    indicators: recorded.map((r) => ({
      indicator: r.indicator,
      value: Number(r.value),
      source: r.source,
      sourceRef: r.sourceRef,
      recordedAt: r.recordedAt ? r.recordedAt.toISOString() : null,
    })),
  };
}

/**
 * Coverage computed: an office, the share of its subregions one level down with at least one
 * application of the year; a department, the share of the units it supervises that applied.
 */
async function computedCoverage(db: Db, filer: Filer, year: number, cats: string[] | null): Promise<Figure> {
  if (filer.kind === 'department') {
    const [r] = await db
      .select({
        all: sql<number>`count(*)::int`,
        applied: sql<number>`count(*) filter (where exists (select 1 from ${applications} a join ${campaigns} c on c.id = a.campaign_id
          where a.subject_id = ${subjects.id} and a.status <> 'draft' and c.year = ${year}
          and ${
            cats && cats.length
              ? sql`a.category_code in (${sql.join(
                  cats.map((x) => sql`${x}`),
                  sql`, `,
                )})`
              : sql`false`
          }))::int`,
      })
      .from(subjects)
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .where(and(eq(subjects.supervisingDept, filer.deptCode), sql`${regions.path} like ${`${filer.regionPath}%`}`));
    const n = Number(r?.applied ?? 0);
    const d = Number(r?.all ?? 0);
    return { value: pct(n, d), source: 'computed', numerator: n, denominator: d, sourceRef: '申报单位 ÷ 主管单位' };
  }
  const [r] = await db
    .select({
      all: sql<number>`count(*)::int`,
      applied: sql<number>`count(*) filter (where exists (select 1 from ${applications} a join ${campaigns} c on c.id = a.campaign_id
        where a.region_path like ${regions.path} || '%' and a.status <> 'draft' and c.year = ${year}))::int`,
    })
    .from(regions)
    .where(eq(regions.parentId, filer.regionId));
  const n = Number(r?.applied ?? 0);
  const d = Number(r?.all ?? 0);
  return { value: pct(n, d), source: 'computed', numerator: n, denominator: d, sourceRef: '有申报的下级地区 ÷ 下级地区' };
}
