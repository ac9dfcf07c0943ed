import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../../hosts/ai/testing/fakeOpenAI.ts';
import { loadConfig } from '../../../hosts/platform/config.ts';
import { createPlatform, type Platform } from '../../../hosts/platform/createPlatform.ts';
import { ROOT_DIR } from '../../../hosts/platform/root.ts';
import { startFakeBotApi, type FakeBotApi } from '../../../hosts/telegram/testing/fakeBotApi.ts';
import { createStateBackend, type StateBackend } from '../../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../storage/testing.ts';
import { SECRET, SECRET_HEADER, dialogueUpdate, sentText, sleep } from '../harness.ts';

/**
 * Faults that are safe beside other test files: the whole platform in-process (createPlatform on
 * PGlite + the embedded state), the real grammY client against the fake Bot API, the real openai
 * SDK against a fake model server. A scenario copy with a one-second idle follow-up makes a timer
 * observable.
 */

const TOKEN = '6161616161:fault-fast';
const FOLLOW_UP = /Нужна помощь с выбором/;

let api: FakeBotApi;
let openai: FakeOpenAI;
let db: TestDatabase;
let state: StateBackend;
let platform: Platform;
let scenarioDir: string;
let updateId = 7_000;

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_fault_fast_bot' } } });
  openai = await startFakeOpenAI();
  // the model server accepts every request and never answers
  openai.setDefault('chat', () => ({ kind: 'hang' }));
  scenarioDir = mkdtempSync(join(tmpdir(), 'zeta-fault-scenarios-'));
  const yaml = readFileSync(join(ROOT_DIR, 'scenarios', 'default.yaml'), 'utf8').replace(
    /idleFollowUp:\s*\S+/,
    'idleFollowUp: PT1S',
  );
  writeFileSync(join(scenarioDir, 'default.yaml'), yaml);
  db = await createTestDatabase('pglite');
  state = await createStateBackend({ db: db.db, keyPrefix: `fault-fast-${process.pid}:`, timers: { pollMs: 100 } });
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    OPENAI_API_KEY: 'sk-fault-suite',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_TIMEOUT_MS: '300',
    DEMO_DATA: 'on',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  platform = await createPlatform(config, { database: db, state, ocr: false, scenarioDir, alertSweepMs: 3_600_000 });
  await platform.start();
}, 180_000);

afterAll(async () => {
  await platform?.close();
  await state?.close();
  await db?.close();
  await openai?.close();
  await api?.close();
  if (scenarioDir) rmSync(scenarioDir, { recursive: true, force: true });
});

async function say(chat: number, text: string): Promise<void> {
  const res = await platform.app.request('/webhooks/telegram/almaty', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
    body: JSON.stringify(dialogueUpdate(++updateId, chat, text)),
  });
  expect(res.status).toBe(200);
  await platform.runtime.idle();
  await platform.telegram.intake.settled();
}

describe('faults the platform absorbs (in-process)', () => {
  it('the model server hangs: turns are answered by the rules brain after the timeout', async () => {
    const chat = 910_000_001;
    const asked = openai.requests.length;
    await say(chat, 'хочу красный диван до 150000');
    const texts = api.messages(chat).map(sentText);
    expect(openai.requests.length).toBeGreaterThan(asked);
    expect(texts.join('\n')).toMatch(/Нашёл|ничего не нашлось/);
  });

  it('the Bot API answers 429 with retry_after: the reply is delivered once, after waiting', async () => {
    const control = 910_000_010;
    await say(control, '/start');
    const expected = api.messages(control).map(sentText);

    const chat = 910_000_011;
    api.failNext('sendMessage', { kind: 'retryAfter', seconds: 1 }, 1);
    await say(chat, '/start');
    expect(
      api
        .callsTo('sendMessage', { all: true })
        .some((c) => c.outcome === 'error' && String(c.params.chat_id) === String(chat)),
    ).toBe(true);
    expect(api.messages(chat).map(sentText)).toEqual(expected);
  });

  it('the Bot API answers 500 a few times: backoff, then delivered once', async () => {
    const control = 910_000_020;
    await say(control, '/start');
    const expected = api.messages(control).map(sentText);

    const chat = 910_000_021;
    api.failNext('sendMessage', { kind: 'serverError' }, 2);
    await say(chat, '/start');
    expect(api.messages(chat).map(sentText)).toEqual(expected);
  });

  it('the Bot API stays down past the client retries: the runtime sends later, nothing lost or repeated', async () => {
    // (a search schedules the one-second idle follow-up: left out of the comparison)
    const replies = (chat: number) =>
      api
        .messages(chat)
        .map(sentText)
        .filter((t) => !FOLLOW_UP.test(t));
    const control = 910_000_030;
    await say(control, 'диван');
    const expected = replies(control);
    expect(expected.length).toBeGreaterThan(1);

    const chat = 910_000_031;
    // the first reply goes out; the second fails through all of grammY's retries (4 attempts)
    api.failNext('sendMediaGroup', { kind: 'serverError', status: 502 }, 5);
    api.failNext('sendMessage', { kind: 'serverError', status: 502 }, 5);
    await say(chat, 'диван');
    const deadline = Date.now() + 30_000;
    while (replies(chat).length < expected.length && Date.now() < deadline) await sleep(100);
    await sleep(1_500);
    await platform.runtime.idle();
    expect(replies(chat)).toEqual(expected);
  });

  it('a timer fires once: the idle follow-up after a search arrives exactly once', async () => {
    const chat = 910_000_040;
    await say(chat, 'покажи кресла');
    const deadline = Date.now() + 15_000;
    const followUps = () => api.messages(chat).filter((c) => FOLLOW_UP.test(String(c.params.text ?? '')));
    while (followUps().length === 0 && Date.now() < deadline) await sleep(100);
    // well past the delay and several timer polls: still one
    await sleep(2_500);
    await platform.runtime.idle();
    expect(followUps()).toHaveLength(1);
  });
});
