import type { RouteContract } from './route.js';

/** 问卷调查 Surveys: one route() per endpoint. */
export const surveysApi = {} satisfies Record<string, RouteContract>;
