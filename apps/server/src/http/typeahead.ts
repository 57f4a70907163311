/**
 * A search box's answer: the first matches and whether more match, so the box can say "type more of
 * the name" instead of silently showing part of the list. The query asks for `limit + 1` rows.
 */
export function firstMatches<T>(rows: readonly T[], limit: number): { items: T[]; more: boolean } {
  return { items: rows.slice(0, limit), more: rows.length > limit };
}
