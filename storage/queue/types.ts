/**
 * Outbound messages nobody is waiting for (price alerts, manager replies): queued, sent within a
 * per-key rate limit (WhatsApp: ~80 messages/s per phone number id), retried with backoff.
 */
export type OutboundMessage = {
  /** the same id is sent at most once within the dedup period (e.g. `alert:42:drop:7`) */
  id: string;
  /** the rate-limit bucket, e.g. `whatsapp:<phone number id>` or `telegram:<bot id>` */
  rateKey: string;
  /** channel-specific, opaque to the queue (usually JSON) */
  payload: string;
};

/** `attempt` starts at 1 */
export type Sender = (message: OutboundMessage, attempt: number) => Promise<void>;

export type DeadLetterHandler = (message: OutboundMessage, error: unknown, attempts: number) => void | Promise<void>;

export type RateRule = { limit: number; windowMs: number };

export type SendQueueOptions = {
  /** per rate key; default 80 per 1000 ms */
  rate?: RateRule | ((rateKey: string) => RateRule);
  /** total tries per message, default 6 */
  attempts?: number;
  /** first retry delay, doubling per try, default 1000 ms */
  backoffMs?: number;
  /** how long an id stays a duplicate, default 24 h */
  dedupSeconds?: number;
};

export interface ProactiveSendQueue {
  enqueue(message: OutboundMessage): Promise<'queued' | 'duplicate'>;
  /** begins sending; messages enqueued earlier (or, with Redis, by other processes) go out too */
  start(send: Sender, onDeadLetter?: DeadLetterHandler): Promise<void>;
  /** stops sending after the sends in flight; queued messages wait for the next start */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by a sender for a failure that retrying cannot fix (blocked user, invalid number). */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
}

/** Thrown by a sender that was told when to come back (HTTP 429 Retry-After). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly retryAfterMs: number,
    message = `retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}

export const DEFAULT_RATE: RateRule = { limit: 80, windowMs: 1_000 };

export function ruleFor(options: SendQueueOptions, rateKey: string): RateRule {
  const rate = options.rate ?? DEFAULT_RATE;
  return typeof rate === 'function' ? rate(rateKey) : rate;
}

export function retryDelay(options: SendQueueOptions, attemptsMade: number, error: unknown): number {
  if (error instanceof RetryLaterError) return Math.max(0, error.retryAfterMs);
  const base = options.backoffMs ?? 1_000;
  return Math.min(base * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
}
