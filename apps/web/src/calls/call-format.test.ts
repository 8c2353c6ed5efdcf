import { describe, expect, it } from 'vitest';
import { formatDuration, formatInZone } from './call-format.ts';

describe('formatDuration', () => {
  it('writes minutes and seconds, and hours when there are any', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7)).toBe('0:07');
    expect(formatDuration(725)).toBe('12:05');
    expect(formatDuration(3723)).toBe('1:02:03');
  });

  it('never writes a negative or fractional time', () => {
    expect(formatDuration(-3)).toBe('0:00');
    expect(formatDuration(59.9)).toBe('0:59');
  });
});

describe('formatInZone', () => {
  it("shows the tenant's wall clock, not the browser's", () => {
    const at = '2025-03-09T21:05:09.000Z';
    expect(formatInZone(at, 'Europe/Moscow', 'ru')).toBe('10.03.2025, 00:05:09');
    expect(formatInZone(at, 'UTC', 'ru')).toBe('09.03.2025, 21:05:09');
  });
});
