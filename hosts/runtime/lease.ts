import type { Lease } from '../../storage/state/types.ts';

/**
 * Keeps a conversation's short lock alive while this process works on it: a crashed process
 * blocks its conversations for one TTL at most, a slow OCR or model call never loses the lock.
 * `lost()` turns true once an extension finds the lock no longer ours.
 */
export function keepLeaseAlive(lease: Lease, ttlMs: number): { lost(): boolean; stop(): void } {
  let lost = false;
  const heartbeat = setInterval(
    () => {
      lease.extend(ttlMs).then(
        (ok) => {
          if (!ok) lost = true;
        },
        () => undefined,
      );
    },
    Math.max(250, Math.floor(ttlMs / 3)),
  );
  heartbeat.unref?.();
  return { lost: () => lost, stop: () => clearInterval(heartbeat) };
}
