import type { StateBackend } from '../../storage/state/index.ts';
import { createAi, dailyModelBudget, runtimeAiPorts } from '../ai/index.ts';
import type { BotSettingsDirectory } from './botSettings.ts';
import type { CatalogWordsDirectory } from './catalogWords.ts';
import type { CityDirectory } from './cities.ts';
import type { PlatformConfig } from './config.ts';
import type { Metrics } from './metrics.ts';
import type { recordWriters } from './ports/records.ts';

export type ModelParts = {
  config: PlatformConfig;
  state: StateBackend;
  cities: CityDirectory;
  prompts: Map<string, string>;
  botSettings: BotSettingsDirectory;
  words: CatalogWordsDirectory;
  metrics: Metrics;
  /** model calls are recorded as analytics events */
  analytics: ReturnType<typeof recordWriters>['analytics'];
  clock: () => Date;
};

/** The runtime's brain, vision and transcriber: OpenAI calls measured, recorded and held to the daily budget. */
export function createModelPorts(p: ModelParts): ReturnType<typeof runtimeAiPorts> {
  const { config, metrics, clock } = p;
  const ai = createAi({
    ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
    ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}),
    model: config.openai.model,
    words: p.words.current,
    timeoutMs: config.openai.timeoutMs,
    getSystemPrompt: (city) => p.prompts.get(city) ?? '',
    getCallSettings: ({ city, channel }) => p.botSettings.get(city, channel),
    onUsage: (usage) => {
      metrics.modelLatency.observe({ kind: usage.op }, usage.latencyMs / 1000);
      if (usage.fallback) metrics.modelFallbacks.inc({ reason: usage.fallback.slice(0, 40) });
      p.analytics.add([
        {
          name: 'model_call',
          address: { channel: 'web', city: usage.city ?? config.defaultCity, chatId: '-' },
          conversationKey: '-',
          props: { ...usage },
          at: clock(),
        },
      ]);
    },
  });
  // the scenario's limits.modelCallsPerDay, counted in the shared state store per city and local day
  const modelBudget = dailyModelBudget({
    limiter: p.state.rateLimiter,
    timeZoneOf: (city) => p.cities.bySlug(city)?.timezone,
    now: clock,
    onCall: (city, kind) => metrics.modelCalls.inc({ city, kind }),
    onExhausted: (city, kind) => metrics.modelBudgetExhausted.inc({ city, kind }),
  });
  return runtimeAiPorts(ai, { rules: ai.rules, ...(config.openai.apiKey ? { budget: modelBudget } : {}) });
}
