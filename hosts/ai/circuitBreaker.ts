/**
 * A circuit breaker so a dead provider costs nothing: after `failureThreshold` consecutive
 * failures it opens for `openMs` and every call is skipped locally; then one probe goes through
 * (half-open) — success closes it, failure opens it again.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export type CircuitBreakerOptions = {
  failureThreshold?: number;
  openMs?: number;
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
};

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private readonly onStateChange: ((state: BreakerState) => void) | undefined;
  private failures = 0;
  private openedAt: number | null = null;
  private probeInFlight = false;

  constructor(opts: CircuitBreakerOptions = {}) {
    this.threshold = Math.max(1, opts.failureThreshold ?? 5);
    this.openMs = Math.max(0, opts.openMs ?? 30_000);
    this.now = opts.now ?? Date.now;
    this.onStateChange = opts.onStateChange;
  }

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half_open' : 'open';
  }

  /** May a call go out now? In half-open only one probe at a time is let through. */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    const wasOpen = this.openedAt !== null;
    this.failures = 0;
    this.openedAt = null;
    this.probeInFlight = false;
    if (wasOpen) this.onStateChange?.('closed');
  }

  onFailure(): void {
    this.failures += 1;
    const probeFailed = this.probeInFlight;
    this.probeInFlight = false;
    if (probeFailed || (this.openedAt === null && this.failures >= this.threshold)) {
      this.openedAt = this.now();
      this.onStateChange?.('open');
    }
  }
}
