import crypto from 'node:crypto';
import type { Keys } from './keys.js';

/**
 * Personal data at rest: ID numbers, phone numbers, TOTP secrets. A stored value is
 *   intl: "g1:" + base64(iv 12 | tag 16 | AES-256-GCM ciphertext)
 *   sm:   "s1:" + base64(iv 16 | mac 32 | SM4-CTR ciphertext), mac = HMAC-SM3 over iv|ciphertext
 * with subkeys derived from DATA_KEY. A value without a prefix is plaintext from before encryption
 * (the startup backfill encrypts those) and reads as itself.
 */
const PREFIXES = ['g1:', 's1:'] as const;

/** Derived once per key set and purpose: HKDF on every value was most of an encryption's cost (a roster import seals 100,000 phones). */
const subkeys = new WeakMap<Keys, Map<string, Buffer>>();

function subkey(keys: Keys, purpose: string): Buffer {
  let byPurpose = subkeys.get(keys);
  if (!byPurpose) subkeys.set(keys, (byPurpose = new Map()));
  let k = byPurpose.get(purpose);
  if (!k) {
    k = Buffer.from(crypto.hkdfSync(keys.profile === 'sm' ? 'sm3' : 'sha256', keys.data, Buffer.alloc(0), `pingan ${purpose}`, 32));
    byPurpose.set(purpose, k);
  }
  return k;
}

export function isEncrypted(v: string): boolean {
  return PREFIXES.some((p) => v.startsWith(p));
}

export function encrypt(keys: Keys, plain: string): string {
  const data = Buffer.from(plain, 'utf8');
  if (keys.profile === 'sm') {
    const iv = crypto.randomBytes(16);
    const c = crypto.createCipheriv('sm4-ctr', subkey(keys, 'sm4').subarray(0, 16), iv);
    const ct = Buffer.concat([c.update(data), c.final()]);
    const mac = crypto
      .createHmac('sm3', subkey(keys, 'sm3-mac'))
      .update(Buffer.concat([iv, ct]))
      .digest();
    return 's1:' + Buffer.concat([iv, mac, ct]).toString('base64');
  }
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', subkey(keys, 'aes-gcm'), iv);
  const ct = Buffer.concat([c.update(data), c.final()]);
  return 'g1:' + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}

/** Throws when the value was altered or encrypted under another key. */
export function decrypt(keys: Keys, stored: string): string {
  if (stored.startsWith('s1:')) {
    const raw = Buffer.from(stored.slice(3), 'base64');
    const iv = raw.subarray(0, 16);
    const mac = raw.subarray(16, 48);
    const ct = raw.subarray(48);
    const want = crypto
      .createHmac('sm3', subkey({ ...keys, profile: 'sm' }, 'sm3-mac'))
      .update(Buffer.concat([iv, ct]))
      .digest();
    if (mac.length !== 32 || !crypto.timingSafeEqual(mac, want)) throw new Error('personal data failed its integrity check');
    const d = crypto.createDecipheriv('sm4-ctr', subkey({ ...keys, profile: 'sm' }, 'sm4').subarray(0, 16), iv);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  }
  if (stored.startsWith('g1:')) {
    const raw = Buffer.from(stored.slice(3), 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', subkey({ ...keys, profile: 'intl' }, 'aes-gcm'), raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
  return stored;
}

export const encryptOrNull = (keys: Keys, v: string | null | undefined): string | null => (v == null || v === '' ? null : encrypt(keys, v));
export const decryptOrNull = (keys: Keys, v: string | null | undefined): string | null => (v == null ? null : decrypt(keys, v));
