import ExcelJS from 'exceljs';
import { and, inArray, like, sql } from 'drizzle-orm';
import {
  ASSESSMENT_INDICATORS,
  evaluatePassShare,
  evaluateRegionIndicators,
  indicatorInfo,
  passShareFor,
  type AssessmentIndicatorId,
} from '@pingan/core';
import type { Db } from '../../db/client.js';
import { regionIndicators, regions } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { assessmentDocuments } from './documents.js';
import { INDICATOR_LEVELS, computeFigures, figuresOf, namesOf, regionById, regionsAt, writeComputed, type RegionRow } from './queries.js';

/**
 * 地区指标 (issue 8 §1): every region's figures for a year, computed from the data the system holds
 * (coverage, pass rate, 明查暗访, incidents), taken from surveys (written by the surveys module) or
 * entered by the office with where they come from; 五个90% per region and the pass share (003).
 */

export type Level = 'county' | 'town' | 'village';
type Office = NonNullable<CurrentUser['org']>;

export function requireOffice(user: CurrentUser): Office {
  if (user.role !== 'safety_office' || user.org?.kind !== 'safety_office') throw forbidden('只有平安办可以进行区域考评');
  return user.org;
}

/** The region asked for, or the office's own; outside the office's subtree it does not exist (404). */
export async function regionInScope(db: Db, user: CurrentUser, regionId?: number | null): Promise<RegionRow> {
  const org = requireOffice(user);
  const r = await regionById(db, regionId ?? org.regionId);
  if (!r || !r.path.startsWith(org.regionPath)) throw notFound('地区');
  return r;
}

const BELOW: Record<string, Level> = { province: 'county', city: 'county', county: 'town', town: 'village', village: 'village' };
export const defaultLevel = (rootLevel: string): Level => BELOW[rootLevel] ?? 'village';

type FigureRow = Awaited<ReturnType<typeof figuresOf>>[number];

export function presentFigure(r: FigureRow) {
  return {
    indicator: r.f.indicator,
    value: r.f.value,
    source: r.f.source,
    sourceRef: r.f.sourceRef,
    detail: r.f.detail ?? null,
    recordedAt: iso(r.f.recordedAt),
    recordedBy: r.by ?? null,
  };
}

/** region id → indicator id → figure */
function byRegion(rows: FigureRow[]) {
  const out = new Map<number, Record<string, ReturnType<typeof presentFigure>>>();
  for (const r of rows) {
    const m = out.get(r.f.regionId) ?? {};
    m[r.f.indicator] = presentFigure(r);
    out.set(r.f.regionId, m);
  }
  return out;
}

function evaluate(values: Record<string, { value: number }>) {
  const { targets } = assessmentDocuments();
  return evaluateRegionIndicators(targets, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.value])));
}

function catalogue() {
  const { targets } = assessmentDocuments();
  return ASSESSMENT_INDICATORS.map((i) => {
    const t = targets.indicators.find((x) => x.id === i.id);
    const ops: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=' };
    return {
      id: i.id,
      zh: t?.label ?? i.zh,
      en: i.en,
      unit: i.unit,
      origin: i.origin,
      better: i.better,
      target: t ? `${ops[t.comparator]} ${t.value}${t.unit}` : null,
    };
  });
}

/** 达标比例: the regions of the level meeting every one of 五个90%, against the year's step. */
async function passShare(db: Db, root: RegionRow, level: Level, year: number) {
  const { targets } = assessmentDocuments();
  const all = (await regionsAt(db, root.path, level)).list;
  const figs = byRegion(
    await figuresOf(
      db,
      all.map((r) => r.id),
      [year],
    ),
  );
  const passed = all.filter((r) => evaluate(figs.get(r.id) ?? {}).met === true).length;
  const total = all.length;
  const share = total ? Math.round((passed / total) * 1000) / 10 : null;
  const counted = (targets.passShare?.subjects ?? []).includes(level);
  if (!counted || share === null)
    return { level, passed, total, share, met: null, reason: counted ? '无参评地区' : '达标比例只对县（市）区、乡（镇）办事处计算' };
  const step = passShareFor(targets, year);
  const r = evaluatePassShare(targets, year, share);
  return { level, passed, total, share, met: r.met, reason: step ? `${passed}/${total}达标；${r.reason}` : r.reason };
}

export interface IndicatorQuery {
  year: number;
  regionId?: number;
  level?: Level;
  q?: string;
}

async function tableRows(db: Db, root: RegionRow, f: IndicatorQuery, page?: { limit: number; offset: number }) {
  const level = f.level ?? defaultLevel(root.level);
  const { list, total } = await regionsAt(db, root.path, level, f.q?.trim() || undefined, page);
  const figs = byRegion(
    await figuresOf(
      db,
      list.map((r) => r.id),
      [f.year],
    ),
  );
  const parents = await namesOf(
    db,
    list.map((r) => r.parentId).filter((x): x is number => x !== null),
  );
  const items = list.map((r) => {
    const values = figs.get(r.id) ?? {};
    return {
      regionId: r.id,
      name: r.name,
      level: r.level,
      parentName: r.parentId ? (parents.get(r.parentId) ?? null) : null,
      values,
      evaluation: evaluate(values),
    };
  });
  return { level, items, total };
}

export async function listIndicators(db: Db, user: CurrentUser, f: IndicatorQuery & { limit: number; offset: number }) {
  const root = await regionInScope(db, user, f.regionId);
  const { targets } = assessmentDocuments();
  const { level, items, total } = await tableRows(db, root, f, { limit: f.limit, offset: f.offset });
  return {
    year: f.year,
    rootRegionId: root.id,
    level,
    items,
    total,
    catalogue: catalogue(),
    indicatorGroup: targets.indicatorGroup,
    document: targets.title,
    passShare: await passShare(db, root, level, f.year),
  };
}

const SOURCE_ZH: Record<string, string> = { computed: '系统计算', survey: '问卷调查', import: '导入', manual: '人工录入' };

export async function indicatorsXlsx(db: Db, user: CurrentUser, f: IndicatorQuery): Promise<Buffer> {
  const root = await regionInScope(db, user, f.regionId);
  const { items } = await tableRows(db, root, f);
  const cat = catalogue();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${f.year}年地区指标`);
  ws.columns = [
    { header: '地区', key: 'name', width: 16 },
    { header: '上级', key: 'parent', width: 14 },
    ...cat.map((c) => ({ header: `${c.zh}（${c.unit}）`, key: c.id, width: 14 })),
    { header: '五个90%', key: 'met', width: 10 },
    { header: '说明', key: 'summary', width: 50 },
  ];
  for (const r of items)
    ws.addRow({
      name: r.name,
      parent: r.parentName ?? '',
      ...Object.fromEntries(cat.map((c) => [c.id, r.values[c.id]?.value ?? ''])),
      met: r.evaluation.met === true ? '达标' : r.evaluation.met === false ? '未达标' : '待填报',
      summary: r.evaluation.summary,
    });
  ws.getRow(1).font = { bold: true };
  const src = wb.addWorksheet('数据来源');
  src.columns = [
    { header: '地区', key: 'name', width: 16 },
    { header: '指标', key: 'indicator', width: 20 },
    { header: '数值', key: 'value', width: 10 },
    { header: '来源', key: 'source', width: 10 },
    { header: '出处', key: 'ref', width: 26 },
    { header: '分子', key: 'num', width: 10 },
    { header: '分母', key: 'den', width: 10 },
    { header: '口径', key: 'of', width: 40 },
    { header: '记录时间', key: 'at', width: 22 },
    { header: '记录人', key: 'by', width: 10 },
  ];
  for (const r of items)
    for (const v of Object.values(r.values)) {
      const d = (v.detail ?? {}) as Record<string, unknown>;
      src.addRow({
        name: r.name,
        indicator: indicatorInfo(v.indicator)?.zh ?? v.indicator,
        value: v.value,
        source: SOURCE_ZH[v.source] ?? v.source,
        ref: v.sourceRef ?? '',
        num: d.numerator ?? '',
        den: d.denominator ?? '',
        of: (d.of as string | undefined) ?? (d.note as string | undefined) ?? '',
        at: v.recordedAt,
        by: v.recordedBy ?? '',
      });
    }
  src.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Recomputes the four computed indicators of every region of the subtree for the year, in one
 * transaction: set-based SQL (one statement per indicator over the whole subtree), so a city of
 * hundreds of towns takes a few statements, not a job.
 */
export async function computeIndicators(db: Db, user: CurrentUser, input: { year: number; regionId?: number }) {
  const root = await regionInScope(db, user, input.regionId);
  const started = performance.now();
  const figures = await computeFigures(db, root.path, input.year);
  const written = await db.transaction((tx) => writeComputed(tx, input.year, figures, new Date()));
  const [counted] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(regions)
    .where(and(like(regions.path, `${root.path}%`), inArray(regions.level, [...INDICATOR_LEVELS])));
  const n = counted?.n ?? 0;
  return { year: input.year, regions: Number(n), written, kept: figures.length - written, ms: Math.round(performance.now() - started) };
}

/** An office enters a figure by hand, naming its source (省综治办通报 …); it replaces any other. */
export async function recordIndicator(
  db: Db,
  user: CurrentUser,
  input: { regionId: number; year: number; indicator: AssessmentIndicatorId; value: number; note: string },
) {
  const region = await regionInScope(db, user, input.regionId);
  const info = indicatorInfo(input.indicator)!;
  if (info.unit === '%' && input.value > 100) throw new AppError('VALIDATION', `${info.zh}是百分比，不能超过100`);
  if (info.kind === 'count' && !Number.isInteger(input.value)) throw new AppError('VALIDATION', `${info.zh}须为整数`);
  const note = input.note.trim();
  const at = new Date();
  const values = {
    regionId: region.id,
    year: input.year,
    indicator: input.indicator,
    value: input.value,
    source: 'manual' as const,
    sourceRef: note,
    detail: { note },
    recordedBy: user.id,
    recordedAt: at,
  };
  await db
    .insert(regionIndicators)
    .values(values)
    .onConflictDoUpdate({
      target: [regionIndicators.regionId, regionIndicators.year, regionIndicators.indicator],
      set: { value: values.value, source: 'manual', sourceRef: note, detail: values.detail, recordedBy: user.id, recordedAt: at },
    });
  return { ...values, detail: values.detail, recordedAt: iso(at), recordedBy: user.displayName };
}
