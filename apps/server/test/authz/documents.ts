import type { Rule } from '../authz-matrix.js';

/** 打印文书 Printed forms: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {};
