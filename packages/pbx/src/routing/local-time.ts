import type { Weekday } from '@provod/contracts';

/** A moment as the wall clock in one time zone shows it. */
export interface LocalTime {
  /** YYYY-MM-DD, the local calendar day. */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  readonly minutes: number;
}

const weekdays: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Wall-clock time in an IANA zone through Intl (ECMA-402 §11, the zone data of the ICU
 * Node ships), so daylight-saving changes come from the tz database rather than from a
 * fixed offset. `hourCycle: 'h23'` keeps midnight at 00, never 24.
 */
export function localTimeIn(timeZone: string, at: Date): LocalTime {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = new Map(format.formatToParts(at).map((p) => [p.type, p.value]));
  const part = (type: Intl.DateTimeFormatPartTypes): string => {
    const value = parts.get(type);
    if (value === undefined) throw new RangeError(`Intl gave no ${type} for ${timeZone}`);
    return value;
  };
  const weekday = weekdays[part('weekday')];
  if (weekday === undefined) throw new RangeError(`unexpected weekday ${part('weekday')}`);
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    weekday,
    minutes: (Number(part('hour')) % 24) * 60 + Number(part('minute')),
  };
}

/** Minutes since midnight of `HH:MM`; `24:00` is 1440, the end of the day. */
export function minutesOf(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}
