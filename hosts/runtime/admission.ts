import type { InboxItem, StateBackend, Turnstile } from '../../storage/state/types.ts';

/**
 * Admission: a message is first made durable in its conversation's inbox (a message id seen before
 * is a duplicate), then its conversation gets a turn slot. One drain per conversation at a time in
 * this process; at most `maxConcurrentTurns` conversations at once, the others waiting here in
 * arrival order. A message to an idle conversation is accepted and its conversation entered in one
 * step; the turns themselves are the drain's business.
 */

/** works through a conversation's inbox; `entered` when its lock was taken with the message */
export type Drain = (key: string, entered?: Turnstile) => Promise<void>;

export type AdmissionOptions = {
  lockTtlMs: number;
  maxConcurrentTurns: number;
};

export type DrainOutcome = {
  drained(key: string): void;
  failed(key: string, error: unknown): void;
};

export class Admission {
  readonly #state: Pick<StateBackend, 'inbox' | 'gate'>;
  readonly #opts: AdmissionOptions;
  readonly #drain: Drain;
  readonly #outcome: DrainOutcome;
  readonly #draining = new Map<string, Promise<void>>();
  /** conversations that got a message while being drained: drained once more when it ends */
  readonly #again = new Set<string>();
  /** conversations with accepted messages waiting for a turn slot, in arrival order */
  readonly #waiting = new Set<string>();
  /** slots taken by messages being accepted and entered in one step, whose turn starts next */
  #admitting = 0;
  #closed = false;

  constructor(
    state: Pick<StateBackend, 'inbox' | 'gate'>,
    opts: AdmissionOptions,
    drain: Drain,
    outcome: DrainOutcome,
  ) {
    this.#state = state;
    this.#opts = opts;
    this.#drain = drain;
    this.#outcome = outcome;
  }

  async accept(key: string, item: InboxItem): Promise<'accepted' | 'duplicate'> {
    if (this.#closed || this.#draining.has(key) || this.#busy()) {
      // this process is already on the conversation, or has no turn slot free: the message waits
      // in the inbox behind the current turn or for a slot
      const outcome = await this.#state.inbox.accept(key, item);
      if (outcome === 'accepted') this.kick(key);
      return outcome;
    }
    // the usual case, a message to an idle conversation: accepted and entered in one step
    this.#admitting++;
    let entered;
    try {
      entered = await this.#state.gate.acceptAndEnter(key, item, this.#opts.lockTtlMs);
    } catch (error) {
      this.#admitting--;
      this.#admitWaiting();
      throw error;
    }
    this.#admitting--;
    if (entered.outcome === 'accepted') this.kick(key, entered.turnstile);
    // a duplicate, or a conversation another drain took meanwhile, hands its slot on
    this.#admitWaiting();
    return entered.outcome;
  }

  /** Drains the conversation now if it has a slot (or already holds its lock), else queues it for one. */
  kick(key: string, entered?: Turnstile): void {
    if (this.#closed || this.#draining.has(key)) {
      // another drain of this conversation started meanwhile; it reads the inbox to the end
      this.#waiting.delete(key);
      if (entered) void entered.lease.release().catch(() => false);
      if (!this.#closed) this.#again.add(key);
      return;
    }
    // a conversation already entered holds its lock and the slot it was admitted with; any other
    // waits for a slot
    if (!entered && this.#busy()) {
      this.#waiting.add(key);
      return;
    }
    this.#waiting.delete(key);
    const run = this.#drain(key, entered)
      .then(
        () => this.#outcome.drained(key),
        (error: unknown) => this.#outcome.failed(key, error),
      )
      .finally(() => {
        this.#draining.delete(key);
        if (this.#again.delete(key)) this.kick(key);
        this.#admitWaiting();
      });
    this.#draining.set(key, run);
  }

  /** Conversations waiting in this process for a turn slot. */
  waiting(): number {
    return this.#waiting.size;
  }

  /** Resolves when no conversation is being drained. */
  async idle(): Promise<void> {
    while (this.#draining.size > 0) await Promise.allSettled([...this.#draining.values()]);
  }

  /** No drain starts from now on; accepted messages stay in the inbox for the next start. */
  close(): void {
    this.#closed = true;
  }

  #busy(): boolean {
    return this.#draining.size + this.#admitting >= this.#opts.maxConcurrentTurns;
  }

  #admitWaiting(): void {
    for (const key of this.#waiting) {
      if (this.#closed || this.#busy()) return;
      this.kick(key);
    }
  }
}
