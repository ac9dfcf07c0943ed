/**
 * Managers' weekly working hours, written as a retailer writes them on a shop door:
 * `mon-fri 09:00-20:00; sat 10:00-18:00` — days not named are closed, `daily 09:00-21:00` names
 * every day, several ranges for one day are allowed (`mon 09:00-13:00, 14:00-18:00`). Times are the
 * city's wall clock; a range ends before midnight. Pure: the host turns an instant into the city's
 * wall time (its time zone), this module says whether managers are in and when they next are.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** per weekday (0 = Monday), minutes since midnight */
export type WeeklyHours = ReadonlyArray<ReadonlyArray<{ from: number; to: number }>>;

export type ParsedHours = { ok: true; hours: WeeklyHours } | { ok: false; error: string };

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (hhmm: string): number | null => {
  const m = TIME.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

function daysOf(spec: string): number[] | null {
  if (spec === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  const [a, b, extra] = spec.split('-');
  const from = WEEKDAYS.indexOf((a ?? '') as (typeof WEEKDAYS)[number]);
  if (from < 0 || extra !== undefined) return null;
  if (b === undefined) return [from];
  const to = WEEKDAYS.indexOf(b as (typeof WEEKDAYS)[number]);
  if (to < from) return null;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function parseHours(text: string): ParsedHours {
  const days: { from: number; to: number }[][] = WEEKDAYS.map(() => []);
  const parts = text
    .toLowerCase()
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'no days given (e.g. "mon-fri 09:00-20:00; sat 10:00-18:00")' };
  for (const part of parts) {
    const space = part.indexOf(' ');
    const which = daysOf(space < 0 ? part : part.slice(0, space));
    if (!which) return { ok: false, error: `"${part}": days are mon…sun, a range such as mon-fri, or daily` };
    const rest = space < 0 ? '' : part.slice(space + 1);
    if (rest.trim() === 'closed') continue;
    const ranges = rest.split(',').map((r) => r.trim());
    for (const range of ranges) {
      const [a, b] = range.split('-').map((x) => x.trim());
      const from = minutesOf(a ?? '');
      const to = b === '24:00' ? 24 * 60 : minutesOf(b ?? '');
      if (from === null || to === null) return { ok: false, error: `"${part}": expected times such as 09:00-20:00` };
      if (to <= from) return { ok: false, error: `"${part}": a range must end after it starts, before midnight` };
      for (const d of which) days[d]?.push({ from, to });
    }
  }
  return { ok: true, hours: days.map((d) => d.sort((x, y) => x.from - y.from)) };
}

/** The city's wall clock at an instant: weekday (0 = Monday), minutes since midnight, the calendar day. */
export type WallTime = { weekday: number; minutes: number; year: number; month: number; day: number };

/** wall time for a fixed UTC offset (the host derives the offset from the city's time zone at that instant) */
export function wallTimeAt(at: string, offsetMinutes: number): WallTime {
  const d = new Date(Date.parse(at) + offsetMinutes * 60_000);
  return {
    weekday: (d.getUTCDay() + 6) % 7,
    minutes: d.getUTCHours() * 60 + d.getUTCMinutes(),
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
  };
}

/** When managers answer next, as the shopper reads it: in how many days, at what wall time, which date. */
export type AfterHours = { opensAt: string; inDays: number; time: string; date: string };

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `null` while managers are in (or no hours are set: always in). Otherwise the next opening,
 * searched over the coming week; a week with no hours at all means nobody ever answers: `null`
 * too, so a misconfigured city still reaches its managers rather than promising a time.
 */
export function afterHours(hours: WeeklyHours | null, at: string, wall: WallTime): AfterHours | null {
  if (!hours) return null;
  for (let inDays = 0; inDays <= 7; inDays++) {
    const ranges = hours[(wall.weekday + inDays) % 7] ?? [];
    for (const r of ranges) {
      if (inDays === 0 && wall.minutes >= r.from && wall.minutes < r.to) return null;
      if (inDays === 0 && r.from <= wall.minutes) continue;
      const waitMinutes = inDays * 24 * 60 + r.from - wall.minutes;
      const opens = new Date(Date.parse(at) + waitMinutes * 60_000);
      opens.setUTCSeconds(0, 0);
      const local = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + inDays));
      return {
        opensAt: opens.toISOString(),
        inDays,
        time: `${pad(Math.floor(r.from / 60))}:${pad(r.from % 60)}`,
        date: `${pad(local.getUTCDate())}.${pad(local.getUTCMonth() + 1)}`,
      };
    }
  }
  return null;
}
