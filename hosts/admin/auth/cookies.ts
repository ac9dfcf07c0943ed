import { randomBytes, timingSafeEqual } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';

/**
 * Browser sessions: the access and refresh tokens live in httpOnly, SameSite=Strict cookies the
 * page's scripts cannot read; `zeta_csrf` is readable on purpose — the panel echoes it in
 * `X-CSRF-Token` (double submit), which a cross-site form cannot do.
 */
export const ACCESS_COOKIE = 'zeta_access';
export const REFRESH_COOKIE = 'zeta_refresh';
export const CSRF_COOKIE = 'zeta_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/** `alwaysSecure` (production): Secure even when the request reached us as plain http behind a proxy */
export function setSessionCookies(
  c: Context,
  s: { accessToken: string; accessTtlSeconds: number; refreshToken: string; refreshTtlSeconds: number },
  alwaysSecure = false,
): string {
  const secure = alwaysSecure || isHttps(c);
  const csrf = randomBytes(24).toString('base64url');
  setCookie(c, ACCESS_COOKIE, s.accessToken, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/api',
    maxAge: s.accessTtlSeconds,
  });
  setCookie(c, REFRESH_COOKIE, s.refreshToken, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/api/auth',
    maxAge: s.refreshTtlSeconds,
  });
  setCookie(c, CSRF_COOKIE, csrf, {
    httpOnly: false,
    sameSite: 'Strict',
    secure,
    path: '/',
    maxAge: s.refreshTtlSeconds,
  });
  return csrf;
}

export function clearSessionCookies(c: Context, alwaysSecure = false): void {
  const secure = alwaysSecure || isHttps(c);
  deleteCookie(c, ACCESS_COOKIE, { path: '/api', secure });
  deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth', secure });
  deleteCookie(c, CSRF_COOKIE, { path: '/', secure });
}

export const readCookie = (c: Context, name: string): string | undefined => getCookie(c, name) || undefined;

/** true when the request carries the CSRF cookie and the same value in the header */
export function csrfMatches(c: Context): boolean {
  const cookie = readCookie(c, CSRF_COOKIE);
  const header = c.req.header(CSRF_HEADER);
  if (!cookie || !header) return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
