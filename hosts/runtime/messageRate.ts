import { LANGS, type Lang } from '../../engine/catalog.ts';
import type { Persisted, Scenario } from '../../engine/index.ts';
import type { Reply } from '../../engine/replies.ts';
import type { RateLimiter } from '../../storage/state/types.ts';

/**
 * What a shopper's message gets under the scenario's `limits.messagesPerMinute`: a turn, or —
 * past the limit — no turn (no search, no model, no OCR) and either the calm reply or nothing.
 * Only the first message over the limit in a minute is answered: answering every message of a
 * flood would be a flood of its own.
 */
export type MessageAdmission = 'turn' | 'calm reply' | 'recorded only';

const WINDOW_MS = 60_000;

/**
 * Counted per conversation in the state store (Redis or the embedded one), so replicas share the
 * count; the window slides, so a shopper who paused is answered again at once.
 */
export async function admitMessage(
  limiter: RateLimiter,
  conversationKey: string,
  perMinute: number,
): Promise<MessageAdmission> {
  if (perMinute <= 0) return 'turn';
  const decision = await limiter.hit(`shopper-messages:${conversationKey}`, perMinute, WINDOW_MS);
  if (decision.allowed) return 'turn';
  const notice = await limiter.hit(`shopper-calm-reply:${conversationKey}`, 1, WINDOW_MS);
  return notice.allowed ? 'calm reply' : 'recorded only';
}

/** The scenario's calm reply, in the language the conversation is held in. */
export function calmReply(scenario: Scenario, persisted: Persisted): Reply {
  const lang = persisted.snapshot?.context?.lang;
  const known: Lang = (LANGS as readonly string[]).includes(lang) ? lang : scenario.defaultLang;
  return { type: 'text', text: scenario.limits.tooManyMessages[known] };
}
