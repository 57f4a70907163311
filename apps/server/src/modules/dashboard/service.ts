import { isStaff } from '@pingan/core';
import type { Db } from '../../db/client.js';
import type { CurrentUser } from '../../access/scope.js';
import { forbidden } from '../../errors.js';
import { applicationsByCategory, byStatusOf, subjectsByKind, titlesByStars } from './queries.js';

/** GET /api/dashboard: figures for the account's own region (and, for a department, its categories). */
export async function dashboard(db: Db, user: CurrentUser) {
  if (!isStaff(user.role) || !user.org) throw forbidden('统计仅对工作人员开放');
  const [units, byStars, byCategory] = await Promise.all([
    subjectsByKind(db, user.org.regionPath),
    titlesByStars(db, user),
    applicationsByCategory(db, user),
  ]);
  return {
    region: { id: user.org.regionId, name: user.org.regionName },
    categoryCodes: user.scope.categoryCodes,
    subjects: Object.fromEntries(units.map((u) => [u.kind, u.n])),
    applicationsByStatus: byStatusOf(byCategory),
    titlesByStars: Object.fromEntries(byStars.map((s) => [String(s.stars), s.n])),
    byCategory,
  };
}
