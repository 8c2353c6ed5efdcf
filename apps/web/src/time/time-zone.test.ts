import { describe, expect, it } from 'vitest';
import {
  isoLocalInZone,
  midnightInZone,
  nextCalendarDay,
  parseCalendarDay,
  startOfDayInZone,
} from './time-zone.ts';

describe('startOfDayInZone', () => {
  it('finds Moscow midnight (UTC+3, no daylight saving) across the UTC date line', () => {
    // 01:30 UTC is 04:30 in Moscow on the same date; before 21:00 UTC it is already "tomorrow".
    expect(startOfDayInZone(new Date('2025-03-10T01:30:00Z'), 'Europe/Moscow').toISOString()).toBe(
      '2025-03-09T21:00:00.000Z',
    );
    expect(startOfDayInZone(new Date('2025-03-10T22:15:00Z'), 'Europe/Moscow').toISOString()).toBe(
      '2025-03-10T21:00:00.000Z',
    );
  });

  it('uses the offset in force at midnight on a daylight-saving day', () => {
    // New York moved from EST (UTC-5) to EDT (UTC-4) at 02:00 on 9 March 2025; the day began
    // at 05:00 UTC although at 15:00 UTC the offset is already -4.
    expect(
      startOfDayInZone(new Date('2025-03-09T15:00:00Z'), 'America/New_York').toISOString(),
    ).toBe('2025-03-09T05:00:00.000Z');
  });

  it('is UTC midnight in UTC', () => {
    expect(startOfDayInZone(new Date('2025-06-01T23:59:59Z'), 'UTC').toISOString()).toBe(
      '2025-06-01T00:00:00.000Z',
    );
  });

  it('refuses a zone Intl does not know', () => {
    expect(() => startOfDayInZone(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('midnightInZone', () => {
  it('is the instant a calendar day starts in the zone', () => {
    expect(midnightInZone({ year: 2025, month: 3, day: 10 }, 'Europe/Moscow').toISOString()).toBe(
      '2025-03-09T21:00:00.000Z',
    );
    // Kiritimati is UTC+14: its day starts on the previous UTC date.
    expect(
      midnightInZone({ year: 2025, month: 1, day: 1 }, 'Pacific/Kiritimati').toISOString(),
    ).toBe('2024-12-31T10:00:00.000Z');
    // New York, the day of the change to summer time (EST, UTC-5, at midnight).
    expect(midnightInZone({ year: 2025, month: 3, day: 9 }, 'America/New_York').toISOString()).toBe(
      '2025-03-09T05:00:00.000Z',
    );
  });
});

describe('isoLocalInZone', () => {
  it("writes the zone's wall clock, zero-padded", () => {
    expect(isoLocalInZone(new Date('2025-03-09T21:05:09Z'), 'Europe/Moscow')).toBe(
      '2025-03-10 00:05:09',
    );
    expect(isoLocalInZone(new Date('2025-03-09T21:05:09Z'), 'UTC')).toBe('2025-03-09 21:05:09');
  });
});

describe('parseCalendarDay and nextCalendarDay', () => {
  it('reads YYYY-MM-DD and refuses days that do not exist', () => {
    expect(parseCalendarDay('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseCalendarDay('2025-02-29')).toBeNull();
    expect(parseCalendarDay('2025-13-01')).toBeNull();
    expect(parseCalendarDay('2025-1-01')).toBeNull();
    expect(parseCalendarDay('yesterday')).toBeNull();
  });

  it('rolls over month and year ends', () => {
    expect(nextCalendarDay({ year: 2024, month: 12, day: 31 })).toEqual({
      year: 2025,
      month: 1,
      day: 1,
    });
    expect(nextCalendarDay({ year: 2024, month: 2, day: 28 })).toEqual({
      year: 2024,
      month: 2,
      day: 29,
    });
  });
});
