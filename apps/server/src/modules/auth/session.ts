import type { FastifyRequest } from 'fastify';
import { authApi } from '@pingan/contract';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { assertNoBusinessForAdmins } from '../../access/admin.js';
import { currentPolicy } from '../policy/service.js';
import { SESSION_COOKIE, gateOf, userForToken, type AccountFlags } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** what the session's account must do first (set with currentUser) */
    accountFlags?: AccountFlags;
  }
}

/**
 * The routes an account held at a gate may still use: who am I, log out, change the password, set
 * up the second factor. Every other session route answers 403 PASSWORD_CHANGE_REQUIRED or
 * TOTP_SETUP_REQUIRED until the account has done it.
 */
const OPEN_AT_GATE = new Set(
  [authApi.me, authApi.logout, authApi.changePassword, authApi.totpSetup, authApi.totpConfirm].map((c) => `${c.method} ${c.path}`),
);

/**
 * ctx.requireUser: the signed-in account of the request (resolved once a request) under the
 * security policy in force, or 401; then the gate, then 三员分立 (no business for administrators).
 */
export async function requireSessionUser(db: Db, config: Config, req: FastifyRequest): Promise<CurrentUser> {
  if (req.currentUser === undefined) {
    const found = await userForToken(db, req.cookies[SESSION_COOKIE], await currentPolicy(db, config));
    req.currentUser = found?.user ?? null;
    if (found) req.accountFlags = found.flags;
  }
  if (!req.currentUser) throw new AppError('UNAUTHENTICATED');
  const route = req.routeOptions.url ?? '';
  const gate = req.accountFlags ? gateOf(req.accountFlags) : null;
  if (gate && !OPEN_AT_GATE.has(`${req.method} ${route}`)) throw new AppError(gate);
  // 三员分立: the administrators do no business work (access/admin.ts)
  assertNoBusinessForAdmins(req.currentUser, route);
  return req.currentUser;
}
