/**
 * When a conversation is looked at again: after a failed drain, with a delay that doubles with
 * each failure in a row up to a ceiling (a database outage is not hammered by every conversation
 * at once), and after finding it held by another process (in case that process died).
 */

/** Where the delays are kept: real timers in production, a hand-driven clock in tests. */
export type Timers = {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
};

export const realTimers: Timers = {
  set(run, ms) {
    const timer = setTimeout(run, ms);
    // a pending retry never keeps the process alive
    timer.unref?.();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type BackoffOptions = {
  /** delay after the first failure in a row (default 1 s) */
  firstDelayMs?: number;
  /** the delay stops doubling here (default 60 s) */
  maxDelayMs?: number;
};

export class RetryLater {
  readonly #firstMs: number;
  readonly #maxMs: number;
  readonly #timers: Timers;
  readonly #run: (key: string) => void;
  /** consecutive failed drains per conversation */
  readonly #failures = new Map<string, number>();
  readonly #pending = new Set<unknown>();
  #closed = false;

  constructor(options: BackoffOptions, timers: Timers, run: (key: string) => void) {
    this.#firstMs = options.firstDelayMs ?? 1_000;
    this.#maxMs = options.maxDelayMs ?? 60_000;
    this.#timers = timers;
    this.#run = run;
  }

  /** the conversation drained: its next failure starts the back-off again */
  succeeded(key: string): void {
    this.#failures.delete(key);
  }

  /** the conversation's drain failed: it is looked at again after a longer delay than last time */
  failed(key: string): { failures: number; retryInMs: number } {
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const retryInMs = Math.min(this.#firstMs * 2 ** (failures - 1), this.#maxMs);
    this.after(key, retryInMs);
    return { failures, retryInMs };
  }

  after(key: string, ms: number): void {
    if (this.#closed) return;
    const handle = this.#timers.set(() => {
      this.#pending.delete(handle);
      this.#run(key);
    }, ms);
    this.#pending.add(handle);
  }

  close(): void {
    this.#closed = true;
    for (const handle of this.#pending) this.#timers.clear(handle);
    this.#pending.clear();
  }
}
