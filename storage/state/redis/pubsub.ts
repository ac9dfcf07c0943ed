import type { Redis } from 'ioredis';
import type { PubSub } from '../types.ts';
import { guard } from './connection.ts';

type Handler = (message: string) => void;

/** Publishes on the shared connection; subscribes on a lazily opened dedicated one. */
export function redisPubSub(redis: Redis, prefix: string): PubSub & { close(): Promise<void> } {
  let subscriber: Redis | undefined;
  const handlers = new Map<string, Set<Handler>>();

  function connection(): Redis {
    if (subscriber) return subscriber;
    // a subscriber must wait out outages (it re-subscribes on reconnect), so no retry cap here
    const sub = redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false });
    sub.on('error', () => {});
    sub.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) {
        try {
          handler(message);
        } catch {
          // a failing handler must not stop delivery to the others
        }
      }
    });
    subscriber = sub;
    return sub;
  }

  return {
    async publish(channel, message) {
      await guard('publish', () => redis.publish(`${prefix}ch:${channel}`, message));
    },
    async subscribe(channel, handler) {
      const full = `${prefix}ch:${channel}`;
      const sub = connection();
      let set = handlers.get(full);
      if (!set) {
        set = new Set();
        handlers.set(full, set);
        await guard('subscribe', () => sub.subscribe(full));
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(full);
        if (!current?.delete(handler) || current.size > 0) return;
        handlers.delete(full);
        await guard('unsubscribe', () => sub.unsubscribe(full));
      };
    },
    async close() {
      handlers.clear();
      if (subscriber) {
        const sub = subscriber;
        subscriber = undefined;
        await sub.quit().catch(() => sub.disconnect());
      }
    },
  };
}
