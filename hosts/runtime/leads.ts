import * as v from 'valibot';
import type { Effect, HistoryEntry } from '../../engine/effects.ts';

/**
 * A lead a turn asked to record (`recordLead`): carried in the committed turn and then with its
 * records through the outbox, so it reaches the database exactly when the turn was committed, and
 * once (the relay writes it under the turn's key). Bounded here: a snapshot and an outbox entry
 * carry it, and a scenario must not make either grow without limit.
 */
export type RecordedLead = { flow: string; slots: Record<string, string>; history: HistoryEntry[] };

const MAX_SLOTS = 50;
const MAX_SLOT_CHARS = 1_000;
const MAX_HISTORY = 50;
const MAX_HISTORY_TEXT = 4_000;

/**
 * What PostgreSQL refuses would stop the relay at this turn for good, with every turn behind it: a
 * NUL, and half an emoji (a lone surrogate, left by a cut or sent as such) that jsonb will not take.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storable = (text: string, max: number) => String(text).slice(0, max).replace(UNSTORABLE, '');

export function boundedLead(effect: Extract<Effect, { type: 'recordLead' }>): RecordedLead {
  const slots = Object.fromEntries(
    Object.entries(effect.slots)
      .slice(0, MAX_SLOTS)
      .map(([name, value]) => [storable(name, 64), storable(value, MAX_SLOT_CHARS)]),
  );
  const history = effect.history
    .slice(-MAX_HISTORY)
    .map((h) => ({ role: h.role, text: storable(h.text, MAX_HISTORY_TEXT), at: h.at }));
  // the table requires a flow name; the engine always gives one, an empty one must not block the relay
  return { flow: storable(effect.flow, 64) || 'unnamed', slots, history };
}

/** how a lead is read back from an outbox entry another process may have written */
export const RecordedLeadSchema = v.object({
  flow: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  slots: v.record(v.string(), v.string()),
  history: v.array(v.object({ role: v.picklist(['shopper', 'bot', 'manager']), text: v.string(), at: v.string() })),
});
