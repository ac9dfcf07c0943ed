import type { CircuitBreaker } from './circuitBreaker.ts';
import { AiCircuitOpenError, type AiError, classify } from './errors.ts';

/**
 * One provider call with a per-attempt deadline, one retry with jitter on 429/5xx/timeouts
 * (honouring a small Retry-After), behind the circuit breaker. It never throws: the caller gets
 * the value or the classified error, and how many network attempts were made.
 */

export type ResilienceOptions = {
  breaker: CircuitBreaker;
  /** per attempt; default 8 s */
  timeoutMs?: number;
  /**
   * all attempts together (a shopper is waiting; grammY's webhook gives up at 10 s). A retry gets
   * what is left of it, and is skipped when less than a quarter of `timeoutMs` remains.
   * Default: unlimited (each attempt gets `timeoutMs`).
   */
  budgetMs?: number;
  now?: () => number;
  /** extra attempts after the first; default 1 */
  retries?: number;
  /** jittered delay before a retry: uniformly in [base/2, base*3/2]; default 300 ms */
  retryBaseMs?: number;
  /** a Retry-After longer than this is not waited for — we fall back instead; default 2 s */
  maxRetryAfterMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

export type Attempt = { signal: AbortSignal; timeoutMs: number };

export type ResilientOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: AiError; attempts: number };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function resilientCall<T>(
  fn: (attempt: Attempt) => Promise<T>,
  opts: ResilienceOptions,
): Promise<ResilientOutcome<T>> {
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const retries = opts.retries ?? 1;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const started = now();
  const remaining = () => (opts.budgetMs === undefined ? Infinity : opts.budgetMs - (now() - started));
  let attempts = 0;
  let lastError: AiError = new AiCircuitOpenError('provider circuit is open; call skipped');

  while (attempts <= retries) {
    if (!opts.breaker.tryAcquire()) return { ok: false, error: lastError, attempts };
    attempts += 1;
    const attemptMs = Math.max(1, Math.min(timeoutMs, remaining()));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), attemptMs);
    try {
      const value = await fn({ signal: controller.signal, timeoutMs: attemptMs });
      opts.breaker.onSuccess();
      return { ok: true, value, attempts };
    } catch (err) {
      lastError = classify(err);
      if (lastError.countsAsFailure) opts.breaker.onFailure();
      else opts.breaker.onSuccess();
    } finally {
      clearTimeout(timer);
    }
    if (!lastError.retryable || attempts > retries) break;
    const delay = retryDelay(lastError, opts.retryBaseMs ?? 300, opts.maxRetryAfterMs ?? 2_000, random);
    if (delay === null || remaining() - delay < timeoutMs / 4) break;
    await sleep(delay);
  }
  return { ok: false, error: lastError, attempts };
}

function retryDelay(error: AiError, baseMs: number, maxRetryAfterMs: number, random: () => number): number | null {
  const retryAfterMs =
    'retryAfterMs' in error && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= maxRetryAfterMs ? retryAfterMs : null;
  return Math.round(baseMs * (0.5 + random()));
}
