import crypto from 'node:crypto';
import { sm2 } from 'sm-crypto';
import { SM2_SPKI_PREFIX, ed25519PrivateKey, sm2PublicHex, type SignatureAlg, type SigningKey } from '../../crypto/keys.js';

/**
 * Signed certificates. What a certificate says is put into canonical JSON (keys sorted, no spaces,
 * UTF-8) and signed with the platform's key: Ed25519, or SM2 with SM3 under CRYPTO_PROFILE=sm.
 * The PDF carries the JSON and the signature in its document information (PinganCert* keys), so
 * `npm run admin -- verify-certificate file.pdf` checks it offline with the public key
 * (GET /api/public/signing-key).
 */

/** What a certificate's signature covers: everything it prints about the title. */
export interface CertificatePayload {
  /** the format's version */
  v: 1;
  certificateNo: string;
  /** the holder's name as printed */
  holder: string;
  title: string;
  year: number;
  /** 0 where the scheme has no stars (level 'title') */
  stars: number;
  level: string;
  issuer: string;
  /** YYYY-MM-DD */
  conferredOn: string;
  /** 命名文件, or null when none was recorded */
  namingDocument: string | null;
}

export const SIGNED_FIELDS = [
  'v',
  'certificateNo',
  'holder',
  'title',
  'year',
  'stars',
  'level',
  'issuer',
  'conferredOn',
  'namingDocument',
] as const;

/** JSON with object keys sorted at every depth and no whitespace: one text for one value. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('canonical JSON: a number must be finite');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** Signs the text (UTF-8); the signature in base64 (Ed25519: 64 bytes; SM2: r ‖ s, 64 bytes). */
export function signText(key: SigningKey, text: string): string {
  const data = Buffer.from(text, 'utf8');
  if (key.alg === 'Ed25519') return crypto.sign(null, data, ed25519PrivateKey(key.privateKey)).toString('base64');
  const hex = sm2.doSignature(Array.from(data), key.privateKey.toString('hex'), { hash: true, publicKey: sm2PublicHex(key.privateKey) });
  return Buffer.from(hex, 'hex').toString('base64');
}

/** A public key read from its PEM (SubjectPublicKeyInfo): which algorithm, and the key. */
export type PublicKey = { alg: 'Ed25519'; key: crypto.KeyObject } | { alg: 'SM2-SM3'; hex: string };

export function readPublicKeyPem(text: string): PublicKey {
  const m = text.match(/-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/);
  if (!m) throw new Error('不是PEM格式的公钥 (expected -----BEGIN PUBLIC KEY-----)');
  const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  if (der.length === SM2_SPKI_PREFIX.length + 65 && der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX))
    return { alg: 'SM2-SM3', hex: der.subarray(SM2_SPKI_PREFIX.length).toString('hex') };
  const key = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`不支持的公钥类型 unsupported key type: ${key.asymmetricKeyType ?? '?'}`);
  return { alg: 'Ed25519', key };
}

/** Whether `signature` (base64) is `alg`'s signature of `text` under the public key. Never throws on bad input. */
export function verifyText(pub: PublicKey, alg: string, text: string, signature: string): boolean {
  if (alg !== pub.alg) return false;
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64) return false;
  const data = Buffer.from(text, 'utf8');
  try {
    if (pub.alg === 'Ed25519') return crypto.verify(null, data, pub.key, sig);
    return sm2.doVerifySignature(Array.from(data), sig.toString('hex'), pub.hex, { hash: true });
  } catch {
    return false;
  }
}

export function publicKeyOf(key: SigningKey): PublicKey {
  return readPublicKeyPem(key.publicKeyPem);
}

/** The public key's fingerprint: SHA-256 of its DER, hex, for comparing keys by eye. */
export function fingerprint(publicKeyPem: string): string {
  const body = publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return crypto.createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex');
}

// ───────────────────────────── in the PDF ─────────────────────────────

/** The document information keys a certificate PDF carries (pdfkit writes each as an indirect string object). */
export const PDF_KEYS = { data: 'PinganCertData', signature: 'PinganCertSignature', alg: 'PinganCertSignatureAlg' } as const;

export interface SignedCertificate {
  /** the canonical JSON */
  signedData: string;
  /** base64 */
  signature: string;
  signatureAlg: SignatureAlg | string;
}

/** The information entries to hand pdfkit: the data in base64 (ASCII only, so it survives as a plain PDF string). */
export function pdfInfoEntries(s: SignedCertificate): Record<string, string> {
  return {
    [PDF_KEYS.data]: Buffer.from(s.signedData, 'utf8').toString('base64'),
    [PDF_KEYS.signature]: s.signature,
    [PDF_KEYS.alg]: s.signatureAlg,
  };
}

/**
 * Reads the signed data back from a certificate PDF: the document information dictionary names
 * each PinganCert* entry, directly as a string or as an indirect object holding one. Null when the
 * file carries none (not a certificate of this platform).
 */
export function readSignedPdf(pdf: Buffer): SignedCertificate | null {
  const text = pdf.toString('latin1');
  const value = (key: string): string | null => {
    // the last occurrence wins, as with an incremental update
    const direct = [...text.matchAll(new RegExp(`/${key}\\s*\\(([A-Za-z0-9+/=._-]*)\\)`, 'g'))].pop();
    if (direct) return direct[1]!;
    const ref = [...text.matchAll(new RegExp(`/${key}\\s+(\\d+)\\s+(\\d+)\\s+R`, 'g'))].pop();
    if (!ref) return null;
    const obj = [
      ...text.matchAll(new RegExp(`(?:^|[\\r\\n\\s])${ref[1]}\\s+${ref[2]}\\s+obj\\s*\\(([A-Za-z0-9+/=._-]*)\\)\\s*endobj`, 'g')),
    ].pop();
    return obj ? obj[1]! : null;
  };
  const data = value(PDF_KEYS.data);
  const signature = value(PDF_KEYS.signature);
  const alg = value(PDF_KEYS.alg);
  if (data === null || signature === null || alg === null) return null;
  return { signedData: Buffer.from(data, 'base64').toString('utf8'), signature, signatureAlg: alg };
}
