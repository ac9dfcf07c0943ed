import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioIntents } from '../../engine/scenario/intents.ts';
import { createOpenAiBrain } from './openaiBrain.ts';
import type { UnderstandInput } from './ports.ts';
import { rulesUnderstand } from './rulesBrain.ts';
import { startFakeOpenAI, toolCallReply, type FakeOpenAI } from './testing/fakeOpenAI.ts';
import { demoWords, sdkClient, TEST_KEY, testResilience } from './testing/harness.ts';

/** The scenario's own intents through the real `openai` SDK against the fake server. */

const INTENTS: ScenarioIntents = {
  call_measurer: {
    examples: { ru: ['вызвать замерщика'], kk: ['өлшеушіні шақыру'], en: ['book a measurer'] },
    keywords: { ru: ['замерщик'], kk: [], en: [] },
    flow: 'measure',
  },
  installment: {
    examples: { ru: ['есть рассрочка?', 'Kaspi Red принимаете?'], kk: ['бөліп төлеу'], en: ['installments'] },
    keywords: { ru: [], kk: [], en: [] },
    flow: 'installment',
  },
};

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const input = (text: string, intents?: ScenarioIntents): UnderstandInput => ({
  text,
  lang: 'ru',
  history: [],
  city: 'almaty',
  ...(intents ? { intents } : {}),
});

const brain = () =>
  createOpenAiBrain({
    client: sdkClient(fake),
    // the real rules brain over the demo catalog: what answers when the model's choice is refused
    rules: rulesUnderstand(demoWords),
    words: demoWords,
    getSystemPrompt: () => 'Ты консультант мебельного магазина.',
    defaultModel: 'gpt-4o-mini',
    resilience: testResilience(),
    secrets: [TEST_KEY],
  });

type Tool = {
  function: { name: string; parameters: { properties: Record<string, { enum?: string[]; description?: string }> } };
};
const toolsSent = () => (fake.requests.at(-1)!.json as { tools: Tool[] }).tools;

describe('designer intents as a tool choice', () => {
  it('the model gets one scenario_intent tool with the intent names and their examples', async () => {
    fake.enqueue('chat', toolCallReply('scenario_intent', { intent: 'call_measurer' }));
    await brain().understand(input('замерщика бы', INTENTS));
    const tool = toolsSent().find((t) => t.function.name === 'scenario_intent')!;
    expect(tool.function.parameters.properties.intent!.enum).toEqual(['call_measurer', 'installment']);
    expect(tool.function.parameters.properties.intent!.description).toContain('call_measurer: «вызвать замерщика»');
    expect(tool.function.parameters.properties.intent!.description).toContain('«Kaspi Red принимаете?»');
  });

  it('a scenario_intent call becomes the designer intent it names', async () => {
    fake.enqueue('chat', toolCallReply('scenario_intent', { intent: 'installment', angry: false }));
    const u = await brain().understand(input('а можно частями платить?', INTENTS));
    expect(u.source).toBe('openai');
    expect(u.intent).toEqual({ name: 'designer', args: { intent: 'installment' } });
    expect(u.usage?.fallback).toBeUndefined();
  });

  it('a name the scenario does not have is refused; the rules brain answers with the designer intent', async () => {
    fake.enqueue('chat', toolCallReply('scenario_intent', { intent: 'drop_prices' }));
    const u = await brain().understand(input('нужен замерщик', INTENTS));
    expect(u.usage?.fallback).toBe('invalid_args');
    expect(u.source).toBe('rules');
    expect(u.intent).toEqual({ name: 'designer', args: { intent: 'call_measurer' } });
  });

  it('without designer intents there is no such tool, and a call to it is an unknown tool', async () => {
    fake.enqueue('chat', toolCallReply('scenario_intent', { intent: 'call_measurer' }));
    const u = await brain().understand(input('нужен замерщик'));
    expect(toolsSent().some((t) => t.function.name === 'scenario_intent')).toBe(false);
    expect(u.usage?.fallback).toBe('unknown_tool');
    expect(u.intent.name).not.toBe('designer');
  });

  it('built-in tools still map as before next to it', async () => {
    fake.enqueue('chat', toolCallReply('escalate_to_manager', { reason: 'замер' }));
    const u = await brain().understand(input('позовите менеджера', INTENTS));
    expect(u.intent).toEqual({ name: 'escalate_to_manager', args: { reason: 'замер' } });
  });
});
