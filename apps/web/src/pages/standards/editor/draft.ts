import type { Criterion, CriterionGroup, Measure, StandardDoc } from '@pingan/core';

/**
 * Pure edits of a standard being drafted. The draft keeps the document's shape; a number field
 * that was cleared holds NaN, which parseStandard reports ("须填写数字") and JSON shows as null.
 */

export type MeasureKind = Measure['kind'];
export const MEASURE_KINDS: MeasureKind[] = ['threshold', 'change', 'range', 'frequency', 'distance'];
export const COMPARATORS = ['>=', '>', '<=', '<', '='] as const;
export const PERIODS = ['week', 'month', 'quarter', 'half_year', 'year'] as const;

/** A cleared number input keeps the field, as NaN. */
export const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);
/** What a number input shows. */
export const shown = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

/** A measure of another kind, keeping its id and label. */
export function measureOfKind(m: Pick<Measure, 'id' | 'label'>, kind: MeasureKind): Measure {
  const base = { id: m.id, label: m.label };
  switch (kind) {
    case 'threshold':
      return { ...base, kind, comparator: '>=', value: 90, unit: '%' };
    case 'change':
      return { ...base, kind, comparator: '<=', value: 0, baseline: 'last_year' };
    case 'range':
      return { ...base, kind, min: 1, max: 10, unit: '人' };
    case 'frequency':
      return { ...base, kind, min: 1, per: 'month' };
    case 'distance':
      return { ...base, kind, comparator: '>=', value: 200, unit: 'm' };
  }
}

function unique(prefix: string, taken: Set<string>, start: number): string {
  for (let n = start; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

export function newMeasure(existing: Measure[], label: string): Measure {
  return measureOfKind({ id: unique('measure_', new Set(existing.map((m) => m.id)), existing.length + 1), label }, 'threshold');
}

export function newCriterion(doc: StandardDoc): Criterion {
  const ids = new Set(doc.groups.flatMap((g) => g.criteria.map((c) => c.id)));
  return {
    id: unique('', ids, ids.size + 1),
    text: '',
    lead: [],
    cooperate: [],
    evidence: [],
    evidenceRequired: false,
    measures: [],
    judge: 'score',
    points: 0,
    veto: false,
  };
}

export function newGroup(doc: StandardDoc, name: string): CriterionGroup {
  const ids = new Set(doc.groups.map((g) => g.id));
  const letter = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((l) => !ids.has(l));
  return { id: letter ?? unique('G', ids, 1), name, criteria: [newCriterion(doc)] };
}

const replaceAt = <T,>(list: T[], i: number, v: T): T[] => list.map((x, j) => (j === i ? v : x));
const removeAt = <T,>(list: T[], i: number): T[] => list.filter((_, j) => j !== i);

export const edits = {
  group: (d: StandardDoc, gi: number, patch: Partial<CriterionGroup>): StandardDoc => ({
    ...d,
    groups: replaceAt(d.groups, gi, { ...d.groups[gi]!, ...patch }),
  }),
  addGroup: (d: StandardDoc, name: string): StandardDoc => ({ ...d, groups: [...d.groups, newGroup(d, name)] }),
  removeGroup: (d: StandardDoc, gi: number): StandardDoc => ({ ...d, groups: removeAt(d.groups, gi) }),
  criterion: (d: StandardDoc, gi: number, ci: number, patch: Partial<Criterion>): StandardDoc => {
    const g = d.groups[gi]!;
    return edits.group(d, gi, { criteria: replaceAt(g.criteria, ci, { ...g.criteria[ci]!, ...patch }) });
  },
  addCriterion: (d: StandardDoc, gi: number): StandardDoc => edits.group(d, gi, { criteria: [...d.groups[gi]!.criteria, newCriterion(d)] }),
  removeCriterion: (d: StandardDoc, gi: number, ci: number): StandardDoc => edits.group(d, gi, { criteria: removeAt(d.groups[gi]!.criteria, ci) }),
  measures: (d: StandardDoc, gi: number, ci: number, measures: Measure[]): StandardDoc => edits.criterion(d, gi, ci, { measures }),
  bands: (d: StandardDoc, bands: StandardDoc['starRules']['bands']): StandardDoc => ({ ...d, starRules: { ...d.starRules, bands } }),
};

export { replaceAt, removeAt };
