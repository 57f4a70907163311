import type { Rule } from '../authz-matrix.js';

/** 问卷调查 Surveys: the authorisation rules of its routes, spread into AUTHZ_MATRIX. Role lists are literal (no runtime import of authz-matrix.ts). */
export const RULES: Record<string, Rule> = {
  // reading: the safety office and the lead department of the survey's region (404 outside it)
  listSurveys: { allow: ['safety_office', 'lead_department'] },
  listSurveyTemplates: { allow: ['safety_office', 'lead_department'] },
  getSurvey: { allow: ['safety_office', 'lead_department'] },
  proposeSurveyTargets: { allow: ['safety_office', 'lead_department'] },
  getSurveyProgress: { allow: ['safety_office', 'lead_department'] },
  getSurveyResults: { allow: ['safety_office', 'lead_department'] },
  // acting: only the office that made the survey
  listSurveyUnitOptions: { allow: ['safety_office'] },
  createSurvey: refusable('generated survey data (a measure that no standard has, a year without campaigns)'),
  updateSurvey: refusable('the demo survey is open: only a draft is edited (409)'),
  saveSurveyTargets: refusable('generated targets name regions outside the survey'),
  openSurvey: refusable('the demo survey is already open (409)'),
  closeSurvey: { allow: ['safety_office'], check: 'refusable', why: 'closes the demo survey, or 409 once closed' },
  createSurveyInvitations: refusable('the demo survey is answered by phone: no invitation codes (400)'),
  applySurveyResults: { allow: ['safety_office'] },
  surveyImportTemplate: { allow: ['safety_office'] },
  importSurveyResponses: refusable('the test uploads a file that is not a real workbook'),
  // the public: by public code only
  listPublicSurveys: { allow: 'public' },
  getPublicSurvey: { allow: 'public' },
  answerSurvey: { allow: 'public', check: 'refusable', why: 'no SMS code was ever sent to the number' },
};

function refusable(why: string): Rule {
  return { allow: ['safety_office'], check: 'refusable', why };
}
