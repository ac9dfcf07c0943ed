import type { SnapshotStore } from '../../storage/state/types.ts';
import { TtlCache } from '../../storage/ttlCache.ts';
import { conversationKey, type ConversationAddress } from '../runtime/address.ts';

/**
 * WhatsApp's 24-hour customer-service window: free-form messages may be sent only within 24
 * hours of the shopper's last message; after that only an approved template.
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CustomerWindowStore {
  /** records a shopper message time (an older time never moves it back) */
  touch(address: ConversationAddress, at: Date): Promise<void>;
  lastInbound(address: ConversationAddress): Promise<Date | undefined>;
}

export const isWindowOpen = (last: Date | undefined, now: Date, windowMs = WINDOW_MS): boolean =>
  last !== undefined && now.getTime() - last.getTime() < windowMs;

/**
 * The window on the conversation-state backend (Redis or embedded): one small key per shopper
 * that expires a little after the window closes, so a closed window costs nothing to keep.
 */
const COARSE_MS = 60_000;

export function stateWindowStore(
  snapshots: SnapshotStore,
  opts: { prefix?: string; ttlSeconds?: number } = {},
): CustomerWindowStore {
  const prefix = opts.prefix ?? 'wa-window:';
  const ttl = opts.ttlSeconds ?? 25 * 60 * 60;
  const key = (a: ConversationAddress) => `${prefix}${conversationKey(a)}`;
  // A shopper writing several messages a minute moves the stored time once a minute: the window
  // then closes at most that much early — the safe side of WhatsApp's rule — for two round trips
  // less per message.
  const recent = new TtlCache<string, number>(COARSE_MS, 50_000);
  return {
    async touch(address, at) {
      const k = key(address);
      const stored = recent.lookup(k)?.value;
      if (stored !== undefined && at.getTime() - stored < COARSE_MS) return;
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = await snapshots.read(k);
        const previous = current ? Number(current.data) : NaN;
        if (Number.isFinite(previous) && previous >= at.getTime()) {
          recent.set(k, previous);
          return;
        }
        const written = await snapshots.write(k, String(at.getTime()), current?.version ?? 0, ttl);
        if (written.ok) {
          recent.set(k, at.getTime());
          return;
        }
      }
    },
    async lastInbound(address) {
      const current = await snapshots.read(key(address));
      const ms = current ? Number(current.data) : NaN;
      return Number.isFinite(ms) ? new Date(ms) : undefined;
    },
  };
}
