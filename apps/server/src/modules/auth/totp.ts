import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) as authenticator apps use it: SHA-1, 6 digits, 30-second steps, one step of clock
 * drift either way. A code is accepted only for a time step after the last one accepted, so no
 * code works twice.
 */
export const TOTP_ISSUER = '平安创建';
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/** The time step of a valid code later than `lastStep`, or null. */
export async function acceptTotp(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  const r = await verify({
    secret,
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

/** The current code (for tests and the operator's checks). */
export function totpNow(secret: string, epochSeconds?: number): Promise<string> {
  return generate({ secret, ...(epochSeconds !== undefined ? { epoch: epochSeconds } : {}) });
}
