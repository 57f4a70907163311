import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/** The two secrets: never in the database, never logged. */
export interface Keys {
  profile: 'intl' | 'sm';
  /** encrypts personal data (ID and phone numbers) and TOTP secrets */
  data: Buffer;
  /** keys the audit chain's HMAC */
  audit: Buffer;
}

function parseKey(name: string, v: string): Buffer {
  const t = v.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) throw new Error(`invalid configuration: ${name} must be 32 bytes, hex (64 digits) or base64`);
  return buf;
}

/**
 * Keys from the environment; outside production, when absent, made once and kept in
 * DATA_DIR/keys.json (0600) so a laptop install keeps reading its own data after a restart.
 */
export function loadKeys(config: Config): Keys {
  const file = path.join(config.DATA_DIR, 'keys.json');
  let stored: { data?: string; audit?: string } = {};
  if (!config.DATA_KEY || !config.AUDIT_KEY) {
    if (config.NODE_ENV === 'production') throw new Error('invalid configuration: DATA_KEY and AUDIT_KEY are required in production');
    if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof stored;
    if (!stored.data || !stored.audit) {
      stored = { data: crypto.randomBytes(32).toString('hex'), audit: crypto.randomBytes(32).toString('hex') };
      fs.mkdirSync(config.DATA_DIR, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    }
  }
  return {
    profile: config.CRYPTO_PROFILE,
    data: parseKey('DATA_KEY', config.DATA_KEY ?? stored.data!),
    audit: parseKey('AUDIT_KEY', config.AUDIT_KEY ?? stored.audit!),
  };
}

/** HMAC-SHA-256, or HMAC-SM3 under the SM profile. */
export function hmac(keys: Keys, text: string): string {
  return crypto
    .createHmac(keys.profile === 'sm' ? 'sm3' : 'sha256', keys.audit)
    .update(text, 'utf8')
    .digest('hex');
}
