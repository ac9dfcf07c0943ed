import { redact } from './errors.ts';
import type { AiUsageEvent } from './ports.ts';

/** Wrap the host's `onUsage` so analytics can never break a turn and never sees a secret. */
export function usageReporter(
  onUsage: ((event: AiUsageEvent) => void) | undefined,
  secrets: readonly string[],
): (event: AiUsageEvent) => void {
  return (event) => {
    if (!onUsage) return;
    try {
      onUsage(event.error ? { ...event, error: redact(event.error, secrets).slice(0, 300) } : event);
    } catch {
      // analytics is best effort
    }
  };
}
