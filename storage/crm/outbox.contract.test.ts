import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { changeOrderStatus, createOrder, OrderInputError, recordPayment } from '../orders/index.ts';
import { createCity, createProduct } from '../repos/index.ts';
import { recordLeads } from '../repos/leads.ts';
import {
  claimCrmJobs,
  completeCrmJob,
  failCrmJob,
  listCrmJobs,
  deferPendingCrmJobs,
  retryCrmJob,
  retryFailedCrmJob,
} from './outbox.ts';

/**
 * The CRM outbox on both databases: orders, status changes, payments and shoppers' leads queue
 * their row in their own transaction (a refused order queues nothing); a change while a worker
 * delivers keeps the row pending; claims never hand one row to two workers.
 */
describe.each(TEST_BACKENDS)('crm outbox on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  let sofa: string;
  let gone: string;
  const later = (ms: number) => new Date(Date.now() + ms);

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    sofa = (await createProduct(t.db, cityId, { sku: 'SOFA-1', name: 'Диван', price: 250_000 })).id;
    gone = (await createProduct(t.db, cityId, { sku: 'GONE', name: 'Нет', price: 1, available: false })).id;
  });
  afterAll(async () => t?.close());

  const place = (productId = sofa) =>
    createOrder(t.db, {
      cityId,
      channel: 'telegram',
      customer: { name: 'Айгуль', phone: '+77011234567' },
      delivery: { kind: 'pickup', store: 'ТРЦ Mega' },
      paymentMethod: 'kaspi_manual',
      items: [{ productId, quantity: 1 }],
    });
  const rowOf = async (entityId: string) =>
    t.db.selectFrom('crm_outbox').selectAll().where('entity_id', '=', entityId).execute();
  const clear = () => t.db.deleteFrom('crm_outbox').execute();

  it('queues an order with its creation, and each status change or payment on the same row with a new version', async () => {
    const order = await place();
    expect(await rowOf(order.id)).toMatchObject([{ kind: 'order', status: 'pending', version: 1 }]);
    await changeOrderStatus(t.db, order.id, 'awaiting_payment', { kind: 'system' });
    await recordPayment(t.db, {
      orderId: order.id,
      provider: 'kaspi_manual',
      reference: 'inv-1',
      amount: 250_000,
      currency: 'KZT',
      status: 'succeeded',
    });
    const rows = await rowOf(order.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', version: 3 });
  });

  it('queues nothing for an order that was refused (its transaction rolled back)', async () => {
    await clear();
    await expect(place(gone)).rejects.toBeInstanceOf(OrderInputError);
    expect((await listCrmJobs(t.db)).total).toBe(0);
  });

  it("queues a shopper's lead once however often its turn is relayed, and never a staff test lead", async () => {
    await clear();
    const lead = (recordKey: string, test = false) => ({
      recordKey,
      cityId,
      channel: 'telegram',
      userId: '42',
      conversationKey: 'telegram:almaty:42',
      flow: 'measure',
      slots: { phone: '+77011234567' },
      history: [],
      test,
    });
    await recordLeads(t.db, [lead('k1'), lead('k2', true)]);
    await recordLeads(t.db, [lead('k1')]);
    const jobs = await listCrmJobs(t.db, { kind: 'lead' });
    expect(jobs.items).toMatchObject([{ kind: 'lead', version: 1, status: 'pending' }]);
    const written = await t.db
      .selectFrom('leads')
      .select('id')
      .where('record_key', '=', 'k1')
      .executeTakeFirstOrThrow();
    expect(jobs.items[0]!.entityId).toBe(written.id);
  });

  it('hands a due row to one claim at a time; a lease that runs out makes it due again', async () => {
    await clear();
    for (let i = 0; i < 6; i++) await place();
    const now = later(1000);
    const [a, b] = await Promise.all([claimCrmJobs(t.db, now, 4, 60_000), claimCrmJobs(t.db, now, 4, 60_000)]);
    const ids = [...a, ...b].map((j) => j.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(await claimCrmJobs(t.db, now, 10, 60_000)).toEqual([]);
    expect(await claimCrmJobs(t.db, later(61_000), 10, 60_000)).toHaveLength(6);
    // the portal is down: everything pending waits, claimed rows released
    const [held] = await claimCrmJobs(t.db, later(200_000), 1, 60_000);
    await deferPendingCrmJobs(
      t.db,
      later(61_000),
      later(300_000),
      [...a, ...b].filter((j) => j.id !== held!.id),
    );
    // the row another worker held was not deferred: due again when its lease ran out
    expect((await claimCrmJobs(t.db, later(299_000), 10, 60_000)).map((j) => j.id)).toEqual([held!.id]);
    expect(await claimCrmJobs(t.db, later(300_000), 10, 60_000)).toHaveLength(5);
  });

  it('delivers as of the claimed version: a change during delivery keeps the row pending', async () => {
    await clear();
    const order = await place();
    const [job] = await claimCrmJobs(t.db, later(1000), 1, 60_000);
    await changeOrderStatus(t.db, order.id, 'cancelled', { kind: 'system' });
    await completeCrmJob(t.db, job!, later(1000), { crmId: '501', syncedStatus: 'new' });
    const [again] = await claimCrmJobs(t.db, later(2000), 1, 60_000);
    expect(again).toMatchObject({ status: 'pending', version: 2, crmId: '501', syncedStatus: 'new' });
    await completeCrmJob(t.db, again!, later(2000), { crmId: '501', syncedStatus: 'cancelled' });
    expect((await rowOf(order.id))[0]).toMatchObject({ status: 'delivered', attempts: 0, crm_id: '501' });
  });

  it('retries after the back-off, fails for good with the reason, and a failed row can be sent again', async () => {
    await clear();
    const order = await place();
    const [job] = await claimCrmJobs(t.db, later(1000), 1, 60_000);
    await retryCrmJob(t.db, job!, later(1000), later(31_000), 'crm.deal.add: QUERY_LIMIT_EXCEEDED');
    expect(await claimCrmJobs(t.db, later(30_000), 1, 60_000)).toEqual([]);
    const [retried] = await claimCrmJobs(t.db, later(32_000), 1, 60_000);
    expect(retried).toMatchObject({ attempts: 1, lastError: 'crm.deal.add: QUERY_LIMIT_EXCEEDED' });
    await failCrmJob(t.db, retried!, later(32_000), 'crm.deal.add: Stage "X" not found');
    const failed = await listCrmJobs(t.db, { status: 'failed' });
    expect(failed.items).toMatchObject([{ entityId: order.id, lastError: 'crm.deal.add: Stage "X" not found' }]);
    expect(failed.counts).toMatchObject({ failed: 1, pending: 0 });
    expect(await claimCrmJobs(t.db, later(3_600_000), 1, 60_000)).toEqual([]);
    expect(await retryFailedCrmJob(t.db, 'not-a-uuid', new Date())).toBeUndefined();
    expect(await retryFailedCrmJob(t.db, retried!.id, later(40_000))).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await claimCrmJobs(t.db, later(41_000), 1, 60_000)).toHaveLength(1);
  });
});
