import { and, asc, desc, eq, ilike, inArray, like, sql, type SQL } from 'drizzle-orm';
import {
  SATISFACTION_OPTIONS,
  SURVEY_TEMPLATES,
  allCriteria,
  allocateSample,
  indicatorFigures,
  indicatorLabel,
  measureQuestion,
  questionProblems,
  round2,
  sampleProblem,
  tallyQuestion,
  type SurveyQuestionDef,
  type SurveyTemplateKind,
} from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  applications,
  campaignCategories,
  campaigns,
  regions,
  standardVersions,
  subjects,
  surveyResponses,
  surveyTargets,
  surveys,
  type SurveyQuestion,
} from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import { publicCode } from '../../crypto/codes.js';
import type { CurrentUser } from '../../access/scope.js';
import {
  answerSheets,
  appliedAt,
  invitationCounts,
  loadSurvey,
  regionOptions,
  responseCounts,
  targetRows,
  type LoadedSurvey,
  type TargetRow,
} from './queries.js';

/**
 * 问卷调查, the staff side: a safety office creates surveys of its region (blank, from a template,
 * or a unit's own 民调), edits them while draft, sets the sampling plan, opens and closes them; a
 * lead department reads those of its region. Visible: the survey's region is in the account's
 * subtree (else 404); acting: only the office that made it (else 403).
 */

const READERS = new Set(['safety_office', 'lead_department']);

export function isVisible(user: CurrentUser, s: Pick<LoadedSurvey, 'regionPath'>): boolean {
  return READERS.has(user.role) && !!user.org && s.regionPath.startsWith(user.org.regionPath);
}

export const owns = (user: CurrentUser, s: LoadedSurvey) => user.role === 'safety_office' && user.org?.id === s.s.orgId;

export async function visibleSurvey(db: Db | Tx, user: CurrentUser, id: number): Promise<LoadedSurvey> {
  if (!READERS.has(user.role)) throw forbidden();
  const s = await loadSurvey(db, id);
  if (!s || !isVisible(user, s)) throw notFound('问卷');
  return s;
}

export async function ownedSurvey(db: Db | Tx, user: CurrentUser, id: number): Promise<LoadedSurvey> {
  if (user.role !== 'safety_office') throw forbidden();
  const s = await visibleSurvey(db, user, id);
  if (!owns(user, s)) throw new AppError('FORBIDDEN', '只有发起本问卷的平安办可以操作');
  return s;
}

function officeOf(user: CurrentUser) {
  if (user.role !== 'safety_office' || !user.org || user.org.kind !== 'safety_office') throw forbidden('只有平安办可以发起问卷调查');
  return user.org;
}

// ───────────────────────────── list ─────────────────────────────

export interface SurveyFilter {
  status?: 'draft' | 'open' | 'closed';
  year?: number;
  q?: string;
}

function listWhere(user: CurrentUser, f: SurveyFilter): SQL | undefined {
  if (!READERS.has(user.role)) throw forbidden();
  if (!user.org) return sql`false`;
  return and(
    like(regions.path, `${user.org.regionPath}%`),
    f.status ? eq(surveys.status, f.status) : undefined,
    f.year ? eq(surveys.year, f.year) : undefined,
    f.q ? ilike(surveys.title, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  );
}

export async function surveyRows(db: Db, user: CurrentUser, f: SurveyFilter, page?: { limit: number; offset: number }) {
  const where = listWhere(user, f);
  const responses = sql<number>`(select count(*)::int from survey_responses r where r.survey_id = ${surveys.id})`;
  const target = sql<number>`(select coalesce(sum(t.target), 0)::int from survey_targets t where t.survey_id = ${surveys.id})`;
  const q = db
    .select({
      s: surveys,
      regionName: regions.name,
      orgName: sql<string>`(select o.name from organisations o where o.id = ${surveys.orgId})`,
      subjectName: sql<string | null>`(select x.name from subjects x where x.id = ${surveys.subjectId})`,
      responses,
      target,
    })
    .from(surveys)
    .innerJoin(regions, eq(regions.id, surveys.regionId))
    .where(where)
    .orderBy(desc(surveys.year), desc(surveys.id));
  const rows = page ? await q.limit(page.limit).offset(page.offset) : await q;
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(surveys)
    .innerJoin(regions, eq(regions.id, surveys.regionId))
    .where(where)) as [{ n: number }];
  const applied = await appliedAt(
    db,
    rows.map((r) => r.s.publicCode),
  );
  const items = rows.map((r) => ({
    id: r.s.id,
    publicCode: r.s.publicCode,
    title: r.s.title,
    kind: r.s.kind,
    year: r.s.year,
    regionName: r.regionName,
    orgName: r.orgName,
    subjectName: r.subjectName,
    identity: r.s.identity,
    status: r.s.status,
    opensOn: r.s.opensOn,
    closesOn: r.s.closesOn,
    questions: r.s.questions.length,
    target: Number(r.target),
    responses: Number(r.responses),
    appliedAt: iso(applied.get(r.s.publicCode) ?? null),
    createdAt: iso(r.s.createdAt),
  }));
  return { items, total: Number(n) };
}

export const listSurveys = (db: Db, user: CurrentUser, f: SurveyFilter & { limit: number; offset: number }) =>
  surveyRows(db, user, f, { limit: f.limit, offset: f.offset });

// ───────────────────────────── templates and units ─────────────────────────────

export function listTemplates(user: CurrentUser) {
  if (!READERS.has(user.role)) throw forbidden();
  return {
    items: SURVEY_TEMPLATES.map((t) => ({
      kind: t.kind,
      title: t.title.zh,
      titleEn: t.title.en,
      intro: t.intro,
      questions: t.questions.map(normalise),
    })),
  };
}

/** A measure a survey can fill: a threshold in percent. */
const fillable = (m: { kind: string; unit?: string }) => m.kind === 'threshold' && m.unit === '%';

const UNIT_MATCHES = 50;
/** Units with an editable application a survey can fill, by name: the first 50 and whether more match. */
export async function unitOptions(db: Db, user: CurrentUser, q?: string) {
  const org = officeOf(user);
  const rows = await db
    .select({
      subjectId: subjects.id,
      subjectName: subjects.name,
      regionName: regions.name,
      applicationId: applications.id,
      campaignName: campaigns.name,
      year: campaigns.year,
      status: applications.status,
      categoryCode: applications.categoryCode,
      doc: standardVersions.doc,
    })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .innerJoin(standardVersions, eq(standardVersions.id, applications.standardVersionId))
    .where(
      and(
        like(regions.path, `${org.regionPath}%`),
        eq(subjects.kind, 'unit'),
        inArray(applications.status, ['draft', 'returned']),
        q ? ilike(subjects.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
      ),
    )
    .orderBy(desc(campaigns.year), asc(subjects.name))
    .limit(UNIT_MATCHES + 1);
  const items = rows
    .slice(0, UNIT_MATCHES)
    .map(({ doc, ...r }) => ({
      ...r,
      measures: allCriteria(doc).flatMap((c) =>
        c.measures.filter(fillable).map((m) => ({
          criterionId: c.id,
          measureId: m.id,
          label: m.label,
          threshold: m.kind === 'threshold' ? `${m.comparator} ${m.value}${m.unit ?? ''}` : '',
        })),
      ),
    }))
    .filter((r) => r.measures.length);
  return { items, more: rows.length > UNIT_MATCHES };
}

// ───────────────────────────── create, edit ─────────────────────────────

export interface CreateInput {
  template?: SurveyTemplateKind | null;
  title?: string;
  year: number;
  identity: 'phone' | 'invitation';
  intro?: string | null;
  opensOn?: string | null;
  closesOn?: string | null;
  subjectId?: number | null;
  measure?: { categoryCode: string; criterionId: string; measureId: string } | null;
}

function assertDates(opensOn?: string | null, closesOn?: string | null) {
  if (opensOn && closesOn && closesOn < opensOn) throw new AppError('DATE_INVALID', '结束日期不能早于开始日期');
}

/** The measure must be a percentage threshold of the category's standard in a campaign of that year. */
async function measureLabel(db: Db | Tx, year: number, m: NonNullable<CreateInput['measure']>): Promise<string> {
  const docs = await db
    .select({ doc: standardVersions.doc })
    .from(campaignCategories)
    .innerJoin(campaigns, eq(campaigns.id, campaignCategories.campaignId))
    .innerJoin(standardVersions, eq(standardVersions.id, campaignCategories.standardVersionId))
    .where(and(eq(campaigns.year, year), eq(campaignCategories.categoryCode, m.categoryCode)));
  if (!docs.length) throw new AppError('VALIDATION', `${year}年没有包含该类别的创建活动`);
  for (const { doc } of docs) {
    const found = allCriteria(doc)
      .find((c) => c.id === m.criterionId)
      ?.measures.find((x) => x.id === m.measureId);
    if (found && fillable(found)) return found.label;
  }
  throw new AppError('VALIDATION', `标准第${m.criterionId}项没有可由问卷填报的百分比指标「${m.measureId}」`);
}

const UNIT_QUESTION: SurveyQuestion = {
  id: 'q1',
  kind: 'satisfaction',
  text: '您对本单位平安创建工作是否满意？',
  textEn: 'Are you satisfied with the safety work of this unit?',
  required: true,
  indicator: 'satisfaction',
  options: [...SATISFACTION_OPTIONS],
};

export async function createSurvey(db: Db, user: CurrentUser, input: CreateInput) {
  const org = officeOf(user);
  assertDates(input.opensOn, input.closesOn);
  if (!!input.subjectId !== !!input.measure) throw new AppError('VALIDATION', '单位民调须同时选择单位和要填报的指标');
  let regionId = org.regionId;
  let regionName = org.regionName;
  if (input.subjectId) {
    const [sub] = await db
      .select({ id: subjects.id, name: subjects.name, regionId: subjects.regionId, regionName: regions.name, path: regions.path })
      .from(subjects)
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .where(eq(subjects.id, input.subjectId));
    if (!sub || !sub.path.startsWith(org.regionPath)) throw notFound('单位');
    await measureLabel(db, input.year, input.measure!);
    regionId = sub.regionId;
    regionName = sub.name;
  }
  const tpl = input.template ? SURVEY_TEMPLATES.find((t) => t.kind === input.template) : null;
  const questions: SurveyQuestion[] = tpl ? tpl.questions.map(normalise) : input.subjectId ? [UNIT_QUESTION] : [];
  const title =
    input.title ??
    (tpl ? `${regionName}${input.year}年${tpl.title.zh}` : `${regionName}${input.year}年${input.subjectId ? '平安创建民调' : '问卷调查'}`);
  const [row] = await db
    .insert(surveys)
    .values({
      publicCode: publicCode(),
      regionId,
      orgId: org.id,
      year: input.year,
      title,
      kind: tpl?.kind ?? (input.subjectId ? 'satisfaction' : 'custom'),
      intro: input.intro ?? tpl?.intro ?? null,
      questions,
      identity: input.identity,
      subjectId: input.subjectId ?? null,
      measure: input.measure ?? null,
      opensOn: input.opensOn ?? null,
      closesOn: input.closesOn ?? null,
      createdBy: user.id,
    })
    .returning({ id: surveys.id });
  // a unit's survey is answered for the unit's own region
  if (input.subjectId) await db.insert(surveyTargets).values({ surveyId: row!.id, regionId, target: 0, basis: 'manual' });
  return getSurvey(db, user, row!.id);
}

/** Satisfaction questions carry the fixed options; options and max only where the kind has them. */
function normalise(q: SurveyQuestionDef): SurveyQuestion {
  return {
    id: q.id,
    kind: q.kind,
    text: q.text.trim(),
    ...(q.textEn ? { textEn: q.textEn.trim() } : {}),
    ...(q.kind === 'satisfaction' ? { options: [...SATISFACTION_OPTIONS] } : {}),
    ...(q.kind === 'single' ? { options: (q.options ?? []).map((o) => o.trim()) } : {}),
    ...(q.kind === 'scale' ? { max: q.max } : {}),
    required: q.required,
    indicator: q.indicator ?? null,
  };
}

export interface UpdateInput {
  revision: number;
  title: string;
  intro?: string | null;
  identity: 'phone' | 'invitation';
  opensOn?: string | null;
  closesOn?: string | null;
  questions: SurveyQuestionDef[];
}

export async function updateSurvey(db: Db, user: CurrentUser, id: number, input: UpdateInput) {
  const s = await ownedSurvey(db, user, id);
  if (s.s.status !== 'draft') throw new AppError('WRONG_STATUS', '问卷已发布，不能再修改题目');
  assertDates(input.opensOn, input.closesOn);
  const questions = input.questions.map(normalise);
  const problems = questionProblems(questions);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), { problems });
  const done = await db
    .update(surveys)
    .set({
      title: input.title,
      intro: input.intro ?? null,
      identity: input.identity,
      opensOn: input.opensOn ?? null,
      closesOn: input.closesOn ?? null,
      questions,
      revision: sql`${surveys.revision} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(surveys.id, id), eq(surveys.revision, input.revision), eq(surveys.status, 'draft')))
    .returning({ id: surveys.id });
  if (!done.length) throw new AppError('CONFLICT');
  return getSurvey(db, user, id);
}

// ───────────────────────────── sampling plan ─────────────────────────────

export async function proposeTargets(
  db: Db,
  user: CurrentUser,
  id: number,
  q: { total: number; min: number; basis: 'population' | 'households'; level?: 'county' | 'town' | 'village' },
) {
  const s = await visibleSurvey(db, user, id);
  const options = await regionOptions(db, s);
  const depth = (p: string) => p.split('/').length;
  const top = Math.min(...options.map((o) => depth(o.path)));
  const units = options.filter((o) => (q.level ? o.level === q.level : depth(o.path) === top));
  const problem = sampleProblem(q.total, units.length, q.min);
  if (problem) throw new AppError('VALIDATION', problem);
  const weight = (o: (typeof units)[number]) => (q.basis === 'population' ? o.population : o.households);
  const sized = allocateSample(
    q.total,
    units.map((o) => ({ id: o.id, weight: weight(o) })),
    q.min,
  );
  return {
    total: q.total,
    basis: q.basis,
    min: q.min,
    items: units.map((o, i) => ({
      regionId: o.id,
      regionName: o.name,
      level: o.level,
      target: sized[i]!.target,
      basis: q.basis,
      population: o.population,
      households: o.households,
    })),
    missingBasis: units.filter((o) => !(weight(o) ?? 0)).map((o) => o.name),
  };
}

export async function saveTargets(
  db: Db,
  user: CurrentUser,
  id: number,
  input: { targets: { regionId: number; target: number; basis: 'population' | 'households' | 'manual' }[] },
) {
  const s = await ownedSurvey(db, user, id);
  if (s.s.status === 'closed') throw new AppError('WRONG_STATUS', '调查已结束，不能修改抽样方案');
  const allowed = new Map((await regionOptions(db, s)).map((r) => [r.id, r]));
  const seen = new Set<number>();
  for (const t of input.targets) {
    if (!allowed.has(t.regionId)) throw new AppError('VALIDATION', `地区${t.regionId}不在本问卷的范围内`);
    if (seen.has(t.regionId)) throw new AppError('VALIDATION', `地区「${allowed.get(t.regionId)!.name}」重复`);
    seen.add(t.regionId);
  }
  const counts = await responseCounts(db, id);
  const dropped = [...counts.keys()].filter((r) => !seen.has(r));
  if (dropped.length) throw new AppError('VALIDATION', '已有答卷的地区不能从抽样方案中删除');
  if (s.s.status === 'open' && !input.targets.length) throw new AppError('VALIDATION', '调查进行中，抽样方案至少须有一个地区');
  await db.transaction(async (tx) => {
    await tx.delete(surveyTargets).where(eq(surveyTargets.surveyId, id));
    if (input.targets.length)
      await tx
        .insert(surveyTargets)
        .values(input.targets.map((t) => ({ surveyId: id, regionId: t.regionId, target: t.target, basis: t.basis })));
    await tx.update(surveys).set({ updatedAt: new Date() }).where(eq(surveys.id, id));
  });
  return getSurvey(db, user, id);
}

// ───────────────────────────── open, close ─────────────────────────────

function openBlockers(s: LoadedSurvey, targets: TargetRow[]): string[] {
  const out: string[] = [];
  if (!s.s.questions.length) out.push('问卷至少须有1道题');
  out.push(...questionProblems(s.s.questions));
  if (!targets.length) out.push('请先制定抽样方案（各地区的样本目标）');
  else if (!targets.some((t) => t.target > 0)) out.push('抽样方案中至少一个地区的目标须大于0');
  return out;
}

export async function openSurvey(db: Db, user: CurrentUser, id: number) {
  const s = await ownedSurvey(db, user, id);
  if (s.s.status !== 'draft') throw new AppError('WRONG_STATUS', s.s.status === 'open' ? '问卷已发布' : '调查已结束，不能再次发布');
  const blockers = openBlockers(s, await targetRows(db, id));
  if (blockers.length) throw new AppError('VALIDATION', `不能发布：${blockers.join('；')}`, { blockers });
  await db
    .update(surveys)
    .set({ status: 'open', updatedAt: new Date() })
    .where(and(eq(surveys.id, id), eq(surveys.status, 'draft')));
  return getSurvey(db, user, id);
}

export async function closeSurvey(db: Db, user: CurrentUser, id: number) {
  const s = await ownedSurvey(db, user, id);
  if (s.s.status !== 'open') throw new AppError('WRONG_STATUS', s.s.status === 'draft' ? '问卷尚未发布' : '调查已结束');
  await db
    .update(surveys)
    .set({ status: 'closed', updatedAt: new Date() })
    .where(and(eq(surveys.id, id), eq(surveys.status, 'open')));
  return getSurvey(db, user, id);
}

// ───────────────────────────── detail ─────────────────────────────

export async function getSurvey(db: Db, user: CurrentUser, id: number) {
  const s = await visibleSurvey(db, user, id);
  const targets = await targetRows(db, id);
  const counts = await responseCounts(db, id);
  const responses = [...counts.values()].reduce((t, c) => t + c.web + c.telephone, 0);
  const owned = owns(user, s);
  const blockers = s.s.status === 'draft' ? openBlockers(s, targets) : [];
  const measure = s.s.measure ? { ...s.s.measure, label: await measureLabel(db, s.s.year, s.s.measure).catch(() => null) } : null;
  const applied = await appliedAt(db, [s.s.publicCode]);
  return {
    id: s.s.id,
    publicCode: s.s.publicCode,
    title: s.s.title,
    kind: s.s.kind,
    year: s.s.year,
    intro: s.s.intro,
    identity: s.s.identity,
    status: s.s.status,
    opensOn: s.s.opensOn,
    closesOn: s.s.closesOn,
    revision: s.s.revision,
    regionId: s.s.regionId,
    regionName: s.regionName,
    orgName: s.orgName,
    subject: s.s.subjectId ? { id: s.s.subjectId, name: s.subjectName ?? '' } : null,
    measure,
    questions: s.s.questions,
    targets: targets.map(({ path: _p, ...t }) => t),
    regionOptions: (await regionOptions(db, s)).map(({ path: _p, ...r }) => r),
    responses,
    invitations: await invitationCounts(db, id),
    appliedAt: iso(applied.get(s.s.publicCode) ?? null),
    owned,
    canEdit: owned && s.s.status === 'draft',
    canOpen: owned && s.s.status === 'draft' && !blockers.length,
    openBlockers: blockers,
    canClose: owned && s.s.status === 'open',
    canApply: owned && s.s.status !== 'draft' && responses > 0,
    canImport: owned && s.s.status !== 'draft',
    publicPath: `/public/surveys/${s.s.publicCode}`,
  };
}

// ───────────────────────────── progress, results ─────────────────────────────

export async function surveyProgress(db: Db, user: CurrentUser, id: number) {
  await visibleSurvey(db, user, id);
  const targets = await targetRows(db, id);
  const counts = await responseCounts(db, id);
  const pct = (n: number, t: number) => (t > 0 ? round2((n * 100) / t) : null);
  const items = targets.map((t) => {
    const c = counts.get(t.regionId) ?? { web: 0, telephone: 0 };
    const n = c.web + c.telephone;
    return {
      regionId: t.regionId,
      regionName: t.regionName,
      target: t.target,
      web: c.web,
      telephone: c.telephone,
      responses: n,
      percent: pct(n, t.target),
    };
  });
  const sum = (k: 'target' | 'web' | 'telephone' | 'responses') => items.reduce((a, i) => a + i[k], 0);
  return {
    items,
    total: {
      regionName: '合计',
      target: sum('target'),
      web: sum('web'),
      telephone: sum('telephone'),
      responses: sum('responses'),
      percent: pct(sum('responses'), sum('target')),
    },
  };
}

/** The indicator figures per target region and for the survey's own region (all answers). */
export function figuresByRegion(
  s: LoadedSurvey,
  targets: TargetRow[],
  sheets: { regionId: number; answers: Record<string, string | number | boolean> }[],
) {
  const groups: { regionId: number; regionName: string; sheets: typeof sheets }[] = targets
    .filter((t) => t.regionId !== s.s.regionId)
    .map((t) => ({ regionId: t.regionId, regionName: t.regionName, sheets: sheets.filter((x) => x.regionId === t.regionId) }));
  groups.push({ regionId: s.s.regionId, regionName: s.regionName, sheets });
  return groups.flatMap((g) =>
    indicatorFigures(
      s.s.questions,
      g.sheets.map((x) => x.answers),
    ).map((f) => ({ regionId: g.regionId, regionName: g.regionName, ...f, label: indicatorLabel(f.indicator) })),
  );
}

export async function surveyResults(db: Db, user: CurrentUser, id: number) {
  const s = await visibleSurvey(db, user, id);
  const targets = await targetRows(db, id);
  const sheets = await answerSheets(db, id);
  const tally = (q: SurveyQuestionDef, list: typeof sheets) => {
    const {
      questionId: _q,
      kind: _k,
      indicator: _i,
      ...t
    } = tallyQuestion(
      q,
      list.map((x) => x.answers),
    );
    return t;
  };
  const mq = s.s.subjectId ? measureQuestion(s.s.questions) : null;
  return {
    responses: sheets.length,
    questions: s.s.questions.map((q) => ({
      questionId: q.id,
      text: q.text,
      kind: q.kind,
      indicator: q.indicator ?? null,
      overall: tally(q, sheets),
      byRegion: targets.map((t) => ({
        regionId: t.regionId,
        regionName: t.regionName,
        tally: tally(
          q,
          sheets.filter((x) => x.regionId === t.regionId),
        ),
      })),
    })),
    indicators: figuresByRegion(s, targets, sheets).map(({ questionId: _q, ...f }) => f),
    measureValue: mq ? tally(mq, sheets).share : null,
  };
}

/** responses whose region is a target's: for imports and the public form */
export async function countResponses(db: Db | Tx, surveyId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(surveyResponses)
    .where(eq(surveyResponses.surveyId, surveyId));
  return Number(r?.n ?? 0);
}
