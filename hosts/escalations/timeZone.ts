/** one formatter per zone (building one costs more than formatting with it); null: an unknown zone */
const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatIn(timeZone: string): Intl.DateTimeFormat | null {
  let format = formats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      format = null;
    }
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * A time zone's offset from UTC at one instant, in minutes (Asia/Almaty: +300), read from the
 * runtime's time-zone data, so summer time and a country moving its clocks are handled where
 * they apply. An unknown zone counts as UTC rather than failing a hand-off.
 */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const format = formatIn(timeZone);
  if (!format) return 0;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = format.formatToParts(at);
  } catch {
    return 0;
  }
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}
