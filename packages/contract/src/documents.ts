import type { RouteContract } from './route.js';

/** 打印文书 Printed forms: one route() per endpoint. */
export const documentsApi = {} satisfies Record<string, RouteContract>;
