import { z } from 'zod';

/**
 * One route's contract: its method and path, the schemas of its request (params, query, body) and
 * of its answer. The server registers the route from it (validation, serialisation through the
 * answer schema, the OpenAPI document); the web client calls it and takes its types from it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Answers that are files rather than JSON: the OpenAPI document names their media type. */
export type FileAnswer =
  | 'application/pdf'
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/zip'
  | 'application/octet-stream'
  | 'text/csv';

export interface RouteContract {
  /** operationId: unique, lowerCamelCase */
  id: string;
  method: HttpMethod;
  path: string;
  /** 中文 + English */
  summary: string;
  tags: readonly string[];
  /** who may call it: a signed-in account (the session cookie) or anyone */
  auth: 'session' | 'public';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** multipart/form-data bodies (uploads) are read by the handler, not by a schema */
  multipart?: boolean;
  /** the status of a successful answer */
  status: 200 | 201 | 202;
  /** the JSON answer; a file answer has none */
  response: z.ZodType | null;
  /** the media type of a file answer, or of the alternative answer to ?format=xlsx */
  file?: FileAnswer;
  /** ?format=xlsx gives the same list as an Excel file */
  xlsx?: boolean;
}

/** Declares a route; `const` keeps the literal types the client needs. */
export function route<const C extends RouteContract>(c: C): C {
  return c;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;
type InferIn<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a caller sends: params, query and body, each only where the route has them. */
export type RequestOf<C extends RouteContract> = (C['params'] extends z.ZodType
  ? { params: InferIn<C['params']> }
  : { params?: undefined }) &
  (C['query'] extends z.ZodType ? { query?: InferIn<C['query']> } : { query?: undefined }) &
  (C['body'] extends z.ZodType ? { body: InferIn<C['body']> } : { body?: undefined });

/** What the server's handler receives, after validation. */
export interface ParsedRequestOf<C extends RouteContract> {
  params: Infer<C['params']>;
  query: Infer<C['query']>;
  body: Infer<C['body']>;
}

/** The answer's JSON as the client receives it. */
export type ResponseOf<C extends RouteContract> = C['response'] extends z.ZodType ? z.output<C['response']> : Blob;
/** What a handler returns, before the answer schema encodes it. */
export type HandlerResultOf<C extends RouteContract> = C['response'] extends z.ZodType ? z.input<C['response']> : unknown;

// ───────────────────────────── shared pieces ─────────────────────────────

/** The error answer of every route: a stable code, a Chinese message, details for programs. */
export const ErrorBody = z
  .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
  .meta({ id: 'ErrorBody', description: '错误 Error: code, Chinese message, details' });
export type ErrorBody = z.infer<typeof ErrorBody>;

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Free text: bounded, no NUL byte, no lone UTF-16 surrogate. */
export const Text = (max: number) =>
  z
    .string()
    .max(max, `不能超过${max}字`)
    .refine((s) => !NUL.test(s), '不能包含空字符')
    .refine((s) => !LONE_SURROGATE.test(s), '包含无效的字符');

/** An id as the database holds it: 1 … 2147483647. */
export const Id = z.coerce.number<number | string>().int('编号须为整数').positive('编号须为正整数').max(2147483647, '编号超出范围');
export const IdParams = z.object({ id: Id });

/** A calendar date that exists: YYYY-MM-DD. */
export const DateStr = z.string().refine((s) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s && s >= '1900-01-01';
}, '日期须为有效的YYYY-MM-DD');

/**
 * A moment, as ISO 8601 text. Presenters hand over text (the server's iso()); a Date that a raw
 * SQL column still carries is let through too and becomes the same text in JSON.
 */
export const Timestamp = z
  .custom<string>((v) => typeof v === 'string' || v instanceof Date, '须为时间')
  .meta({ description: 'ISO 8601 date-time', format: 'date-time' });

/** Paging for every list: no list silently stops at a limit. */
export const Page = {
  limit: z.coerce.number<number | string>().int().min(1).max(500).default(50),
  offset: z.coerce.number<number | string>().int().min(0).max(2147483647).default(0),
};
export const Ok = z.object({ ok: z.literal(true) });
