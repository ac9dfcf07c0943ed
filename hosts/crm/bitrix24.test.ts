import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listCrmJobs } from '../../storage/crm/outbox.ts';
import { changeOrderStatus, createOrder } from '../../storage/orders/index.ts';
import { createCity, createProduct } from '../../storage/repos/index.ts';
import { recordLeads } from '../../storage/repos/leads.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import type { Logger } from '../runtime/ports.ts';
import { bitrix24Client } from './client.ts';
import { bitrix24Config } from './config.ts';
import { createCrmDelivery } from './index.ts';
import { BACKOFF_MAX_MS, deliverCrmOutbox } from './outboxWorker.ts';
import { Bitrix24PortalError, requireKztCurrency } from './portal.ts';
import { startFakeBitrix24, type FakeBitrix24, type FakeMode } from './testing/fakeBitrix24.ts';

/**
 * Orders and leads reach a fake Bitrix24 portal through the CRM outbox and the real client: a deal
 * with its contact (found by phone or made) and product rows, never twice; stage moves per
 * BITRIX24_DEAL_STAGES; leads once; the portal down or rate-limited for an hour loses and doubles
 * nothing (time driven through the worker's clock); a portal without KZT is refused.
 */
const silent: Logger = { info() {}, warn() {}, error() {} };
let t: TestDatabase;
let portal: FakeBitrix24;
let cityId: string;
let sofa: string;
let chair: string;
let now: number;

beforeAll(async () => {
  t = await createTestDatabase('pglite');
  portal = await startFakeBitrix24();
  cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
  sofa = (await createProduct(t.db, cityId, { sku: 'SOFA-1', name: 'Диван «Осло»', price: 250_000 })).id;
  chair = (await createProduct(t.db, cityId, { sku: 'CH-1', name: 'Стул', price: 19_990 })).id;
}, 60_000);
afterAll(async () => {
  await portal?.close();
  await t?.close();
});
beforeEach(async () => {
  await t.db.deleteFrom('crm_outbox').execute();
  Object.assign(portal, { mode: 'up', contacts: [], deals: [], leads: [], calls: [] });
  now = Date.now() + 1000;
});

const config = (stages?: string) =>
  bitrix24Config({ BITRIX24_WEBHOOK_URL: portal.webhookUrl, BITRIX24_DEAL_STAGES: stages })!;
/** the worker's clock: driven by the test, never behind the wall clock that stamped the rows */
const pass = (stages?: string) => {
  now = Math.max(now, Date.now() + 1000);
  return deliverCrmOutbox({
    db: t.db,
    bitrix: bitrix24Client({ webhookUrl: portal.webhookUrl }),
    dealStages: config(stages).dealStages,
    clock: () => new Date(now),
    log: silent,
  });
};
const place = (phone = '+77011234567', name = 'Айгуль') =>
  createOrder(t.db, {
    cityId,
    channel: 'telegram',
    customer: { name, phone },
    delivery: { kind: 'delivery', address: 'Абая 1' },
    paymentMethod: 'on_delivery',
    items: [
      { productId: sofa, quantity: 1 },
      { productId: chair, quantity: 2 },
    ],
  });

describe('orders to Bitrix24 deals', () => {
  it('creates the contact from the phone, then a KZT deal with ORIGIN_ID and product rows; the next order finds the contact', async () => {
    const first = await place();
    expect(await pass()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(portal.contacts).toMatchObject([
      { NAME: 'Айгуль', PHONE: [{ VALUE: '+77011234567', VALUE_TYPE: 'MOBILE' }] },
    ]);
    expect(portal.deals).toHaveLength(1);
    expect(portal.deals[0]).toMatchObject({
      TITLE: `Заказ № ${first.number}`,
      CONTACT_ID: portal.contacts[0]!.ID,
      OPPORTUNITY: 289_980,
      CURRENCY_ID: 'KZT',
      ORIGIN_ID: first.id,
      STAGE_ID: 'NEW',
      rows: [
        { PRODUCT_NAME: 'Диван «Осло»', PRICE: 250_000, QUANTITY: 1 },
        { PRODUCT_NAME: 'Стул', PRICE: 19_990, QUANTITY: 2 },
      ],
    });
    expect(portal.calls).toEqual([
      'crm.deal.list',
      'crm.duplicate.findbycomm',
      'crm.contact.add',
      'crm.deal.add',
      'crm.deal.productrows.set',
    ]);

    await place('+77011234567', 'Айгуль Н.');
    await pass();
    expect(portal.contacts).toHaveLength(1);
    expect(portal.deals.map((d) => d.CONTACT_ID)).toEqual([portal.contacts[0]!.ID, portal.contacts[0]!.ID]);
    expect((await listCrmJobs(t.db)).counts).toEqual({ pending: 0, delivered: 2, failed: 0 });
  });

  it('finds a deal an unfinished try made (by ORIGIN_ID) and completes it instead of adding a second', async () => {
    const order = await place();
    // the first try added the deal, then the worker died before recording it
    portal.deals.push({ ID: '900', ORIGIN_ID: order.id, STAGE_ID: 'NEW', rows: [] });
    expect(await pass()).toMatchObject({ delivered: 1 });
    expect(portal.deals).toHaveLength(1);
    expect(portal.calls).not.toContain('crm.deal.add');
    expect(portal.deals[0]!.rows).toHaveLength(2);
    expect((await listCrmJobs(t.db)).items[0]).toMatchObject({ status: 'delivered', crmId: '900' });
  });

  it('moves the deal to the stage BITRIX24_DEAL_STAGES names for each new status, with one call', async () => {
    const stages = 'confirmed=PREPARATION; shipped=C2:ON_THE_WAY';
    portal.stages.add('C2:ON_THE_WAY');
    const order = await place();
    await pass(stages);
    await changeOrderStatus(t.db, order.id, 'confirmed', { kind: 'system' });
    portal.calls = [];
    expect(await pass(stages)).toMatchObject({ delivered: 1 });
    expect(portal.calls).toEqual(['crm.deal.update']);
    expect(portal.deals[0]!.STAGE_ID).toBe('PREPARATION');
    await changeOrderStatus(t.db, order.id, 'shipped', { kind: 'system' });
    await pass(stages);
    expect(portal.deals[0]!.STAGE_ID).toBe('C2:ON_THE_WAY');
    await changeOrderStatus(t.db, order.id, 'completed', { kind: 'system' });
    await pass(stages);
    expect(portal.deals[0]!.STAGE_ID).toBe('WON'); // not named: the default
    expect(portal.deals).toHaveLength(1);
  });

  it('marks a row the portal refuses (a stage it does not have) failed with the reason, and goes on with the rest', async () => {
    const order = await place();
    const other = await place('+77017654321', 'Ерлан');
    await pass();
    await changeOrderStatus(t.db, order.id, 'cancelled', { kind: 'system' });
    await changeOrderStatus(t.db, other.id, 'cancelled', { kind: 'system' });
    portal.stages.delete('APOLOGY');
    expect(await pass('cancelled=APOLOGY')).toEqual({ delivered: 0, retried: 0, failed: 2 });
    const failed = await listCrmJobs(t.db, { status: 'failed' });
    expect(failed.items.map((j) => j.lastError)).toEqual([
      'crm.deal.update: HTTP 400 — Stage "APOLOGY" not found',
      'crm.deal.update: HTTP 400 — Stage "APOLOGY" not found',
    ]);
    portal.stages.add('APOLOGY');
  });
});

describe('leads to Bitrix24 leads', () => {
  it("sends a shopper's lead once, with its slots, phone and ORIGIN_ID", async () => {
    await recordLeads(t.db, [
      {
        recordKey: 'telegram:almaty:42|m1|l0',
        cityId,
        channel: 'telegram',
        userId: '42',
        conversationKey: 'telegram:almaty:42',
        flow: 'measure',
        slots: { address: 'Абая 1', name: 'Данияр', phone: '+77015550000' },
        history: [],
      },
    ]);
    await pass();
    await pass();
    const lead = await t.db.selectFrom('leads').select('id').executeTakeFirstOrThrow();
    expect(portal.leads).toEqual([
      expect.objectContaining({
        TITLE: 'Заявка: measure',
        NAME: 'Данияр',
        PHONE: [{ VALUE: '+77015550000', VALUE_TYPE: 'MOBILE' }],
        COMMENTS: 'address: Абая 1\nname: Данияр\nphone: +77015550000',
        ORIGIN_ID: lead.id,
      }),
    ]);
    expect(portal.calls.filter((c) => c === 'crm.lead.add')).toHaveLength(1);
  });
});

describe('Bitrix24 unavailable', () => {
  it.each<FakeMode>(['down', 'query_limit', 'too_many', 'overload'])(
    '%s for an hour, then back: every deal is delivered once, nothing failed',
    async (mode) => {
      const orders = [];
      for (let i = 0; i < 5; i++) orders.push(await place(`+7701000000${i}`, `Покупатель ${i}`));
      portal.mode = mode;
      const hourLater = now + 3_600_000;
      let tries = 0;
      while (now < hourLater) {
        const result = await pass();
        expect(result.delivered + result.failed).toBe(0);
        tries += result.retried;
        now += 60_000;
      }
      // backed off: not one call a minute, but about one per back-off step (30 s … 15 min)
      expect(tries).toBeGreaterThan(4);
      expect(tries).toBeLessThan(15);
      expect((await listCrmJobs(t.db)).counts).toEqual({ pending: 5, delivered: 0, failed: 0 });
      portal.mode = 'up';
      now += BACKOFF_MAX_MS;
      while ((await pass()).delivered > 0) now += 1000;
      expect(portal.deals.map((d) => d.ORIGIN_ID).sort()).toEqual(orders.map((o) => o.id).sort());
      expect(portal.contacts).toHaveLength(5);
      expect((await listCrmJobs(t.db)).counts).toEqual({ pending: 0, delivered: 5, failed: 0 });
    },
    60_000,
  );
});

describe('the portal', () => {
  it('without a KZT currency is refused with a message that says what to do', async () => {
    const client = bitrix24Client({ webhookUrl: portal.webhookUrl });
    await expect(requireKztCurrency(client)).resolves.toBeUndefined();
    portal.currencies = ['RUB', 'USD'];
    try {
      await expect(requireKztCurrency(client)).rejects.toThrow(
        /portal has no KZT currency \(it has RUB, USD\); add «Казахстанский тенге» \(KZT\)/,
      );
      const crm = createCrmDelivery({ config: config(), db: t.db, clock: () => new Date(now), log: silent });
      await expect(crm.checkPortalAtStart()).rejects.toBeInstanceOf(Bitrix24PortalError);
      // the worker sends nothing to such a portal either
      await place();
      expect(await crm.deliver()).toBeUndefined();
      expect(portal.deals).toEqual([]);
    } finally {
      portal.currencies = ['RUB', 'USD', 'KZT'];
    }
  });

  it('not answering at start-up does not stop the start; KZT is checked before the first delivery', async () => {
    portal.mode = 'down';
    const crm = createCrmDelivery({ config: config(), db: t.db, clock: () => new Date(now), log: silent });
    await expect(crm.checkPortalAtStart()).resolves.toBeUndefined();
    await place();
    portal.mode = 'up';
    portal.calls = [];
    expect(await crm.deliver()).toMatchObject({ delivered: 1 });
    expect(portal.calls[0]).toBe('crm.currency.list');
  });
});

describe('BITRIX24_* settings', () => {
  it('refuse what is not a webhook or a stage mapping, naming the variable', () => {
    expect(bitrix24Config({})).toBeUndefined();
    expect(bitrix24Config({ BITRIX24_WEBHOOK_URL: 'https://b24.kz/rest/1/abc' })?.webhookUrl).toBe(
      'https://b24.kz/rest/1/abc/',
    );
    expect(() => bitrix24Config({ BITRIX24_WEBHOOK_URL: 'https://b24.kz/crm/' })).toThrow(
      /BITRIX24_WEBHOOK_URL: must be an incoming webhook/,
    );
    expect(() =>
      bitrix24Config({ BITRIX24_WEBHOOK_URL: 'https://b24.kz/rest/1/abc/', BITRIX24_DEAL_STAGES: 'sold=WON' }),
    ).toThrow(/BITRIX24_DEAL_STAGES: "sold=WON" is not status=STAGE_ID/);
    expect(() =>
      bitrix24Config({ BITRIX24_WEBHOOK_URL: 'https://b24.kz/rest/1/abc/', BITRIX24_DEAL_STAGES: 'paid=won it' }),
    ).toThrow(/"won it" is not a Bitrix24 stage id/);
    expect(() => bitrix24Config({ BITRIX24_DEAL_STAGES: 'paid=WON' })).toThrow(/BITRIX24_WEBHOOK_URL: is required/);
  });
});
