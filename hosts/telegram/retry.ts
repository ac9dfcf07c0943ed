import { autoRetry } from '@grammyjs/auto-retry';
import { HttpError, type Transformer } from 'grammy';

/**
 * Bot API resilience, bounded: `@grammyjs/auto-retry` honours 429 `retry_after` (up to a cap);
 * our own transformer retries 5xx answers and network failures with exponential backoff — the
 * plugin's own 5xx/network retry starts at 3 s and never gives up on network errors, which
 * would pin a conversation's drain forever while the API is down.
 */

export type RetryPolicy = {
  /** retries after the first attempt, for each kind of failure */
  maxRetries: number;
  /** first backoff for 5xx / network errors; doubles each time */
  baseDelayMs: number;
  /** a 429 asking to wait longer than this fails instead (the runtime retries the turn's send later) */
  maxRetryAfterSeconds: number;
};

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxRetryAfterSeconds: 30 };

export function backoffOnServerErrors(policy: Pick<RetryPolicy, 'maxRetries' | 'baseDelayMs'>): Transformer {
  return async (prev, method, payload, signal) => {
    let delay = policy.baseDelayMs;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= policy.maxRetries;
      try {
        const result = await prev(method, payload, signal);
        if (result.ok || result.error_code < 500 || last) return result;
      } catch (error) {
        if (!(error instanceof HttpError) || last || signal?.aborted) throw error;
      }
      await sleep(delay, signal);
      delay *= 2;
    }
  };
}

export function installRetries(
  api: { config: { use(...t: Transformer[]): unknown } },
  policy: RetryPolicy = DEFAULT_RETRY,
): void {
  api.config.use(backoffOnServerErrors(policy));
  api.config.use(
    autoRetry({
      maxRetryAttempts: policy.maxRetries,
      maxDelaySeconds: policy.maxRetryAfterSeconds,
      rethrowInternalServerErrors: true,
      rethrowHttpErrors: true,
    }),
  );
}

function sleep(
  ms: number,
  signal?: { addEventListener(type: 'abort', cb: () => void, o?: { once: boolean }): void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('aborted while waiting to retry'));
      },
      { once: true },
    );
  });
}
