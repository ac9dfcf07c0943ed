import * as v from 'valibot';
import { LangSchema, type Lang } from '../../engine/catalog.ts';
import type { EngineEvent, ShopperEvent, SystemEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import type { Persisted } from '../../engine/index.ts';
import type { ConversationHead, InboxItem, StateBackend, StoredSnapshot, Turnstile } from '../../storage/state/types.ts';
import { conversationKey, parseConversationKey as parseAddress, type ConversationAddress } from './address.ts';
import type { RuntimePorts, TrackedEvent } from './ports.ts';
import { deliveredTurnRecords } from './records.ts';
import { encodeTurnRecords, RecordRelay, type RelayOptions } from './relay.ts';
import { admitMessage, calmReply } from './messageRate.ts';
import { applyTimers, isUnavailable, runTurn, type TimerOp, type TurnResult } from './turn.ts';

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

type InboxPayload = { address: ConversationAddress; event: EngineEvent; system: boolean; lang?: Lang; acceptedAt?: number; testTraffic?: boolean };

/**
 * What the platform knows about a shopper's message beyond the message: `lang`, the language it
 * reports for the shopper (Telegram's language_code), only decides the language of a conversation
 * that does not exist yet; `testTraffic` marks staff talking to the bot (the playground, API
 * tokens), and with it the whole conversation, so analytics can keep it out of the shopper figures.
 */
export type AcceptHint = { lang?: Lang; testTraffic?: boolean };

const InboxPayloadSchema = v.object({
  address: v.object({ channel: v.picklist(['telegram', 'whatsapp', 'web']), city: v.string(), chatId: v.string() }),
  // the engine validates the event itself (and answers a bad one with a warning), so the inbox
  // only checks the envelope: one full schema pass per turn, not two
  event: v.looseObject({ type: v.string(), at: v.string() }),
  system: v.boolean(),
  lang: v.optional(LangSchema),
  acceptedAt: v.optional(v.number()),
  testTraffic: v.optional(v.boolean()),
});

/**
 * What is stored per conversation: the engine's snapshot plus the turn-commit bookkeeping. `out`
 * holds the replies of turn `last`; they still have to be sent exactly while inbox item `last` is
 * unacknowledged (the item is acknowledged only after sending). So one write per turn suffices:
 * when the next item is processed, a stale `out` is known to be delivered.
 */
type Stored = {
  p: Persisted;
  /** inbox id of the last committed turn */
  last?: string;
  /** replies, records and timer changes of turn `last` */
  out?: { replies: Reply[]; proactive: boolean; tracked: Pick<TrackedEvent, 'name' | 'props'>[]; timers?: TimerOp[]; at: string; rateLimited?: true };
  /** a conversation staff started (see `AcceptHint.testTraffic`): its later turns are test traffic too */
  test?: true;
};

/**
 * `latencyMs`: from the message being accepted into the inbox to its replies being sent.
 * `rateLimited`: the shopper was over the scenario's `limits.messagesPerMinute`; no turn ran.
 */
export type TurnReport = { conversationKey: string; messageId: string; replies: Reply[]; latencyMs: number | undefined; rateLimited?: true };

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
  async accept(address: ConversationAddress, messageId: string, event: ShopperEvent, hint: AcceptHint = {}): Promise<'accepted' | 'duplicate'> {
    return this.#enqueue(address, messageId, event, false, hint);
  }

  /** Something that happened around the shopper: a manager reply, a price drop, a timer. */
  async deliver(address: ConversationAddress, messageId: string, event: SystemEvent): Promise<'accepted' | 'duplicate'> {
    return this.#enqueue(address, messageId, event, true, {});
  }

  /** Accept and wait for that message's replies (the web chat answers in the HTTP response). */
  async converse(address: ConversationAddress, messageId: string, event: ShopperEvent, hint: AcceptHint = {}): Promise<Reply[] | 'duplicate'> {
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
      const parsed = parseTimerPayload(timer.payload);
      if (!parsed) return;
      const address = parseAddress(parsed.conversationKey);
      if (!address) return;
      await this.deliver(address, `timer:${timer.id}:${timer.dueAt.toISOString()}`, {
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

  async #enqueue(address: ConversationAddress, messageId: string, event: EngineEvent, system: boolean, hint: AcceptHint) {
    const key = conversationKey(address);
    const payload: InboxPayload = { address, event, system, ...(hint.lang ? { lang: hint.lang } : {}), acceptedAt: Date.now(), ...(hint.testTraffic ? { testTraffic: true } : {}) };
    const item = { id: messageId, payload: JSON.stringify(payload) };
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
        this.#ports.log.error({ conversationKey: key, err: describe(error), failures, retryInMs: delay }, 'conversation drain failed; will retry');
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
    // a short lock, kept alive while this process works: a crashed process blocks its
    // conversations for one TTL at most, a slow OCR or model call never loses the lock
    let lost = false;
    const heartbeat = setInterval(() => {
      gate.lease.extend(this.#opts.lockTtlMs).then((ok) => { if (!ok) lost = true; }, () => undefined);
    }, Math.max(250, Math.floor(this.#opts.lockTtlMs / 3)));
    heartbeat.unref?.();
    let head: ConversationHead = gate;
    let released = false;
    try {
      while (head.item && !lost) {
        const item = head.item;
        const { record, learning } = await this.#process(key, item, head.snapshot);
        const [next] = await Promise.all([gate.advance(item.id, record), learning]);
        if (record !== undefined) this.#relay.kick();
        released = next.released;
        head = next;
      }
    } finally {
      clearInterval(heartbeat);
      if (!released) await gate.lease.release().catch(() => false);
    }
  }

  /** Runs (or resumes the delivery of) one inbox item; the caller acknowledges it with `record`. */
  async #process(key: string, item: InboxItem, snapshot: StoredSnapshot | undefined): Promise<{ record?: string; learning?: Promise<void> }> {
    const parsed = v.safeParse(InboxPayloadSchema, safeJson(item.payload));
    if (!parsed.success) {
      this.#ports.log.error({ conversationKey: key, messageId: item.id }, 'unreadable inbox item dropped');
      return {};
    }
    const { address, event, system, lang, acceptedAt, testTraffic } = parsed.output as unknown as InboxPayload;

    let stored = readStored(snapshot?.data);
    let timersApplied = false;
    const version = snapshot?.version ?? 0;

    if (stored?.last !== item.id) {
      const attempts = (this.#attempts.get(item.id) ?? 0) + 1;
      this.#attempts.set(item.id, attempts);
      if (attempts > this.#opts.maxAttempts) {
        this.#ports.log.error({ conversationKey: key, messageId: item.id, attempts }, 'message dropped after repeated failures');
        this.#attempts.delete(item.id);
        return {};
      }
      const scenario = await this.#ports.scenarios.forConversation(address);
      const admission = system ? 'turn' : await admitMessage(this.#state.rateLimiter, key, scenario.limits.messagesPerMinute);
      const previous = stored?.p;
      // over the limit: recorded below like any message, the conversation itself untouched; a
      // conversation with no state yet gets its turn whatever the count (it starts the conversation)
      const limited = admission !== 'turn' && previous !== undefined;
      let turn: TurnResult;
      if (limited) {
        turn = { persisted: previous, replies: admission === 'calm reply' ? [calmReply(scenario, previous)] : [], tracked: [], timers: [], warnings: [] };
      } else {
        turn = await runTurn(this.#ports, {
          address,
          conversationKey: key,
          scenario,
          persisted: previous,
          event,
          idempotencyKey: `${key}|${item.id}`,
          ...(lang ? { lang } : {}),
        });
      }
      for (const warning of turn.warnings) this.#ports.log.warn({ conversationKey: key, messageId: item.id }, warning);
      // only what cannot be derived again is stored: the message log is rebuilt from the event
      const tracked = turn.tracked.map(({ name, props }) => (props ? { name, props } : { name }));
      const timers = turn.timers.length > 0 ? { timers: turn.timers } : {};
      const test = testTraffic || stored?.test ? { test: true as const } : {};
      stored = { p: turn.persisted, last: item.id, out: { replies: turn.replies, proactive: system, tracked, ...timers, at: this.#ports.clock().toISOString(), ...(limited ? { rateLimited: true } : {}) }, ...test };
      // timer changes go out alongside the commit (one pipelined round trip, off the reply's
      // path); if they fail after the commit succeeded, the delivery below applies them again
      const [written, applied] = await Promise.all([
        this.#state.snapshots.write(key, JSON.stringify(stored), version, this.#opts.snapshotTtlSeconds),
        applyTimers(this.#state.timers, key, turn.timers).then(
          () => true,
          () => false,
        ),
      ]);
      if (!written.ok) throw new Error(`snapshot of ${key} changed under the lock (version ${written.currentVersion})`);
      timersApplied = applied;
      this.#attempts.delete(item.id);
    }

    let record: string | undefined;
    let learning: Promise<void> | undefined;
    if (stored.out && stored.last === item.id) {
      const { replies, proactive } = stored.out;
      const at = stored.out.at ? new Date(stored.out.at) : this.#ports.clock();
      const { tracked } = stored.out;
      if (stored.out.timers && !timersApplied) {
        // a delivery retried after a failure or a crash: the timers may not have been applied
        await applyTimers(this.#state.timers, key, stored.out.timers).catch((error: unknown) => {
          if (isUnavailable(error)) throw error;
          this.#ports.log.error({ conversationKey: key, messageId: item.id, err: describe(error) }, 'timer changes of a turn dropped');
        });
      }
      const channel = this.#ports.channels[address.channel];
      const lang = stored.p?.snapshot.context.lang;
      if (replies.length > 0 && channel) await channel.send(address, replies, { proactive, messageId: item.id, ...(lang ? { lang } : {}) });
      // preferences are soft state, learned alongside the acknowledgement (their Redis commands
      // share its round trip) rather than before it
      learning = Promise.all(tracked.map((t) => this.#ports.profiles?.learn(key, address.city, { name: t.name, props: t.props }))).then(
        () => undefined,
        (error: unknown) => this.#ports.log.warn({ conversationKey: key, err: describe(error) }, 'learning preferences from a turn failed'),
      );
      const latencyMs = acceptedAt === undefined ? undefined : Date.now() - acceptedAt;
      // the message log and analytics travel with the acknowledgement (one atomic step), so a
      // crash can neither lose them nor write them twice; the relay copies them to the database
      record = encodeTurnRecords(deliveredTurnRecords({
        key: `${key}|${item.id}`, conversationKey: key, address, event, system, replies, tracked, at,
        ...(latencyMs !== undefined && !system ? { responseMs: latencyMs } : {}),
        testTraffic: stored.test === true,
      }));
      const waiter = this.#waiters.get(`${key}|${item.id}`);
      if (waiter) {
        this.#waiters.delete(`${key}|${item.id}`);
        waiter(replies);
      }
      const limited = stored.out.rateLimited ? { rateLimited: true as const } : {};
      for (const listener of this.#listeners) listener({ conversationKey: key, messageId: item.id, replies, latencyMs, ...limited });
    }
    return { ...(record !== undefined ? { record } : {}), ...(learning ? { learning } : {}) };
  }
}

function readStored(data: string | undefined): Stored | undefined {
  if (data === undefined) return undefined;
  const value = safeJson(data);
  if (value && typeof value === 'object' && 'p' in value) return value as Stored;
  // unknown shape: let the engine reset it (it reports a warning)
  return { p: value as Persisted };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseTimerPayload(payload: string): { conversationKey: string; timerId: string } | undefined {
  const value = safeJson(payload) as { conversationKey?: unknown; timerId?: unknown } | undefined;
  if (value && typeof value.conversationKey === 'string' && typeof value.timerId === 'string') {
    return { conversationKey: value.conversationKey, timerId: value.timerId };
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
