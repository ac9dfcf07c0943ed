import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCrmJobs, failCrmJob } from '../../storage/crm/outbox.ts';
import { createOrder } from '../../storage/orders/index.ts';
import { createCity, createProduct } from '../../storage/repos/index.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type Json = Record<string, any>;

/**
 * The CRM outbox in the admin API: admins see what waits for Bitrix24 and what it refused (with
 * the reason), and send a refused row again; managers may not.
 */
describe('CRM outbox API', () => {
  let h: AdminHarness;
  let orderId: string;
  beforeAll(async () => {
    h = await createAdminHarness('pglite');
    const cityId = (await createCity(h.t.db, { name: 'Алматы', slug: 'almaty' })).id;
    const sofa = (await createProduct(h.t.db, cityId, { sku: 'S', name: 'Диван', price: 1000 })).id;
    const place = () =>
      createOrder(h.t.db, {
        cityId,
        channel: 'web',
        customer: { name: 'Айгуль', phone: '+77011234567' },
        delivery: { kind: 'pickup', store: 'Mega' },
        paymentMethod: 'on_delivery',
        items: [{ productId: sofa, quantity: 1 }],
      });
    orderId = (await place()).id;
    await place();
    const [job] = await claimCrmJobs(h.t.db, new Date(Date.now() + 1000), 1, 60_000);
    await failCrmJob(h.t.db, job!, new Date(), 'crm.deal.add: HTTP 400 — Stage "X" not found');
  });
  afterAll(async () => h.close());

  it('lists rows by status with counts, the refusal reason shown; retry sends it again (audited)', async () => {
    const failed = (await (await h.call('GET', '/crm/jobs?status=failed', { as: 'admin' })).json()) as Json;
    expect(failed.total).toBe(1);
    expect(failed.counts).toEqual({ pending: 1, delivered: 0, failed: 1 });
    expect(failed.items[0]).toMatchObject({
      kind: 'order',
      entityId: orderId,
      status: 'failed',
      lastError: 'crm.deal.add: HTTP 400 — Stage "X" not found',
    });
    expect((await h.call('GET', '/crm/jobs', { as: 'manager' })).status).toBe(403);
    expect((await h.call('GET', '/crm/jobs?status=lost', { as: 'admin' })).status).toBe(400);

    const retried = await h.call('POST', `/crm/jobs/${failed.items[0].id}/retry`, { as: 'admin' });
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as Json).job).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await h.call('POST', `/crm/jobs/${failed.items[0].id}/retry`, { as: 'admin' })).status).toBe(404);
    const audit = await h.t.db.selectFrom('audit_log').selectAll().where('action', '=', 'crm.retry').execute();
    expect(audit).toHaveLength(1);
  });

  it('a status change made in the orders API queues the order for the CRM again', async () => {
    const res = await h.call('POST', `/orders/${orderId}/status`, { as: 'manager', body: { action: 'cancel' } });
    expect(res.status).toBe(200);
    const pending = (await (
      await h.call('GET', '/crm/jobs?status=pending&kind=order', { as: 'owner' })
    ).json()) as Json;
    expect(pending.items.find((j: Json) => j.entityId === orderId)).toMatchObject({ version: 2, attempts: 0 });
  });
});
