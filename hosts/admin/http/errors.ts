import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error type of the admin API. Every failure — validation, auth, missing rows, rate
 * limit — leaves as `{ error: { code, message, details? } }` with the matching status, so the
 * panel and scripts parse one shape.
 */
export class ApiError extends HTTPException {
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(status, { message });
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  override getResponse(): Response {
    return errorResponse(this.status as ContentfulStatusCode, this.code, this.message, this.details, this.headers);
  }
}

export function errorResponse(
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
  headers: Record<string, string> = {},
): Response {
  const error = details === undefined ? { code, message } : { code, message, details };
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'bad_request', message, details);
export const validationFailed = (details: unknown, message = 'request is invalid') =>
  new ApiError(400, 'validation_failed', message, details);
export const unauthorized = (message = 'authentication required') =>
  new ApiError(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (message = 'your role may not do this') => new ApiError(403, 'forbidden', message);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new ApiError(422, code, message, details);
export const unavailable = (message: string) => new ApiError(503, 'unavailable', message);

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

export type ErrorLogger = { error(obj: object, msg?: string): void };

/** Hono `onError`: our errors render themselves, foreign HTTPExceptions get our shape, the rest is a logged 500. */
export function renderError(log?: ErrorLogger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) return err.getResponse();
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return errorResponse(status, CODE_BY_STATUS[status] ?? 'error', err.message || 'request failed');
    }
    if (isUnavailable(err))
      return errorResponse(503, 'unavailable', 'a backing service is unavailable; try again shortly', undefined, {
        'retry-after': '5',
      });
    log?.error({ err, method: c.req.method, path: c.req.path }, 'admin API request failed');
    return errorResponse(500, 'internal', 'internal error');
  };
}

function isUnavailable(err: Error): boolean {
  return err.name === 'StorageUnavailableError' || err.name === 'StateUnavailableError';
}
