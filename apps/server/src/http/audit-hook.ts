import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditApi, authApi, type RouteContract } from '@pingan/contract';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE } from '../modules/auth/service.js';
import { routeKey, routeTable } from '../modules/audit/actions.js';
import { accountByUsername, recordAudit, type AuditEntry } from '../modules/audit/service.js';
import { cleanHeader, clientOf } from './client.js';
import { loggable } from './failures.js';

/**
 * The audit trail's recorder (审计日志). After the answer has gone, one row for every state-changing
 * /api request (POST, PUT, PATCH, DELETE: logins, logouts and password changes included), for every
 * GET that answers a file (an export or a download) and for every look at the trail itself.
 *
 * The action is the contract's route id, the object the route's area (its first tag) and the path's
 * id; the result says ok (2xx), denied (401, 403, 404, 423, 429) or failed; the detail holds the
 * status and the answer's error code, never a body. A write that fails is logged without data and
 * never reaches the person who made the request.
 */

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DENIED = new Set([401, 403, 404, 423, 429]);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** GET routes recorded although they answer JSON: looking at the audit trail. */
export const AUDITED_READS = new Set<string>([auditApi.list.id]);

/** Requests whose handler has written its own row (e.g. the purge, inside its transaction). */
const recorded = new WeakSet<FastifyRequest>();
/** The error code of an error answer, read from the answer as it is sent. */
const errorCodes = new WeakMap<FastifyRequest, string>();
/** Writes not yet finished, so tests (and close) can wait for them. */
const pending = new Set<Promise<void>>();

/** Tells the hook that this request's row is already written. */
export function markRecorded(req: FastifyRequest): void {
  recorded.add(req);
}

/** Resolves when every audit write started so far has finished (tests; shutdown). */
export async function flushAuditWrites(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}

export type FileKind = 'export' | 'download';

/** Does this GET answer a file? Exports (Excel, a standard's file) and downloads (evidence, photos, certificates). */
export function fileKind(c: RouteContract | undefined, query: unknown): FileKind | null {
  if (!c || c.method !== 'GET' || !c.file) return null;
  if (c.xlsx) return (query as { format?: unknown } | undefined)?.format === 'xlsx' ? 'export' : null;
  return c.file === XLSX || /^export/.test(c.id) || /\/export$/.test(c.path) ? 'export' : 'download';
}

export const resultOf = (status: number): AuditEntry['result'] =>
  status >= 200 && status < 300 ? 'ok' : DENIED.has(status) ? 'denied' : 'failed';

/** The path's id, or its only other parameter, as text. */
function objectIdOf(params: unknown): string | null {
  if (!params || typeof params !== 'object') return null;
  const p = params as Record<string, unknown>;
  const v = 'id' in p ? p.id : Object.values(p)[0];
  return typeof v === 'number' || typeof v === 'string' ? cleanHeader(String(v), 64) : null;
}

/** The name typed at the login, from the parsed body's `username` only. */
function typedUsername(body: unknown): string | null {
  const v = body && typeof body === 'object' ? (body as { username?: unknown }).username : undefined;
  return typeof v === 'string' ? cleanHeader(v.trim(), 64) : null;
}

/** Installs the hooks on the root instance; call before the route modules are registered. */
export function installAuditHook(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const table = routeTable();
  const contractOf = (req: FastifyRequest) => {
    const url = req.routeOptions.url;
    return url ? table.byRoute.get(routeKey(req.method, url)) : undefined;
  };

  // logging out ends the session: learn whose it is before the handler does
  app.addHook('preHandler', async (req: FastifyRequest) => {
    if (req.currentUser !== undefined || req.method !== 'POST' || req.routeOptions.url !== authApi.logout.path) return;
    await ctx.requireUser(req).catch(() => undefined);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.length < 65_536 && req.url.startsWith('/api/')) {
      try {
        const code = (JSON.parse(payload) as { code?: unknown }).code;
        if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code)) errorCodes.set(req, code);
      } catch {
        /* not JSON: no code */
      }
    }
    return payload;
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.url.startsWith('/api/') || recorded.has(req)) return;
    const c = contractOf(req);
    const kind = req.method === 'GET' ? fileKind(c, req.query) : null;
    if (!STATE_CHANGING.has(req.method) && !kind && !(c && AUDITED_READS.has(c.id))) return;
    const tracked = entryFor(req, reply.statusCode, c, kind)
      .then((e) => recordAudit(db, ctx.keys, e))
      .catch((err: unknown) => req.log.error({ error: loggable(err) }, 'audit trail write failed'));
    pending.add(tracked);
    try {
      await tracked;
    } finally {
      pending.delete(tracked);
    }
  });

  app.addHook('onClose', async () => {
    await flushAuditWrites();
  });

  async function entryFor(req: FastifyRequest, status: number, c: RouteContract | undefined, kind: FileKind | null): Promise<AuditEntry> {
    const code = errorCodes.get(req);
    const isLogin = c?.id === authApi.login.id;
    let actor: AuditEntry['actor'] = null;
    let username: string | null = null;
    if (isLogin) {
      username = typedUsername(req.body);
      if (status === 200 && username) actor = await accountByUsername(db, username);
    } else {
      // a request refused before its handler asked (a bad body, say) still names the account of its session
      if (req.currentUser === undefined && req.cookies?.[SESSION_COOKIE]) await ctx.requireUser(req).catch(() => undefined);
      const u = req.currentUser;
      if (u) actor = { id: u.id, username: u.username, role: u.role };
    }
    const detail: Record<string, unknown> = { status };
    if (code) detail.code = code;
    if (kind) detail.kind = kind;
    if (!c) {
      // no route of the contract: a probe or a stale client; which path it tried (no query string)
      detail.method = req.method;
      detail.path = cleanHeader(req.url.split('?')[0], 200);
    }
    return {
      actor,
      username,
      client: clientOf(req),
      action: c?.id ?? 'unmatchedRoute',
      objectType: c?.tags[0] ?? null,
      objectId: c ? objectIdOf(req.params) : null,
      result: resultOf(status),
      detail,
    };
  }
}
