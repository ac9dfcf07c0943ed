import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiPay, type FakeApiPay } from '../testing/fakeApiPay.ts';
import type { PayableOrder } from '../types.ts';
import { apiPaySignature, createKaspiInvoice, kaspiPhone, readApiPayWebhook, verifyApiPaySignature } from './apipay.ts';

const order: PayableOrder = {
  id: 'ord-3',
  number: '31',
  citySlug: 'almaty',
  total: '23500.00',
  currency: 'KZT',
  phone: '+7 701 123 45 67',
};
let gateway: FakeApiPay;
let options: { apiKey: string; apiBase: string };

beforeAll(async () => {
  gateway = await startFakeApiPay({ apiKey: 'ak_zeta' });
  options = { apiKey: 'ak_zeta', apiBase: gateway.apiBase };
});
afterAll(() => gateway.close());

describe('Kaspi invoice through ApiPay.kz', () => {
  it('sends an invoice in whole tenge to the shopper’s phone with the order id', async () => {
    const start = await createKaspiInvoice(order, options);
    expect(start).toMatchObject({ provider: 'kaspi', instructions: 'kaspi_invoice_sent', reference: '41' });
    expect(gateway.requests.at(-1)).toMatchObject({
      authorized: true,
      body: { amount: 23500, phone_number: '87011234567', external_order_id: 'ord-3', description: 'Заказ № 31' },
    });
  });
  it('refuses tiyn, other currencies, a missing phone and a wrong key with clear errors', async () => {
    await expect(createKaspiInvoice({ ...order, total: '23500.50' }, options)).rejects.toThrow(/whole tenge/);
    await expect(createKaspiInvoice({ ...order, currency: 'USD' }, options)).rejects.toThrow(/whole tenge/);
    await expect(createKaspiInvoice({ ...order, phone: '12345' }, options)).rejects.toThrow(/mobile number/);
    await expect(createKaspiInvoice(order, { ...options, apiKey: 'wrong' })).rejects.toThrow(/HTTP 401/);
  });
  it('normalises Kazakh mobile numbers', () => {
    expect(kaspiPhone('+77011234567')).toBe('87011234567');
    expect(kaspiPhone('87011234567')).toBe('87011234567');
    expect(kaspiPhone('7011234567')).toBe('87011234567');
    expect(kaspiPhone('+79161234567')).toBeUndefined();
    expect(kaspiPhone(undefined)).toBeUndefined();
  });
});

describe('ApiPay webhook', () => {
  const body = JSON.stringify({
    event: 'invoice.status_changed',
    invoice: { id: 42, external_order_id: 'ord-3', amount: '23500.00', status: 'paid' },
  });
  const raw = new TextEncoder().encode(body);
  it('verifies X-Webhook-Signature over the raw body', () => {
    expect(verifyApiPaySignature(raw, apiPaySignature('whk', raw), 'whk')).toBe(true);
    expect(verifyApiPaySignature(raw, apiPaySignature('forged', raw), 'whk')).toBe(false);
    expect(verifyApiPaySignature(raw, undefined, 'whk')).toBe(false);
  });
  it('reads status changes in our terms', () => {
    expect(readApiPayWebhook(JSON.parse(body))).toMatchObject({
      event: {
        provider: 'kaspi',
        reference: '42',
        orderId: 'ord-3',
        amountMinor: 2_350_000,
        currency: 'KZT',
        outcome: 'paid',
      },
    });
    const cancelled = { event: 'invoice.status_changed', invoice: { id: 42, amount: '1.00', status: 'cancelled' } };
    expect(readApiPayWebhook(cancelled)).toMatchObject({ event: { outcome: 'failed', orderId: undefined } });
    expect(readApiPayWebhook({ event: 'invoice.refunded', invoice: { id: 42 } })).toEqual({
      ignored: 'invoice.refunded',
    });
    expect(readApiPayWebhook('nonsense')).toHaveProperty('invalid');
  });
});
