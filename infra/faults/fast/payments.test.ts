import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentsConfig } from '../../../hosts/payments/config.ts';
import { PaymentService } from '../../../hosts/payments/service.ts';
import { startFakeStripe, type FakeStripe } from '../../../hosts/payments/testing/fakeStripe.ts';
import { createOrder, getOrder } from '../../../storage/orders/index.ts';
import { createCity, createProduct } from '../../../storage/repos/index.ts';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../../../storage/testing.ts';
import { sleep, startServer, type ServerChild } from '../harness.ts';

/**
 * The real server (the production bundle) on PostgreSQL is SIGKILLed while it records a Stripe
 * notification: its transaction has begun (the payment row is locked) but not committed — the test
 * holds the order's row lock, so the server's recordPayment waits there. Stripe got no answer, so it
 * delivers the event again to the restarted server: the order is paid exactly once.
 */
const KEY = 'sk_test_fault_payments';
const WEBHOOK = 'whsec_fault_payments';

let stripe: FakeStripe;
let database: TestDatabase;
let server: ServerChild | undefined;

const env = () => ({
  DATABASE_URL: postgresAdminUrl(database.name),
  DEMO_DATA: 'off',
  PUBLIC_BASE_URL: 'https://bot.example.kz',
  STRIPE_SECRET_KEY: KEY,
  STRIPE_WEBHOOK_SECRET: WEBHOOK,
  STRIPE_API_BASE: stripe.apiBase,
});

beforeAll(async () => {
  stripe = await startFakeStripe({ secretKey: KEY });
  database = await createTestDatabase('postgres');
}, 120_000);

afterAll(async () => {
  await server?.kill().catch(() => undefined);
  await stripe?.close();
  await database?.close();
});

/** whether a session of the test database waits for a row lock (the server's recording transaction) */
async function waitingOnLock(): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ${database.name} AND wait_event_type = 'Lock'`.execute(
    database.db,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

describe('SIGKILL between a payment notification and its commit', () => {
  it('the redelivered notification marks the order paid exactly once', async () => {
    const db = database.db;
    const cityId = (await createCity(db, { name: 'Алматы', slug: 'almaty' })).id;
    const sofa = (await createProduct(db, cityId, { sku: 'SOFA-F', name: 'Диван', price: 99_000 })).id;
    const order = await createOrder(db, {
      cityId,
      channel: 'telegram',
      conversationKey: 'telegram:almaty:1',
      customer: { name: 'Асель', phone: '+77015550000' },
      delivery: { kind: 'pickup', store: 'Mega' },
      paymentMethod: 'stripe',
      items: [{ productId: sofa, quantity: 1 }],
    });
    const quiet = { info() {}, warn() {}, error() {} };
    const payments = new PaymentService({ db, config: paymentsConfig(env()), citySlug: () => 'almaty', log: quiet });
    const start = await payments.start(order.id, 'stripe');
    const session = stripe.sessions.find((s) => s.id === start.reference)!;
    const event = stripe.event('checkout.session.completed', session, { payment_status: 'paid', status: 'complete' });

    server = await startServer(env());
    const hook = () => `${server!.url}/webhooks/payments/stripe`;
    // the order's row lock, held from outside: the server's recording transaction waits on it
    const blocker = new pg.Client({ connectionString: postgresAdminUrl(database.name) });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [order.id]);
    const firstDelivery = stripe.deliver(hook(), event.body, WEBHOOK).then(
      (r) => r.status,
      () => 'no answer',
    );
    const deadline = Date.now() + 30_000;
    while (!(await waitingOnLock())) {
      if (Date.now() > deadline)
        throw new Error(`the server never reached the order lock:\n${server.output().slice(-2000)}`);
      await sleep(50);
    }
    await server.kill();
    server = undefined;
    expect(await firstDelivery).toBe('no answer');
    await blocker.query('ROLLBACK');
    await blocker.end();
    const afterCrash = (await getOrder(db, order.id))!;
    expect(afterCrash.status).toBe('new');
    expect(afterCrash.payments).toMatchObject([{ reference: session.id, status: 'pending' }]);

    // Stripe retries (each delivery signed anew); the restarted server records it once
    server = await startServer(env());
    for (let i = 0; i < 3; i++) expect((await stripe.deliver(hook(), event.body, WEBHOOK)).status).toBe(200);
    const paid = (await getOrder(db, order.id))!;
    expect(paid.status).toBe('paid');
    expect(paid.payments).toMatchObject([{ reference: session.id, status: 'succeeded', flaggedReason: null }]);
    expect(paid.events.filter((e) => e.to === 'paid')).toHaveLength(1);
  }, 240_000);
});
