import type { ChainStep } from '@pingan/core';
import { ownsStep } from '@pingan/core';
import { inTurn, type Db, type Tx } from '../../db/client.js';
import { actorOf, isCampaignOffice, loadOwnership, type OwnershipInfo } from '../../access/ownership.js';
import type { CurrentUser } from '../../access/scope.js';
import { stepOwnerUserIds } from '../applications/notifyOwners.js';

/**
 * Who handles an objection: the candidate's lead department (the campaign region's department
 * leading the category, or supervising the unit) investigates; the office that owns the notice
 * (the campaign's own 平安办) investigates and decides. Both are asked through the one ownership
 * rule (core ownsStep / ownsCampaign) with the steps below, which exist only for this question.
 */
const LEAD_STEP: ChainStep = {
  key: 'objection_lead',
  kind: 'review',
  phase: 'evaluation',
  name: '异议调查核实',
  owner: { kind: 'lead_department' },
  deadline: null,
};
const OFFICE_STEP: ChainStep = {
  key: 'objection_office',
  kind: 'review',
  phase: 'evaluation',
  name: '异议处理决定',
  owner: { kind: 'office', level: 'campaign' },
  deadline: null,
};

type AppForOwnership = Parameters<typeof loadOwnership>[1];

export interface ObjectionRoles {
  info: OwnershipInfo;
  /** the office that owns the notice: investigates and decides */
  office: boolean;
  /** the candidate's lead department: investigates */
  lead: boolean;
}

export async function objectionRoles(db: Db | Tx, user: CurrentUser, app: AppForOwnership): Promise<ObjectionRoles> {
  const info = await loadOwnership(db, app);
  return { info, office: isCampaignOffice(user, info), lead: ownsStep(actorOf(user), LEAD_STEP, info.ctx) };
}

/** The accounts told of a new objection: the lead department's and the owning office's staff. */
export async function objectionHandlerUserIds(db: Db | Tx, app: AppForOwnership): Promise<number[]> {
  const info = await loadOwnership(db, app);
  const [lead, office] = await inTurn(
    () => stepOwnerUserIds(db, info, LEAD_STEP),
    () => stepOwnerUserIds(db, info, OFFICE_STEP),
  );
  return [...new Set([...lead, ...office])];
}
