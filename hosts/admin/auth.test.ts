import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from 'hono/jwt';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { bootstrapOwner } from './auth/bootstrap.ts';
import {
  cookieHeader,
  cookiesOf,
  createAdminHarness,
  TEST_PASSWORD,
  TEST_SECRET,
  type AdminHarness,
} from './testing.ts';

describe.each(TEST_BACKENDS)('admin auth on %s', (kind) => {
  let h: AdminHarness;
  /** how far the API's clock runs ahead of the real one (refresh-token reuse grace) */
  let aheadMs = 0;
  beforeAll(async () => {
    h = await createAdminHarness(kind, { deps: { clock: () => new Date(Date.now() + aheadMs) } });
  });
  afterAll(async () => h.close());

  const login = (email: string, password: string, ip = '10.1.0.1') =>
    h.call('POST', '/auth/login', { body: { email, password }, ip });

  it('logs in: bearer token in the body, httpOnly SameSite=Strict cookies, readable CSRF cookie', async () => {
    const res = await login('ADMIN@zeta.test', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      accessToken: string;
      refreshToken: string;
      csrfToken: string;
      user: { role: string; email: string };
    };
    expect(body.user).toMatchObject({ role: 'admin', email: 'admin@zeta.test' });
    expect(body.user).not.toHaveProperty('password_hash');
    const setCookies = res.headers.getSetCookie();
    const access = setCookies.find((c) => c.startsWith('zeta_access='))!;
    expect(access).toMatch(/HttpOnly/i);
    expect(access).toMatch(/SameSite=Strict/i);
    expect(access).not.toMatch(/Secure/);
    expect(setCookies.find((c) => c.startsWith('zeta_refresh='))).toMatch(/HttpOnly/);
    expect(setCookies.find((c) => c.startsWith('zeta_csrf='))).not.toMatch(/HttpOnly/i);
    expect(cookiesOf(res).zeta_csrf).toBe(body.csrfToken);
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.login')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ user_id: h.users.admin.id, entity_id: h.users.admin.id, ip: '10.1.0.1' });
    const me = await h.app.request('/auth/me', { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('admin@zeta.test');
  });

  it('marks cookies Secure on https', async () => {
    const res = await h.app.request('https://zeta.example/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
      body: JSON.stringify({ email: 'viewer@zeta.test', password: TEST_PASSWORD }),
    });
    expect(res.headers.getSetCookie().every((c) => /Secure/.test(c))).toBe(true);
  });

  it('wrong password and unknown e-mail get the same 401, no hint which part', async () => {
    const wrong = await login('admin@zeta.test', 'not the password');
    const unknown = await login('nobody@zeta.test', TEST_PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await wrong.json();
    const b = await unknown.json();
    expect(a).toEqual(b);
    expect(a).toEqual({ error: { code: 'invalid_credentials', message: 'invalid email or password' } });
  });

  it('refuses forged, expired, malformed and missing tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sub = h.users.admin.id;
    const forged = await sign(
      { sub, role: 'owner', email: 'admin@zeta.test', typ: 'access', exp: now + 600 },
      'some-other-secret',
      'HS256',
    );
    const expired = await sign(
      { sub, role: 'admin', email: 'admin@zeta.test', typ: 'access', iat: now - 2000, exp: now - 1000 },
      TEST_SECRET,
      'HS256',
    );
    const invite = await sign({ email: 'x@y.z', role: 'owner', typ: 'invite', exp: now + 600 }, TEST_SECRET, 'HS256');
    for (const token of [forged, expired, invite, 'not-a-jwt', `${h.tokens.admin}x`]) {
      const res = await h.app.request('/auth/me', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, token).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect((await h.app.request('/auth/me')).status).toBe(401);
    expect((await h.app.request('/auth/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('CSRF: cookie-authenticated unsafe requests need X-CSRF-Token; bearer requests do not', async () => {
    const res = await login('owner@zeta.test', TEST_PASSWORD);
    const cookies = cookiesOf(res);
    const headers = {
      cookie: cookieHeader(cookies),
      'content-type': 'application/json',
      'x-forwarded-for': '10.1.0.2',
    };
    const body = JSON.stringify({ email: `csrf-${kind}@zeta.test`, role: 'viewer' });
    // a safe request works with the cookie alone
    expect((await h.app.request('/auth/me', { headers })).status).toBe(200);
    const without = await h.app.request('/users/invitations', { method: 'POST', headers, body });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const wrong = await h.app.request('/users/invitations', {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': 'guess' },
      body,
    });
    expect(wrong.status).toBe(403);
    const ok = await h.app.request('/users/invitations', {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': cookies.zeta_csrf! },
      body,
    });
    expect(ok.status).toBe(201);
    const bearer = await h.call('POST', '/users/invitations', {
      as: 'owner',
      body: { email: `csrf2-${kind}@zeta.test`, role: 'viewer' },
    });
    expect(bearer.status).toBe(201);
  });

  it('rotates refresh tokens; reusing a spent one revokes the whole login', async () => {
    const first = (await (await login('manager@zeta.test', TEST_PASSWORD)).json()) as { refreshToken: string };
    const second = await h.call('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    const secondBody = (await second.json()) as { refreshToken: string; accessToken: string };
    expect(secondBody.refreshToken).not.toBe(first.refreshToken);
    // replaying the spent token after the grace window: refused, and the successor dies with it
    aheadMs = 31_000;
    const replay = await h
      .call('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } })
      .finally(() => (aheadMs = 0));
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: secondBody.refreshToken } })).status).toBe(
      401,
    );
    // another login of the same user is a different family and survives
    const other = (await (await login('manager@zeta.test', TEST_PASSWORD)).json()) as { refreshToken: string };
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } })).status).toBe(200);
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: 'garbage' } })).status).toBe(401);
  });

  it('two tabs refreshing with one cookie at once both stay logged in; a spent token after logout does not', async () => {
    const res = await login('manager@zeta.test', TEST_PASSWORD, '10.1.0.4');
    const cookies = cookiesOf(res);
    const headers = {
      cookie: cookieHeader(cookies),
      'x-csrf-token': cookies.zeta_csrf!,
      'x-forwarded-for': '10.1.0.4',
    };
    const tabs = await Promise.all([1, 2].map(() => h.app.request('/auth/refresh', { method: 'POST', headers })));
    expect(tabs.map((r) => r.status)).toEqual([200, 200]);
    const [a, b] = tabs.map((r) => cookiesOf(r).zeta_refresh!);
    expect(a).not.toBe(b);
    // both successors belong to the live login and keep rotating
    const nextA = await h.call('POST', '/auth/refresh', { body: { refreshToken: a } });
    expect(nextA.status).toBe(200);
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: b } })).status).toBe(200);
    // logged out: the spent token is refused even within the grace window
    await h.call('POST', '/auth/logout', {
      body: { refreshToken: ((await nextA.json()) as { refreshToken: string }).refreshToken },
    });
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: a } })).status).toBe(401);
  });

  it('refreshes from the cookie with the CSRF header, and logs out', async () => {
    const res = await login('designer@zeta.test', TEST_PASSWORD);
    const cookies = cookiesOf(res);
    const base = { cookie: cookieHeader(cookies), 'x-forwarded-for': '10.1.0.3' };
    expect((await h.app.request('/auth/refresh', { method: 'POST', headers: base })).status).toBe(403);
    const refreshed = await h.app.request('/auth/refresh', {
      method: 'POST',
      headers: { ...base, 'x-csrf-token': cookies.zeta_csrf! },
    });
    expect(refreshed.status).toBe(200);
    const next = cookiesOf(refreshed);
    const out = await h.app.request('/auth/logout', {
      method: 'POST',
      headers: { cookie: cookieHeader(next), 'x-forwarded-for': '10.1.0.3' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => c.startsWith('zeta_access=;'))).toBe(true);
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: next.zeta_refresh } })).status).toBe(401);
  });

  it('invite-only registration: owner invites, the invitee registers once', async () => {
    const email = `new-${kind}@zeta.test`;
    expect(
      (await h.call('POST', '/users/invitations', { as: 'admin', body: { email, role: 'designer' } })).status,
    ).toBe(403);
    const inv = await h.call('POST', '/users/invitations', { as: 'owner', body: { email, role: 'designer' } });
    const { token } = (await inv.json()) as { token: string };
    const pending = (await (await h.call('GET', '/users/invitations', { as: 'owner' })).json()) as {
      items: { email: string }[];
    };
    expect(pending.items.map((i) => i.email)).toContain(email);
    expect((await h.call('POST', '/auth/register', { body: { token, password: 'short', name: 'New' } })).status).toBe(
      400,
    );
    const reg = await h.call('POST', '/auth/register', {
      body: { token, password: 'a long enough password', name: 'New One' },
    });
    expect(reg.status).toBe(201);
    expect(((await reg.json()) as { user: { role: string } }).user.role).toBe('designer');
    expect(
      (await h.call('POST', '/auth/register', { body: { token, password: 'a long enough password', name: 'Again' } }))
        .status,
    ).toBe(409);
    expect(
      (
        await h.call('POST', '/auth/register', {
          body: { token: 'forged', password: 'a long enough password', name: 'X' },
        })
      ).status,
    ).toBe(400);
    expect((await login(email, 'a long enough password')).status).toBe(200);
  });

  it('revoked invitations cannot be used and are not pending', async () => {
    const email = `revoked-${kind}@zeta.test`;
    const { token } = (await (
      await h.call('POST', '/users/invitations', { as: 'owner', body: { email, role: 'viewer' } })
    ).json()) as { token: string };
    expect((await h.call('DELETE', `/users/invitations/${encodeURIComponent(email)}`, { as: 'owner' })).status).toBe(
      204,
    );
    expect((await h.call('DELETE', '/users/invitations/not-an-email', { as: 'owner' })).status).toBe(400);
    const pending = (await (await h.call('GET', '/users/invitations', { as: 'owner' })).json()) as {
      items: { email: string }[];
    };
    expect(pending.items.map((i) => i.email)).not.toContain(email);
    const res = await h.call('POST', '/auth/register', {
      body: { token, password: 'a long enough password', name: 'Late' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_invitation');
  });

  it('limits login attempts per e-mail and address, audits failures, and does not lock out other addresses', async () => {
    const email = 'viewer@zeta.test';
    for (let i = 0; i < 10; i++) expect((await login(email, 'wrong password', '10.7.7.7')).status).toBe(401);
    const blocked = await login(email, TEST_PASSWORD, '10.7.7.7');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    expect((await login(email, TEST_PASSWORD, '10.7.7.8')).status).toBe(200);
    const failures = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.login_failed')
      .where('ip', '=', '10.7.7.7')
      .execute();
    expect(failures).toHaveLength(10);
    expect(failures[0]).toMatchObject({ entity_id: h.users.viewer.id, user_id: null, after: { email } });
  });

  it('bootstraps the first owner once and never overwrites', async () => {
    // the harness already has an owner
    expect((await bootstrapOwner(h.t.db, 'boss@zeta.test', 'password123', { bcryptRounds: 4 })).created).toBe(false);
    await h.t.db.deleteFrom('users').where('role', '=', 'owner').execute();
    const made = await bootstrapOwner(h.t.db, 'Boss@Zeta.test', 'password123', { bcryptRounds: 4 });
    expect(made.created).toBe(true);
    expect(made.user?.email).toBe('boss@zeta.test');
    expect((await login('boss@zeta.test', 'password123')).status).toBe(200);
    expect((await bootstrapOwner(h.t.db, 'boss@zeta.test', 'another-password', { bcryptRounds: 4 })).created).toBe(
      false,
    );
  });
});
