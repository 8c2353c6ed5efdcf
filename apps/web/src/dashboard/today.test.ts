import { describe, expect, it } from 'vitest';
import { startOfDayInZone, summarizeCalls } from './today.ts';

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

describe('summarizeCalls', () => {
  it('counts answered, not answered for any reason, and still running', () => {
    const statuses = [
      'answered',
      'missed',
      'no_answer',
      'busy',
      'answered',
      'in_progress',
      'failed',
    ] as const;
    expect(summarizeCalls(statuses.map((status) => ({ status })))).toEqual({
      total: 7,
      answered: 2,
      missed: 3,
      inProgress: 1,
    });
  });

  it('is all zero for a quiet day', () => {
    expect(summarizeCalls([])).toEqual({ total: 0, answered: 0, missed: 0, inProgress: 0 });
  });
});
