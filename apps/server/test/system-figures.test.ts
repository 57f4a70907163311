import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { answers, applications, subjects, users } from '../src/db/schema.js';
import { DB_KINDS, call, getTestServer, type TestServer } from './helpers.js';

/**
 * Figures the system fills (a survey's result, a region indicator) are not the applicant's to type:
 * a draft save keeps them as filled, with their source, and drops typed values for measures bound
 * to a region indicator (003's five 90% targets are measured, not declared).
 */
describe.each(DB_KINDS)('figures the system fills, on %s', (kind) => {
  let s: TestServer;
  let appId: number;
  beforeAll(async () => {
    s = await getTestServer(kind);
    const db = s.database.db;
    const [u] = await db.select({ subjectId: users.subjectId }).from(users).where(eq(users.username, 'town_bs'));
    const [a] = await db.select({ id: applications.id }).from(applications).where(eq(applications.subjectId, u!.subjectId!));
    appId = a!.id;
    // the demo filled 白沙镇's draft from its indicators: this test sets out its own figures
    await db.delete(answers).where(eq(answers.applicationId, appId));
    await db.insert(answers).values({
      applicationId: appId,
      criterionId: '1',
      statement: null,
      figures: {
        participation: {
          value: 93.5,
          source: { kind: 'survey', ref: 'ABC', label: '2026年两率一度调查（400份）', at: '2026-11-20T08:00:00.000Z' },
        },
      },
      figuresMet: true,
    });
  });
  afterAll(() => s?.close());

  it('the demo holds the region’s own draft for 003’s standard', async () => {
    const [row] = await s.database.db
      .select({ kind: subjects.kind, category: applications.categoryCode, status: applications.status })
      .from(applications)
      .innerJoin(subjects, eq(subjects.id, applications.subjectId))
      .where(eq(applications.id, appId));
    expect(row).toEqual({ kind: 'region', category: 'safe_county_town', status: 'draft' });
  });

  it('keeps a filled figure and its source when the applicant sends another value', async () => {
    const d = await call(s, 'town_bs', 'GET', `/api/applications/${appId}`);
    expect(d.status).toBe(200);
    const shown = d.body.answers.find((x: { criterionId: string }) => x.criterionId === '1');
    expect(shown.figures.participation.source.label).toBe('2026年两率一度调查（400份）');
    const save = await call(s, 'town_bs', 'PUT', `/api/applications/${appId}/draft`, {
      revision: d.body.revision,
      form: { content: '申报', plan: null, contactName: '郑', contactPhone: null },
      answers: [
        { criterionId: '1', statement: '参与面', figures: { participation: { value: 10 } } },
        { criterionId: '2', statement: '覆盖面', figures: { prevention_coverage: { value: 99 } } },
      ],
    });
    expect(save.status).toBe(200);
    const rows = await s.database.db
      .select({ c: answers.criterionId, f: answers.figures, statement: answers.statement })
      .from(answers)
      .where(and(eq(answers.applicationId, appId)))
      .orderBy(answers.criterionId);
    const one = rows.find((r) => r.c === '1')!;
    const two = rows.find((r) => r.c === '2')!;
    expect(one.f?.['participation']).toMatchObject({ value: 93.5, source: { kind: 'survey', ref: 'ABC' } });
    expect(one.statement).toBe('参与面');
    // bound to a region indicator and not yet filled: a typed 99 is not stored
    expect(two.f?.['prevention_coverage']).toBeUndefined();
    expect(two.statement).toBe('覆盖面');
  });
});
