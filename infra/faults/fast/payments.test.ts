import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buySofa } from '../../../hosts/checkout/testing/purchase.ts';
import { startFakeStripe, type FakeStripe } from '../../../hosts/payments/testing/fakeStripe.ts';
import { startFakeBotApi, type FakeBotApi } from '../../../hosts/telegram/testing/fakeBotApi.ts';
import { sentText, telegramShopper } from '../../../hosts/telegram/testing/shopper.ts';
import { getOrder } from '../../../storage/orders/index.ts';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../../../storage/testing.ts';
import { awaitReplies, deliver, SECRET, settle, sleep, startServer, type ServerChild } from '../harness.ts';

/**
 * The real server (the production bundle) on PostgreSQL: a shopper buys a sofa in Telegram and
 * picks Stripe; the server is SIGKILLed while it records Stripe's notification that the order is
 * paid — its transaction has begun (the payment row is locked) but not committed: the test holds
 * the order's row lock, so the server's recordPayment waits there. Stripe got no answer, so it
 * delivers the event again to the restarted server: the order is paid exactly once, and the
 * shopper is told once.
 */
const KEY = 'sk_test_fault_payments';
const WEBHOOK = 'whsec_fault_payments';
const TOKEN = '5252525252:fault-payments';
const CHAT = 881_000_001;

let stripe: FakeStripe;
let botApi: FakeBotApi;
let database: TestDatabase;
let server: ServerChild | undefined;

const env = () => ({
  DATABASE_URL: postgresAdminUrl(database.name),
  DEMO_DATA: 'on',
  PUBLIC_BASE_URL: 'https://bot.example.kz',
  STRIPE_SECRET_KEY: KEY,
  STRIPE_WEBHOOK_SECRET: WEBHOOK,
  STRIPE_API_BASE: stripe.apiBase,
  PAYMENT_PROVIDERS: 'almaty=stripe',
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: botApi.apiRoot,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
});

beforeAll(async () => {
  stripe = await startFakeStripe({ secretKey: KEY });
  botApi = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_fault_pay_bot' } } });
  database = await createTestDatabase('postgres');
}, 120_000);

afterAll(async () => {
  await server?.kill().catch(() => undefined);
  await stripe?.close();
  await botApi?.close();
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
  it('the redelivered notification of an order placed in the chat marks it paid exactly once', async () => {
    server = await startServer(env());
    const base = () => server!.url;
    // Telegram: the update redelivered until a 200, the replies arriving after it
    const shopper = telegramShopper(botApi, CHAT, async (update) => {
      const before = botApi.messages(CHAT).length;
      expect((await deliver(base, 'almaty', update)).status).toBe(200);
      await awaitReplies(botApi, CHAT, before, { quietMs: 400 });
    });
    const bought = await buySofa(shopper, 'stripe', 'Асель');
    const { id } = await database.db
      .selectFrom('orders')
      .select('id')
      .where('conversation_key', '=', `telegram:almaty:${CHAT}`)
      .where('number', '=', bought.number)
      .executeTakeFirstOrThrow();
    const session = stripe.sessions.find((s) => s.client_reference_id === id)!;
    expect(bought.confirmation).toContain(session.url);
    const event = stripe.event('checkout.session.completed', session, { payment_status: 'paid', status: 'complete' });
    const hook = () => `${server!.url}/webhooks/payments/stripe`;

    // the order's row lock, held from outside: the server's recording transaction waits on it
    const blocker = new pg.Client({ connectionString: postgresAdminUrl(database.name) });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [id]);
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
    const afterCrash = (await getOrder(database.db, id))!;
    expect(afterCrash.status).toBe('awaiting_payment');
    expect(afterCrash.payments).toMatchObject([{ reference: session.id, status: 'pending' }]);

    // Stripe retries (each delivery signed anew); the restarted server records it once
    server = await startServer(env());
    for (let i = 0; i < 3; i++) expect((await stripe.deliver(hook(), event.body, WEBHOOK)).status).toBe(200);
    const paid = (await getOrder(database.db, id))!;
    expect(paid.status).toBe('paid');
    expect(paid.payments).toMatchObject([{ reference: session.id, status: 'succeeded', flaggedReason: null }]);
    expect(paid.events.filter((e) => e.to === 'paid')).toHaveLength(1);
    await settle(botApi, 1_000);
    const told = botApi.messages(CHAT).map(sentText);
    expect(told.filter((t) => t.includes(`✅ Заказ № ${bought.number} оплачен`))).toHaveLength(1);
  }, 240_000);
});
