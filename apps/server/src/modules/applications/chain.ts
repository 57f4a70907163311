import { and, eq, sql } from 'drizzle-orm';
import type { ChainStep } from '@pingan/core';
import { afterStep } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { applicationEvents, applications } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { OwnershipInfo } from '../../access/ownership.js';
import { openSignoffs } from '../signoffs/service.js';
import { notifyStepOwners } from './notifyOwners.js';

/**
 * Moving an application along its campaign's chain. `advanceFromStep` is the only writer of
 * `applications.step`; it records the event and opens what the next step needs (会签 rows,
 * notifications to its owners).
 */

export type AppRow = typeof applications.$inferSelect;

/** Puts a freshly submitted (or recommended) application at the chain's first step. */
export async function enterChain(tx: Db | Tx, app: AppRow, info: OwnershipInfo): Promise<void> {
  const first = info.chain.steps[0]!;
  await tx.update(applications).set({ step: first.key }).where(eq(applications.id, app.id));
  await enterStep(tx, { ...app, step: first.key }, info, first);
}

/** What a step needs when an application arrives at it. */
export async function enterStep(tx: Db | Tx, app: AppRow, info: OwnershipInfo, step: ChainStep): Promise<void> {
  if (step.kind === 'signoff') await openSignoffs(tx, app, info, step);
  await notifyStepOwners(tx, app, info, step);
}

/**
 * Passes the current step: on to the next step, or to `evaluated` after the last one. The caller
 * has checked that the account owns the step and that everything the step owns is judged.
 */
export async function advanceFromStep(
  tx: Db | Tx,
  actorId: number | null,
  app: AppRow,
  info: OwnershipInfo,
  reason?: string | null,
): Promise<{ status: AppRow['status']; step: string | null }> {
  const step = info.step;
  if (!step) throw new AppError('WRONG_STATUS', '申报当前不在评审流程中');
  const next = afterStep(info.chain, step.key);
  const done = await tx
    .update(applications)
    .set({ status: next.status, step: next.step, updatedAt: new Date(), revision: sql`${applications.revision} + 1` })
    .where(and(eq(applications.id, app.id), eq(applications.status, app.status)))
    .returning({ id: applications.id });
  if (!done.length) throw new AppError('CONFLICT', '申报状态已被他人更新，请刷新后重试');
  await tx.insert(applicationEvents).values({
    applicationId: app.id,
    actorId,
    action: `pass:${step.key}`,
    fromStatus: app.status,
    toStatus: next.status,
    reason: reason?.trim() || `「${step.name}」通过`,
  });
  const nextStep = next.step ? info.chain.steps.find((s) => s.key === next.step)! : null;
  if (nextStep) await enterStep(tx, { ...app, status: next.status, step: next.step }, { ...info, step: nextStep }, nextStep);
  return next;
}
