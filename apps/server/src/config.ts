import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The one place configuration is read. Parsed once at boot; a bad value stops the process. */
const here = path.dirname(fileURLToPath(import.meta.url));
/** The checkout's root: found by walking up, so it is the same from src/ (tsx) and dist/ (node). */
export const REPO_ROOT = findRoot(here);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'standards')) && fs.existsSync(path.join(dir, 'apps/server/migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the platform's root above ${from}`);
  }
}

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** PostgreSQL URL; when absent the embedded PGlite database in DATA_DIR is used */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, 'data')),
  /** upload limit per evidence file, in bytes */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** moves the platform's calendar by whole days, for rehearsals and browser tests; 0 in production */
  CLOCK_OFFSET_DAYS: z.coerce.number().int().min(-3650).max(3650).default(0),
  /** a session ends this many hours after login, however busy (absolute timeout) */
  SESSION_HOURS: z.coerce.number().positive().default(12),
  /** a session unused this long is dead (idle timeout) */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** this many failed logins in a row lock the account (账号锁定) … */
  LOCKOUT_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** … for this many minutes; even the right password is refused meanwhile */
  LOCKOUT_MINUTES: z.coerce.number().positive().max(100_000).default(10),
  /** login and password-change attempts per client address per minute; the excess gets 429 */
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /**
   * Fastify's trustProxy: false (default) takes the client address and protocol from the socket;
   * true trusts X-Forwarded-For/-Proto from any proxy; otherwise a comma-separated list of the
   * proxies' addresses or CIDRs (e.g. 10.0.0.0/8,127.0.0.1), the safer choice. Set it behind a TLS proxy so the cookie is Secure.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | string[] => {
      const t = v.trim();
      if (t === '' || t === '0' || t === 'false') return false;
      if (t === '1' || t === 'true') return true;
      return t
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
    }),
  /**
   * the address users open, e.g. https://pingan.example.gov.cn; its origin is accepted on state-changing requests besides the Host's.
   * Certificates and plaques print it in their QR code and verify link (`${PUBLIC_BASE_URL}/t/<number>`), never the request's Host.
   * Unset: publicBaseUrl() below gives http://127.0.0.1:${PORT} (HOST instead when it names one address), for a laptop.
   */
  PUBLIC_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** a phone number gets one SMS code per this many seconds (modules/public/otp.ts); browser tests shorten it */
  SMS_RESEND_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** development (default), test or production: production seeds no demo world and requires the keys below */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /**
   * Cryptography profile: 'intl' = AES-256-GCM for personal data and HMAC-SHA-256 for the audit
   * chain; 'sm' = the 国密 profile, SM4 (CTR + HMAC-SM3) and HMAC-SM3.
   */
  CRYPTO_PROFILE: z.enum(['intl', 'sm']).default('intl'),
  /**
   * 32-byte keys, hex or base64: DATA_KEY encrypts ID and phone numbers and TOTP secrets, AUDIT_KEY
   * keys the audit chain. Required in production; elsewhere they are made once and kept in
   * DATA_DIR/keys.json (mode 0600), never in the database.
   */
  DATA_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  AUDIT_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /**
   * The certificates' signing key (32 bytes, hex or base64): the Ed25519 seed, or the SM2 private key
   * under CRYPTO_PROFILE=sm. Required in production; elsewhere made once and kept in DATA_DIR/keys.json.
   * Its public key is served at GET /api/public/signing-key.
   */
  SIGNING_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** audit rows are kept at least this many days (等保: ≥ 180); only older ones can be purged */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).max(36_500).default(180),
  /** seed the demo world into an empty database */
  DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  WEB_DIST: z.string().default(path.join(REPO_ROOT, 'apps/web/dist')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** how often the outbox (mail, SMS) is drained and deadline reminders are checked, in ms; 0 = off */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /**
   * Where evidence files (and uploads waiting for a background job) are kept: 'local' (default) =
   * DATA_DIR/files on this machine; 's3' = an S3-protocol object store (OSS, COS, MinIO…) shared by
   * every server node, named by the S3_* settings below. Several nodes need 's3'.
   */
  STORAGE: z.enum(['local', 's3']).default('local'),
  /** the object store's address, e.g. https://oss-cn-hangzhou.aliyuncs.com or http://minio:9000; unset = AWS's own for S3_REGION */
  S3_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  S3_REGION: z.string().default('us-east-1'),
  /** the bucket, made beforehand by the operator (the platform never creates one) */
  S3_BUCKET: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** the access key pair; both or neither (neither = the SDK's own chain: instance role, ~/.aws) */
  S3_ACCESS_KEY_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** address buckets as ENDPOINT/bucket/key instead of bucket.ENDPOINT/key: 1 for MinIO and most self-hosted stores */
  S3_FORCE_PATH_STYLE: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /**
   * Background jobs (jobs/queue.ts): a running job's node writes a heartbeat every quarter of this;
   * a job not heard of for this many seconds is taken to have lost its node and is started again on
   * another one. Keep it well above a garbage-collection pause; 20 s puts a restart within ~30 s.
   */
  JOB_STALE_SECONDS: z.coerce.number().int().min(2).max(3600).default(20),
  /** jobs one node runs at the same time (PostgreSQL; the embedded database runs them as they come) */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** a job whose node died this many times is given up as failed (a file that crashes a node must not crash them all) */
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
});
export type Config = z.infer<typeof Env>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const r = Env.safeParse(env);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${msg}`);
  }
  const config = { ...r.data, ...overrides };
  if (config.NODE_ENV === 'production') {
    if (!config.DATA_KEY || !config.AUDIT_KEY) throw new Error('invalid configuration: DATA_KEY and AUDIT_KEY are required in production');
    config.DEMO = false;
  }
  checkStorage(config);
  return config;
}

/** STORAGE and the S3_* settings must agree: a half-configured store would lose files or put them on one node's disk. */
function checkStorage(config: Config) {
  const s3Set = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => config[k] !== undefined);
  if (config.STORAGE === 'local') {
    if (s3Set.length)
      throw new Error(
        `invalid configuration: ${s3Set.join(', ')} set but STORAGE=local; set STORAGE=s3 to use the object store, or unset them`,
      );
    return;
  }
  if (!config.S3_BUCKET) throw new Error('invalid configuration: STORAGE=s3 needs S3_BUCKET');
  if (!config.S3_ACCESS_KEY_ID !== !config.S3_SECRET_ACCESS_KEY)
    throw new Error(
      'invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (both, or neither for the SDK default chain)',
    );
  // several nodes share the data: a key made in one node's DATA_DIR/keys.json would be unknown to the others
  const missing = (['DATA_KEY', 'AUDIT_KEY', 'SIGNING_KEY'] as const).filter((k) => !config[k]);
  if (missing.length)
    throw new Error(
      `invalid configuration: STORAGE=s3 (several nodes) needs ${missing.join(', ')} set in the environment, the same on every node`,
    );
}

/**
 * The public address the certificates print (QR code, verify link): PUBLIC_BASE_URL without a
 * trailing slash, else this machine's own address and port (127.0.0.1 when HOST is a wildcard).
 * Never built from a request's Host header, which the client chooses.
 */
export function publicBaseUrl(config: Pick<Config, 'PUBLIC_BASE_URL' | 'PORT' | 'HOST'>): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const wildcard = !config.HOST || config.HOST === '0.0.0.0' || config.HOST === '::' || config.HOST === '[::]';
  const host = wildcard ? '127.0.0.1' : config.HOST.includes(':') && !config.HOST.startsWith('[') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}
