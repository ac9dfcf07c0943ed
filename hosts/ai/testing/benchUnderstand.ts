/**
 * How much the OpenAI path costs us (not the provider): `understand` through the real SDK against
 * the fake server on loopback, sequential, compared with a raw fetch of the same endpoint.
 *   npx tsx hosts/ai/testing/benchUnderstand.ts [calls]
 */
import OpenAI from 'openai';
import type { Understanding } from '../../../engine/intent.ts';
import { CircuitBreaker } from '../circuitBreaker.ts';
import { createOpenAiBrain } from '../openaiBrain.ts';
import { startFakeOpenAI, toolCallReply } from './fakeOpenAI.ts';
import { demoWords } from './harness.ts';

const calls = Number(process.argv[2] ?? 2000);
const fake = await startFakeOpenAI();
fake.setDefault('chat', () => toolCallReply('search_products', { category: 'sofa', color: 'blue', price_max: 150000 }));
// keep memory flat: the fake records every request
const trim = setInterval(() => {
  fake.requests.length = 0;
}, 100);

const brain = createOpenAiBrain({
  client: new OpenAI({ apiKey: 'sk-bench', baseURL: fake.baseURL, maxRetries: 0 }),
  rules: (): Understanding => ({ intent: { name: 'unknown' }, source: 'rules' }),
  words: demoWords,
  getSystemPrompt: () => 'Ты консультант мебельного магазина.',
  defaultModel: 'gpt-4o-mini',
  resilience: { breaker: new CircuitBreaker() },
});
const input = { text: 'синий диван до 150к', lang: 'ru' as const, history: [], city: 'almaty' };

async function measure(label: string, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i += 1) await fn();
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < calls; i += 1) {
    const s = performance.now();
    await fn();
    samples.push(performance.now() - s);
  }
  const total = performance.now() - t0;
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!.toFixed(3);
  console.log(
    `${label.padEnd(34)} ${(calls / (total / 1000)).toFixed(0).padStart(6)}/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms`,
  );
}

const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
await measure('raw fetch POST /chat/completions', async () => {
  const res = await fetch(`${fake.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.json();
});
await measure('brain.understand (SDK + validation)', () => brain.understand(input));

clearInterval(trim);
await fake.close();
