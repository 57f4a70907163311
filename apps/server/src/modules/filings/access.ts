import type { FilerKind } from '@pingan/core';
import type { CurrentUser } from '../../access/scope.js';
import { forbidden, notFound } from '../../errors.js';
import type { CampaignCtx, Filer } from './queries.js';

/**
 * Who may do what with a campaign's filings:
 *  - the campaign's office (the 平安办 of its region) manages: requirements, decisions, reminders;
 *  - offices above it read;
 *  - a filer (the office of a subregion at the requirement's level, or a department of the
 *    campaign's region) reads and writes its own filings only.
 * Anyone else: 404, as if nothing were there.
 */

const isOffice = (u: CurrentUser) => u.role === 'safety_office' && u.org?.kind === 'safety_office';
const isDepartment = (u: CurrentUser) =>
  (u.role === 'lead_department' || u.role === 'cooperating_department') && u.org?.kind === 'department';

export const managesCampaign = (u: CurrentUser, c: Pick<CampaignCtx, 'regionId'>) => isOffice(u) && u.org!.regionId === c.regionId;

export const overseesCampaign = (u: CurrentUser, c: Pick<CampaignCtx, 'regionPath'>) =>
  isOffice(u) && c.regionPath.startsWith(u.org!.regionPath);

/** The filer type the account's organisation is in this campaign, if any (its region's level known). */
export function filerKindIn(u: CurrentUser, c: Pick<CampaignCtx, 'regionId' | 'regionPath'>, orgLevel: string | null): FilerKind | null {
  if (isDepartment(u) && u.org!.regionId === c.regionId) return 'department';
  if (isOffice(u) && u.org!.regionId !== c.regionId && u.org!.regionPath.startsWith(c.regionPath)) {
    if (orgLevel === 'county' || orgLevel === 'town') return orgLevel;
  }
  return null;
}

/** The account acts for this filer (its own organisation, with a role that files for it). */
export const actsFor = (u: CurrentUser, filer: Pick<Filer, 'id' | 'kind'>) =>
  u.org?.id === filer.id && (filer.kind === 'department' ? isDepartment(u) : isOffice(u));

export function requireManager(u: CurrentUser, c: CampaignCtx, what = '创建活动') {
  if (!managesCampaign(u, c)) throw notFound(what);
}

/** Filings are the offices' and departments' work: anyone else is refused outright (403). */
export function requireFilingRole(u: CurrentUser): void {
  if (!(u.role === 'safety_office' || u.role === 'lead_department' || u.role === 'cooperating_department') || !u.org)
    throw forbidden('只有平安办和部门可以办理报备');
}
