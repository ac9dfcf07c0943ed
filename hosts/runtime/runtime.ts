import type { EngineEvent, ShopperEvent, SystemEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import type {
  ConversationHead,
  InboxItem,
  StateBackend,
  StoredSnapshot,
  Turnstile,
} from '../../storage/state/types.ts';
import { conversationKey, type ConversationAddress } from './address.ts';
import { commitTurn, deliverTurn, describeError, type TurnReport } from './commitAndDeliver.ts';
import type { RuntimePorts } from './ports.ts';
import { RecordRelay, type RelayOptions } from './relay.ts';
import { keepLeaseAlive } from './lease.ts';
import { newInboxItem, readInboxPayload, readStored, readTimerPayload, type AcceptHint } from './stored.ts';

export type { AcceptHint, TurnReport };

/**
 * The only place a turn runs. Inbound messages are first made durable in the conversation's
 * inbox (so an acknowledged webhook is never lost), then drained one at a time per conversation
 * under a cross-process lock. A committed turn remembers the inbox id it answered and the replies
 * it still has to send, so a crash between commit and send neither repeats the turn nor drops
 * the replies.
 */

export type RuntimeOptions = {
  snapshotTtlSeconds?: number;
  lockTtlMs?: number;
  lockWaitMs?: number;
  /** attempts before a message that keeps failing is dropped with an apology in the log */
  maxAttempts?: number;
  /**
   * Conversations this process runs turns for at once (default 64). Beyond it messages are still
   * accepted into the inbox, and their conversations wait here for a free slot in arrival order:
   * an overloaded process works through its backlog at full speed instead of starting thousands of
   * turns that queue for database connections, time out and are retried.
   */
  maxConcurrentTurns?: number;
  relay?: RelayOptions;
};

export class ConversationRuntime {
  readonly #ports: RuntimePorts;
  readonly #state: StateBackend;
  readonly #opts: Required<Omit<RuntimeOptions, 'relay'>>;
  readonly #relay: RecordRelay;
  readonly #draining = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  /** conversations with accepted messages waiting for a turn slot, in arrival order */
  readonly #waiting = new Set<string>();
  /** slots taken by messages being accepted and entered in one step, whose turn starts next */
  #admitting = 0;
  readonly #attempts = new Map<string, number>();
  /** consecutive failed drains per conversation, for the retry back-off */
  readonly #failures = new Map<string, number>();
  readonly #waiters = new Map<string, (replies: Reply[]) => void>();
  readonly #listeners = new Set<(report: TurnReport) => void>();
  readonly #failureListeners = new Set<(conversationKey: string, error: unknown) => void>();
  #retryTimers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(ports: RuntimePorts, state: StateBackend, opts: RuntimeOptions = {}) {
    this.#ports = ports;
    this.#state = state;
    this.#opts = {
      snapshotTtlSeconds: opts.snapshotTtlSeconds ?? 60 * 60 * 24 * 30,
      lockTtlMs: opts.lockTtlMs ?? 15_000,
      lockWaitMs: opts.lockWaitMs ?? 2_000,
      maxAttempts: opts.maxAttempts ?? 5,
      maxConcurrentTurns: Math.max(1, opts.maxConcurrentTurns ?? 64),
    };
    this.#relay = new RecordRelay(state.outbox, ports.records, ports.log, opts.relay);
  }

  /** A shopper's message. 'duplicate' when this message id was accepted before. */
  async accept(
    address: ConversationAddress,
    messageId: string,
    event: ShopperEvent,
    hint: AcceptHint = {},
  ): Promise<'accepted' | 'duplicate'> {
    return this.#enqueue(address, messageId, event, false, hint);
  }

  /** Something that happened around the shopper: a manager reply, a price drop, a timer. */
  async deliver(
    address: ConversationAddress,
    messageId: string,
    event: SystemEvent,
  ): Promise<'accepted' | 'duplicate'> {
    return this.#enqueue(address, messageId, event, true, {});
  }

  /** Accept and wait for that message's replies (the web chat answers in the HTTP response). */
  async converse(
    address: ConversationAddress,
    messageId: string,
    event: ShopperEvent,
    hint: AcceptHint = {},
  ): Promise<Reply[] | 'duplicate'> {
    const key = conversationKey(address);
    const waiterKey = `${key}|${messageId}`;
    const replies = new Promise<Reply[]>((resolve) => this.#waiters.set(waiterKey, resolve));
    const outcome = await this.accept(address, messageId, event, hint);
    if (outcome === 'duplicate') {
      this.#waiters.delete(waiterKey);
      return 'duplicate';
    }
    return replies;
  }

  /** Called when a conversation's turn failed and will be retried (metrics). */
  onFailure(listener: (conversationKey: string, error: unknown) => void): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /** Called after every committed turn (metrics, tests, the admin inbox's live view). */
  onTurn(listener: (report: TurnReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resume conversations whose messages were accepted but not answered (after a restart), and relay records left in the outbox. */
  async recover(): Promise<number> {
    // records a dead process acknowledged but did not get to write
    this.#relay.start();
    const keys = await this.#state.inbox.pendingConversations();
    for (const key of keys) this.#kick(key);
    return keys.length;
  }

  /** Timers fire through the inbox too, so they are ordered with the shopper's messages. */
  async startTimers(): Promise<void> {
    await this.#state.timers.start(async (timer) => {
      const parsed = readTimerPayload(timer.payload);
      if (!parsed) return;
      await this.deliver(parsed.address, `timer:${timer.id}:${timer.dueAt.toISOString()}`, {
        type: 'timer.fired',
        timerId: parsed.timerId,
        at: this.#ports.clock().toISOString(),
      });
    });
  }

  /** Turn records acknowledged but not yet written to the database (queue depth). */
  async pendingRecords(): Promise<number> {
    return this.#state.outbox.size();
  }

  /** Conversations with accepted but unanswered messages (queue depth). */
  async pendingConversations(): Promise<number> {
    return (await this.#state.inbox.pendingConversations()).length;
  }

  /** Conversations waiting in this process for a turn slot (see `maxConcurrentTurns`). */
  waitingConversations(): number {
    return this.#waiting.size;
  }

  /** Resolves when no conversation is being processed and their records are written. */
  async idle(): Promise<void> {
    while (this.#draining.size > 0) await Promise.allSettled([...this.#draining.values()]);
    await this.#relay.flush();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#retryTimers) clearTimeout(t);
    await this.idle();
    await this.#relay.close();
  }

  async #enqueue(
    address: ConversationAddress,
    messageId: string,
    event: EngineEvent,
    system: boolean,
    hint: AcceptHint,
  ) {
    const key = conversationKey(address);
    const item = newInboxItem(address, messageId, event, system, hint);
    if (this.#closed || this.#draining.has(key) || this.#busy()) {
      // this process is already on the conversation, or has no turn slot free: the message waits
      // in the inbox behind the current turn or for a slot
      const outcome = await this.#state.inbox.accept(key, item);
      if (outcome === 'accepted') this.#kick(key);
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
    if (entered.outcome === 'accepted') this.#kick(key, entered.turnstile);
    // a duplicate, or a conversation another drain took meanwhile, hands its slot on
    this.#admitWaiting();
    return entered.outcome;
  }

  #busy(): boolean {
    return this.#draining.size + this.#admitting >= this.#opts.maxConcurrentTurns;
  }

  #kick(key: string, entered?: Turnstile): void {
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
      .then(() => {
        this.#failures.delete(key);
      })
      .catch((error: unknown) => {
        for (const listener of this.#failureListeners) listener(key, error);
        const failures = (this.#failures.get(key) ?? 0) + 1;
        this.#failures.set(key, failures);
        const delay = Math.min(1_000 * 2 ** (failures - 1), 60_000);
        this.#ports.log.error(
          { conversationKey: key, err: describeError(error), failures, retryInMs: delay },
          'conversation drain failed; will retry',
        );
        this.#retryLater(key, delay);
      })
      .finally(() => {
        this.#draining.delete(key);
        if (this.#again.delete(key)) this.#kick(key);
        this.#admitWaiting();
      });
    this.#draining.set(key, run);
  }

  #admitWaiting(): void {
    for (const key of this.#waiting) {
      if (this.#closed || this.#busy()) return;
      this.#kick(key);
    }
  }

  #retryLater(key: string, ms: number) {
    if (this.#closed) return;
    const t = setTimeout(() => {
      this.#retryTimers.delete(t);
      this.#kick(key);
    }, ms);
    t.unref?.();
    this.#retryTimers.add(t);
  }

  async #drain(key: string, entered?: Turnstile): Promise<void> {
    // lock, head of the inbox and snapshot in one step (or already taken with the message); each
    // acknowledgement reads the next head and, when there is none, releases the lock in the same step
    const gate = entered ?? (await this.#state.gate.enter(key, this.#opts.lockTtlMs, this.#opts.lockWaitMs));
    if (!gate) {
      // another process holds this conversation; it drains the inbox. Look again later in case it died.
      this.#retryLater(key, this.#opts.lockWaitMs);
      return;
    }
    const lease = keepLeaseAlive(gate.lease, this.#opts.lockTtlMs);
    let head: ConversationHead = gate;
    let released = false;
    try {
      while (head.item && !lease.lost()) {
        const item = head.item;
        const { record, learning } = await this.#process(key, item, head.snapshot);
        const [next] = await Promise.all([gate.advance(item.id, record), learning]);
        if (record !== undefined) this.#relay.kick();
        released = next.released;
        head = next;
      }
    } finally {
      lease.stop();
      if (!released) await gate.lease.release().catch(() => false);
    }
  }

  /** Runs (or resumes the delivery of) one inbox item; the caller acknowledges it with `record`. */
  async #process(
    key: string,
    item: InboxItem,
    snapshot: StoredSnapshot | undefined,
  ): Promise<{ record?: string; learning?: Promise<void> }> {
    const payload = readInboxPayload(item.payload);
    if (!payload) {
      this.#ports.log.error({ conversationKey: key, messageId: item.id }, 'unreadable inbox item dropped');
      return {};
    }
    const turn = { ports: this.#ports, state: this.#state, key, item, payload };
    let stored = readStored(snapshot?.data);
    let timersApplied = false;

    if (stored?.last !== item.id) {
      const attempts = (this.#attempts.get(item.id) ?? 0) + 1;
      this.#attempts.set(item.id, attempts);
      if (attempts > this.#opts.maxAttempts) {
        this.#ports.log.error(
          { conversationKey: key, messageId: item.id, attempts },
          'message dropped after repeated failures',
        );
        this.#attempts.delete(item.id);
        return {};
      }
      ({ stored, timersApplied } = await commitTurn(
        turn,
        stored,
        snapshot?.version ?? 0,
        this.#opts.snapshotTtlSeconds,
      ));
      this.#attempts.delete(item.id);
    }

    if (!stored.out || stored.last !== item.id) return {};
    const { record, learning, report } = await deliverTurn(turn, { ...stored, out: stored.out }, timersApplied);
    const waiter = this.#waiters.get(`${key}|${item.id}`);
    if (waiter) {
      this.#waiters.delete(`${key}|${item.id}`);
      waiter(report.replies);
    }
    for (const listener of this.#listeners) listener(report);
    return { ...(record !== undefined ? { record } : {}), learning };
  }
}
