import type { z } from 'zod';

/** JSON values as the generated-request tests (fuzz, authorisation matrix) build them. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A copy of `o` with the value at `path` set, or removed when `v` is undefined. */
export function setAt(o: Json, path: PropertyKey[], v: Json | undefined): Json {
  if (path.length === 0) return v ?? null;
  const copy: any = Array.isArray(o) ? [...o] : { ...(o as object) };
  const [k, ...rest] = path;
  if (rest.length === 0) {
    if (v === undefined) delete copy[k as string];
    else copy[k as string] = v;
  } else copy[k as string] = setAt(copy[k as string] ?? {}, rest, v);
  return copy;
}

/**
 * Nudges a value until the schema accepts it, where simple substitutions can: for each field the
 * schema refuses, the first of a few plain values (a date, a text, a category code, numbers,
 * booleans, empty containers, absence) that leaves fewer complaints there. A schema that throws
 * (a refinement on a wrong type) leaves the value as it is.
 */
export function repairToSchema(s: z.ZodType, value: Json, plain: { date: string; text: string }): Json {
  const candidates: (Json | undefined)[] = [
    plain.date,
    plain.text,
    'campus',
    1,
    2026,
    10,
    '13800000000',
    true,
    false,
    [],
    {},
    null,
    undefined,
  ];
  const parse = (x: Json) => {
    try {
      return s.safeParse(x);
    } catch {
      return null;
    }
  };
  let v = value;
  for (let round = 0; round < 6; round++) {
    const r = parse(v);
    if (!r || r.success) return v;
    let changed = false;
    for (const issue of r.error.issues) {
      const score = (x: Json) => {
        const rr = parse(x);
        if (!rr) return Number.MAX_SAFE_INTEGER;
        return rr.success ? 0 : rr.error.issues.filter((i) => i.path.join('.') === issue.path.join('.')).length;
      };
      const now = score(v);
      for (const c of candidates) {
        const next = setAt(v, issue.path, c);
        if (score(next) < now) {
          v = next;
          changed = true;
          break;
        }
      }
    }
    if (!changed) return v;
  }
  return v;
}
