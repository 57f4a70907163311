import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { drawSample, isRealDate } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { inspectionItems, inspectionSamples, regions } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { today } from '../applications/service.js';
import { itemsOf, samplesOfRegion, unitsUnder } from './queries.js';

/**
 * 明查暗访: each quarter the safety office draws a reproducible random sample of the units of its
 * region (the seed is recorded: the same seed over the same population gives the same units),
 * records the inspection results, and reads them per unit and per region for the yearly ranking.
 */

function requireOffice(user: CurrentUser) {
  if (user.role !== 'safety_office' || user.org?.kind !== 'safety_office') throw forbidden('只有平安办可以组织明查暗访');
  return user.org;
}

export interface SampleInput {
  year: number;
  quarter: number;
  mode: 'announced' | 'unannounced';
  size: number;
  seed?: string | null;
}

function presentSample(s: typeof inspectionSamples.$inferSelect) {
  return {
    id: s.id,
    year: s.year,
    quarter: s.quarter,
    mode: s.mode,
    seed: s.seed,
    size: s.size,
    population: s.population,
    createdAt: iso(s.createdAt),
  };
}

/** Draws a sample of the office's units; the seed defaults to a random one and is kept. */
export async function drawInspectionSample(db: Db, user: CurrentUser, input: SampleInput) {
  const org = requireOffice(user);
  const seed = input.seed?.trim() || `${input.year}Q${input.quarter}-${randomBytes(6).toString('hex')}`;
  const population = await unitsUnder(db, org.regionPath);
  if (!population.length) throw new AppError('VALIDATION', '本地区没有可抽查的单位');
  const picked = drawSample(population, input.size, seed);
  return db.transaction(async (tx) => {
    const [s] = await tx
      .insert(inspectionSamples)
      .values({
        regionId: org.regionId,
        orgId: org.id,
        year: input.year,
        quarter: input.quarter,
        mode: input.mode,
        seed,
        size: picked.length,
        population: population.length,
        createdBy: user.id,
      })
      .returning();
    if (picked.length)
      await tx.insert(inspectionItems).values(picked.map((u) => ({ sampleId: s!.id, subjectId: u.id, regionPath: u.regionPath })));
    return { ...presentSample(s!), items: await itemsOf(tx, [s!.id]) };
  });
}

export async function listSamples(db: Db, user: CurrentUser, year?: number) {
  const org = requireOffice(user);
  const rows = await samplesOfRegion(db, org.regionId, year);
  const items = await itemsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((s) => {
      const mine = items.filter((i) => i.sampleId === s.id);
      return { ...presentSample(s), done: mine.filter((i) => i.score !== null).length };
    }),
  };
}

async function loadSample(db: Db, user: CurrentUser, id: number) {
  const org = requireOffice(user);
  const [s] = await db.select().from(inspectionSamples).where(eq(inspectionSamples.id, id));
  if (!s || s.regionId !== org.regionId) throw notFound('抽查批次');
  return s;
}

export async function getSample(db: Db, user: CurrentUser, id: number) {
  const s = await loadSample(db, user, id);
  return { ...presentSample(s), items: await itemsOf(db, [s.id]) };
}

export async function recordItem(
  db: Db,
  user: CurrentUser,
  itemId: number,
  input: { score: number; findings?: string | null; inspectedOn: string },
) {
  if (!isRealDate(input.inspectedOn)) throw new AppError('VALIDATION', `检查日期「${input.inspectedOn}」不是有效日期`);
  if (input.inspectedOn > today()) throw new AppError('VALIDATION', `检查日期${input.inspectedOn}晚于今天`);
  const [item] = await db.select().from(inspectionItems).where(eq(inspectionItems.id, itemId));
  if (!item) throw notFound('抽查单位');
  const s = await loadSample(db, user, item.sampleId).catch(() => {
    throw notFound('抽查单位');
  });
  if (!input.inspectedOn.startsWith(String(s.year))) throw new AppError('VALIDATION', `检查日期须在${s.year}年内`);
  await db
    .update(inspectionItems)
    .set({ score: input.score, findings: input.findings?.trim() || null, inspectedOn: input.inspectedOn, inspectorId: user.id })
    .where(eq(inspectionItems.id, itemId));
  const [after] = (await itemsOf(db, [s.id])).filter((i) => i.id === itemId);
  return after!;
}

const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/**
 * A year's results: per unit (average of its scored inspections) and per region at the level
 * below the office (average over its units' inspections; units directly in the office's region
 * count under the office's region itself).
 */
export async function results(db: Db, user: CurrentUser, year: number) {
  const org = requireOffice(user);
  const samples = await samplesOfRegion(db, org.regionId, year);
  const items = (
    await itemsOf(
      db,
      samples.map((s) => s.id),
    )
  ).filter((i) => i.score !== null);
  const depth = org.regionPath.split('/').filter(Boolean).length;
  const childOf = (path: string) => Number(path.split('/').filter(Boolean)[depth] ?? org.regionId);
  const units = new Map<number, { subjectId: number; subjectName: string; regionName: string; regionId: number; scores: number[] }>();
  for (const i of items) {
    const u = units.get(i.subjectId) ?? {
      subjectId: i.subjectId,
      subjectName: i.subjectName,
      regionName: i.regionName,
      regionId: childOf(i.regionPath),
      scores: [],
    };
    u.scores.push(i.score!);
    units.set(i.subjectId, u);
  }
  const regionIds = [...new Set([...units.values()].map((u) => u.regionId))];
  const names = new Map(
    (regionIds.length
      ? await db.select({ id: regions.id, name: regions.name }).from(regions).where(inArray(regions.id, regionIds))
      : []
    ).map((r) => [r.id, r.name]),
  );
  const byRegion = new Map<number, { scores: number[]; units: Set<number> }>();
  for (const u of units.values()) {
    const r = byRegion.get(u.regionId) ?? { scores: [], units: new Set<number>() };
    r.scores.push(...u.scores);
    r.units.add(u.subjectId);
    byRegion.set(u.regionId, r);
  }
  const unitRows = [...units.values()]
    .map((u) => ({
      subjectId: u.subjectId,
      subjectName: u.subjectName,
      regionName: u.regionName,
      area: names.get(u.regionId) ?? '',
      inspections: u.scores.length,
      average: avg(u.scores)!,
    }))
    .sort((a, b) => b.average - a.average || a.subjectId - b.subjectId);
  const regionRows = [...byRegion.entries()]
    .map(([id, r]) => ({
      regionId: id,
      regionName: names.get(id) ?? '',
      units: r.units.size,
      inspections: r.scores.length,
      average: avg(r.scores)!,
    }))
    .sort((a, b) => b.average - a.average || a.regionId - b.regionId)
    .map((r, i) => ({ ...r, rank: i + 1 }));
  return { year, samples: samples.length, units: unitRows, regions: regionRows };
}

export async function resultsXlsx(db: Db, user: CurrentUser, year: number): Promise<Buffer> {
  const r = await results(db, user, year);
  const wb = new ExcelJS.Workbook();
  const regionSheet = wb.addWorksheet('地区汇总');
  regionSheet.columns = [
    { header: '排名', key: 'rank', width: 8 },
    { header: '地区', key: 'regionName', width: 20 },
    { header: '抽查单位数', key: 'units', width: 12 },
    { header: '检查次数', key: 'inspections', width: 12 },
    { header: '平均得分', key: 'average', width: 12 },
  ];
  for (const x of r.regions) regionSheet.addRow(x);
  const unitSheet = wb.addWorksheet('单位明细');
  unitSheet.columns = [
    { header: '单位', key: 'subjectName', width: 30 },
    { header: '所在地区', key: 'regionName', width: 16 },
    { header: '所属片区', key: 'area', width: 16 },
    { header: '检查次数', key: 'inspections', width: 12 },
    { header: '平均得分', key: 'average', width: 12 },
  ];
  for (const x of r.units) unitSheet.addRow(x);
  for (const ws of [regionSheet, unitSheet]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Whether a subject is in any of the given samples (used by tests and the ranking later). */
export async function sampledSubjects(db: Db, sampleId: number): Promise<number[]> {
  const rows = await db
    .select({ id: inspectionItems.subjectId })
    .from(inspectionItems)
    .where(and(eq(inspectionItems.sampleId, sampleId)));
  return rows.map((r) => r.id);
}
