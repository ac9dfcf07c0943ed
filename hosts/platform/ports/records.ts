import { recordEvents, type NewAnalyticsEvent } from '../../../storage/repos/analytics.ts';
import type { Db } from '../../../storage/repos/common.ts';
import { recordDeadLetters } from '../../../storage/repos/deadLetters.ts';
import { recordLeads } from '../../../storage/repos/leads.ts';
import { recordMessages } from '../../../storage/repos/messages.ts';
import type { AnalyticsPort, Logger, RecordPort, TrackedEvent } from '../../runtime/ports.ts';
import type { CityDirectory } from '../cities.ts';

/**
 * Analytics events outside turns are written in batches: one multi-row INSERT per flush
 * instead of one round trip per event keeps a busy bot's turn off the database's critical path.
 * A failed flush is retried with the next one; `close()` flushes what is left.
 */
export class BatchWriter<T> {
  #items: T[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #write: (items: T[]) => Promise<void>;
  readonly #maxItems: number;
  readonly #maxDelayMs: number;
  readonly #maxBuffered: number;
  readonly #log: Logger;
  readonly #name: string;

  constructor(opts: {
    name: string;
    write: (items: T[]) => Promise<void>;
    log: Logger;
    maxItems?: number;
    maxDelayMs?: number;
    maxBuffered?: number;
  }) {
    this.#name = opts.name;
    this.#write = opts.write;
    this.#log = opts.log;
    this.#maxItems = opts.maxItems ?? 500;
    this.#maxDelayMs = opts.maxDelayMs ?? 100;
    this.#maxBuffered = opts.maxBuffered ?? 100_000;
  }

  get pending(): number {
    return this.#items.length;
  }

  add(items: readonly T[]): void {
    if (items.length === 0) return;
    this.#items.push(...items);
    if (this.#items.length > this.#maxBuffered) {
      const dropped = this.#items.length - this.#maxBuffered;
      this.#items.splice(0, dropped);
      this.#log.error({ writer: this.#name, dropped }, 'record buffer overflow: the database is not keeping up');
    }
    if (this.#items.length >= this.#maxItems) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#maxDelayMs);
  }

  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushing = this.#flushing.then(async () => {
      while (this.#items.length > 0) {
        const batch = this.#items.splice(0, this.#maxItems);
        try {
          await this.#write(batch);
        } catch (error) {
          this.#items.unshift(...batch);
          this.#log.warn(
            {
              writer: this.#name,
              pending: this.#items.length,
              err: error instanceof Error ? error.message : String(error),
            },
            'record flush failed; will retry',
          );
          this.#timer ??= setTimeout(() => void this.flush(), 1_000);
          return;
        }
      }
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
  }
}

export function recordWriters(db: Db, cities: CityDirectory, log: Logger) {
  const cityId = (slug: string) => cities.bySlug(slug)?.id ?? null;
  const eventRow = (e: TrackedEvent, recordKey?: string, test?: boolean): NewAnalyticsEvent => ({
    type: e.name,
    channel: e.address.channel,
    cityId: cityId(e.address.city),
    userId: e.address.chatId,
    conversationKey: e.conversationKey,
    metadata: e.props ?? {},
    at: e.at,
    ...(recordKey ? { recordKey } : {}),
    ...(test ? { test } : {}),
  });
  // events outside turns (webhook statuses): batched, best effort
  const analytics = new BatchWriter<TrackedEvent>({
    name: 'analytics',
    log,
    write: (events) =>
      recordEvents(
        db,
        events.map((e) => eventRow(e)),
      ),
  });
  const analyticsPort: AnalyticsPort = { track: async (event) => analytics.add([event]) };
  // turns' records arrive from the relay already batched and must be durable when this resolves;
  // keys (turn | position) make a repeated relay a no-op
  const recordPort: RecordPort = {
    async write(turns) {
      const messages = turns.flatMap((turn) =>
        turn.messages.map((m, i) => ({
          conversationKey: m.conversationKey,
          channel: m.address.channel,
          cityId: cityId(m.address.city),
          direction: m.direction,
          text: m.text.slice(0, 4_000),
          payload: m.payload ?? null,
          at: m.at,
          recordKey: `${turn.key}|m${i}`,
        })),
      );
      const events = turns.flatMap((turn) =>
        turn.tracked.map((e, i) => eventRow(e, `${turn.key}|e${i}`, turn.testTraffic)),
      );
      const leads = turns.flatMap((turn) =>
        (turn.leads ?? []).map((l, i) => ({
          recordKey: `${turn.key}|l${i}`,
          cityId: cityId(l.address.city),
          channel: l.address.channel,
          userId: l.address.chatId,
          conversationKey: l.conversationKey,
          flow: l.flow,
          slots: l.slots,
          history: l.history,
          at: l.at,
          ...(turn.testTraffic ? { test: true } : {}),
        })),
      );
      const deadLetters = turns.flatMap(({ key, deadLetter: d, testTraffic }) =>
        d
          ? [
              {
                recordKey: `${key}|dead`,
                kind: d.kind,
                cityId: cityId(d.address.city),
                city: d.address.city,
                channel: d.address.channel,
                userId: d.address.chatId,
                conversationKey: d.conversationKey,
                messageId: d.messageId,
                system: d.system,
                event: d.event,
                replies: d.replies,
                error: d.error,
                attempts: d.attempts,
                at: d.at,
                ...(testTraffic ? { test: true } : {}),
              },
            ]
          : [],
      );
      await Promise.all([
        recordMessages(db, messages),
        recordEvents(db, events),
        recordLeads(db, leads),
        recordDeadLetters(db, deadLetters),
      ]);
    },
  };
  return { analytics, analyticsPort, recordPort, close: () => analytics.close() };
}
