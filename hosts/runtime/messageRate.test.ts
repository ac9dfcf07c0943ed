import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../engine/index.ts';
import type { Reply } from '../../engine/replies.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import type { ConversationAddress } from './address.ts';
import type { Logger, RecordedMessage } from './ports.ts';
import { ConversationRuntime, type TurnReport } from './runtime.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';
import { admitMessage, MESSAGE_WINDOW_MS, readMessageLog, type MessageLog } from './messageRate.ts';

/**
 * The scenario's `limits.messagesPerMinute` through the real runtime on the embedded and the
 * Redis state backends: a flooding shopper is answered once, calmly, without a turn (no model
 * call), every message of theirs is still recorded, and other shoppers go on being answered.
 */

const quiet: Logger = { info() {}, warn() {}, error() {} };
const AT = '2026-11-26T10:00:00.000Z';

const backends = eachStateBackend('msg-rate');

describe.each(backends)('message limit on %s state', (_name, open) => {
  let state: StateBackend | undefined;
  let runtime: ConversationRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    await state?.close();
  });

  async function start(messagesPerMinute: number) {
    const fixtures = await loadFixtures();
    const scenario: Scenario = { ...fixtures.scenario, limits: { ...fixtures.scenario.limits, messagesPerMinute } };
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    const world = worldPorts({ host, now: () => AT });
    const understood: string[] = [];
    const recorded: RecordedMessage[] = [];
    const reports: TurnReport[] = [];
    state = await open();
    runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => scenario },
        ...world,
        brain: { understand: async (input) => (understood.push(input.text), world.brain.understand(input)) },
        records: { write: async (turns) => void recorded.push(...turns.flatMap((t) => t.messages)) },
        channels: { web: { send: async () => {}, fetchMedia: async () => Promise.reject(new Error('no media here')) } },
        clock: () => new Date(AT),
        log: quiet,
      },
      state,
    );
    runtime.onTurn((report) => reports.push(report));
    return { runtime, scenario, understood, recorded, reports };
  }

  const shopper = (chatId: string): ConversationAddress => ({ channel: 'web', city: 'almaty', chatId });
  const say = (rt: ConversationRuntime, chatId: string, id: string, text: string) =>
    rt.converse(shopper(chatId), id, { type: 'text', text, at: AT }, { lang: 'en' }) as Promise<Reply[]>;

  it('past the limit: one calm reply in the conversation’s language, then silence; no turn, no model call; nothing lost; others answered', async () => {
    const { runtime, scenario, understood, recorded, reports } = await start(3);
    const texts = ['hello', 'red sofa', 'cheaper', 'show me beds', 'any chairs?', 'hello again'];
    const answers: Reply[][] = [];
    for (const [i, text] of texts.entries()) answers.push(await say(runtime, 'flood', `f${i}`, text));

    const calm: Reply = { type: 'text', text: scenario.limits.tooManyMessages.en };
    for (const answer of answers.slice(0, 3)) {
      expect(answer.length).toBeGreaterThan(0);
      expect(answer).not.toContainEqual(calm);
    }
    expect(answers[3]).toEqual([calm]);
    expect(answers.slice(4)).toEqual([[], []]);
    // the brain was asked about the three admitted messages only
    expect(understood).toEqual(['hello', 'red sofa', 'cheaper']);

    // another shopper is not held back by the flood
    const other = await say(runtime, 'calm-shopper', 'c1', 'red sofa');
    expect(other.some((r) => r.type === 'products')).toBe(true);
    expect(understood.at(-1)).toBe('red sofa');

    await runtime.idle();
    const inbound = recorded
      .filter((m) => m.direction === 'in' && m.conversationKey === 'web:almaty:flood')
      .map((m) => m.text);
    expect(inbound.sort()).toEqual([...texts].sort());
    expect(recorded).toContainEqual(
      expect.objectContaining({ conversationKey: 'web:almaty:flood', direction: 'out', text: calm.text }),
    );
    expect(reports.filter((r) => r.rateLimited).map((r) => r.messageId)).toEqual(['f3', 'f4', 'f5']);
  });

  it('0 turns the limit off', async () => {
    const { runtime, understood, reports } = await start(0);
    for (let i = 0; i < 25; i++) await say(runtime, 'chatty', `m${i}`, `red sofa ${i}`);
    expect(understood).toHaveLength(25);
    expect(reports.some((r) => r.rateLimited)).toBe(false);
  });
});

describe('the message log kept in the snapshot', () => {
  const T = Date.parse(AT);
  /** admits messages arriving at the given ms offsets in turn, carrying the log as the commits do */
  const flood = (perMinute: number, offsets: number[]) => {
    let log: MessageLog | undefined;
    return offsets.map((offset) => {
      const decision = admitMessage(log, perMinute, T + offset);
      log = decision.log;
      return decision.admission;
    });
  };

  it('admits `perMinute` messages in any 60 s, answers the next one calmly once, then only records', () => {
    expect(flood(2, [0, 1, 2, 3, 4])).toEqual(['turn', 'turn', 'calm reply', 'recorded only', 'recorded only']);
  });

  it('slides: a message is admitted again as soon as the oldest counted one is a minute old', () => {
    expect(flood(2, [0, 10_000, 20_000, MESSAGE_WINDOW_MS + 1, MESSAGE_WINDOW_MS + 2])).toEqual([
      'turn',
      'turn',
      'calm reply',
      'turn',
      'recorded only',
    ]);
    // a minute after the calm reply, a flood is told again
    expect(flood(1, [0, 1, 2, MESSAGE_WINDOW_MS + 1, MESSAGE_WINDOW_MS + 2])).toEqual([
      'turn',
      'calm reply',
      'recorded only',
      'turn',
      'calm reply',
    ]);
  });

  it('keeps only the last minute in the log; 0 turns the limit off and keeps no log', () => {
    const first = admitMessage(undefined, 3, T);
    const later = admitMessage(first.log, 3, T + MESSAGE_WINDOW_MS + 5);
    expect(later.log).toEqual({ admitted: [T + MESSAGE_WINDOW_MS + 5] });
    expect(admitMessage(first.log, 0, T)).toEqual({ admission: 'turn', log: undefined });
  });

  it('reads a stored log back, and nothing from what is not one (older snapshots have none)', () => {
    expect(readMessageLog({ admitted: [T], calmReplyAt: T })).toEqual({ admitted: [T], calmReplyAt: T });
    expect(readMessageLog(undefined)).toBeUndefined();
    expect(readMessageLog({ admitted: ['x'] })).toBeUndefined();
    expect(readMessageLog({ admitted: [T], calmReplyAt: 'soon' })).toEqual({ admitted: [T] });
  });
});
