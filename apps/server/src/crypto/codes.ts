import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `bits` random bits (rounded up to whole characters of 5 bits) in Crockford base32. */
export function randomCode(bits: number): string {
  const chars = Math.ceil(bits / 5);
  const bytes = randomBytes(chars);
  let out = '';
  for (let i = 0; i < chars; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** A public reference for a notice, a candidate, a vote or an objection receipt: 80 random bits. */
export function publicCode(): string {
  return randomCode(80);
}
