import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type Created = {
  token: string;
  apiToken: { id: string; name: string; role: string; prefix: string; expiresAt?: string; revokedAt?: string };
};

describe.each(TEST_BACKENDS)('API tokens on %s', (kind) => {
  let h: AdminHarness;
  /** how far the API's clock runs ahead of the real one (expiry) */
  let aheadMs = 0;
  beforeAll(async () => {
    h = await createAdminHarness(kind, { deps: { clock: () => new Date(Date.now() + aheadMs) } });
  });
  afterAll(async () => h.close());

  const create = async (body: object, as: 'admin' | 'owner' = 'admin'): Promise<Created> => {
    const res = await h.call('POST', '/api-tokens', { as, body });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Created;
  };
  const withToken = (token: string, method: string, path: string, body?: unknown) =>
    h.app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': '10.2.0.1',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('an admin creates a token: the secret is shown once, only its SHA-256 is stored, and it acts with its own role', async () => {
    const { token, apiToken } = await create({ name: 'Botium CI', role: 'designer' });
    expect(token).toMatch(/^zeta_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: 'Botium CI', role: 'designer', prefix: token.slice(0, 11) });
    expect(JSON.stringify(apiToken)).not.toContain(token);

    const row = await h.t.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(
      Object.values(row)
        .map(String)
        .some((value) => value.includes(token.slice(5))),
    ).toBe(false);
    expect(row.created_by).toBe(h.users.admin.id);
    expect(row.last_used_at).toBeNull();

    const me = await withToken(token, 'GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe('designer');
    const used = await h.t.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();

    const list = await h.call('GET', '/api-tokens', { as: 'admin' });
    const listed = ((await list.json()) as { items: Created['apiToken'][] }).items;
    expect(listed.find((t) => t.id === apiToken.id)).toMatchObject({
      name: 'Botium CI',
      role: 'designer',
      createdByEmail: 'admin@zeta.test',
    });
    expect(JSON.stringify(listed)).not.toContain(token);

    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'api-token.create')
      .where('entity_id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(h.users.admin.id);
  });

  it('the role scopes the token: a designer token may use the playground routes but not admin ones; a viewer token is read-only', async () => {
    const designer = (await create({ name: 'designer script', role: 'designer' })).token;
    expect((await withToken(designer, 'GET', '/users')).status).toBe(403);
    expect((await withToken(designer, 'POST', '/cities', { name: 'Астана', slug: `astana-${kind}` })).status).toBe(403);
    const viewer = (await create({ name: 'dashboards', role: 'viewer' })).token;
    expect((await withToken(viewer, 'GET', '/cities')).status).toBe(200);
    expect((await withToken(viewer, 'POST', '/chat/almaty', { userId: 'u', text: 'hi' })).status).toBe(403);
  });

  it('only admins and owners make tokens, an admin cannot grant owner, and a token cannot manage tokens', async () => {
    for (const role of ['manager', 'designer', 'viewer'] as const) {
      expect((await h.call('POST', '/api-tokens', { as: role, body: { name: 'x', role: 'viewer' } })).status).toBe(403);
    }
    const above = await h.call('POST', '/api-tokens', { as: 'admin', body: { name: 'x', role: 'owner' } });
    expect(above.status).toBe(403);
    const owner = await create({ name: 'owner script', role: 'owner' }, 'owner');
    expect(owner.apiToken.role).toBe('owner');
    const admin = (await create({ name: 'admin script', role: 'admin' })).token;
    expect((await withToken(admin, 'GET', '/api-tokens')).status).toBe(403);
    expect((await withToken(admin, 'POST', '/api-tokens', { name: 'more', role: 'admin' })).status).toBe(403);
    const bad = await h.call('POST', '/api-tokens', { as: 'admin', body: { name: '', role: 'chef' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/name|role/);
  });

  it('a revoked token is refused at once, and the revocation is audited', async () => {
    const { token, apiToken } = await create({ name: 'to revoke', role: 'viewer' });
    expect((await withToken(token, 'GET', '/auth/me')).status).toBe(200);
    const res = await h.call('DELETE', `/api-tokens/${apiToken.id}`, { as: 'admin' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Created).apiToken.revokedAt).toBeDefined();
    const refused = await withToken(token, 'GET', '/auth/me');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'api-token.revoke')
      .where('entity_id', '=', apiToken.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect((await h.call('DELETE', '/api-tokens/00000000-0000-4000-8000-000000000000', { as: 'admin' })).status).toBe(
      404,
    );
  });

  it('an expired token is refused; a forged one too', async () => {
    const { token, apiToken } = await create({ name: 'short-lived', role: 'viewer', expiresInDays: 1 });
    expect(apiToken.expiresAt).toBeDefined();
    expect((await withToken(token, 'GET', '/auth/me')).status).toBe(200);
    aheadMs = 86_400_000 + 1_000;
    try {
      const refused = await withToken(token, 'GET', '/auth/me');
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    } finally {
      aheadMs = 0;
    }
    const forged = `zeta_${'A'.repeat(43)}`;
    expect((await withToken(forged, 'GET', '/auth/me')).status).toBe(401);
    expect((await withToken('zeta_short', 'GET', '/auth/me')).status).toBe(401);
  });

  it('a token stops working when the admin who made it is deactivated', async () => {
    const made = await create({ name: 'leaver', role: 'manager' });
    expect((await withToken(made.token, 'GET', '/auth/me')).status).toBe(200);
    expect((await h.call('PUT', `/users/${h.users.admin.id}`, { as: 'owner', body: { isActive: false } })).status).toBe(
      200,
    );
    try {
      expect((await withToken(made.token, 'GET', '/auth/me')).status).toBe(401);
    } finally {
      await h.call('PUT', `/users/${h.users.admin.id}`, { as: 'owner', body: { isActive: true } });
    }
    expect((await withToken(made.token, 'GET', '/auth/me')).status).toBe(200);
  });
});
