import type { Rule } from '../authz-matrix.js';

/** 数据分析 Analytics: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {
  // dashboards: offices and departments, each within its scope (the default region is the account's own)
  analyticsDrilldown: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  analyticsUnits: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  analyticsUnitHistory: {
    allow: ['safety_office', 'lead_department', 'cooperating_department'],
    refusableFor: {
      roles: ['cooperating_department'],
      why: 'the test sends subject 1 (a school): the police see a unit only when it applied in a category they cooperate on',
    },
  },
  analyticsCategoryYears: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  analyticsTrends: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  analyticsRanking: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  analyticsSurveys: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  analyticsRegionYears: { allow: ['safety_office', 'lead_department', 'cooperating_department'] },
  // 沿用上年申报: the applicant that owns the subject; the marks: whoever sees the application
  carryForwardOptions: { allow: ['applicant'] },
  carryForward: {
    allow: ['applicant'],
    check: 'refusable',
    why: 'the test carries the applicant’s own draft into the same year’s campaign, which is refused',
  },
  carryForwardMarks: { allow: ['safety_office', 'lead_department', 'cooperating_department', 'expert', 'applicant'] },
};
