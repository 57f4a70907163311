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
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** moves the platform's calendar by whole days, for rehearsals and browser tests; 0 in production */
  CLOCK_OFFSET_DAYS: z.coerce.number().int().min(-3650).max(3650).default(0),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  /** seed the demo world into an empty database */
  DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  WEB_DIST: z.string().default(path.join(REPO_ROOT, 'apps/web/dist')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** how often the outbox (mail, SMS) is drained and deadline reminders are checked, in ms; 0 = off */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
});
export type Config = z.infer<typeof Env>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const r = Env.safeParse(env);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${msg}`);
  }
  return { ...r.data, ...overrides };
}
