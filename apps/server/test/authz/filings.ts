import type { Rule } from '../authz-matrix.js';

/** 报备 Filings: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
const FILERS_AND_OFFICES = ['safety_office', 'lead_department', 'cooperating_department'] as const;
const OWN_FILING = {
  roles: ['lead_department', 'cooperating_department'],
  why: 'the demo filing (青山区’s plan) is not the department’s own: 404',
} as const;

export const RULES: Record<string, Rule> = {
  listFilingCampaigns: { allow: FILERS_AND_OFFICES },
  listMyFilings: { allow: FILERS_AND_OFFICES, note: 'an office that files nothing gets an empty list' },
  // the campaign's office (and the offices above it) manage; a department gets 404
  listFilingRequirements: { allow: ['safety_office'] },
  createFilingRequirement: { allow: ['safety_office'] },
  createFilingRequirementsFromPlan: { allow: ['safety_office'], note: 'requirements already there are kept' },
  updateFilingRequirement: { allow: ['safety_office'], check: 'refusable', why: 'the demo requirement has filings submitted: 409' },
  deleteFilingRequirement: { allow: ['safety_office'], check: 'refusable', why: 'the demo requirement has filings submitted: 409' },
  remindFiler: { allow: ['safety_office'], check: 'refusable', why: 'the generated orgId is not a filer of the requirement' },
  remindLateFilers: { allow: ['safety_office'] },
  getFilingMatrix: { allow: ['safety_office'] },
  acceptFiling: { allow: ['safety_office'], check: 'refusable', why: 'the demo filing was accepted already: 409' },
  returnFiling: { allow: ['safety_office'], check: 'refusable', why: 'the demo filing was accepted already: 409' },
  // a filing: the overseeing offices read it, the filer's own accounts read and write it
  getFiling: { allow: FILERS_AND_OFFICES, refusableFor: OWN_FILING },
  downloadFilingFile: { allow: FILERS_AND_OFFICES, refusableFor: OWN_FILING },
  searchFilingSites: { allow: FILERS_AND_OFFICES, refusableFor: OWN_FILING },
  openFiling: { allow: FILERS_AND_OFFICES, check: 'refusable', why: 'the generated requirement is not one the account files against' },
  saveFiling: { allow: FILERS_AND_OFFICES, check: 'refusable', why: 'the demo filing is accepted (locked) or not the account’s own' },
  uploadFilingFile: { allow: FILERS_AND_OFFICES, check: 'refusable', why: 'the demo filing is accepted (locked) or not the account’s own' },
  submitFiling: { allow: FILERS_AND_OFFICES, check: 'refusable', why: 'the demo filing is accepted (locked) or not the account’s own' },
};
