import { and, eq, inArray, sql } from 'drizzle-orm';
import { addDays, autoReminderDue, isRealDate, type FilingEvent } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { campaigns, filingRequirements, filings } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { today } from '../../clock.js';
import { notify } from '../notifications/service.js';
import { managesCampaign, overseesCampaign } from './access.js';
import {
  campaignCtx,
  filerAccounts,
  requirementRow,
  requirementsOf,
  type CampaignCtx,
  type Filer,
  type RequirementRow,
} from './queries.js';
import { progressOf } from './requirements.js';

/**
 * 催报: the campaign's office reminds one filer or every late one; the reminder run reminds on its
 * own three days before a due date and on it. A filer is reminded at most once a platform day per
 * filing (the day is kept with the filing, and reminded_at records when); the filer's accounts get
 * an in-app notice and, through the outbox, a mail and an SMS.
 */

const done = (state: string) => state === 'submitted' || state === 'accepted';

/**
 * Reminds one filer of one requirement unless it was reminded on `day` already. The filing row is
 * created when there is none (it stays 未报 until the filer opens it). Answers whether a reminder was
 * recorded and how many accounts were told.
 */
export async function remindOne(
  db: Db,
  r: RequirementRow,
  c: CampaignCtx,
  filer: Filer,
  day: string,
  by: CurrentUser | null,
): Promise<{ recorded: boolean; notified: number }> {
  const e: FilingEvent = {
    at: new Date().toISOString(),
    action: 'reminded',
    by: by?.displayName ?? '系统自动提醒',
    org: by?.org?.name ?? c.officeName,
  };
  return db.transaction(async (tx) => {
    await tx
      .insert(filings)
      .values({ requirementId: r.id, orgId: filer.id, status: 'draft', content: { history: [] } })
      .onConflictDoNothing();
    // one statement decides: only a filing not yet reminded on `day` is marked, atomically
    const [row] = await tx
      .update(filings)
      .set({
        remindedAt: new Date(),
        content: sql`jsonb_set(jsonb_set(coalesce(${filings.content}, '{}'::jsonb), '{remindedOn}', to_jsonb(${day}::text)), '{history}',
          coalesce(${filings.content}->'history', '[]'::jsonb) || jsonb_build_array(${JSON.stringify(e)}::jsonb))`,
      })
      .where(
        and(
          eq(filings.requirementId, r.id),
          eq(filings.orgId, filer.id),
          sql`coalesce(${filings.content}->>'remindedOn', '') <> ${day}`,
          inArray(filings.status, ['draft', 'returned']),
        ),
      )
      .returning({ id: filings.id });
    if (!row) return { recorded: false, notified: 0 };
    const notified = await notify(tx, await filerAccounts(tx, filer.id, filer.kind), {
      kind: 'filing',
      title: `请按时报备：${r.title}（截止 ${r.dueOn}${day > r.dueOn ? '，已逾期' : day === r.dueOn ? '，今天到期' : ''}）`,
      body: `${c.officeName}提醒：请于${r.dueOn}前报送「${r.title}」（${c.name}）。`,
      link: `/filings/${row.id}`,
      dedupeKey: `filing:remind:${row.id}:${day}`,
    });
    return { recorded: true, notified };
  });
}

async function managed(db: Db, user: CurrentUser, campaignId: number) {
  const c = await campaignCtx(db, campaignId);
  if (!c || !overseesCampaign(user, c)) throw notFound('创建活动');
  if (!managesCampaign(user, c)) throw new AppError('FORBIDDEN', '只有创建活动的平安办可以催报');
  if (c.status !== 'active') throw new AppError('WRONG_STATUS', '创建活动已撤回');
  return c;
}

/** The office reminds one filer: refused when it has filed, or was reminded today already. */
export async function remindFiler(db: Db, user: CurrentUser, requirementId: number, orgId: number) {
  const r = await requirementRow(db, requirementId);
  const c0 = r ? await campaignCtx(db, r.campaignId) : null;
  if (!r || !c0 || !overseesCampaign(user, c0)) throw notFound('报备要求');
  const c = await managed(db, user, c0.id);
  const { cells } = await progressOf(db, c, [r]);
  const cell = cells.get(r.id)!.find((x) => x.filer.id === orgId);
  if (!cell) throw notFound('报备单位');
  if (done(cell.state)) throw new AppError('WRONG_STATUS', `${cell.filer.name}已报送，无需催报`);
  const res = await remindOne(db, r, c, cell.filer, today(), user);
  if (!res.recorded) throw new AppError('WRONG_STATUS', `今天已提醒过${cell.filer.name}，每份报备每天至多提醒一次`);
  return { reminded: 1, skipped: 0 };
}

/** The office reminds every late filer of the campaign; those reminded today are skipped. */
export async function remindLate(db: Db, user: CurrentUser, campaignId: number) {
  const c = await managed(db, user, campaignId);
  const reqs = await requirementsOf(db, c.id);
  const { cells } = await progressOf(db, c, reqs);
  const day = today();
  let reminded = 0;
  let skipped = 0;
  for (const r of reqs)
    for (const cell of cells.get(r.id)!.filter((x) => x.late)) {
      const res = await remindOne(db, r, c, cell.filer, day, user);
      if (res.recorded) reminded++;
      else skipped++;
    }
  return { reminded, skipped };
}

/**
 * Automatic reminders for `day` (YYYY-MM-DD, the platform's day): every filer that has not
 * submitted a filing due in three days or today. Answers how many accounts were told. Called by
 * the notifications' reminder run.
 */
export async function sendFilingReminders(db: Db, day: string): Promise<number> {
  if (!isRealDate(day)) throw new Error(`not a date: ${day}`);
  const due = await db
    .select({ id: filingRequirements.id, campaignId: filingRequirements.campaignId, dueOn: filingRequirements.dueOn })
    .from(filingRequirements)
    .innerJoin(campaigns, eq(campaigns.id, filingRequirements.campaignId))
    .where(and(eq(campaigns.status, 'active'), inArray(filingRequirements.dueOn, [day, addDays(day, 3)])));
  let notified = 0;
  for (const campaignId of new Set(due.map((d) => d.campaignId))) {
    const c = (await campaignCtx(db, campaignId))!;
    const reqs = (await requirementsOf(db, campaignId)).filter((r) => autoReminderDue(r.dueOn, day));
    const { cells } = await progressOf(db, c, reqs, day);
    for (const r of reqs)
      for (const cell of cells.get(r.id)!.filter((x) => !done(x.state)))
        notified += (await remindOne(db, r, c, cell.filer, day, null)).notified;
  }
  return notified;
}
