import { memorySlots } from './slots.ts';
import {
  PermanentSendError,
  retryDelay,
  ruleFor,
  type DeadLetterHandler,
  type OutboundMessage,
  type ProactiveSendQueue,
  type Sender,
  type SendQueueOptions,
} from './types.ts';

type Entry = { message: OutboundMessage; attemptsMade: number; timer?: NodeJS.Timeout };

/**
 * In-process queue for the embedded server. Not persistent: messages still queued when the
 * process exits are lost (price alerts are re-found by the periodic sweep).
 */
export function memorySendQueue(options: SendQueueOptions = {}): ProactiveSendQueue {
  const attempts = options.attempts ?? 6;
  const dedupMs = (options.dedupSeconds ?? 24 * 3600) * 1000;
  const slots = memorySlots();
  const seen = new Map<string, number>();
  const waiting: Entry[] = [];
  const scheduled = new Set<Entry>();
  const inFlight = new Set<Promise<void>>();
  let sender: Sender | undefined;
  let deadLetter: DeadLetterHandler | undefined;

  const sweeper = setInterval(() => {
    const t = Date.now();
    for (const [id, until] of seen) if (until <= t) seen.delete(id);
    slots.sweep(60_000);
  }, 60_000);
  sweeper.unref();

  function schedule(entry: Entry, notBefore = 0) {
    if (!sender) {
      waiting.push(entry);
      return;
    }
    const arm = (delay: number) => {
      scheduled.add(entry);
      entry.timer = setTimeout(() => {
        scheduled.delete(entry);
        entry.timer = undefined;
        if (!sender) {
          waiting.push(entry);
          return;
        }
        const run = attempt(entry, sender).finally(() => inFlight.delete(run));
        inFlight.add(run);
      }, delay);
    };
    if (notBefore > 0) {
      // wait out the backoff first, then book a slot, so the booking reflects the real send time
      scheduled.add(entry);
      entry.timer = setTimeout(() => {
        scheduled.delete(entry);
        schedule(entry);
      }, notBefore);
      return;
    }
    arm(slots.reserve(entry.message.rateKey, ruleFor(options, entry.message.rateKey)));
  }

  async function attempt(entry: Entry, send: Sender) {
    entry.attemptsMade++;
    try {
      await send(entry.message, entry.attemptsMade);
    } catch (error) {
      if (!(error instanceof PermanentSendError) && entry.attemptsMade < attempts) {
        schedule(entry, retryDelay(options, entry.attemptsMade, error));
        return;
      }
      await Promise.resolve(deadLetter?.(entry.message, error, entry.attemptsMade)).catch(() => {});
    }
  }

  return {
    async enqueue(message) {
      const until = seen.get(message.id);
      if (until !== undefined && until > Date.now()) return 'duplicate';
      seen.set(message.id, Date.now() + dedupMs);
      schedule({ message: { ...message }, attemptsMade: 0 });
      return 'queued';
    },
    async start(send, onDeadLetter) {
      if (sender) throw new Error('send queue already started');
      sender = send;
      deadLetter = onDeadLetter;
      for (const entry of waiting.splice(0)) schedule(entry);
    },
    async stop() {
      sender = undefined;
      for (const entry of scheduled) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = undefined;
        waiting.push(entry);
      }
      scheduled.clear();
      await Promise.allSettled([...inFlight]);
    },
    async close() {
      await this.stop();
      clearInterval(sweeper);
    },
  };
}
