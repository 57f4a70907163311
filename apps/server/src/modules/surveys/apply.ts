import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { allCriteria, figuresMet, measureQuestion, tallyQuestion, validateFigure, type FigureAnswer } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { answers, applications, campaigns, regionIndicators, subjects } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { loadStandardDoc, refreshRating } from '../applications/queries.js';
import { answerSheets, targetRows, type LoadedSurvey } from './queries.js';
import { figuresByRegion, ownedSurvey } from './service.js';

/**
 * 应用调查结果. Writes each indicator figure of the survey as the region's figure for the survey's
 * year (region_indicators, source 'survey', source_ref the public code, detail: responses,
 * answered, favourable), for every target region and for the survey's own region; and, for a unit's
 * survey, fills the named measure of the unit's editable application of that year with the share
 * and its source, then refreshes the stored rating as every other write of answers does.
 */
export async function applySurveyResults(db: Db, user: CurrentUser, id: number) {
  const s = await ownedSurvey(db, user, id);
  if (s.s.status === 'draft') throw new AppError('WRONG_STATUS', '问卷尚未发布，没有结果可应用');
  const targets = await targetRows(db, id);
  const sheets = await answerSheets(db, id);
  if (!sheets.length) throw new AppError('VALIDATION', '还没有答卷，没有结果可应用');
  const figures = figuresByRegion(s, targets, sheets);
  const now = new Date();
  return db.transaction(async (tx) => {
    for (const f of figures) {
      const detail = {
        responses: f.responses,
        answered: f.answered,
        favourable: f.favourable,
        questionId: f.questionId,
        survey: s.s.title,
        ...(f.indicator === 'two_rates_one_degree'
          ? {
              components: Object.fromEntries(
                figures.filter((x) => x.regionId === f.regionId && x.indicator !== f.indicator).map((x) => [x.indicator, x.value]),
              ),
            }
          : {}),
      };
      const row = { value: f.value, source: 'survey' as const, sourceRef: s.s.publicCode, detail, recordedBy: user.id, recordedAt: now };
      await tx
        .insert(regionIndicators)
        .values({ regionId: f.regionId, year: s.s.year, indicator: f.indicator, ...row })
        .onConflictDoUpdate({ target: [regionIndicators.regionId, regionIndicators.year, regionIndicators.indicator], set: row });
    }
    const filled: Filled =
      s.s.subjectId && s.s.measure
        ? await fillMeasure(
            tx,
            s,
            sheets.map((x) => x.answers),
            now,
          )
        : { measure: null, note: null };
    return {
      indicators: figures.map((f) => ({ regionId: f.regionId, regionName: f.regionName, indicator: f.indicator, value: f.value })),
      ...filled,
    };
  });
}

interface Filled {
  measure: {
    applicationId: number;
    subjectName: string;
    criterionId: string;
    measureId: string;
    value: number;
    criterionStatus: string;
    ratingTotal: number;
  } | null;
  note: string | null;
}

/** The unit's measure: answers.figures[measureId] = {value, source}, figures_met again, the rating refreshed. */
async function fillMeasure(tx: Tx, s: LoadedSurvey, sheets: Record<string, string | number | boolean>[], now: Date): Promise<Filled> {
  const m = s.s.measure!;
  const q = measureQuestion(s.s.questions);
  const share = q ? tallyQuestion(q, sheets).share : null;
  if (share === null) return { measure: null, note: '问卷中没有可计算满意率的题目或无人作答，未填入单位指标' };
  const [app] = await tx
    .select({ id: applications.id, standardVersionId: applications.standardVersionId, subjectName: subjects.name })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .where(
      and(
        eq(applications.subjectId, s.s.subjectId!),
        eq(applications.categoryCode, m.categoryCode),
        eq(campaigns.year, s.s.year),
        inArray(applications.status, ['draft', 'returned']),
      ),
    )
    .orderBy(desc(applications.id))
    .limit(1);
  if (!app) return { measure: null, note: `${s.subjectName ?? '该单位'}${s.s.year}年没有可修改（草稿或退回）的申报，未填入单位指标` };
  const doc = await loadStandardDoc(tx, app.standardVersionId);
  const criterion = allCriteria(doc).find((c) => c.id === m.criterionId);
  const measure = criterion?.measures.find((x) => x.id === m.measureId);
  if (!criterion || !measure) return { measure: null, note: `申报所用标准第${m.criterionId}项没有指标「${m.measureId}」，未填入` };
  const figure: FigureAnswer = {
    value: share,
    source: { kind: 'survey', ref: s.s.publicCode, label: `${s.s.title}（${sheets.length}份）`, at: now.toISOString() },
  };
  const problem = validateFigure(measure, figure);
  if (problem) throw new AppError('VALIDATION', `第${criterion.id}项${problem}`);
  const [prev] = await tx
    .select({ figures: answers.figures })
    .from(answers)
    .where(and(eq(answers.applicationId, app.id), eq(answers.criterionId, criterion.id)));
  const figures = { ...(prev?.figures ?? {}), [measure.id]: figure };
  const met = figuresMet(criterion, { criterionId: criterion.id, figures });
  await tx
    .insert(answers)
    .values({ applicationId: app.id, criterionId: criterion.id, figures, figuresMet: met })
    .onConflictDoUpdate({ target: [answers.applicationId, answers.criterionId], set: { figures, figuresMet: met } });
  // a draft open in the applicant's browser must reload before it saves over the figure
  await tx
    .update(applications)
    .set({ revision: sql`${applications.revision} + 1`, updatedAt: now })
    .where(eq(applications.id, app.id));
  const rating = await refreshRating(tx, app.id);
  return {
    measure: {
      applicationId: app.id,
      subjectName: app.subjectName,
      criterionId: criterion.id,
      measureId: measure.id,
      value: share,
      criterionStatus: rating.criteria.find((c) => c.criterionId === criterion.id)?.status ?? 'pending',
      ratingTotal: rating.total,
    },
    note: null,
  };
}
