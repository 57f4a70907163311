import type { RouteContract } from './route.js';

/** 报备 Filings: one route() per endpoint. */
export const filingsApi = {} satisfies Record<string, RouteContract>;
