import type { Rule } from '../authz-matrix.js';

/** 打印文书 Printed forms: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {
  // the forms of an application: whoever sees the application (its detail's scope)
  applicationFormPdf: { allow: ['safety_office', 'lead_department', 'cooperating_department', 'expert', 'applicant'] },
  reviewFormPdf: { allow: ['safety_office', 'lead_department', 'cooperating_department', 'expert', 'applicant'] },
  // a region's yearly summary: an office, for a region of its subtree (regionId 1 is the demo city)
  regionSummaryPdf: { allow: ['safety_office'] },
};
