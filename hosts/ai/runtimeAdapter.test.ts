import { describe, expect, it } from 'vitest';
import type { ModelBudget } from './budget.ts';
import type { Ai } from './ports.ts';
import { rulesUnderstand } from './rulesBrain.ts';
import { runtimeAiPorts } from './runtimeAdapter.ts';
import { demoWords, stubRules } from './testing/harness.ts';

describe('runtimeAiPorts', () => {
  it('passes media through and keeps usage out of the Understanding', async () => {
    const seen: unknown[] = [];
    const ai: Ai = {
      brain: {
        understand: async () => ({
          intent: { name: 'greeting' },
          source: 'openai',
          usage: { promptTokens: 1, completionTokens: 1, latencyMs: 5, model: 'm' },
        }),
      },
      vision: {
        describe: async (bytes, mime) => {
          seen.push([bytes.length, mime]);
          return { category: 'sofa' };
        },
      },
      transcriber: {
        transcribe: async (bytes, opts) => {
          seen.push([bytes.length, opts]);
          return 'привет';
        },
      },
    };
    const ports = runtimeAiPorts(ai, { rules: stubRules });
    expect(await ports.brain.understand({ city: 'almaty', text: 'hi', lang: 'en', history: [] })).toEqual({
      intent: { name: 'greeting' },
      source: 'openai',
    });
    expect(await ports.vision!.describe({ bytes: new Uint8Array(3), mime: 'image/png', filename: 'p.png' })).toEqual({
      category: 'sofa',
    });
    expect(
      await ports.transcriber!.transcribe({ bytes: new Uint8Array(2), mime: 'audio/ogg', filename: 'v.oga' }, 'kk'),
    ).toBe('привет');
    expect(seen).toEqual([
      [3, 'image/png'],
      [2, { mime: 'audio/ogg', filename: 'v.oga', lang: 'kk' }],
    ]);
    expect(runtimeAiPorts({ ...ai, vision: null, transcriber: null }, { rules: stubRules })).toMatchObject({
      vision: null,
      transcriber: null,
    });
  });

  it('asks the budget before every model call and answers without the model once it is spent', async () => {
    const asked: unknown[] = [];
    const modelCalls: string[] = [];
    let left = 1;
    const budget: ModelBudget = { take: async (city, op, perDay) => (asked.push([city, op, perDay]), left-- > 0) };
    const ai: Ai = {
      brain: {
        understand: async () => (modelCalls.push('understand'), { intent: { name: 'greeting' }, source: 'openai' }),
      },
      vision: { describe: async () => (modelCalls.push('describe'), { category: 'sofa' }) },
      transcriber: { transcribe: async () => (modelCalls.push('transcribe'), 'привет') },
    };
    const ports = runtimeAiPorts(ai, { budget, rules: rulesUnderstand(demoWords) });
    const scope = { city: 'almaty', modelCallsPerDay: 5 };
    expect(await ports.brain.understand({ ...scope, text: 'hi', lang: 'en', history: [] })).toEqual({
      intent: { name: 'greeting' },
      source: 'openai',
    });
    // spent: the rules brain answers; photos and voice go without the model
    expect(await ports.brain.understand({ ...scope, text: 'красный диван', lang: 'ru', history: [] })).toMatchObject({
      intent: { name: 'search_products' },
      source: 'rules',
    });
    expect(
      await ports.vision!.describe({ bytes: new Uint8Array(3), mime: 'image/png', filename: 'p.png' }, scope),
    ).toBeNull();
    expect(
      await ports.transcriber!.transcribe(
        { bytes: new Uint8Array(2), mime: 'audio/ogg', filename: 'v.oga' },
        'ru',
        scope,
      ),
    ).toBeNull();
    expect(modelCalls).toEqual(['understand']);
    expect(asked).toEqual([
      ['almaty', 'understand', 5],
      ['almaty', 'understand', 5],
      ['almaty', 'describeImage', 5],
      ['almaty', 'transcribe', 5],
    ]);
  });
});
