/**
 * How many times this process has tried to run the turn of each inbox item. A message whose turn
 * fails every time (a scenario that throws on it, a snapshot that cannot be written) would
 * otherwise block its conversation for good: after `max` attempts it is given up.
 */
export class AttemptBudget {
  readonly #max: number;
  readonly #attempts = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  /** counts one more attempt at `itemId`; false (and forgotten) once it has had its `max` */
  begin(itemId: string): { allowed: boolean; attempts: number } {
    const attempts = (this.#attempts.get(itemId) ?? 0) + 1;
    if (attempts > this.#max) {
      this.#attempts.delete(itemId);
      return { allowed: false, attempts };
    }
    this.#attempts.set(itemId, attempts);
    return { allowed: true, attempts };
  }

  /** the turn of `itemId` was committed */
  done(itemId: string): void {
    this.#attempts.delete(itemId);
  }
}
