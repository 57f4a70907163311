import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestOf, ResponseOf, RouteContract } from '@pingan/contract';
import { tCommon } from './i18n';

/**
 * The public pages' fetch wrapper: `call(contract, request)` with the request and the answer typed
 * from the same @pingan/contract route the server registers (no session, no staff client).
 */
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

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

function pathOf(c: RouteContract, params?: Record<string, string | number>): string {
  return c.path.replace(/:(\w+)/g, (_, k: string) => {
    const v = params?.[k];
    if (v === undefined) throw new Error(`missing path parameter ${k} for ${c.id}`);
    return encodeURIComponent(String(v));
  });
}

/** The address of a GET route, for a link or a download (CSV, JSON, PDF). */
export function urlOf<C extends RouteContract>(c: C, req: RequestOf<C>): string {
  const r = req as { params?: Record<string, string | number>; query?: Query };
  return withQuery(pathOf(c, r.params), r.query);
}

/** Sends a request; a JSON body for POST/PUT, or FormData for an upload (multipart routes). */
export async function call<C extends RouteContract>(c: C, req: RequestOf<C>, form?: FormData): Promise<ResponseOf<C>> {
  const r = req as { body?: unknown };
  const url = urlOf(c, req);
  const hasBody = c.method === 'POST' || c.method === 'PUT';
  let res: Response;
  try {
    res = await fetch(url, {
      method: c.method,
      credentials: 'same-origin',
      headers: form
        ? { accept: 'application/json' }
        : hasBody
          ? { 'content-type': 'application/json', accept: 'application/json' }
          : { accept: 'application/json' },
      body: form ?? (hasBody ? JSON.stringify(r.body ?? {}) : undefined),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', tCommon('error.network'));
  }
  if (c.response === null && res.ok) return (await res.blob()) as ResponseOf<C>;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const b = body as { code?: unknown; message?: unknown; details?: unknown } | null;
    if (b && typeof b.message === 'string')
      throw new ApiError(res.status, typeof b.code === 'string' ? b.code : 'ERROR', b.message, b.details);
    throw new ApiError(res.status, 'HTTP_' + res.status, tCommon('error.http', { status: res.status }));
  }
  return body as ResponseOf<C>;
}

/** The server's (Chinese) message, whatever was thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  return tCommon('error.unknown');
}

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads on mount and whenever `deps` change: `useApi(() => call(api.list, {query}), [q])`.
 * A late answer to an older request is dropped.
 */
export function useApi<T>(fn: () => Promise<T>, deps: readonly unknown[]): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    fnRef
      .current()
      .then((d) => {
        if (live) setData(d);
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof ApiError ? e : new ApiError(0, 'ERROR', errorMessage(e)));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}
