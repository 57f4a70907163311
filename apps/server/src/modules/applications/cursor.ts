import { AppError } from '../../errors.js';

/**
 * Keyset paging's opaque cursor: the sort key of the last row a page gave, as base64url JSON.
 * A client only hands it back; the server reads it with the shape it expects and refuses
 * anything else with a 400 (never a 5xx for a cursor typed by hand).
 */
export type CursorPart = string | number;

export function encodeCursor(parts: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const bad = () => new AppError('VALIDATION', '分页游标无效，请从第一页重新查看');

/** The cursor's parts, checked against `kinds` ('s' text, 'i' a positive int4 id, 't' a µs UTC timestamp). */
export function decodeCursor<const K extends readonly ('s' | 'i' | 't')[]>(
  text: string,
  kinds: K,
): { [I in keyof K]: K[I] extends 'i' ? number : string } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parts) || parts.length !== kinds.length) throw bad();
  kinds.forEach((k, i) => {
    const v: unknown = parts[i];
    const ok =
      k === 'i'
        ? typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 2147483647
        : k === 't'
          ? typeof v === 'string' && TIMESTAMP.test(v) && Number.isFinite(Date.parse(v))
          : typeof v === 'string' && v.length <= 200;
    if (!ok) throw bad();
  });
  return parts as { [I in keyof K]: K[I] extends 'i' ? number : string };
}

/** What the list queries select as a timestamp's exact key: PostgreSQL keeps microseconds, a JS Date does not. */
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
