import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTIONS,
  APPLICATION_STATUSES,
  ROLES,
  allowedActions,
  awardYearLine,
  missingForSubmission,
  nextStatus,
  smallNumberInChinese,
  yearInChinese,
  applicationInScope,
} from '../src/index.js';
import { sample } from './fixtures.js';

describe('workflow', () => {
  it('walks the life of a title', () => {
    const path = [
      ['draft', 'submit', 'applicant', 'submitted'],
      ['submitted', 'preliminary_pass', 'lead_department', 'preliminary_passed'],
      ['preliminary_passed', 'evaluate', 'safety_office', 'evaluated'],
      ['evaluated', 'publish', 'safety_office', 'in_notice'],
      ['in_notice', 'confer', 'safety_office', 'conferred'],
    ] as const;
    for (const [from, action, role, to] of path) expect(nextStatus(from, action, role)).toEqual({ ok: true, to });
  });

  it('refuses the wrong role, the wrong status and a return without reason, in Chinese', () => {
    expect(nextStatus('submitted', 'evaluate', 'applicant')).toMatchObject({ ok: false, code: 'WRONG_ROLE' });
    expect(nextStatus('draft', 'preliminary_pass', 'lead_department')).toMatchObject({ ok: false, code: 'WRONG_STATUS' });
    const r = nextStatus('submitted', 'return', 'lead_department', '  ');
    expect(r).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(!r.ok && r.message).toContain('理由');
  });

  it('property: allowedActions lists exactly the actions nextStatus accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...APPLICATION_STATUSES), fc.constantFrom(...ROLES), (status, role) => {
        const allowed = allowedActions(status, role);
        for (const a of ACTIONS) expect(nextStatus(status, a, role, 'reason').ok).toBe(allowed.includes(a));
      }),
    );
  });

  it('conferred and rejected are final', () => {
    for (const role of ROLES) {
      expect(allowedActions('conferred', role)).toEqual([]);
      expect(allowedActions('rejected', role)).toEqual([]);
    }
  });
});

describe('numerals', () => {
  it('writes plaque years digit by digit', () => {
    expect(yearInChinese(2020)).toBe('二〇二〇');
    expect(awardYearLine(2026)).toBe('被评为二〇二六年度');
    expect(smallNumberInChinese(4)).toBe('四');
    expect(smallNumberInChinese(11)).toBe('十一');
    expect(smallNumberInChinese(20)).toBe('二十');
  });
});

describe('completeness', () => {
  it('names every missing field, figure and previous-year figure', () => {
    const doc = sample();
    const missing = missingForSubmission(
      doc,
      { content: '申报', plan: '', contactName: '张三', contactPhone: null },
      [{ criterionId: '4', statement: '无', figures: { mass_petitions: { value: 0 }, beijing_petitions: { value: 3 } } }],
      {},
    );
    const messages = missing.map((m) => m.message);
    expect(messages).toContain('申报表「平安创建活动计划」未填写');
    expect(messages).toContain('申报表「联系电话」未填写');
    expect(messages).toContain('第1项：未填写自评说明');
    expect(messages.some((m) => m.startsWith('第3项：未填报「满意率」'))).toBe(true);
    expect(messages).toContain('第4项：未填报「进京上访」上年数');
    expect(messages.some((m) => m.startsWith('第4项：未填写'))).toBe(false);
  });
});

describe('scope', () => {
  it('staff see their subtree and categories; applicants only their own subject', () => {
    const app = { regionPath: '/1/2/5/', categoryCode: 'campus', subjectId: 9 };
    expect(applicationInScope({ role: 'safety_office', regionPath: '/1/', categoryCodes: null, subjectId: null }, app)).toBe(true);
    expect(applicationInScope({ role: 'safety_office', regionPath: '/1/3/', categoryCodes: null, subjectId: null }, app)).toBe(false);
    expect(applicationInScope({ role: 'lead_department', regionPath: '/1/', categoryCodes: ['hospital'], subjectId: null }, app)).toBe(
      false,
    );
    expect(applicationInScope({ role: 'applicant', regionPath: null, categoryCodes: null, subjectId: 9 }, app)).toBe(true);
    expect(applicationInScope({ role: 'applicant', regionPath: null, categoryCodes: null, subjectId: 8 }, app)).toBe(false);
    // "/1/2/" must not match "/1/22/": paths end with a slash
    expect(
      applicationInScope(
        { role: 'safety_office', regionPath: '/1/2/', categoryCodes: null, subjectId: null },
        { ...app, regionPath: '/1/22/' },
      ),
    ).toBe(false);
  });
});
