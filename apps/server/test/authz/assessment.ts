import type { Rule } from '../authz-matrix.js';

/** 区域考评 Region assessment: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {
  // the 平安办 reads, computes and ranks its own subtree; another region's ids answer 404
  listRegionIndicators: { allow: ['safety_office'] },
  computeRegionIndicators: { allow: ['safety_office'] },
  recordRegionIndicator: { allow: ['safety_office'], note: 'enters a figure for the office’s own region' },
  listRegionRankings: { allow: ['safety_office'] },
  getRegionRanking: { allow: ['safety_office'], note: 'no ranking yet answers ranking: null with the default components' },
  computeRegionRanking: {
    allow: ['safety_office'],
    check: 'refusable',
    why: 'the demo may have published the year’s county ranking already (409)',
  },
  publishRegionRanking: {
    allow: ['safety_office'],
    check: 'refusable',
    why: 'there may be no draft for the year, or it is published already',
  },
  // the applicant of a region's draft, or the office in scope; the demo applicant's draft is a unit's
  fillIndicatorFigures: {
    allow: ['safety_office', 'applicant'],
    check: 'refusable',
    why: 'the demo applications are units’ (422) or not drafts (409)',
  },
};
