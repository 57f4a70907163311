import { titleValidUntil } from '@pingan/core';
import type { Tx } from '../../db/client.js';
import { titleEvents, titles } from '../../db/schema.js';
import { randomCode } from '../../crypto/codes.js';

/**
 * A certificate number: PA, the year, and 100 random bits in Crockford base32 (20 characters in
 * groups of five), e.g. PA2026-7K3QD-M9X2F-0TB8R-Z4WHN. Nothing in it is an internal id, and
 * guessing a valid one is hopeless (2⁻¹⁰⁰ a try), so the public check cannot be enumerated.
 */
export function certificateNo(year: number): string {
  const r = randomCode(100);
  return `PA${year}-${r.slice(0, 5)}-${r.slice(5, 10)}-${r.slice(10, 15)}-${r.slice(15, 20)}`;
}

export type NewTitle = Omit<typeof titles.$inferInsert, 'id' | 'certificateNo' | 'status' | 'validUntil'>;

/** Confers a title inside the conferral's transaction: its number, its term and the first line of its history. */
export async function issueTitle(tx: Tx, values: NewTitle, actorId: number | null): Promise<{ id: number; certificateNo: string }> {
  const no = certificateNo(values.year);
  const [t] = await tx
    .insert(titles)
    .values({ ...values, certificateNo: no, status: 'valid', statusSince: values.conferredOn, validUntil: titleValidUntil(values.year) })
    .returning({ id: titles.id });
  await tx.insert(titleEvents).values({
    titleId: t!.id,
    kind: 'conferred',
    toStatus: 'valid',
    toStars: values.stars,
    reason: null,
    actorId,
    on: values.conferredOn,
  });
  return { id: t!.id, certificateNo: no };
}
