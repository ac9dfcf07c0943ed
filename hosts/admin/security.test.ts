import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { recordMessages } from '../../storage/repos/messages.ts';
import { createAdminHarness, TEST_PASSWORD, type AdminHarness } from './testing.ts';
import { createAdminApi } from './api.ts';

describe.each(TEST_BACKENDS)('HTTP protections on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await createAdminHarness(kind, {
      options: { rateLimitPerMinute: 100, corsOrigins: ['https://panel.zeta.kz', '*'], maxBodyBytes: 4096 },
    });
  });
  afterAll(async () => h.close());

  it('rate limit: the 101st request from one IP within a minute gets 429 with Retry-After and the error body', async () => {
    for (let i = 0; i < 100; i++) {
      const res = await h.call('GET', '/cities', { as: 'viewer', ip: '198.51.100.7' });
      expect(res.status, `request ${i + 1}`).toBe(200);
    }
    const limited = await h.call('GET', '/cities', { as: 'viewer', ip: '198.51.100.7' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // anonymous and login requests count too; another IP is unaffected
    expect(
      (await h.call('POST', '/auth/login', { body: { email: 'a@b.c', password: 'x' }, ip: '198.51.100.7' })).status,
    ).toBe(429);
    expect((await h.call('GET', '/cities', { as: 'viewer', ip: '198.51.100.8' })).status).toBe(200);
  });

  it('CORS: allow-listed origins get credentials, others and the wildcard get nothing', async () => {
    const pre = await h.app.request('/products', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://panel.zeta.kz',
        'access-control-request-method': 'PUT',
        'x-forwarded-for': '203.0.113.1',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://panel.zeta.kz');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/X-CSRF-Token/i);
    const evil = await h.app.request('/cities', {
      headers: {
        origin: 'https://evil.example',
        authorization: `Bearer ${h.tokens.viewer}`,
        'x-forwarded-for': '203.0.113.1',
      },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  it('sends security headers and no-store', async () => {
    const res = await h.call('GET', '/cities', { as: 'viewer', ip: '203.0.113.2' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses oversized bodies with 413 and the error body', async () => {
    const res = await h.call('POST', '/cities', {
      as: 'admin',
      body: { name: 'x'.repeat(10_000), slug: 'big' },
      ip: '203.0.113.3',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses to start with a short JWT secret', () => {
    expect(() => createAdminApi({ ...h.deps, jwtSecret: 'short' })).toThrow(/at least 32 characters/);
  });

  it('secureCookies (production) marks every session cookie Secure even on a plain http request', async () => {
    const app = createAdminApi({ ...h.deps, options: { ...h.deps.options, secureCookies: true } });
    const login = await app.request('http://zeta.internal/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ email: 'viewer@zeta.test', password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie();
    expect(cookies).toHaveLength(3);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
  });

  it('unknown routes answer 404 in the same error shape', async () => {
    const res = await h.call('GET', '/nope', { as: 'viewer', ip: '203.0.113.4' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });

  it('a deactivated user is locked out at once, even with a valid token', async () => {
    const res = await h.call('PUT', `/users/${h.users.designer.id}`, {
      as: 'admin',
      body: { isActive: false },
      ip: '203.0.113.5',
    });
    expect(res.status).toBe(200);
    expect((await h.call('GET', '/auth/me', { as: 'designer', ip: '203.0.113.5' })).status).toBe(401);
  });
});

/** an SSE body read until the server closes it; resolves with the event names seen */
async function eventsUntilClosed(res: Response): Promise<string[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return [...text.matchAll(/^event: (.*)$/gm)].map((m) => m[1]!);
}

describe.each(TEST_BACKENDS)('sessions, invitations and escalations cannot be abused on %s', (kind) => {
  let h: AdminHarness;
  let clockMs = Date.now();
  beforeAll(async () => {
    h = await createAdminHarness(kind, { options: { sseKeepAliveMs: 20 }, deps: { clock: () => new Date(clockMs) } });
    await h.call('POST', '/cities', { as: 'owner', body: { name: 'Алматы', slug: 'almaty' } });
  });
  afterAll(async () => h.close());

  it("only managers and above open escalations, and only for a shopper who has written to that city's bot", async () => {
    const body = {
      channel: 'telegram',
      city: 'almaty',
      chatId: '4242',
      reason: 'VIP',
      history: [{ role: 'shopper', text: 'invented', at: '2026-01-01T00:00:00.000Z' }],
    };
    expect((await h.call('POST', '/escalations', { as: 'designer', body })).status).toBe(403);
    const stranger = await h.call('POST', '/escalations', { as: 'manager', body });
    expect(stranger.status).toBe(422);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('unknown_shopper');
    await recordMessages(h.t.db, [
      { conversationKey: 'telegram:astana:4242', channel: 'telegram', direction: 'in', text: 'салем' },
    ]);
    expect((await h.call('POST', '/escalations', { as: 'manager', body })).status).toBe(422);
    await recordMessages(h.t.db, [
      { conversationKey: 'telegram:almaty:4242', channel: 'telegram', direction: 'in', text: 'Здравствуйте' },
    ]);
    expect((await h.call('POST', '/escalations', { as: 'manager', body })).status).toBe(201);
  });

  it('an invitation works once: after its account is deleted the same token registers nobody', async () => {
    const invite = (await (
      await h.call('POST', '/users/invitations', { as: 'owner', body: { email: 'temp@zeta.test', role: 'designer' } })
    ).json()) as { token: string };
    const register = () =>
      h.call('POST', '/auth/register', {
        body: { token: invite.token, password: 'a long enough password', name: 'Temp' },
      });
    const first = await register();
    expect(first.status).toBe(201);
    const { user } = (await first.json()) as { user: { id: string } };
    expect((await h.call('DELETE', `/users/${user.id}`, { as: 'admin' })).status).toBe(204);
    const again = await register();
    expect(again.status).toBe(409);
    expect(
      await h.t.db.selectFrom('users').select('id').where('email', '=', 'temp@zeta.test').executeTakeFirst(),
    ).toBeUndefined();
    const pending = (await (await h.call('GET', '/users/invitations', { as: 'owner' })).json()) as {
      items: { email: string }[];
    };
    expect(pending.items.map((i) => i.email)).not.toContain('temp@zeta.test');
    // a new invitation for the same address still works
    const fresh = (await (
      await h.call('POST', '/users/invitations', { as: 'owner', body: { email: 'temp@zeta.test', role: 'designer' } })
    ).json()) as { token: string };
    expect(fresh.token).not.toBe(invite.token);
    expect(
      (
        await h.call('POST', '/auth/register', {
          body: { token: fresh.token, password: 'a long enough password', name: 'Temp' },
        })
      ).status,
    ).toBe(201);
  });

  it('changing the password ends every other session: their refresh tokens and older access tokens are refused', async () => {
    const login = async () =>
      (await (
        await h.call('POST', '/auth/login', { body: { email: 'viewer@zeta.test', password: TEST_PASSWORD } })
      ).json()) as { accessToken: string; refreshToken: string };
    const laptop = await login();
    const phone = await login();
    clockMs += 5_000;
    const changed = await h.app.request('/auth/password', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${laptop.accessToken}`,
        'content-type': 'application/json',
        'x-forwarded-for': '10.0.0.9',
      },
      body: JSON.stringify({ currentPassword: TEST_PASSWORD, newPassword: 'another long password' }),
    });
    expect(changed.status).toBe(200);
    const session = (await changed.json()) as { accessToken: string; refreshToken: string };
    const me = (token: string) =>
      h.app.request('/auth/me', { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '10.0.0.9' } });
    // the session that changed the password goes on with the tokens it was just given
    expect((await me(session.accessToken)).status).toBe(200);
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(200);
    // every other one is over
    expect((await me(phone.accessToken)).status).toBe(401);
    expect((await me(laptop.accessToken)).status).toBe(401);
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: phone.refreshToken } })).status).toBe(401);
  });

  it('the live stream closes when the account is deactivated', async () => {
    const stream = await h.call('GET', '/escalations/stream', { as: 'designer' });
    expect(stream.status).toBe(200);
    const seen = eventsUntilClosed(stream);
    expect(
      (await h.call('PUT', `/users/${h.users.designer.id}`, { as: 'admin', body: { isActive: false } })).status,
    ).toBe(200);
    expect(await seen).toEqual(['ready']);
  });

  it('the live stream closes when its access token expires', async () => {
    const stream = await h.call('GET', '/escalations/stream', { as: 'manager' });
    expect(stream.status).toBe(200);
    const seen = eventsUntilClosed(stream);
    clockMs += 3_600_000;
    expect(await seen).toEqual(['ready']);
    clockMs -= 3_600_000;
  });
});
