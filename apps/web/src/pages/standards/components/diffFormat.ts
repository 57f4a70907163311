import { DEPARTMENTS, Measure, describeMeasure, type DepartmentCode, type StandardChange } from '@pingan/core';
import zhCN from '../../../locales/zh-CN';
import type { I18n, MessageKey } from '../../../locales';

/** How the diff table names and shows things: Chinese first, in the reader's language. */

const CLIP = 120;
const clip = (s: string) => (s.length > CLIP ? `${s.slice(0, CLIP)}…` : s);
const isKey = (k: string): k is MessageKey => Object.hasOwn(zhCN, k);

function dept(code: unknown, lang: string): string {
  if (typeof code !== 'string' || !Object.hasOwn(DEPARTMENTS, code)) return String(code);
  const d = DEPARTMENTS[code as DepartmentCode];
  return lang === 'zh-CN' ? d.zh : d.en;
}

const DEPT_FIELDS = new Set(['lead', 'cooperate', 'assist']);

/** 位置: 第3项 / 分组A / 标准 */
export function locationOf(c: StandardChange, t: I18n['t']): string {
  if (c.target === 'criterion') return t('diff.loc.criterion', { id: c.id });
  if (c.target === 'group') return t('diff.loc.group', { id: c.id });
  return t('diff.loc.standard');
}

/** 字段: the field's name; a whole criterion or group when field is null. */
export function fieldOf(c: StandardChange, t: I18n['t']): string {
  if (c.field === null) return c.target === 'group' ? t('diff.whole.group') : t('diff.whole.criterion');
  const specific = `diffField.${c.id}.${c.field}`;
  if (c.target === 'standard' && isKey(specific)) return t(specific);
  const general = `diffField.${c.field}`;
  return isKey(general) ? t(general) : c.field;
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** 原 / 新: a value as a reader would want it. */
export function showValue(v: unknown, field: string | null, { t, lang }: Pick<I18n, 't' | 'lang'>): string {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('diff.yes') : t('diff.no');
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    if (field === 'judge') return v === 'yesno' ? t('editor.judgeYesno') : v === 'score' ? t('editor.judgeScore') : v;
    return clip(v);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '—';
    if (field && DEPT_FIELDS.has(field)) return v.map((d) => dept(d, lang)).join(lang === 'zh-CN' ? '、' : ', ');
    if (field === 'measures')
      return v
        .map((m) => {
          const r = Measure.safeParse(m);
          return r.success ? describeMeasure(r.data) : JSON.stringify(m);
        })
        .join('\n');
    if (field === 'bands')
      return v
        .map((b) => asObject(b))
        .map((b) => (b ? `${'★'.repeat(Number(b.stars) || 0)} ≥ ${String(b.minPercent)}%` : ''))
        .join('\n');
    if (v.every((x) => typeof x === 'string')) return clip(v.join(lang === 'zh-CN' ? '、' : ', '));
    return clip(JSON.stringify(v));
  }
  const o = asObject(v);
  if (o && typeof o.text === 'string' && typeof o.points === 'number')
    return clip(`${typeof o.title === 'string' ? `${o.title}：` : ''}${o.text}（${t('common.points', { n: o.points })}${o.veto === true ? `，${t('criterion.veto')}` : ''}）`);
  if (o && typeof o.name === 'string') return o.name;
  return clip(JSON.stringify(v));
}
