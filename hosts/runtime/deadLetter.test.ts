import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../engine/index.ts';
import type { Reply } from '../../engine/replies.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { listDeadLetters } from '../../storage/repos/deadLetters.ts';
import { eventually } from '../../storage/state/contract/harness.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { CityDirectory } from '../platform/cities.ts';
import { recordWriters } from '../platform/ports/records.ts';
import { TelegramBlockedError } from '../telegram/errors.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import type { ConversationAddress } from './address.ts';
import type { ChannelPort, Logger, RuntimePorts } from './ports.ts';
import type { Timers } from './retry.ts';
import { ConversationRuntime, type RuntimeOptions } from './runtime.ts';

/**
 * What the runtime gives up on is never lost silently, through the real runtime on the embedded
 * (PGlite) and Redis state backends, its records relayed into a real database: a message whose
 * turn keeps failing is dead-lettered and the shopper told; replies that keep failing to send are
 * dead-lettered after `maxAttempts` sends with back-off (at once when the platform refused them for
 * good) and the conversation's later messages are answered; and while a manager is on the
 * conversation, messages over the per-minute limit still reach the manager.
 */

const AT = '2026-11-26T10:00:00.000Z';
const quiet: Logger = { info() {}, warn() {}, error() {} };
const text = (words: string) => ({ type: 'text' as const, text: words, at: AT });

/** retry timers that only fire when the test says so */
function handTimers() {
  const pending = new Map<number, () => void>();
  const scheduled: number[] = [];
  let next = 0;
  const timers: Timers = {
    set(run, ms) {
      pending.set(++next, run);
      scheduled.push(ms);
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    scheduled,
    pending: () => pending.size,
    fire() {
      const [id, run] = [...pending.entries()][0]!;
      pending.delete(id);
      run();
    },
  };
}

const noMedia = async () => Promise.reject(new Error('no media here'));
const backends = eachStateBackend('dead-letters');

describe.each(backends)('dead letters on %s state', (_name, open) => {
  let t: TestDatabase;
  let state: StateBackend | undefined;
  const runtimes: ConversationRuntime[] = [];
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => t.close());
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    await state?.close();
    state = undefined;
  });

  async function runtimeWith(ports: Partial<RuntimePorts> & { channel: ChannelPort }, opts: RuntimeOptions = {}) {
    const fixtures = await loadFixtures();
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    state ??= await open();
    const { channel, ...rest } = ports;
    const { recordPort } = recordWriters(t.db, new CityDirectory(t.db), quiet);
    const runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => fixtures.scenario },
        ...worldPorts({ host, now: () => AT }),
        records: recordPort,
        channels: { web: channel },
        clock: () => new Date(AT),
        log: quiet,
        ...rest,
      },
      state,
      opts,
    );
    runtimes.push(runtime);
    return { runtime, fixtures, host };
  }

  const lettersOf = async (conversationKey: string) =>
    (await listDeadLetters(t.db, {}, { limit: 50 })).items.filter((l) => l.conversationKey === conversationKey);

  it('a message whose turn fails maxAttempts times: the shopper is told calmly, a dead letter keeps the message, the error and the attempts', async () => {
    const shopper: ConversationAddress = { channel: 'web', city: 'almaty', chatId: 'dl-message' };
    const hand = handTimers();
    const sent: Reply[][] = [];
    let broken = true;
    const fixtures = await loadFixtures();
    const { runtime } = await runtimeWith(
      {
        channel: { send: async (_address, replies) => void sent.push(replies), fetchMedia: noMedia },
        scenarios: {
          forConversation: (): Scenario => {
            if (broken) throw new Error('scenario store on fire');
            return fixtures.scenario;
          },
        },
      },
      { maxAttempts: 3, timers: hand.timers },
    );

    const answer = runtime.converse(shopper, 'doomed', text('красный диван до 150000'));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(`failed attempt ${attempt}`, () => hand.pending() === 1);
      hand.fire();
    }
    // the scenario cannot be read: the shipped text, which this scenario ships too
    const apology = [{ type: 'text', text: fixtures.scenario.texts.ru.messageFailed }];
    expect(apology[0]!.text).toMatch(/менеджер/);
    expect(await answer).toEqual(apology);
    await runtime.idle();
    expect(sent).toEqual([apology]);
    expect(hand.pending()).toBe(0);
    expect(await runtime.pendingConversations()).toBe(0);

    const [letter, ...more] = await lettersOf('web:almaty:dl-message');
    expect(more).toEqual([]);
    expect(letter).toMatchObject({
      kind: 'message',
      city: 'almaty',
      channel: 'web',
      userId: 'dl-message',
      messageId: 'doomed',
      system: false,
      event: { type: 'text', text: 'красный диван до 150000' },
      replies: [],
      error: 'scenario store on fire',
      attempts: 3,
      status: 'new',
    });
    // the shopper's words are in the message log too, with the apology
    const log = await t.db
      .selectFrom('conversation_messages')
      .select(['direction', 'text'])
      .where('conversation_key', '=', 'web:almaty:dl-message')
      .orderBy('record_key')
      .execute();
    expect(log).toEqual([
      { direction: 'in', text: 'красный диван до 150000' },
      { direction: 'out', text: apology[0]!.text },
    ]);

    // the conversation goes on
    broken = false;
    const replies = (await runtime.converse(shopper, 'next', text('привет'))) as Reply[];
    expect(replies.length).toBeGreaterThan(0);
    expect(replies).not.toEqual(apology);
  });

  it('replies that keep failing to send are retried with back-off, dead-lettered after maxAttempts, and later messages flow', async () => {
    const shopper: ConversationAddress = { channel: 'web', city: 'almaty', chatId: 'dl-send' };
    const hand = handTimers();
    const attempted: Reply[][] = [];
    const sent: Reply[][] = [];
    let down = true;
    const { runtime } = await runtimeWith(
      {
        channel: {
          send: async (_address, replies) => {
            attempted.push(replies);
            if (down) throw new Error('channel API 502');
            sent.push(replies);
          },
          fetchMedia: noMedia,
        },
      },
      { maxAttempts: 3, timers: hand.timers, retry: { firstDelayMs: 100, maxDelayMs: 10_000 } },
    );

    await runtime.accept(shopper, 'm1', text('красный диван до 150000'));
    for (let failure = 1; failure <= 2; failure++) {
      await eventually(`failed send ${failure}`, () => hand.pending() === 1);
      hand.fire();
    }
    await eventually('the third send', () => attempted.length === 3);
    await runtime.idle();
    expect(hand.scheduled).toEqual([100, 200]);
    expect(hand.pending()).toBe(0);
    expect(await runtime.pendingConversations()).toBe(0);
    // the same committed replies each time: the turn ran once
    expect(attempted[1]).toEqual(attempted[0]);
    expect(attempted[2]).toEqual(attempted[0]);

    const [letter] = await lettersOf('web:almaty:dl-send');
    expect(letter).toMatchObject({
      kind: 'delivery',
      messageId: 'm1',
      event: { type: 'text', text: 'красный диван до 150000' },
      replies: attempted[0],
      error: 'channel API 502',
      attempts: 3,
    });

    down = false;
    const replies = (await runtime.converse(shopper, 'm2', text('покажи ещё'))) as Reply[];
    expect(replies.length).toBeGreaterThan(0);
    await runtime.idle();
    expect(sent).toHaveLength(1);
    expect(await lettersOf('web:almaty:dl-send')).toHaveLength(1);
  });

  it('a send the platform refused for good (the shopper blocked the bot) is dead-lettered at once, not retried', async () => {
    const shopper: ConversationAddress = { channel: 'web', city: 'almaty', chatId: 'dl-blocked' };
    const hand = handTimers();
    let sends = 0;
    const { runtime } = await runtimeWith(
      {
        channel: {
          send: async () => {
            sends++;
            throw new TelegramBlockedError(new Error('Forbidden: bot was blocked by the user'));
          },
          fetchMedia: noMedia,
        },
      },
      { maxAttempts: 5, timers: hand.timers },
    );
    await runtime.accept(shopper, 'm1', text('привет'));
    await eventually('the dead letter', async () => (await lettersOf('web:almaty:dl-blocked')).length === 1);
    await runtime.idle();
    expect(sends).toBe(1);
    expect(hand.scheduled).toEqual([]);
    const [letter] = await lettersOf('web:almaty:dl-blocked');
    expect(letter).toMatchObject({ kind: 'delivery', attempts: 1, messageId: 'm1' });
    expect(letter!.error).toMatch(/blocked by the user/);
  });

  it('while a manager is on the conversation, messages over the per-minute limit still reach the manager', async () => {
    const shopper: ConversationAddress = { channel: 'web', city: 'almaty', chatId: 'dl-escalated' };
    const fixtures = await loadFixtures();
    const scenario: Scenario = { ...fixtures.scenario, limits: { ...fixtures.scenario.limits, messagesPerMinute: 2 } };
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    const world = worldPorts({ host, now: () => AT });
    const forwarded: string[] = [];
    const { runtime } = await runtimeWith({
      channel: { send: async () => {}, fetchMedia: noMedia },
      scenarios: { forConversation: () => scenario },
      escalations: {
        ...world.escalations,
        shopperWrote: async (escalationId, words, media) => {
          forwarded.push(words);
          await world.escalations.shopperWrote(escalationId, words, media);
        },
      },
    });
    const escalated = (await runtime.converse(shopper, 'm0', text('позовите менеджера'))) as Reply[];
    expect(escalated.map((r) => (r.type === 'choices' || r.type === 'text' ? r.text : ''))).toContain(
      scenario.texts.ru.escalated,
    );
    const over: Reply[][] = [];
    for (const [i, words] of ['размер дивана?', 'есть синий?', 'и доставка'].entries())
      over.push((await runtime.converse(shopper, `m${i + 1}`, text(words))) as Reply[]);
    // the first is within the limit (a turn forwards it), the next two are over it: no turn, no bot
    // reply (not even the calm one: the bot is silent during the hand-off), but forwarded all the same
    expect(forwarded).toEqual(['размер дивана?', 'есть синий?', 'и доставка']);
    expect(over).toEqual([[], [], []]);
  });
});
