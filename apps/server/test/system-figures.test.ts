import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { allCriteria, figuresMet, type StandardDoc } from '@pingan/core';
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

  const criterion = async (id: string) => {
    const d = await call(s, 'town_bs', 'GET', `/api/applications/${appId}`);
    return allCriteria(d.body.standard as StandardDoc).find((c) => c.id === id)!;
  };
  const row = async (c: string) =>
    (
      await s.database.db
        .select({ f: answers.figures, met: answers.figuresMet })
        .from(answers)
        .where(and(eq(answers.applicationId, appId), eq(answers.criterionId, c)))
    )[0]!;
  const revision = async () =>
    (await s.database.db.select({ r: applications.revision }).from(applications).where(eq(applications.id, appId)))[0]!.r;
  const save = async (rev: number, value: number) =>
    call(s, 'town_bs', 'PUT', `/api/applications/${appId}/draft`, {
      revision: rev,
      form: { content: '申报', plan: null, contactName: '郑', contactPhone: null },
      answers: [
        { criterionId: '1', statement: '参与面', figures: { participation: { value: value } } },
        { criterionId: '2', statement: '覆盖面', figures: { prevention_coverage: { value: value } } },
      ],
    });

  it('takes the verdict on the figures kept, not on those sent', async () => {
    expect((await save(await revision(), 11)).status).toBe(200);
    const one = await row('1');
    expect(one.f?.['participation']).toMatchObject({ value: 93.5 });
    expect(one.met).toBe(figuresMet(await criterion('1'), { criterionId: '1', figures: one.f }));
  });

  it('keeps a figure the system filled since the last save, and answers CONFLICT to a revision from before a fill', async () => {
    const filled = {
      value: 96,
      source: { kind: 'indicator', ref: 'prevention_coverage', label: '2026年覆盖面（系统计算）', at: '2026-11-21T08:00:00.000Z' },
    };
    // written behind the server's back, the revision untouched: the save's own condition must catch it
    await s.database.db
      .update(answers)
      .set({ figures: sql`${answers.figures} || ${JSON.stringify({ prevention_coverage: filled })}::jsonb` })
      .where(and(eq(answers.applicationId, appId), eq(answers.criterionId, '2')));
    const rev = await revision();
    expect((await save(rev, 12)).status).toBe(200);
    const two = await row('2');
    expect(two.f?.['prevention_coverage']).toEqual(filled);
    expect(two.met).toBe(figuresMet(await criterion('2'), { criterionId: '2', figures: two.f }));
    expect((await row('1')).f?.['participation']).toMatchObject({ value: 93.5, source: { kind: 'survey' } });

    // a fill bumps the revision: a tab opened before it is refused, not merged
    await s.database.db
      .update(applications)
      .set({ revision: sql`${applications.revision} + 1` })
      .where(eq(applications.id, appId));
    const stale = await save(rev + 1, 13);
    expect(stale).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect((await row('2')).f?.['prevention_coverage']).toEqual(filled);
  });
});
