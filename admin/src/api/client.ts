/**
 * The one way the panel talks to the server: cookies carry the session (credentials: 'include'),
 * unsafe requests echo the readable `zeta_csrf` cookie in `X-CSRF-Token`, and a 401 triggers one
 * refresh attempt before the user is sent back to the login screen.
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
  /** `[{path, message}]` from validation failures, when the server sent them */
  get issues(): { path: string; message: string }[] {
    return Array.isArray(this.details)
      ? (this.details as { path: string; message: string }[]).filter((d) => d && typeof d === 'object')
      : [];
  }
}

export const API_BASE = '/api';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  const found = document.cookie
    .split(';')
    .map((s) => s.trim())
    .find((s) => s.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : undefined;
}

export function csrfHeaders(method: string): Record<string, string> {
  const token = UNSAFE.has(method.toUpperCase()) ? readCookie('zeta_csrf') : undefined;
  return token ? { 'X-CSRF-Token': token } : {};
}

let onUnauthorized: () => void = () => {};
/** the session module installs what happens when refresh fails (clear user, go to login) */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

let refreshing: Promise<boolean> | undefined;
/** one refresh at a time, shared by every request that got a 401 meanwhile */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch(`${API_BASE}/auth/refresh`, {
    method: 'POST',
    credentials: 'include',
    headers: csrfHeaders('POST'),
  })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => (refreshing = undefined), 0);
    });
  return refreshing;
}

export type RequestOptions = {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** send as-is with this content type (CSV import, photos) */
  raw?: { contentType: string; data: string | Blob };
  /** auth routes must not trigger the refresh dance */
  noRefresh?: boolean;
  signal?: AbortSignal;
};

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

export async function toApiError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let details: unknown;
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: unknown } | string;
      message?: string;
    };
    if (body && typeof body.error === 'object') {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      details = body.error.details;
    } else if (typeof body?.error === 'string') message = body.error;
    else if (typeof body?.message === 'string') message = body.message;
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, code, message, details);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const send = () => {
    const headers: Record<string, string> = { Accept: 'application/json', ...csrfHeaders(method) };
    let body: string | Blob | undefined;
    if (opts.raw) {
      headers['Content-Type'] = opts.raw.contentType;
      body = opts.raw.data;
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    return fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'include', signal: opts.signal });
  };
  let res = await send();
  if (res.status === 401 && !opts.noRefresh) {
    if (await refreshSession()) res = await send();
    if (res.status === 401) {
      onUnauthorized();
      throw await toApiError(res);
    }
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: RequestOptions['query']) =>
    request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/**
 * Uploads with progress (fetch has no upload progress): XMLHttpRequest, same cookie + CSRF rules.
 * Resolves with the parsed JSON body even on 4xx so callers can show per-row errors.
 */
export function uploadWithProgress(
  url: string,
  data: string,
  contentType: string,
  onProgress: (loaded: number, total: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [k, v] of Object.entries(csrfHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : data.length);
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* keep text */
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(data);
  });
}
