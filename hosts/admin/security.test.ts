import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';
import { createAdminApi } from './api.ts';

describe.each(TEST_BACKENDS)('HTTP protections on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await createAdminHarness(kind, { options: { rateLimitPerMinute: 100, corsOrigins: ['https://panel.zeta.kz', '*'], maxBodyBytes: 4096 } });
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
    expect((await h.call('POST', '/auth/login', { body: { email: 'a@b.c', password: 'x' }, ip: '198.51.100.7' })).status).toBe(429);
    expect((await h.call('GET', '/cities', { as: 'viewer', ip: '198.51.100.8' })).status).toBe(200);
  });

  it('CORS: allow-listed origins get credentials, others and the wildcard get nothing', async () => {
    const pre = await h.app.request('/products', { method: 'OPTIONS', headers: { origin: 'https://panel.zeta.kz', 'access-control-request-method': 'PUT', 'x-forwarded-for': '203.0.113.1' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://panel.zeta.kz');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/X-CSRF-Token/i);
    const evil = await h.app.request('/cities', { headers: { origin: 'https://evil.example', authorization: `Bearer ${h.tokens.viewer}`, 'x-forwarded-for': '203.0.113.1' } });
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
    const res = await h.call('POST', '/cities', { as: 'admin', body: { name: 'x'.repeat(10_000), slug: 'big' }, ip: '203.0.113.3' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses to start with a short JWT secret', () => {
    expect(() => createAdminApi({ ...h.deps, jwtSecret: 'short' })).toThrow(/at least 32 characters/);
  });

  it('unknown routes answer 404 in the same error shape', async () => {
    const res = await h.call('GET', '/nope', { as: 'viewer', ip: '203.0.113.4' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });

  it('a deactivated user is locked out at once, even with a valid token', async () => {
    const res = await h.call('PUT', `/users/${h.users.designer.id}`, { as: 'admin', body: { isActive: false }, ip: '203.0.113.5' });
    expect(res.status).toBe(200);
    expect((await h.call('GET', '/auth/me', { as: 'designer', ip: '203.0.113.5' })).status).toBe(401);
  });
});
