/**
 * How many times this process has tried something for each inbox item: to run its turn, or to
 * deliver its committed replies (counted apart, under `send:<id>`). A message whose turn fails
 * every time (a scenario that throws on it, a snapshot that cannot be written), or whose replies
 * can never be sent, would otherwise block its conversation for good: after `max` attempts it is
 * given up — dead-lettered with the last error remembered here.
 */
export class AttemptBudget {
  readonly #max: number;
  readonly #attempts = new Map<string, { attempts: number; lastError?: string }>();

  constructor(max: number) {
    this.#max = max;
  }

  /**
   * counts one more attempt at `itemId`; not allowed (and forgotten) once it has had its `max`,
   * with the error its last attempt failed with
   */
  begin(itemId: string): { allowed: boolean; attempts: number; lastError?: string } {
    const seen = this.#attempts.get(itemId);
    const attempts = (seen?.attempts ?? 0) + 1;
    if (attempts > this.#max) {
      this.#attempts.delete(itemId);
      return { allowed: false, attempts, ...(seen?.lastError ? { lastError: seen.lastError } : {}) };
    }
    this.#attempts.set(itemId, { attempts, ...(seen?.lastError ? { lastError: seen.lastError } : {}) });
    return { allowed: true, attempts };
  }

  /** the attempt at `itemId` failed with `error` (kept for its dead letter) */
  failed(itemId: string, error: string): void {
    const seen = this.#attempts.get(itemId);
    if (seen) seen.lastError = error;
  }

  /**
   * counts a failed attempt at `itemId` (for what is only counted when it fails: a delivery, whose
   * failures during a storage outage are not the channel's and not counted); `exhausted` once it
   * has had its `max`
   */
  fail(itemId: string, error: string): { attempts: number; exhausted: boolean } {
    const attempts = (this.#attempts.get(itemId)?.attempts ?? 0) + 1;
    this.#attempts.set(itemId, { attempts, lastError: error });
    return { attempts, exhausted: attempts >= this.#max };
  }

  /** `itemId` succeeded, or was given up for good */
  done(itemId: string): void {
    this.#attempts.delete(itemId);
  }
}
