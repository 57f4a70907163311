import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * Saving a draft refuses figures that cannot be true (core validateFigure): a share outside
 * 0–100 %, a negative distance, counts given for a measure that is not a rate of two counts.
 */
describe.each(DB_KINDS)('figures in a draft on %s', (kind) => {
  let s: TestServer;
  let draftId = 0;
  beforeAll(async () => {
    s = await getTestServer(kind);
    // a campus draft under a standard with a share (%) measure: 002 平安校园's 民调满意率
    const campaigns = (await call(s, 'school_nm', 'GET', '/api/campaigns')).body as { id: number }[];
    for (const c of campaigns) {
      const created = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: c.id, categoryCode: 'campus' });
      if (created.status !== 201) continue;
      const d = (await call(s, 'school_nm', 'GET', `/api/applications/${created.body.id}`)).body;
      if (d.standard.code === 'datuopu-2020-campus') {
        draftId = created.body.id;
        break;
      }
    }
    expect(draftId, 'a campus draft under datuopu-2020-campus').toBeGreaterThan(0);
  });
  afterAll(() => s?.close());

  interface M {
    id: string;
    kind: string;
    unit?: string;
    label: string;
  }
  interface C {
    id: string;
    measures: M[];
  }

  it('a share above 100 %, a negative distance and counts on a plain figure are refused in Chinese; a true figure is kept', async () => {
    const d = (await call(s, 'school_nm', 'GET', `/api/applications/${draftId}`)).body;
    const criteria = d.standard.groups.flatMap((g: { criteria: C[] }) => g.criteria) as C[];
    const pctCrit = criteria.find((c) => c.measures.some((m) => m.kind === 'threshold' && m.unit === '%'))!;
    const pct = pctCrit.measures.find((m) => m.kind === 'threshold' && m.unit === '%')!;
    const save = (figures: Record<string, unknown>, c: C = pctCrit) =>
      call(s, 'school_nm', 'PUT', `/api/applications/${draftId}/draft`, {
        revision: d.revision,
        form: {},
        answers: [{ criterionId: c.id, figures }],
      });

    const over = await save({ [pct.id]: { value: 100.5 } });
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('VALIDATION');
    expect(over.body.message).toContain(`第${pctCrit.id}项「${pct.label}」为百分比，须在0～100%之间，填报的是100.5%`);

    const under = await save({ [pct.id]: { value: -1 } });
    expect(under.status).toBe(400);
    expect(under.body.message).toContain('须在0～100%之间');

    const counts = await save({ [pct.id]: { value: 50, numerator: 1, denominator: 2 } });
    expect(counts.status).toBe(400);
    expect(counts.body.message).toContain('不能填写分子和分母');

    const fraction = await save({ [pct.id]: { value: 50, numerator: 1.5, denominator: 2 } });
    expect(fraction.status).toBe(400);

    const distCrit = criteria.find((c) => c.measures.some((m) => m.kind === 'distance'));
    if (distCrit) {
      const dist = distCrit.measures.find((m) => m.kind === 'distance')!;
      const neg = await save({ [dist.id]: { value: -5 } }, distCrit);
      expect(neg.status).toBe(400);
      expect(neg.body.message).toContain('不能为负数');
    }

    // nothing of the refused drafts was kept
    expect((await call(s, 'school_nm', 'GET', `/api/applications/${draftId}`)).body.revision).toBe(d.revision);

    const ok = await save({ [pct.id]: { value: 100 } });
    expect(ok.status).toBe(200);
    const after = (await call(s, 'school_nm', 'GET', `/api/applications/${draftId}`)).body;
    expect(after.answers.find((a: { criterionId: string }) => a.criterionId === pctCrit.id).figures[pct.id]).toEqual({ value: 100 });
  });
});
