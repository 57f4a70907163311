import { describe, expect, it } from 'vitest';
import { autoReminderDue, filingState, isFilingLate, missingForFiling, planRequirements, type Phase } from '../src/index.js';

const phase = (id: string, end: string): Phase => ({ id, track: 't', name: id, end, when: `${end}前`, actor: 'a', text: `${id} text` });
const PLAN = {
  phases: [
    phase('brands_deploy', '03-20'),
    phase('brands_recommend', '11-30'),
    phase('domains_deploy', '03-31'),
    phase('domains_recommend', '11-30'),
    phase('departments_deploy', '03-31'),
    phase('departments_summary', '12-20'),
  ],
};

describe('filings (报备) rules', () => {
  it('a row written only by a reminder is still 未报; the stored status otherwise', () => {
    expect(filingState(null)).toBe('not_filed');
    expect(filingState({ status: 'draft', history: [{ action: 'reminded' }] })).toBe('not_filed');
    expect(filingState({ status: 'draft', history: [{ action: 'reminded' }, { action: 'created' }] })).toBe('draft');
    expect(filingState({ status: 'returned', history: [] })).toBe('returned');
  });

  it('late after the due date unless submitted or accepted; the due date itself is not late', () => {
    expect(isFilingLate('not_filed', '2026-03-20', '2026-03-20')).toBe(false);
    expect(isFilingLate('not_filed', '2026-03-20', '2026-03-21')).toBe(true);
    expect(isFilingLate('returned', '2026-03-20', '2026-03-21')).toBe(true);
    expect(isFilingLate('submitted', '2026-03-20', '2026-04-01')).toBe(false);
    expect(isFilingLate('accepted', '2026-03-20', '2026-04-01')).toBe(false);
  });

  it('reminds three days before and on the due date only', () => {
    expect(autoReminderDue('2026-03-20', '2026-03-17')).toBe(true);
    expect(autoReminderDue('2026-03-20', '2026-03-20')).toBe(true);
    expect(autoReminderDue('2026-03-20', '2026-03-18')).toBe(false);
    expect(autoReminderDue('2026-03-20', '2026-03-21')).toBe(false);
  });

  it('names what is missing per kind', () => {
    expect(missingForFiling('plan', { hasFile: false, sites: 0, summaryText: null })).toHaveLength(1);
    expect(missingForFiling('plan', { hasFile: true, sites: 0, summaryText: null })).toEqual([]);
    expect(missingForFiling('demo_sites', { hasFile: false, sites: 2, summaryText: null })).toEqual([]);
    expect(missingForFiling('summary', { hasFile: false, sites: 0, summaryText: '  ' })).toHaveLength(1);
    expect(missingForFiling('summary', { hasFile: false, sites: 0, summaryText: '总结' })).toEqual([]);
  });

  it('the plan gives eight requirements dated in the campaign’s year', () => {
    const r = planRequirements(PLAN, 2027);
    expect(r).toHaveLength(8);
    expect(new Set(r.map((x) => `${x.filers}.${x.kind}`)).size).toBe(8);
    expect(r.filter((x) => x.filers === 'county' && x.kind !== 'summary').every((x) => x.dueOn === '2027-03-20')).toBe(true);
    expect(r.find((x) => x.filers === 'department' && x.kind === 'summary')).toMatchObject({ dueOn: '2027-11-30' });
    expect(r.find((x) => x.filers === 'department' && x.kind === 'summary')!.text).toContain('12-20前');
    expect(() => planRequirements({ phases: PLAN.phases.slice(1) }, 2027)).toThrow(/brands_deploy/);
  });
});
