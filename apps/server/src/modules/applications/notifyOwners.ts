import { and, eq, inArray } from 'drizzle-orm';
import type { ChainStep } from '@pingan/core';
import { officeRegionFor } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { organisations, subjects, users } from '../../db/schema.js';
import type { OwnershipInfo } from '../../access/ownership.js';
import { notify } from '../notifications/service.js';
import type { AppRow } from './chain.js';

/** The accounts that own a step of an application: office or department staff, or assigned experts. */
export async function stepOwnerUserIds(db: Db | Tx, info: OwnershipInfo, step: ChainStep): Promise<number[]> {
  const o = step.owner;
  if (o.kind === 'experts') return [...info.ctx.assignedExperts];
  const orgs =
    o.kind === 'office'
      ? await (async () => {
          const region = officeRegionFor(o, info.ctx);
          if (region === null) return [];
          return db
            .select({ id: organisations.id })
            .from(organisations)
            .where(and(eq(organisations.regionId, region), eq(organisations.kind, 'safety_office')));
        })()
      : await db
          .select({ id: organisations.id })
          .from(organisations)
          .where(
            and(
              eq(organisations.regionId, info.ctx.campaignRegionId),
              eq(organisations.kind, 'department'),
              inArray(
                organisations.deptCode,
                o.kind === 'lead_department' ? [...info.ctx.leadDepts, '__none__'] : [...info.ctx.criteriaDepts, '__none__'],
              ),
            ),
          );
  if (!orgs.length) return [];
  const role = o.kind === 'office' ? 'safety_office' : o.kind === 'lead_department' ? 'lead_department' : null;
  const rows = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(
      and(
        inArray(
          users.orgId,
          orgs.map((x) => x.id),
        ),
        eq(users.disabled, false),
      ),
    );
  return rows
    .filter((r) => (role ? r.role === role : r.role === 'lead_department' || r.role === 'cooperating_department'))
    .map((r) => r.id);
}

export async function notifyStepOwners(db: Db | Tx, app: AppRow, info: OwnershipInfo, step: ChainStep): Promise<void> {
  if (step.kind === 'signoff') return; // the signoff module tells each department itself
  const ids = await stepOwnerUserIds(db, info, step);
  const [s] = await db.select({ name: subjects.name }).from(subjects).where(eq(subjects.id, app.subjectId));
  await notify(db, ids, {
    kind: 'assigned',
    title: `待办：「${step.name}」${s?.name ?? ''}`,
    body: step.deadline ? `请于${step.deadline}前完成` : null,
    link: `/applications/${app.id}`,
  });
}
