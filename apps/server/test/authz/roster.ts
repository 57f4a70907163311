import type { Rule } from '../authz-matrix.js';

/** 名册导入 Roster import: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {};
