import { parseStandard, type StandardDoc } from '@pingan/core';
import zhCN from '../../../locales/zh-CN';
import type { I18n, MessageKey, Params } from '../../../locales';

/** One problem parseStandard found: the field path, where that is in words, and the message. */
export interface FieldError {
  path: string;
  where: string;
  message: string;
}

export type Validation = { ok: true; doc: StandardDoc; errors: [] } | { ok: false; doc: null; errors: FieldError[] };

type Rule = [RegExp, (m: RegExpMatchArray) => [MessageKey, Params?]];
const TYPES = new Set(['number', 'string', 'array', 'object', 'boolean', 'int']);
const typeName = (ty: string, t: I18n['t']) => (TYPES.has(ty) ? t(`validate.type.${ty}` as MessageKey) : ty);

/** zod's English messages (and the core's own) in the reader's language; unknown ones stay as they are. */
function rules(t: I18n['t']): Rule[] {
  return [
    [/^Invalid input: expected number, received NaN$/, () => ['validate.nan']],
    [/^Invalid input: expected \w+, received undefined$/, () => ['validate.required']],
    [/^Invalid input: expected (\w+), received \w+$/, (m) => ['validate.type', { type: typeName(m[1]!, t) }]],
    [/^Invalid input: expected "(.*)"$/, (m) => ['validate.literal', { v: m[1]! }]],
    [/^Too small: expected number to be >=(\S+)$/, (m) => ['validate.min', { n: m[1]! }]],
    [/^Too small: expected number to be >(\S+)$/, (m) => ['validate.gt', { n: m[1]! }]],
    [/^Too big: expected number to be <=(\S+)$/, (m) => ['validate.max', { n: m[1]! }]],
    [/^Too big: expected number to be <(\S+)$/, (m) => ['validate.lt', { n: m[1]! }]],
    [/^Too small: expected string to have >=1 characters?$/, () => ['validate.nonEmpty']],
    [/^Too small: expected array to have >=(\d+) items?$/, (m) => ['validate.minItems', { n: m[1]! }]],
    [/^未知部门代码 unknown department code "(.*)"$/, (m) => ['validate.dept', { code: m[1]! }]],
    [/^Invalid option: expected one of (.*)$/, (m) => ['validate.option', { list: clipList(m[1]!) }]],
    [/^Invalid string: must match pattern/, () => ['validate.pattern']],
    [/^lower_snake_case id$/, () => ['validate.snakeId']],
    [/^lower-case code with dashes$/, () => ['validate.code']],
    [/^duplicate measure id (.*)$/, (m) => ['validate.dupMeasure', { id: m[1]! }]],
    [/^range min (\S+) > max (\S+)$/, (m) => ['validate.range', { min: m[1]!, max: m[2]! }]],
    [/^two bands for (\d+) stars$/, (m) => ['validate.dupBand', { n: m[1]! }]],
    [/^a higher star cannot need fewer points$/, () => ['validate.bandOrder']],
    [/^duplicate group id (.*)$/, (m) => ['validate.dupGroup', { id: m[1]! }]],
    [/^duplicate criterion id (.*)$/, (m) => ['validate.dupCriterion', { id: m[1]! }]],
    [/^Invalid discriminator value/, () => ['validate.discriminator']],
    [/^Invalid input$/, () => ['validate.invalid']],
  ];
}

function clipList(list: string): string {
  const items = list.split('|').map((s) => s.replace(/^"|"$/g, ''));
  return items.length > 6 ? `${items.slice(0, 6).join(' | ')} …` : items.join(' | ');
}

export function translateMessage(msg: string, t: I18n['t']): string {
  for (const [re, to] of rules(t)) {
    const m = msg.match(re);
    if (m) {
      const [key, params] = to(m);
      return t(key, params);
    }
  }
  return msg;
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const at = (v: unknown, i: number): unknown => (Array.isArray(v) ? v[i] : undefined);
const str = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);

/** groups[0].criteria[2].points → 分组A · 第3项 · 分值 (read from the draft, whatever its state). */
export function describePath(path: string, doc: unknown, t: I18n['t']): string {
  const tokens = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  const parts: string[] = [];
  let node: unknown = doc;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const next = tokens[i + 1];
    if (typeof tok === 'string' && typeof next === 'number' && ['groups', 'criteria', 'measures', 'bands'].includes(tok)) {
      const item = at(rec(node)?.[tok], next);
      const o = rec(item);
      if (tok === 'groups') parts.push(t('validate.loc.group', { id: str(o?.id, String(next + 1)) }));
      else if (tok === 'criteria') parts.push(t('validate.loc.criterion', { id: str(o?.id, String(next + 1)) }));
      else if (tok === 'measures') parts.push(t('validate.loc.measure', { label: str(o?.label, str(o?.id, String(next + 1))) }));
      else parts.push(t('validate.loc.band', { n: next + 1 }));
      node = item;
      i++;
      continue;
    }
    if (typeof tok === 'string') {
      const key = `diffField.${tok}`;
      if (Object.hasOwn(zhCN, key)) parts.push(t(key as MessageKey));
      else if (tok === 'starRules') parts.push(t('editor.stars'));
      node = rec(node)?.[tok];
    }
  }
  return parts.join(' · ');
}

/** "groups[0].criteria[1].points: Too small…" (the core's and the server's form) as FieldErrors. */
export function wordErrors(errors: string[], input: unknown, t: I18n['t']): FieldError[] {
  return errors.map((e) => {
    const cut = e.indexOf(': ');
    const path = cut < 0 ? '(root)' : e.slice(0, cut);
    return { path, where: describePath(path, input, t), message: translateMessage(cut < 0 ? e : e.slice(cut + 2), t) };
  });
}

/** Runs the core parser on the draft and words its errors. */
export function validate(input: unknown, t: I18n['t']): Validation {
  const r = parseStandard(input);
  return r.ok ? { ok: true, doc: r.standard, errors: [] } : { ok: false, doc: null, errors: wordErrors(r.errors, input, t) };
}

/** Errors at a field, or under it (lead[0] is shown at lead). */
export function errorsAt(errors: FieldError[], path: string, under = true): string[] {
  return errors.filter((e) => e.path === path || (under && (e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`)))).map((e) => e.message);
}
