import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { CityDirectory } from '../platform/cities.ts';
import { loadConfig } from '../platform/config.ts';
import { whatsappNumbers } from '../platform/sources.ts';
import type { Logger } from '../runtime/ports.ts';
import { createWhatsAppHost } from './host.ts';
import { stateWindowStore } from './window.ts';
import { startFakeGraph, type FakeGraph } from './testing/fakeGraph.ts';
import { envelope, message, signedRequest } from './testing/payloads.ts';
import { shippedTexts } from '../channel/testing/texts.ts';

const silent: Logger = { info() {}, warn() {}, error() {} };
let t: TestDatabase;
let state: StateBackend;
let graph: FakeGraph;

beforeAll(async () => {
  t = await createTestDatabase('pglite');
  state = await createStateBackend({ db: t.db });
  graph = await startFakeGraph();
  const astana = await t.db
    .insertInto('cities')
    .values({ name: 'Астана', slug: 'astana', timezone: 'Asia/Almaty', language: 'kk' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('cities').values({ name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty' }).execute();
  await t.db
    .insertInto('bot_configs')
    .values({
      city_id: astana.id,
      channel: 'whatsapp',
      bot_token: null,
      webhook_secret: null,
      managers_chat_id: null,
      scenario_id: null,
      whatsapp_phone_number_id: 'PN-ASTANA',
      whatsapp_template_name: 'astana_update',
      settings: JSON.stringify({ templateLang: 'kk' }),
    })
    .execute();
}, 60_000);
afterAll(async () => {
  await graph.close();
  await state.close();
  await t.close();
});

describe('createWhatsAppHost with numbers from bot configs', () => {
  it('routes by the bot configs plus the environment number, and sends from the right number', async () => {
    const source = whatsappNumbers(
      t.db,
      new CityDirectory(t.db),
      loadConfig({ DEFAULT_CITY: 'almaty', WHATSAPP_PHONE_ID: 'PN-ENV', WHATSAPP_TEMPLATE: 'price_alert' }),
    );
    expect(await source.list()).toEqual([
      { city: 'almaty', phoneNumberId: 'PN-ENV', templateName: 'price_alert' },
      { city: 'astana', phoneNumberId: 'PN-ASTANA', templateName: 'astana_update', templateLang: 'kk' },
    ]);
    const window = stateWindowStore(state.snapshots);
    const accepted: string[] = [];
    const runtime = {
      async accept(address: { city: string; chatId: string }, id: string) {
        accepted.push(`${address.city}:${address.chatId}:${id}`);
        return 'accepted' as const;
      },
    };
    const host = await createWhatsAppHost(runtime, {
      token: graph.token,
      appSecret: 's3cret',
      verifyToken: 'v',
      apiBase: graph.apiBase,
      numbers: source,
      window,
      clock: () => new Date('2026-03-01T10:00:00Z'),
      log: silent,
    });
    const app = host.routes;
    expect(
      await (await app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=v&hub.challenge=42')).text(),
    ).toBe('42');

    const m = message(
      { type: 'text', body: 'сәлем' },
      { from: '77015550000', id: 'wamid.ASTANA1', at: new Date('2026-03-01T09:59:00Z') },
    );
    const signed = signedRequest(envelope({ phoneNumberId: 'PN-ASTANA' }, { messages: [m] }), 's3cret');
    expect(
      (await app.request('/webhooks/whatsapp', { method: 'POST', body: signed.body, headers: signed.headers })).status,
    ).toBe(200);
    expect(accepted).toEqual(['astana:77015550000:wamid.ASTANA1']);
    const address = { channel: 'whatsapp' as const, city: 'astana', chatId: '77015550000' };
    expect((await window.lastInbound(address))?.toISOString()).toBe('2026-03-01T09:59:00.000Z');

    await host.port.send(address, [{ type: 'text', text: 'Сәлеметсіз бе!' }], {
      proactive: true,
      texts: shippedTexts('kk'),
    });
    expect(graph.sent.map((s) => [s.phoneNumberId, s.type])).toEqual([['PN-ASTANA', 'text']]);
    await host.close();
  });
});
