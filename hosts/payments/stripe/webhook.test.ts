import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOrderStatus, getOrder } from '../../../storage/orders/index.ts';
import { TEST_BACKENDS } from '../../../storage/testing.ts';
import { SECRETS, startPaymentsWorld, type PaymentsWorld } from '../testing/platform.ts';

/**
 * Stripe end to end through the mounted platform on 127.0.0.1: a Checkout Session made by our
 * client on the fake Stripe, then Stripe's signed events posted to /webhooks/payments/stripe.
 */
describe.each(TEST_BACKENDS)('Stripe payments on %s', (kind) => {
  let w: PaymentsWorld;
  beforeAll(async () => {
    w = await startPaymentsWorld(kind);
  }, 60_000);
  afterAll(() => w?.close());

  const hook = () => `${w.url}/webhooks/payments/stripe`;
  const sessionOf = (id: string) => w.stripe.sessions.find((s) => s.id === id)!;
  const deliver = (type: string, sessionId: string, over: Record<string, unknown> = {}, at?: Date) =>
    w.stripe.deliver(hook(), w.stripe.event(type, sessionOf(sessionId), over).body, SECRETS.stripeWebhook, at);
  const detail = async (id: string) => (await getOrder(w.database.db, id))!;

  it('a paid Checkout Session marks the order paid once, however often Stripe delivers it', async () => {
    const order = await w.order();
    const start = await w.platform.payments.start(order.id, 'stripe');
    expect(start.url).toContain('checkout.stripe.test');
    expect(sessionOf(start.reference!)).toMatchObject({
      amount_total: 19_198_000,
      currency: 'kzt',
      client_reference_id: order.id,
    });

    const event = w.stripe.event('checkout.session.completed', sessionOf(start.reference!), {
      payment_status: 'paid',
      status: 'complete',
    });
    for (let i = 0; i < 3; i++)
      expect((await w.stripe.deliver(hook(), event.body, SECRETS.stripeWebhook)).status).toBe(200);
    const paid = await detail(order.id);
    expect(paid.status).toBe('paid');
    expect(paid.payments).toHaveLength(1);
    expect(paid.payments[0]).toMatchObject({
      provider: 'stripe',
      reference: start.reference,
      status: 'succeeded',
      flaggedReason: null,
    });
    expect(paid.events.filter((e) => e.to === 'paid')).toHaveLength(1);
  });

  it('asking again returns the open session; an expired one is re-created with a new Idempotency-Key', async () => {
    const order = await w.order();
    const first = await w.platform.payments.start(order.id, 'stripe');
    const again = await w.platform.payments.start(order.id, 'stripe');
    expect(again.reference).toBe(first.reference);
    expect((await deliver('checkout.session.expired', first.reference!, { status: 'expired' })).status).toBe(200);
    expect((await detail(order.id)).payments[0]).toMatchObject({ status: 'failed' });
    const renewed = await w.platform.payments.start(order.id, 'stripe');
    expect(renewed.reference).not.toBe(first.reference);
    const keys = w.stripe.requests.filter((r) => r.form.client_reference_id === order.id).map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect((await detail(order.id)).status).toBe('new');
  });

  it('a delayed method: completed but unpaid waits; async success pays, async failure does not', async () => {
    const order = await w.order();
    const start = await w.platform.payments.start(order.id, 'stripe');
    await deliver('checkout.session.completed', start.reference!, { payment_status: 'unpaid', status: 'complete' });
    expect((await detail(order.id)).status).toBe('new');
    await deliver('checkout.session.async_payment_succeeded', start.reference!, { payment_status: 'paid' });
    expect((await detail(order.id)).status).toBe('paid');

    const other = await w.order();
    const second = await w.platform.payments.start(other.id, 'stripe');
    await deliver('checkout.session.completed', second.reference!, { payment_status: 'unpaid', status: 'complete' });
    await deliver('checkout.session.async_payment_failed', second.reference!, { payment_status: 'unpaid' });
    const failed = await detail(other.id);
    expect(failed.status).toBe('new');
    expect(failed.payments).toMatchObject([{ status: 'failed' }]);
  });

  it('a forged, tampered or stale signature is a 400 and changes nothing', async () => {
    const order = await w.order();
    const start = await w.platform.payments.start(order.id, 'stripe');
    const { body } = w.stripe.event('checkout.session.completed', sessionOf(start.reference!), {
      payment_status: 'paid',
    });
    expect((await w.stripe.deliver(hook(), body, 'whsec_forged')).status).toBe(400);
    const tampered = body.replace('"payment_status":"paid"', '"payment_status":"paid" ');
    const signed = await fetch(hook(), {
      method: 'POST',
      headers: { 'Stripe-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: tampered,
    });
    expect(signed.status).toBe(400);
    expect(
      (await w.stripe.deliver(hook(), body, SECRETS.stripeWebhook, new Date(Date.now() - 10 * 60_000))).status,
    ).toBe(400);
    expect((await fetch(hook(), { method: 'POST', body })).status).toBe(400);
    const unchanged = await detail(order.id);
    expect(unchanged.status).toBe('new');
    expect(unchanged.payments).toMatchObject([{ status: 'pending' }]);
  });

  it('a wrong amount, a wrong currency or an unknown order is recorded and flagged, never paid', async () => {
    const order = await w.order();
    const start = await w.platform.payments.start(order.id, 'stripe');
    await deliver('checkout.session.completed', start.reference!, { payment_status: 'paid', amount_total: 100 });
    let now = await detail(order.id);
    expect(now.status).toBe('new');
    expect(now.payments).toMatchObject([{ status: 'succeeded', flaggedReason: 'amount_mismatch' }]);

    const other = await w.order();
    const session = sessionOf((await w.platform.payments.start(other.id, 'stripe')).reference!);
    await deliver('checkout.session.completed', session.id, { payment_status: 'paid', currency: 'usd' });
    now = await detail(other.id);
    expect(now.status).toBe('new');
    expect(now.payments).toMatchObject([{ flaggedReason: 'currency_mismatch' }]);

    for (const reference of [randomUUID(), 'not-an-order']) {
      const res = await deliver('checkout.session.completed', session.id, {
        id: `cs_test_stray_${reference}`,
        client_reference_id: reference,
        metadata: {},
        payment_status: 'paid',
      });
      expect(res.status).toBe(200);
      const stray = await w.database.db
        .selectFrom('payments')
        .selectAll()
        .where('reference', '=', `cs_test_stray_${reference}`)
        .executeTakeFirstOrThrow();
      expect(stray).toMatchObject({ order_id: null, status: 'succeeded', flagged_reason: 'unknown_order' });
    }
  });

  it('a payment for a cancelled order is flagged for refund', async () => {
    const order = await w.order();
    const start = await w.platform.payments.start(order.id, 'stripe');
    await changeOrderStatus(w.database.db, order.id, 'cancelled', { kind: 'shopper' });
    await deliver('checkout.session.completed', start.reference!, { payment_status: 'paid' });
    const now = await detail(order.id);
    expect(now.status).toBe('cancelled');
    expect(now.payments).toMatchObject([{ status: 'succeeded', flaggedReason: 'refund_due' }]);
    await expect(w.platform.payments.start(order.id, 'stripe')).rejects.toThrow(/not waiting for a payment/);
  });

  it('ignores other events and refuses what is not an event', async () => {
    const ignored = await w.stripe.deliver(
      hook(),
      JSON.stringify({ id: 'evt_x', type: 'customer.created', data: { object: { id: 'cus_1' } } }),
      SECRETS.stripeWebhook,
    );
    expect(await ignored.json()).toEqual({ received: true, ignored: 'customer.created' });
    expect((await w.stripe.deliver(hook(), 'not json', SECRETS.stripeWebhook)).status).toBe(400);
  });
});
