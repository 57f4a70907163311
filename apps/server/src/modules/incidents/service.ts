import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  CONSEQUENCE_LABELS,
  INCIDENT_TYPE_LABELS,
  appealOpen,
  appealUntilFor,
  consequencesProblem,
  ineligibleYearFor,
  joinConsequences,
  levelForStars,
  mergeProposals,
  proposeConsequence,
  publicTitleStatus,
  sortConsequences,
  splitConsequences,
  titleChange,
  type Consequence,
  type IncidentType,
  type Proposal,
  type TitleChange,
} from '@pingan/core';
import type { Db } from '../../db/client.js';
import { appeals, incidentFiles, incidentTitles, incidents, regions, subjects, titleEvents, titles } from '../../db/schema.js';
import type { FileStorage } from '../../storage/storage.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { today } from '../../clock.js';
import { notify } from '../notifications/service.js';
import { firstMatches } from '../../http/typeahead.js';
import { checkContent } from '../applications/files.js';
import {
  RECORDERS,
  affectedOf,
  appealOf,
  eventsOf,
  filesOf,
  holderAccounts,
  holderSubjectIds,
  incidentRow,
  incidentRows,
  incidentScopeSql,
  orgAccounts,
  targetsUnder,
  TARGET_MATCHES,
  titlesOfHolders,
  userBrief,
  type HolderTitle,
  type IncidentFilter,
  type IncidentRow,
} from './queries.js';

/**
 * 事件与申诉 (issue 7 §5). A department or office records an incident against a unit/household or
 * a region in its subtree; the office that conferred the holder's titles confirms a consequence
 * (the core proposes it from the title's standard) or dismisses; on confirmation the titles change
 * at once and the holder is told; the holder may appeal until appealUntil (inclusive); the office
 * upholds (titles restored, eligibility given back) or dismisses with a written reply. Every step
 * writes the titles' history (title_events).
 */

const typeLabel = (t: string) => INCIDENT_TYPE_LABELS[t as IncidentType]?.zh ?? t;
const consequenceText = (list: readonly Consequence[]) => list.map((c) => CONSEQUENCE_LABELS[c].zh).join('、');
const isRecorder = (user: CurrentUser) => (RECORDERS as readonly string[]).includes(user.role) && !!user.org;
const isOffice = (user: CurrentUser) => user.role === 'safety_office' && user.org?.kind === 'safety_office';
const expired = (t: { validUntil: string | null }, day: string) => !!t.validUntil && day > t.validUntil;
/** A title an incident can still act on: not revoked, not expired. */
const isCurrent = (t: HolderTitle, day: string) => t.t.status !== 'revoked' && !expired(t.t, day);

function requireRecorder(user: CurrentUser) {
  if (!isRecorder(user)) throw forbidden('只有平安办和部门可以登记事件');
  return user.org!;
}

/** The proposal for one title: its own standard and scheme. */
function proposalFor(type: IncidentType, t: HolderTitle): Proposal {
  return proposeConsequence(type, t.t.level === 'title' ? 'title' : (t.doc.scheme ?? 'stars'), t.doc);
}

/** The incident-level proposal: the strongest over the holder's current titles, else the default table. */
function incidentProposal(type: IncidentType, current: HolderTitle[]): Proposal {
  const fallback = proposeConsequence(type, 'stars');
  if (!current.length) return fallback;
  const each = current.map((t) => proposalFor(type, t));
  const consequences = mergeProposals(each, fallback);
  const strongest = each.find((p) => p.consequences.join() === consequences.join()) ?? each.find((p) => p.basis === 'veto') ?? each[0]!;
  return { ...strongest, consequences, vetoCriteria: each.flatMap((p) => p.vetoCriteria) };
}

/**
 * Whether this office decides the incident: its region contains the incident's and, when the holder
 * has current titles, it conferred one of them (the conferring campaign's region is in its
 * subtree: a county decides its own and its streets' titles, not the city's).
 */
function decides(user: CurrentUser, inc: { regionPath: string }, current: HolderTitle[]): boolean {
  if (!isOffice(user) || !inc.regionPath.startsWith(user.org!.regionPath)) return false;
  return !current.length || current.some((t) => t.campaignRegionPath.startsWith(user.org!.regionPath));
}

async function loadVisible(db: Db, user: CurrentUser, id: number): Promise<IncidentRow> {
  const [visible] = await db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.id, id), incidentScopeSql(user)));
  if (!visible) throw notFound('事件');
  return (await incidentRow(db, id))!;
}

function presentListItem(r: IncidentRow) {
  const i = r.i;
  return {
    id: i.id,
    type: i.type as IncidentType,
    occurredOn: i.occurredOn,
    place: i.place,
    target: i.subjectId ? ('subject' as const) : ('region' as const),
    subjectId: i.subjectId,
    subjectKind: r.subjectKind ?? null,
    targetName: r.subjectName ?? r.incidentRegionName ?? '',
    regionName: r.subjectRegionName ?? r.incidentRegionName ?? '',
    status: i.status,
    proposedConsequences: splitConsequences(i.proposedConsequence),
    consequences: i.consequence === null ? null : splitConsequences(i.consequence),
    reportedByOrg: r.orgName,
    createdAt: iso(i.createdAt),
    decidedOn: i.decidedOn,
    appealUntil: i.appealUntil,
    appealStatus: r.appealStatus ?? null,
    ineligibleYear: i.ineligibleYear,
  };
}

export async function listIncidents(db: Db, user: CurrentUser, f: IncidentFilter & { limit: number; offset: number }) {
  if (!isRecorder(user) && user.role !== 'applicant') throw forbidden();
  const { rows, total } = await incidentRows(db, user, f, { limit: f.limit, offset: f.offset });
  return { items: rows.map(presentListItem), total };
}

export async function incidentsXlsx(db: Db, user: CurrentUser, f: IncidentFilter): Promise<Buffer> {
  if (!isRecorder(user)) throw forbidden('只有平安办和部门可以导出事件');
  const { rows } = await incidentRows(db, user, f, null);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('事件');
  ws.columns = [
    { header: '编号', key: 'id', width: 8 },
    { header: '类型', key: 'type', width: 16 },
    { header: '发生日期', key: 'occurredOn', width: 12 },
    { header: '地点', key: 'place', width: 28 },
    { header: '对象', key: 'target', width: 26 },
    { header: '所在地区', key: 'region', width: 14 },
    { header: '状态', key: 'status', width: 10 },
    { header: '建议处理', key: 'proposed', width: 26 },
    { header: '处理结果', key: 'consequences', width: 26 },
    { header: '登记单位', key: 'org', width: 20 },
    { header: '决定日期', key: 'decidedOn', width: 12 },
    { header: '申诉期限', key: 'appealUntil', width: 12 },
    { header: '申诉', key: 'appeal', width: 10 },
    { header: '取消评先年度', key: 'ineligibleYear', width: 12 },
  ];
  const STATUS = { reported: '待确认', confirmed: '已确认', dismissed: '不予认定' } as const;
  const APPEAL = { open: '待处理', upheld: '申诉成立', dismissed: '申诉驳回' } as const;
  for (const r of rows.map(presentListItem))
    ws.addRow({
      id: r.id,
      type: typeLabel(r.type),
      occurredOn: r.occurredOn,
      place: r.place,
      target: r.targetName,
      region: r.regionName,
      status: STATUS[r.status],
      proposed: consequenceText(r.proposedConsequences),
      consequences: r.consequences ? consequenceText(r.consequences) : '',
      org: r.reportedByOrg,
      decidedOn: r.decidedOn ?? '',
      appealUntil: r.appealUntil ?? '',
      appeal: r.appealStatus ? APPEAL[r.appealStatus] : '',
      ineligibleYear: r.ineligibleYear ?? '',
    });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function listTargets(db: Db, user: CurrentUser, q: string | undefined) {
  const org = requireRecorder(user);
  return firstMatches(await targetsUnder(db, org.regionPath, q, today()), TARGET_MATCHES);
}

export interface RecordInput {
  type: IncidentType;
  occurredOn: string;
  place: string;
  description: string;
  subjectId?: number | null;
  regionId?: number | null;
}

/** Records an incident against a subject or a region of the recorder's subtree (404 outside it). */
export async function recordIncident(db: Db, user: CurrentUser, input: RecordInput) {
  const org = requireRecorder(user);
  if (!!input.subjectId === !!input.regionId) throw new AppError('VALIDATION', '须指定事件所涉的单位（家庭）或地区，且只能指定其一');
  const day = today();
  if (input.occurredOn > day) throw new AppError('DATE_INVALID', `事件发生日期${input.occurredOn}晚于今天（${day}）`);
  const place = input.place.trim();
  const description = input.description.trim();
  if (!place) throw new AppError('VALIDATION', '请填写事件发生地点');
  if (!description) throw new AppError('VALIDATION', '请填写事件经过');
  let target: { subjectId: number | null; regionId: number | null; regionPath: string };
  if (input.subjectId) {
    const [s] = await db
      .select({ id: subjects.id, path: regions.path })
      .from(subjects)
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .where(eq(subjects.id, input.subjectId));
    if (!s || !s.path.startsWith(org.regionPath)) throw notFound('单位（家庭）');
    target = { subjectId: s.id, regionId: null, regionPath: s.path };
  } else {
    const [r] = await db.select({ id: regions.id, path: regions.path }).from(regions).where(eq(regions.id, input.regionId!));
    if (!r || !r.path.startsWith(org.regionPath)) throw notFound('地区');
    target = { subjectId: null, regionId: r.id, regionPath: r.path };
  }
  const held = await titlesOfHolders(db, await holderSubjectIds(db, target));
  const proposal = incidentProposal(
    input.type,
    held.filter((t) => isCurrent(t, day)),
  );
  const [row] = await db
    .insert(incidents)
    .values({
      type: input.type,
      occurredOn: input.occurredOn,
      place,
      description,
      ...target,
      reportedByOrg: org.id,
      reportedBy: user.id,
      proposedConsequence: joinConsequences(proposal.consequences),
    })
    .returning({ id: incidents.id });
  return getIncident(db, user, row!.id);
}

/** What an evidence upload carries. */
export interface IncidentUpload {
  fileName: string;
  declaredType: string;
  data: Buffer;
}

/** Adds evidence to an incident not yet decided: the recording organisation or an office in scope. */
export async function addIncidentFile(db: Db, storage: FileStorage, user: CurrentUser, id: number, file: IncidentUpload) {
  requireRecorder(user);
  const r = await loadVisible(db, user, id);
  if (r.i.status !== 'reported') throw new AppError('WRONG_STATUS', '事件已处理，不能再补充证据');
  if (r.i.reportedByOrg !== user.org!.id && !isOffice(user)) throw forbidden('只有登记单位或平安办可以补充证据');
  if (!file.data.length) throw new AppError('VALIDATION', '文件为空');
  const mime = checkContent(file.fileName, file.declaredType, file.data.subarray(0, 8));
  const stored = await storage.put(file.data);
  try {
    const [f] = await db
      .insert(incidentFiles)
      .values({
        incidentId: id,
        storageKey: stored.key,
        fileName: file.fileName.slice(0, 200),
        mime,
        size: stored.size,
        sha256: stored.sha256,
      })
      .returning();
    return presentFile(f!);
  } catch (e) {
    await storage.delete(stored.key);
    throw e;
  }
}

function presentFile(f: typeof incidentFiles.$inferSelect) {
  return { id: f.id, fileName: f.fileName, mime: f.mime, size: f.size, sha256: f.sha256, createdAt: iso(f.createdAt) };
}

/** An evidence file, for staff who see its incident (the holder does not get the files). */
export async function loadIncidentFile(db: Db, user: CurrentUser, fileId: number) {
  if (!isRecorder(user)) throw notFound('文件');
  const [f] = await db.select().from(incidentFiles).where(eq(incidentFiles.id, fileId));
  if (!f) throw notFound('文件');
  try {
    await loadVisible(db, user, f.incidentId);
  } catch {
    throw notFound('文件');
  }
  return f;
}

/**
 * The detail: the incident, the proposal, the holder's titles (what the proposal would do to each
 * now, or what the decision did), the title history, the appeal and what this account may do.
 * `changes` carries what a confirmation just did, with its notes (already revoked, expired…).
 */
export async function getIncident(db: Db, user: CurrentUser, id: number, changes?: Map<number, TitleChange>) {
  const r = await loadVisible(db, user, id);
  const i = r.i;
  const day = today();
  const type = i.type as IncidentType;
  const held = await titlesOfHolders(db, await holderSubjectIds(db, i));
  const current = held.filter((t) => isCurrent(t, day));
  const [files, affected, appeal, reporter, decider] = await Promise.all([
    filesOf(db, id),
    affectedOf(db, id),
    appealOf(db, id),
    userBrief(db, i.reportedBy),
    userBrief(db, i.decidedBy),
  ]);
  const events = await eventsOf(
    db,
    held.map((t) => t.t.id),
  );
  const proposal = incidentProposal(type, current);
  const staff = user.role !== 'applicant';
  const decided = i.status !== 'reported';
  const confirmed = splitConsequences(i.consequence);
  const titleViews = held.map((t) => {
    const mine = affected.find((a) => a.titleId === t.t.id) ?? null;
    let change: TitleChange;
    if (changes?.has(t.t.id)) change = changes.get(t.t.id)!;
    else if (!decided) change = titleChange(t.t, proposal.consequences, day);
    else {
      const ev = events.find(
        (e) => e.titleId === t.t.id && e.incidentId === id && ['suspended', 'revoked', 'stars_lowered'].includes(e.kind),
      );
      change = ev
        ? {
            action: ev.kind === 'revoked' ? 'revoke' : ev.kind === 'suspended' ? 'suspend' : 'lower_stars',
            toStatus: (ev.toStatus ?? t.t.status) as TitleChange['toStatus'],
            toStars: ev.toStars ?? t.t.stars,
            toLevel: t.t.level,
            note: null,
          }
        : {
            action: null,
            toStatus: t.t.status,
            toStars: t.t.stars,
            toLevel: t.t.level,
            note:
              i.status === 'dismissed' || !confirmed.some((c) => c !== 'lose_eligibility' && c !== 'none')
                ? null
                : { zh: '本事件未变更该称号', en: 'Not changed by this incident' },
          };
    }
    return {
      titleId: t.t.id,
      titleName: t.t.titleName,
      year: t.t.year,
      certificateNo: t.t.certificateNo,
      stars: t.t.stars,
      level: t.t.level,
      scheme: t.t.level === 'title' ? ('title' as const) : (t.doc.scheme ?? 'stars'),
      status: t.t.status,
      publicStatus: publicTitleStatus(t.t, day),
      validUntil: t.t.validUntil,
      campaignName: t.campaignName,
      conferredBy: t.conferredBy,
      proposal: proposalFor(type, t),
      change: { action: change.action, toStatus: change.toStatus, toStars: change.toStars, note: change.note },
      fromStatus: mine?.fromStatus ?? null,
      fromStars: mine?.fromStars ?? null,
      events: events
        .filter((e) => e.titleId === t.t.id)
        .map((e) => ({
          kind: e.kind,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          fromStars: e.fromStars,
          toStars: e.toStars,
          reason: e.reason,
          on: e.on,
          incidentId: e.incidentId,
          appealId: e.appealId,
        })),
    };
  });
  const deciderOrg = decider?.orgId ?? null;
  const isDecidingOffice = isOffice(user) && deciderOrg !== null && user.org!.id === deciderOrg;
  const holderIds = user.role === 'applicant' ? await holderSubjectIds(db, i) : [];
  return {
    ...presentListItem(r),
    description: i.description,
    reportedBy: staff ? (reporter?.displayName ?? null) : null,
    decisionReason: i.decisionReason,
    decidedBy: decider?.displayName ?? null,
    files: staff ? files.map(presentFile) : [],
    proposal,
    titles: titleViews,
    appeal: appeal
      ? {
          id: appeal.a.id,
          text: appeal.a.text,
          status: appeal.a.status,
          reply: appeal.a.reply,
          filedBy: appeal.filedBy,
          filedAt: iso(appeal.a.createdAt),
          decidedBy: appeal.decidedBy ?? null,
          decidedAt: iso(appeal.a.decidedAt),
        }
      : null,
    canDecide: !decided && decides(user, i, current),
    canUpload: !decided && isRecorder(user) && (i.reportedByOrg === user.org!.id || isOffice(user)),
    canAppeal:
      user.role === 'applicant' &&
      !!user.subjectId &&
      holderIds.includes(user.subjectId) &&
      i.status === 'confirmed' &&
      !appeal &&
      appealOpen(i.appealUntil, day),
    canDecideAppeal: isDecidingOffice && appeal?.a.status === 'open',
    today: day,
  };
}

/** The reason shown on the title's public page and history: no names, no free text. */
function publicReason(i: { type: string; occurredOn: string }, office: string, what: string): string {
  return `${i.occurredOn}发生${typeLabel(i.type)}，经${office}确认：${what}`;
}

const EVENT_KIND = { revoke: 'revoked', suspend: 'suspended', lower_stars: 'stars_lowered' } as const;

/**
 * Confirms an incident with the consequences the office chose (the proposal or its own, with the
 * reason). In one transaction: each current title of the holder that the office conferred changes
 * at once (status, stars, history, incident_titles with what it was), ineligibility and the appeal
 * deadline are set, and the holder's accounts are notified.
 */
export async function confirmIncident(db: Db, user: CurrentUser, id: number, input: { consequences: Consequence[]; reason: string }) {
  const r = await loadVisible(db, user, id);
  const i = r.i;
  if (!isOffice(user)) throw forbidden('只有平安办可以确认事件');
  if (i.status !== 'reported') throw new AppError('WRONG_STATUS', '事件已处理');
  const problem = consequencesProblem(input.consequences);
  if (problem) throw new AppError('VALIDATION', problem);
  const reason = input.reason.trim();
  if (!reason) throw new AppError('REASON_REQUIRED', '请填写确认理由');
  const day = today();
  const holders = await holderSubjectIds(db, i);
  const held = await titlesOfHolders(db, holders);
  const current = held.filter((t) => isCurrent(t, day));
  if (!decides(user, i, current)) throw forbidden('只有命名该称号的平安办（或其上级）可以确认此事件');
  const consequences = sortConsequences(input.consequences);
  const what = consequenceText(consequences);
  const office = user.org!;
  const changes = new Map<number, TitleChange>();
  const ineligibleYear = consequences.includes('lose_eligibility') ? ineligibleYearFor(i.occurredOn) : null;
  const appealUntil = consequences.includes('none') ? null : appealUntilFor(day);
  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(incidents)
      .set({
        status: 'confirmed',
        consequence: joinConsequences(consequences),
        decisionReason: reason,
        decidedBy: user.id,
        decidedOn: day,
        appealUntil,
        ineligibleYear,
        revision: i.revision + 1,
      })
      .where(and(eq(incidents.id, id), eq(incidents.status, 'reported')))
      .returning({ id: incidents.id });
    if (!done) throw new AppError('CONFLICT', '事件已被他人处理，请刷新后重试');
    const publicText = publicReason(i, office.name, what);
    for (const t of held) {
      // re-read inside the transaction: what another decision changed since counts
      const [now] = await tx.select().from(titles).where(eq(titles.id, t.t.id));
      if (!now) continue;
      if (!t.campaignRegionPath.startsWith(office.regionPath) && isCurrent({ ...t, t: now }, day)) {
        changes.set(now.id, {
          action: null,
          toStatus: now.status,
          toStars: now.stars,
          toLevel: now.level,
          note: { zh: `由${t.conferredBy}命名，不在本办处理范围`, en: `Conferred by ${t.conferredBy}: not this office's to change` },
        });
        continue;
      }
      const c = titleChange(now, consequences, day);
      changes.set(now.id, c);
      if (!c.action) continue;
      await tx.insert(incidentTitles).values({ incidentId: id, titleId: now.id, fromStatus: now.status, fromStars: now.stars });
      await tx
        .update(titles)
        .set({
          status: c.toStatus,
          stars: c.toStars,
          level: c.toLevel,
          statusReason: publicText,
          statusSince: day,
          ...(c.action === 'revoke' ? { revokedAt: new Date(), revokeReason: publicText } : {}),
        })
        .where(eq(titles.id, now.id));
      await tx.insert(titleEvents).values({
        titleId: now.id,
        kind: EVENT_KIND[c.action],
        fromStatus: now.status,
        toStatus: c.toStatus,
        fromStars: now.stars,
        toStars: c.toStars,
        reason: c.note ? `${publicText}（${c.note.zh}）` : publicText,
        incidentId: id,
        actorId: user.id,
        on: day,
      });
    }
    const changed = [...changes.values()].filter((c) => c.action);
    const lines = [
      `处理结果：${what}`,
      `理由：${reason}`,
      changed.length ? `涉及称号${changed.length}个，状态已即时变更` : '',
      ineligibleYear ? `${ineligibleYear}年度不能提交创建申报` : '',
      appealUntil ? `如有异议，可在${appealUntil}前（含当日）登录平台提出申诉` : '',
    ].filter(Boolean);
    await notify(tx, await holderAccounts(tx, holders), {
      kind: 'incident',
      title: `${i.occurredOn}发生的${typeLabel(i.type)}已经${office.name}确认：${what}`,
      body: lines.join('\n'),
      link: `/incidents/${id}`,
    });
    if (i.reportedBy !== user.id)
      await notify(tx, [i.reportedBy], {
        kind: 'incident',
        title: `您登记的${typeLabel(i.type)}（${r.subjectName ?? r.incidentRegionName ?? ''}）已确认：${what}`,
        link: `/incidents/${id}`,
      });
  });
  return getIncident(db, user, id, changes);
}

/** Dismisses an incident (不予认定): nothing changes; the recorder is told why. */
export async function dismissIncident(db: Db, user: CurrentUser, id: number, input: { reason: string }) {
  const r = await loadVisible(db, user, id);
  if (!isOffice(user)) throw forbidden('只有平安办可以处理事件');
  if (r.i.status !== 'reported') throw new AppError('WRONG_STATUS', '事件已处理');
  const reason = input.reason.trim();
  if (!reason) throw new AppError('REASON_REQUIRED', '请填写不予认定的理由');
  const day = today();
  const held = await titlesOfHolders(db, await holderSubjectIds(db, r.i));
  if (
    !decides(
      user,
      r.i,
      held.filter((t) => isCurrent(t, day)),
    )
  )
    throw forbidden('只有命名该称号的平安办（或其上级）可以处理此事件');
  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(incidents)
      .set({ status: 'dismissed', decisionReason: reason, decidedBy: user.id, decidedOn: day, revision: r.i.revision + 1 })
      .where(and(eq(incidents.id, id), eq(incidents.status, 'reported')))
      .returning({ id: incidents.id });
    if (!done) throw new AppError('CONFLICT', '事件已被他人处理，请刷新后重试');
    if (r.i.reportedBy !== user.id)
      await notify(tx, [r.i.reportedBy], {
        kind: 'incident',
        title: `您登记的${typeLabel(r.i.type)}（${r.subjectName ?? r.incidentRegionName ?? ''}）不予认定`,
        body: `理由：${reason}`,
        link: `/incidents/${id}`,
      });
  });
  return getIncident(db, user, id);
}

/** The holder appeals, once, until appealUntil (inclusive). */
export async function fileAppeal(db: Db, user: CurrentUser, id: number, input: { text: string }) {
  if (user.role !== 'applicant') throw forbidden('只有称号持有单位可以申诉');
  const r = await loadVisible(db, user, id);
  const i = r.i;
  const text = input.text.trim();
  if (!text) throw new AppError('REASON_REQUIRED', '请填写申诉理由');
  if (!i.appealUntil) throw new AppError('WRONG_STATUS', '该事件未影响称号或资格，无需申诉');
  const day = today();
  if (!appealOpen(i.appealUntil, day)) throw new AppError('DATE_INVALID', `申诉期已于${i.appealUntil}届满，不能再提出申诉`);
  const affected = await affectedOf(db, id);
  const decider = await userBrief(db, i.decidedBy);
  await db.transaction(async (tx) => {
    const [a] = await tx
      .insert(appeals)
      .values({ incidentId: id, filedBy: user.id, text })
      .onConflictDoNothing()
      .returning({ id: appeals.id });
    if (!a) throw new AppError('DUPLICATE', '每个事件只能申诉一次，本事件已提出申诉');
    for (const t of affected)
      await tx.insert(titleEvents).values({
        titleId: t.titleId,
        kind: 'appeal_filed',
        reason: '持有单位提出申诉',
        incidentId: id,
        appealId: a.id,
        actorId: user.id,
        on: day,
      });
    if (decider?.orgId)
      await notify(tx, await orgAccounts(tx, decider.orgId), {
        kind: 'appeal',
        title: `${r.subjectName ?? r.incidentRegionName ?? ''}对${i.occurredOn}${typeLabel(i.type)}的处理提出申诉`,
        body: text.slice(0, 200),
        link: `/incidents/${id}`,
      });
  });
  return getIncident(db, user, id);
}

/**
 * The deciding office answers the appeal. Upheld: each title goes back to what it was before
 * (unless a later incident has changed it since), the ineligibility is cleared; dismissed: the
 * decision stands. Both are written in the titles' history and the holder is told.
 */
export async function decideAppeal(db: Db, user: CurrentUser, id: number, input: { decision: 'upheld' | 'dismissed'; reply: string }) {
  const r = await loadVisible(db, user, id);
  const i = r.i;
  const decider = await userBrief(db, i.decidedBy);
  if (!isOffice(user) || !decider?.orgId || decider.orgId !== user.org!.id) throw forbidden('只有作出处理决定的平安办可以处理申诉');
  const appeal = await appealOf(db, id);
  if (!appeal) throw new AppError('WRONG_STATUS', '本事件没有申诉');
  if (appeal.a.status !== 'open') throw new AppError('WRONG_STATUS', '申诉已处理');
  const reply = input.reply.trim();
  if (!reply) throw new AppError('REASON_REQUIRED', '请填写书面答复');
  const day = today();
  const upheld = input.decision === 'upheld';
  const holders = await holderSubjectIds(db, i);
  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(appeals)
      .set({ status: input.decision, reply, decidedBy: user.id, decidedAt: new Date() })
      .where(and(eq(appeals.id, appeal.a.id), eq(appeals.status, 'open')))
      .returning({ id: appeals.id });
    if (!done) throw new AppError('CONFLICT', '申诉已被他人处理，请刷新后重试');
    const affected = await affectedOf(tx, id);
    const ids = affected.map((a) => a.titleId);
    const history = ids.length
      ? await tx
          .select()
          .from(titleEvents)
          .where(and(inArray(titleEvents.titleId, ids), inArray(titleEvents.kind, ['suspended', 'revoked', 'stars_lowered', 'restored'])))
      : [];
    for (const a of affected) {
      await tx.insert(titleEvents).values({
        titleId: a.titleId,
        kind: upheld ? 'appeal_upheld' : 'appeal_dismissed',
        reason: upheld ? '申诉成立' : '申诉不成立，维持原处理决定',
        incidentId: id,
        appealId: appeal.a.id,
        actorId: user.id,
        on: day,
      });
      if (!upheld) continue;
      // restore only what this incident did: a later incident's change stands
      const own = history.find((e) => e.titleId === a.titleId && e.incidentId === id && e.kind !== 'restored');
      const later = history.some((e) => e.titleId === a.titleId && e.incidentId !== id && e.kind !== 'restored' && e.id > (own?.id ?? 0));
      const [now] = await tx.select().from(titles).where(eq(titles.id, a.titleId));
      if (!now || later) continue;
      const lowered = history.some((e) => e.titleId === a.titleId && e.incidentId === id && e.kind === 'stars_lowered');
      await tx
        .update(titles)
        .set({
          status: a.fromStatus as typeof now.status,
          stars: a.fromStars,
          level: lowered ? levelForStars(a.fromStars) : now.level,
          statusReason: a.fromStatus === 'valid' ? null : now.statusReason,
          statusSince: day,
          ...(now.status === 'revoked' && a.fromStatus !== 'revoked' ? { revokedAt: null, revokeReason: null } : {}),
        })
        .where(eq(titles.id, a.titleId));
      await tx.insert(titleEvents).values({
        titleId: a.titleId,
        kind: 'restored',
        fromStatus: now.status,
        toStatus: a.fromStatus,
        fromStars: now.stars,
        toStars: a.fromStars,
        reason: `申诉成立，撤销对${i.occurredOn}${typeLabel(i.type)}的处理，恢复处理前的状态`,
        incidentId: id,
        appealId: appeal.a.id,
        actorId: user.id,
        on: day,
      });
    }
    if (upheld && i.ineligibleYear !== null) await tx.update(incidents).set({ ineligibleYear: null }).where(eq(incidents.id, id));
    await notify(tx, await holderAccounts(tx, holders), {
      kind: 'appeal',
      title: `您对${i.occurredOn}${typeLabel(i.type)}处理的申诉${upheld ? '成立，称号已恢复' : '不成立，维持原处理决定'}`,
      body: `书面答复：${reply}`,
      link: `/incidents/${id}`,
    });
  });
  return getIncident(db, user, id);
}
