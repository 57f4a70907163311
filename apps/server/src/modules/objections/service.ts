import { and, eq, sql } from 'drizzle-orm';
import { levelForStars, maskName, maskPhone } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applicationEvents, applications } from '../../db/schema.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import type { Keys } from '../../crypto/keys.js';
import { decrypt } from '../../crypto/pii.js';
import type { ClientInfo } from '../../http/client.js';
import { iso } from '../../http/contract.js';
import { cellTime, type Column, type PageFn } from '../../http/xlsx.js';
import { recordAudit } from '../audit/service.js';
import { takeOffNotice } from '../notices/service.js';
import { objectionRoles } from './access.js';
import {
  OPEN_STATUSES,
  fileById,
  filesOf,
  objectionDetailRow,
  objectionRows,
  updateObjection,
  type ObjectionFilter,
  type ObjectionStatus,
} from './queries.js';

/**
 * 异议办理 for staff: the candidate's lead department and the office that owns the notice see an
 * objection and record what they found; the office decides — upheld (the candidate withdrawn from
 * the notice, or its stars lowered) or dismissed — always with a written reply for the objector.
 * Anyone else gets 404, as if the objection did not exist.
 */

const STAFF_ROLES = ['safety_office', 'lead_department'] as const;

function requireHandlerRole(user: CurrentUser): void {
  if (!(STAFF_ROLES as readonly string[]).includes(user.role)) throw forbidden('只有平安办和牵头部门可以办理异议');
}

/** The objection, if the account is its lead department or the owning office; otherwise 404. */
async function loadVisible(db: Db, user: CurrentUser, id: number) {
  const r = await objectionDetailRow(db, id);
  if (!r) throw notFound('异议');
  const roles = await objectionRoles(db, user, r.app);
  if (!roles.office && !roles.lead) throw notFound('异议');
  return { ...r, roles };
}

export async function listObjections(db: Db, user: CurrentUser, f: ObjectionFilter) {
  requireHandlerRole(user);
  const r = await objectionRows(db, user, { ...f, q: f.q?.trim() || null });
  return { total: r.total, items: r.items.map((i) => ({ ...i, createdAt: iso(i.createdAt), decidedAt: iso(i.decidedAt) })) };
}

const STATUS_ZH: Record<ObjectionStatus, string> = {
  open: '待办理',
  investigating: '调查核实中',
  upheld: '异议成立',
  dismissed: '异议不成立',
};
const OUTCOME_ZH = { withdrawn: '撤回公示对象', stars_lowered: '降低星级' } as const;

/** The worklist as Excel: the same rows, no objector's name or phone. */
type ObjectionRow = Awaited<ReturnType<typeof listObjections>>['items'][number];

/** ?format=xlsx: every objection the list shows with the same filters, streamed (http/xlsx.ts). */
export function objectionsExport(db: Db, user: CurrentUser, f: Omit<ObjectionFilter, 'limit' | 'offset'>) {
  const fetch: PageFn<ObjectionRow> = async (offset, limit) => (await listObjections(db, user, { ...f, limit, offset })).items;
  const columns: Column<ObjectionRow>[] = [
    { header: '编号', width: 8, value: (i) => i.id },
    { header: '公示', width: 40, value: (i) => i.noticeTitle },
    { header: '公示对象', width: 28, value: (i) => i.subjectName },
    { header: '所在区域', width: 14, value: (i) => i.regionName },
    { header: '类别', width: 14, value: (i) => i.categoryName },
    { header: '方式', width: 8, value: (i) => (i.anonymous ? '匿名' : '实名') },
    { header: '状态', width: 12, value: (i) => STATUS_ZH[i.status] },
    { header: '处理结果', width: 14, value: (i) => (i.outcome ? OUTCOME_ZH[i.outcome] : '') },
    { header: '证据文件', width: 10, value: (i) => i.files },
    { header: '提出时间', width: 20, value: (i) => cellTime(i.createdAt) },
    { header: '办结时间', width: 20, value: (i) => cellTime(i.decidedAt) },
  ];
  return { columns, fetch };
}

const isOpen = (s: ObjectionStatus) => OPEN_STATUSES.includes(s);

export async function getObjection(db: Db, keys: Keys, user: CurrentUser, id: number) {
  const r = await loadVisible(db, user, id);
  const files = await filesOf(db, id);
  const open = isOpen(r.o.status);
  return {
    id: r.o.id,
    receipt: r.o.publicCode,
    noticeId: r.notice.id,
    noticeTitle: r.notice.title,
    noticeStartsOn: r.notice.startsOn,
    noticeEndsOn: r.notice.endsOn,
    applicationId: r.app.id,
    applicationStatus: r.app.status,
    subjectName: r.subjectName,
    regionName: r.regionName,
    categoryName: r.categoryName,
    stars: r.scheme === 'title' ? null : r.app.stars,
    anonymous: r.o.anonymous,
    objectorName: r.o.objectorName ? maskName(decrypt(keys, r.o.objectorName), 'individual') : null,
    objectorPhone: r.o.objectorPhone ? maskPhone(decrypt(keys, r.o.objectorPhone)) : null,
    text: r.o.text,
    findings: r.o.findings,
    status: r.o.status,
    outcome: r.o.outcome,
    reply: r.o.reply,
    decidedByName: r.decidedByName,
    decidedAt: iso(r.o.decidedAt),
    createdAt: iso(r.o.createdAt),
    revision: r.o.revision,
    files: files.map((f) => ({
      id: f.id,
      fileName: f.fileName,
      mime: f.mime,
      size: f.size,
      sha256: f.sha256,
      createdAt: iso(f.createdAt),
    })),
    canInvestigate: open,
    canDecide: open && r.roles.office,
    canRevealContact: !r.o.anonymous,
  };
}

function assertRevision(current: number, given: number | null | undefined): void {
  if (given != null && given !== current) throw new AppError('CONFLICT', '异议已被他人更新，请刷新后重试');
}

/** The lead department or the office records what its investigation found: the objection is then 调查核实中. */
export async function recordFindings(db: Db, user: CurrentUser, id: number, input: { findings: string; revision?: number | null }) {
  const r = await loadVisible(db, user, id);
  if (!isOpen(r.o.status)) throw new AppError('WRONG_STATUS', '异议已办结，不能再修改调查核实情况');
  assertRevision(r.o.revision, input.revision);
  const stamp = `【${user.org?.name ?? user.displayName} ${new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })}】`;
  const findings = [r.o.findings, `${stamp}${input.findings}`].filter(Boolean).join('\n');
  if (findings.length > 20_000) throw new AppError('VALIDATION', '调查核实情况过长');
  const done = await updateObjection(db, id, r.o.revision, OPEN_STATUSES, { findings, status: 'investigating' });
  if (!done) throw new AppError('CONFLICT', '异议已被他人更新，请刷新后重试');
  return { id, status: done.status, revision: done.revision };
}

export interface DecisionInput {
  decision: 'upheld' | 'dismissed';
  outcome?: 'withdrawn' | 'stars_lowered' | null;
  lowerBy?: number | null;
  findings?: string | null;
  reply: string;
  revision?: number | null;
}

/**
 * The owning office decides, with a written reply (书面答复). Upheld: the candidate is taken off the
 * notice (撤回, as removeNoticeItem does) or its stars are lowered by `lowerBy` (never below 1),
 * recorded on the application's history. Dismissed: the candidate stays. One transaction.
 */
export async function decideObjection(db: Db, user: CurrentUser, id: number, input: DecisionInput) {
  const r = await loadVisible(db, user, id);
  if (!r.roles.office) throw forbidden('只有公示所属的平安办可以作出异议处理决定');
  if (!isOpen(r.o.status)) throw new AppError('WRONG_STATUS', '异议已办结');
  assertRevision(r.o.revision, input.revision);
  const reply = input.reply.trim();
  if (!reply) throw new AppError('REASON_REQUIRED', '须填写书面答复');
  const outcome = input.decision === 'upheld' ? (input.outcome ?? null) : null;
  if (input.decision === 'upheld' && !outcome) throw new AppError('VALIDATION', '异议成立时须选择处理结果：撤回公示对象或降低星级');
  const findings = input.findings?.trim() ? [r.o.findings, input.findings.trim()].filter(Boolean).join('\n') : r.o.findings;

  const onNotice = r.notice.status === 'active' && r.app.status === 'in_notice';
  let stars: number | null = r.scheme === 'title' ? null : r.app.stars;
  let lowered: { from: number; to: number } | null = null;
  if (outcome) {
    if (!onNotice) throw new AppError('WRONG_STATUS', '该对象已不在公示中（可能已撤回或公示已撤销），只能作出异议不成立的决定');
    if (outcome === 'stars_lowered') {
      if (r.scheme === 'title') throw new AppError('RULE_BROKEN', '该类别按“是否达标”命名，不评星级，不能降低星级');
      const by = input.lowerBy ?? null;
      if (!by) throw new AppError('VALIDATION', '降低星级须选择降低几星');
      if (!stars || stars - by < 1) throw new AppError('RULE_BROKEN', `星级降低后不能低于1星（现为${stars ?? 0}星）`);
      lowered = { from: stars, to: stars - by };
      stars = lowered.to;
    }
  }

  return db.transaction(async (tx) => {
    const done = await updateObjection(tx, id, r.o.revision, OPEN_STATUSES, {
      status: input.decision,
      outcome,
      reply,
      findings,
      decidedBy: user.id,
      decidedAt: new Date(),
    });
    if (!done) throw new AppError('CONFLICT', '异议已被他人更新，请刷新后重试');
    const why = `异议成立（回执${r.o.publicCode}）：${reply}`.slice(0, 500);
    if (outcome === 'withdrawn') {
      await takeOffNotice(tx, user, r.notice, r.app, 'withdraw', why);
    } else if (lowered) {
      const changed = await tx
        .update(applications)
        .set({
          stars: lowered.to,
          rating: sql`case when ${applications.rating} is null then null else jsonb_set(jsonb_set(${applications.rating}, '{stars}', to_jsonb(${lowered.to}::int)), '{level}', to_jsonb(${levelForStars(lowered.to)}::text)) end`,
          updatedAt: new Date(),
          revision: sql`${applications.revision} + 1`,
        })
        .where(and(eq(applications.id, r.app.id), eq(applications.stars, lowered.from), eq(applications.status, 'in_notice')))
        .returning({ id: applications.id });
      if (!changed.length) throw new AppError('CONFLICT', '申报已被他人更新，请刷新后重试');
      await tx.insert(applicationEvents).values({
        applicationId: r.app.id,
        actorId: user.id,
        action: 'stars_lowered',
        fromStatus: r.app.status,
        toStatus: r.app.status,
        reason: `星级由${lowered.from}星降为${lowered.to}星。${why}`.slice(0, 1000),
      });
    }
    return { id, status: done.status, outcome: done.outcome, stars };
  });
}

/** The objector's name and phone in full: only to its handlers, and every look is in the audit trail (pii.view). */
export async function revealObjector(
  db: Db,
  keys: Keys,
  user: CurrentUser,
  id: number,
  client: ClientInfo | null,
  onRecorded?: () => void,
) {
  const audit = async (result: 'ok' | 'denied') => {
    await recordAudit(db, keys, {
      actor: { id: user.id, username: user.username, role: user.role },
      client,
      action: 'pii.view',
      objectType: 'objection',
      objectId: id,
      result,
      detail: { fields: ['objectorName', 'objectorPhone'] },
    });
    onRecorded?.();
  };
  let r: Awaited<ReturnType<typeof loadVisible>>;
  try {
    r = await loadVisible(db, user, id);
  } catch (e) {
    await audit('denied');
    throw e;
  }
  if (r.o.anonymous) throw new AppError('WRONG_STATUS', '匿名异议，没有联系方式');
  const out = {
    name: r.o.objectorName ? decrypt(keys, r.o.objectorName) : null,
    phone: r.o.objectorPhone ? decrypt(keys, r.o.objectorPhone) : null,
  };
  await audit('ok');
  return out;
}

/** An evidence file of an objection the account handles. */
export async function loadObjectionFile(db: Db, user: CurrentUser, fileId: number) {
  const f = await fileById(db, fileId);
  if (!f) throw notFound('文件');
  try {
    await loadVisible(db, user, f.objectionId);
  } catch {
    throw notFound('文件');
  }
  return f;
}
