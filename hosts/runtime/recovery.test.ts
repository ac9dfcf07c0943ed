import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../engine/index.ts';
import type { Reply } from '../../engine/replies.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { eventually } from '../../storage/state/contract/harness.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import type { ConversationAddress } from './address.ts';
import { shippedChannelTexts } from '../scenarios/shipped.ts';
import type { ChannelPort, Logger, RuntimePorts, SendOptions, TurnRecords } from './ports.ts';
import type { Timers } from './retry.ts';
import { ConversationRuntime, type RuntimeOptions } from './runtime.ts';

/**
 * What only the fault suites touched before, through the real runtime on the embedded (PGlite) and
 * Redis state backends: a turn committed but not delivered when its process died has its stored
 * replies sent by the next process, not computed again; a message whose turn fails every time is
 * given up after `maxAttempts`; failed drains are retried after delays that double up to a ceiling.
 * Retry delays are kept by timers the test fires by hand.
 */

const AT = '2026-11-26T10:00:00.000Z';
const shopper: ConversationAddress = { channel: 'web', city: 'almaty', chatId: 'recovery-1' };
const text = (words: string) => ({ type: 'text' as const, text: words, at: AT });

/** retry timers that only fire when the test says so */
function handTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  const scheduled: number[] = [];
  let next = 0;
  const timers: Timers = {
    set(run, ms) {
      pending.set(++next, { run, ms });
      scheduled.push(ms);
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** every delay asked for, in order */
    scheduled,
    pending: () => pending.size,
    /** runs the oldest pending timer */
    fire() {
      const [id, timer] = [...pending.entries()][0]!;
      pending.delete(id);
      timer.run();
    },
  };
}

function recordingLog() {
  const errors: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const log: Logger = {
    info() {},
    warn() {},
    error: (obj, msg) => void errors.push({ obj: obj as Record<string, unknown>, msg }),
  };
  return { log, errors };
}

const backends = eachStateBackend('runtime-recovery');

describe.each(backends)('recovery and retries on %s state', (_name, open) => {
  let state: StateBackend | undefined;
  const runtimes: ConversationRuntime[] = [];
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    await state?.close();
    state = undefined;
  });

  /** a runtime on the test's state backend, with the fixture world and the given ports overridden */
  async function runtimeWith(ports: Partial<RuntimePorts> & { channel: ChannelPort }, opts: RuntimeOptions = {}) {
    const fixtures = await loadFixtures();
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    state ??= await open();
    const { channel, ...rest } = ports;
    const runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => fixtures.scenario },
        ...worldPorts({ host, now: () => AT }),
        records: { write: async () => {} },
        channels: { web: channel },
        clock: () => new Date(AT),
        log: recordingLog().log,
        ...rest,
      },
      state,
      opts,
    );
    runtimes.push(runtime);
    return { runtime, scenario: fixtures.scenario };
  }

  const noMedia = async () => Promise.reject(new Error('no media here'));

  it('a turn committed but not delivered when its process died: the next process sends its stored replies, computing nothing', async () => {
    // the first process commits the turn, then dies while sending (its retry never comes)
    const attempted: Reply[][] = [];
    const first = handTimers();
    const { runtime: dying } = await runtimeWith(
      {
        channel: {
          send: async (_address, replies) => {
            attempted.push(replies);
            throw new Error('process killed while sending');
          },
          fetchMedia: noMedia,
        },
      },
      { timers: first.timers },
    );
    await dying.accept(shopper, 'm1', text('красный диван до 150000'));
    await eventually('the send attempt', () => first.pending() === 1);
    await dying.close();
    expect(attempted).toHaveLength(1);
    expect(attempted[0]!.length).toBeGreaterThan(0);
    expect(await dying.pendingConversations()).toBe(1);

    // the next process: any turn it ran would ask the brain, which refuses and counts (the scenario
    // is readable: delivery takes the channel's words from it)
    const sent: Reply[][] = [];
    const records: TurnRecords[] = [];
    let turnsRun = 0;
    const { runtime: next } = await runtimeWith({
      channel: { send: async (_address, replies) => void sent.push(replies), fetchMedia: noMedia },
      brain: {
        understand: async () => {
          turnsRun++;
          throw new Error('the committed turn must not be understood again');
        },
      },
      records: { write: async (turns) => void records.push(...turns) },
    });
    expect(await next.recover()).toBe(1);
    await eventually('the stored replies sent', () => sent.length === 1);
    await next.idle();

    expect(sent).toEqual(attempted);
    expect(turnsRun).toBe(0);
    expect(await next.pendingConversations()).toBe(0);
    // recorded once, by the process that delivered: the shopper's message and each reply sent
    expect(records.map((r) => r.key)).toEqual([`web:almaty:recovery-1|m1`]);
    expect(records[0]!.messages.map((m) => m.direction)).toEqual(['in', ...attempted[0]!.map(() => 'out')]);
    expect(records[0]!.messages[0]!.text).toBe('красный диван до 150000');
  });

  it('a stored turn is still delivered when the scenario cannot be read: with the shipped channel words', async () => {
    const first = handTimers();
    const attempted: Reply[][] = [];
    const { runtime: dying } = await runtimeWith(
      {
        channel: {
          send: async (_address, replies) => {
            attempted.push(replies);
            throw new Error('process killed while sending');
          },
          fetchMedia: noMedia,
        },
      },
      { timers: first.timers },
    );
    await dying.accept(shopper, 'm1', text('покажи кресла'));
    await eventually('the send attempt', () => first.pending() === 1);
    await dying.close();

    // the next process finds the scenario store broken: the replies go out in the shipped words
    const sent: { replies: Reply[]; texts: SendOptions['texts']; lang: string | undefined }[] = [];
    let lookups = 0;
    const { runtime: next } = await runtimeWith({
      channel: {
        send: async (_address, replies, opts) => void sent.push({ replies, texts: opts.texts, lang: opts.lang }),
        fetchMedia: noMedia,
      },
      scenarios: {
        forConversation: (): Scenario => {
          lookups++;
          throw new Error('scenario row is not valid YAML');
        },
      },
    });
    expect(await next.recover()).toBe(1);
    await eventually('the stored replies sent', () => sent.length === 1);
    await next.idle();
    expect(lookups).toBeGreaterThan(0);
    expect(sent[0]!.replies).toEqual(attempted[0]);
    expect(sent[0]!.lang).toBe('ru');
    expect(sent[0]!.texts).toEqual(shippedChannelTexts('ru'));
    expect(await next.pendingConversations()).toBe(0);
  });

  it('a message whose turn fails every time is given up after maxAttempts, the shopper told; the conversation goes on', async () => {
    const hand = handTimers();
    const { log, errors } = recordingLog();
    let broken = true;
    let lookups = 0;
    const sent: Reply[][] = [];
    const fixtures = await loadFixtures();
    const { runtime } = await runtimeWith(
      {
        channel: { send: async (_address, replies) => void sent.push(replies), fetchMedia: noMedia },
        scenarios: {
          forConversation: (): Scenario => {
            lookups++;
            if (broken) throw new Error('scenario store on fire');
            return fixtures.scenario;
          },
        },
        log,
      },
      { maxAttempts: 3, timers: hand.timers },
    );
    const failures: string[] = [];
    runtime.onFailure((key) => failures.push(key));

    const answer = runtime.converse(shopper, 'doomed', text('привет'));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(`failed attempt ${attempt}`, () => hand.pending() === 1);
      expect(lookups).toBe(attempt);
      hand.fire();
    }
    // the fourth drain gives the message up without running its turn: the shopper gets the calm
    // `messageFailed` text (the shipped one: this scenario cannot be read), nothing is pending
    const apology = [{ type: 'text', text: fixtures.scenario.texts.ru.messageFailed }];
    expect(await answer).toEqual(apology);
    await runtime.idle();
    expect(lookups).toBe(4);
    expect(failures).toHaveLength(3);
    expect(hand.pending()).toBe(0);
    expect(await runtime.pendingConversations()).toBe(0);
    expect(sent).toEqual([apology]);
    const dropped = errors.find((e) => e.msg === 'message given up after repeated failures; dead-lettered');
    expect(dropped?.obj).toMatchObject({
      conversationKey: 'web:almaty:recovery-1',
      messageId: 'doomed',
      attempts: 3,
      error: 'scenario store on fire',
    });

    broken = false;
    const replies = await runtime.converse(shopper, 'next', text('привет'));
    expect(replies).not.toBe('duplicate');
    expect((replies as Reply[]).length).toBeGreaterThan(0);
  });

  it('failed drains are retried after delays that double up to the configured ceiling, and start over after a success', async () => {
    const hand = handTimers();
    let broken = true;
    const fixtures = await loadFixtures();
    const { runtime } = await runtimeWith(
      {
        channel: { send: async () => {}, fetchMedia: noMedia },
        scenarios: {
          forConversation: (): Scenario => {
            if (broken) throw new Error('database away');
            return fixtures.scenario;
          },
        },
      },
      { maxAttempts: 10, timers: hand.timers, retry: { firstDelayMs: 100, maxDelayMs: 350 } },
    );

    const first = runtime.converse(shopper, 'm1', text('привет'));
    for (let failure = 1; failure <= 4; failure++) {
      await eventually(`failure ${failure}`, () => hand.pending() === 1);
      if (failure === 4) broken = false;
      hand.fire();
    }
    expect((await first).length).toBeGreaterThan(0);
    await runtime.idle();
    expect(hand.scheduled).toEqual([100, 200, 350, 350]);

    // a success forgets the failures: the next outage starts from the first delay again
    broken = true;
    const second = runtime.converse(shopper, 'm2', text('диван'));
    await eventually('the next failure', () => hand.pending() === 1);
    expect(hand.scheduled).toEqual([100, 200, 350, 350, 100]);
    broken = false;
    hand.fire();
    expect((await second).length).toBeGreaterThan(0);
  });
});
