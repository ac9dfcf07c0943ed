import { afterEach, describe, expect, it } from 'vitest';
import type { Understanding } from '../../engine/intent.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { catalogWords } from '../ai/catalogWords.ts';
import { createRulesBrain, rulesUnderstand } from '../ai/rulesBrain.ts';
import { runtimeAiPorts } from '../ai/runtimeAdapter.ts';
import { designerSet } from '../cli/designerEval.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import { DEMO_TAXONOMY } from '../../engine/testing/demoTaxonomy.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import type { Logger, UnderstandRequest } from './ports.ts';
import { ConversationRuntime } from './runtime.ts';

/**
 * A scenario's own intents reach the brain with every message of a turn: the runtime hands the
 * scenario's object itself (the rules brain's compiled matcher is cached by it), and the rules brain
 * behind the runtime's AI ports answers with the designer intent.
 */

const quiet: Logger = { info() {}, warn() {}, error() {} };
const AT = '2026-11-26T10:00:00.000Z';
const [[, openState]] = eachStateBackend('designer-intents') as [[string, () => Promise<StateBackend>]];

describe('designer intents in a runtime turn', () => {
  let state: StateBackend | undefined;
  let runtime: ConversationRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    await state?.close();
  });

  it('the brain gets scenario.intents and the rules brain understands the designer intent', async () => {
    const fixtures = await loadFixtures();
    const scenario = { ...fixtures.scenario, intents: (await designerSet()).intents };
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    const words = catalogWords(DEMO_TAXONOMY);
    const ai = runtimeAiPorts(
      { brain: createRulesBrain(rulesUnderstand(() => words)), vision: null, transcriber: null },
      { rules: rulesUnderstand(() => words) },
    );
    const asked: UnderstandRequest[] = [];
    const answered: Understanding[] = [];
    state = await openState();
    runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => scenario },
        ...worldPorts({ host, now: () => AT }),
        brain: {
          async understand(request) {
            asked.push(request);
            const understanding = await ai.brain.understand(request);
            answered.push(understanding);
            return understanding;
          },
        },
        records: { write: async () => {} },
        channels: {
          web: {
            send: async () => {},
            fetchMedia: async () => {
              throw new Error('no media');
            },
          },
        },
        clock: () => new Date(AT),
        log: quiet,
      },
      state,
      {},
    );
    // two shoppers: a designer flow may take the next message of its own conversation as an answer
    const shopper = (n: number) => ({ channel: 'web' as const, city: 'almaty', chatId: `designer-${n}` });
    await runtime.accept(shopper(1), 'm1', { type: 'text', text: 'можно вызвать замерщика на завтра?', at: AT });
    await runtime.idle();
    await runtime.accept(shopper(2), 'm2', { type: 'text', text: 'а рассрочка есть?', at: AT });
    await runtime.idle();

    expect(asked.map((r) => r.intents)).toEqual([scenario.intents, scenario.intents]);
    expect(asked[0]!.intents).toBe(scenario.intents);
    expect(answered.map((u) => u.intent)).toEqual([
      { name: 'designer', args: { intent: 'call_measurer' } },
      { name: 'designer', args: { intent: 'installment' } },
    ]);
  });
});
