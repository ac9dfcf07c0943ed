import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../../../hosts/telegram/testing/fakeBotApi.ts';
import {
  DIALOGUE,
  SECRET,
  deliver,
  describeExactlyOnce,
  dialogueUpdate,
  exactlyOnce,
  settle,
  sleep,
  startServer,
  type ServerChild,
} from '../harness.ts';

/**
 * The real server (the production bundle, as `npm start` runs it; embedded default: PGlite in a temp
 * DATA_DIR + in-process state) is SIGKILLed while turns are in flight and started again on the
 * same data directory. Shoppers behave like Telegram: an update is redelivered until it gets a
 * 200. Afterwards every chat must have received the replies of an undisturbed chat: none lost,
 * and no more duplicated than the one batch of replies that was being sent when the process died.
 */

const TOKEN = '5151515151:fault-sigkill';
const CHATS = 24;

let api: FakeBotApi;
let dataDir: string;
let server: ServerChild | undefined;

const env = () => ({
  DATA_DIR: dataDir,
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: api.apiRoot,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  DEMO_DATA: 'on',
});

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_fault_bot' } } });
  dataDir = mkdtempSync(join(tmpdir(), 'zeta-fault-sigkill-'));
  server = await startServer(env());
}, 180_000);

afterAll(async () => {
  await server?.kill().catch(() => undefined);
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGKILL mid-turn on the embedded default', () => {
  it('loses no accepted message across a crash and restart; repeats at most the batch being sent', async () => {
    let updateId = 1_000;
    const base = () => server!.url;

    // the control chat: the dialogue undisturbed, to learn how many messages it produces
    const control = 880_000_001;
    const perTurn: number[] = [];
    for (const text of DIALOGUE) {
      const had = api.messages(control).length;
      expect((await deliver(base, 'almaty', dialogueUpdate(++updateId, control, text))).status).toBe(200);
      await settle(api, 800);
      perTurn.push(api.messages(control).length - had);
    }
    const expected = api.messages(control).length;
    expect(expected).toBeGreaterThanOrEqual(DIALOGUE.length);

    // many chats at once, each posting its dialogue back to back
    const chats = Array.from({ length: CHATS }, (_, i) => 880_100_000 + i);
    const before = api.messages().length;
    const deliveries = chats.map(async (chat, c) => {
      const statuses: number[] = [];
      for (let m = 0; m < DIALOGUE.length; m++)
        statuses.push((await deliver(base, 'almaty', dialogueUpdate(100_000 + c * 10 + m, chat, DIALOGUE[m]!))).status);
      return statuses;
    });

    // kill once a quarter of the replies went out: turns are mid-flight
    const target = before + Math.floor((CHATS * expected) / 4);
    while (api.messages().length < target) await sleep(5);
    await server!.kill();
    const killedAt = api.messages().length - before;
    await sleep(500);
    server = await startServer(env());

    const statuses = (await Promise.all(deliveries)).flat();
    expect(statuses.every((s) => s === 200)).toBe(true);
    await settle(api, 2_500);

    const result = exactlyOnce(api, chats, expected);
    console.info(`SIGKILL after ${killedAt} of ${CHATS * expected} replies: ${describeExactlyOnce(result)}`);
    // nothing accepted is ever lost
    expect(result.missing, describeExactlyOnce(result)).toEqual([]);
    // Known, bounded: a crash after some of a committed turn's replies went out but before the
    // commit that clears them re-sends that turn's replies on recovery (the Bot API has no
    // idempotency key). At most the one batch that was in flight, per conversation, per crash.
    const batch = Math.max(...perTurn);
    for (const d of result.duplicated) expect(d.got - expected, describeExactlyOnce(result)).toBeLessThanOrEqual(batch);
  }, 240_000);
});
