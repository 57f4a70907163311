import * as contract from '@pingan/contract';
import { summaryZh, type RouteContract } from '@pingan/contract';

/**
 * The contract's route table, built once from every `*Api` object @pingan/contract exports: the
 * audit trail names an action by its route id and its object by the route's area (its first tag).
 */
export interface RouteTable {
  /** `${METHOD} ${path}` (the path as registered, e.g. /api/files/:id) → contract */
  byRoute: Map<string, RouteContract>;
  byId: Map<string, RouteContract>;
}

let table: RouteTable | undefined;

export function routeTable(): RouteTable {
  if (table) return table;
  const byRoute = new Map<string, RouteContract>();
  const byId = new Map<string, RouteContract>();
  for (const [name, group] of Object.entries(contract)) {
    if (!name.endsWith('Api') || !group || typeof group !== 'object') continue;
    for (const c of Object.values(group as Record<string, unknown>)) {
      if (!isRoute(c)) continue;
      byRoute.set(routeKey(c.method, c.path), c);
      byId.set(c.id, c);
    }
  }
  table = { byRoute, byId };
  return table;
}

export const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

function isRoute(c: unknown): c is RouteContract {
  const r = c as Partial<RouteContract> | null;
  return !!r && typeof r === 'object' && typeof r.id === 'string' && typeof r.method === 'string' && typeof r.path === 'string';
}

/** An action as a person reads it: the route's Chinese summary, or the action itself. */
export function actionLabel(action: string): string {
  const c = routeTable().byId.get(action);
  return c ? summaryZh(c.summary) : action;
}
