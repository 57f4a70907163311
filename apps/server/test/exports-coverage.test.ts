import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as contract from '@pingan/contract';
import type { RouteContract } from '@pingan/contract';

/**
 * Every list a clerk uses downloads as Excel at its own URL with ?format=xlsx (issue 8). A staff
 * GET route that answers a list (an array, or an object holding `items` or `rows`) must declare
 * `xlsx: true`, unless it is named below with the reason it is not a clerk's list. A new list
 * route without an export fails here.
 */

const NOT_A_CLERKS_LIST: Record<string, string> = {
  listRevisions: "one application's submitted revisions, read on its page",
  listNotifications: "the account's own inbox",
  searchExpertSubjects: 'a picker: searching units to name an expert’s conflicts',
  listMyOnsiteAssignments: "an expert's own worklist on a phone",
  listRectifications: "one application's 整改 items, on its page",
  getInspectionSample: 'one sample: its results export as the year’s inspection results',
  listMySessions: "the account's own sign-ins",
  listRegions: 'the region tree for pickers; the roster exports it',
  diffStandardVersions: 'a comparison of two versions, shown side by side',
  listChainPresets: 'the fixed review-chain presets',
  listCategories: 'the category picker',
  getNotice: 'one notice and its names, on its page',
  listNoticeCandidates: 'a picker of applications to put on a notice',
  listCertificateBatches: 'print jobs and their files',
  adminListRegions: 'the region picker of the administrator',
  adminListSubjects: 'a picker: the subject an applicant account belongs to',
  adminListUsers: 'exported by its own route, adminExportUsers',
  listAudit: 'exported by its own route, exportAudit',
  listVoteCandidates: 'a picker of applications to put to a vote',
  listVoteBallots: 'ballots under review; the tally exports with the vote',
  listIncidentTargets: 'a picker of units and regions to report an incident against',
  getCampaignAssignments: "one campaign's assignment board",
  listInspectionSamples: 'samples of a year; their results export as the year’s inspection results',
  listStandards: 'the standards library; each version exports as Excel by its own route',
  listSurveyTemplates: 'the fixed questionnaire templates',
  listSurveyUnitOptions: 'a picker: the unit and measure a unit survey fills',
  proposeSurveyTargets: 'a proposed sampling plan shown in its editor; the plan exports as the progress table',
  listFilingCampaigns: 'a picker of campaigns with a filing desk',
  listFilingRequirements: "one campaign's requirements, edited on its page; they export as the filing matrix",
  listMyFilings: "a filer's own handful of filings",
  searchFilingSites: 'a picker of units to name as 示范点',
};

function isList(schema: z.ZodType | undefined): boolean {
  const def = (schema as unknown as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })?._zod?.def;
  if (!def) return false;
  if (def.type === 'array') return true;
  return !!def.shape && ('items' in def.shape || 'rows' in def.shape);
}

const routes: RouteContract[] = Object.entries(contract)
  .filter(([name, v]) => name.endsWith('Api') && v && typeof v === 'object')
  .flatMap(([, v]) => Object.values(v as Record<string, RouteContract>));

describe('every list a clerk uses exports to Excel', () => {
  const lists = routes.filter((r) => r.method === 'GET' && r.auth === 'session' && (!r.file || r.xlsx) && isList(r.response as z.ZodType));

  it('finds the lists (the check looks at something)', () => {
    expect(lists.length).toBeGreaterThan(20);
    expect(lists.map((r) => r.id)).toContain('listApplications');
  });

  it('gives each one ?format=xlsx, or names why it is not a clerk’s list', () => {
    const missing = lists.filter((r) => !r.xlsx && !NOT_A_CLERKS_LIST[r.id]).map((r) => `${r.id} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('takes format in the query of every route that says it exports', () => {
    for (const r of routes.filter((x) => x.xlsx)) {
      const shape = (r.query as unknown as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      expect(shape && 'format' in shape, r.id).toBe(true);
    }
  });

  it('keeps the exemptions to routes that exist and do not export', () => {
    const ids = new Map(routes.map((r) => [r.id, r]));
    for (const id of Object.keys(NOT_A_CLERKS_LIST)) {
      expect(ids.has(id), id).toBe(true);
      expect(ids.get(id)!.xlsx, id).toBeFalsy();
    }
  });
});
