import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCityWebhook } from './webhookAdmin.ts';
import { startFakeBotApi, type FakeBotApi } from './testing/fakeBotApi.ts';

const TOKEN = '111222333:AAwebhooksyncwebhooksyncwebhooksync';
const NEXT = '111222333:AAwebhooksyncwebhooksyncwebhooknext';

/** first caller of a key wins, as the state backend's claim does across replicas */
function claims() {
  const claimed = new Set<string>();
  return { claim: async (key: string) => (claimed.has(key) ? false : Boolean(claimed.add(key))) };
}

describe('syncCityWebhook', () => {
  let bots: FakeBotApi;
  beforeAll(async () => {
    bots = await startFakeBotApi();
    bots.addBot(TOKEN);
    bots.addBot(NEXT);
  });
  afterAll(async () => bots.close());

  it("registers an https webhook with the city's secret once per claim, moves it with a new token, removes it with the token", async () => {
    const o = { apiRoot: bots.apiRoot, ...claims() };
    const saved = { city: 'oral', after: { token: TOKEN, secret: 'secret-0123456789abcdef' } };
    expect(await syncCityWebhook(saved, { ...o, publicBaseUrl: 'https://zeta.example.kz/' })).toEqual([
      { city: 'oral', ok: true, detail: 'https://zeta.example.kz/webhooks/telegram/oral' },
    ]);
    expect(bots.webhookOf(TOKEN)).toMatchObject({
      url: 'https://zeta.example.kz/webhooks/telegram/oral',
      secretToken: 'secret-0123456789abcdef',
    });
    expect(await syncCityWebhook(saved, { ...o, publicBaseUrl: 'https://zeta.example.kz' })).toEqual([]);
    expect(bots.callsTo('setWebhook', { token: TOKEN })).toHaveLength(1);

    await syncCityWebhook(
      { city: 'oral', before: { token: TOKEN }, after: { token: NEXT, secret: 'secret-0123456789abcdef' } },
      { ...o, publicBaseUrl: 'https://zeta.example.kz' },
    );
    expect(bots.webhookOf(TOKEN)).toBeUndefined();
    expect(bots.webhookOf(NEXT)?.url).toBe('https://zeta.example.kz/webhooks/telegram/oral');
    await syncCityWebhook(
      { city: 'oral', before: { token: NEXT } },
      { ...o, publicBaseUrl: 'https://zeta.example.kz' },
    );
    expect(bots.webhookOf(NEXT)).toBeUndefined();
  });

  it('does nothing for a base URL Telegram would not call (not https)', async () => {
    const before = bots.calls.length;
    const reports = await syncCityWebhook(
      { city: 'oral', after: { token: TOKEN, secret: 'secret-0123456789abcdef' } },
      { apiRoot: bots.apiRoot, publicBaseUrl: 'http://zeta.example.kz', ...claims() },
    );
    expect(reports).toEqual([]);
    expect(bots.calls.length).toBe(before);
  });
});
