import type { Rule } from '../authz-matrix.js';

/** 名册导入 Roster import: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {
  // an office manages the roster of its own region subtree
  rosterTemplate: { allow: ['safety_office'] },
  importRoster: {
    allow: ['safety_office'],
    check: 'refusable',
    why: 'the test uploads a file that is not a real workbook (the job starts, 202, and refuses it)',
  },
  getRosterImport: {
    allow: ['safety_office'],
    check: 'refusable',
    why: 'the id in the request is a rating job, not a roster import (404)',
  },
  rosterErrorReport: {
    allow: ['safety_office'],
    check: 'refusable',
    why: 'the id in the request is a rating job, not a roster import (404)',
  },
  listRoster: { allow: ['safety_office'] },
};
