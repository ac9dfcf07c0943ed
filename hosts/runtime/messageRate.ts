import { LANGS, type Lang } from '../../engine/catalog.ts';
import type { Persisted, Scenario } from '../../engine/index.ts';
import type { Reply } from '../../engine/replies.ts';

/**
 * What a shopper's message gets under the scenario's `limits.messagesPerMinute`: a turn, or —
 * past the limit — no turn (no search, no model, no OCR) and either the calm reply or nothing.
 * Only the first message over the limit in a minute is answered: answering every message of a
 * flood would be a flood of its own.
 */
export type MessageAdmission = 'turn' | 'calm reply' | 'recorded only';

/**
 * A conversation's recent shopper messages, kept in its stored snapshot: read with it and written
 * with the turn's commit, under the conversation's lock, so replicas share the count and admission
 * costs no round trip of its own. `admitted`: when the messages that got a turn arrived (ms, only
 * those of the last window); `calmReplyAt`: when the last calm reply was given.
 */
export type MessageLog = { admitted: number[]; calmReplyAt?: number };

export const MESSAGE_WINDOW_MS = 60_000;

/**
 * Admits a message arriving at `now` under `perMinute` (0 = no limit) and returns the log to store
 * with the turn. The window slides, so a shopper who paused is answered again at once; only
 * admitted messages count, so a flood does not keep the window shut.
 */
export function admitMessage(
  log: MessageLog | undefined,
  perMinute: number,
  now: number,
): { admission: MessageAdmission; log: MessageLog | undefined } {
  if (perMinute <= 0) return { admission: 'turn', log: undefined };
  const since = now - MESSAGE_WINDOW_MS;
  const admitted = (log?.admitted ?? []).filter((at) => at > since);
  const calm = log?.calmReplyAt !== undefined && log.calmReplyAt > since ? { calmReplyAt: log.calmReplyAt } : {};
  if (admitted.length < perMinute) return { admission: 'turn', log: { admitted: [...admitted, now], ...calm } };
  if (calm.calmReplyAt !== undefined) return { admission: 'recorded only', log: { admitted, ...calm } };
  return { admission: 'calm reply', log: { admitted, calmReplyAt: now } };
}

/** The log as stored, or undefined when what was stored is not one (an older snapshot has none). */
export function readMessageLog(value: unknown): MessageLog | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { admitted, calmReplyAt } = value as { admitted?: unknown; calmReplyAt?: unknown };
  if (!Array.isArray(admitted) || !admitted.every((at) => typeof at === 'number' && Number.isFinite(at)))
    return undefined;
  return {
    admitted,
    ...(typeof calmReplyAt === 'number' && Number.isFinite(calmReplyAt) ? { calmReplyAt } : {}),
  };
}

/** The scenario's calm reply, in the language the conversation is held in. */
export function calmReply(scenario: Scenario, persisted: Persisted): Reply {
  const lang = persisted.snapshot?.context?.lang;
  const known: Lang = (LANGS as readonly string[]).includes(lang) ? lang : scenario.defaultLang;
  return { type: 'text', text: scenario.limits.tooManyMessages[known] };
}
