import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import { TelegramIntake } from './intake.ts';
import { startTelegramPolling } from './polling.ts';
import { BotRegistry, deriveWebhookSecret } from './registry.ts';
import { startFakeBotApi, type FakeBotApi } from './testing/fakeBotApi.ts';
import { recordingLog } from './testing/log.ts';
import * as u from './testing/updates.ts';
import { deleteWebhooks, setWebhooks, webhookInfo } from './webhookAdmin.ts';

const TOKEN = '777:polling';
let api: FakeBotApi;
let registry: BotRegistry;

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_dev_bot' } } });
  registry = new BotRegistry({
    source: { list: async () => [{ city: 'almaty', token: TOKEN }] },
    apiRoot: api.apiRoot,
    log: recordingLog(),
  });
  await registry.load();
});
afterAll(async () => api.close());

describe('long polling', () => {
  it('feeds getUpdates results through the same host as webhooks', async () => {
    const accepted: Array<{ address: ConversationAddress; messageId: string; event: ShopperEvent }> = [];
    let arrived!: () => void;
    const both = new Promise<void>((resolve) => (arrived = resolve));
    const intake = new TelegramIntake({
      registry,
      log: recordingLog(),
      runtime: {
        accept: async (address, messageId, event) => {
          accepted.push({ address, messageId, event });
          if (accepted.length === 2) arrived();
          return 'accepted';
        },
        deliver: async () => 'accepted',
      },
    });
    const polling = await startTelegramPolling(intake, recordingLog());
    api.pushUpdate(TOKEN, u.commandUpdate(501, u.shopper(5), '/start'));
    api.pushUpdate(TOKEN, u.textUpdate(502, u.shopper(5), 'кресло'));
    await both;
    await polling.stop();
    expect(accepted.map((a) => [a.messageId, a.event.type])).toEqual([
      ['501', 'command'],
      ['502', 'text'],
    ]);
    expect(api.callsTo('deleteWebhook').length).toBeGreaterThan(0);
  });
});

describe('webhook admin (telegram:webhook CLI)', () => {
  it("sets, reports and deletes each city's webhook with its secret", async () => {
    const set = await setWebhooks(registry, 'https://bots.example.kz/');
    expect(set).toEqual([{ city: 'almaty', ok: true, detail: 'https://bots.example.kz/webhooks/telegram/almaty' }]);
    expect(api.webhookOf(TOKEN)).toEqual({
      url: 'https://bots.example.kz/webhooks/telegram/almaty',
      secretToken: deriveWebhookSecret(TOKEN),
      allowedUpdates: ['message', 'callback_query'],
    });
    expect((await webhookInfo(registry))[0]!.detail).toContain('https://bots.example.kz/webhooks/telegram/almaty');
    await deleteWebhooks(registry);
    expect(api.webhookOf(TOKEN)).toBeUndefined();
  });
});
