import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HandlerResultOf, ParsedRequestOf, RouteContract } from '@pingan/contract';
import { ErrorBody } from '@pingan/contract';

/**
 * Registers a route from its contract (packages/contract): the request is validated by the
 * contract's schemas, the answer is serialised through its answer schema (so a field a presenter
 * did not mean to send never leaves), and the OpenAPI document describes both.
 */
export type Handler<C extends RouteContract> = (
  input: ParsedRequestOf<C>,
  req: FastifyRequest,
  reply: FastifyReply,
) => Promise<HandlerResultOf<C> | FastifyReply>;

/** The error answers every route may give; all share one shape. */
const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 415, 422, 429] as const;

/** Routes whose answer is a file, or that also answer ?format=xlsx, for the OpenAPI document. */
export const FILE_ROUTES = new Map<string, RouteContract>();
export const fileRouteKey = (method: string, openapiPath: string) => `${method.toLowerCase()} ${openapiPath}`;

export function register<C extends RouteContract>(app: FastifyInstance, c: C, handler: Handler<C>): void {
  const response: Record<number, unknown> = {};
  if (c.response) response[c.status] = c.response;
  for (const s of ERROR_STATUSES) response[s] = ErrorBody;
  if (c.file || c.xlsx) FILE_ROUTES.set(fileRouteKey(c.method, c.path.replace(/:(\w+)/g, '{$1}')), c);
  app.route({
    method: c.method,
    url: c.path,
    schema: {
      operationId: c.id,
      summary: c.summary,
      tags: [...c.tags],
      ...(c.params ? { params: c.params } : {}),
      ...(c.query ? { querystring: c.query } : {}),
      ...(c.body ? { body: c.body } : {}),
      ...(c.multipart ? { consumes: ['multipart/form-data'] } : {}),
      response,
      security: c.auth === 'session' ? [{ session: [] }] : [],
    },
    handler: async (req, reply) => {
      const out = await handler({ params: req.params, query: req.query, body: req.body } as ParsedRequestOf<C>, req, reply);
      if (out === reply || reply.sent) return reply;
      reply.code(c.status);
      return out;
    },
  });
}

/** Sends a file answer (PDF, Excel, zip) with a download name; skips the JSON serialiser. */
export function sendFile(reply: FastifyReply, data: Buffer, contentType: string, fileName: string): FastifyReply {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .send(data);
}

/** A timestamp as the contract's answers carry it: ISO 8601 text. */
export function iso(d: Date | string): string;
export function iso(d: Date | string | null | undefined): string | null;
export function iso(d: Date | string | null | undefined): string | null {
  if (d == null) return null;
  return typeof d === 'string' ? d : d.toISOString();
}
