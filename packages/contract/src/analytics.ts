import type { RouteContract } from './route.js';

/** 数据分析 Analytics: one route() per endpoint. */
export const analyticsApi = {} satisfies Record<string, RouteContract>;
