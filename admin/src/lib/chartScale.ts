/**
 * Scales for the dashboard's hand-drawn charts: axis ticks a reader can take in at a glance, and
 * funnel bars that stay inside their card whatever the numbers are.
 */

const STEPS = [1, 2, 5, 10];

/**
 * Ticks from 0 up to at least `max`, evenly spaced by 1, 2 or 5 × 10ⁿ, at most `maxIntervals`
 * intervals. Counts (`integer`) never get fractional ticks: a day with one message reads 0, 1 —
 * not 0, 0.25, 0.5 rounded to 0, 0, 1.
 */
export function axisTicks(max: number, opts: { integer?: boolean; maxIntervals?: number } = {}): number[] {
  const intervals = Math.max(1, opts.maxIntervals ?? 5);
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / intervals;
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = STEPS.map((m) => m * power).find((s) => s >= rough * (1 - 1e-9)) ?? 10 * power;
  if (opts.integer) step = Math.max(1, Math.round(step));
  const count = Math.ceil(top / step - 1e-9);
  // toPrecision: 0.1 + 0.2 is not 0.3 in floating point, a tick label must be
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

export type FunnelRow = {
  label: string;
  value: number /** 0…1 of the widest bar */;
  width: number /** % of the first step, when it has any */;
  pct: number | undefined;
};

/**
 * Funnel bars as shares of the largest step, so none is wider than its track even when a later
 * step counts more conversations than the first (a period that starts mid-conversation).
 */
export function funnelRows(steps: { label: string; value: number }[]): FunnelRow[] {
  const widest = Math.max(0, ...steps.map((s) => s.value));
  const first = steps[0]?.value ?? 0;
  return steps.map((s) => ({
    label: s.label,
    value: s.value,
    width: widest > 0 ? Math.max(0, s.value) / widest : 0,
    pct: first > 0 ? Math.round((s.value / first) * 100) : undefined,
  }));
}
