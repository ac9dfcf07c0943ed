import * as v from 'valibot';
import { ReplySchema, type Reply } from '../../engine/replies.ts';
import type { SnapshotStore } from '../../storage/state/types.ts';
import type { ConversationAddress } from '../runtime/address.ts';

/**
 * Proactive batches WhatsApp may still refuse after accepting them: a `failed` status with 131047
 * (the shopper's 24-hour window had closed) arrives later as a webhook — at whichever replica the
 * load balancer picks, not necessarily the one that sent. So each message of a proactive batch is
 * remembered in the shared state for a day, and a batch's template fallback is claimed once across
 * replicas (also by the synchronous fallbacks, so a batch never gets two templates).
 *
 * Replies to a shopper's message are not remembered: they go out moments after the shopper wrote,
 * inside the window, and Meta has no reason to refuse them late.
 */
export type SentBatch = { id: string; address: ConversationAddress; replies: Reply[]; lang?: string };

export interface SentBatchStore {
  remember(wamid: string, batch: SentBatch): Promise<void>;
  /** the batch a sent message belonged to (undefined: not a remembered proactive message) */
  lookup(wamid: string): Promise<SentBatch | undefined>;
  /** true for the first caller only: that one sends the batch's template */
  claim(batchId: string): Promise<boolean>;
  /** the template could not be sent (retryable): a later status may claim the batch again */
  unclaim(batchId: string): Promise<void>;
}

const SentBatchSchema = v.object({
  id: v.string(),
  address: v.object({ channel: v.literal('whatsapp'), city: v.string(), chatId: v.string() }),
  replies: v.array(ReplySchema),
  lang: v.optional(v.pipe(v.string(), v.maxLength(16))),
});

const DAY_SECONDS = 24 * 60 * 60;

/** On the state backend's compare-and-set store (Redis, or the embedded database): shared by replicas. */
export function stateSentBatchStore(
  snapshots: SnapshotStore,
  opts: { prefix?: string; ttlSeconds?: number } = {},
): SentBatchStore {
  const prefix = opts.prefix ?? 'wa-sent:';
  const ttl = opts.ttlSeconds ?? DAY_SECONDS;
  const claimKey = (batchId: string) => `${prefix}claim:${batchId}`;
  return {
    async remember(wamid, batch) {
      await snapshots.write(`${prefix}${wamid}`, JSON.stringify(batch), 0, ttl);
    },
    async lookup(wamid) {
      const stored = await snapshots.read(`${prefix}${wamid}`);
      if (!stored) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(stored.data);
      } catch {
        return undefined;
      }
      const parsed = v.safeParse(SentBatchSchema, json);
      return parsed.success ? parsed.output : undefined;
    },
    async claim(batchId) {
      // version 0: only whoever creates the marker wins
      return (await snapshots.write(claimKey(batchId), '1', 0, ttl)).ok;
    },
    async unclaim(batchId) {
      await snapshots.delete(claimKey(batchId));
    },
  };
}

/** In this process only (tests, a channel built without shared state); the oldest of `max` batches are forgotten. */
export function memorySentBatchStore(max = 10_000): SentBatchStore {
  const sent = new Map<string, SentBatch>();
  const claimed = new Set<string>();
  return {
    async remember(wamid, batch) {
      sent.set(wamid, batch);
      while (sent.size > max) sent.delete(sent.keys().next().value as string);
    },
    async lookup(wamid) {
      return sent.get(wamid);
    },
    async claim(batchId) {
      if (claimed.has(batchId)) return false;
      claimed.add(batchId);
      while (claimed.size > max) claimed.delete(claimed.values().next().value as string);
      return true;
    },
    async unclaim(batchId) {
      claimed.delete(batchId);
    },
  };
}
