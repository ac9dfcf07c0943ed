import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOrderStatus, getOrder } from '../../storage/orders/index.ts';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { SECRETS, startPaymentsWorld, type PaymentsWorld } from './testing/platform.ts';

/**
 * `POST /api/orders/:id/payment-link` through the mounted admin API, and the shopper told once the
 * provider's webhook made the order paid.
 */
const OWNER = { email: 'owner@pay.test', password: 'correct-horse-battery' };

describe.each(TEST_BACKENDS)('payment links in the admin API on %s', (kind) => {
  let w: PaymentsWorld;
  let token: string;
  beforeAll(async () => {
    w = await startPaymentsWorld(kind, {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      PAYMENT_PROVIDERS: 'payville=stripe,kaspi; *=cloudpayments',
    });
    const login = await fetch(`${w.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  }, 60_000);
  afterAll(() => w?.close());

  const link = (orderId: string, body: unknown, auth = true) =>
    fetch(`${w.url}/api/orders/${orderId}/payment-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('starts a Stripe payment; the paid webhook makes the order paid and the shopper is told', async () => {
    const order = await w.order();
    const res = await link(order.id, { provider: 'stripe' });
    expect(res.status).toBe(200);
    const start = (await res.json()) as { url: string; reference: string };
    expect(start.url).toContain('checkout.stripe.test');
    const session = w.stripe.sessions.find((s) => s.id === start.reference)!;
    const { body } = w.stripe.event('checkout.session.completed', session, { payment_status: 'paid' });
    expect((await w.stripe.deliver(`${w.url}/webhooks/payments/stripe`, body, SECRETS.stripeWebhook)).status).toBe(200);
    const deadline = Date.now() + 5_000;
    for (;;) {
      const paid = (await getOrder(w.database.db, order.id))!.events.find((e) => e.to === 'paid');
      if (paid?.notifiedAt) break;
      if (Date.now() > deadline) throw new Error('the paid order was never told to the shopper');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('answers Kaspi with the invoice sent to the phone', async () => {
    const order = await w.order({ paymentMethod: 'kaspi' });
    expect(await (await link(order.id, { provider: 'kaspi' })).json()).toMatchObject({
      provider: 'kaspi',
      instructions: 'kaspi_invoice_sent',
    });
  });

  it('refuses what cannot be paid, with clear errors', async () => {
    const order = await w.order();
    expect((await link(order.id, { provider: 'stripe' }, false)).status).toBe(401);
    expect((await link(order.id, { provider: 'paypal' })).status).toBe(400);
    const notOffered = await link(order.id, { provider: 'cloudpayments' });
    expect(notOffered.status).toBe(422);
    expect(await notOffered.json()).toMatchObject({ error: { code: 'provider_not_offered' } });
    expect((await link('00000000-0000-4000-8000-000000000000', { provider: 'stripe' })).status).toBe(404);
    await changeOrderStatus(w.database.db, order.id, 'cancelled', { kind: 'shopper' });
    expect((await link(order.id, { provider: 'stripe' })).status).toBe(409);
    const other = await w.order();
    w.stripe.failNext(500);
    expect((await link(other.id, { provider: 'stripe' })).status).toBe(503);
  });
});
