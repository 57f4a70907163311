import { DEPARTMENTS, type DepartmentCode } from './departments.js';
import { describeMeasure } from './rating.js';
import type { Criterion, CriterionGroup, Measure, StandardDoc } from './standard.js';

/**
 * What changed between two versions of a standard (标准版本对比). Pure. Criteria are matched by
 * id, groups by id, measures within a criterion by id; everything else is compared field by field.
 * The list is empty exactly when the two documents are equal as JSON (an absent optional field and
 * one set to undefined count as the same).
 */

export type StandardChangeKind = 'added' | 'removed' | 'changed';

export interface StandardChange {
  kind: StandardChangeKind;
  /** what the change is about: one criterion, one group, or a part of the standard itself */
  target: 'criterion' | 'group' | 'standard';
  /**
   * the criterion id, the group id, or for the standard the top-level key
   * ('title', 'category', 'responsible', 'starRules', 'groups', 'notes', …)
   */
  id: string;
  /** set when target is 'criterion': the same as id */
  criterionId?: string;
  /** the group the criterion or group change belongs to (in the newer version when it exists) */
  groupId?: string;
  /**
   * which field: 'text', 'points', 'veto', 'measures', 'lead', … for a criterion; 'name', 'order'
   * for a group; the sub-field for the standard ('name' of category, 'bands' of starRules); null
   * for a whole criterion or group added or removed
   */
  field: string | null;
  before: unknown;
  after: unknown;
  /** one line in Chinese: "第3项分值由10改为12" */
  summary: string;
}

/** JSON equality: key order is ignored, and a key set to undefined is the same as a missing key. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!jsonEqual(ao[k], bo[k])) return false;
  return true;
}

const CRITERION_FIELD_ZH: Record<string, string> = {
  title: '标题',
  text: '条文',
  lead: '牵头部门',
  cooperate: '配合部门',
  responsibility: '责任表述',
  evidence: '佐证材料',
  evidenceRequired: '须上传佐证',
  measures: '量化指标',
  judge: '评判方式',
  points: '分值',
  veto: '一票否决',
};
const CRITERION_FIELDS = Object.keys(CRITERION_FIELD_ZH);

const STANDARD_FIELD_ZH: Record<string, string> = {
  format: '格式',
  code: '标准编号',
  title: '标题',
  titleEn: '英文标题',
  issuer: '发布单位',
  year: '年份',
  source: '来源',
  category: '创建类别',
  responsible: '责任单位',
  scheme: '评定方式',
  starRules: '星级规则',
  notes: '说明',
};
const SUB_FIELD_ZH: Record<string, Record<string, string>> = {
  source: { file: '来源文件', section: '来源章节' },
  category: { code: '类别代码', name: '称号名称', nameEn: '英文名称', subjectKinds: '申报主体类型', unitTypes: '单位类型' },
  responsible: { lead: '责任单位', assist: '协助单位', text: '责任表述' },
  starRules: { bands: '星级分数段', conditions: '星级条件', defaultBands: '分数段为默认值', note: '星级说明' },
};
const JUDGE_ZH: Record<string, string> = { yesno: '是否达标', score: '打分' };

const MAX_SHOWN = 40;
function clip(s: string): string {
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

function deptZh(d: unknown): string {
  return typeof d === 'string' && d in DEPARTMENTS ? DEPARTMENTS[d as DepartmentCode].zh : String(d);
}

/** A value as a reader would want it in a summary line. */
function show(v: unknown, field?: string): string {
  if (v === undefined || v === null) return '（无）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return field === 'judge' ? (JUDGE_ZH[v] ?? v) : `「${clip(v)}」`;
  if (Array.isArray(v)) {
    if (!v.length) return '（无）';
    if (field === 'lead' || field === 'cooperate' || field === 'assist') return v.map(deptZh).join('、');
    if (v.every((x) => typeof x === 'string')) return clip(v.join('、'));
  }
  return clip(JSON.stringify(v));
}

function changedLine(subject: string, what: string, before: unknown, after: unknown, field?: string): string {
  if (before === undefined) return `${subject}新增${what}${show(after, field)}`;
  if (after === undefined) return `${subject}删除${what}${show(before, field)}`;
  return `${subject}${what}由${show(before, field)}改为${show(after, field)}`;
}

function measuresSummary(subject: string, before: Measure[], after: Measure[]): string {
  const a = new Map(before.map((m) => [m.id, m]));
  const b = new Map(after.map((m) => [m.id, m]));
  const parts: string[] = [];
  for (const m of after) if (!a.has(m.id)) parts.push(`新增「${describeMeasure(m)}」`);
  for (const m of before) if (!b.has(m.id)) parts.push(`删除「${describeMeasure(m)}」`);
  for (const m of after) {
    const old = a.get(m.id);
    if (old && !jsonEqual(old, m)) {
      const da = describeMeasure(old);
      const db = describeMeasure(m);
      parts.push(da === db ? `修改「${db}」` : `「${da}」改为「${db}」`);
    }
  }
  const common = after.filter((m) => a.has(m.id)).map((m) => m.id);
  const commonBefore = before.filter((m) => b.has(m.id)).map((m) => m.id);
  if (!jsonEqual(common, commonBefore)) parts.push('调整顺序');
  return `${subject}量化指标：${parts.join('；') || '调整'}`;
}

function criterionChanges(a: Criterion, b: Criterion, groupId: string): StandardChange[] {
  const out: StandardChange[] = [];
  const subject = `第${b.id}项`;
  const ao = a as unknown as Record<string, unknown>;
  const bo = b as unknown as Record<string, unknown>;
  // the known fields in a fixed order, then anything else a document carries
  const extra = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].filter((k) => k !== 'id' && !CRITERION_FIELDS.includes(k));
  for (const field of [...CRITERION_FIELDS, ...extra.sort()]) {
    const before = ao[field];
    const after = bo[field];
    if (jsonEqual(before, after)) continue;
    let summary: string;
    if (field === 'points') summary = `${subject}分值由${show(before)}改为${show(after)}`;
    else if (field === 'veto') summary = after === true ? `${subject}改为一票否决项` : `${subject}取消一票否决`;
    else if (field === 'evidenceRequired') summary = after === true ? `${subject}改为须上传佐证` : `${subject}不再要求上传佐证`;
    else if (field === 'measures') summary = measuresSummary(subject, a.measures ?? [], b.measures ?? []);
    else summary = changedLine(subject, CRITERION_FIELD_ZH[field] ?? field, before, after, field);
    out.push({ kind: 'changed', target: 'criterion', id: b.id, criterionId: b.id, groupId, field, before, after, summary });
  }
  return out;
}

function groupLabel(g: CriterionGroup): string {
  return `分组${g.id}「${g.name}」`;
}

/** The changes that turn `a` into `b`. */
export function diffStandards(a: StandardDoc, b: StandardDoc): StandardChange[] {
  const out: StandardChange[] = [];
  const ao = a as unknown as Record<string, unknown>;
  const bo = b as unknown as Record<string, unknown>;

  // the standard's own fields
  const topKeys = [...new Set([...Object.keys(STANDARD_FIELD_ZH), ...Object.keys(ao), ...Object.keys(bo)])].filter((k) => k !== 'groups');
  for (const key of topKeys) {
    const before = ao[key];
    const after = bo[key];
    if (jsonEqual(before, after)) continue;
    const label = STANDARD_FIELD_ZH[key] ?? key;
    const subs = SUB_FIELD_ZH[key];
    const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (subs && isObj(before) && isObj(after)) {
      const bs = before as Record<string, unknown>;
      const as = after as Record<string, unknown>;
      const fields = [...new Set([...Object.keys(subs), ...Object.keys(bs), ...Object.keys(as)])];
      for (const f of fields) {
        if (jsonEqual(bs[f], as[f])) continue;
        out.push({
          kind: 'changed',
          target: 'standard',
          id: key,
          field: f,
          before: bs[f],
          after: as[f],
          summary: changedLine('', subs[f] ?? `${label}.${f}`, bs[f], as[f], f),
        });
      }
      continue;
    }
    const kind: StandardChangeKind = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    out.push({ kind, target: 'standard', id: key, field: key, before, after, summary: changedLine('', label, before, after, key) });
  }

  // groups, matched by id
  const groupsA = new Map(a.groups.map((g) => [g.id, g]));
  const groupsB = new Map(b.groups.map((g) => [g.id, g]));
  const orderA = a.groups.filter((g) => groupsB.has(g.id)).map((g) => g.id);
  const orderB = b.groups.filter((g) => groupsA.has(g.id)).map((g) => g.id);
  if (!jsonEqual(orderA, orderB))
    out.push({
      kind: 'changed',
      target: 'standard',
      id: 'groups',
      field: 'order',
      before: orderA,
      after: orderB,
      summary: `分组顺序由${orderA.join('、')}改为${orderB.join('、')}`,
    });
  for (const g of b.groups) {
    const old = groupsA.get(g.id);
    if (!old) {
      const pts = g.criteria.reduce((t, c) => t + c.points, 0);
      out.push({
        kind: 'added',
        target: 'group',
        id: g.id,
        groupId: g.id,
        field: null,
        before: undefined,
        after: { id: g.id, name: g.name, nameEn: g.nameEn },
        summary: `新增${groupLabel(g)}（${g.criteria.length}项，${pts}分）`,
      });
      continue;
    }
    for (const f of ['name', 'nameEn'] as const)
      if (old[f] !== g[f])
        out.push({
          kind: 'changed',
          target: 'group',
          id: g.id,
          groupId: g.id,
          field: f,
          before: old[f],
          after: g[f],
          summary: changedLine(`分组${g.id}`, f === 'name' ? '名称' : '英文名称', old[f], g[f]),
        });
    const groupExtra = [...new Set([...Object.keys(old), ...Object.keys(g)])].filter(
      (k) => !['id', 'name', 'nameEn', 'criteria'].includes(k),
    );
    for (const f of groupExtra) {
      const before = (old as Record<string, unknown>)[f];
      const after = (g as Record<string, unknown>)[f];
      if (!jsonEqual(before, after))
        out.push({
          kind: 'changed',
          target: 'group',
          id: g.id,
          groupId: g.id,
          field: f,
          before,
          after,
          summary: changedLine(`分组${g.id}`, f, before, after),
        });
    }
  }
  for (const g of a.groups)
    if (!groupsB.has(g.id))
      out.push({
        kind: 'removed',
        target: 'group',
        id: g.id,
        groupId: g.id,
        field: null,
        before: { id: g.id, name: g.name, nameEn: g.nameEn },
        after: undefined,
        summary: `删除${groupLabel(g)}（${g.criteria.length}项）`,
      });

  // criteria, matched by id
  const where = (doc: StandardDoc) => {
    const m = new Map<string, { c: Criterion; g: CriterionGroup; index: number }>();
    doc.groups.forEach((g) => g.criteria.forEach((c, index) => m.set(c.id, { c, g, index })));
    return m;
  };
  const critA = where(a);
  const critB = where(b);
  for (const g of b.groups)
    for (const c of g.criteria) {
      const old = critA.get(c.id);
      if (!old) {
        out.push({
          kind: 'added',
          target: 'criterion',
          id: c.id,
          criterionId: c.id,
          groupId: g.id,
          field: null,
          before: undefined,
          after: c,
          summary: `新增第${c.id}项（分组${g.id}，${c.points}分${c.veto ? '，一票否决' : ''}）：${clip(c.text)}`,
        });
        continue;
      }
      if (old.g.id !== g.id)
        out.push({
          kind: 'changed',
          target: 'criterion',
          id: c.id,
          criterionId: c.id,
          groupId: g.id,
          field: 'group',
          before: old.g.id,
          after: g.id,
          summary: `第${c.id}项由分组${old.g.id}移至分组${g.id}`,
        });
      out.push(...criterionChanges(old.c, c, g.id));
    }
  for (const g of a.groups)
    for (const c of g.criteria)
      if (!critB.has(c.id))
        out.push({
          kind: 'removed',
          target: 'criterion',
          id: c.id,
          criterionId: c.id,
          groupId: g.id,
          field: null,
          before: c,
          after: undefined,
          summary: `删除第${c.id}项（${c.points}分）：${clip(c.text)}`,
        });

  // order of the criteria that stay in the same group
  for (const g of b.groups) {
    const old = groupsA.get(g.id);
    if (!old) continue;
    const ids = new Set(g.criteria.map((c) => c.id));
    const oldIds = new Set(old.criteria.map((c) => c.id));
    const before = old.criteria.filter((c) => ids.has(c.id)).map((c) => c.id);
    const after = g.criteria.filter((c) => oldIds.has(c.id)).map((c) => c.id);
    if (!jsonEqual(before, after))
      out.push({
        kind: 'changed',
        target: 'group',
        id: g.id,
        groupId: g.id,
        field: 'order',
        before,
        after,
        summary: `分组${g.id}条目顺序由${before.join('、')}改为${after.join('、')}`,
      });
  }
  return out;
}

/** Counts for a heading: "新增2项，删除1项，修改3处". */
export function summarizeDiff(changes: StandardChange[]): string {
  const added = changes.filter((c) => c.target === 'criterion' && c.kind === 'added').length;
  const removed = changes.filter((c) => c.target === 'criterion' && c.kind === 'removed').length;
  const changed = changes.length - added - removed;
  if (!changes.length) return '两个版本内容相同';
  const parts: string[] = [];
  if (added) parts.push(`新增${added}项`);
  if (removed) parts.push(`删除${removed}项`);
  if (changed) parts.push(`修改${changed}处`);
  return parts.join('，');
}
