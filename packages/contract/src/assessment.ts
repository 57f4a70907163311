import type { RouteContract } from './route.js';

/** 区域考评 Region assessment: one route() per endpoint. */
export const assessmentApi = {} satisfies Record<string, RouteContract>;
