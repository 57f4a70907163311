import { and, desc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import type { ApplicationStatus } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { categories, regionIndicators, regionRankings, regions, surveyResponses, surveyTargets, surveys } from '../../db/schema.js';
import type { CurrentUser } from '../../access/scope.js';
import { notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import { today } from '../../clock.js';
import {
  applicationsByCategoryYear,
  applicationsByRegion,
  applicationsOfSubjects,
  breadcrumbOf,
  campaignYears,
  childRegions,
  coveredByRegion,
  refsOf,
  regionInScope,
  requireAnalyst,
  subjectInScope,
  subjectsByRegion,
  titlesByCategoryYear,
  titlesInForceByRegion,
  titlesOfSubjects,
  unitsPage,
  type RegionRow,
} from './queries.js';

/** 数据分析: figures, drill-down, matrix, trends, ranking, surveys, a region across years. */

export interface Figures {
  subjects: { unit: number; household: number; individual: number; region: number; total: number };
  applications: Record<string, number>;
  applicationsTotal: number;
  titlesInForce: number;
  covered: number;
  coverage: number | null;
  conferred: number;
  decided: number;
  passRate: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);
const thisYear = () => Number(today().slice(0, 4));
/** The day a year's titles are counted on: its last day, or today for this year. */
const asOfFor = (year: number) => {
  const t = today();
  const end = `${year}-12-31`;
  return end < t ? end : t;
};

/** The figures of several regions for a year, each over its whole subtree. */
export async function figuresOf(db: Db, user: CurrentUser, ids: number[], year: number): Promise<Map<number, Figures>> {
  const out = new Map<number, Figures>();
  for (const id of ids)
    out.set(id, {
      subjects: { unit: 0, household: 0, individual: 0, region: 0, total: 0 },
      applications: {},
      applicationsTotal: 0,
      titlesInForce: 0,
      covered: 0,
      coverage: null,
      conferred: 0,
      decided: 0,
      passRate: null,
    });
  if (!ids.length) return out;
  const [subj, apps, covered, inForce] = await Promise.all([
    subjectsByRegion(db, user, ids),
    applicationsByRegion(db, user, ids, year),
    coveredByRegion(db, user, ids, year),
    titlesInForceByRegion(db, user, ids, year, asOfFor(year)),
  ]);
  for (const r of subj) {
    const f = out.get(r.rid)!;
    f.subjects[r.kind] += r.n;
    f.subjects.total += r.n;
  }
  for (const r of apps) {
    const f = out.get(r.rid)!;
    f.applications[r.status] = r.n;
    f.applicationsTotal += r.n;
    if (r.status === 'conferred') f.conferred += r.n;
    if (r.status === 'conferred' || r.status === 'rejected') f.decided += r.n;
  }
  for (const r of covered) out.get(r.rid)!.covered = r.n;
  for (const r of inForce) out.get(r.rid)!.titlesInForce = r.n;
  for (const f of out.values()) {
    f.coverage = ratio(f.covered, f.subjects.total);
    f.passRate = ratio(f.conferred, f.decided);
  }
  return out;
}

export async function drilldown(db: Db, user: CurrentUser, q: { regionId?: number | undefined; year?: number | undefined }) {
  const region = await regionInScope(db, user, q.regionId);
  const year = q.year ?? thisYear();
  const children = await childRegions(db, region.id);
  const figures = await figuresOf(db, user, [region.id, ...children.map((c) => c.id)], year);
  const [self] = await refsOf(db, [region]);
  const childRefs = await refsOf(db, children);
  return {
    year,
    years: await campaignYears(db, user, thisYear()),
    region: self!,
    breadcrumb: await breadcrumbOf(db, user, region.path),
    figures: figures.get(region.id)!,
    children: childRefs.map((c) => ({ region: c, figures: figures.get(c.id)! })),
  };
}

export interface UnitRow {
  subjectId: number;
  name: string;
  kind: 'unit' | 'household' | 'individual' | 'region';
  regionName: string;
  latestYear: number | null;
  latestCategory: string | null;
  latestStatus: ApplicationStatus | null;
  titleName: string | null;
  titleYear: number | null;
  titleStars: number | null;
  titleStatus: 'valid' | 'suspended' | 'revoked' | null;
}

/** The units of a region's subtree with their latest application and title; limit null = all (Excel). */
export async function units(
  db: Db,
  user: CurrentUser,
  q: { regionId?: number | undefined; q?: string | undefined; limit: number | null; offset: number },
): Promise<{ region: RegionRow; items: UnitRow[]; total: number }> {
  const region = await regionInScope(db, user, q.regionId);
  const { rows, total } = await unitsPage(db, user, region.path, q);
  const ids = rows.map((r) => r.id);
  const [apps, held, cats] = await Promise.all([
    applicationsOfSubjects(db, user, ids),
    titlesOfSubjects(db, user, ids),
    db.select().from(categories),
  ]);
  const catName = new Map(cats.map((c) => [c.code, c.name]));
  const latestApp = new Map<number, (typeof apps)[number]>();
  for (const a of apps) {
    const cur = latestApp.get(a.subjectId);
    if (!cur || a.year > cur.year || (a.year === cur.year && a.id > cur.id)) latestApp.set(a.subjectId, a);
  }
  const latestTitle = new Map<number, (typeof held)[number]>();
  for (const t of held) {
    const cur = latestTitle.get(t.subjectId);
    if (!cur || t.year > cur.year || (t.year === cur.year && t.id > cur.id)) latestTitle.set(t.subjectId, t);
  }
  const items = rows.map((r): UnitRow => {
    const a = latestApp.get(r.id);
    const t = latestTitle.get(r.id);
    return {
      subjectId: r.id,
      name: r.name,
      kind: r.kind,
      regionName: r.regionName,
      latestYear: a?.year ?? null,
      latestCategory: a ? (catName.get(a.categoryCode) ?? a.categoryCode) : null,
      latestStatus: a?.status ?? null,
      titleName: t?.titleName ?? null,
      titleYear: t?.year ?? null,
      titleStars: t?.stars ?? null,
      titleStatus: t?.status ?? null,
    };
  });
  return { region, items, total };
}

/** A unit across years: its applications (in scope) and titles per year, newest first. */
export async function unitHistory(db: Db, user: CurrentUser, subjectId: number) {
  const s = await subjectInScope(db, user, subjectId);
  const [apps, held, cats] = await Promise.all([
    applicationsOfSubjects(db, user, [s.id]),
    titlesOfSubjects(db, user, [s.id]),
    db.select().from(categories),
  ]);
  const catName = new Map(cats.map((c) => [c.code, c.name]));
  const years = [...new Set([...apps.map((a) => a.year), ...held.map((t) => t.year)])].sort((a, b) => b - a);
  return {
    subject: { id: s.id, name: s.name, kind: s.kind, regionName: s.regionName },
    breadcrumb: await breadcrumbOf(db, user, s.regionPath),
    years: years.map((year) => ({
      year,
      applications: apps
        .filter((a) => a.year === year)
        .sort((a, b) => a.id - b.id)
        .map((a) => ({
          id: a.id,
          campaignName: a.campaignName,
          categoryCode: a.categoryCode,
          categoryName: catName.get(a.categoryCode) ?? a.categoryCode,
          status: a.status,
          score: a.score,
          stars: a.stars,
        })),
      titles: held
        .filter((t) => t.year === year)
        .sort((a, b) => a.id - b.id)
        .map((t) => ({ id: t.id, titleName: t.titleName, stars: t.stars, status: t.status, validUntil: t.validUntil })),
    })),
  };
}

/** Applications and titles per category per year under a region. */
export async function categoryYears(db: Db, user: CurrentUser, regionId?: number) {
  const region = await regionInScope(db, user, regionId);
  const [apps, held, cats] = await Promise.all([
    applicationsByCategoryYear(db, user, region.path),
    titlesByCategoryYear(db, user, region.path),
    db.select().from(categories),
  ]);
  const key = (c: string, y: number) => `${c}|${y}`;
  const cells = new Map<string, { categoryCode: string; year: number; applications: number; titles: number }>();
  const cell = (c: string, y: number) => {
    const k = key(c, y);
    if (!cells.has(k)) cells.set(k, { categoryCode: c, year: y, applications: 0, titles: 0 });
    return cells.get(k)!;
  };
  for (const a of apps) cell(a.categoryCode, a.year).applications += a.n;
  for (const t of held) cell(t.categoryCode, t.year).titles += t.n;
  const used = new Set([...cells.values()].map((c) => c.categoryCode));
  const [ref] = await refsOf(db, [region]);
  return {
    region: ref!,
    years: [...new Set([...cells.values()].map((c) => c.year))].sort((a, b) => a - b),
    categories: cats.filter((c) => used.has(c.code)).map((c) => ({ code: c.code, name: c.name, nameEn: c.nameEn })),
    cells: [...cells.values()].sort((a, b) => a.categoryCode.localeCompare(b.categoryCode) || a.year - b.year),
  };
}

/** Applications, titles and pass rate per year under a region, oldest first. */
export async function trends(db: Db, user: CurrentUser, regionId?: number) {
  const region = await regionInScope(db, user, regionId);
  const [apps, held] = await Promise.all([applicationsByCategoryYear(db, user, region.path), titlesByCategoryYear(db, user, region.path)]);
  const byYear = new Map<number, { year: number; applications: number; titles: number; conferred: number; decided: number }>();
  const row = (y: number) => {
    if (!byYear.has(y)) byYear.set(y, { year: y, applications: 0, titles: 0, conferred: 0, decided: 0 });
    return byYear.get(y)!;
  };
  for (const a of apps) {
    const r = row(a.year);
    r.applications += a.n;
    if (a.status === 'conferred') r.conferred += a.n;
    if (a.status === 'conferred' || a.status === 'rejected') r.decided += a.n;
  }
  for (const t of held) row(t.year).titles += t.n;
  const [ref] = await refsOf(db, [region]);
  return {
    region: ref!,
    items: [...byYear.values()].sort((a, b) => a.year - b.year).map((r) => ({ ...r, passRate: ratio(r.conferred, r.decided) })),
  };
}

/**
 * The published ranking asked for (or the newest one the account may read). A ranking is read by
 * the offices and departments of its region and of the regions it ranks (it is announced to them).
 */
export async function ranking(
  db: Db,
  user: CurrentUser,
  q: { scopeRegionId?: number | undefined; level?: 'county' | 'town' | 'village' | undefined; year?: number | undefined },
) {
  const root = requireAnalyst(user);
  const rows = await db
    .select({ r: regionRankings, name: regions.name, path: regions.path })
    .from(regionRankings)
    .innerJoin(regions, eq(regions.id, regionRankings.scopeRegionId))
    .where(eq(regionRankings.status, 'published'))
    .orderBy(desc(regionRankings.year), regionRankings.id);
  const visible = rows.filter((x) => x.path.startsWith(root) || root.startsWith(x.path));
  const available = visible.map((x) => ({ scopeRegionId: x.r.scopeRegionId, scopeRegionName: x.name, level: x.r.level, year: x.r.year }));
  if (q.scopeRegionId !== undefined && !visible.some((x) => x.r.scopeRegionId === q.scopeRegionId)) throw notFound('排名');
  const hit = visible.find(
    (x) =>
      (q.scopeRegionId === undefined || x.r.scopeRegionId === q.scopeRegionId) &&
      (q.level === undefined || x.r.level === q.level) &&
      (q.year === undefined || x.r.year === q.year),
  );
  return {
    ranking: hit
      ? {
          id: hit.r.id,
          scopeRegionId: hit.r.scopeRegionId,
          scopeRegionName: hit.name,
          level: hit.r.level,
          year: hit.r.year,
          publishedAt: iso(hit.r.publishedAt),
          components: hit.r.components,
          rows: [...hit.r.rows]
            .sort((a, b) => a.rank - b.rank)
            .map((r) => ({
              regionId: r.regionId,
              region: r.region,
              score: r.score,
              rank: r.rank,
              components: r.components,
              yellowCard: !!r.yellowCard,
              veto: !!r.veto,
              ineligible: !!r.ineligible,
              reasons: r.reasons ?? [],
            })),
        }
      : null,
    available,
  };
}

/** Survey answers against the sampling plan, and favourable shares, per subregion (or the region itself at the bottom). */
export async function surveyProgress(db: Db, user: CurrentUser, q: { regionId?: number | undefined; year?: number | undefined }) {
  const region = await regionInScope(db, user, q.regionId);
  const year = q.year ?? thisYear();
  const children = await childRegions(db, region.id);
  const rows = children.length ? children : [region];
  const [targets, answers, indicators] = await Promise.all([
    db
      .select({ surveyId: surveyTargets.surveyId, target: surveyTargets.target, path: regions.path })
      .from(surveyTargets)
      .innerJoin(surveys, eq(surveys.id, surveyTargets.surveyId))
      .innerJoin(regions, eq(regions.id, surveyTargets.regionId))
      .where(and(eq(surveys.year, year), isNull(surveys.subjectId), like(regions.path, `${region.path}%`))),
    db
      .select({ path: regions.path, n: sql<number>`count(*)::int` })
      .from(surveyResponses)
      .innerJoin(surveys, eq(surveys.id, surveyResponses.surveyId))
      .innerJoin(regions, eq(regions.id, surveyResponses.regionId))
      .where(and(eq(surveys.year, year), isNull(surveys.subjectId), like(regions.path, `${region.path}%`)))
      .groupBy(regions.path),
    db
      .select()
      .from(regionIndicators)
      .where(
        and(
          inArray(
            regionIndicators.regionId,
            rows.map((r) => r.id),
          ),
          eq(regionIndicators.year, year),
          eq(regionIndicators.source, 'survey'),
        ),
      )
      .orderBy(regionIndicators.indicator),
  ]);
  const refs = await refsOf(db, rows);
  const items = rows.map((r, i) => {
    // a survey's target for the region itself counts; otherwise the targets set below it add up
    const bySurvey = new Map<number, { own: number | null; below: number }>();
    for (const t of targets) {
      if (!t.path.startsWith(r.path)) continue;
      const e = bySurvey.get(t.surveyId) ?? { own: null, below: 0 };
      if (t.path === r.path) e.own = t.target;
      else e.below += t.target;
      bySurvey.set(t.surveyId, e);
    }
    const target = [...bySurvey.values()].reduce((s, e) => s + (e.own ?? e.below), 0);
    const responses = answers.filter((a) => a.path.startsWith(r.path)).reduce((s, a) => s + a.n, 0);
    return {
      region: refs[i]!,
      target,
      responses,
      progress: ratio(responses, target),
      indicators: indicators
        .filter((x) => x.regionId === r.id)
        .map((x) => ({ indicator: x.indicator, value: x.value, source: x.source, sourceRef: x.sourceRef, recordedAt: iso(x.recordedAt) })),
    };
  });
  const [ref] = await refsOf(db, [region]);
  return { year, region: ref!, items };
}

/** A region's indicators per year, with where each figure came from. */
export async function regionYears(db: Db, user: CurrentUser, regionId?: number) {
  const region = await regionInScope(db, user, regionId);
  const rows = await db
    .select()
    .from(regionIndicators)
    .where(eq(regionIndicators.regionId, region.id))
    .orderBy(regionIndicators.indicator, regionIndicators.year);
  const byIndicator = new Map<string, typeof rows>();
  for (const r of rows) byIndicator.set(r.indicator, [...(byIndicator.get(r.indicator) ?? []), r]);
  const [ref] = await refsOf(db, [region]);
  return {
    region: ref!,
    years: [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b),
    indicators: [...byIndicator.entries()].map(([indicator, values]) => ({
      indicator,
      values: values.map((v) => ({
        indicator,
        year: v.year,
        value: v.value,
        source: v.source,
        sourceRef: v.sourceRef,
        recordedAt: iso(v.recordedAt),
      })),
    })),
  };
}
