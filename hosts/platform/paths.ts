import type { MiddlewareHandler } from 'hono';

/**
 * A path whose percent-encoding does not decode (`/admin/%E0%A4%A`) names nothing: it is the
 * caller's mistake (400), not a failure of whichever route would have tried to decode it.
 */
export const rejectMalformedPaths: MiddlewareHandler = async (c, next) => {
  try {
    // only a `%` can be malformed: the usual request (every webhook) skips parsing its URL
    if (c.req.url.includes('%')) decodeURIComponent(new URL(c.req.url).pathname);
  } catch {
    return c.json({ error: { code: 'bad_request', message: 'the path is not valid percent-encoded UTF-8' } }, 400);
  }
  await next();
};
