import type { DueTimer, TimerQueue } from '../../../storage/state/types.ts';

/** A TimerQueue on a virtual clock: timers fire when a test says time has passed. */
export class VirtualTimers implements TimerQueue {
  readonly #timers = new Map<string, { dueAt: Date; payload: string }>();
  #handler: ((timer: DueTimer) => Promise<void>) | undefined;

  async schedule(id: string, dueAt: Date, payload: string): Promise<void> {
    this.#timers.set(id, { dueAt, payload });
  }
  async cancel(id: string): Promise<void> {
    this.#timers.delete(id);
  }
  async start(handler: (timer: DueTimer) => Promise<void>): Promise<void> {
    this.#handler = handler;
  }
  async stop(): Promise<void> {
    this.#handler = undefined;
  }

  /** removes and returns the earliest timer due at or before `until` */
  takeDue(until: Date): DueTimer | undefined {
    let best: DueTimer | undefined;
    for (const [id, t] of this.#timers) {
      if (t.dueAt.getTime() <= until.getTime() && (!best || t.dueAt < best.dueAt))
        best = { id, payload: t.payload, dueAt: t.dueAt };
    }
    if (best) this.#timers.delete(best.id);
    return best;
  }

  async fire(timer: DueTimer): Promise<void> {
    await this.#handler?.(timer);
  }

  get size(): number {
    return this.#timers.size;
  }
}
