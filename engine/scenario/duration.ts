/**
 * Timer delays in a scenario are written either as minutes (`10`) or as an ISO 8601 duration
 * (`PT30M`, `PT1H30M`, `P1D`). Returns milliseconds, or null when the text is not a duration.
 */
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function durationMs(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 60_000) : null;
  const m = ISO.exec(value.trim().toUpperCase());
  if (!m || value.trim().toUpperCase() === 'P' || value.trim().toUpperCase().endsWith('T')) return null;
  const [, d, h, min, s] = m;
  const n = (x: string | undefined) => (x ? Number(x) : 0);
  return Math.round(((n(d) * 24 + n(h)) * 60 + n(min)) * 60_000 + n(s) * 1000);
}
