import { and, asc, eq, inArray, like, max, ne, sql } from 'drizzle-orm';
import type { SurveyAnswers } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  organisations,
  regionIndicators,
  regions,
  subjects,
  surveyInvitations,
  surveyResponses,
  surveyTargets,
  surveys,
} from '../../db/schema.js';

/** 问卷调查: the reads the use cases share. */

export type SurveyRecord = typeof surveys.$inferSelect;

export interface LoadedSurvey {
  s: SurveyRecord;
  regionName: string;
  regionPath: string;
  regionLevel: string;
  orgName: string;
  subjectName: string | null;
}

const loadedColumns = {
  s: surveys,
  regionName: regions.name,
  regionPath: regions.path,
  regionLevel: regions.level,
  orgName: organisations.name,
  subjectName: subjects.name,
};

function loadedQuery(db: Db | Tx) {
  return db
    .select(loadedColumns)
    .from(surveys)
    .innerJoin(regions, eq(regions.id, surveys.regionId))
    .innerJoin(organisations, eq(organisations.id, surveys.orgId))
    .leftJoin(subjects, eq(subjects.id, surveys.subjectId));
}

export async function loadSurvey(db: Db | Tx, id: number): Promise<LoadedSurvey | null> {
  const [row] = await loadedQuery(db).where(eq(surveys.id, id));
  return row ?? null;
}

export async function loadSurveyByCode(db: Db | Tx, code: string): Promise<LoadedSurvey | null> {
  const [row] = await loadedQuery(db).where(eq(surveys.publicCode, code));
  return row ?? null;
}

export interface TargetRow {
  regionId: number;
  regionName: string;
  level: string;
  path: string;
  target: number;
  basis: 'population' | 'households' | 'manual';
  population: number | null;
  households: number | null;
}

/** The sampling plan, in the region tree's order. */
export async function targetRows(db: Db | Tx, surveyId: number): Promise<TargetRow[]> {
  return db
    .select({
      regionId: surveyTargets.regionId,
      regionName: regions.name,
      level: regions.level,
      path: regions.path,
      target: surveyTargets.target,
      basis: surveyTargets.basis,
      population: regions.population,
      households: regions.households,
    })
    .from(surveyTargets)
    .innerJoin(regions, eq(regions.id, surveyTargets.regionId))
    .where(eq(surveyTargets.surveyId, surveyId))
    .orderBy(asc(regions.id));
}

/** Responses per region and channel. */
export async function responseCounts(db: Db | Tx, surveyId: number): Promise<Map<number, { web: number; telephone: number }>> {
  const rows = await db
    .select({ regionId: surveyResponses.regionId, channel: surveyResponses.channel, n: sql<number>`count(*)::int` })
    .from(surveyResponses)
    .where(eq(surveyResponses.surveyId, surveyId))
    .groupBy(surveyResponses.regionId, surveyResponses.channel);
  const out = new Map<number, { web: number; telephone: number }>();
  for (const r of rows) {
    const c = out.get(r.regionId) ?? { web: 0, telephone: 0 };
    c[r.channel] += Number(r.n);
    out.set(r.regionId, c);
  }
  return out;
}

/** Every answer sheet of a survey with its region. */
export async function answerSheets(db: Db | Tx, surveyId: number): Promise<{ regionId: number; answers: SurveyAnswers }[]> {
  return db
    .select({ regionId: surveyResponses.regionId, answers: surveyResponses.answers })
    .from(surveyResponses)
    .where(eq(surveyResponses.surveyId, surveyId));
}

/**
 * Where a survey's targets may be: the regions below its own (not grids); for a unit's survey also its
 * own. All of them: a province holds tens of thousands of villages, and a cut list would refuse a
 * valid target and size the sample from part of the regions.
 */
export async function regionOptions(db: Db | Tx, s: LoadedSurvey) {
  const parent = sql<string | null>`(select p.name from regions p where p.id = ${regions.parentId})`;
  const rows = await db
    .select({
      id: regions.id,
      name: regions.name,
      level: regions.level,
      parentName: parent,
      population: regions.population,
      households: regions.households,
      path: regions.path,
    })
    .from(regions)
    .where(and(like(regions.path, `${s.regionPath}%`), ne(regions.level, 'grid')))
    .orderBy(asc(regions.id));
  return rows.filter((r) => r.id !== s.s.regionId || s.s.subjectId !== null);
}

export async function invitationCounts(db: Db | Tx, surveyId: number): Promise<{ issued: number; used: number }> {
  const [r] = await db
    .select({ issued: sql<number>`count(*)::int`, used: sql<number>`count(${surveyInvitations.usedAt})::int` })
    .from(surveyInvitations)
    .where(eq(surveyInvitations.surveyId, surveyId));
  return { issued: Number(r?.issued ?? 0), used: Number(r?.used ?? 0) };
}

/** When the survey's results were last applied (the newest indicator row it wrote), by public code. */
export async function appliedAt(db: Db | Tx, codes: string[]): Promise<Map<string, Date>> {
  if (!codes.length) return new Map();
  const rows = await db
    .select({ code: regionIndicators.sourceRef, at: max(regionIndicators.recordedAt) })
    .from(regionIndicators)
    .where(and(eq(regionIndicators.source, 'survey'), inArray(regionIndicators.sourceRef, codes)))
    .groupBy(regionIndicators.sourceRef);
  return new Map(rows.filter((r) => r.code && r.at).map((r) => [r.code!, new Date(r.at!)]));
}
