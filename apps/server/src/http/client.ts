import type { FastifyRequest } from 'fastify';

/** Where a request came from, as the audit trail and the session list record it. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/** Headers are attacker-controlled: drop control characters (NUL included) and cap the length. */
export function cleanHeader(value: string | undefined, max = 512): string | null {
  if (!value) return null;
  const clean = value.replace(/[\u0000-\u001f\u007f]|[\ud800-\udfff]/g, '').slice(0, max);
  return clean || null;
}

export function clientOf(req: FastifyRequest): ClientInfo {
  return { ip: cleanHeader(req.ip, 64) ?? 'unknown', userAgent: cleanHeader(req.headers['user-agent']) };
}
