import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import { startFakeBotApi, type FakeBotApi } from './testing/fakeBotApi.ts';
import { recordingLog } from './testing/log.ts';
import * as u from './testing/updates.ts';
import { SECRET_HEADER } from './routes.ts';

/**
 * A shopper's lead, end to end: Telegram updates through the platform's webhook walk the shipped
 * measurer flow (scenarios/default.yaml: a designer intent's phrase, then address, time and phone)
 * in the real engine with the rules brain; the runtime, the outbox and the relay put the lead into
 * PostgreSQL, and the admin API lists it for a manager — a shopper's, not staff's test traffic.
 */
const TOKEN = '4343434343:leads-e2e';
const SECRET = 'leads-e2e-secret';
const SHOPPER = 77_000_019;
/** the measurer flow's trigger phrase (a designer intent), then its three answers */
const MEASURE = ['вызвать замерщика', 'Абая 10', 'завтра 10–12', '+7 701 123 45 67'];
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };

let api: FakeBotApi;
let db: TestDatabase;
let state: StateBackend;
let platform: Platform;
let updateId = 900_000;

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_leads_bot' } } });
  db = await createTestDatabase('postgres');
  state = await createStateBackend({ db: db.db, keyPrefix: 'tg-leads:' });
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    DEMO_DATA: 'on',
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'leads-secret-leads-secret-leads-secret',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  platform = await createPlatform(config, { database: db, state, log: recordingLog(), ocr: false });
  await platform.telegram.registry.init();
}, 120_000);

afterAll(async () => {
  await platform?.close();
  await state?.close();
  await db?.close();
  await api?.close();
});

async function say(text: string): Promise<void> {
  const res = await platform.app.request('/webhooks/telegram/almaty', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
    body: JSON.stringify(u.textUpdate(++updateId, u.shopper(SHOPPER), text)),
  });
  expect(res.status).toBe(200);
  await platform.runtime.idle();
  await platform.telegram.intake.settled();
}

describe('a lead from a Telegram shopper', () => {
  it('is stored once for the shopper’s conversation and listed for managers with its answers in order', async () => {
    for (const words of MEASURE) await say(words);
    await say('спасибо');
    const said = api.messages(SHOPPER).map((m) => String(m.params.text ?? ''));
    expect(said.find((text) => text.startsWith('✅'))).toContain('Абая 10');
    const login = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const get = async (path: string) =>
      (await (
        await platform.app.request(`/api${path}`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as Record<string, any>;

    await expect.poll(async () => (await get('/leads?city=almaty&flow=measure')).total, { timeout: 5_000 }).toBe(1);
    const [lead] = (await get('/leads?city=almaty&flow=measure')).items;
    expect(lead).toMatchObject({
      channel: 'telegram',
      userId: String(SHOPPER),
      conversationKey: `telegram:almaty:${SHOPPER}`,
      status: 'new',
      test: false,
    });
    expect(Object.entries(lead.slots)).toEqual([
      ['address', 'Абая 10'],
      ['time', 'завтра 10–12'],
      ['phone', '+77011234567'],
    ]);
    const detail = await get(`/leads/${lead.id}`);
    const shopperSaid = detail.lead.history.filter((h: { role: string }) => h.role === 'shopper');
    // the answers are in the lead's history; the trigger phrase too when the conversation already had one
    // (Telegram's context window is 5 entries: the phrase falls out of it by the last answer)
    expect(shopperSaid.map((h: { text: string }) => h.text)).toEqual(MEASURE.slice(1));
    // the log up to the lead: the shopper's words and the bot's answer to them, not what came after
    expect(detail.conversation).toContainEqual(expect.objectContaining({ direction: 'in', text: 'вызвать замерщика' }));
    expect(detail.conversation.map((m: { text: string }) => m.text)).toContain('+7 701 123 45 67');
    expect(detail.conversation.map((m: { text: string }) => m.text)).not.toContain('спасибо');
  });
});
