import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AdminApiDeps, ResolvedOptions } from '../deps.ts';
import { ACCESS_COOKIE, csrfMatches, readCookie } from '../auth/cookies.ts';
import type { UserRole } from '../auth/roles.ts';
import { verifyAccessToken } from '../auth/tokens.ts';
import { findUserById, issuedBeforePasswordChange } from '../store/users.ts';
import { findApiToken, looksLikeApiToken, markApiTokenUsed } from '../store/apiTokens.ts';
import { mayManage } from '../auth/roles.ts';
import { ApiError, errorResponse, forbidden, unauthorized } from './errors.ts';
import type { AdminEnv, Ctx } from './route.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The client IP: the socket peer, or the address our proxy appended to X-Forwarded-For when we trust it. */
export function clientIp(deps: AdminApiDeps, options: ResolvedOptions): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    c.set('clientIp', deps.clientIp?.(c) ?? findIp(c, options.trustProxy));
    await next();
  };
}

function findIp(c: Ctx, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * 100 requests a minute per IP by default; the limiter lives in the state backend so replicas share it.
 * The playground with an API token is limited per token instead (chatRateLimit): a test suite sends
 * hundreds of messages from one machine. A token that fails to authenticate still costs its IP a hit.
 */
export function rateLimit(deps: AdminApiDeps, options: ResolvedOptions): MiddlewareHandler<AdminEnv> {
  const limit = options.rateLimitPerMinute;
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const key = `admin-api:${c.get('clientIp')}`;
    if (isChatWithApiToken(c)) {
      await next();
      if (c.res.status === 401) await deps.state.rateLimiter.hit(key, limit, 60_000);
      return;
    }
    const decision = await deps.state.rateLimiter.hit(key, limit, 60_000);
    if (!decision.allowed) return tooMany(limit, decision.resetMs);
    await next();
    // the playground's own limit, when it is what the caller ran into, is the one to report
    if (c.res.headers.has('ratelimit-limit')) return;
    c.header('ratelimit-limit', String(limit));
    c.header('ratelimit-remaining', String(Math.max(0, decision.remaining)));
  };
}

const isChatWithApiToken = (c: Ctx): boolean =>
  /\/chat\/[^/]+$/.test(c.req.path) &&
  looksLikeApiToken(/^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '');

function tooMany(limit: number, resetMs: number): Response {
  const retryAfter = String(Math.max(1, Math.ceil(resetMs / 1000)));
  return errorResponse(
    429,
    'rate_limited',
    `too many requests: ${limit} per minute; retry in ${retryAfter} s`,
    undefined,
    {
      'retry-after': retryAfter,
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': '0',
    },
  );
}

/** `POST /api/chat/:city` messages per minute per API token, or per user for panel sessions (CHAT_RATE_LIMIT_PER_MINUTE). */
export function chatRateLimit(deps: AdminApiDeps, options: ResolvedOptions): MiddlewareHandler<AdminEnv> {
  const limit = options.chatRateLimitPerMinute;
  return async (c, next) => {
    const token = c.get('apiToken');
    const key = token ? `chat:token:${token.id}` : `chat:user:${c.get('user').id}`;
    const decision = await deps.state.rateLimiter.hit(key, limit, 60_000);
    if (!decision.allowed) return tooMany(limit, decision.resetMs);
    await next();
    c.header('ratelimit-limit', String(limit));
    c.header('ratelimit-remaining', String(Math.max(0, decision.remaining)));
  };
}

/** An explicit allow-list; with credentials a wildcard is never sent. */
export function corsPolicy(options: ResolvedOptions): MiddlewareHandler<AdminEnv> {
  const allowed = new Set(options.corsOrigins.filter((o) => o !== '*'));
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token'],
    exposeHeaders: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'],
    maxAge: 600,
  });
}

/** Headers for a JSON API: no sniffing, no framing, no caching of private data, no referrer leaks. */
export const securityHeaders: MiddlewareHandler<AdminEnv> = async (c, next) => {
  await next();
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  c.header('referrer-policy', 'no-referrer');
  c.header('cross-origin-resource-policy', 'same-origin');
  c.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
};

/**
 * Who is calling: a bearer token (API clients) or the access cookie (the panel). Cookie-borne
 * unsafe requests must echo the CSRF cookie in X-CSRF-Token. The user is re-read on every request
 * so a deactivated account or a changed role counts at once.
 */
export function authenticate(deps: AdminApiDeps): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let token: string | undefined;
    let via: 'bearer' | 'cookie';
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized('Authorization must be "Bearer <token>"');
      token = match[1];
      via = 'bearer';
    } else {
      token = readCookie(c, ACCESS_COOKIE);
      via = 'cookie';
    }
    if (!token) throw unauthorized();
    if (via === 'bearer' && looksLikeApiToken(token)) {
      await authenticateApiToken(deps, c, token);
      return next();
    }
    const claims = await verifyAccessToken(deps.jwtSecret, token, deps.clock?.() ?? new Date());
    if (!claims) throw unauthorized('the access token is invalid or expired');
    const user = await findUserById(deps.db, claims.sub);
    if (!user || !user.is_active) throw unauthorized('the account is unknown or deactivated');
    if (issuedBeforePasswordChange(claims.issuedAt, user))
      throw unauthorized('the password was changed since this token was issued; log in again');
    if (via === 'cookie' && !SAFE.has(c.req.method) && !csrfMatches(c)) {
      throw new ApiError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header (echo the zeta_csrf cookie)');
    }
    c.set('user', { id: user.id, email: user.email, name: user.name, role: user.role });
    c.set('authVia', via);
    c.set('authExpiresAt', claims.expiresAt);
    await next();
  };
}

/**
 * An API token acts with its own role on behalf of the admin who made it: it stops working when it
 * is revoked or expires, and when its maker is deleted, deactivated or may no longer grant its role.
 */
async function authenticateApiToken(deps: AdminApiDeps, c: Ctx, secret: string): Promise<void> {
  const found = await findApiToken(deps.db, secret);
  const now = deps.clock?.() ?? new Date();
  if (!found) throw unauthorized('the API token is unknown');
  const { token, creator } = found;
  if (token.revoked_at) throw unauthorized('the API token was revoked');
  if (token.expires_at && token.expires_at.getTime() <= now.getTime()) throw unauthorized('the API token has expired');
  if (!creator || !creator.is_active || !mayManage(creator.role, token.role)) {
    throw unauthorized('the account that made this API token is gone, deactivated or may no longer grant its role');
  }
  await markApiTokenUsed(deps.db, token, now);
  // shoppers may see the name (a manager's reply), so it stays the maker's; apiToken tells the token apart
  c.set('user', { id: creator.id, email: creator.email, name: creator.name, role: token.role });
  c.set('authVia', 'bearer');
  c.set('apiToken', { id: token.id, name: token.name });
  // a long stream opened with a token ends when the token expires
  c.set('authExpiresAt', token.expires_at ? Math.floor(token.expires_at.getTime() / 1000) : Number.POSITIVE_INFINITY);
}

export function authorize(roles: readonly UserRole[]): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (!roles.includes(c.get('user').role)) throw forbidden(`this needs one of the roles: ${roles.join(', ')}`);
    await next();
  };
}
