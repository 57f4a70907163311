import crypto from 'node:crypto';
import { sm2 } from 'sm-crypto';
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
      // keep what else the file holds (the certificates' signing key)
      stored = { ...stored, data: crypto.randomBytes(32).toString('hex'), audit: crypto.randomBytes(32).toString('hex') };
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

// ───────────────────────────── the certificates' signing key ─────────────────────────────

/** Ed25519 (intl profile) or SM2 with SM3 and the default user id 1234567812345678 (GB/T 32918, sm profile). */
export type SignatureAlg = 'Ed25519' | 'SM2-SM3';

export interface SigningKey {
  alg: SignatureAlg;
  /** 32 bytes: the Ed25519 seed, or the SM2 private scalar */
  privateKey: Buffer;
  /** SubjectPublicKeyInfo as PEM: what anyone verifies a certificate with */
  publicKeyPem: string;
}

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey with the curve sm2p256v1 (1.2.156.10197.1.301), then the point. */
export const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
/** The order n of the SM2 curve: a private key is 1 … n − 1. */
const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

const pem = (der: Buffer) =>
  `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END PUBLIC KEY-----\n`;

export function ed25519PrivateKey(seed: Buffer): crypto.KeyObject {
  return crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The SM2 public key as sm-crypto takes it: 04 ‖ x ‖ y in hex. */
export function sm2PublicHex(privateKey: Buffer): string {
  return (sm2 as unknown as { getPublicKeyFromPrivateKey(k: string): string }).getPublicKeyFromPrivateKey(privateKey.toString('hex'));
}

function signingKeyOf(alg: SignatureAlg, privateKey: Buffer): SigningKey {
  if (privateKey.length !== 32) throw new Error('invalid configuration: SIGNING_KEY must be 32 bytes, hex (64 digits) or base64');
  if (alg === 'Ed25519') {
    const der = crypto.createPublicKey(ed25519PrivateKey(privateKey)).export({ type: 'spki', format: 'der' });
    return { alg, privateKey, publicKeyPem: pem(der) };
  }
  const d = BigInt(`0x${privateKey.toString('hex')}`);
  if (d <= 0n || d >= SM2_N) throw new Error('invalid configuration: SIGNING_KEY is not a valid SM2 private key (1 … n−1)');
  return { alg, privateKey, publicKeyPem: pem(Buffer.concat([SM2_SPKI_PREFIX, Buffer.from(sm2PublicHex(privateKey), 'hex')])) };
}

function newPrivateKey(alg: SignatureAlg): string {
  if (alg === 'Ed25519') return crypto.randomBytes(32).toString('hex');
  return sm2.generateKeyPairHex().privateKey.padStart(64, '0');
}

/**
 * The key that signs certificates: SIGNING_KEY from the environment (required in production), else
 * the one kept in DATA_DIR/keys.json, made there on first use (one per algorithm, so switching
 * CRYPTO_PROFILE does not lose the other). `create: false` (the offline verifier) never writes the file
 * and answers null when there is no key.
 */
export function loadSigningKey(config: Config, opts: { create?: boolean } = {}): SigningKey | null {
  const alg: SignatureAlg = config.CRYPTO_PROFILE === 'sm' ? 'SM2-SM3' : 'Ed25519';
  if (config.SIGNING_KEY) return signingKeyOf(alg, parseKey('SIGNING_KEY', config.SIGNING_KEY));
  if (config.NODE_ENV === 'production') throw new Error('invalid configuration: SIGNING_KEY is required in production');
  const file = path.join(config.DATA_DIR, 'keys.json');
  const field = alg === 'Ed25519' ? 'signingEd25519' : 'signingSm2';
  let stored: Record<string, unknown> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  let hex = typeof stored[field] === 'string' ? (stored[field] as string) : null;
  if (!hex) {
    if (opts.create === false) return null;
    hex = newPrivateKey(alg);
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    // read again just before writing: another process may have added its keys meanwhile
    const now = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    if (typeof now[field] === 'string') hex = now[field] as string;
    else fs.writeFileSync(file, JSON.stringify({ ...now, [field]: hex }), { mode: 0o600 });
  }
  return signingKeyOf(alg, parseKey('SIGNING_KEY', hex));
}
