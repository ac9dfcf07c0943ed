import type { RateDecision, RateLimiter } from '../types.ts';

type Log = { stamps: number[]; windowMs: number };

/** Sliding-window log in memory; same semantics as the Redis script (only allowed hits count). */
export function memoryRateLimiter(now: () => number = () => Date.now()): RateLimiter & { close(): void } {
  const logs = new Map<string, Log>();
  // idle keys are dropped once a minute so per-IP keys do not pile up
  const sweeper = setInterval(() => {
    const t = now();
    for (const [key, log] of logs) {
      const newest = log.stamps[log.stamps.length - 1];
      if (newest === undefined || newest <= t - log.windowMs) logs.delete(key);
    }
  }, 60_000);
  sweeper.unref();

  return {
    async hit(key, limit, windowMs): Promise<RateDecision> {
      const t = now();
      let log = logs.get(key);
      if (!log) {
        log = { stamps: [], windowMs };
        logs.set(key, log);
      }
      log.windowMs = windowMs;
      const stamps = log.stamps;
      let expired = 0;
      while (expired < stamps.length && (stamps[expired] as number) <= t - windowMs) expired++;
      if (expired > 0) stamps.splice(0, expired);
      const allowed = stamps.length < limit;
      if (allowed) stamps.push(t);
      const oldest = stamps[0];
      return {
        allowed,
        remaining: Math.max(0, limit - stamps.length),
        resetMs: oldest === undefined ? 0 : Math.max(0, oldest + windowMs - t),
      };
    },
    close() {
      clearInterval(sweeper);
      logs.clear();
    },
  };
}
