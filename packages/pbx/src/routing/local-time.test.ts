import { describe, expect, it } from 'vitest';
import { localTimeIn, minutesOf } from './local-time.ts';

const at = (iso: string, zone: string) => localTimeIn(zone, new Date(iso));
const hm = (h: number, m: number) => h * 60 + m;

describe('localTimeIn', () => {
  it('keeps Moscow at UTC+3 all year (no DST since 2014)', () => {
    expect(at('2025-03-30T05:59:00Z', 'Europe/Moscow')).toEqual({
      date: '2025-03-30',
      weekday: 'sun',
      minutes: hm(8, 59),
    });
    expect(at('2025-10-26T06:00:00Z', 'Europe/Moscow').minutes).toBe(hm(9, 0));
    expect(at('2025-01-15T06:00:00Z', 'Europe/Moscow').minutes).toBe(hm(9, 0));
  });

  it('follows Berlin across the spring change (02:00 CET → 03:00 CEST, 2025-03-30)', () => {
    expect(at('2025-03-30T00:59:00Z', 'Europe/Berlin').minutes).toBe(hm(1, 59));
    expect(at('2025-03-30T01:00:00Z', 'Europe/Berlin').minutes).toBe(hm(3, 0));
    expect(at('2025-03-30T01:00:00Z', 'Europe/Berlin').weekday).toBe('sun');
  });

  it('follows Berlin across the autumn change, where 02:30 happens twice (2025-10-26)', () => {
    expect(at('2025-10-26T00:30:00Z', 'Europe/Berlin').minutes).toBe(hm(2, 30));
    expect(at('2025-10-26T01:30:00Z', 'Europe/Berlin').minutes).toBe(hm(2, 30));
    expect(at('2025-10-26T02:00:00Z', 'Europe/Berlin').minutes).toBe(hm(3, 0));
  });

  it('gives the local date and weekday, not the UTC ones, and midnight as 00:00', () => {
    expect(at('2025-12-31T21:30:00Z', 'Europe/Moscow')).toEqual({
      date: '2026-01-01',
      weekday: 'thu',
      minutes: 30,
    });
    expect(at('2025-06-01T22:00:00Z', 'Europe/Berlin')).toEqual({
      date: '2025-06-02',
      weekday: 'mon',
      minutes: 0,
    });
  });

  it('refuses a zone Intl does not know', () => {
    expect(() => at('2025-06-01T00:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('minutesOf', () => {
  it('reads HH:MM, with 24:00 as the end of the day', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf('24:00')).toBe(1440);
  });

  it('refuses what is not HH:MM', () => {
    expect(() => minutesOf('9:30')).toThrow(RangeError);
    expect(() => minutesOf('noon')).toThrow(RangeError);
  });
});
