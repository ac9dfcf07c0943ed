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

export function boundedLead(effect: Extract<Effect, { type: 'recordLead' }>): RecordedLead {
  const slots = Object.fromEntries(
    Object.entries(effect.slots)
      .slice(0, MAX_SLOTS)
      .map(([name, value]) => [name.slice(0, 64), String(value).slice(0, MAX_SLOT_CHARS)]),
  );
  const history = effect.history
    .slice(-MAX_HISTORY)
    .map((h) => ({ role: h.role, text: h.text.slice(0, MAX_HISTORY_TEXT), at: h.at }));
  return { flow: effect.flow.slice(0, 64), slots, history };
}

/** how a lead is read back from an outbox entry another process may have written */
export const RecordedLeadSchema = v.object({
  flow: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  slots: v.record(v.string(), v.string()),
  history: v.array(v.object({ role: v.picklist(['shopper', 'bot', 'manager']), text: v.string(), at: v.string() })),
});
