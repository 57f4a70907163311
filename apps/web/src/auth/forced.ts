import type { Me } from '../api/types';

/** What must be done before anything else. */
export type Forced = 'password' | 'totp';

/** From the account: a password set by an administrator or expired, or a second factor the policy requires. */
export function forcedOf(me: Me): Forced | null {
  if (me.mustChangePassword || me.passwordExpired) return 'password';
  if (me.totpRequired && !me.totpEnabled) return 'totp';
  return null;
}
