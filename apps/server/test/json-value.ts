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
