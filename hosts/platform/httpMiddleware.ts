import type { ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { RequestIdVariables } from 'hono/request-id';
import { isUnavailable } from '../runtime/turn.ts';
import type { Logger } from '../runtime/ports.ts';
import type { Metrics } from './metrics.ts';

/** Every error leaves as `{ error: { code, message } }`; a storage outage is a retryable 503, not a 500. */
export function renderError(log: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HTTPException) {
      const res = error.getResponse();
      if (res.headers.get('content-type')?.includes('json')) return res;
      return c.json({ error: { code: String(error.status), message: error.message } }, error.status);
    }
    if (isUnavailable(error)) {
      log.warn({ err: (error as Error).message, path: c.req.path }, 'storage unavailable');
      return c.json(
        { error: { code: 'unavailable', message: 'storage is temporarily unavailable, retry shortly' } },
        503,
        { 'Retry-After': '2' },
      );
    }
    log.error(
      { err: error instanceof Error ? (error.stack ?? error.message) : String(error), path: c.req.path },
      'request failed',
    );
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  };
}

/** Counts and times every request by route, and logs it with its request id. */
export function accessLog(metrics: Metrics, log: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath ?? c.req.path;
    const ms = performance.now() - started;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, ms / 1000);
    // every failure and every slow request is logged with its id; the rest only at debug level
    const entry = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(ms),
    };
    if (c.res.status >= 500 || ms > 1_000) log.warn(entry, 'request');
    else if (c.res.status >= 400) log.info(entry, 'request');
    else (log as { debug?: (o: object, m: string) => void }).debug?.(entry, 'request');
  };
}
