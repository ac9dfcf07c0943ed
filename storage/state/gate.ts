import type { ConversationLock, Inbox, SnapshotStore, TurnGate, Turnstile } from './types.ts';

/**
 * A TurnGate made of the separate primitives, one call after another: right for the embedded
 * backend, whose lock is in-process (nothing can come between the calls that the lock allows).
 */
export function composedGate(locks: ConversationLock, inbox: Inbox, snapshots: SnapshotStore): TurnGate {
  const head = async (key: string) => {
    const [item, snapshot] = await Promise.all([inbox.peek(key), snapshots.read(key)]);
    return { item, snapshot };
  };
  const gate: TurnGate = {
    async acceptAndEnter(key, item, ttlMs) {
      const outcome = await inbox.accept(key, item);
      if (outcome === 'duplicate') return { outcome };
      const turnstile = await gate.enter(key, ttlMs, 0);
      return turnstile ? { outcome, turnstile } : { outcome };
    },
    async enter(key, ttlMs, waitMs) {
      const lease = await locks.acquire(key, ttlMs, waitMs);
      if (!lease) return undefined;
      try {
        const first = await head(key);
        const turnstile: Turnstile = {
          lease,
          ...first,
          async advance(id, record) {
            await inbox.ack(key, id, record);
            const next = await head(key);
            if (next.item) return { ...next, released: false };
            await lease.release();
            return { ...next, released: true };
          },
        };
        return turnstile;
      } catch (error) {
        await lease.release().catch(() => false);
        throw error;
      }
    },
  };
  return gate;
}
