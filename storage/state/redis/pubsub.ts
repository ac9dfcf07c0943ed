import type { Redis } from 'ioredis';
import type { PubSub } from '../types.ts';
import { guard } from './connection.ts';

type Handler = (message: string) => void;

/** the subscriber waits out outages (no retry cap), so its calls get a deadline of their own */
const SUBSCRIBE_TIMEOUT_MS = 5_000;

/** Publishes on the shared connection; subscribes on a lazily opened dedicated one. */
export function redisPubSub(redis: Redis, prefix: string): PubSub & { close(): Promise<void> } {
  let subscriber: Redis | undefined;
  const handlers = new Map<string, Set<Handler>>();
  // the SUBSCRIBE in flight per channel, so a concurrent second subscriber also waits for it
  const ready = new Map<string, Promise<unknown>>();

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
        const subscribing = guard('subscribe', () => sub.subscribe(full), SUBSCRIBE_TIMEOUT_MS);
        ready.set(full, subscribing);
        subscribing.catch(() => {
          if (handlers.get(full) === set) handlers.delete(full);
          ready.delete(full);
        });
      }
      await ready.get(full);
      // wrap so the same function subscribed twice gets two independent subscriptions
      const entry: Handler = (message) => handler(message);
      set.add(entry);
      return async () => {
        const current = handlers.get(full);
        if (!current?.delete(entry) || current.size > 0) return;
        handlers.delete(full);
        ready.delete(full);
        await guard('unsubscribe', () => sub.unsubscribe(full), SUBSCRIBE_TIMEOUT_MS);
      };
    },
    async close() {
      handlers.clear();
      ready.clear();
      if (subscriber) {
        const sub = subscriber;
        subscriber = undefined;
        await sub.quit().catch(() => sub.disconnect());
      }
    },
  };
}
