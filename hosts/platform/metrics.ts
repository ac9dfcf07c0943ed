import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics (`GET /metrics`). One registry per platform instance, so tests don't share. */
export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zeta_process_' });
  const collectors: (() => void | Promise<void>)[] = [];
  const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    /** runs before every scrape, for gauges computed on demand */
    onCollect: (collect: () => void | Promise<void>) => collectors.push(collect),
    async render(): Promise<string> {
      await Promise.all(collectors.map(async (collect) => collect()));
      return registry.metrics();
    },
    httpRequests: new Counter({
      name: 'zeta_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'zeta_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets,
      registers: [registry],
    }),
    messages: new Counter({
      name: 'zeta_messages_total',
      help: 'Messages by channel and direction',
      labelNames: ['channel', 'direction'],
      registers: [registry],
    }),
    turnDuration: new Histogram({
      name: 'zeta_turn_duration_seconds',
      help: 'From message accepted to replies sent',
      labelNames: ['channel'],
      buckets,
      registers: [registry],
    }),
    turnErrors: new Counter({
      name: 'zeta_turn_errors_total',
      help: 'Turns that failed and were retried',
      labelNames: ['channel'],
      registers: [registry],
    }),
    activeConversations: new Gauge({
      name: 'zeta_active_conversations',
      help: 'Conversations with a turn in the last 15 minutes',
      registers: [registry],
    }),
    searches: new Counter({
      name: 'zeta_searches_total',
      help: 'Catalog searches by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    modelLatency: new Histogram({
      name: 'zeta_model_latency_seconds',
      help: 'OpenAI call latency',
      labelNames: ['kind'],
      buckets,
      registers: [registry],
    }),
    modelFallbacks: new Counter({
      name: 'zeta_model_fallbacks_total',
      help: 'Calls answered by the rules brain instead of the model',
      labelNames: ['reason'],
      registers: [registry],
    }),
    placeholderRenders: new Counter({
      name: 'zeta_placeholder_renders_total',
      help: 'Placeholder pictures drawn (the rest are served from memory)',
      registers: [registry],
    }),
    rateLimitedMessages: new Counter({
      name: 'zeta_shopper_messages_rate_limited_total',
      help: 'Shopper messages over the scenario limit per minute: recorded, answered without a turn',
      labelNames: ['channel'],
      registers: [registry],
    }),
    modelCalls: new Counter({
      name: 'zeta_model_calls_total',
      help: 'Model calls (understanding, vision, Whisper) let through by the city daily budget',
      labelNames: ['city', 'kind'],
      registers: [registry],
    }),
    modelBudgetExhausted: new Counter({
      name: 'zeta_model_budget_exhausted_total',
      help: 'Calls answered without the model because the city daily model-call budget was spent',
      labelNames: ['city', 'kind'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'zeta_queue_depth',
      help: 'Pending items by queue',
      labelNames: ['queue'],
      registers: [registry],
    }),
  };
}

/** Counts distinct conversations seen in a sliding window without keeping them forever. */
export class ActiveConversations {
  readonly #lastSeen = new Map<string, number>();
  constructor(readonly windowMs = 15 * 60_000) {}
  touch(key: string, now: number): void {
    this.#lastSeen.delete(key);
    this.#lastSeen.set(key, now);
  }
  count(now: number): number {
    // Map keeps insertion order, and touch() re-inserts: the oldest entries come first
    for (const [key, seen] of this.#lastSeen) {
      if (now - seen <= this.windowMs) break;
      this.#lastSeen.delete(key);
    }
    return this.#lastSeen.size;
  }
}
