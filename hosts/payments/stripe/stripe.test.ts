import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../testing/fakeStripe.ts';
import { PaymentProviderError, type PayableOrder } from '../types.ts';
import { createCheckoutSession, type StripeCheckoutOptions } from './checkout.ts';
import { readStripeEvent } from './events.ts';
import { stripeSignature, verifyStripeSignature } from './signature.ts';

const SECRET_KEY = 'sk_test_zeta';
const order: PayableOrder = { id: 'ord-1', number: '12', citySlug: 'almaty', total: '152000.50', currency: 'KZT' };
let stripe: FakeStripe;
let options: StripeCheckoutOptions;
const now = new Date('2026-12-07T15:00:00Z');

beforeAll(async () => {
  stripe = await startFakeStripe({ secretKey: SECRET_KEY });
  options = {
    secretKey: SECRET_KEY,
    apiBase: stripe.apiBase,
    returnUrl: 'https://bot.example.kz/payments/return',
    sessionHours: 23,
  };
});
afterAll(() => stripe.close());

describe('Stripe Checkout Session', () => {
  it('creates a session in KZT minor units with the order id as client_reference_id and an Idempotency-Key', async () => {
    const start = await createCheckoutSession(order, 'zeta:ord-1:first', options, now);
    expect(start.url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const request = stripe.requests.at(-1)!;
    expect(request.idempotencyKey).toBe('zeta:ord-1:first');
    expect(request.form).toMatchObject({
      mode: 'payment',
      client_reference_id: 'ord-1',
      'line_items[0][price_data][currency]': 'kzt',
      'line_items[0][price_data][unit_amount]': '15200050',
      'line_items[0][quantity]': '1',
      'metadata[order_id]': 'ord-1',
      expires_at: String(now.getTime() / 1000 + 23 * 3600),
    });
    expect(start.expiresAt?.getTime()).toBe(now.getTime() + 23 * 3600_000);
  });

  it('a retried request with the same key returns the same session; a new key makes a new one', async () => {
    const a = await createCheckoutSession(order, 'zeta:ord-1:retry', options, now);
    const b = await createCheckoutSession(order, 'zeta:ord-1:retry', options, now);
    const c = await createCheckoutSession(order, `zeta:ord-1:after:${a.reference}`, options, now);
    expect(b.reference).toBe(a.reference);
    expect(c.reference).not.toBe(a.reference);
  });

  it('a wrong key is a clear, final error; a 5xx is retryable', async () => {
    const wrong = createCheckoutSession(order, 'k1', { ...options, secretKey: 'sk_test_wrong' }, now);
    await expect(wrong).rejects.toThrow(/HTTP 401: Invalid API Key/);
    await expect(wrong).rejects.toMatchObject({ retryable: false });
    stripe.failNext(500);
    await expect(createCheckoutSession(order, 'k2', options, now)).rejects.toMatchObject({ retryable: true });
    await expect(createCheckoutSession({ ...order, total: '0' }, 'k3', options, now)).rejects.toBeInstanceOf(
      PaymentProviderError,
    );
  });
});

describe('Stripe-Signature', () => {
  const raw = new TextEncoder().encode('{"id":"evt_1"}');
  const t = Math.floor(now.getTime() / 1000);
  it('accepts the right signature, also beside a rolled secret', () => {
    expect(verifyStripeSignature(raw, `t=${t},v1=${stripeSignature('whsec_a', t, raw)}`, 'whsec_a', now)).toBe('ok');
    const both = `t=${t},v1=${stripeSignature('whsec_old', t, raw)},v1=${stripeSignature('whsec_a', t, raw)}`;
    expect(verifyStripeSignature(raw, both, 'whsec_a', now)).toBe('ok');
  });
  it('refuses forged, tampered, stale and malformed headers', () => {
    expect(verifyStripeSignature(raw, `t=${t},v1=${stripeSignature('whsec_b', t, raw)}`, 'whsec_a', now)).toBe(
      'mismatch',
    );
    const tampered = new TextEncoder().encode('{"id":"evt_2"}');
    expect(verifyStripeSignature(tampered, `t=${t},v1=${stripeSignature('whsec_a', t, raw)}`, 'whsec_a', now)).toBe(
      'mismatch',
    );
    const old = t - 301;
    expect(verifyStripeSignature(raw, `t=${old},v1=${stripeSignature('whsec_a', old, raw)}`, 'whsec_a', now)).toBe(
      'stale',
    );
    expect(verifyStripeSignature(raw, 'v1=abc', 'whsec_a', now)).toBe('malformed');
    expect(verifyStripeSignature(raw, undefined, 'whsec_a', now)).toBe('missing');
  });
});

describe('Stripe events', () => {
  const session = { id: 'cs_1', client_reference_id: 'ord-1', amount_total: 100, currency: 'kzt' };
  const event = (type: string, payment_status: string) => ({
    id: 'evt_1',
    type,
    data: { object: { ...session, payment_status } },
  });
  it('is paid only when payment_status is paid', () => {
    expect(readStripeEvent(event('checkout.session.completed', 'paid'))).toMatchObject({
      event: { outcome: 'paid', reference: 'cs_1', orderId: 'ord-1', amountMinor: 100, currency: 'KZT' },
    });
    expect(readStripeEvent(event('checkout.session.completed', 'unpaid'))).toMatchObject({
      event: { outcome: 'pending' },
    });
    expect(readStripeEvent(event('checkout.session.async_payment_succeeded', 'paid'))).toMatchObject({
      event: { outcome: 'paid' },
    });
    expect(readStripeEvent(event('checkout.session.async_payment_failed', 'unpaid'))).toMatchObject({
      event: { outcome: 'failed' },
    });
    expect(readStripeEvent(event('checkout.session.expired', 'unpaid'))).toMatchObject({
      event: { outcome: 'expired' },
    });
    expect(readStripeEvent(event('payment_intent.succeeded', 'paid'))).toEqual({ ignored: 'payment_intent.succeeded' });
    expect(readStripeEvent({ hello: 1 })).toHaveProperty('invalid');
  });
});
