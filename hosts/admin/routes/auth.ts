import * as v from 'valibot';
import { ApiError, badRequest, conflict, unauthorized } from '../http/errors.ts';
import { ref, obj } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { route, type Ctx, type Route } from '../http/route.ts';
import { parseOr400 } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { checkPassword, hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '../auth/passwords.ts';
import { signAccessToken, verifyInvitation } from '../auth/tokens.ts';
import { clearSessionCookies, csrfMatches, readCookie, REFRESH_COOKIE, setSessionCookies } from '../auth/cookies.ts';
import { issueRefreshToken, revokeAllForUser, revokeRefreshToken, rotateRefreshToken } from '../store/refreshTokens.ts';
import { findUserByEmail, findUserById, insertUser, patchUser, toUser, type User } from '../store/users.ts';
import { inTransaction, isUniqueViolation } from '../../../storage/repos/common.ts';
import { invitationRevoked, spendInvitation } from '../store/invitations.ts';

const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an e-mail address'), v.maxLength(254));
export const Password = v.pipe(
  v.string(),
  v.minLength(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`),
  v.maxLength(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
);

const LoginBody = v.object({
  email: v.pipe(v.string(), v.trim(), v.maxLength(254)),
  password: v.pipe(v.string(), v.maxLength(200)),
});
const RefreshBody = v.object({ refreshToken: v.optional(v.pipe(v.string(), v.maxLength(300))) });
const RegisterBody = v.object({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(2000)),
  password: Password,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
});
const PasswordBody = v.object({ currentPassword: v.pipe(v.string(), v.maxLength(200)), newPassword: Password });

const INVALID_LOGIN = 'invalid email or password';
const LOGIN_ATTEMPTS_PER_EMAIL = 10;

/** Optional JSON body: refresh/logout are called with nothing (cookies) or `{ refreshToken }`. */
async function optionalBody(c: Ctx): Promise<v.InferOutput<typeof RefreshBody>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badRequest('body must be JSON');
  }
  return parseOr400(RefreshBody, raw, 'body');
}

export function authRoutes(api: Api): Route[] {
  const { db, options } = api;

  async function startSession(
    c: Ctx,
    user: User,
    refresh: { token: string },
    status: 200 | 201 = 200,
  ): Promise<Response> {
    const accessToken = await signAccessToken(
      api.deps.jwtSecret,
      { sub: user.id, role: user.role, email: user.email },
      api.now(),
      options.accessTokenTtlSeconds,
    );
    const csrfToken = setSessionCookies(
      c,
      {
        accessToken,
        accessTtlSeconds: options.accessTokenTtlSeconds,
        refreshToken: refresh.token,
        refreshTtlSeconds: options.refreshTokenTtlSeconds,
      },
      options.secureCookies,
    );
    return c.json(
      { accessToken, refreshToken: refresh.token, expiresIn: options.accessTokenTtlSeconds, csrfToken, user },
      status,
    );
  }

  return [
    route({
      method: 'post',
      path: '/auth/login',
      roles: 'public',
      tag: 'auth',
      summary: 'Log in with e-mail and password',
      description:
        'Answers with a bearer access token (15 min) and a refresh token in the body, and sets httpOnly SameSite=Strict cookies (zeta_access, zeta_refresh) plus the readable zeta_csrf cookie for the browser. Unknown e-mail and wrong password give the same 401.',
      body: LoginBody,
      response: ref('Session'),
      errors: { 401: INVALID_LOGIN, 429: 'too many attempts' },
      handler: async (c, { body }) => {
        const email = body.email.toLowerCase();
        // per e-mail and address (guessing from one place), and per e-mail overall (guessing from many);
        // the overall cap is higher so a stranger cannot lock the owner out with a few tries
        const window = 15 * 60_000;
        for (const [key, limit] of [
          [`admin-login:${email}:${c.get('clientIp')}`, LOGIN_ATTEMPTS_PER_EMAIL],
          [`admin-login:${email}`, LOGIN_ATTEMPTS_PER_EMAIL * 10],
        ] as const) {
          const attempts = await api.deps.state.rateLimiter.hit(key, limit, window);
          if (!attempts.allowed) {
            throw new ApiError(429, 'rate_limited', 'too many login attempts; try again later', undefined, {
              'retry-after': String(Math.max(1, Math.ceil(attempts.resetMs / 1000))),
            });
          }
        }
        const row = await findUserByEmail(db, email);
        const ok = await checkPassword(
          body.password,
          row?.is_active ? row.password_hash : undefined,
          options.bcryptRounds,
        );
        if (!row || !ok) {
          await api.audit(c, {
            action: 'auth.login_failed',
            entity: 'user',
            entityId: row?.id ?? null,
            after: { email: email.slice(0, 254) },
          });
          throw new ApiError(401, 'invalid_credentials', INVALID_LOGIN);
        }
        const refresh = await issueRefreshToken(db, row.id, options.refreshTokenTtlSeconds, api.now());
        c.set('user', { id: row.id, email: row.email, name: row.name, role: row.role });
        await api.audit(c, { action: 'auth.login', entity: 'user', entityId: row.id });
        return startSession(c, toUser(row), refresh);
      },
    }),
    route({
      method: 'post',
      path: '/auth/refresh',
      roles: 'public',
      tag: 'auth',
      summary: 'Trade a refresh token for a new access token (rotating)',
      description:
        'Send `{ refreshToken }` (API clients) or nothing with the zeta_refresh cookie plus X-CSRF-Token (browser). Each refresh token works once; presenting a used one revokes every token of that login — unless it was used less than 30 s ago and the login is alive (two tabs refreshing at once), which gets another token of the same login.',
      bodyKind: 'raw',
      rawBody: { 'application/json': { schema: obj({ refreshToken: { type: 'string' } }, []) } },
      response: ref('Session'),
      errors: { 401: 'unknown, expired or reused refresh token', 403: 'cookie refresh without X-CSRF-Token' },
      handler: async (c) => {
        const body = await optionalBody(c);
        let token = body.refreshToken;
        if (!token) {
          token = readCookie(c, REFRESH_COOKIE);
          if (token && !csrfMatches(c))
            throw new ApiError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header (echo the zeta_csrf cookie)');
        }
        if (!token) throw unauthorized('no refresh token');
        const rotation = await rotateRefreshToken(db, token, options.refreshTokenTtlSeconds, api.now(), {
          reuseGraceSeconds: options.refreshReuseGraceSeconds,
        });
        if (!rotation.ok) {
          clearSessionCookies(c, options.secureCookies);
          if (rotation.reason === 'reused')
            api.deps.log?.warn({ ip: c.get('clientIp') }, 'refresh token reused; its session family is revoked');
          throw unauthorized(
            rotation.reason === 'reused'
              ? 'refresh token was already used; please log in again'
              : 'refresh token is invalid or expired',
          );
        }
        const row = await findUserById(db, rotation.userId);
        if (!row?.is_active) throw unauthorized('the account is unknown or deactivated');
        return startSession(c, toUser(row), rotation.next);
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      roles: 'public',
      tag: 'auth',
      summary: 'Log out: revoke the refresh token and clear the cookies',
      bodyKind: 'raw',
      rawBody: { 'application/json': { schema: obj({ refreshToken: { type: 'string' } }, []) } },
      responseStatus: 204,
      handler: async (c) => {
        const body = await optionalBody(c);
        const token = body.refreshToken ?? readCookie(c, REFRESH_COOKIE);
        if (token) await revokeRefreshToken(db, token, api.now());
        clearSessionCookies(c, options.secureCookies);
        return c.body(null, 204);
      },
    }),
    route({
      method: 'post',
      path: '/auth/register',
      roles: 'public',
      tag: 'auth',
      summary: 'Accept an invitation: create the account and log in',
      body: RegisterBody,
      response: ref('Session'),
      responseStatus: 201,
      errors: { 400: 'invalid or expired invitation, weak password', 409: 'the invitation was already used' },
      handler: async (c, { body }) => {
        const invitation = await verifyInvitation(api.deps.jwtSecret, body.token);
        if (!invitation || (await invitationRevoked(db, invitation.email, invitation.issuedAt))) {
          throw new ApiError(400, 'invalid_invitation', 'the invitation is invalid, revoked or expired');
        }
        const email = parseOr400(Email, invitation.email, 'invitation');
        const passwordHash = await hashPassword(body.password, options.bcryptRounds);
        let user: User;
        try {
          user = await inTransaction(db, async (tx) => {
            if (!(await spendInvitation(tx, body.token, email))) throw conflict('this invitation was already used');
            return insertUser(tx, { email, name: body.name, role: invitation.role, passwordHash });
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict('this invitation was already used (the account exists)');
          throw error;
        }
        c.set('user', { id: user.id, email: user.email, name: user.name, role: user.role });
        await api.audit(c, { action: 'user.register', entity: 'user', entityId: user.id, after: user });
        const refresh = await issueRefreshToken(db, user.id, options.refreshTokenTtlSeconds, api.now());
        return startSession(c, user, refresh, 201);
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      roles: ROLE_SETS.anyone,
      tag: 'auth',
      summary: 'The logged-in user',
      response: obj({ user: ref('User') }),
      handler: async (c) => {
        const row = await findUserById(db, c.get('user').id);
        // an API token acts with its own role on behalf of its maker
        const apiToken = c.get('apiToken');
        return c.json({ user: { ...toUser(row!), role: c.get('user').role }, ...(apiToken ? { apiToken } : {}) });
      },
    }),
    route({
      method: 'post',
      path: '/auth/password',
      roles: ROLE_SETS.anyone,
      tag: 'auth',
      summary: 'Change your own password',
      description:
        'Ends every other session: their refresh tokens are revoked and access tokens issued before the change are refused. This session goes on with the new tokens in the answer (and cookies).',
      body: PasswordBody,
      response: ref('Session'),
      errors: { 401: 'current password is wrong' },
      handler: async (c, { body }) => {
        const row = await findUserById(db, c.get('user').id);
        if (!row || !(await checkPassword(body.currentPassword, row.password_hash, options.bcryptRounds))) {
          throw new ApiError(401, 'invalid_credentials', 'the current password is wrong');
        }
        const now = api.now();
        const passwordHash = await hashPassword(body.newPassword, options.bcryptRounds);
        const refresh = await inTransaction(db, async (tx) => {
          await patchUser(tx, row.id, { passwordHash, passwordChangedAt: now });
          await revokeAllForUser(tx, row.id, now);
          return issueRefreshToken(tx, row.id, options.refreshTokenTtlSeconds, now);
        });
        await api.audit(c, { action: 'user.password', entity: 'user', entityId: row.id });
        return startSession(c, toUser(row), refresh);
      },
    }),
  ];
}

export { Email };
