import type { RateLimiter } from '../../storage/state/types.ts';
import type { AiOperation } from './ports.ts';

/**
 * A city's daily allowance of model calls (understanding, photo description, Whisper). `take`
 * answers whether one more call may go to the model; when not, the caller answers without it.
 */
export interface ModelBudget {
  take(city: string, op: AiOperation, perDay: number): Promise<boolean>;
}

export type DailyModelBudgetOptions = {
  /** the state store's limiter: Redis shares the count between replicas */
  limiter: RateLimiter;
  /** IANA zone whose midnight starts a city's day; UTC when undefined or unknown */
  timeZoneOf: (city: string) => string | undefined;
  now?: () => Date;
  /** a call the budget let through (metrics) */
  onCall?: (city: string, op: AiOperation) => void;
  /** a call refused because the city's budget for the day is spent (metrics) */
  onExhausted?: (city: string, op: AiOperation) => void;
};

/** longer than any calendar day (DST), so the window never forgets calls of the day it counts */
const WINDOW_MS = 26 * 3_600_000;

/**
 * Counts in the state store's rate limiter under a key that names the city's local date: a new
 * day is a new key, so the count starts again at the city's midnight, and a day's key expires a
 * day after its last call. A refused call is not counted. `perDay` 0 means no budget.
 */
export function dailyModelBudget(opts: DailyModelBudgetOptions): ModelBudget {
  const now = opts.now ?? (() => new Date());
  return {
    async take(city, op, perDay) {
      if (perDay > 0) {
        const day = localDate(now(), opts.timeZoneOf(city));
        const decision = await opts.limiter.hit(`model-budget:${city}:${day}`, perDay, WINDOW_MS);
        if (!decision.allowed) {
          opts.onExhausted?.(city, op);
          return false;
        }
      }
      opts.onCall?.(city, op);
      return true;
    },
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of `at` in `timeZone` (UTC when it is missing or not a known zone). */
export function localDate(at: Date, timeZone: string | undefined): string {
  const zone = timeZone || 'UTC';
  let format = formats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return at.toISOString().slice(0, 10);
    }
    formats.set(zone, format);
  }
  return format.format(at);
}
