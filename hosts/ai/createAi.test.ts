import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAi } from './createAi.ts';
import type { AiUsageEvent, UnderstandInput } from './ports.ts';
import {
  errorReply,
  jsonContentReply,
  startFakeOpenAI,
  toolCallReply,
  transcriptionReply,
  type FakeOpenAI,
} from './testing/fakeOpenAI.ts';
import { demoWords, TEST_KEY } from './testing/harness.ts';

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

const input = (text: string, city = 'almaty'): UnderstandInput => ({ text, lang: 'ru', history: [], city });

describe('createAi', () => {
  it('without a key: the local rules brain, no vision, no transcription, no network', async () => {
    const ai = createAi({
      words: demoWords,
      getSystemPrompt: () => {
        throw new Error('not asked without a key');
      },
    });
    expect(ai.vision).toBeNull();
    expect(ai.transcriber).toBeNull();
    const u = await ai.brain.understand(input('синий диван до 150 тысяч'));
    expect(u.source).toBe('rules');
    expect(u.intent).toMatchObject({
      name: 'search_products',
      args: { category: 'sofa', color: 'blue', price_max: 150000 },
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('with a key: all three ports go to the provider, usage is reported, the key is sent as a bearer token', async () => {
    const usage: AiUsageEvent[] = [];
    const prompts: string[] = [];
    const ai = createAi({
      words: demoWords,
      apiKey: TEST_KEY,
      baseURL: fake.baseURL,
      retryBaseMs: 1,
      getSystemPrompt: (city) => {
        prompts.push(city);
        return `prompt for ${city}`;
      },
      getCallSettings: ({ city }) => (city === 'astana' ? { model: 'gpt-4o', maxTokens: 120 } : {}),
      onUsage: (e) => usage.push(e),
    });
    fake.enqueue(
      'chat',
      toolCallReply('get_product', { sku: 'SOFA-001' }),
      jsonContentReply({ category: 'sofa', color: null, material: null, style: null, text: null }),
    );
    fake.enqueue('transcriptions', transcriptionReply('диван'));
    expect((await ai.brain.understand(input('SOFA-001', 'astana'))).intent).toEqual({
      name: 'get_product',
      args: { sku: 'SOFA-001' },
    });
    expect(await ai.vision!.describe(new Uint8Array([1, 2, 3]), 'image/jpeg')).toEqual({ category: 'sofa' });
    expect(
      await ai.transcriber!.transcribe(new Uint8Array([1, 2, 3]), { mime: 'audio/ogg', filename: 'v.ogg', lang: 'ru' }),
    ).toBe('диван');
    expect(prompts).toEqual(['astana']);
    expect(fake.requests[0]!.json).toMatchObject({ model: 'gpt-4o', max_completion_tokens: 120 });
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${TEST_KEY}`)).toBe(true);
    expect(usage.map((e) => [e.op, e.ok])).toEqual([
      ['understand', true],
      ['describeImage', true],
      ['transcribe', true],
    ]);
  });

  it('falls back to the real rules brain when the provider fails', async () => {
    const ai = createAi({
      words: demoWords,
      apiKey: TEST_KEY,
      baseURL: fake.baseURL,
      retryBaseMs: 1,
      getSystemPrompt: () => 'p',
    });
    fake.enqueue('chat', errorReply(500), errorReply(500));
    const u = await ai.brain.understand(input('синий диван до 150 тысяч'));
    expect(u.source).toBe('rules');
    expect(u.usage?.fallback).toBe('server_error');
    expect(u.intent).toMatchObject({ name: 'search_products', args: { category: 'sofa', color: 'blue' } });
  });

  it('shares one breaker across the ports: a dead provider costs nothing', async () => {
    const ai = createAi({
      words: demoWords,
      apiKey: TEST_KEY,
      baseURL: fake.baseURL,
      retryBaseMs: 1,
      getSystemPrompt: () => 'p',
      breaker: { failureThreshold: 2, openMs: 60_000 },
    });
    fake.enqueue('chat', errorReply(503), errorReply(503));
    await ai.brain.understand(input('диван'));
    expect(ai.breaker!.state()).toBe('open');
    expect(await ai.vision!.describe(new Uint8Array([1]), 'image/png')).toBeNull();
    expect(await ai.transcriber!.transcribe(new Uint8Array([1]), { mime: 'audio/ogg', filename: 'v.ogg' })).toBeNull();
    expect((await ai.brain.understand(input('диван'))).usage?.fallback).toBe('circuit_open');
    expect(fake.requests).toHaveLength(2);
  });
});
