import { and, eq, sql } from 'drizzle-orm';
import { allCriteria, figuresMet, indicatorInfo, isEditable, validateFigure, type FigureAnswer } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { answers, applications, campaigns, regionIndicators, subjects } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { loadAnswers, loadStandardDoc } from '../applications/queries.js';

/**
 * 从地区指标填入 (issue 8 §4): a region's application takes its figures from the region's indicators
 * of the campaign's year instead of the applicant typing them: every measure of the standard that
 * names an `indicator` gets the figure with its source (kind 'indicator', the indicator id, a
 * label naming where the figure came from and when). As saveDraft does, each criterion's
 * figuresMet is recomputed; the revision is bumped so an open tab's stale save is refused.
 */

const SOURCE_ZH: Record<string, string> = { computed: '系统计算', survey: '问卷', import: '导入', manual: '录入' };

const dayOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);

function labelFor(year: number, f: typeof regionIndicators.$inferSelect): string {
  const name = indicatorInfo(f.indicator)?.zh ?? f.indicator;
  const d = (f.detail ?? {}) as Record<string, unknown>;
  const what =
    f.source === 'computed' && d.numerator != null && d.denominator != null
      ? `系统计算 ${String(d.numerator)}/${String(d.denominator)}`
      : `${SOURCE_ZH[f.source] ?? f.source}${f.sourceRef ? ` ${f.sourceRef}` : ''}`;
  return `${year}年${name}（${what}，${dayOf(f.recordedAt)}）`;
}

async function loadForFill(db: Db, user: CurrentUser, id: number) {
  const [row] = await db
    .select({ a: applications, kind: subjects.kind, regionId: subjects.regionId, year: campaigns.year })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(eq(applications.id, id));
  const isApplicant = user.role === 'applicant';
  const isOffice = user.role === 'safety_office' && user.org?.kind === 'safety_office';
  if (!isApplicant && !isOffice) throw forbidden('只有申报单位或辖区平安办可以从地区指标填入');
  if (!row) throw notFound('申报');
  if (isApplicant && row.a.subjectId !== user.subjectId) throw notFound('申报');
  if (isOffice && !row.a.regionPath.startsWith(user.org!.regionPath)) throw notFound('申报');
  // a draft is the applicant's: staff see an application only once it has been submitted
  if (isOffice && row.a.status === 'draft') throw notFound('申报');
  return row;
}

export async function fillIndicatorFigures(db: Db, user: CurrentUser, applicationId: number) {
  const row = await loadForFill(db, user, applicationId);
  if (!isEditable(row.a.status)) throw new AppError('WRONG_STATUS', '申报已提交，不能再修改');
  if (row.kind !== 'region') throw new AppError('VALIDATION', '只有以地区为主体的申报可以从地区指标填入');
  const doc = await loadStandardDoc(db, row.a.standardVersionId);
  const figs = await db
    .select()
    .from(regionIndicators)
    .where(and(eq(regionIndicators.regionId, row.regionId), eq(regionIndicators.year, row.year)));
  const existing = new Map((await loadAnswers(db, applicationId)).map((a) => [a.criterionId, a]));
  const filled: { criterionId: string; measureId: string; indicator: string; value: number; label: string }[] = [];
  const missing: { criterionId: string; measureId: string; indicator: string }[] = [];
  const updates: { criterionId: string; statement: string | null; figures: Record<string, FigureAnswer> }[] = [];
  for (const c of allCriteria(doc)) {
    const wanted = c.measures.filter((m) => m.indicator);
    if (!wanted.length) continue;
    const prev = existing.get(c.id);
    const figures = Object.fromEntries(Object.entries(prev?.figures ?? {}).filter((e): e is [string, FigureAnswer] => !!e[1]));
    for (const m of wanted) {
      const f = figs.find((x) => x.indicator === m.indicator);
      const fig: FigureAnswer | null = f
        ? { value: f.value, source: { kind: 'indicator', ref: f.indicator, label: labelFor(row.year, f), at: f.recordedAt.toISOString() } }
        : null;
      if (!fig || validateFigure(m, fig)) {
        missing.push({ criterionId: c.id, measureId: m.id, indicator: m.indicator! });
        continue;
      }
      figures[m.id] = fig;
      filled.push({ criterionId: c.id, measureId: m.id, indicator: m.indicator!, value: fig.value, label: fig.source!.label });
    }
    updates.push({ criterionId: c.id, statement: prev?.statement ?? null, figures });
  }
  const byId = new Map(allCriteria(doc).map((c) => [c.id, c]));
  return db.transaction(async (tx) => {
    const [bumped] = await tx
      .update(applications)
      .set({ revision: sql`${applications.revision} + 1`, updatedAt: new Date() })
      .where(and(eq(applications.id, applicationId), eq(applications.status, row.a.status)))
      .returning({ revision: applications.revision });
    if (!bumped) throw new AppError('CONFLICT', '申报状态已被他人更新，请刷新后重试');
    for (const u of updates) {
      const met = figuresMet(byId.get(u.criterionId)!, { criterionId: u.criterionId, figures: u.figures });
      await tx
        .insert(answers)
        .values({ applicationId, criterionId: u.criterionId, statement: u.statement, figures: u.figures, figuresMet: met })
        .onConflictDoUpdate({ target: [answers.applicationId, answers.criterionId], set: { figures: u.figures, figuresMet: met } });
    }
    return { revision: bumped.revision, filled, missing };
  });
}
