import type { EngineEvent, ShopperEvent, SystemEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import type { StateBackend } from '../../storage/state/types.ts';
import { conversationKey, type ConversationAddress } from './address.ts';
import { Admission } from './admission.ts';
import { AttemptBudget } from './attempts.ts';
import { describeError, type TurnReport } from './commitAndDeliver.ts';
import { drainConversation, type DrainContext } from './drain.ts';
import type { RuntimePorts } from './ports.ts';
import { RecordRelay, type RelayOptions } from './relay.ts';
import { realTimers, RetryLater, type BackoffOptions, type Timers } from './retry.ts';
import { newInboxItem, readTimerPayload, type AcceptHint } from './stored.ts';

export type { AcceptHint, TurnReport };

/**
 * The only place a turn runs, put together here from its parts. Admission (admission.ts): a
 * message is made durable in its conversation's inbox (so an acknowledged webhook is never lost,
 * and a redelivered one is a duplicate) and its conversation waits for a turn slot. The drain
 * (drain.ts) works through the inbox one item at a time under a cross-process lock: the turn
 * (turn.ts, the engine's effect loop), then commit and deliver (commitAndDeliver.ts: snapshot and
 * replies in one compare-and-set write, send, acknowledgement with the turn's records, which the
 * relay copies to the database). A committed turn remembers the inbox id it answered and the
 * replies it still has to send, so a crash between commit and send neither repeats the turn nor
 * drops the replies. A failed drain is retried with back-off (retry.ts); a message whose turn
 * fails `maxAttempts` times, or whose replies fail to send that often (or are refused for good),
 * is given up as a dead letter (attempts.ts, deadLetter.ts) and the conversation goes on.
 */

export type RuntimeOptions = {
  snapshotTtlSeconds?: number;
  lockTtlMs?: number;
  lockWaitMs?: number;
  /**
   * attempts before a message whose turn keeps failing, or a turn whose replies keep failing to
   * send, is given up: dead-lettered for admins (default 5)
   */
  maxAttempts?: number;
  /**
   * Conversations this process runs turns for at once (default 64). Beyond it messages are still
   * accepted into the inbox, and their conversations wait here for a free slot in arrival order:
   * an overloaded process works through its backlog at full speed instead of starting thousands of
   * turns that queue for database connections, time out and are retried.
   */
  maxConcurrentTurns?: number;
  relay?: RelayOptions;
  /** delays before a conversation whose drain failed is tried again */
  retry?: BackoffOptions;
  /** where those delays are kept (tests drive them by hand) */
  timers?: Timers;
};

export class ConversationRuntime {
  readonly #ports: RuntimePorts;
  readonly #state: StateBackend;
  readonly #relay: RecordRelay;
  readonly #retry: RetryLater;
  readonly #admission: Admission;
  readonly #waiters = new Map<string, (replies: Reply[]) => void>();
  readonly #listeners = new Set<(report: TurnReport) => void>();
  readonly #failureListeners = new Set<(conversationKey: string, error: unknown) => void>();

  constructor(ports: RuntimePorts, state: StateBackend, opts: RuntimeOptions = {}) {
    this.#ports = ports;
    this.#state = state;
    const lockTtlMs = opts.lockTtlMs ?? 15_000;
    this.#relay = new RecordRelay(state.outbox, ports.records, ports.log, opts.relay);
    this.#retry = new RetryLater(opts.retry ?? {}, opts.timers ?? realTimers, (key) => this.#admission.kick(key));
    const drain: DrainContext = {
      ports,
      state,
      opts: {
        lockTtlMs,
        lockWaitMs: opts.lockWaitMs ?? 2_000,
        snapshotTtlSeconds: opts.snapshotTtlSeconds ?? 60 * 60 * 24 * 30,
      },
      attempts: new AttemptBudget(opts.maxAttempts ?? 5),
      lookAgain: (key, ms) => this.#retry.after(key, ms),
      recorded: () => this.#relay.kick(),
      answered: (report) => this.#answered(report),
      gaveUp: (key, messageId, replies) => this.#resolveWaiter(key, messageId, replies),
    };
    this.#admission = new Admission(
      state,
      { lockTtlMs, maxConcurrentTurns: Math.max(1, opts.maxConcurrentTurns ?? 64) },
      (key, entered) => drainConversation(drain, key, entered),
      { drained: (key) => this.#retry.succeeded(key), failed: (key, error) => this.#drainFailed(key, error) },
    );
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

  /**
   * Accept and wait for that message's replies (the web chat answers in the HTTP response); none
   * but the calm `messageFailed` text when the message is given up after repeated failures.
   */
  async converse(
    address: ConversationAddress,
    messageId: string,
    event: ShopperEvent,
    hint: AcceptHint = {},
  ): Promise<Reply[] | 'duplicate'> {
    const waiterKey = `${conversationKey(address)}|${messageId}`;
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
    for (const key of keys) this.#admission.kick(key);
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
    return this.#admission.waiting();
  }

  /** Resolves when no conversation is being processed and their records are written. */
  async idle(): Promise<void> {
    await this.#admission.idle();
    await this.#relay.flush();
  }

  async close(): Promise<void> {
    this.#admission.close();
    this.#retry.close();
    await this.idle();
    await this.#relay.close();
  }

  async #enqueue(
    address: ConversationAddress,
    messageId: string,
    event: EngineEvent,
    system: boolean,
    hint: AcceptHint,
  ): Promise<'accepted' | 'duplicate'> {
    return this.#admission.accept(conversationKey(address), newInboxItem(address, messageId, event, system, hint));
  }

  #drainFailed(key: string, error: unknown): void {
    for (const listener of this.#failureListeners) listener(key, error);
    const { failures, retryInMs } = this.#retry.failed(key);
    this.#ports.log.error(
      { conversationKey: key, err: describeError(error), failures, retryInMs },
      'conversation drain failed; will retry',
    );
  }

  #answered(report: TurnReport): void {
    this.#resolveWaiter(report.conversationKey, report.messageId, report.replies);
    for (const listener of this.#listeners) listener(report);
  }

  #resolveWaiter(key: string, messageId: string, replies: Reply[]): void {
    const waiter = this.#waiters.get(`${key}|${messageId}`);
    if (!waiter) return;
    this.#waiters.delete(`${key}|${messageId}`);
    waiter(replies);
  }
}
