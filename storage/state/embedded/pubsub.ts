import type { PubSub } from '../types.ts';

/** In-process channel; delivery is asynchronous like Redis so callers cannot rely on re-entrancy. */
export function memoryPubSub(): PubSub & { close(): void } {
  const channels = new Map<string, Set<(message: string) => void>>();
  return {
    async publish(channel, message) {
      const handlers = channels.get(channel);
      if (!handlers || handlers.size === 0) return;
      for (const handler of [...handlers]) {
        setImmediate(() => {
          try {
            handler(message);
          } catch {
            // one failing subscriber must not stop the others
          }
        });
      }
    },
    async subscribe(channel, handler) {
      let handlers = channels.get(channel);
      if (!handlers) {
        handlers = new Set();
        channels.set(channel, handlers);
      }
      // wrap so the same function subscribed twice gets two independent subscriptions
      const entry = (message: string) => handler(message);
      handlers.add(entry);
      return async () => {
        const current = channels.get(channel);
        current?.delete(entry);
        if (current && current.size === 0) channels.delete(channel);
      };
    },
    close() {
      channels.clear();
    },
  };
}
