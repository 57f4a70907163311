import type { RouteContract } from './route.js';

/** 名册导入 Roster import: one route() per endpoint. */
export const rosterApi = {} satisfies Record<string, RouteContract>;
