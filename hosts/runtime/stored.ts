import * as v from 'valibot';
import { LangSchema, type Lang } from '../../engine/catalog.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import type { Persisted } from '../../engine/index.ts';
import type { InboxItem } from '../../storage/state/types.ts';
import { parseConversationKey, type ConversationAddress } from './address.ts';
import { JsonEcho } from './jsonEcho.ts';
import type { TrackedEvent } from './ports.ts';
import type { MessageLog } from './messageRate.ts';
import type { RecordedLead } from './leads.ts';
import type { TimerOp } from './turn.ts';

/**
 * The shapes the runtime writes to the state backend as JSON: an inbox item's payload, a
 * conversation's stored snapshot and a timer's payload, and how each is read back.
 */

/** inbox payloads and snapshots this process wrote, until it reads them back (see JsonEcho) */
const payloads = new JsonEcho<InboxPayload>(2_000);
const snapshots = new JsonEcho<Stored>(4_000);

export type InboxPayload = {
  address: ConversationAddress;
  event: EngineEvent;
  system: boolean;
  lang?: Lang;
  acceptedAt?: number;
  testTraffic?: boolean;
};

/**
 * What the platform knows about a shopper's message beyond the message: `lang`, the language it
 * reports for the shopper (Telegram's language_code), only decides the language of a conversation
 * that does not exist yet; `testTraffic` marks staff talking to the bot (the playground, API
 * tokens), and with it the whole conversation, so analytics can keep it out of the shopper figures.
 */
export type AcceptHint = { lang?: Lang; testTraffic?: boolean };

/** The inbox item for a message accepted now. */
export function newInboxItem(
  address: ConversationAddress,
  messageId: string,
  event: EngineEvent,
  system: boolean,
  hint: AcceptHint,
): InboxItem {
  const payload: InboxPayload = {
    address,
    event,
    system,
    ...(hint.lang ? { lang: hint.lang } : {}),
    acceptedAt: Date.now(),
    ...(hint.testTraffic ? { testTraffic: true } : {}),
  };
  return { id: messageId, payload: payloads.remember(JSON.stringify(payload), payload) };
}

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

/** The payload of an inbox item, or undefined when it is unreadable. */
export function readInboxPayload(data: string): InboxPayload | undefined {
  const written = payloads.recall(data);
  if (written) return written;
  const parsed = v.safeParse(InboxPayloadSchema, safeJson(data));
  return parsed.success ? (parsed.output as unknown as InboxPayload) : undefined;
}

/**
 * What is stored per conversation: the engine's snapshot plus the turn-commit bookkeeping. `out`
 * holds the replies of turn `last`; they still have to be sent exactly while inbox item `last` is
 * unacknowledged (the item is acknowledged only after sending). So one write per turn suffices:
 * when the next item is processed, a stale `out` is known to be delivered.
 */
export type Stored = {
  p: Persisted;
  /** inbox id of the last committed turn */
  last?: string;
  /** replies, records and timer changes of turn `last` */
  out?: {
    replies: Reply[];
    proactive: boolean;
    tracked: Pick<TrackedEvent, 'name' | 'props'>[];
    timers?: TimerOp[];
    /** leads the turn recorded: they go out with its records when it is delivered */
    leads?: RecordedLead[];
    at: string;
    rateLimited?: true;
  };
  /** a conversation staff started (see `AcceptHint.testTraffic`): its later turns are test traffic too */
  test?: true;
  /** the shopper's recent messages, for `limits.messagesPerMinute` (see messageRate.ts) */
  rate?: MessageLog;
};

/** The text to store for `stored`. */
export function storedText(stored: Stored): string {
  return snapshots.remember(JSON.stringify(stored), stored);
}

export function readStored(data: string | undefined): Stored | undefined {
  if (data === undefined) return undefined;
  const written = snapshots.recall(data);
  if (written) return written;
  const value = safeJson(data);
  if (value && typeof value === 'object' && 'p' in value) return value as Stored;
  // unknown shape: let the engine reset it (it reports a warning)
  return { p: value as Persisted };
}

/** The conversation and timer a due timer's payload names, or undefined when it names none. */
export function readTimerPayload(payload: string): { address: ConversationAddress; timerId: string } | undefined {
  const value = safeJson(payload) as { conversationKey?: unknown; timerId?: unknown } | undefined;
  if (!value || typeof value.conversationKey !== 'string' || typeof value.timerId !== 'string') return undefined;
  const address = parseConversationKey(value.conversationKey);
  return address ? { address, timerId: value.timerId } : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
