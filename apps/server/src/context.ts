import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { FileStorage } from './storage/storage.js';
import type { Keys } from './crypto/keys.js';
import type { CurrentUser } from './access/scope.js';
import type { CodeSender } from './modules/public/otp.js';
import type { JobQueue } from './jobs/queue.js';

/** What every route module is handed: no globals, so tests can build as many apps as they like. */
export interface AppContext {
  config: Config;
  database: Database;
  storage: FileStorage;
  /** DATA_KEY and AUDIT_KEY (crypto/keys.ts): personal data encryption and the audit chain */
  keys: Keys;
  /** one-time codes by SMS to the public (modules/public/otp.ts); the default writes them to the log */
  sms: CodeSender;
  /** background jobs (jobs/queue.ts): modules register their kinds at boot; the queue starts once all routes are registered */
  jobs: JobQueue;
  /** resolves the signed-in account or throws UNAUTHENTICATED */
  requireUser(req: FastifyRequest): Promise<CurrentUser>;
}
