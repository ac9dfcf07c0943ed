import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrice } from '../../engine/catalog.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { startFakeOpenAI, toolCallReply, type FakeOpenAI, type RecordedRequest } from '../ai/testing/fakeOpenAI.ts';
import { startFakeBotApi, type FakeBotApi } from '../telegram/testing/fakeBotApi.ts';
import * as tg from '../telegram/testing/updates.ts';
import { SECRET_HEADER } from '../telegram/routes.ts';
import type { Logger } from '../runtime/ports.ts';
import { startFakeGraph, type FakeGraph } from '../whatsapp/testing/fakeGraph.ts';
import { envelope, message, signedRequest } from '../whatsapp/testing/payloads.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * Every bot setting changed through the admin API of one replica and seen where it acts, at the
 * fake OpenAI or the fake Graph API, in turns run by another replica (PostgreSQL and Redis shared,
 * the reload published over Redis pub/sub).
 */

const quiet: Logger = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const PHONE_ID = '106540352240001';
const APP_SECRET = 'bot-settings-app-secret';
const RELOAD_MS = 2_000;
const TOKENS = [
  '5000000001:AAbotSettingsFirstTokenForAstana0001',
  '5000000002:AAbotSettingsSecondTokenForAstana002',
] as const;
const WEBHOOK_SECRET = 'astana_webhook_secret_0001';

let database: TestDatabase;
let openai: FakeOpenAI;
let graph: FakeGraph;
let telegramApi: FakeBotApi;
let apiReplica: Platform;
let botReplica: Platform;
let token = '';
let almatyId = '';

async function boot(role: 'api' | 'all', prefix: string): Promise<Platform> {
  const env = {
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    REDIS_URL: 'redis://127.0.0.1:6379',
    DATABASE_URL: 'postgres://unused',
    OPENAI_API_KEY: 'sk-test-bot-settings',
    OPENAI_BASE_URL: openai.baseURL,
    TELEGRAM_API_ROOT: telegramApi.apiRoot,
    WHATSAPP_TOKEN: graph.token,
    WHATSAPP_PHONE_ID: '106540352249999',
    WHATSAPP_API_BASE: graph.apiBase,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
  };
  const config = { ...loadConfig(env, ['--role', role]), port: 0, host: '127.0.0.1' };
  const state = await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix });
  const platform = await createPlatform(config, { log: quiet, database, ocr: false, keyPrefix: prefix, state });
  const close = platform.close.bind(platform);
  platform.close = async () => {
    await close();
    await state.close();
  };
  return platform;
}

async function saveBotConfig(cityId: string, body: Record<string, unknown>): Promise<void> {
  const res = await apiReplica.app.request(`/api/bot-config/${cityId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}
const saveWhatsApp = (body: Record<string, unknown>) => saveBotConfig(almatyId, { channel: 'whatsapp', ...body });

let updateId = 900_000;
/** a Telegram shopper's message to Astana's bot on the bot replica, answered before it returns */
async function telegramShopperSays(chatId: number, text: string): Promise<void> {
  const res = await botReplica.app.request('/webhooks/telegram/astana', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: WEBHOOK_SECRET },
    body: JSON.stringify(tg.textUpdate(++updateId, tg.shopper(chatId), text)),
  });
  // before the replica has reloaded, Astana has no Telegram bot there (404): the next try is after
  if (res.status === 200) {
    await botReplica.runtime.idle();
    await botReplica.telegram.intake.settled();
  }
}

/** a shopper's message to the bot replica, answered before it returns */
async function shopperSays(from: string, text: string): Promise<void> {
  const signed = signedRequest(
    envelope({ phoneNumberId: PHONE_ID }, { messages: [message({ type: 'text', body: text }, { from })] }),
    APP_SECRET,
  );
  const res = await botReplica.app.request('/webhooks/whatsapp', {
    method: 'POST',
    body: signed.body,
    headers: signed.headers,
  });
  expect(res.status).toBe(200);
  await botReplica.runtime.idle();
}

/** asks again, one turn at a time, until the bot behaves as `seen` says; the save must show within RELOAD_MS */
async function untilSeen<T>(turn: () => Promise<void>, seen: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + RELOAD_MS;
  for (;;) {
    await turn();
    const value = seen();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no replica turn showed ${what} within ${RELOAD_MS} ms of the save`);
    // a refused try does no I/O: let the reload message in before the next
    await new Promise((resolve) => setImmediate(resolve));
  }
}

type ChatRequest = { model: string; max_completion_tokens: number; temperature: number };
type TemplateBody = {
  template: {
    name: string;
    language: { code: string };
    components: { type: string; parameters: { type: string; text: string }[] }[];
  };
};

beforeAll(async () => {
  openai = await startFakeOpenAI();
  // the model reads a call for a manager as one and every other message as a sofa search (products for the template)
  const lastShopperText = (r: RecordedRequest) =>
    String((r.json as { messages: { content: unknown }[] }).messages.at(-1)?.content ?? '');
  openai.setDefault('chat', (r) =>
    lastShopperText(r).includes('менеджер')
      ? toolCallReply('escalate_to_manager', { reason: 'shopper asked for a manager' })
      : toolCallReply('search_products', { category: 'sofa', mode: 'new' }),
  );
  telegramApi = await startFakeBotApi({
    bots: { [TOKENS[0]]: { username: 'zeta_astana_bot' }, [TOKENS[1]]: { username: 'zeta_astana_new_bot' } },
  });
  graph = await startFakeGraph();
  database = await createTestDatabase('postgres');
  const prefix = `zt:${randomBytes(4).toString('hex')}:`;
  apiReplica = await boot('api', prefix);
  botReplica = await boot('all', prefix);
  await apiReplica.start();
  await botReplica.start();
  const login = await apiReplica.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  token = ((await login.json()) as { accessToken: string }).accessToken;
  almatyId = (
    await database.db.selectFrom('cities').select('id').where('slug', '=', 'almaty').executeTakeFirstOrThrow()
  ).id;
}, 120_000);

afterAll(async () => {
  await botReplica?.close();
  await apiReplica?.close();
  await database?.close();
  await graph?.close();
  await telegramApi?.close();
  await openai?.close();
});

describe('bot settings saved on one replica act in the turns of another', () => {
  it("the Telegram token and managers' chat: replies go out through the saved bot, escalations to the saved chat", async () => {
    const astanaId = (
      await database.db.selectFrom('cities').select('id').where('slug', '=', 'astana').executeTakeFirstOrThrow()
    ).id;
    const sentBy = (botToken: string, chatId: number) => () =>
      telegramApi.callsTo('sendMessage', { token: botToken }).find((c) => String(c.params.chat_id) === String(chatId));

    await saveBotConfig(astanaId, {
      channel: 'telegram',
      botToken: TOKENS[0],
      webhookSecret: WEBHOOK_SECRET,
      managersChatId: '-1005000000001',
    });
    await untilSeen(
      () => telegramShopperSays(77_100_001, 'диван'),
      sentBy(TOKENS[0], 77_100_001),
      'a reply through the first bot',
    );
    await untilSeen(
      () => telegramShopperSays(77_100_002, 'позовите менеджера'),
      sentBy(TOKENS[0], -1005000000001),
      "the escalation in the first managers' chat",
    );

    await saveBotConfig(astanaId, { channel: 'telegram', botToken: TOKENS[1], managersChatId: '-1005000000002' });
    let shopper = 77_100_010;
    await untilSeen(
      () => telegramShopperSays(++shopper, 'позовите менеджера'),
      () => sentBy(TOKENS[1], shopper)() && sentBy(TOKENS[1], -1005000000002)(),
      'the reply and escalation through the new bot and chat',
    );
  });

  it('model and maxTokens reach the model call; changed, they change; cleared, the defaults return; never one without the other', async () => {
    const shopper = '77015550101';
    const calls = () => openai.requests.filter((r) => r.endpoint === 'chat').map((r) => r.json as ChatRequest);
    const seenAfter = (mark: number, model: string, maxTokens: number) => () =>
      calls()
        .slice(mark)
        .find((c) => c.model === model && c.max_completion_tokens === maxTokens);

    let mark = calls().length;
    await saveWhatsApp({ whatsappPhoneNumberId: PHONE_ID, settings: { model: 'gpt-4.1-mini', maxTokens: 120 } });
    await untilSeen(
      () => shopperSays(shopper, 'диван'),
      seenAfter(mark, 'gpt-4.1-mini', 120),
      'model gpt-4.1-mini with 120 tokens',
    );

    mark = calls().length;
    await saveWhatsApp({ settings: { model: 'gpt-4.1-nano', maxTokens: 900 } });
    await untilSeen(
      () => shopperSays(shopper, 'диван'),
      seenAfter(mark, 'gpt-4.1-nano', 900),
      'model gpt-4.1-nano with 900 tokens',
    );

    // only one of the two changes: the other stays as saved
    mark = calls().length;
    await saveWhatsApp({ settings: { maxTokens: 64 } });
    await untilSeen(
      () => shopperSays(shopper, 'диван'),
      seenAfter(mark, 'gpt-4.1-nano', 64),
      'max tokens 64 with the model kept',
    );

    mark = calls().length;
    await saveWhatsApp({ settings: { model: null, maxTokens: null } });
    await untilSeen(
      () => shopperSays(shopper, 'диван'),
      seenAfter(mark, 'gpt-4o-mini', 300),
      'the default model and limit',
    );

    const saved = new Set(['gpt-4o-mini/300', 'gpt-4.1-mini/120', 'gpt-4.1-nano/900', 'gpt-4.1-nano/64']);
    expect(calls().filter((c) => !saved.has(`${c.model}/${c.max_completion_tokens}`))).toEqual([]);
    expect(calls().every((c) => c.temperature === 0)).toBe(true);
  });

  it('templateLang and templateParams shape the template sent when the 24-hour window is closed', async () => {
    const shopper = '77015550202';
    graph.closeWindow(shopper);
    const templates = () =>
      graph
        .sentTo(shopper)
        .filter((m) => m.type === 'template')
        .map((m) => (m.body as TemplateBody).template);
    const templateAfter = (mark: number, lang: string) => () =>
      templates()
        .slice(mark)
        .find((t) => t.language.code === lang);

    let mark = templates().length;
    await saveWhatsApp({
      whatsappPhoneNumberId: PHONE_ID,
      whatsappTemplateName: 'zeta_update',
      settings: { templateLang: 'en_US', templateParams: ['text'] },
    });
    const english = await untilSeen(
      () => shopperSays(shopper, 'диван'),
      templateAfter(mark, 'en_US'),
      'the en_US template',
    );
    expect(english.name).toBe('zeta_update');
    expect(english.components[0]!.parameters).toHaveLength(1);
    expect(english.components[0]!.parameters[0]!.text).toContain('₸');

    mark = templates().length;
    await saveWhatsApp({ settings: { templateLang: 'kk', templateParams: ['productName', 'price'] } });
    const kazakh = await untilSeen(
      () => shopperSays(shopper, 'диван'),
      templateAfter(mark, 'kk'),
      'the kk template with product name and price',
    );
    const [name, price] = kazakh.components[0]!.parameters.map((p) => p.text);
    const product = await database.db
      .selectFrom('products')
      .innerJoin('cities', 'cities.id', 'products.city_id')
      .select(['products.name', 'products.price', 'cities.currency'])
      .where('cities.slug', '=', 'almaty')
      .where('products.name', '=', name!)
      .executeTakeFirstOrThrow();
    expect(price).toBe(formatPrice(Number(product.price), product.currency));
    expect(templates().every((t) => ['en_US', 'kk', 'ru'].includes(t.language.code))).toBe(true);
  });

  it("a city's language and time zone saved on one replica reach the other: new shoppers are answered in the language", async () => {
    const putCity = async (body: Record<string, unknown>) => {
      const res = await apiReplica.app.request(`/api/cities/${almatyId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    const KAZAKH_LETTERS = /[әғқңөұүһі]/;
    let shopper = 77015550300;
    // WhatsApp tells no language: a new conversation starts in its city's
    const newShopperAnswered = (inKazakh: boolean) =>
      untilSeen(
        async () => {
          shopper++;
          await shopperSays(String(shopper), '👋');
        },
        () => {
          const first = graph.sentTo(String(shopper)).find((m) => m.type === 'text' || m.type === 'interactive');
          return first && KAZAKH_LETTERS.test(JSON.stringify(first.body)) === inKazakh ? first : undefined;
        },
        inKazakh ? 'a new shopper answered in Kazakh' : 'a new shopper answered in Russian',
      );
    await newShopperAnswered(false);
    await putCity({ language: 'kk', timezone: 'Asia/Aqtobe' });
    await newShopperAnswered(true);
    expect(botReplica.cities.bySlug('almaty')?.timezone).toBe('Asia/Aqtobe');
    await putCity({ language: 'ru', timezone: 'Asia/Almaty' });
    await newShopperAnswered(false);
    expect(botReplica.cities.bySlug('almaty')?.timezone).toBe('Asia/Almaty');
  });
});
