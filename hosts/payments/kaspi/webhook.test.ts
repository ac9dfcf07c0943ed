import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrder } from '../../../storage/orders/index.ts';
import { TEST_BACKENDS } from '../../../storage/testing.ts';
import { PaymentService } from '../service.ts';
import { paymentsConfig } from '../config.ts';
import { quietLog, SECRETS, startPaymentsWorld, type PaymentsWorld } from '../testing/platform.ts';

/** Kaspi through ApiPay.kz end to end, and the manual path when no gateway is configured. */
describe.each(TEST_BACKENDS)('Kaspi payments on %s', (kind) => {
  let w: PaymentsWorld;
  beforeAll(async () => {
    w = await startPaymentsWorld(kind);
  }, 60_000);
  afterAll(() => w?.close());

  const hook = () => `${w.url}/webhooks/payments/kaspi`;
  const detail = async (id: string) => (await getOrder(w.database.db, id))!;

  it('sends an invoice to the shopper’s phone; the signed paid webhook marks the order paid once', async () => {
    const order = await w.order({ paymentMethod: 'kaspi' });
    const start = await w.platform.payments.start(order.id, 'kaspi');
    expect(start).toMatchObject({ provider: 'kaspi', instructions: 'kaspi_invoice_sent' });
    const invoice = w.apipay.invoices.find((i) => i.external_order_id === order.id)!;
    expect(invoice).toMatchObject({ amount: '191980.00', phone_number: '87011234567' });
    expect(await detail(order.id)).toMatchObject({
      status: 'new',
      payments: [{ provider: 'kaspi', status: 'pending' }],
    });
    for (let i = 0; i < 2; i++)
      expect((await w.apipay.statusChanged(hook(), invoice, 'paid', SECRETS.apiPayWebhook)).status).toBe(200);
    const paid = await detail(order.id);
    expect(paid.status).toBe('paid');
    expect(paid.payments).toMatchObject([
      { provider: 'kaspi', reference: String(invoice.id), status: 'succeeded', flaggedReason: null },
    ]);
  });

  it('a forged signature is a 401; a wrong amount is flagged; an expired invoice leaves the order waiting', async () => {
    const order = await w.order({ paymentMethod: 'kaspi' });
    await w.platform.payments.start(order.id, 'kaspi');
    const invoice = w.apipay.invoices.find((i) => i.external_order_id === order.id)!;
    expect((await w.apipay.statusChanged(hook(), invoice, 'paid', 'forged')).status).toBe(401);
    expect((await detail(order.id)).status).toBe('new');
    await w.apipay.statusChanged(hook(), invoice, 'paid', SECRETS.apiPayWebhook, '1000.00');
    expect(await detail(order.id)).toMatchObject({ status: 'new', payments: [{ flaggedReason: 'amount_mismatch' }] });

    const other = await w.order({ paymentMethod: 'kaspi' });
    await w.platform.payments.start(other.id, 'kaspi');
    const second = w.apipay.invoices.find((i) => i.external_order_id === other.id)!;
    await w.apipay.statusChanged(hook(), second, 'expired', SECRETS.apiPayWebhook);
    expect(await detail(other.id)).toMatchObject({ status: 'new', payments: [{ status: 'failed' }] });
  });

  it('a lost paid webhook is found by asking the gateway about pending invoices', async () => {
    const order = await w.order({ paymentMethod: 'kaspi' });
    await w.platform.payments.start(order.id, 'kaspi');
    const invoice = w.apipay.invoices.find((i) => i.external_order_id === order.id)!;
    expect(await w.platform.payments.reconcileKaspi(0)).toBe(0);
    w.apipay.setStatus(invoice, 'paid');
    expect(await w.platform.payments.reconcileKaspi(60_000)).toBe(0);
    expect(await w.platform.payments.reconcileKaspi(0)).toBe(1);
    expect(await detail(order.id)).toMatchObject({
      status: 'paid',
      payments: [{ reference: String(invoice.id), status: 'succeeded' }],
    });
    expect(await w.platform.payments.reconcileKaspi(0)).toBe(0);
    // the webhook arriving late changes nothing
    await w.apipay.statusChanged(hook(), invoice, 'paid', SECRETS.apiPayWebhook);
    expect((await detail(order.id)).events.filter((e) => e.to === 'paid')).toHaveLength(1);
  });

  it('falls back to the manual path when the gateway cannot invoice the order, and without a gateway', async () => {
    const noPhone = await w.order({ paymentMethod: 'kaspi', customer: { name: 'Гость', phone: '' } });
    expect(await w.platform.payments.start(noPhone.id, 'kaspi')).toEqual({
      provider: 'kaspi',
      instructions: 'manual_kaspi_invoice',
    });
    const manual = new PaymentService({
      db: w.database.db,
      config: paymentsConfig({}),
      citySlug: () => 'payville',
      log: quietLog,
    });
    const order = await w.order({ paymentMethod: 'kaspi' });
    expect(await manual.start(order.id, 'kaspi')).toEqual({ provider: 'kaspi', instructions: 'manual_kaspi_invoice' });
    await expect(manual.start(order.id, 'stripe')).rejects.toThrow(/stripe is not offered in payville/);
  });
});
