import { and, asc, eq, ilike, inArray, like } from 'drizzle-orm';
import type { ChainStep } from '@pingan/core';
import { autoAssign, conflictReasons, isRealDate } from '@pingan/core';
import { inTurn, type Db, type Tx } from '../../db/client.js';
import { applications, campaigns, categories, expertAssignments, expertProfiles, regions, subjects, users } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { assertApplicationVisible, type CurrentUser } from '../../access/scope.js';
import { chainOf, isCampaignOffice, loadApplicationRow, loadOwnership } from '../../access/ownership.js';
import { iso } from '../../http/contract.js';
import { notify } from '../notifications/service.js';
import { today } from '../applications/service.js';
import { applicantRegionLevels, assignmentsOf, expertsUnder } from './queries.js';
import { firstMatches } from '../../http/typeahead.js';

/**
 * Expert pools and assignments (专家库与指派). The campaign's safety office keeps the pool of its
 * region (experts of the region subtree, each with domains and what they must avoid) and assigns
 * experts to applications by hand or automatically; conflicts of interest (回避) are refused with
 * their reasons.
 */

type Profile = typeof expertProfiles.$inferSelect;

/** An assignment as the contract's answers carry it. */
function presentAssignment(a: Awaited<ReturnType<typeof assignmentsOf>>[number]) {
  return { ...a, assignedAt: iso(a.assignedAt) };
}

/** The office an account speaks for; other accounts get FORBIDDEN. */
function requireOffice(user: CurrentUser) {
  if (user.role !== 'safety_office' || user.org?.kind !== 'safety_office') throw forbidden('只有平安办可以管理专家');
  return user.org;
}

function presentExpert(r: Awaited<ReturnType<typeof expertsUnder>>[number]) {
  return {
    userId: r.userId,
    username: r.username,
    displayName: r.displayName,
    orgName: r.orgName,
    disabled: r.disabled,
    hasProfile: r.profile !== null,
    poolRegionId: r.profile?.regionId ?? null,
    domains: r.profile?.domains ?? [],
    employerSubjectId: r.profile?.employerSubjectId ?? null,
    homeRegionId: r.profile?.homeRegionId ?? null,
    relatedSubjectIds: r.profile?.relatedSubjectIds ?? [],
    maxLoad: r.profile?.maxLoad ?? 10,
    load: r.load,
  };
}

/** The pool of the office's region: expert accounts of its subtree, with profiles and loads. */
export async function listPool(db: Db, user: CurrentUser) {
  const org = requireOffice(user);
  const rows = await expertsUnder(db, org.regionPath);
  const names = await namesFor(
    db,
    rows.flatMap((r) => [r.profile?.employerSubjectId ?? null, ...(r.profile?.relatedSubjectIds ?? [])]),
    rows.map((r) => r.profile?.homeRegionId ?? null),
  );
  const cats = await db.select({ code: categories.code, name: categories.name }).from(categories).orderBy(asc(categories.code));
  return {
    items: rows.map((r) => ({
      ...presentExpert(r),
      employerName: r.profile?.employerSubjectId ? (names.subjects.get(r.profile.employerSubjectId) ?? null) : null,
      homeRegionName: r.profile?.homeRegionId ? (names.regions.get(r.profile.homeRegionId) ?? null) : null,
      relatedNames: (r.profile?.relatedSubjectIds ?? []).map((id) => names.subjects.get(id) ?? `#${id}`),
    })),
    categories: cats,
  };
}

async function namesFor(db: Db | Tx, subjectIds: (number | null)[], regionIds: (number | null)[]) {
  const sIds = [...new Set(subjectIds.filter((x): x is number => x !== null))];
  const rIds = [...new Set(regionIds.filter((x): x is number => x !== null))];
  type Named = { id: number; name: string }[];
  const [s, r] = await inTurn<[Named, Named]>(
    async () => (sIds.length ? db.select({ id: subjects.id, name: subjects.name }).from(subjects).where(inArray(subjects.id, sIds)) : []),
    async () => (rIds.length ? db.select({ id: regions.id, name: regions.name }).from(regions).where(inArray(regions.id, rIds)) : []),
  );
  return { subjects: new Map(s.map((x) => [x.id, x.name])), regions: new Map(r.map((x) => [x.id, x.name])) };
}

export interface ProfileInput {
  domains: string[];
  employerSubjectId: number | null;
  homeRegionId: number | null;
  relatedSubjectIds: number[];
  maxLoad: number;
}

/** Puts an expert of the office's subtree into its pool, or updates the profile. */
export async function putProfile(db: Db, user: CurrentUser, expertId: number, input: ProfileInput) {
  const org = requireOffice(user);
  const [expert] = await expertsUnder(db, org.regionPath, [expertId]);
  if (!expert) throw notFound('专家');
  const codes = new Set((await db.select({ code: categories.code }).from(categories)).map((c) => c.code));
  const badDomain = input.domains.find((d) => !codes.has(d));
  if (badDomain) throw new AppError('VALIDATION', `未知的创建类别「${badDomain}」`);
  const subjectIds = [...new Set([...(input.employerSubjectId ? [input.employerSubjectId] : []), ...input.relatedSubjectIds])];
  if (subjectIds.length) {
    const found = await db.select({ id: subjects.id }).from(subjects).where(inArray(subjects.id, subjectIds));
    const missing = subjectIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new AppError('VALIDATION', `申报主体编号${missing.join('、')}不存在`);
  }
  if (input.homeRegionId) {
    const [r] = await db.select({ level: regions.level }).from(regions).where(eq(regions.id, input.homeRegionId));
    if (!r) throw new AppError('VALIDATION', `地区编号${input.homeRegionId}不存在`);
  }
  const values = {
    regionId: org.regionId,
    domains: [...new Set(input.domains)],
    employerSubjectId: input.employerSubjectId,
    homeRegionId: input.homeRegionId,
    relatedSubjectIds: [...new Set(input.relatedSubjectIds)],
    maxLoad: input.maxLoad,
  };
  await db
    .insert(expertProfiles)
    .values({ userId: expertId, ...values })
    .onConflictDoUpdate({ target: expertProfiles.userId, set: values });
  const [after] = await expertsUnder(db, org.regionPath, [expertId]);
  return presentExpert(after!);
}

/** The onsite steps of a campaign's chain. */
function onsiteSteps(chain: { steps: ChainStep[] }): ChainStep[] {
  return chain.steps.filter((s) => s.kind === 'onsite');
}

/** Why each expert must not check this application (回避), keyed by expert id; empty lists are left out. */
async function conflictsFor(
  db: Db | Tx,
  app: { subjectId: number; regionPath: string },
  experts: { userId: number; profile: Profile | null }[],
) {
  const levels = await applicantRegionLevels(db, app.regionPath);
  const out: Record<number, string[]> = {};
  for (const e of experts) {
    const reasons = conflictReasons(
      {
        userId: e.userId,
        employerSubjectId: e.profile?.employerSubjectId ?? null,
        homeRegionId: e.profile?.homeRegionId ?? null,
        relatedSubjectIds: e.profile?.relatedSubjectIds ?? [],
      },
      { subjectId: app.subjectId, regionIdsByLevel: levels },
    );
    if (reasons.length) out[e.userId] = reasons;
  }
  return out;
}

/** Loads an application for the campaign office; anyone else: 404 when out of scope, else 403. */
async function loadForOffice(db: Db | Tx, user: CurrentUser, applicationId: number) {
  const app = await loadApplicationRow(db, applicationId);
  assertApplicationVisible(user, app);
  const info = await loadOwnership(db, app);
  if (!isCampaignOffice(user, info)) throw forbidden('只有创建活动所属平安办可以指派专家');
  return { app, info };
}

async function notifyAssigned(tx: Db | Tx, applicationIds: number[], pairs: { applicationId: number; expertId: number }[]) {
  if (!pairs.length) return;
  const names = await tx
    .select({ id: applications.id, subjectName: subjects.name, categoryName: categories.name })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(inArray(applications.id, applicationIds));
  for (const p of pairs) {
    const n = names.find((x) => x.id === p.applicationId);
    await notify(tx, [p.expertId], {
      kind: 'assigned',
      title: `您被指派现场核查：${n?.subjectName ?? ''} ${n?.categoryName ?? ''}`.trim(),
      link: `/onsite/${p.applicationId}`,
    });
  }
}

/**
 * Assigns experts to an application by hand. Each expert must be in the office's pool, not already
 * assigned, within its load and free of conflicts; otherwise nothing is assigned and every refusal
 * is returned with its reasons (422 EXPERT_CONFLICT / 409 DUPLICATE).
 */
export async function assignExperts(
  db: Db,
  user: CurrentUser,
  applicationId: number,
  input: { expertIds: number[]; dueOn?: string | null },
) {
  const org = requireOffice(user);
  if (input.dueOn && !isRealDate(input.dueOn)) throw new AppError('VALIDATION', `完成期限「${input.dueOn}」不是有效日期`);
  if (input.dueOn && input.dueOn < today()) throw new AppError('VALIDATION', `完成期限${input.dueOn}早于今天`);
  return db.transaction(async (tx) => {
    const { app } = await loadForOffice(tx, user, applicationId);
    if (app.status !== 'submitted' && app.status !== 'preliminary_passed')
      throw new AppError('WRONG_STATUS', '申报不在评审中，不能指派专家');
    const ids = [...new Set(input.expertIds)];
    const pool = await expertsUnder(tx, org.regionPath, ids);
    const missing = ids.filter((id) => !pool.some((p) => p.userId === id));
    if (missing.length) throw new AppError('VALIDATION', `专家编号${missing.join('、')}不在本级专家库中`);
    const existing = await tx
      .select()
      .from(expertAssignments)
      .where(and(eq(expertAssignments.applicationId, applicationId), inArray(expertAssignments.expertId, ids)));
    const dup = existing.filter((e) => e.status !== 'withdrawn');
    if (dup.length) {
      const names = dup.map((d) => pool.find((p) => p.userId === d.expertId)?.displayName ?? `#${d.expertId}`);
      throw new AppError('DUPLICATE', `${names.join('、')}已被指派到此申报`, { expertIds: dup.map((d) => d.expertId) });
    }
    const conflicts = await conflictsFor(tx, app, pool);
    const refusals = pool
      .map((p) => {
        const reasons = [...(conflicts[p.userId] ?? [])];
        const max = p.profile?.maxLoad ?? 10;
        if (p.load >= max) reasons.push(`已有${p.load}项未完成的核查，达到上限${max}项`);
        if (p.disabled) reasons.push('账号已停用');
        return { expertId: p.userId, expertName: p.displayName, reasons };
      })
      .filter((r) => r.reasons.length);
    if (refusals.length)
      throw new AppError('EXPERT_CONFLICT', refusals.map((r) => `${r.expertName}：${r.reasons.join('；')}`).join('。'), { refusals });
    for (const id of ids) {
      const old = existing.find((e) => e.expertId === id);
      if (old)
        await tx
          .update(expertAssignments)
          .set({ status: 'open', dueOn: input.dueOn ?? null, assignedBy: user.id, assignedAt: new Date(), closedAt: null })
          .where(eq(expertAssignments.id, old.id));
      else await tx.insert(expertAssignments).values({ applicationId, expertId: id, dueOn: input.dueOn ?? null, assignedBy: user.id });
    }
    await notifyAssigned(
      tx,
      [applicationId],
      ids.map((expertId) => ({ applicationId, expertId })),
    );
    return { assignments: (await assignmentsOf(tx, [applicationId])).filter((a) => a.status === 'open').map(presentAssignment) };
  });
}

/** Withdraws an open assignment (撤回指派). */
export async function withdrawAssignment(db: Db, user: CurrentUser, assignmentId: number) {
  requireOffice(user);
  return db.transaction(async (tx) => {
    const [a] = await tx.select().from(expertAssignments).where(eq(expertAssignments.id, assignmentId));
    if (!a) throw notFound('指派');
    await loadForOffice(tx, user, a.applicationId);
    if (a.status !== 'open') throw new AppError('WRONG_STATUS', '该指派已完成或已撤回');
    await tx.update(expertAssignments).set({ status: 'withdrawn', closedAt: new Date() }).where(eq(expertAssignments.id, a.id));
    return { ok: true as const };
  });
}

/** The campaign (owned by the office) with its onsite steps; 404 otherwise. */
async function loadOwnedCampaign(db: Db | Tx, user: CurrentUser, campaignId: number) {
  const org = requireOffice(user);
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!c || c.regionId !== org.regionId) throw notFound('创建活动');
  return { campaign: c, steps: onsiteSteps(chainOf(c)) };
}

/** Applications of a campaign at an onsite step, optionally of one category. */
async function appsAtOnsite(db: Db | Tx, campaignId: number, stepKeys: string[], categoryCode?: string) {
  if (!stepKeys.length) return [];
  return db
    .select({
      app: applications,
      subjectName: subjects.name,
      regionName: regions.name,
      categoryName: categories.name,
    })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, applications.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(
      and(
        eq(applications.campaignId, campaignId),
        inArray(applications.status, ['submitted', 'preliminary_passed']),
        inArray(applications.step, stepKeys),
        categoryCode ? eq(applications.categoryCode, categoryCode) : undefined,
      ),
    )
    .orderBy(asc(applications.id));
}

/** The assignment page of a campaign: applications at the onsite step, the pool, and who must avoid what. */
export async function campaignAssignments(db: Db, user: CurrentUser, campaignId: number) {
  const org = requireOffice(user);
  const { campaign, steps } = await loadOwnedCampaign(db, user, campaignId);
  const rows = await appsAtOnsite(
    db,
    campaignId,
    steps.map((s) => s.key),
  );
  const pool = await expertsUnder(db, org.regionPath);
  const assigned = await assignmentsOf(
    db,
    rows.map((r) => r.app.id),
  );
  const items = [];
  for (const r of rows) {
    items.push({
      id: r.app.id,
      subjectName: r.subjectName,
      regionName: r.regionName,
      categoryCode: r.app.categoryCode,
      categoryName: r.categoryName,
      status: r.app.status,
      step: r.app.step,
      assignments: assigned.filter((a) => a.applicationId === r.app.id && a.status !== 'withdrawn').map(presentAssignment),
      conflicts: await conflictsFor(db, r.app, pool),
    });
  }
  return {
    campaign: { id: campaign.id, name: campaign.name, year: campaign.year },
    onsiteSteps: steps.map((s) => ({ key: s.key, name: s.name })),
    experts: pool.map(presentExpert),
    items,
  };
}

/**
 * Automatic assignment (自动分配) over a campaign's applications at the onsite step that lack
 * experts: the pool is the experts whose profile is in the campaign region's pool and whose
 * domains include the category (an empty list means every domain); balanced by load, never over
 * the cap, never a conflicted expert. Returns what was assigned and what could not be, with why.
 */
export async function autoAssignCampaign(
  db: Db,
  user: CurrentUser,
  campaignId: number,
  input: { categoryCode?: string; perApplication: number; cap: number },
) {
  const org = requireOffice(user);
  return db.transaction(async (tx) => {
    const { campaign, steps } = await loadOwnedCampaign(tx, user, campaignId);
    if (!steps.length) throw new AppError('VALIDATION', '本创建活动的评审流程没有现场核查步骤');
    const rows = await appsAtOnsite(
      tx,
      campaignId,
      steps.map((s) => s.key),
      input.categoryCode,
    );
    const pool = (await expertsUnder(tx, org.regionPath)).filter(
      (p) => p.profile && p.profile.regionId === campaign.regionId && !p.disabled,
    );
    const current = await assignmentsOf(
      tx,
      rows.map((r) => r.app.id),
    );
    const open = current.filter((a) => a.status === 'open');
    // an expert once assigned (done or open) is not assigned again
    const taken = current.filter((a) => a.status !== 'withdrawn');
    const byApp = new Map<number, { app: (typeof rows)[number]; conflicts: Record<number, string[]> }>();
    for (const r of rows) byApp.set(r.app.id, { app: r, conflicts: await conflictsFor(tx, r.app, pool) });
    const result = autoAssign(
      rows.map((r) => ({ id: r.app.id, assigned: taken.filter((a) => a.applicationId === r.app.id).map((a) => a.expertId) })),
      pool.map((p) => ({ id: p.userId, load: p.load, maxLoad: p.profile!.maxLoad })),
      { perApplication: input.perApplication, cap: input.cap },
      (expertId, applicationId) => {
        const x = byApp.get(applicationId)!;
        const p = pool.find((e) => e.userId === expertId)!;
        const domains = p.profile!.domains;
        return Boolean(x.conflicts[expertId]) || (domains.length > 0 && !domains.includes(x.app.app.categoryCode));
      },
    );
    // applications already fully staffed by open assignments are not "uncovered"
    const uncovered = result.uncovered.map((u) => {
      const x = byApp.get(u.applicationId)!;
      const openCount = open.filter((a) => a.applicationId === u.applicationId).length;
      return { applicationId: u.applicationId, subjectName: x.app.subjectName, missing: u.missing, openCount, reason: u.reason };
    });
    if (result.assignments.length)
      await tx
        .insert(expertAssignments)
        .values(result.assignments.map((a) => ({ applicationId: a.applicationId, expertId: a.expertId, assignedBy: user.id })));
    await notifyAssigned(
      tx,
      rows.map((r) => r.app.id),
      result.assignments,
    );
    const names = new Map(pool.map((p) => [p.userId, p.displayName]));
    return {
      assigned: result.assignments.map((a) => ({
        ...a,
        expertName: names.get(a.expertId) ?? '',
        subjectName: byApp.get(a.applicationId)!.app.subjectName,
      })),
      uncovered,
      loads: pool.map((p) => ({
        expertId: p.userId,
        expertName: p.displayName,
        load: result.loads[p.userId] ?? p.load,
        maxLoad: Math.min(input.cap, p.profile!.maxLoad),
      })),
    };
  });
}

/**
 * Demo expert profiles: the given experts join the pool of the region, with domains and a
 * declared relation, so the assignment page and 回避 have something to show.
 */
export async function seedExperts(
  db: Db | Tx,
  ids: {
    regionId: number;
    experts: {
      userId: number;
      domains?: string[];
      employerSubjectId?: number | null;
      homeRegionId?: number | null;
      relatedSubjectIds?: number[];
      maxLoad?: number;
    }[];
  },
): Promise<void> {
  for (const e of ids.experts) {
    const values = {
      regionId: ids.regionId,
      domains: e.domains ?? [],
      employerSubjectId: e.employerSubjectId ?? null,
      homeRegionId: e.homeRegionId ?? null,
      relatedSubjectIds: e.relatedSubjectIds ?? [],
      maxLoad: e.maxLoad ?? 10,
    };
    await db
      .insert(expertProfiles)
      .values({ userId: e.userId, ...values })
      .onConflictDoUpdate({ target: expertProfiles.userId, set: values });
  }
}

/** Users who speak for the applicant subject. */
export async function applicantUsersOf(db: Db | Tx, subjectId: number): Promise<number[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.subjectId, subjectId), eq(users.role, 'applicant'), eq(users.disabled, false)));
  return rows.map((r) => r.id);
}

const SUBJECT_MATCHES = 30;
/** Subjects of the office's subtree by name, for picking an expert's employer and relations. */
export async function searchSubjects(db: Db, user: CurrentUser, q: string) {
  const org = requireOffice(user);
  const rows = await db
    .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, regionName: regions.name, path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(
      and(like(regions.path, `${org.regionPath}%`), q ? ilike(subjects.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined),
    )
    .orderBy(asc(subjects.id))
    .limit(SUBJECT_MATCHES + 1);
  return firstMatches(
    rows.map(({ path: _p, ...r }) => r),
    SUBJECT_MATCHES,
  );
}
