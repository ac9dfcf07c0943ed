import * as v from 'valibot';
import type { EngineEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import type { RecordOutbox } from '../../storage/state/types.ts';
import type { Logger, RecordPort, TurnRecords } from './ports.ts';
import { JsonEcho } from './jsonEcho.ts';
import { RecordedLeadSchema } from './leads.ts';

/**
 * Copies turn records from the state backend's outbox (appended atomically with each inbox
 * acknowledgement) to the database. Kicked after every acknowledgement and batched over a short
 * window; a slow poll also picks up entries a dead process had taken. Nothing is lost when the
 * process is killed: what was acknowledged is in the outbox until a relay wrote it.
 */
export type RelayOptions = {
  /** entries per take (default 500) */
  batch?: number;
  /** an entry taken by a relay that has not finished it after this is handed out again (default 10 s) */
  reclaimMs?: number;
  /** how long a kick waits to gather more records (default 100 ms) */
  windowMs?: number;
  /** how often the outbox is looked at without a kick (default 1 s) */
  pollMs?: number;
};

const DateString = v.pipe(
  v.string(),
  v.transform((s) => new Date(s)),
  v.check((d) => !Number.isNaN(d.getTime())),
);
const AddressSchema = v.object({
  channel: v.picklist(['telegram', 'whatsapp', 'web']),
  city: v.string(),
  chatId: v.string(),
});
const EntrySchema = v.object({
  key: v.string(),
  address: AddressSchema,
  conversationKey: v.string(),
  at: DateString,
  messages: v.array(v.object({ direction: v.picklist(['in', 'out']), text: v.string(), payload: v.unknown() })),
  tracked: v.array(v.object({ name: v.string(), props: v.optional(v.record(v.string(), v.unknown())) })),
  leads: v.optional(v.array(RecordedLeadSchema)),
  testTraffic: v.optional(v.boolean()),
  deadLetter: v.optional(
    v.object({
      kind: v.picklist(['message', 'delivery']),
      messageId: v.string(),
      system: v.boolean(),
      event: v.looseObject({ type: v.string() }),
      replies: v.array(v.looseObject({ type: v.string() })),
      error: v.string(),
      attempts: v.number(),
    }),
  ),
});

/** One turn's records as the outbox stores them (address and time once per turn). */
export type OutboxRecord = v.InferInput<typeof EntrySchema>;

/** records this process queued, until its relay takes them (see JsonEcho) */
const queued = new JsonEcho<TurnRecords>(2_000);

export function encodeTurnRecords(turn: TurnRecords): string | undefined {
  const first = turn.messages[0] ?? turn.tracked[0] ?? turn.deadLetter;
  if (!first) return undefined;
  const dead = turn.deadLetter;
  const record: OutboxRecord = {
    key: turn.key,
    address: first.address,
    conversationKey: first.conversationKey,
    at: first.at.toISOString(),
    messages: turn.messages.map(({ direction, text, payload }) => ({ direction, text, payload })),
    tracked: turn.tracked.map(({ name, props }) => (props ? { name, props } : { name })),
    ...(turn.leads?.length ? { leads: turn.leads.map(({ flow, slots, history }) => ({ flow, slots, history })) } : {}),
    ...(turn.testTraffic ? { testTraffic: true } : {}),
    ...(dead
      ? {
          deadLetter: {
            kind: dead.kind,
            messageId: dead.messageId,
            system: dead.system,
            event: dead.event,
            replies: dead.replies,
            error: dead.error,
            attempts: dead.attempts,
          },
        }
      : {}),
  };
  return queued.remember(JSON.stringify(record), turn);
}

export function decodeTurnRecords(data: string): TurnRecords | undefined {
  const written = queued.recall(data);
  if (written) return written;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(EntrySchema, json);
  if (!parsed.success) return undefined;
  const { key, address, conversationKey, at, messages, tracked, leads, testTraffic, deadLetter } = parsed.output;
  return {
    key,
    messages: messages.map((m) => ({
      address,
      conversationKey,
      at,
      direction: m.direction,
      text: m.text,
      payload: m.payload,
    })),
    tracked: tracked.map((t) => ({
      address,
      conversationKey,
      at,
      name: t.name,
      ...(t.props ? { props: t.props } : {}),
    })),
    ...(leads?.length ? { leads: leads.map((lead) => ({ ...lead, address, conversationKey, at })) } : {}),
    ...(testTraffic ? { testTraffic: true } : {}),
    ...(deadLetter
      ? {
          deadLetter: {
            ...deadLetter,
            event: deadLetter.event as unknown as EngineEvent,
            replies: deadLetter.replies as unknown as Reply[],
            address,
            conversationKey,
            at,
          },
        }
      : {}),
  };
}

export class RecordRelay {
  readonly #outbox: RecordOutbox;
  readonly #port: RecordPort;
  readonly #log: Logger;
  readonly #opts: Required<RelayOptions>;
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #failing = false;

  constructor(outbox: RecordOutbox, port: RecordPort, log: Logger, options: RelayOptions = {}) {
    this.#outbox = outbox;
    this.#port = port;
    this.#log = log;
    this.#opts = {
      batch: options.batch ?? 500,
      reclaimMs: options.reclaimMs ?? 10_000,
      windowMs: options.windowMs ?? 100,
      pollMs: options.pollMs ?? 1_000,
    };
  }

  /** look at the outbox periodically (records of other, dead processes) */
  start(): void {
    if (this.#poll || this.#closed) return;
    this.#poll = setInterval(() => this.#run(), this.#opts.pollMs);
    this.#poll.unref?.();
  }

  /** records were just queued: relay them after a short gathering window */
  kick(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, this.#opts.windowMs);
    this.#timer.unref?.();
  }

  /** relays everything queued so far */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#run();
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    clearInterval(this.#poll);
    clearTimeout(this.#timer);
  }

  #run(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .then(() => {
        if (this.#failing) this.#log.info({}, 'relaying turn records works again');
        this.#failing = false;
      })
      .catch((error: unknown) => {
        // once per outage, not once per kick
        if (!this.#failing)
          this.#log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'relaying turn records failed; they stay in the outbox',
          );
        this.#failing = true;
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          this.#run();
        }
      });
  }

  async #drain(): Promise<void> {
    for (;;) {
      const entries = await this.#outbox.take(this.#opts.batch, this.#opts.reclaimMs);
      if (entries.length === 0) return;
      const turns: TurnRecords[] = [];
      for (const entry of entries) {
        const turn = decodeTurnRecords(entry.data);
        if (turn) turns.push(turn);
        else this.#log.error({ entry: entry.id }, 'unreadable turn record dropped from the outbox');
      }
      await this.#port.write(turns);
      await this.#outbox.done(entries.map((e) => e.id));
      if (entries.length < this.#opts.batch) return;
    }
  }
}
