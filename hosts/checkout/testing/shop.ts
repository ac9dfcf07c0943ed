import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { hashPassword } from '../../admin/auth/passwords.ts';
import { insertUser } from '../../admin/store/users.ts';
import { createStateBackend } from '../../../storage/state/index.ts';
import { createTestDatabase } from '../../../storage/testing.ts';
import { loadConfig } from '../../platform/config.ts';
import { createPlatform, type Platform } from '../../platform/createPlatform.ts';
import type { Logger } from '../../runtime/ports.ts';
import { cpFields, startFakeCloudPayments, type FakeCloudPayments } from '../../payments/testing/fakeCloudPayments.ts';
import { startFakeStripe, type FakeStripe } from '../../payments/testing/fakeStripe.ts';
import { fakeProviderEnv, SECRETS } from '../../payments/testing/platform.ts';

/**
 * The demo shop as a retailer runs it, for the purchase tests of every channel: the whole platform
 * (createPlatform, PostgreSQL with the demo catalog and the demo Almaty's pickup stores) listening
 * on 127.0.0.1, Stripe and CloudPayments against their fakes, Kaspi without a gateway (the manual
 * path), and a manager logged in to the admin API who reads and marks orders.
 */
const OWNER = { email: 'owner@shop.test', password: 'shop-owner-password' };
const MANAGER = { email: 'manager@shop.test', password: 'shop-manager-password' };
export const CITY = 'almaty';
export const quietLog: Logger = { info() {}, warn() {}, error() {} };

/** an order as `GET /api/orders` lists it */
export type OrderJson = {
  id: string;
  number: number;
  status: string;
  total: number;
  currency: string;
  customer: { name: string; phone: string };
  delivery: { kind: string; address: string | null; store: string | null };
  paymentMethod: string;
  items: Array<{ sku: string; name: string; quantity: number; price: number }>;
  payments: Array<{ provider: string; reference: string; status: string; flaggedReason: string | null }>;
  /** placed by staff (the playground, API tokens): no payment, CRM deal, 1C export or revenue */
  test: boolean;
};

export type Shop = {
  platform: Platform;
  url: string;
  stripe: FakeStripe;
  cp: FakeCloudPayments;
  /** the admin API as the logged-in manager (or the owner: the playground is for designers and up) */
  api(method: string, path: string, body?: unknown, as?: 'manager' | 'owner'): Promise<Response>;
  /** `GET /api/orders?city=almaty`, the order with this number */
  order(number: number): Promise<OrderJson>;
  /** a product of the demo catalog by its SKU, as the shopper should be charged for it */
  product(sku: string): Promise<{ sku: string; name: string; price: number }>;
  /**
   * Stripe's news that the order's Checkout Session was paid: one `checkout.session.completed`
   * event, posted (signed anew, as Stripe does) each time the returned function is called
   */
  stripePaid(orderId: string): () => Promise<Response>;
  /** CloudPayments' `Pay` notification of one transaction on the order, signed with `X-Content-HMAC`, posted on each call */
  cloudPaymentsPaid(orderId: string, amount: number): () => Promise<Response>;
  close(): Promise<void>;
};

let transaction = 8_000_000;

/** `env`: the channel's settings (tokens, fake API bases) on top of the shop's */
export async function startShop(env: Record<string, string>): Promise<Shop> {
  const [stripe, cp, database] = await Promise.all([
    startFakeStripe({ secretKey: SECRETS.stripeKey }),
    startFakeCloudPayments({ publicId: SECRETS.cpPublicId, apiSecret: SECRETS.cpSecret }),
    createTestDatabase('postgres'),
  ]);
  const keyPrefix = `shop-${randomUUID().slice(0, 8)}:`;
  const state = await createStateBackend({ db: database.db, keyPrefix });
  const config = {
    ...loadConfig({
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'shop-secret-shop-secret-shop-secret-shop',
      DEMO_DATA: 'on',
      LOG_LEVEL: 'silent',
      ...fakeProviderEnv({ stripe, cp }),
      // no KASPI_APIPAY_*: Kaspi is the manual path, a manager's invoice marked paid in the panel
      PAYMENT_PROVIDERS: `${CITY}=stripe,cloudpayments,kaspi`,
      ...env,
    }),
    port: 0,
    host: '127.0.0.1',
  };
  const platform = await createPlatform(config, { database, state, keyPrefix, log: quietLog, ocr: false });
  await platform.start();
  const { url } = await platform.listen();

  await insertUser(database.db, {
    email: MANAGER.email,
    name: 'Дина',
    role: 'manager',
    passwordHash: await hashPassword(MANAGER.password, 4),
  });
  const logIn = async (who: typeof OWNER) => {
    const res = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const tokens = { manager: await logIn(MANAGER), owner: await logIn(OWNER) };
  const api: Shop['api'] = async (method, path, body, as = 'manager') =>
    platform.app.request(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    platform,
    url,
    stripe,
    cp,
    api,
    async order(number) {
      const res = await api('GET', `/orders?city=${CITY}`);
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: OrderJson[] };
      const order = items.find((o) => o.number === number);
      if (!order) throw new Error(`no order № ${number} in GET /api/orders?city=${CITY}`);
      return order;
    },
    async product(sku) {
      return database.db
        .selectFrom('products')
        .innerJoin('cities', 'cities.id', 'products.city_id')
        .select(['products.sku', 'products.name', 'products.price'])
        .where('cities.slug', '=', CITY)
        .where('products.sku', '=', sku)
        .executeTakeFirstOrThrow()
        .then((p) => ({ ...p, price: Number(p.price) }));
    },
    stripePaid(orderId) {
      const session = stripe.sessions.find((s) => s.client_reference_id === orderId);
      if (!session) throw new Error(`no Stripe Checkout Session for order ${orderId}`);
      const event = stripe.event('checkout.session.completed', session, { payment_status: 'paid', status: 'complete' });
      return () => stripe.deliver(`${url}/webhooks/payments/stripe`, event.body, SECRETS.stripeWebhook);
    },
    cloudPaymentsPaid(orderId, amount) {
      const fields = cpFields(++transaction, orderId, amount.toFixed(2));
      return () => cp.notify(`${url}/webhooks/payments/cloudpayments/pay`, fields, SECRETS.cpSecret, 'x-content');
    },
    async close() {
      await platform.close();
      await state.close();
      await database.close();
      await Promise.all([stripe.close(), cp.close()]);
    },
  };
}
