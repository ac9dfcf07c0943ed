import OpenAI from 'openai';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuitBreaker.ts';
import { createOpenAiBrain, type OpenAiBrainOptions } from './openaiBrain.ts';
import { createOpenAiTranscriber } from './openaiTranscriber.ts';
import { createOpenAiVision } from './openaiVision.ts';
import type { CatalogWords } from './catalogWords.ts';
import type { Ai, AiUsageEvent, RulesUnderstand } from './ports.ts';
import type { ResilienceOptions } from './resilience.ts';
import { createRulesBrain, rulesUnderstand } from './rulesBrain.ts';

export type CreateAiOptions = {
  /** without a key: the rules brain, no vision, no transcription */
  apiKey?: string;
  /** OPENAI_BASE_URL; tests point it at the fake server */
  baseURL?: string;
  /** default chat model (gpt-4o-mini); per bot via getCallSettings */
  model?: string;
  /** per attempt, default 8 s */
  timeoutMs?: number;
  /** all attempts of one call together (a retry gets what is left); default 1.5 × timeoutMs */
  budgetMs?: number;
  /** the city's active prompt; called on every turn so an edited prompt applies at once */
  getSystemPrompt: (city: string) => Promise<string> | string;
  /** the bot's model and max tokens for the understanding call (city, and channel when known) */
  getCallSettings?: OpenAiBrainOptions['getCallSettings'];
  /** tokens, latency and outcome per provider call, for analytics */
  onUsage?: (event: AiUsageEvent) => void;
  visionModel?: string;
  transcriptionModel?: string;
  /** Whisper on a long voice note takes longer than a chat turn; default max(timeoutMs, 30 s) */
  transcribeTimeoutMs?: number;
  maxHistory?: number;
  breaker?: CircuitBreakerOptions;
  retryBaseMs?: number;
  maxRetryAfterMs?: number;
  /** the current catalog's words (taxonomy, vocabulary, tools), read on every call so a catalog change applies at once */
  words: () => CatalogWords;
  /** the fallback brain; defaults to engine/understanding over `words` */
  rules?: RulesUnderstand;
};

export type AiServices = Ai & {
  /** provider health, shared by all three ports (null without a key) */
  breaker: CircuitBreaker | null;
  /** the rules brain the model falls back to, for callers that answer without the model */
  rules: RulesUnderstand;
};

export function createAi(opts: CreateAiOptions): AiServices {
  const rules = opts.rules ?? rulesUnderstand(opts.words);
  if (!opts.apiKey) return { brain: createRulesBrain(rules), vision: null, transcriber: null, breaker: null, rules };

  const timeoutMs = opts.timeoutMs ?? 8_000;
  const client = new OpenAI({
    apiKey: opts.apiKey,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const breaker = new CircuitBreaker(opts.breaker);
  const resilience: ResilienceOptions = {
    breaker,
    timeoutMs,
    budgetMs: opts.budgetMs ?? timeoutMs * 1.5,
    ...(opts.retryBaseMs !== undefined ? { retryBaseMs: opts.retryBaseMs } : {}),
    ...(opts.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: opts.maxRetryAfterMs } : {}),
  };
  const model = opts.model ?? 'gpt-4o-mini';
  const transcribeTimeoutMs = opts.transcribeTimeoutMs ?? Math.max(timeoutMs, 30_000);
  const secrets = [opts.apiKey];
  const shared = { client, secrets, ...(opts.onUsage ? { onUsage: opts.onUsage } : {}) };

  return {
    brain: createOpenAiBrain({
      ...shared,
      rules,
      words: opts.words,
      getSystemPrompt: opts.getSystemPrompt,
      ...(opts.getCallSettings ? { getCallSettings: opts.getCallSettings } : {}),
      defaultModel: model,
      ...(opts.maxHistory !== undefined ? { maxHistory: opts.maxHistory } : {}),
      resilience,
    }),
    vision: createOpenAiVision({ ...shared, model: opts.visionModel ?? model, words: opts.words, resilience }),
    transcriber: createOpenAiTranscriber({
      ...shared,
      model: opts.transcriptionModel ?? 'whisper-1',
      resilience: { ...resilience, timeoutMs: transcribeTimeoutMs, budgetMs: transcribeTimeoutMs * 1.5 },
    }),
    breaker,
    rules,
  };
}
