import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ShopperEvent, SystemEvent } from '../../engine/events.ts';
import { StateUnavailableError } from '../../storage/state/errors.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import { formatTag } from './escalationTag.ts';
import { TelegramIntake, type ManagerAction, type RuntimeIntake } from './intake.ts';
import { BotRegistry, deriveWebhookSecret } from './registry.ts';
import { startFakeBotApi, type FakeBotApi } from './testing/fakeBotApi.ts';
import { recordingLog } from './testing/log.ts';
import * as u from './testing/updates.ts';
import { SECRET_HEADER, telegramRoutes } from './routes.ts';

/**
 * The webhook route and the host in front of a recording intake (the real runtime is exercised
 * by the end-to-end tests); here: HTTP statuses, what gets accepted, callback answers, managers.
 */

const ALMATY = '111:almaty-token';
const ASTANA = '222:astana-token';
const SECRET = 's3cr3t-almaty';
let api: FakeBotApi;

class RecordingIntake implements RuntimeIntake {
  seen = new Set<string>();
  accepted: Array<{ address: ConversationAddress; messageId: string; event: ShopperEvent | SystemEvent }> = [];
  failing = false;
  storeDown = false;
  async accept(address: ConversationAddress, messageId: string, event: ShopperEvent) {
    return this.#take(address, messageId, event);
  }
  async deliver(address: ConversationAddress, messageId: string, event: SystemEvent) {
    return this.#take(address, messageId, event);
  }
  async #take(address: ConversationAddress, messageId: string, event: ShopperEvent | SystemEvent) {
    if (this.failing) throw new Error('inbox bug');
    if (this.storeDown)
      throw new StateUnavailableError('redis is unreachable', { cause: new Error('connect ECONNREFUSED') });
    const key = `${address.city}:${address.chatId}:${messageId}`;
    if (this.seen.has(key)) return 'duplicate' as const;
    this.seen.add(key);
    this.accepted.push({ address, messageId, event });
    return 'accepted' as const;
  }
}

let intake: RecordingIntake;
let updates: TelegramIntake;
let app: ReturnType<typeof telegramRoutes>;
let log: ReturnType<typeof recordingLog>;

beforeAll(async () => {
  api = await startFakeBotApi({
    bots: { [ALMATY]: { id: 5001, username: 'zeta_almaty_bot' }, [ASTANA]: { id: 5002, username: 'zeta_astana_bot' } },
  });
});
afterAll(async () => api.close());
beforeEach(async () => {
  api.reset();
  log = recordingLog();
  intake = new RecordingIntake();
  const registry = new BotRegistry({
    source: {
      list: async () => [
        { city: 'almaty', token: ALMATY, webhookSecret: SECRET, managersChatId: '-100777' },
        { city: 'astana', token: ASTANA },
      ],
    },
    apiRoot: api.apiRoot,
    log,
    retry: { maxRetries: 1, baseDelayMs: 5 },
  });
  await registry.load();
  await registry.init();
  updates = new TelegramIntake({ registry, runtime: intake, log, clock: () => new Date('2026-11-26T10:00:00Z') });
  app = telegramRoutes(updates, { log });
});

const post = (city: string, body: unknown, headers: Record<string, string> = { [SECRET_HEADER]: SECRET }) =>
  app.request(`/webhooks/telegram/${city}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const ann = u.shopper(31337);

describe('POST /webhooks/telegram/:city', () => {
  it('accepts a text message into the runtime with update_id as the message id', async () => {
    const res = await post('almaty', u.textUpdate(1001, ann, 'диван'));
    expect(res.status).toBe(200);
    expect(intake.accepted).toEqual([
      {
        address: { channel: 'telegram', city: 'almaty', chatId: '31337' },
        messageId: '1001',
        event: { type: 'text', text: 'диван', at: '2026-11-26T10:00:00.000Z' },
      },
    ]);
  });

  it('rejects a wrong or missing secret with 401 and processes nothing', async () => {
    expect((await post('almaty', u.textUpdate(1, ann, 'x'), { [SECRET_HEADER]: 'nope' })).status).toBe(401);
    expect((await post('almaty', u.textUpdate(2, ann, 'x'), {})).status).toBe(401);
    expect(intake.accepted).toHaveLength(0);
  });

  it('uses a secret derived from the token for a city without one', async () => {
    expect(
      (await post('astana', u.textUpdate(3, ann, 'x'), { [SECRET_HEADER]: deriveWebhookSecret(ASTANA) })).status,
    ).toBe(200);
    expect((await post('astana', u.textUpdate(4, ann, 'x'), { [SECRET_HEADER]: SECRET })).status).toBe(401);
  });

  it('answers 404 for an unknown city, 400 for malformed JSON or a non-update, 413 over 1 MB', async () => {
    expect((await post('nowhere', u.textUpdate(5, ann, 'x'))).status).toBe(404);
    expect((await post('almaty', '{"update_id": 6, "message": {')).status).toBe(400);
    expect((await post('almaty', { hello: 'world' })).status).toBe(400);
    const huge = JSON.stringify(u.textUpdate(7, ann, 'я'.repeat(600_000)));
    expect((await post('almaty', huge)).status).toBe(413);
    // a lying Content-Length does not help: the actual bytes are counted
    const res = await app.request('/webhooks/telegram/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET, 'content-length': '100' },
      body: huge,
    });
    expect(res.status).toBe(413);
    expect(intake.accepted).toHaveLength(0);
  });

  it('answers 200 and ignores unknown update types and edits', async () => {
    for (const update of [
      { update_id: 8, message_reaction: { foo: 1 } },
      u.editedMessageUpdate(9, ann, 'typo'),
      u.channelPostUpdate(10),
      u.myChatMemberUpdate(11, ann),
    ]) {
      expect((await post('almaty', update)).status).toBe(200);
    }
    expect(intake.accepted).toHaveLength(0);
  });

  it('answers the callback query always — also for duplicates', async () => {
    const tap = u.callbackUpdate(12, ann, 'p:SOFA-001');
    expect((await post('almaty', tap)).status).toBe(200);
    expect((await post('almaty', tap)).status).toBe(200);
    await updates.settled();
    expect(intake.accepted).toHaveLength(1);
    expect(api.callsTo('answerCallbackQuery').map((c) => c.params.callback_query_id)).toEqual(['cbq-12', 'cbq-12']);
  });

  it('answers the callback query even when the runtime cannot accept (500 → Telegram redelivers)', async () => {
    intake.failing = true;
    const res = await post('almaty', u.callbackUpdate(13, ann, 'more'));
    expect(res.status).toBe(500);
    await updates.settled();
    expect(api.callsTo('answerCallbackQuery')).toHaveLength(1);
    expect(log.errors()[0]?.msg).toBe('message could not be accepted');
  });

  it('answers 503 while the store is down, so Telegram redelivers the update', async () => {
    intake.storeDown = true;
    const res = await post('almaty', u.textUpdate(16, ann, 'диван'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(intake.accepted).toEqual([]);
  });

  it('delivers a manager reply to the shopper and tells listeners; /resolve resolves and confirms', async () => {
    const actions: ManagerAction[] = [];
    updates.onManagerAction((a) => void actions.push(a));
    const boss = u.shopper(900, 'Дина');
    const notice = {
      messageId: 77,
      text: `🆘\n${formatTag('esc-9', { channel: 'telegram', chatId: '31337' })}`,
      botId: 5001,
    };
    expect(
      (await post('almaty', u.groupTextUpdate(14, boss, -100777, 'Добрый день, есть в наличии', notice))).status,
    ).toBe(200);
    // redelivery of the same update: delivered once, listeners told once
    expect(
      (await post('almaty', u.groupTextUpdate(14, boss, -100777, 'Добрый день, есть в наличии', notice))).status,
    ).toBe(200);
    expect((await post('almaty', u.groupTextUpdate(15, boss, -100777, '/resolve', notice))).status).toBe(200);
    await updates.settled();
    expect(intake.accepted.map((a) => [a.address.chatId, a.messageId, a.event.type])).toEqual([
      ['31337', 'tg-mgr:almaty:14', 'manager.replied'],
      ['31337', 'tg-mgr:almaty:15', 'manager.resolved'],
    ]);
    expect(intake.accepted[0]!.event).toMatchObject({ text: 'Добрый день, есть в наличии', managerName: 'Дина' });
    expect(actions.map((a) => [a.escalationId, a.action])).toEqual([
      ['esc-9', 'replied'],
      ['esc-9', 'resolved'],
    ]);
    expect(api.messages(-100777).map((c) => c.params.text)).toEqual(['✅ Диалог возвращён боту.']);
  });
});
