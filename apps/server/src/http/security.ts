import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

/**
 * The web app's Content-Security-Policy. antd (cssinjs) injects <style> elements, hence
 * style-src 'unsafe-inline'; scripts come only from our own files.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  scriptSrcAttr: ["'none'"],
  upgradeInsecureRequests: null,
};

/** The Swagger UI at /api/docs runs inline scripts of its own: only there is script-src relaxed. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers (helmet: CSP, frame-ancestors / X-Frame-Options, Referrer-Policy, nosniff, HSTS
 * over https), Cache-Control: no-store on every API answer, the cross-site request guard (a
 * state-changing request whose Origin is another site's is refused) and the rate limiter that the
 * login route uses. Call before any route is registered.
 */
export async function installSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // the platform's pages and files are its own; other sites need not embed them
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // HSTS only means something over https; helmet sends it on every answer, which browsers ignore over http
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });

  const publicOrigin = config.PUBLIC_BASE_URL ? new URL(config.PUBLIC_BASE_URL).origin : null;
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!STATE_CHANGING.has(req.method)) return;
    const origin = req.headers.origin;
    if (origin === undefined) return; // curl, scripts, tests: no browser, no ambient cookie to abuse
    if (!sameOrigin(origin, req, publicOrigin)) throw new AppError('CROSS_ORIGIN', '拒绝来自其他网站的请求：请从本平台页面提交操作');
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    if (req.url === '/api/docs' || req.url.startsWith('/api/docs/') || req.url.startsWith('/api/docs?'))
      reply.header('content-security-policy', DOCS_CSP);
    return payload;
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', `尝试过于频繁，请${Math.max(1, Math.ceil(ctx.ttl / 1000))}秒后再试`),
  });
}

/** Same site: the Origin's host is the Host the request was sent to, or the configured public address. */
function sameOrigin(origin: string, req: FastifyRequest, publicOrigin: string | null): boolean {
  if (publicOrigin && origin === publicOrigin) return true;
  try {
    const o = new URL(origin); // "null" (sandboxed frames, some redirects) fails here and is refused
    // read the Host with the Origin's scheme, so a default port written out (":80") compares equal
    return o.host === new URL(`${o.protocol}//${req.host}`).host;
  } catch {
    return false;
  }
}
