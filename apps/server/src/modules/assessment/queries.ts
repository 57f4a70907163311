import { and, asc, eq, ilike, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { regionIndicators, regions, users } from '../../db/schema.js';

/** The levels whose regions carry indicators (grids carry none). */
export const INDICATOR_LEVELS = ['city', 'county', 'town', 'village'] as const;

export interface ComputedFigure {
  regionId: number;
  indicator: 'coverage' | 'pass_rate' | 'inspection_score' | 'incidents';
  value: number;
  sourceRef: string;
  detail: Record<string, unknown>;
}

const round2 = (x: number) => Math.round((x + Number.EPSILON) * 100) / 100;
const pct = (n: number, d: number) => round2((n / d) * 100);

async function rows<T>(db: Db | Tx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** The regions of a subtree that carry indicators (the root included). */
function subtreeSql(prefix: string): SQL {
  return sql`r.path like ${`${prefix}%`} and r.level in ('city', 'county', 'town', 'village')`;
}

/**
 * 创建覆盖率: of the subjects registered under each region, how many took part in the year — have
 * an application past its draft in a campaign of that year.
 */
async function coverage(db: Db | Tx, prefix: string, year: number): Promise<ComputedFigure[]> {
  const out = await rows<{ id: number; num: number; den: number }>(
    db,
    sql`select r.id, count(distinct s.id)::int as den,
          count(distinct s.id) filter (where exists (
            select 1 from applications a join campaigns c on c.id = a.campaign_id
            where a.subject_id = s.id and a.status <> 'draft' and c.year = ${year}))::int as num
        from regions r join regions d on d.path like r.path || '%' join subjects s on s.region_id = d.id
        where ${subtreeSql(prefix)} group by r.id`,
  );
  return out
    .filter((r) => Number(r.den) > 0)
    .map((r) => ({
      regionId: Number(r.id),
      indicator: 'coverage',
      value: pct(Number(r.num), Number(r.den)),
      sourceRef: 'applications',
      detail: { numerator: Number(r.num), denominator: Number(r.den), of: '参加当年创建（申报已提交）的主体数 / 辖区登记主体数' },
    }));
}

/** 合格率: titles conferred over the applications decided (conferred or rejected) in the year's campaigns. */
async function passRate(db: Db | Tx, prefix: string, year: number): Promise<ComputedFigure[]> {
  const out = await rows<{ id: number; num: number; den: number }>(
    db,
    sql`select r.id, (count(*) filter (where a.status = 'conferred'))::int as num, count(*)::int as den
        from regions r join applications a on a.region_path like r.path || '%' and a.status in ('conferred', 'rejected')
        join campaigns c on c.id = a.campaign_id and c.year = ${year}
        where ${subtreeSql(prefix)} group by r.id`,
  );
  return out.map((r) => ({
    regionId: Number(r.id),
    indicator: 'pass_rate',
    value: pct(Number(r.num), Number(r.den)),
    sourceRef: 'applications',
    detail: {
      numerator: Number(r.num),
      denominator: Number(r.den),
      of: '当年命名（授予称号）数 / 当年已作出决定（命名或不予通过）的申报数',
    },
  }));
}

/** 明查暗访得分: the average of the year's scored inspections of units under the region (0–100). */
async function inspectionScore(db: Db | Tx, prefix: string, year: number): Promise<ComputedFigure[]> {
  const out = await rows<{ id: number; num: number; den: number; units: number }>(
    db,
    sql`select r.id, sum(i.score)::float8 as num, count(*)::int as den, count(distinct i.subject_id)::int as units
        from regions r join inspection_items i on i.region_path like r.path || '%' and i.score is not null
        join inspection_samples s on s.id = i.sample_id and s.year = ${year}
        where ${subtreeSql(prefix)} group by r.id`,
  );
  return out.map((r) => ({
    regionId: Number(r.id),
    indicator: 'inspection_score',
    value: round2(Number(r.num) / Number(r.den)),
    sourceRef: 'inspections',
    detail: { numerator: round2(Number(r.num)), denominator: Number(r.den), units: Number(r.units), of: '当年明查暗访得分之和 / 检查次数' },
  }));
}

/** 重大事件数: incidents confirmed by an office that occurred in the year under the region. */
async function incidentCount(db: Db | Tx, prefix: string, year: number): Promise<ComputedFigure[]> {
  const out = await rows<{ id: number; n: number }>(
    db,
    sql`select r.id, count(i.id)::int as n
        from regions r left join incidents i on i.region_path like r.path || '%' and i.status = 'confirmed'
          and i.occurred_on between ${`${year}-01-01`} and ${`${year}-12-31`}
        where ${subtreeSql(prefix)} group by r.id`,
  );
  return out.map((r) => ({
    regionId: Number(r.id),
    indicator: 'incidents',
    value: Number(r.n),
    sourceRef: 'incidents',
    detail: { numerator: Number(r.n), denominator: null, of: '当年发生并经平安办确认的事件数' },
  }));
}

/** Every computed figure of the year for the regions of a subtree. */
export async function computeFigures(db: Db | Tx, prefix: string, year: number): Promise<ComputedFigure[]> {
  // one after another: inside a transaction all queries share one connection
  const out: ComputedFigure[] = [];
  for (const f of [coverage, passRate, inspectionScore, incidentCount]) out.push(...(await f(db, prefix, year)));
  return out;
}

/**
 * Writes computed figures: a row absent or computed before is replaced; a figure entered by hand,
 * imported or taken from a survey is kept. Returns how many were written.
 */
export async function writeComputed(tx: Db | Tx, year: number, figures: ComputedFigure[], at: Date): Promise<number> {
  let written = 0;
  for (let i = 0; i < figures.length; i += 500) {
    const chunk = figures.slice(i, i + 500).map((f) => ({ ...f, year, source: 'computed' as const, recordedBy: null, recordedAt: at }));
    const done = await tx
      .insert(regionIndicators)
      .values(chunk)
      .onConflictDoUpdate({
        target: [regionIndicators.regionId, regionIndicators.year, regionIndicators.indicator],
        set: {
          value: sql`excluded.value`,
          sourceRef: sql`excluded.source_ref`,
          detail: sql`excluded.detail`,
          recordedBy: null,
          recordedAt: at,
        },
        setWhere: eq(regionIndicators.source, 'computed'),
      })
      .returning({ id: regionIndicators.id });
    written += done.length;
  }
  return written;
}

export type RegionLevel = (typeof regions.$inferSelect)['level'];
export type RegionRow = { id: number; name: string; level: RegionLevel; path: string; parentId: number | null };

/** A region by id, whatever the scope (callers check it). */
export async function regionById(db: Db | Tx, id: number): Promise<RegionRow | null> {
  const [r] = await db
    .select({ id: regions.id, name: regions.name, level: regions.level, path: regions.path, parentId: regions.parentId })
    .from(regions)
    .where(eq(regions.id, id));
  return r ?? null;
}

/** The regions of a level under a root, by path (a stable order), optionally filtered by name. */
export async function regionsAt(db: Db | Tx, prefix: string, level: string, q?: string, page?: { limit: number; offset: number }) {
  const where = and(
    like(regions.path, `${prefix}%`),
    eq(regions.level, level as RegionLevel),
    q ? ilike(regions.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  );
  const base = db
    .select({ id: regions.id, name: regions.name, level: regions.level, path: regions.path, parentId: regions.parentId })
    .from(regions)
    .where(where)
    .orderBy(asc(regions.path));
  const list = page ? await base.limit(page.limit).offset(page.offset) : await base;
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(regions)
    .where(where)) as [{ n: number }];
  return { list, total: Number(n) };
}

/** The figures of regions for years, with who recorded them. */
export async function figuresOf(db: Db | Tx, regionIds: readonly number[], years: readonly number[]) {
  if (!regionIds.length || !years.length) return [];
  return db
    .select({ f: regionIndicators, by: users.displayName })
    .from(regionIndicators)
    .leftJoin(users, eq(users.id, regionIndicators.recordedBy))
    .where(and(inArray(regionIndicators.regionId, [...regionIds]), inArray(regionIndicators.year, [...years])));
}

export async function namesOf(db: Db | Tx, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await db
    .select({ id: regions.id, name: regions.name })
    .from(regions)
    .where(inArray(regions.id, [...new Set(ids)]));
  return new Map(r.map((x) => [x.id, x.name]));
}
