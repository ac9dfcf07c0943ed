import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAdminHarness, TEST_PASSWORD, type AdminHarness } from './testing.ts';

type Json = Record<string, unknown> & { error?: { code: string } };
const json = async (res: Response) => (await res.json()) as Json;

describe.each(TEST_BACKENDS)('users, analytics and audit on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await createAdminHarness(kind);
  });
  afterAll(async () => h.close());

  it('admins list users without password hashes', async () => {
    const res = await json(await h.call('GET', '/users', { as: 'admin' }));
    const items = res.items as Record<string, unknown>[];
    expect(items.map((u) => u.role).sort()).toEqual(['admin', 'designer', 'manager', 'owner', 'viewer']);
    expect(JSON.stringify(items)).not.toMatch(/password|\$2[aby]\$/);
  });

  it('role changes: admins manage non-owners; only owners touch owners; the last owner stays', async () => {
    const viewer = h.users.viewer.id;
    const promoted = await json(await h.call('PUT', `/users/${viewer}`, { as: 'admin', body: { role: 'manager' } }));
    expect(promoted.user).toMatchObject({ role: 'manager' });
    expect((await h.call('PUT', `/users/${viewer}`, { as: 'admin', body: { role: 'owner' } })).status).toBe(403);
    expect((await h.call('PUT', `/users/${h.users.owner.id}`, { as: 'admin', body: { name: 'x' } })).status).toBe(403);
    expect((await h.call('DELETE', `/users/${h.users.owner.id}`, { as: 'admin' })).status).toBe(403);
    expect((await h.call('PUT', `/users/${h.users.owner.id}`, { as: 'owner', body: { role: 'admin' } })).status).toBe(
      409,
    );
    expect((await h.call('DELETE', `/users/${h.users.owner.id}`, { as: 'owner' })).status).toBe(409);
    expect((await h.call('PUT', `/users/${viewer}`, { as: 'admin', body: { role: 'emperor' } })).status).toBe(400);
    expect((await h.call('PUT', `/users/${viewer}`, { as: 'admin', body: {} })).status).toBe(400);
    expect(
      (await h.call('PUT', '/users/00000000-0000-4000-8000-000000000000', { as: 'admin', body: { name: 'x' } })).status,
    ).toBe(404);
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.update')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ role: 'viewer' });
    expect(audit.after).toMatchObject({ role: 'manager' });
  });

  it('deletes a user (not yourself)', async () => {
    expect((await h.call('DELETE', `/users/${h.users.admin.id}`, { as: 'admin' })).status).toBe(409);
    expect((await h.call('DELETE', `/users/${h.users.designer.id}`, { as: 'admin' })).status).toBe(204);
    expect(
      (await h.call('POST', '/auth/login', { body: { email: 'designer@zeta.test', password: TEST_PASSWORD } })).status,
    ).toBe(401);
  });

  it('changes your own password', async () => {
    expect(
      (
        await h.call('POST', '/auth/password', {
          as: 'manager',
          body: { currentPassword: 'wrong', newPassword: 'a brand new password' },
        })
      ).status,
    ).toBe(401);
    const changed = await h.call('POST', '/auth/password', {
      as: 'manager',
      body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' },
    });
    expect(changed.status).toBe(200);
    // the change ends the sessions before it; this one goes on with the token it was given
    h.tokens.manager = (await json(changed)).accessToken as string;
    expect(
      (await h.call('POST', '/auth/login', { body: { email: 'manager@zeta.test', password: 'a brand new password' } }))
        .status,
    ).toBe(200);
  });

  it('logs analytics events and answers statistics by day and channel with funnel and percentiles', async () => {
    await h.call('POST', '/cities', { as: 'owner', body: { name: 'Алматы', slug: 'almaty' } });
    const at = (min: number) => new Date(Date.UTC(2026, 0, 10, 6, min)).toISOString();
    const send = (type: string, chat: string, extra: Record<string, unknown> = {}, channel = 'telegram') =>
      h.call('POST', '/analytics/event', {
        as: 'manager',
        body: { type, channel, city: 'almaty', conversationKey: `${channel}:almaty:${chat}`, at: at(1), ...extra },
      });
    expect((await send('message_in', '1')).status).toBe(202);
    await send('message_in', '2');
    await send('message_in', '3', {}, 'whatsapp');
    await send('greeting', '1');
    await send('greeting', '2');
    await send('search', '1', { metadata: { text: 'диван', total: 3 } });
    await send('search', '2', { metadata: { text: 'Диван', total: 0 } });
    await send('zero_results', '2', { metadata: { text: 'диван' } });
    await send('product_view', '1');
    await send('alert_created', '1');
    await send('message_out', '1', { metadata: { responseMs: 100 } });
    await send('message_out', '2', { metadata: { responseMs: 300 } });
    expect((await h.call('POST', '/analytics/event', { as: 'manager', body: { type: 'Bad Type!' } })).status).toBe(400);
    expect(
      (await h.call('POST', '/analytics/event', { as: 'manager', body: { type: 'search', city: 'atlantis' } })).status,
    ).toBe(400);

    const stats = await json(
      await h.call('GET', `/analytics?from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&city=almaty`, { as: 'viewer' }),
    );
    expect(stats.totals).toMatchObject({
      messages: 3,
      activeShoppers: 3,
      searches: 2,
      zeroResults: 1,
      alerts: 1,
      escalations: 0,
    });
    expect(stats.byDay).toEqual([
      expect.objectContaining({ day: '2026-01-10', channel: 'telegram', messages: 2, searches: 2 }),
      expect.objectContaining({ day: '2026-01-10', channel: 'whatsapp', messages: 1 }),
    ]);
    expect(stats.topQueries).toEqual([{ query: 'диван', count: 2 }]);
    expect(stats.zeroResultQueries).toEqual([{ query: 'диван', count: 1 }]);
    expect(stats.funnel).toEqual({
      shoppers: 3,
      greeting: 2,
      search: 2,
      productView: 1,
      alertOrEscalation: 1,
      cart: 0,
      order: 0,
      paid: 0,
    });
    expect(stats.responseTime).toMatchObject({ p50Ms: 200, samples: 2 });
    const wa = await json(
      await h.call('GET', `/analytics?from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&channel=whatsapp`, {
        as: 'viewer',
      }),
    );
    expect(wa.totals).toMatchObject({ messages: 1 });
    expect((await h.call('GET', '/analytics?from=2026-02-01&to=2026-01-01', { as: 'viewer' })).status).toBe(400);
    expect((await h.call('GET', '/analytics?from=yesterday', { as: 'viewer' })).status).toBe(400);
    expect((await h.call('GET', '/analytics?includeTest=maybe', { as: 'viewer' })).status).toBe(400);
    expect((await h.call('GET', '/analytics', { as: 'viewer' })).status).toBe(200);
  });

  it('audit log: filters and paging; admins only', async () => {
    const all = await json(await h.call('GET', '/audit?limit=2', { as: 'admin' }));
    expect((all.items as unknown[]).length).toBe(2);
    expect(all.total as number).toBeGreaterThan(2);
    const users = await json(await h.call('GET', `/audit?entity=user&user=${h.users.admin.id}`, { as: 'owner' }));
    expect((users.items as { action: string }[]).map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.update', 'user.delete']),
    );
    expect((await h.call('GET', '/audit', { as: 'manager' })).status).toBe(403);
    expect((await h.call('GET', '/audit?user=bob', { as: 'admin' })).status).toBe(400);
  });
});
