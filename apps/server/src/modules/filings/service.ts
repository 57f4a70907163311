import { and, asc, eq, ilike, inArray, like } from 'drizzle-orm';
import { filerMayEdit, filingState, isFilingLate, missingForFiling, type FilingEvent, type FilingKind } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { categories, filings, regions, subjects } from '../../db/schema.js';
import type { FileStorage } from '../../storage/storage.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { today } from '../../clock.js';
import { notify } from '../notifications/service.js';
import { checkContent } from '../applications/files.js';
import { actsFor, managesCampaign, overseesCampaign } from './access.js';
import {
  campaignCtx,
  filerAccounts,
  filingFor,
  filingRow,
  orgWithRegion,
  requirementRow,
  userName,
  type CampaignCtx,
  type Filer,
  type FilingContent,
  type FilingRow,
  type RequirementRow,
} from './queries.js';
import { filerRequirement } from './requirements.js';
import { summaryPrefill, type SummaryFigures } from './summary.js';
import { firstMatches } from '../../http/typeahead.js';

/**
 * 报备: the filer drafts (document, note, 示范点 or the summary prefilled from the system's
 * figures) and submits; the campaign's office accepts (locked) or returns with a reason; a returned
 * filing is corrected and resubmitted. Every step is kept in the filing's history.
 */

const MAX_HISTORY = 200;

export interface FilingCtx {
  f: FilingRow;
  r: RequirementRow;
  c: CampaignCtx;
  filer: Filer;
}

const stateOf = (f: FilingRow | null) => filingState(f ? { status: f.status, history: f.content?.history ?? [] } : null);

function event(user: CurrentUser | null, action: FilingEvent['action'], extra: Partial<FilingEvent> = {}): FilingEvent {
  return { at: new Date().toISOString(), action, by: user?.displayName ?? '系统', org: user?.org?.name ?? null, ...extra };
}

const withEvent = (content: FilingContent | null, e: FilingEvent): FilingContent => ({
  ...(content ?? {}),
  history: [...(content?.history ?? []), e].slice(-MAX_HISTORY),
});

/** A filing the account may see: the overseeing offices, and the filer's own accounts. 404 otherwise. */
export async function loadFiling(db: Db | Tx, user: CurrentUser, id: number): Promise<FilingCtx> {
  const f = await filingRow(db, id);
  const r = f ? await requirementRow(db, f.requirementId) : null;
  const c = r ? await campaignCtx(db, r.campaignId) : null;
  const org = f ? await orgWithRegion(db, f.orgId) : null;
  if (!f || !r || !c || !org) throw notFound('报备');
  const filer: Filer = {
    id: org.id,
    name: org.name,
    kind: r.filers,
    deptCode: org.deptCode,
    regionId: org.regionId,
    regionName: org.regionName,
    regionPath: org.regionPath,
  };
  if (!overseesCampaign(user, c) && !actsFor(user, filer)) throw notFound('报备');
  return { f, r, c, filer };
}

async function categoryOptions(db: Db, kind: FilingKind) {
  if (kind !== 'demo_sites') return [];
  return db.select({ code: categories.code, name: categories.name }).from(categories).orderBy(asc(categories.code));
}

export async function presentFiling(db: Db, user: CurrentUser, x: FilingCtx) {
  const { f, r, c, filer } = x;
  const day = today();
  const state = stateOf(f);
  const mine = actsFor(user, filer);
  const canEdit = mine && filerMayEdit(state) && c.status === 'active';
  const manages = managesCampaign(user, c);
  return {
    id: f.id,
    requirement: { id: r.id, campaignId: r.campaignId, kind: r.kind, title: r.title, dueOn: r.dueOn, filers: r.filers, text: r.text },
    campaign: { id: c.id, name: c.name, year: c.year, regionName: c.regionName, officeName: c.officeName },
    org: { id: filer.id, name: filer.name, regionName: filer.regionName },
    status: f.status,
    state,
    late: isFilingLate(state, r.dueOn, day),
    today: day,
    fileName: f.fileKey ? f.fileName : null,
    note: f.note,
    reason: f.reason,
    sites: f.content?.sites ?? [],
    summary: (f.content?.summary as { figures: SummaryFigures; text: string } | undefined) ?? null,
    prefill: r.kind === 'summary' ? await summaryPrefill(db, filer, c.year) : null,
    submittedAt: iso(f.submittedAt),
    decidedAt: iso(f.decidedAt),
    decidedBy: await userName(db, f.decidedBy),
    remindedAt: iso(f.remindedAt),
    revision: f.revision,
    history: f.content?.history ?? [],
    categories: await categoryOptions(db, r.kind),
    canEdit,
    canSubmit: canEdit,
    canDecide: manages && f.status === 'submitted',
    canRemind: manages && state !== 'submitted' && state !== 'accepted' && c.status === 'active',
  };
}

export async function getFiling(db: Db, user: CurrentUser, id: number) {
  return presentFiling(db, user, await loadFiling(db, user, id));
}

/** The filer opens its filing against a requirement: the existing row, or a new draft (a summary prefilled). */
export async function openFiling(db: Db, user: CurrentUser, requirementId: number) {
  const { r, c, filer } = await filerRequirement(db, user, requirementId);
  if (c.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤回');
  const existing = await filingFor(db, r.id, filer.id);
  if (existing && stateOf(existing) !== 'not_filed') return getFiling(db, user, existing.id);
  const start: FilingContent =
    r.kind === 'summary' ? { summary: { figures: { ...(await summaryPrefill(db, filer, c.year)) }, text: '' } } : {};
  if (existing) {
    await db
      .update(filings)
      .set({ content: withEvent({ ...existing.content, ...start }, event(user, 'created')), updatedAt: new Date() })
      .where(eq(filings.id, existing.id));
    return getFiling(db, user, existing.id);
  }
  const [row] = await db
    .insert(filings)
    .values({ requirementId: r.id, orgId: filer.id, status: 'draft', content: withEvent(start, event(user, 'created')) })
    .onConflictDoNothing()
    .returning({ id: filings.id });
  const id = row?.id ?? (await filingFor(db, r.id, filer.id))!.id;
  return getFiling(db, user, id);
}

/** The filer's own filing, while it may still change it. */
async function editable(db: Db | Tx, user: CurrentUser, id: number): Promise<FilingCtx> {
  const x = await loadFiling(db, user, id);
  if (!actsFor(user, x.filer)) throw notFound('报备');
  const state = stateOf(x.f);
  if (state === 'accepted') throw new AppError('WRONG_STATUS', '报备已被接收并锁定，不能再修改');
  if (state === 'submitted') throw new AppError('WRONG_STATUS', '报备已报送，等待上级接收或退回，暂不能修改');
  if (x.c.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤回');
  return x;
}

export interface SiteInput {
  subjectId: number;
  categoryCode: string;
  note?: string | null;
}

/** 示范点: units or regions in the filer's region, each with an existing category, no repeats. */
async function checkSites(db: Db, filer: Filer, sites: SiteInput[]): Promise<NonNullable<FilingContent['sites']>> {
  if (!sites.length) return [];
  const ids = [...new Set(sites.map((s) => s.subjectId))];
  const found = await db
    .select({ id: subjects.id, name: subjects.name, kind: subjects.kind, regionName: regions.name, path: regions.path })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(inArray(subjects.id, ids));
  const cats = await db.select({ code: categories.code, name: categories.name }).from(categories);
  const seen = new Set<string>();
  return sites.map((s, i) => {
    const subj = found.find((x) => x.id === s.subjectId);
    if (!subj || !subj.path.startsWith(filer.regionPath) || (subj.kind !== 'unit' && subj.kind !== 'region'))
      throw new AppError('VALIDATION', `第${i + 1}个示范点不是本地区的单位或地区`);
    const cat = cats.find((c) => c.code === s.categoryCode);
    if (!cat) throw new AppError('VALIDATION', `第${i + 1}个示范点的创建类别不存在`);
    const key = `${s.subjectId}:${s.categoryCode}`;
    if (seen.has(key)) throw new AppError('VALIDATION', `示范点「${subj.name}」（${cat.name}）重复填报`);
    seen.add(key);
    return {
      subjectId: subj.id,
      subjectName: subj.name,
      regionName: subj.regionName,
      categoryCode: cat.code,
      categoryName: cat.name,
      note: s.note?.trim() || null,
    };
  });
}

export interface SaveInput {
  revision: number;
  note?: string | null;
  sites?: SiteInput[];
  summary?: { figures: SummaryFigures; text: string };
}

export async function saveFiling(db: Db, user: CurrentUser, id: number, input: SaveInput) {
  const x = await editable(db, user, id);
  const { f, r } = x;
  if (input.revision !== f.revision) throw new AppError('CONFLICT', '报备已被修改（可能在其他窗口），请刷新后重试');
  if (input.sites && r.kind !== 'demo_sites') throw new AppError('VALIDATION', '只有示范点报备可以填报示范点');
  if (input.summary && r.kind !== 'summary') throw new AppError('VALIDATION', '只有年度总结可以填写总结数据');
  const content: FilingContent = { ...(f.content ?? {}) };
  if (input.sites) content.sites = await checkSites(db, x.filer, input.sites);
  if (input.summary) content.summary = { figures: { ...input.summary.figures }, text: input.summary.text };
  const done = await db
    .update(filings)
    .set({
      note: input.note === undefined ? f.note : input.note?.trim() || null,
      content: withEvent(content, event(user, 'saved', { revision: f.revision + 1 })),
      revision: f.revision + 1,
      updatedAt: new Date(),
    })
    .where(and(eq(filings.id, f.id), eq(filings.revision, f.revision)))
    .returning({ id: filings.id });
  if (!done.length) throw new AppError('CONFLICT', '报备已被修改（可能在其他窗口），请刷新后重试');
  return getFiling(db, user, id);
}

/** PDF, Word or Excel only: the extension first (a Chinese message), then the content's magic bytes. */
const FILING_EXTENSIONS = ['pdf', 'doc', 'docx', 'xls', 'xlsx'];
const MIME_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const extOf = (name: string) => (name.includes('.') ? (name.toLowerCase().split('.').pop() ?? '') : '');

export function checkFilingFile(fileName: string, declaredType: string, data: Buffer): void {
  if (!data.length) throw new AppError('VALIDATION', '文件为空');
  const ext = extOf(fileName);
  if (!FILING_EXTENSIONS.includes(ext))
    throw new AppError('UNSUPPORTED_TYPE', `不支持的文件类型「${ext ? `.${ext}` : fileName}」，报备文件须为PDF、Word或Excel文件`);
  checkContent(fileName, declaredType, data.subarray(0, 8));
}

export interface FilingUpload {
  fileName: string;
  declaredType: string;
  data: Buffer;
}

export async function uploadFilingFile(db: Db, storage: FileStorage, user: CurrentUser, id: number, file: FilingUpload) {
  const { f } = await editable(db, user, id);
  checkFilingFile(file.fileName, file.declaredType, file.data);
  const stored = await storage.put(file.data);
  const name = file.fileName.slice(0, 200);
  try {
    const done = await db
      .update(filings)
      .set({
        fileKey: stored.key,
        fileName: name,
        content: withEvent(f.content, event(user, 'uploaded', { reason: name, revision: f.revision + 1 })),
        revision: f.revision + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(filings.id, f.id), eq(filings.revision, f.revision)))
      .returning({ id: filings.id });
    if (!done.length) throw new AppError('CONFLICT', '报备已被修改（可能在其他窗口），请刷新后重试');
  } catch (e) {
    await storage.delete(stored.key); // no orphan file when the row could not be written
    throw e;
  }
  // a document never submitted goes; one that was submitted stays in the store, for the record
  if (f.fileKey && !f.submittedAt) await storage.delete(f.fileKey);
  return getFiling(db, user, id);
}

export async function loadFilingFile(db: Db, user: CurrentUser, id: number) {
  const { f } = await loadFiling(db, user, id);
  if (!f.fileKey || !f.fileName) throw notFound('报备文件');
  return { key: f.fileKey, fileName: f.fileName, mime: MIME_BY_EXT[extOf(f.fileName)] ?? 'application/octet-stream' };
}

export async function submitFiling(db: Db, user: CurrentUser, id: number) {
  const { f, r, c } = await editable(db, user, id);
  const missing = missingForFiling(r.kind, {
    hasFile: !!f.fileKey,
    sites: f.content?.sites?.length ?? 0,
    summaryText: f.content?.summary?.text,
  });
  if (missing.length) throw new AppError('INCOMPLETE', `报备内容不完整：${missing.join('；')}`, { missing });
  const resubmit = f.status === 'returned';
  await db.transaction(async (tx) => {
    const done = await tx
      .update(filings)
      .set({
        status: 'submitted',
        submittedAt: new Date(),
        reason: null,
        content: withEvent(f.content, event(user, 'submitted', { revision: f.revision + 1 })),
        revision: f.revision + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(filings.id, f.id), eq(filings.revision, f.revision), inArray(filings.status, ['draft', 'returned'])))
      .returning({ id: filings.id });
    if (!done.length) throw new AppError('CONFLICT', '报备已被修改（可能在其他窗口），请刷新后重试');
    await notify(tx, await filerAccounts(tx, c.orgId, 'office'), {
      kind: 'filing',
      title: `${user.org!.name}${resubmit ? '重新' : ''}报送了「${r.title}」`,
      body: `截止日期 ${r.dueOn}`,
      link: `/filings/${f.id}`,
    });
  });
  return getFiling(db, user, id);
}

async function decidable(db: Db, user: CurrentUser, id: number) {
  const x = await loadFiling(db, user, id);
  if (!managesCampaign(user, x.c)) throw new AppError('FORBIDDEN', '只有创建活动的平安办可以接收或退回报备');
  if (x.f.status !== 'submitted') throw new AppError('WRONG_STATUS', '只有已报送、待处理的报备可以接收或退回');
  return x;
}

async function decide(db: Db, user: CurrentUser, id: number, to: 'accepted' | 'returned', reason: string | null) {
  const { f, r, filer } = await decidable(db, user, id);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(filings)
      .set({
        status: to,
        reason,
        decidedAt: new Date(),
        decidedBy: user.id,
        content: withEvent(f.content, event(user, to, { reason, revision: f.revision + 1 })),
        revision: f.revision + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(filings.id, f.id), eq(filings.status, 'submitted')))
      .returning({ id: filings.id });
    if (!done.length) throw new AppError('CONFLICT', '报备已被处理，请刷新后重试');
    await notify(tx, await filerAccounts(tx, filer.id, filer.kind), {
      kind: 'filing',
      title: to === 'accepted' ? `「${r.title}」已被接收` : `「${r.title}」被退回，请修改后重新报送`,
      body: reason ? `退回理由：${reason}` : null,
      link: `/filings/${f.id}`,
    });
  });
  return getFiling(db, user, id);
}

export const acceptFiling = (db: Db, user: CurrentUser, id: number) => decide(db, user, id, 'accepted', null);

export function returnFiling(db: Db, user: CurrentUser, id: number, reason: string) {
  const why = reason.trim();
  if (!why) throw new AppError('REASON_REQUIRED', '退回须填写理由');
  return decide(db, user, id, 'returned', why);
}

/** Units and regions of the filer's region that can be named 示范点. */
const SITE_MATCHES = 50;
export async function searchSites(db: Db, user: CurrentUser, id: number, q: string | undefined) {
  const { filer } = await loadFiling(db, user, id);
  const text = q?.trim();
  const rows = await db
    .select({ id: subjects.id, name: subjects.name, regionName: regions.name })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .where(
      and(
        like(regions.path, `${filer.regionPath}%`),
        inArray(subjects.kind, ['unit', 'region']),
        text ? ilike(subjects.name, `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`) : undefined,
      ),
    )
    .orderBy(asc(subjects.name))
    .limit(SITE_MATCHES + 1);
  return firstMatches(rows, SITE_MATCHES);
}
