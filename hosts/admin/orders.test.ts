import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, recordPayment } from '../../storage/orders/index.ts';
import { createCity, createProduct } from '../../storage/repos/index.ts';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type OrderJson = {
  id: string;
  number: number;
  status: string;
  total: number;
  currency: string;
  customer: { name: string; phone: string };
  items: Array<{ sku: string; quantity: number; price: number; externalId: string | null }>;
  payments: Array<{ provider: string; reference: string; flaggedReason: string | null; recordedBy: string | null }>;
  actions: string[];
  events?: Array<{ from: string | null; to: string; actor: { kind: string; id: string | null }; note: string | null }>;
};

describe.each(TEST_BACKENDS)('orders API on %s', (kind) => {
  let h: AdminHarness;
  let cityId: string;
  let sofa: string;
  let changes = 0;
  const place = (over: { delivery?: { kind: 'pickup'; store: string } } = {}) =>
    createOrder(h.t.db, {
      cityId,
      channel: 'telegram',
      conversationKey: 'telegram:almaty:1',
      customer: { name: 'Айгуль', phone: '+77011234567' },
      delivery: over.delivery ?? { kind: 'delivery', address: 'Абая 1' },
      paymentMethod: 'kaspi',
      items: [{ productId: sofa, quantity: 2 }],
    });

  beforeAll(async () => {
    h = await createAdminHarness(kind, { deps: { onOrderChanged: () => void changes++ } });
    cityId = (await createCity(h.t.db, { name: 'Алматы', slug: 'almaty' })).id;
    await createCity(h.t.db, { name: 'Астана', slug: 'astana' });
    sofa = (await createProduct(h.t.db, cityId, { sku: 'SOFA-1', name: 'Диван', price: 100_000 })).id;
  });
  afterAll(async () => h.close());

  it('lists orders with number, status, total, currency, items (sku, quantity, price), customer and payments; filters by city, status and time', async () => {
    const a = await place();
    const b = await place();
    await recordPayment(h.t.db, {
      provider: 'stripe',
      reference: 'cs_1',
      orderId: b.id,
      amount: b.total,
      currency: 'KZT',
      status: 'succeeded',
      raw: { secret: 'provider payload' },
    });
    const res = await h.call('GET', '/orders?city=almaty', { as: 'manager' });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: OrderJson[]; total: number };
    expect(page.total).toBe(2);
    expect(page.items.map((o) => o.number)).toEqual([b.number, a.number]);
    expect(page.items[1]).toMatchObject({
      id: a.id,
      status: 'new',
      total: 200_000,
      currency: 'KZT',
      customer: { name: 'Айгуль', phone: '+77011234567' },
      items: [{ sku: 'SOFA-1', quantity: 2, price: 100_000, externalId: null }],
      payments: [],
      actions: ['await_payment', 'cancel', 'mark_paid'],
    });
    expect(page.items[0]!.payments).toMatchObject([{ provider: 'stripe', reference: 'cs_1', flaggedReason: null }]);
    expect(JSON.stringify(page)).not.toContain('provider payload');

    const paid = (await (await h.call('GET', '/orders?status=paid', { as: 'admin' })).json()) as { items: OrderJson[] };
    expect(paid.items.map((o) => o.id)).toEqual([b.id]);
    const astana = (await (await h.call('GET', '/orders?city=astana', { as: 'owner' })).json()) as { total: number };
    expect(astana.total).toBe(0);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const later = (await (await h.call('GET', `/orders?from=${future}`, { as: 'manager' })).json()) as {
      total: number;
    };
    expect(later.total).toBe(0);
    const before = (await (await h.call('GET', `/orders?to=${future}`, { as: 'manager' })).json()) as { total: number };
    expect(before.total).toBe(2);
  });

  it('refuses bad queries and unknown cities or orders with clear errors; managers and up only', async () => {
    expect((await h.call('GET', '/orders?status=lost', { as: 'manager' })).status).toBe(400);
    expect((await h.call('GET', '/orders?from=yesterday', { as: 'manager' })).status).toBe(400);
    expect((await h.call('GET', '/orders?city=nowhere', { as: 'manager' })).status).toBe(404);
    expect((await h.call('GET', '/orders/not-an-id', { as: 'manager' })).status).toBe(404);
    for (const role of ['designer', 'viewer'] as const)
      expect((await h.call('GET', '/orders', { as: role })).status).toBe(403);
  });

  it('a manager moves an order along; illegal moves are 409 with the reason; every change is in the history and the audit log', async () => {
    const order = await place({ delivery: { kind: 'pickup', store: 'ТРЦ Mega' } });
    const move = (action: string, note?: string) =>
      h.call('POST', `/orders/${order.id}/status`, { as: 'manager', body: { action, ...(note ? { note } : {}) } });
    expect((await move('await_payment')).status).toBe(200);
    const early = await move('confirm');
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(
      /is awaiting_payment: it cannot become confirmed/,
    );
    expect((await move('teleport')).status).toBe(400);
    expect(
      (await h.call('POST', `/orders/${order.id}/status`, { as: 'manager', body: { action: 'confirm', extra: 1 } }))
        .status,
    ).toBe(400);

    const paid = await h.call('POST', `/orders/${order.id}/payments`, { as: 'manager', body: { reference: 'INV-77' } });
    expect(paid.status).toBe(200);
    const paidBody = (await paid.json()) as { order: OrderJson; outcome: string };
    expect(paidBody.outcome).toBe('paid');
    expect(paidBody.order.payments).toMatchObject([
      { provider: 'kaspi_manual', reference: 'INV-77', recordedBy: h.users.manager.id, flaggedReason: null },
    ]);
    // the same click again changes nothing; another reference for a paid order is refused
    const again = await h.call('POST', `/orders/${order.id}/payments`, {
      as: 'manager',
      body: { reference: 'INV-77' },
    });
    expect(((await again.json()) as { outcome: string }).outcome).toBe('duplicate');
    expect((await h.call('POST', `/orders/${order.id}/payments`, { as: 'manager', body: {} })).status).toBe(409);

    expect((await move('confirm')).status).toBe(200);
    expect((await move('ship')).status).toBe(409);
    expect((await move('ready')).status).toBe(200);
    const done = await move('complete', 'забрала сама');
    const detail = ((await done.json()) as { order: OrderJson }).order;
    expect(detail.status).toBe('completed');
    expect(detail.actions).toEqual([]);
    expect(detail.events!.map((e) => [e.from, e.to, e.actor.kind])).toEqual([
      [null, 'new', 'shopper'],
      ['new', 'awaiting_payment', 'manager'],
      ['awaiting_payment', 'paid', 'manager'],
      ['paid', 'confirmed', 'manager'],
      ['confirmed', 'ready_for_pickup', 'manager'],
      ['ready_for_pickup', 'completed', 'manager'],
    ]);
    expect(detail.events!.at(-1)).toMatchObject({ note: 'забрала сама', actor: { id: h.users.manager.id } });
    const got = (await (await h.call('GET', `/orders/${order.id}`, { as: 'admin' })).json()) as { order: OrderJson };
    expect(got.order.events).toHaveLength(6);

    const audit = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'user_id', 'before', 'after'])
      .where('entity', '=', 'order')
      .where('entity_id', '=', order.id)
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => [a.action, a.user_id])).toEqual([
      ['order.status', h.users.manager.id],
      ['order.paid', h.users.manager.id],
      ['order.status', h.users.manager.id],
      ['order.status', h.users.manager.id],
      ['order.status', h.users.manager.id],
    ]);
    expect(audit.at(-1)!.after).toEqual({ status: 'completed', note: 'забрала сама' });
    expect(changes).toBe(5);
  });

  it('cancelling a paid order flags its payment for refund', async () => {
    const order = await place();
    await h.call('POST', `/orders/${order.id}/payments`, { as: 'owner', body: {} });
    // PATCH names the status itself; paid is refused there (only a payment pays)
    expect((await h.call('PATCH', `/orders/${order.id}`, { as: 'owner', body: { status: 'paid' } })).status).toBe(400);
    const res = await h.call('PATCH', `/orders/${order.id}`, { as: 'owner', body: { status: 'cancelled' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { order: OrderJson };
    expect(body.order.status).toBe('cancelled');
    expect(body.order.payments[0]!.flaggedReason).toBe('refund_due');
    expect(
      (await h.call('POST', `/orders/${crypto.randomUUID()}/status`, { as: 'owner', body: { action: 'cancel' } }))
        .status,
    ).toBe(404);
  });
});
