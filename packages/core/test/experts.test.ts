import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { autoAssign, checklistFor, conflictReasons, drawSample } from '../src/index.js';
import { sample } from './fixtures.js';

describe('conflictReasons (回避)', () => {
  const expert = { userId: 1, employerSubjectId: null, homeRegionId: null, relatedSubjectIds: [] as number[] };
  const applicant = { subjectId: 10, regionIdsByLevel: { village: 100, town: 50 } };

  it('finds no conflict for an unrelated expert', () => {
    expect(conflictReasons({ ...expert, employerSubjectId: 11, homeRegionId: 101 }, applicant)).toEqual([]);
  });

  it('names each reason: same unit, same village, same street, declared relation', () => {
    expect(conflictReasons({ ...expert, employerSubjectId: 10 }, applicant)).toEqual(['专家所在单位即申报单位，须回避']);
    expect(conflictReasons({ ...expert, homeRegionId: 100 }, applicant)[0]).toContain('村（社区）');
    expect(conflictReasons({ ...expert, homeRegionId: 50 }, applicant)[0]).toContain('街道（乡镇）');
    expect(conflictReasons({ ...expert, relatedSubjectIds: [3, 10] }, applicant)[0]).toContain('利害关系');
    expect(conflictReasons({ ...expert, employerSubjectId: 10, homeRegionId: 100, relatedSubjectIds: [10] }, applicant)).toHaveLength(3);
  });

  it('a street expert conflicts with a unit of that street that has no village', () => {
    expect(conflictReasons({ ...expert, homeRegionId: 50 }, { subjectId: 10, regionIdsByLevel: { town: 50 } })).toHaveLength(1);
    expect(conflictReasons({ ...expert, homeRegionId: 50 }, { subjectId: 10, regionIdsByLevel: {} })).toEqual([]);
  });
});

const expertsArb = fc.uniqueArray(
  fc.record({ id: fc.integer({ min: 1, max: 500 }), load: fc.integer({ min: 0, max: 6 }), maxLoad: fc.integer({ min: 0, max: 12 }) }),
  { minLength: 0, maxLength: 12, selector: (e) => e.id },
);
const appsArb = fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 1000 }), assigned: fc.constant([] as number[]) }), {
  minLength: 0,
  maxLength: 25,
  selector: (a) => a.id,
});

describe('autoAssign', () => {
  it('never exceeds a cap or maxLoad, never assigns a conflicted expert or one twice', () => {
    fc.assert(
      fc.property(
        expertsArb,
        appsArb,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 7 }),
        (experts, apps, per, cap, mod) => {
          const conflict = (e: number, a: number) => (e + a) % mod === 0 && mod > 1;
          const r = autoAssign(apps, experts, { perApplication: per, cap }, conflict);
          for (const e of experts) {
            const added = r.assignments.filter((x) => x.expertId === e.id).length;
            if (added > 0) expect(e.load + added).toBeLessThanOrEqual(Math.min(cap, e.maxLoad));
            expect(r.loads[e.id]).toBe(e.load + added);
          }
          for (const x of r.assignments) expect(conflict(x.expertId, x.applicationId)).toBe(false);
          const pairs = new Set(r.assignments.map((x) => `${x.applicationId}:${x.expertId}`));
          expect(pairs.size).toBe(r.assignments.length);
          for (const a of apps) {
            const n = r.assignments.filter((x) => x.applicationId === a.id).length;
            expect(n).toBeLessThanOrEqual(per);
            const u = r.uncovered.find((x) => x.applicationId === a.id);
            if (n < per) expect(u?.missing).toBe(per - n);
            else expect(u).toBeUndefined();
          }
        },
      ),
    );
  });

  it('keeps loads within one of each other when unconstrained', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        (nExperts, nApps, perRaw) => {
          const per = Math.min(perRaw, nExperts);
          const experts = Array.from({ length: nExperts }, (_, i) => ({ id: i + 1, load: 0, maxLoad: 1000 }));
          const apps = Array.from({ length: nApps }, (_, i) => ({ id: i + 1, assigned: [] }));
          const r = autoAssign(apps, experts, { perApplication: per, cap: 1000 }, () => false);
          const loads = Object.values(r.loads);
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
          expect(r.assignments).toHaveLength(nApps * per);
          expect(r.uncovered).toEqual([]);
        },
      ),
    );
  });

  it('is deterministic, least loaded first with ties by id, and explains what it could not cover', () => {
    const experts = [
      { id: 3, load: 0, maxLoad: 5 },
      { id: 2, load: 1, maxLoad: 5 },
      { id: 1, load: 0, maxLoad: 1 },
    ];
    const apps = [
      { id: 20, assigned: [] },
      { id: 10, assigned: [] },
      { id: 30, assigned: [3] },
    ];
    const r = autoAssign(apps, experts, { perApplication: 1, cap: 5 }, (e, a) => e === 3 && a === 20);
    expect(r.assignments).toEqual([
      { applicationId: 10, expertId: 1 },
      { applicationId: 20, expertId: 2 },
    ]);
    expect(r.uncovered).toEqual([]);
    const none = autoAssign([{ id: 1, assigned: [] }], [{ id: 9, load: 2, maxLoad: 2 }], { perApplication: 1, cap: 5 }, () => false);
    expect(none.uncovered[0]!.reason).toContain('上限');
    const conflicted = autoAssign([{ id: 1, assigned: [] }], [{ id: 9, load: 0, maxLoad: 2 }], { perApplication: 1, cap: 5 }, () => true);
    expect(conflicted.uncovered[0]!.reason).toContain('回避');
  });
});

describe('checklistFor', () => {
  it('lists every criterion with the evidence it wants and the figures to verify', () => {
    const list = checklistFor(sample());
    expect(list.map((i) => i.criterionId)).toEqual(['1', '2', '3', '4', '5', '6']);
    const five = list.find((i) => i.criterionId === '5')!;
    expect(five.measures.map((m) => m.want)).toEqual(['巡逻队伍人数 6～10人', '专题会议 每季度不少于1次']);
    expect(list.find((i) => i.criterionId === '6')!.veto).toBe(true);
    expect(list[0]!.groupName).toBe('组织推进');
  });
});

describe('drawSample', () => {
  it('is reproducible, without duplicates, of the asked size and from the population', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 100000 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 250 }),
        fc.string({ maxLength: 20 }),
        (pop, size, seed) => {
          const a = drawSample(pop, size, seed);
          const b = drawSample(pop, size, seed);
          expect(a).toEqual(b);
          expect(new Set(a).size).toBe(a.length);
          expect(a.length).toBe(Math.min(size, pop.length));
          for (const x of a) expect(pop).toContain(x);
        },
      ),
    );
  });

  it('differs with another seed', () => {
    const pop = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(drawSample(pop, 10, '2026Q1')).not.toEqual(drawSample(pop, 10, '2026Q2'));
    expect(drawSample(pop, 10, '2026Q1')).toEqual(drawSample(pop, 10, '2026Q1'));
  });
});
