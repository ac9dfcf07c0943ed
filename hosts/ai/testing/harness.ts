import OpenAI from 'openai';
import type { Understanding } from '../../../engine/intent.ts';
import { DEMO_TAXONOMY } from '../../../engine/testing/demoTaxonomy.ts';
import { catalogWords, type CatalogWords } from '../catalogWords.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from '../circuitBreaker.ts';
import type { AiUsageEvent, RulesUnderstand } from '../ports.ts';
import type { ResilienceOptions } from '../resilience.ts';
import type { FakeOpenAI } from './fakeOpenAI.ts';

/** Shared wiring for tests that drive the real SDK against the fake server. */

export const TEST_KEY = 'sk-test-ZETA0123456789abcdefSECRET';

export function sdkClient(fake: FakeOpenAI, apiKey = TEST_KEY): OpenAI {
  return new OpenAI({ apiKey, baseURL: fake.baseURL, maxRetries: 0 });
}

/** Fast resilience for tests: short deadline, no real waiting between attempts. */
export function testResilience(
  opts: { timeoutMs?: number; breaker?: CircuitBreakerOptions } = {},
): ResilienceOptions & { breaker: CircuitBreaker } {
  return {
    breaker: new CircuitBreaker(opts.breaker ?? { failureThreshold: 100 }),
    timeoutMs: opts.timeoutMs ?? 5_000,
    retryBaseMs: 1,
    maxRetryAfterMs: 2_000,
  };
}

/** A stand-in for the rules brain that makes fallbacks easy to see in assertions. */
export const stubRules: RulesUnderstand = (text, opts) => {
  const u: Understanding = { intent: { name: 'unknown' }, source: 'rules' };
  u.lang = opts.lang;
  if (/злой|ужас|angry/i.test(text)) u.sentiment = 'angry';
  return u;
};

export function usageLog(): { events: AiUsageEvent[]; onUsage: (e: AiUsageEvent) => void } {
  const events: AiUsageEvent[] = [];
  return {
    events,
    onUsage: (e) => {
      events.push(e);
    },
  };
}

let demo: CatalogWords | undefined;
/** the demo taxonomy's words, tools and enums (what migration 0017 seeds) */
export const demoWords = (): CatalogWords => (demo ??= catalogWords(DEMO_TAXONOMY));
