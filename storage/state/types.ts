/**
 * Conversation-state primitives. Each has a Redis implementation (ioredis) for production and an
 * embedded one (in-process, durable parts in the embedded database) for `npm start` on a laptop.
 * One contract suite per interface runs against both.
 */

export type StoredSnapshot = { version: number; data: string };

export type CasResult = { ok: true; version: number } | { ok: false; currentVersion: number | undefined };

export interface SnapshotStore {
  read(key: string): Promise<StoredSnapshot | undefined>;
  /** compare-and-set: succeeds only when the stored version equals `expectedVersion` (0 = absent) */
  write(key: string, data: string, expectedVersion: number, ttlSeconds?: number): Promise<CasResult>;
  delete(key: string): Promise<void>;
  /**
   * compare-and-set of an existing snapshot that leaves its expiry as it is, for maintenance passes
   * (a category merge rewriting stored criteria); never creates, so `expectedVersion` is ≥ 1
   */
  replace(key: string, data: string, expectedVersion: number): Promise<CasResult>;
  /** the keys of the live snapshots, a page at a time, in no particular order (a key may repeat on Redis) */
  scan(pageSize?: number): AsyncIterable<string[]>;
}

export interface Lease {
  /** fencing token, strictly increasing per key */
  readonly token: number;
  /** true when the lease was still ours */
  release(): Promise<boolean>;
  extend(ttlMs: number): Promise<boolean>;
}

export interface ConversationLock {
  /** waits up to `waitMs` for the lock; undefined when it could not be had */
  acquire(key: string, ttlMs: number, waitMs: number): Promise<Lease | undefined>;
}

export interface IdempotencyStore {
  /** true the first time a key is claimed within its TTL; false for a duplicate */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

export type RateDecision = { allowed: boolean; remaining: number; resetMs: number };

export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
}

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
}

export type DueTimer = { id: string; payload: string; dueAt: Date };

export interface TimerQueue {
  /** same id replaces the earlier timer */
  schedule(id: string, dueAt: Date, payload: string): Promise<void>;
  cancel(id: string): Promise<void>;
  /** handler runs once per due timer (also for timers that fell due while the process was down) */
  start(handler: (timer: DueTimer) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Durable per-conversation inbox: an accepted message is never lost, even if the process dies
 * mid-turn; it is acknowledged only after its turn was committed.
 */
export type InboxItem = { id: string; payload: string };
export interface Inbox {
  /** 'duplicate' when this id was accepted before (webhook redelivery) */
  accept(conversationKey: string, item: InboxItem): Promise<'accepted' | 'duplicate'>;
  peek(conversationKey: string): Promise<InboxItem | undefined>;
  /**
   * `record`: what the committed turn leaves for the database (message log, analytics), appended
   * to the record outbox atomically with the acknowledgement — and only when this call is the one
   * that acknowledged the item, so a turn's records are queued exactly once.
   */
  ack(conversationKey: string, id: string, record?: string): Promise<void>;
  /** conversations with unacknowledged items, for recovery after a restart */
  pendingConversations(): Promise<string[]>;
}

/** What a conversation's turn loop works on next: the head of its inbox and its snapshot. */
export type ConversationHead = { item: InboxItem | undefined; snapshot: StoredSnapshot | undefined };

/**
 * The edges of a conversation's turn loop, each one step (one round trip on Redis): take the lock
 * and read the head; acknowledge and read the next head, releasing the lock when there is none.
 * Same semantics as ConversationLock, Inbox and SnapshotStore used one after another (the
 * snapshot's key is the conversation key).
 */
export interface TurnGate {
  /** waits up to `waitMs` for the conversation's lock; undefined when it could not be had */
  enter(conversationKey: string, ttlMs: number, waitMs: number): Promise<Turnstile | undefined>;
  /**
   * `Inbox.accept`, and when the item was new and the conversation's lock is free, `enter` in the
   * same step without waiting: a message to an idle conversation costs one round trip, not two.
   */
  acceptAndEnter(
    conversationKey: string,
    item: InboxItem,
    ttlMs: number,
  ): Promise<{ outcome: 'accepted' | 'duplicate'; turnstile?: Turnstile }>;
}

export interface Turnstile extends ConversationHead {
  readonly lease: Lease;
  /**
   * Acknowledges `id` (queuing `record` as `Inbox.ack` does) and reads the next head. When the
   * inbox is empty, the lock is released in the same step (`released: true`).
   */
  advance(id: string, record?: string): Promise<ConversationHead & { released: boolean }>;
}

export type OutboxEntry = { id: string; data: string };

/**
 * Turn records waiting to be copied to the database by a relay (any process). Delivery is
 * at least once: an entry taken but not marked done within `reclaimMs` (its relay died) is handed
 * out again, so the writer must be idempotent.
 */
export interface RecordOutbox {
  /** up to `max` entries, oldest first, that no live relay holds */
  take(max: number, reclaimMs: number): Promise<OutboxEntry[]>;
  /** the entries were written: remove them */
  done(ids: string[]): Promise<void>;
  /** entries not yet done (queue depth) */
  size(): Promise<number>;
}

export interface StateBackend {
  readonly kind: 'redis' | 'embedded';
  snapshots: SnapshotStore;
  locks: ConversationLock;
  idempotency: IdempotencyStore;
  rateLimiter: RateLimiter;
  pubsub: PubSub;
  timers: TimerQueue;
  inbox: Inbox;
  outbox: RecordOutbox;
  gate: TurnGate;
  close(): Promise<void>;
}
