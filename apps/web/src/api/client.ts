import type { ErrorBody, RequestOf, ResponseOf, RouteContract } from '@pingan/contract';
import { translate } from '../locales';

/**
 * The one fetch client. Every call is same-origin with the session cookie; a failure becomes an
 * ApiError carrying the server's code, Chinese message and details.
 */
export type ApiErrorBody = ErrorBody;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string';
}

let onUnauthorized: (() => void) | null = null;

/** Called when a signed-in call answers 401 (the session ended): the app returns to the login page. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** What the server demands before anything else (403 with one of these codes). */
export type ForcedCode = 'PASSWORD_CHANGE_REQUIRED' | 'TOTP_SETUP_REQUIRED';
const FORCED_CODES = new Set<string>(['PASSWORD_CHANGE_REQUIRED', 'TOTP_SETUP_REQUIRED']);
let onForced: ((code: ForcedCode) => void) | null = null;

/** Called when an answer says the password must be changed or a second factor set up first. */
export function setForcedHandler(fn: ((code: ForcedCode) => void) | null): void {
  onForced = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    if (isErrorBody(body))
      throw new ApiError(res.status, (body as ApiErrorBody).code ?? 'ERROR', body.message, (body as ApiErrorBody).details);
    throw new ApiError(res.status, 'HTTP_' + res.status, translate('error.http', { status: res.status }));
  }
  return body as T;
}

export async function request<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
    res = await fetch(path, {
      ...init,
      method,
      credentials: 'same-origin',
      headers:
        isForm || body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', translate('error.network'));
  }
  if (res.status === 401 && path !== '/api/me' && path !== '/api/auth/login') onUnauthorized?.();
  try {
    return await parse<T>(res);
  } catch (e) {
    if (e instanceof ApiError && FORCED_CODES.has(e.code)) onForced?.(e.code as ForcedCode);
    throw e;
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
};

/** The server's Chinese message, whatever was thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return translate('error.unknown');
}

/** The path of a route with its parameters filled in: /api/applications/:id → /api/applications/42. */
export function pathOf(c: RouteContract, params?: Record<string, string | number>): string {
  return c.path.replace(/:(\w+)/g, (_, k: string) => {
    const v = params?.[k];
    if (v === undefined) throw new Error(`missing path parameter ${k} for ${c.id}`);
    return encodeURIComponent(String(v));
  });
}

/**
 * Calls a route by its contract (packages/contract): the request and the answer are typed from the
 * same zod schemas the server validates and serialises with, so a renamed field fails the build.
 */
export function call<C extends RouteContract>(c: C, req: RequestOf<C>): Promise<ResponseOf<C>> {
  const r = req as { params?: Record<string, string | number>; query?: Query; body?: unknown };
  const url = withQuery(pathOf(c, r.params), r.query);
  const body = c.body ? (r.body ?? {}) : c.method === 'POST' || c.method === 'PUT' ? {} : undefined;
  return request<ResponseOf<C>>(c.method, url, body);
}

/** The address of a route for a link or a download (GET routes). */
export function urlOf<C extends RouteContract>(c: C, req: RequestOf<C>): string {
  const r = req as { params?: Record<string, string | number>; query?: Query };
  return withQuery(pathOf(c, r.params), r.query);
}
