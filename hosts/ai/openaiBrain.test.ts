import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../engine/effects.ts';
import { createOpenAiBrain } from './openaiBrain.ts';
import type { UnderstandInput } from './ports.ts';
import {
  errorReply,
  hangReply,
  startFakeOpenAI,
  textReply,
  toolCallReply,
  type FakeOpenAI,
} from './testing/fakeOpenAI.ts';
import { demoWords, sdkClient, stubRules, TEST_KEY, testResilience, usageLog } from './testing/harness.ts';

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

const input = (text: string, extra: Partial<UnderstandInput> = {}): UnderstandInput => ({
  text,
  lang: 'ru',
  history: [],
  city: 'almaty',
  ...extra,
});

function brain(
  opts: {
    timeoutMs?: number;
    prompt?: (city: string) => string;
    bot?: (bot: { city: string; channel?: string }) => { model?: string; maxTokens?: number };
    breaker?: { failureThreshold: number; openMs: number; now: () => number };
  } = {},
) {
  const usage = usageLog();
  const b = createOpenAiBrain({
    client: sdkClient(fake),
    rules: stubRules,
    words: demoWords,
    getSystemPrompt: opts.prompt ?? ((city) => `Ты консультант мебельного магазина в городе ${city}.`),
    ...(opts.bot ? { getCallSettings: opts.bot } : {}),
    defaultModel: 'gpt-4o-mini',
    resilience: testResilience({
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.breaker ? { breaker: opts.breaker } : {}),
    }),
    onUsage: usage.onUsage,
    secrets: [TEST_KEY],
  });
  return { brain: b, usage: usage.events };
}

type ChatBody = {
  model: string;
  max_completion_tokens: number;
  temperature: number;
  messages: { role: string; content: unknown }[];
  tools: { function: { name: string } }[];
  tool_choice: string;
};
const lastChat = () => fake.requests.at(-1)!.json as ChatBody;

describe('tool calls become Understandings', () => {
  it('search_products with canonical slugs, prices, mode and adjust', async () => {
    fake.enqueue(
      'chat',
      toolCallReply('search_products', {
        query: 'угловой',
        category: 'sofa',
        color: 'blue',
        material: 'velour',
        price_max: 150000,
        mode: 'new',
      }),
    );
    const { brain: b, usage } = brain();
    const u = await b.understand(input('угловой синий велюровый диван до 150к'));
    expect(u.source).toBe('openai');
    expect(u.intent).toEqual({
      name: 'search_products',
      mode: 'new',
      args: { query: 'угловой', category: 'sofa', color: 'blue', material: 'velour', price_max: 150000 },
    });
    expect(u.usage).toMatchObject({ promptTokens: 120, completionTokens: 18, model: 'gpt-4o-mini' });
    expect(u.usage?.fallback).toBeUndefined();
    expect(usage).toEqual([
      expect.objectContaining({
        op: 'understand',
        ok: true,
        attempts: 1,
        promptTokens: 120,
        completionTokens: 18,
        city: 'almaty',
      }),
    ]);
  });

  it('refine and cheaper; nulls count as absent', async () => {
    fake.enqueue(
      'chat',
      toolCallReply('search_products', { mode: 'refine', adjust: 'cheaper', category: null, color: null }),
    );
    const u = await brain().brain.understand(input('а подешевле?', { criteria: { category: 'sofa' } }));
    expect(u.intent).toEqual({ name: 'search_products', mode: 'refine', adjust: 'cheaper', args: {} });
  });

  it('get_product normalises the SKU case', async () => {
    fake.enqueue('chat', toolCallReply('get_product', { sku: 'sofa-001' }));
    expect((await brain().brain.understand(input('покажи sofa-001'))).intent).toEqual({
      name: 'get_product',
      args: { sku: 'SOFA-001' },
    });
  });

  it('create_price_alert with and without a SKU, cancel_price_alert', async () => {
    fake.enqueue(
      'chat',
      toolCallReply('create_price_alert', { sku: 'BED-0042', target_price: 200000 }),
      toolCallReply('create_price_alert', {}),
      toolCallReply('cancel_price_alert', {}),
    );
    const { brain: b } = brain();
    expect((await b.understand(input('сообщите когда BED-0042 будет до 200 тыс'))).intent).toEqual({
      name: 'create_price_alert',
      args: { sku: 'BED-0042', target_price: 200000 },
    });
    expect((await b.understand(input('сообщите, когда подешевеет', { focusSku: 'SOFA-001' }))).intent).toEqual({
      name: 'create_price_alert',
      args: {},
    });
    expect((await b.understand(input('не надо уведомлений'))).intent).toEqual({ name: 'cancel_price_alert', args: {} });
  });

  it('escalate_to_manager carries the reason and anger', async () => {
    fake.enqueue('chat', toolCallReply('escalate_to_manager', { reason: 'delivery is late', angry: true }));
    const u = await brain().brain.understand(input('где моя доставка?! позовите менеджера'));
    expect(u.intent).toEqual({ name: 'escalate_to_manager', args: { reason: 'delivery is late' } });
    expect(u.sentiment).toBe('angry');
  });

  it('show_more, set_language and classify_message kinds', async () => {
    fake.enqueue(
      'chat',
      toolCallReply('show_more', '{}'),
      toolCallReply('set_language', { lang: 'kk' }),
      toolCallReply('classify_message', { kind: 'greeting' }),
      toolCallReply('classify_message', { kind: 'thanks' }),
      toolCallReply('classify_message', { kind: 'forget_preferences' }),
    );
    const { brain: b } = brain();
    expect((await b.understand(input('ещё'))).intent).toEqual({ name: 'more' });
    expect((await b.understand(input('қазақша сөйлейік'))).intent).toEqual({
      name: 'set_language',
      args: { lang: 'kk' },
    });
    expect((await b.understand(input('привет'))).intent).toEqual({ name: 'greeting' });
    expect((await b.understand(input('спасибо'))).intent).toEqual({ name: 'thanks' });
    expect((await b.understand(input('забудь мои предпочтения'))).intent).toEqual({ name: 'forget_preferences' });
  });
});

describe('buying tools become the cart and order intents', () => {
  it('add_to_cart with and without a SKU, the count as said, «ещё два» as more; view, clear, checkout; order status with and without a number', async () => {
    fake.enqueue(
      'chat',
      toolCallReply('add_to_cart', { sku: 'sofa-001', quantity: 2 }),
      toolCallReply('add_to_cart', { sku: null, quantity: -1 }),
      toolCallReply('add_to_cart', {}),
      toolCallReply('add_to_cart', { quantity: 2, more: true }),
      toolCallReply('add_to_cart', { more: true }),
      toolCallReply('view_cart', {}),
      toolCallReply('clear_cart', '{}'),
      toolCallReply('checkout', {}),
      toolCallReply('order_status', { number: 12 }),
      toolCallReply('order_status', { number: null }),
    );
    const { brain: b } = brain();
    const said = async (text: string) => (await b.understand(input(text, { focusSku: 'SOFA-001' }))).intent;
    expect(await said('добавь 2 sofa-001 в корзину')).toEqual({
      name: 'add_to_cart',
      args: { sku: 'SOFA-001', quantity: 2 },
    });
    // the engine answers what is wrong with -1; the brain passes it on
    expect(await said('-1 шт')).toEqual({ name: 'add_to_cart', args: { quantity: -1 } });
    expect(await said('беру этот')).toEqual({ name: 'add_to_cart', args: {} });
    expect(await said('беру ещё два')).toEqual({ name: 'add_to_cart', args: { quantity: 2, more: true } });
    // «more» with no count is one more, which a bare add already is
    expect(await said('ещё')).toEqual({ name: 'add_to_cart', args: {} });
    expect(await said('что в корзине')).toEqual({ name: 'view_cart' });
    expect(await said('очисти корзину')).toEqual({ name: 'clear_cart' });
    expect(await said('оформить заказ')).toEqual({ name: 'checkout' });
    expect(await said('статус заказа № 12')).toEqual({ name: 'order_status', args: { number: 12 } });
    expect(await said('где мой заказ')).toEqual({ name: 'order_status', args: {} });
  });

  it('offers the five buying tools with their JSON schemas', async () => {
    fake.enqueue('chat', toolCallReply('checkout', {}));
    await brain().brain.understand(input('checkout'));
    const tools = (fake.requests.at(-1)!.json as { tools: { function: { name: string; parameters: unknown } }[] })
      .tools;
    const schema = (name: string) => tools.find((t) => t.function.name === name)?.function.parameters;
    expect(schema('add_to_cart')).toEqual({
      type: 'object',
      properties: {
        sku: expect.objectContaining({ type: 'string' }),
        quantity: expect.objectContaining({ type: 'number' }),
        more: expect.objectContaining({ type: 'boolean' }),
      },
      required: [],
      additionalProperties: false,
    });
    expect(schema('order_status')).toMatchObject({
      properties: { number: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    });
    for (const name of ['view_cart', 'clear_cart', 'checkout'])
      expect(schema(name)).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });
});

describe('the request', () => {
  it('sends tools, memory, context and the key over the real wire format', async () => {
    fake.enqueue('chat', toolCallReply('classify_message', { kind: 'smalltalk' }));
    const history: HistoryEntry[] = Array.from({ length: 14 }, (_, i) => ({
      role: i % 2 ? 'bot' : 'shopper',
      text: `m${i}`,
      at: '2026-01-01T00:00:00Z',
    }));
    await brain().brain.understand(
      input('а синий есть?', { history, criteria: { category: 'sofa' }, focusSku: 'SOFA-001' }),
    );
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    const body = lastChat();
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.tool_choice).toBe('required');
    expect(body.tools.map((t) => t.function.name)).toEqual(
      expect.arrayContaining([
        'search_products',
        'get_product',
        'create_price_alert',
        'escalate_to_manager',
        'classify_message',
      ]),
    );
    const texts = body.messages.map((m) => m.content);
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: 'Ты консультант мебельного магазина в городе almaty.',
    });
    expect(String(texts[1])).toContain('"category":"sofa"');
    expect(String(texts[1])).toContain('SOFA-001');
    // the last 10 messages of memory, oldest dropped, then the shopper's message
    expect(texts.slice(2)).toEqual([...history.slice(4).map((h) => h.text), 'а синий есть?']);
    expect(body.messages.at(-2)).toEqual({ role: 'assistant', content: 'm13' });
  });

  it("asks getSystemPrompt and the bot's settings on every call (hot reload): model and max tokens per city and channel", async () => {
    let version = 1;
    const { brain: b } = brain({
      prompt: (city) => `prompt v${version} for ${city}`,
      bot: ({ city, channel }) =>
        city === 'astana' && channel === 'whatsapp' ? { model: `gpt-4o-v${version}`, maxTokens: 100 * version } : {},
    });
    fake.enqueue('chat', ...Array.from({ length: 3 }, () => toolCallReply('classify_message', { kind: 'greeting' })));
    await b.understand(input('привет'));
    expect(lastChat().messages[0]!.content).toBe('prompt v1 for almaty');
    expect([lastChat().model, lastChat().max_completion_tokens, lastChat().temperature]).toEqual([
      'gpt-4o-mini',
      300,
      0,
    ]);
    await b.understand(input('привет', { city: 'astana', channel: 'whatsapp' }));
    expect([lastChat().model, lastChat().max_completion_tokens]).toEqual(['gpt-4o-v1', 100]);
    version = 2;
    const u = await b.understand(input('привет', { city: 'astana', channel: 'whatsapp' }));
    expect(lastChat().messages[0]!.content).toBe('prompt v2 for astana');
    expect([lastChat().model, lastChat().max_completion_tokens]).toEqual(['gpt-4o-v2', 200]);
    expect(u.usage?.model).toBe('gpt-4o-v2');
  });
});

describe('invalid answers fall back to the rules brain', () => {
  const cases: [string, ReturnType<typeof toolCallReply>, string][] = [
    ['bad JSON arguments', toolCallReply('search_products', '{"category": "sofa"'), 'invalid_json'],
    ['an unknown tool', toolCallReply('set_price', { sku: 'SOFA-001', price: 1 }), 'unknown_tool'],
    ['wrong types', toolCallReply('search_products', { price_max: 'cheap' }), 'invalid_args'],
    ['an unknown category', toolCallReply('search_products', { category: 'spaceship' }), 'invalid_args'],
    ['a malformed SKU', toolCallReply('get_product', { sku: 'диван' }), 'invalid_args'],
    ['a count that is not a number', toolCallReply('add_to_cart', { quantity: 'два' }), 'invalid_args'],
    ['an order number of 0', toolCallReply('order_status', { number: 0 }), 'invalid_args'],
    [
      'price_min above price_max',
      toolCallReply('search_products', { price_min: 500000, price_max: 100 }),
      'invalid_args',
    ],
    ['plain text, no tool call', textReply('Здравствуйте! Чем помочь?'), 'no_tool_call'],
  ];
  for (const [name, reply, reason] of cases) {
    it(name, async () => {
      fake.enqueue('chat', reply);
      const { brain: b, usage } = brain();
      const u = await b.understand(input('диван'));
      expect(u.source).toBe('rules');
      expect(u.intent).toEqual({ name: 'unknown' });
      expect(u.usage?.fallback).toBe(reason);
      expect(usage[0]).toMatchObject({ ok: false, fallback: reason, attempts: 1 });
    });
  }
});

describe('resilience', () => {
  it('429 with a small Retry-After, then 200: retried once', async () => {
    fake.enqueue('chat', errorReply(429, { retryAfterMs: 5 }), toolCallReply('classify_message', { kind: 'greeting' }));
    const { brain: b, usage } = brain();
    const u = await b.understand(input('привет'));
    expect(u.source).toBe('openai');
    expect(fake.requests).toHaveLength(2);
    expect(usage[0]).toMatchObject({ ok: true, attempts: 2 });
  });

  it('429 with a long Retry-After: no waiting, straight to the rules brain', async () => {
    fake.enqueue('chat', errorReply(429, { retryAfterSec: 60 }));
    const u = await brain().brain.understand(input('привет'));
    expect(u.usage?.fallback).toBe('rate_limit');
    expect(fake.requests).toHaveLength(1);
  });

  it('500 then 500: one retry, then fallback', async () => {
    fake.enqueue('chat', errorReply(500), errorReply(503));
    const { brain: b, usage } = brain();
    const u = await b.understand(input('диван'));
    expect(u.source).toBe('rules');
    expect(u.usage?.fallback).toBe('server_error');
    expect(fake.requests).toHaveLength(2);
    expect(usage[0]).toMatchObject({ ok: false, attempts: 2, fallback: 'server_error' });
  });

  it('a hanging provider times out, is retried once, then falls back', async () => {
    fake.enqueue('chat', hangReply(), hangReply());
    const u = await brain({ timeoutMs: 150 }).brain.understand(input('диван'));
    expect(u.source).toBe('rules');
    expect(u.usage?.fallback).toBe('timeout');
    expect(fake.requests).toHaveLength(2);
  });

  it('a refused key is not retried and is never echoed', async () => {
    fake.enqueue('chat', errorReply(401, { message: `Incorrect API key provided: ${TEST_KEY}` }));
    const { brain: b, usage } = brain();
    const u = await b.understand(input('диван'));
    expect(u.usage?.fallback).toBe('auth');
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(usage)).not.toContain(TEST_KEY);
    expect(JSON.stringify(u)).not.toContain(TEST_KEY);
  });

  it('the circuit opens after repeated failures, skips the network, then probes and closes', async () => {
    let clock = 1_000;
    const { brain: b, usage } = brain({ breaker: { failureThreshold: 2, openMs: 30_000, now: () => clock } });
    fake.enqueue('chat', errorReply(500), errorReply(500));
    expect((await b.understand(input('диван'))).usage?.fallback).toBe('server_error');
    expect(fake.requests).toHaveLength(2);

    // open: no request reaches the provider
    const skipped = await b.understand(input('диван'));
    expect(skipped.usage?.fallback).toBe('circuit_open');
    expect(skipped.source).toBe('rules');
    expect(fake.requests).toHaveLength(2);
    expect(usage.at(-1)).toMatchObject({ attempts: 0, fallback: 'circuit_open' });

    // after openMs one probe goes through; success closes the circuit
    clock += 30_000;
    fake.enqueue(
      'chat',
      toolCallReply('classify_message', { kind: 'greeting' }),
      toolCallReply('classify_message', { kind: 'greeting' }),
    );
    expect((await b.understand(input('привет'))).source).toBe('openai');
    expect((await b.understand(input('привет'))).source).toBe('openai');
    expect(fake.requests).toHaveLength(4);
  });

  it('a failing prompt store falls back instead of throwing', async () => {
    const { brain: b } = brain({
      prompt: () => {
        throw new Error('db down');
      },
    });
    const u = await b.understand(input('диван'));
    expect(u.usage?.fallback).toBe('prompt_unavailable');
    expect(fake.requests).toHaveLength(0);
  });
});
