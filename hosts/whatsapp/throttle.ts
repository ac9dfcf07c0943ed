import type { RateLimiter } from '../../storage/state/types.ts';

/** Keeps outbound messages per business phone number under Meta's throughput (80/s by default). */
export interface SendThrottle {
  wait(phoneNumberId: string): Promise<void>;
}

/**
 * On the shared rate limiter (Redis across replicas, or embedded), so all processes together
 * stay under the limit.
 */
export function rateLimitedThrottle(
  limiter: RateLimiter,
  opts: { perSecond?: number; prefix?: string; sleep?: (ms: number) => Promise<void> } = {},
): SendThrottle {
  const perSecond = opts.perSecond ?? 80;
  const prefix = opts.prefix ?? 'wa-mps:';
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async wait(phoneNumberId) {
      for (;;) {
        const decision = await limiter.hit(`${prefix}${phoneNumberId}`, perSecond, 1_000);
        if (decision.allowed) return;
        await sleep(Math.max(5, Math.min(1_000, decision.resetMs)));
      }
    },
  };
}
