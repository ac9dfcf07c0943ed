import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOrderStatus, getOrder } from '../../../storage/orders/index.ts';
import { TEST_BACKENDS } from '../../../storage/testing.ts';
import { cpFields } from '../testing/fakeCloudPayments.ts';
import { SECRETS, startPaymentsWorld, type PaymentsWorld } from '../testing/platform.ts';

/** CloudPayments end to end through the mounted platform: a payment link, then signed Check / Pay / Fail. */
describe.each(TEST_BACKENDS)('CloudPayments payments on %s', (kind) => {
  let w: PaymentsWorld;
  let transaction = 70_000;
  beforeAll(async () => {
    w = await startPaymentsWorld(kind);
  }, 60_000);
  afterAll(() => w?.close());

  const hook = (k: string) => `${w.url}/webhooks/payments/cloudpayments/${k}`;
  const notify = async (
    k: string,
    fields: Record<string, string>,
    sign?: 'both' | 'x-content' | 'content',
    secret = SECRETS.cpSecret,
  ) => {
    const res = await w.cp.notify(hook(k), fields, secret, sign);
    return { status: res.status, body: (await res.json()) as { code: number } };
  };
  const detail = async (id: string) => (await getOrder(w.database.db, id))!;

  it('makes a payment link for the order total with the order id as InvoiceId', async () => {
    const order = await w.order({ paymentMethod: 'cloudpayments' });
    const start = await w.platform.payments.start(order.id, 'cloudpayments');
    expect(start.url).toContain('orders.cloudpayments.test');
    expect(w.cp.requests.at(-1)).toMatchObject({
      authorized: true,
      body: { Amount: 191_980, Currency: 'KZT', InvoiceId: order.id },
    });
  });

  it('Check answers 0 for the right amount, 12 for a wrong one, 10 for an unknown order, 13 for a cancelled one', async () => {
    const order = await w.order();
    expect(await notify('check', cpFields(++transaction, order.id, '191980.00'))).toEqual({
      status: 200,
      body: { code: 0 },
    });
    expect((await notify('check', cpFields(++transaction, order.id, '191979.00'))).body).toEqual({ code: 12 });
    expect((await notify('check', cpFields(++transaction, order.id, '191980.00', { Currency: 'RUB' }))).body).toEqual({
      code: 12,
    });
    expect((await notify('check', cpFields(++transaction, randomUUID(), '191980.00'))).body).toEqual({ code: 10 });
    expect((await notify('check', cpFields(++transaction, 'garbage', '1.00'))).body).toEqual({ code: 10 });
    await changeOrderStatus(w.database.db, order.id, 'cancelled', { kind: 'shopper' });
    expect((await notify('check', cpFields(++transaction, order.id, '191980.00'))).body).toEqual({ code: 13 });
    expect((await detail(order.id)).payments).toEqual([]);
  });

  it('Pay marks paid once however often it is delivered; either signature header is enough', async () => {
    const order = await w.order();
    const pay = cpFields(++transaction, order.id, '191980.00', { Description: 'Заказ № 1 & «диван»' });
    expect(await notify('pay', pay, 'content')).toEqual({ status: 200, body: { code: 0 } });
    expect(await notify('pay', pay, 'x-content')).toEqual({ status: 200, body: { code: 0 } });
    expect(await notify('pay', pay)).toEqual({ status: 200, body: { code: 0 } });
    const paid = await detail(order.id);
    expect(paid.status).toBe('paid');
    expect(paid.payments).toMatchObject([
      { provider: 'cloudpayments', reference: String(transaction), status: 'succeeded', flaggedReason: null },
    ]);
    expect(Object.keys(paid.payments[0]!.raw as object)).not.toContain('CardFirstSix');
    expect(paid.payments[0]!.raw).toMatchObject({ InvoiceId: order.id, CardType: 'Visa' });
  });

  it('a forged signature is a 401 and changes nothing', async () => {
    const order = await w.order();
    const pay = cpFields(++transaction, order.id, '191980.00');
    expect((await notify('pay', pay, 'both', 'forged-secret')).status).toBe(401);
    const unsigned = await fetch(hook('pay'), { method: 'POST', body: new URLSearchParams(pay).toString() });
    expect(unsigned.status).toBe(401);
    expect(await detail(order.id)).toMatchObject({ status: 'new', payments: [] });
  });

  it('Fail is recorded; a Pay with a wrong amount, for an unknown order or a cancelled one is flagged', async () => {
    const order = await w.order();
    await notify(
      'fail',
      cpFields(++transaction, order.id, '191980.00', { Reason: 'InsufficientFunds', ReasonCode: '5051' }),
    );
    expect(await detail(order.id)).toMatchObject({ status: 'new', payments: [{ status: 'failed' }] });
    await notify('pay', cpFields(++transaction, order.id, '100.00'));
    expect((await detail(order.id)).payments.at(-1)).toMatchObject({
      status: 'succeeded',
      flaggedReason: 'amount_mismatch',
    });

    const stray = ++transaction;
    expect((await notify('pay', cpFields(stray, randomUUID(), '5.00'))).body).toEqual({ code: 0 });
    const row = await w.database.db
      .selectFrom('payments')
      .selectAll()
      .where('reference', '=', String(stray))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ order_id: null, flagged_reason: 'unknown_order' });

    const cancelled = await w.order();
    await changeOrderStatus(w.database.db, cancelled.id, 'cancelled', { kind: 'shopper' });
    await notify('pay', cpFields(++transaction, cancelled.id, '191980.00'));
    expect((await detail(cancelled.id)).payments).toMatchObject([{ flaggedReason: 'refund_due' }]);
  });

  it('refuses unknown kinds and malformed notifications', async () => {
    expect((await w.cp.notify(hook('refund'), { TransactionId: '1' }, SECRETS.cpSecret)).status).toBe(404);
    expect((await notify('pay', { TransactionId: 'x', Amount: '1', Currency: 'KZT' })).status).toBe(400);
  });
});
