import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productHandle } from '../../engine/machine/handles.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { sweepAndDeliver } from '../platform/alertDelivery.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import type { Logger } from '../runtime/ports.ts';
import { limitViolations } from './testing/checkLimits.ts';
import { startFakeGraph, type FakeGraph, type SentMessage } from './testing/fakeGraph.ts';
import { envelope, message, signedRequest, status, type InboundSpec } from './testing/payloads.ts';

/**
 * The WhatsApp host inside the whole platform (createPlatform): PostgreSQL with the demo catalog,
 * the embedded state backend, the proactive-send queue, alert delivery, the Graph client against
 * the fake Graph API. Signed webhooks go through the platform's Hono app.
 */

const PHONE_ID = '106540352242922';
const SECRET = 'wa-platform-secret';
const VERIFY = 'wa-platform-verify';
const SHOPPER = '77019990001';
const silent: Logger = { info() {}, warn() {}, error() {} };

let graph: FakeGraph;
let db: TestDatabase;
let state: StateBackend;
let platform: Platform;
let now = new Date();

beforeAll(async () => {
  graph = await startFakeGraph();
  db = await createTestDatabase('postgres');
  state = await createStateBackend({ db: db.db, keyPrefix: `wa-platform-${randomUUID().slice(0, 6)}:` });
  const config = loadConfig({
    WHATSAPP_TOKEN: graph.token,
    WHATSAPP_PHONE_ID: PHONE_ID,
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY,
    WHATSAPP_API_BASE: graph.apiBase,
    WHATSAPP_TEMPLATE: 'price_alert',
    DEMO_DATA: 'on',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  platform = await createPlatform(config, { database: db, state, log: silent, ocr: false, clock: () => now });
  await platform.start();
}, 120_000);

afterAll(async () => {
  const violations = graph.sent.flatMap((m) => limitViolations(m.body));
  await platform?.close();
  await state?.close();
  await db?.close();
  await graph?.close();
  expect(violations).toEqual([]);
});

async function post(body: unknown) {
  const signed = signedRequest(body, SECRET);
  return platform.app.request('/webhooks/whatsapp', { method: 'POST', body: signed.body, headers: signed.headers });
}

async function say(spec: InboundSpec, from = SHOPPER): Promise<SentMessage[]> {
  const before = graph.sentTo(from).length;
  const res = await post(envelope({ phoneNumberId: PHONE_ID }, { messages: [message(spec, { from, at: now })] }));
  expect(res.status).toBe(200);
  await platform.runtime.idle();
  return graph.sentTo(from).slice(before);
}

const body = (m: SentMessage) =>
  m.body as {
    interactive?: {
      type: string;
      body: { text: string };
      action: { sections?: { rows: { id: string }[] }[]; buttons?: { reply: { id: string } }[] };
    };
    template?: { name: string };
  };

/** the codes behind card handles, from the catalog the platform serves */
const skusOf = async (handles: string[]): Promise<string[]> => {
  const all = (await db.db.selectFrom('products').select('sku').execute()).map((r) => r.sku);
  return handles.flatMap((h) => all.find((sku) => productHandle(sku) === h) ?? []);
};

describe('WhatsApp through createPlatform', () => {
  it('verifies the subscription and refuses unsigned posts', async () => {
    const ok = await platform.app.request(
      `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=777`,
    );
    expect(await ok.text()).toBe('777');
    expect(
      (await platform.app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1'))
        .status,
    ).toBe(403);
    const unsigned = await platform.app.request('/webhooks/whatsapp', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
  });

  it('greets, searches the demo catalog as a list, opens a product from the list', async () => {
    const hello = await say({ type: 'text', body: '/start' });
    expect(body(hello[0]!).interactive?.body.text).toMatch(/Здравствуйте/);

    const found = await say({ type: 'text', body: 'диван' });
    const list = found
      .map(body)
      .find((b) => b.interactive?.type === 'list' && b.interactive.action.sections?.[0]?.rows[0]?.id.startsWith('p:'));
    expect(list).toBeDefined();
    const first = list!.interactive!.action.sections![0]!.rows[0]!.id;

    const card = await say({ type: 'list_reply', id: first, title: 'Диван' });
    const detail = card.map(body).find((b) => b.interactive?.type === 'button');
    expect(detail?.interactive?.action.buttons?.map((b) => b.reply.id)).toContain(`a:${first.slice(2)}`);
  });

  it('price alert from the card: the drop after 24 hours of silence arrives as the template through the send queue', async () => {
    const found = await say({ type: 'text', body: 'диван' });
    const handle = found
      .map(body)
      .flatMap((b) => b.interactive?.action.sections?.[0]?.rows ?? [])
      .find((r) => r.id.startsWith('p:'))!
      .id.slice(2);
    await say({ type: 'list_reply', id: `p:${handle}`, title: 'Диван' });
    await say({ type: 'button_reply', id: `a:${handle}`, title: 'Следить за ценой' });
    const sku = (await skusOf([handle]))[0]!;

    now = new Date(now.getTime() + 25 * 3600_000);
    await sql`update products set price = price - 10000 where sku = ${sku}`.execute(db.db);
    const before = graph.sentTo(SHOPPER).length;
    const total = graph.sent.length;
    const delivered = await sweepAndDeliver({ db: db.db, runtime: platform.runtime, clock: () => now, log: silent });
    expect(delivered).toBe(1);
    await platform.runtime.idle();
    // the proactive-send queue sends in the background
    await graph.waitForSent(total + 1);
    const sent = graph.sentTo(SHOPPER).slice(before);
    expect(sent.map((m) => m.type)).toEqual(['template']);
    expect(body(sent[0]!).template?.name).toBe('price_alert');
  });

  it('a search alert: a re-import of unchanged products sends nothing; three hits after 24 hours of silence are one template, not three', async () => {
    const shopper = '77019990003';
    const zero = await say({ type: 'text', body: 'диван до 10000' }, shopper);
    expect(
      zero
        .map(body)
        .flatMap((b) => b.interactive?.action.buttons ?? [])
        .map((b) => b.reply.id),
    ).toContain('alert:search');
    await say({ type: 'button_reply', id: 'alert:search', title: 'Сообщить' }, shopper);

    now = new Date(now.getTime() + 25 * 3600_000);
    // what every re-import does to unchanged rows
    await sql`update products set updated_at = now() where category = 'sofa'`.execute(db.db);
    expect(await sweepAndDeliver({ db: db.db, runtime: platform.runtime, clock: () => now, log: silent })).toBe(0);

    await sql`update products set price = 9000 where id in (select id from products where category = 'sofa' and is_available and city_id = (select city_id from price_alerts where chat_id = ${shopper}) order by sku limit 3)`.execute(
      db.db,
    );
    const before = graph.sentTo(shopper).length;
    const total = graph.sent.length;
    expect(await sweepAndDeliver({ db: db.db, runtime: platform.runtime, clock: () => now, log: silent })).toBe(1);
    await platform.runtime.idle();
    await graph.waitForSent(total + 1);
    const sent = graph.sentTo(shopper).slice(before);
    expect(sent.map((m) => m.type)).toEqual(['template']);
    expect(JSON.stringify(body(sent[0]!).template)).toContain('🔔 Новое по вашим подпискам: 3');
    // nothing new: nothing more
    expect(await sweepAndDeliver({ db: db.db, runtime: platform.runtime, clock: () => now, log: silent })).toBe(0);
  });

  it('recommends from what the shopper searched and opened; «забудь мои предпочтения» clears it', async () => {
    const other = '77019990002';
    const found = await say({ type: 'text', body: 'кровать' }, other);
    const row = found
      .map(body)
      .flatMap((b) => b.interactive?.action.sections?.[0]?.rows ?? [])
      .find((r) => r.id.startsWith('p:'))!;
    await say({ type: 'list_reply', id: row.id, title: 'Кровать' }, other);
    const greeting = await say({ type: 'text', body: '/start' }, other);
    const suggested = greeting.map(body).find((b) => b.interactive?.body.text === 'Вам может понравиться:');
    expect(suggested, JSON.stringify(greeting.map((m) => m.body))).toBeDefined();
    const handles = suggested!.interactive!.action.sections![0]!.rows.map((r) => r.id.slice(2));
    expect(handles).not.toContain(row.id.slice(2));
    const skus = await skusOf(handles);
    expect(skus).toHaveLength(handles.length);
    const categories = await db.db.selectFrom('products').select('category').where('sku', 'in', skus).execute();
    expect(categories.every((c) => c.category === 'bed')).toBe(true);

    await say({ type: 'text', body: 'забудь мои предпочтения' }, other);
    const clean = await say({ type: 'text', body: '/start' }, other);
    expect(clean.map(body).some((b) => b.interactive?.body.text === 'Вам может понравиться:')).toBe(false);
  });

  it('records delivery statuses', async () => {
    const res = await post(
      envelope(
        { phoneNumberId: PHONE_ID },
        { statuses: [status({ id: graph.sentTo(SHOPPER)[0]!.wamid, status: 'read', recipient: SHOPPER })] },
      ),
    );
    expect(res.status).toBe(200);
  });
});
