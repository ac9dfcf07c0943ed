import { createCity, createProduct } from '../../../storage/repos/index.ts';
import * as orders from '../../../storage/orders/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../storage/testing.ts';
import type { DatabaseKind } from '../../../storage/db/open.ts';
import { loadConfig } from '../../platform/config.ts';
import { createPlatform, type Platform } from '../../platform/createPlatform.ts';
import { startFakeApiPay, type FakeApiPay } from './fakeApiPay.ts';
import { startFakeCloudPayments, type FakeCloudPayments } from './fakeCloudPayments.ts';
import { startFakeStripe, type FakeStripe } from './fakeStripe.ts';

/**
 * The whole platform listening on 127.0.0.1 with every payment provider configured against its
 * fake, on a fresh database of either backend, and a city with two products to order.
 */
export const SECRETS = {
  stripeKey: 'sk_test_zeta_payments',
  stripeWebhook: 'whsec_zeta_payments',
  cpPublicId: 'pk_zeta_payments',
  cpSecret: 'cp_secret_zeta_payments',
  apiPayKey: 'apipay_key_zeta',
  apiPayWebhook: 'apipay_webhook_zeta',
};

/** the providers' settings pointing at their fakes (Kaspi only with a gateway: without it, the manual path) */
export function fakeProviderEnv(fakes: {
  stripe: Pick<FakeStripe, 'apiBase'>;
  cp: Pick<FakeCloudPayments, 'apiBase'>;
  apipay?: Pick<FakeApiPay, 'apiBase'>;
}): Record<string, string> {
  return {
    PUBLIC_BASE_URL: 'https://bot.example.kz',
    STRIPE_SECRET_KEY: SECRETS.stripeKey,
    STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhook,
    STRIPE_API_BASE: fakes.stripe.apiBase,
    CLOUDPAYMENTS_PUBLIC_ID: SECRETS.cpPublicId,
    CLOUDPAYMENTS_API_SECRET: SECRETS.cpSecret,
    CLOUDPAYMENTS_API_BASE: fakes.cp.apiBase,
    ...(fakes.apipay
      ? {
          KASPI_APIPAY_API_KEY: SECRETS.apiPayKey,
          KASPI_APIPAY_WEBHOOK_SECRET: SECRETS.apiPayWebhook,
          KASPI_APIPAY_API_BASE: fakes.apipay.apiBase,
        }
      : {}),
  };
}

export type PaymentsWorld = {
  platform: Platform;
  database: TestDatabase;
  url: string;
  stripe: FakeStripe;
  cp: FakeCloudPayments;
  apipay: FakeApiPay;
  /** a new order of the sofa (152 000 ₸) and two chairs (2 × 19 990 ₸): 191 980 ₸ */
  order(over?: Partial<orders.NewOrder>): Promise<orders.OrderWithItems>;
  close(): Promise<void>;
};

export const quietLog = { info() {}, warn() {}, error() {} };

export async function startPaymentsWorld(kind: DatabaseKind, env: Record<string, string> = {}): Promise<PaymentsWorld> {
  const [stripe, cp, apipay, database] = await Promise.all([
    startFakeStripe({ secretKey: SECRETS.stripeKey }),
    startFakeCloudPayments({ publicId: SECRETS.cpPublicId, apiSecret: SECRETS.cpSecret }),
    startFakeApiPay({ apiKey: SECRETS.apiPayKey }),
    createTestDatabase(kind),
  ]);
  const config = {
    ...loadConfig({
      DEMO_DATA: 'off',
      ...fakeProviderEnv({ stripe, cp, apipay }),
      ...env,
    }),
    port: 0,
    host: '127.0.0.1',
  };
  const platform = await createPlatform(config, { log: quietLog, database, ocr: false });
  const { url } = await platform.listen();
  const db = database.db;
  const cityId = (await createCity(db, { name: 'Пэйвилль', slug: 'payville' })).id;
  await platform.cities.reload();
  const sofa = (await createProduct(db, cityId, { sku: 'SOFA-9', name: 'Диван', price: 152_000 })).id;
  const chair = (await createProduct(db, cityId, { sku: 'CH-9', name: 'Стул', price: 19_990 })).id;
  return {
    platform,
    database,
    url,
    stripe,
    cp,
    apipay,
    order: (over = {}) =>
      orders.createOrder(db, {
        cityId,
        channel: 'telegram',
        conversationKey: 'telegram:payville:7',
        customer: { name: 'Айгерим', phone: '+77011234567' },
        delivery: { kind: 'pickup', store: 'ТРЦ Mega' },
        paymentMethod: 'stripe',
        items: [
          { productId: sofa, quantity: 1 },
          { productId: chair, quantity: 2 },
        ],
        ...over,
      }),
    async close() {
      await platform.close();
      await Promise.all([stripe.close(), cp.close(), apipay.close()]);
      await database.close();
    },
  };
}
