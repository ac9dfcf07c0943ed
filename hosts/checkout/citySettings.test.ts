import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { startPaymentsWorld, type PaymentsWorld } from '../payments/testing/platform.ts';

/**
 * A city's checkout settings written through the admin API reach the shopper's checkout on the
 * running platform (the checkout port every channel's runtime uses): its pickup stores and payment
 * on receipt. And what the designer's checkout asked is shown with the order in the API.
 */
const OWNER = { email: 'owner@shop.test', password: 'correct-horse-battery' };

describe.each(TEST_BACKENDS)('city checkout settings on %s', (kind) => {
  let w: PaymentsWorld;
  let token: string;
  let cityId: string;
  const chat = {
    address: { channel: 'telegram' as const, city: 'payville', chatId: '7' },
    conversationKey: 'telegram:payville:7',
  };
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
    cityId = w.platform.cities.bySlug('payville')!.id;
  }, 60_000);
  afterAll(() => w?.close());

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${w.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const setCheckout = (checkout: unknown) => api('PUT', `/cities/${cityId}`, { checkout });

  it('offers the stores and the payment on receipt the admin set, and stops when they are taken back', async () => {
    expect(await w.platform.checkout.prepare(chat, [])).toEqual({
      lines: [],
      stores: [],
      methods: ['stripe', 'kaspi'],
    });
    const stores = [
      { id: 'dostyk', name: ' Dostyk Plaza ', address: 'пр. Достык, 111' },
      { id: 'mega', name: 'MEGA Park', address: '' },
    ];
    const saved = await setCheckout({ stores, payOnDelivery: true, payAtPickup: true });
    expect(saved.status).toBe(200);
    const expected = [
      { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
      { id: 'mega', name: 'MEGA Park' },
    ];
    expect(((await saved.json()) as { city: { checkout: unknown } }).city.checkout).toEqual({
      stores: expected,
      payOnDelivery: true,
      payAtPickup: true,
    });
    expect(await w.platform.checkout.prepare(chat, [])).toEqual({
      lines: [],
      stores: expected,
      methods: ['stripe', 'kaspi', 'on_delivery', 'at_pickup'],
    });

    expect((await setCheckout({ stores: expected.slice(0, 1), payOnDelivery: false, payAtPickup: true })).status).toBe(
      200,
    );
    expect(await w.platform.checkout.prepare(chat, [])).toMatchObject({
      stores: expected.slice(0, 1),
      methods: ['stripe', 'kaspi', 'at_pickup'],
    });
    const listed = (await (await api('GET', `/cities/${cityId}`)).json()) as { city: { checkout: unknown } };
    expect(listed.city.checkout).toEqual({ stores: expected.slice(0, 1), payOnDelivery: false, payAtPickup: true });
  });

  it('refuses settings that cannot work, saying what is wrong, and keeps the saved ones', async () => {
    const before = await w.platform.checkout.prepare(chat, []);
    const refused = async (checkout: unknown, message: RegExp) => {
      const res = await setCheckout(checkout);
      expect(res.status, JSON.stringify(checkout)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    };
    await refused({ stores: [{ id: 'Dostyk Plaza', name: 'x' }] }, /store id is 1 to 32 lower-case latin/);
    await refused(
      {
        stores: [
          { id: 'a', name: 'A' },
          { id: 'a', name: 'B' },
        ],
      },
      /store id "a" is used twice/,
    );
    await refused({ stores: [{ id: 'a', name: '  ' }] }, /a store needs a name/);
    await refused({ stores: [], payAtPickup: true }, /payAtPickup needs at least one pickup store/);
    await refused({ payOnDelivery: 'yes' }, /payOnDelivery is true or false/);
    await refused({ stores: [], cash: true }, /cash/);
    expect(await w.platform.checkout.prepare(chat, [])).toEqual(before);
  });

  it("keeps the designer's extra answers with the order: in GET /api/orders/:id and the OpenAPI document", async () => {
    const sofa = await w.database.db
      .selectFrom('products')
      .select(['id', 'sku', 'price'])
      .where('sku', '=', 'SOFA-9')
      .executeTakeFirstOrThrow();
    const placed = await w.platform.checkout.place(
      { ...chat, idempotencyKey: 'telegram:payville:7|42#order', testTraffic: false },
      {
        lines: [{ productId: sofa.id, sku: sofa.sku, quantity: 1, price: Number(sofa.price) }],
        customer: { name: 'Айгерим', phone: '+77011234567' },
        delivery: { kind: 'delivery', address: 'Абая 1' },
        method: 'stripe',
        details: { floor: '5', lift: 'нет' },
        total: Number(sofa.price),
        currency: 'KZT',
      },
    );
    if ('reason' in placed) throw new Error('refused');
    expect(placed.payment).toMatchObject({ kind: 'link' });
    const res = await api('GET', `/orders/${placed.orderId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      order: { number: placed.number, status: 'awaiting_payment', details: { floor: '5', lift: 'нет' } },
    });
    const doc = (await (await api('GET', '/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.components.schemas.OrderDetail?.properties.details).toBeDefined();
    expect(doc.components.schemas.City?.properties.checkout).toBeDefined();
  });
});
