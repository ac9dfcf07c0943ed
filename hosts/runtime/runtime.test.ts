import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { eventually } from '../../storage/state/contract/harness.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import type { ConversationAddress } from './address.ts';
import type { ChannelPort, Logger } from './ports.ts';
import { ConversationRuntime } from './runtime.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';

/**
 * The runtime's turn slots (`maxConcurrentTurns`), on the real embedded and Redis state backends:
 * a channel that holds every send until the test lets it go shows how many turns run at once.
 */

const quiet: Logger = { info() {}, warn() {}, error() {} };
const AT = '2026-11-26T10:00:00.000Z';

/** a channel whose sends wait until released, counting how many are in flight at once */
function heldChannel() {
  const held: (() => void)[] = [];
  const sent: string[] = [];
  let inFlight = 0;
  let peak = 0;
  let holding = true;
  const channel: ChannelPort = {
    async send(address) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      if (holding) await new Promise<void>((release) => held.push(release));
      inFlight--;
      sent.push(address.chatId);
    },
    async fetchMedia() {
      throw new Error('no media here');
    },
  };
  return {
    channel,
    sent,
    held: () => held.length,
    peak: () => peak,
    releaseAll: () => held.splice(0).forEach((release) => release()),
    /** sends go through at once from now on (the test is over) */
    stopHolding() {
      holding = false;
      held.splice(0).forEach((release) => release());
    },
  };
}

const backends = eachStateBackend('runtime-slots');

describe.each(backends)('turn slots on %s state', (_name, open) => {
  let state: StateBackend | undefined;
  let runtime: ConversationRuntime | undefined;
  let web: ReturnType<typeof heldChannel> | undefined;
  afterEach(async () => {
    web?.stopHolding();
    await runtime?.close();
    await state?.close();
  });

  async function start(maxConcurrentTurns: number) {
    const fixtures = await loadFixtures();
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    const world = worldPorts({ host, now: () => AT });
    web = heldChannel();
    state = await open();
    runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => fixtures.scenario },
        ...world,
        records: { write: async () => {} },
        channels: { web: web.channel },
        clock: () => new Date(AT),
        log: quiet,
      },
      state,
      { maxConcurrentTurns },
    );
    return { web, runtime };
  }

  const shopper = (n: number): ConversationAddress => ({ channel: 'web', city: 'almaty', chatId: `slot-${n}` });
  const hello = (n: number) => ({ type: 'text' as const, text: `привет ${n}`, at: AT });

  it('runs at most maxConcurrentTurns conversations at once; the others wait, accepted, and are answered in arrival order', async () => {
    const { web, runtime } = await start(2);
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => runtime.accept(shopper(n), `m${n}`, hello(n))));
    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);

    await eventually('two turns sending', () => web.held() === 2);
    // give any wrongly admitted turn the time to reach the channel
    await new Promise((r) => setTimeout(r, 100));
    expect(web.held()).toBe(2);
    expect(runtime.waitingConversations()).toBe(3);

    while (web.sent.length < 5) {
      await eventually('the next turn', () => web.held() > 0);
      web.releaseAll();
      await new Promise((r) => setTimeout(r, 20));
    }
    await runtime.idle();
    expect(web.peak()).toBe(2);
    expect(web.sent.slice(0, 2).sort()).toEqual(['slot-1', 'slot-2']);
    expect(web.sent.slice(2)).toEqual(['slot-3', 'slot-4', 'slot-5']);
    expect(runtime.waitingConversations()).toBe(0);
  });

  it('a waiting conversation that gets another message is answered for both, once', async () => {
    const { web, runtime } = await start(1);
    await runtime.accept(shopper(1), 'a1', hello(1));
    await eventually('the first turn sending', () => web.held() === 1);
    await runtime.accept(shopper(2), 'b1', hello(2));
    await runtime.accept(shopper(2), 'b2', { type: 'text', text: 'диван', at: AT });
    expect(await runtime.accept(shopper(2), 'b2', { type: 'text', text: 'диван', at: AT })).toBe('duplicate');
    expect(runtime.waitingConversations()).toBe(1);

    while (web.sent.length < 3) {
      await eventually('the next turn', () => web.held() > 0);
      expect(web.held()).toBe(1);
      web.releaseAll();
      await new Promise((r) => setTimeout(r, 20));
    }
    await runtime.idle();
    expect(web.sent).toEqual(['slot-1', 'slot-2', 'slot-2']);
  });
});
