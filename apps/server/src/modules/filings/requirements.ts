import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import {
  FILING_STATES,
  filingState,
  isFilingLate,
  parsePhasePlan,
  planRequirements,
  type FilerKind,
  type FilingKind,
  type FilingState,
  type PhasePlan,
} from '@pingan/core';
import type { Db } from '../../db/client.js';
import { campaigns, filingRequirements, filings, regions } from '../../db/schema.js';
import type { FileStorage } from '../../storage/storage.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { today } from '../../clock.js';
import { STANDARDS_DIR } from '../standards/files.js';
import { filerKindIn, managesCampaign, overseesCampaign, requireManager } from './access.js';
import {
  campaignCtx,
  filersOf,
  filingsOf,
  orgWithRegion,
  requirementRow,
  requirementsOf,
  type CampaignCtx,
  type Filer,
  type FilingRow,
  type RequirementRow,
} from './queries.js';

/** 报备要求: set by the campaign's office, by hand or from the encoded 004 plan; the matrix. */

export const PLAN_FILE = path.join(STANDARDS_DIR, 'shangluo-985', 'shangluo-2018-phases.yaml');
let planCache: PhasePlan | null = null;

/** The encoded phases of 004 (standards/shangluo-985/shangluo-2018-phases.yaml). */
export function loadPhasePlan(): PhasePlan {
  if (planCache) return planCache;
  const r = parsePhasePlan(YAML.parse(fs.readFileSync(PLAN_FILE, 'utf8')));
  if (!r.ok) throw new Error(`${PLAN_FILE}: ${r.errors.join('; ')}`);
  planCache = r.plan;
  return r.plan;
}

export interface Cell {
  filer: Filer;
  filing: FilingRow | null;
  state: FilingState;
  late: boolean;
}

/** Each requirement's filers and where each stands. */
export async function progressOf(db: Db, c: CampaignCtx, reqs: RequirementRow[], day = today()) {
  const byKind = new Map<FilerKind, Filer[]>();
  for (const k of new Set(reqs.map((r) => r.filers))) byKind.set(k, await filersOf(db, c, k));
  const rows = await filingsOf(
    db,
    reqs.map((r) => r.id),
  );
  const out = new Map<number, Cell[]>();
  for (const r of reqs)
    out.set(
      r.id,
      (byKind.get(r.filers) ?? []).map((filer) => {
        const filing = rows.find((f) => f.requirementId === r.id && f.orgId === filer.id) ?? null;
        const state = filingState(filing ? { status: filing.status, history: filing.content?.history ?? [] } : null);
        return { filer, filing, state, late: isFilingLate(state, r.dueOn, day) };
      }),
    );
  return { byKind, cells: out };
}

export function presentRequirement(r: RequirementRow, cells: Cell[]) {
  const counts = Object.fromEntries(FILING_STATES.map((s) => [s, 0])) as Record<FilingState, number>;
  for (const c of cells) counts[c.state]++;
  return {
    id: r.id,
    campaignId: r.campaignId,
    kind: r.kind,
    title: r.title,
    dueOn: r.dueOn,
    filers: r.filers,
    text: r.text,
    createdAt: iso(r.createdAt),
    filerCount: cells.length,
    counts: { ...counts, late: cells.filter((c) => c.late).length },
    locked: cells.some((c) => c.filing?.submittedAt != null),
  };
}

async function visibleCampaign(db: Db, user: CurrentUser, campaignId: number) {
  const c = await campaignCtx(db, campaignId);
  if (!c || !overseesCampaign(user, c)) throw notFound('创建活动');
  return c;
}

export async function listRequirements(db: Db, user: CurrentUser, campaignId: number) {
  const c = await visibleCampaign(db, user, campaignId);
  const reqs = await requirementsOf(db, c.id);
  const { cells } = await progressOf(db, c, reqs);
  return { items: reqs.map((r) => presentRequirement(r, cells.get(r.id)!)) };
}

async function presentOne(db: Db, c: CampaignCtx, id: number) {
  const r = (await requirementRow(db, id))!;
  const { cells } = await progressOf(db, c, [r]);
  return presentRequirement(r, cells.get(r.id)!);
}

function requireActive(c: CampaignCtx) {
  if (c.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤回，不能再设置报备要求');
}

function checkYear(c: CampaignCtx, dueOn: string) {
  if (Number(dueOn.slice(0, 4)) < c.year - 1 || Number(dueOn.slice(0, 4)) > c.year + 1)
    throw new AppError('DATE_INVALID', `截止日期须在活动年度（${c.year}年）前后一年内`);
}

export interface RequirementInput {
  campaignId: number;
  kind: FilingKind;
  filers: FilerKind;
  title: string;
  dueOn: string;
  text?: string | null;
}

export async function createRequirement(db: Db, user: CurrentUser, input: RequirementInput) {
  const c = await visibleCampaign(db, user, input.campaignId);
  requireManager(user, c);
  requireActive(c);
  checkYear(c, input.dueOn);
  const [row] = await db
    .insert(filingRequirements)
    .values({
      campaignId: c.id,
      kind: input.kind,
      filers: input.filers,
      title: input.title.trim(),
      dueOn: input.dueOn,
      text: input.text?.trim() || null,
    })
    .onConflictDoNothing()
    .returning({ id: filingRequirements.id });
  if (!row) throw new AppError('DUPLICATE', '该活动已有同类、同一报备对象的报备要求，请修改原要求');
  return presentOne(db, c, row.id);
}

/** The 004 set in the campaign's year; requirements already there (same kind and filers) are kept. */
export async function createFromPlan(db: Db, user: CurrentUser, campaignId: number) {
  const c = await visibleCampaign(db, user, campaignId);
  requireManager(user, c);
  requireActive(c);
  if (c.regionLevel !== 'city')
    throw new AppError('RULE_BROKEN', '按“平安商洛”方案生成的报备要求适用于市级创建活动（由各县（区）和市级部门报备）');
  const planned = planRequirements(loadPhasePlan(), c.year);
  const created = await db
    .insert(filingRequirements)
    .values(planned.map((p) => ({ campaignId: c.id, ...p })))
    .onConflictDoNothing()
    .returning({ id: filingRequirements.id });
  return { created: created.length, ...(await listRequirements(db, user, c.id)) };
}

async function managedRequirement(db: Db, user: CurrentUser, id: number) {
  const r = await requirementRow(db, id);
  const c = r ? await campaignCtx(db, r.campaignId) : null;
  if (!r || !c || !overseesCampaign(user, c)) throw notFound('报备要求');
  if (!managesCampaign(user, c)) throw forbidden('只有创建活动的平安办可以修改报备要求');
  return { r, c };
}

async function assertNothingFiled(db: Db, requirementId: number, what: string) {
  const [filed] = await db
    .select({ id: filings.id })
    .from(filings)
    .where(and(eq(filings.requirementId, requirementId), isNotNull(filings.submittedAt)))
    .limit(1);
  if (filed) throw new AppError('WRONG_STATUS', `已有单位按此要求报送，不能${what}`);
}

export async function updateRequirement(
  db: Db,
  user: CurrentUser,
  id: number,
  input: { title: string; dueOn: string; text?: string | null },
) {
  const { r, c } = await managedRequirement(db, user, id);
  await assertNothingFiled(db, r.id, '修改');
  checkYear(c, input.dueOn);
  await db
    .update(filingRequirements)
    .set({ title: input.title.trim(), dueOn: input.dueOn, text: input.text?.trim() || null })
    .where(eq(filingRequirements.id, r.id));
  return presentOne(db, c, r.id);
}

/** Removes a requirement nothing was submitted against, with its drafts and their files. */
export async function deleteRequirement(db: Db, storage: FileStorage, user: CurrentUser, id: number) {
  const { r } = await managedRequirement(db, user, id);
  await assertNothingFiled(db, r.id, '删除');
  const keys = await db.transaction(async (tx) => {
    const gone = await tx.delete(filings).where(eq(filings.requirementId, r.id)).returning({ key: filings.fileKey });
    await tx.delete(filingRequirements).where(eq(filingRequirements.id, r.id));
    return gone.map((g) => g.key).filter((k): k is string => !!k);
  });
  for (const k of keys) await storage.delete(k);
  return { ok: true as const };
}

// ───────────────────────────── the campaigns an account files in or manages ─────────────────────────────

export async function listFilingCampaigns(db: Db, user: CurrentUser) {
  if (!user.org) return { items: [] };
  const org = await orgWithRegion(db, user.org.id);
  const rows = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      year: campaigns.year,
      regionId: campaigns.regionId,
      regionName: regions.name,
      regionPath: regions.path,
    })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .orderBy(campaigns.year, campaigns.id);
  const reqs = rows.length
    ? await db
        .select({ campaignId: filingRequirements.campaignId, filers: filingRequirements.filers })
        .from(filingRequirements)
        .where(
          inArray(
            filingRequirements.campaignId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const items = [];
  for (const c of rows) {
    const mine = reqs.filter((r) => r.campaignId === c.id);
    const manages = managesCampaign(user, c);
    const kind = filerKindIn(user, c, org?.regionLevel ?? null);
    const files = !!kind && mine.some((r) => r.filers === kind);
    if (!manages && !files && !(overseesCampaign(user, c) && mine.length)) continue;
    items.push({ id: c.id, name: c.name, year: c.year, regionName: c.regionName, manages, files, requirements: mine.length });
  }
  items.sort((a, b) => b.year - a.year || a.id - b.id);
  return { items };
}

// ───────────────────────────── the matrix ─────────────────────────────

export interface MatrixFilter {
  filers?: FilerKind;
  state?: FilingState;
  late?: boolean;
  q?: string;
}

export async function matrixRows(db: Db, user: CurrentUser, campaignId: number, f: MatrixFilter) {
  const c = await visibleCampaign(db, user, campaignId);
  const reqs = await requirementsOf(db, c.id);
  const { byKind, cells } = await progressOf(db, c, reqs);
  const day = today();
  const orgs = [...byKind.entries()].filter(([k]) => !f.filers || k === f.filers).flatMap(([, list]) => list);
  const q = f.q?.trim();
  const rows = orgs
    .map((org) => ({
      org,
      cells: reqs.flatMap((r) => (cells.get(r.id) ?? []).filter((x) => x.filer.id === org.id).map((x) => ({ r, x }))),
    }))
    .filter((row) => !q || row.org.name.includes(q) || row.org.regionName.includes(q))
    .filter((row) => !f.state || row.cells.some(({ x }) => x.state === f.state))
    .filter((row) => !f.late || row.cells.some(({ x }) => x.late));
  return { c, reqs, cells, rows, day };
}

const presentCell = ({ r, x }: { r: RequirementRow; x: Cell }) => ({
  requirementId: r.id,
  state: x.state,
  filingId: x.filing && x.state !== 'not_filed' ? x.filing.id : null,
  late: x.late,
  submittedAt: iso(x.filing?.submittedAt ?? null),
  remindedAt: iso(x.filing?.remindedAt ?? null),
});

export async function getMatrix(db: Db, user: CurrentUser, campaignId: number, f: MatrixFilter & { limit: number; offset: number }) {
  const { c, reqs, cells, rows, day } = await matrixRows(db, user, campaignId, f);
  return {
    campaign: { id: c.id, name: c.name, year: c.year, regionName: c.regionName, canManage: managesCampaign(user, c) },
    today: day,
    requirements: reqs.map((r) => presentRequirement(r, cells.get(r.id)!)),
    rows: rows.slice(f.offset, f.offset + f.limit).map((row) => ({
      org: { id: row.org.id, name: row.org.name, kind: row.org.kind, regionName: row.org.regionName },
      cells: row.cells.map(presentCell),
    })),
    total: rows.length,
  };
}

// ───────────────────────────── the filer's own list ─────────────────────────────

export async function listMine(db: Db, user: CurrentUser, f: { campaignId?: number; state?: FilingState; limit: number; offset: number }) {
  if (!user.org) return { items: [], total: 0 };
  const org = (await orgWithRegion(db, user.org.id))!;
  const camps = (await listFilingCampaigns(db, user)).items.filter((c) => c.files && (!f.campaignId || c.id === f.campaignId));
  const items = [];
  for (const cs of camps) {
    const c = (await campaignCtx(db, cs.id))!;
    const kind = filerKindIn(user, c, org.regionLevel);
    const reqs = (await requirementsOf(db, c.id)).filter((r) => r.filers === kind);
    const { cells } = await progressOf(db, c, reqs);
    for (const r of reqs) {
      const cell = cells.get(r.id)!.find((x) => x.filer.id === org.id);
      if (!cell) continue;
      items.push({
        requirement: { id: r.id, campaignId: r.campaignId, kind: r.kind, title: r.title, dueOn: r.dueOn, filers: r.filers, text: r.text },
        campaignName: c.name,
        officeName: c.officeName,
        state: cell.state,
        late: cell.late,
        filingId: cell.filing?.id ?? null,
        submittedAt: iso(cell.filing?.submittedAt ?? null),
        reason: cell.state === 'returned' ? (cell.filing?.reason ?? null) : null,
      });
    }
  }
  const filtered = items.filter((i) => !f.state || i.state === f.state);
  filtered.sort((a, b) => a.requirement.dueOn.localeCompare(b.requirement.dueOn) || a.requirement.id - b.requirement.id);
  return { items: filtered.slice(f.offset, f.offset + f.limit), total: filtered.length };
}

/** The organisation's requirement (404 when the account does not file against it). */
export async function filerRequirement(db: Db, user: CurrentUser, requirementId: number) {
  const r = await requirementRow(db, requirementId);
  const c = r ? await campaignCtx(db, r.campaignId) : null;
  if (!r || !c || !user.org) throw notFound('报备要求');
  const org = await orgWithRegion(db, user.org.id);
  const kind = filerKindIn(user, c, org?.regionLevel ?? null);
  if (kind !== r.filers) throw notFound('报备要求');
  const filer = (await filersOf(db, c, kind)).find((x) => x.id === user.org!.id);
  if (!filer) throw notFound('报备要求');
  return { r, c, filer };
}
