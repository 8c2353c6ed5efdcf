/**
 * Wall clocks in an IANA time zone. Intl gives a zone's wall clock for an instant
 * (https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Intl/DateTimeFormat/formatToParts);
 * the zone's offset is that wall clock minus the instant. Going back from a wall clock to
 * an instant, the offset is taken again at the first guess, so a day that starts with a
 * daylight-saving change still comes out right.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

function offsetAt(instant: Date, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const wallAsUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
  );
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which the zone's clocks show midnight starting this calendar day. */
export function midnightInZone(
  date: Pick<WallClock, 'year' | 'month' | 'day'>,
  timeZone: string,
): Date {
  const midnightAsUtc = Date.UTC(date.year, date.month - 1, date.day);
  const guess = midnightAsUtc - offsetAt(new Date(midnightAsUtc), timeZone);
  return new Date(midnightAsUtc - offsetAt(new Date(guess), timeZone));
}

/** Midnight of `now`'s calendar day in the zone, as an instant. */
export function startOfDayInZone(now: Date, timeZone: string): Date {
  return midnightInZone(wallClock(now, timeZone), timeZone);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * `2025-03-10 14:05:09` on the zone's wall clock: sortable, and read as a date and time by
 * spreadsheets in any locale (used in CSV files, where a localized form would not be).
 */
export function isoLocalInZone(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** A calendar day written `YYYY-MM-DD`, as date pickers and URLs carry it; null otherwise. */
export function parseCalendarDay(text: string): Pick<WallClock, 'year' | 'month' | 'day'> | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2025-02-30 over to March; a day that rolled over does not exist.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The calendar day after this one (month and year ends included). */
export function nextCalendarDay(date: Pick<WallClock, 'year' | 'month' | 'day'>) {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}
