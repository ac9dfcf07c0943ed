import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloudPayments, cpFields, type FakeCloudPayments } from '../testing/fakeCloudPayments.ts';
import type { PayableOrder } from '../types.ts';
import { createCloudPaymentsLink, type CloudPaymentsOptions } from './client.ts';
import { readCloudPaymentsNotification } from './notifications.ts';
import { cloudPaymentsHmac, verifyCloudPaymentsSignature } from './signature.ts';

const order: PayableOrder = {
  id: 'ord-2',
  number: '7',
  citySlug: 'almaty',
  total: '45990.00',
  currency: 'KZT',
  phone: '+77011234567',
};
let cp: FakeCloudPayments;
let options: CloudPaymentsOptions;

beforeAll(async () => {
  cp = await startFakeCloudPayments({ publicId: 'pk_zeta', apiSecret: 'cp_secret' });
  options = {
    publicId: 'pk_zeta',
    apiSecret: 'cp_secret',
    apiBase: cp.apiBase,
    returnUrl: 'https://bot.example.kz/payments/return',
  };
});
afterAll(() => cp.close());

describe('CloudPayments payment link', () => {
  it('creates an order link with Basic auth, the order id as InvoiceId and the server total', async () => {
    const start = await createCloudPaymentsLink(order, options);
    expect(start).toMatchObject({
      provider: 'cloudpayments',
      url: expect.stringMatching(/^https:\/\/orders\.cloudpayments\.test\/d\//),
    });
    expect(cp.requests.at(-1)).toMatchObject({
      authorized: true,
      body: {
        Amount: 45990,
        Currency: 'KZT',
        InvoiceId: 'ord-2',
        AccountId: '+77011234567',
        RequireConfirmation: false,
      },
    });
  });
  it('a wrong secret and a refusal are clear errors', async () => {
    await expect(createCloudPaymentsLink(order, { ...options, apiSecret: 'nope' })).rejects.toThrow(/401/);
    cp.refuseNext('Invalid Amount value');
    await expect(createCloudPaymentsLink(order, options)).rejects.toThrow(/Invalid Amount value/);
  });
});

describe('CloudPayments notifications', () => {
  const fields = cpFields(9001, 'ord-2', '45990.00', { Description: 'Заказ № 7 & доставка' });
  const raw = new TextEncoder().encode(new URLSearchParams(fields).toString());
  const decoded = decodeURIComponent(new URLSearchParams(fields).toString().replace(/\+/g, ' '));
  it('verifies X-Content-HMAC over the raw body or Content-HMAC over the decoded body', () => {
    expect(verifyCloudPaymentsSignature(raw, { xContentHmac: cloudPaymentsHmac('cp_secret', raw) }, 'cp_secret')).toBe(
      true,
    );
    expect(
      verifyCloudPaymentsSignature(raw, { contentHmac: cloudPaymentsHmac('cp_secret', decoded) }, 'cp_secret'),
    ).toBe(true);
    expect(verifyCloudPaymentsSignature(raw, { contentHmac: cloudPaymentsHmac('cp_secret', raw) }, 'cp_secret')).toBe(
      false,
    );
    expect(verifyCloudPaymentsSignature(raw, { xContentHmac: cloudPaymentsHmac('forged', raw) }, 'cp_secret')).toBe(
      false,
    );
    expect(verifyCloudPaymentsSignature(raw, {}, 'cp_secret')).toBe(false);
  });
  it('reads Pay, Fail and Check in our terms', () => {
    const form = new URLSearchParams(fields);
    expect(readCloudPaymentsNotification('pay', form)).toMatchObject({
      event: {
        provider: 'cloudpayments',
        reference: '9001',
        orderId: 'ord-2',
        amountMinor: 4_599_000,
        currency: 'KZT',
        outcome: 'paid',
      },
      testMode: true,
    });
    expect(readCloudPaymentsNotification('fail', form)).toMatchObject({ event: { outcome: 'failed' } });
    expect(readCloudPaymentsNotification('check', form)).toMatchObject({ event: { outcome: 'pending' } });
    const authorized = new URLSearchParams({ ...fields, Status: 'Authorized' });
    expect(readCloudPaymentsNotification('pay', authorized)).toMatchObject({ event: { outcome: 'pending' } });
    expect(readCloudPaymentsNotification('pay', new URLSearchParams({ ...fields, Amount: 'lots' }))).toHaveProperty(
      'invalid',
    );
    expect(readCloudPaymentsNotification('pay', new URLSearchParams({ Amount: '1' }))).toHaveProperty('invalid');
  });
});
