import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSystemTimers, DEFAULT_TIMER_SETTINGS, planTimers } from './timers.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('transaction timers (RFC 3261 §17, Table 4)', () => {
  it('derives every timer from T1, T2 and T4 for an unreliable transport', () => {
    expect(planTimers(DEFAULT_TIMER_SETTINGS, false)).toEqual({
      firstRetransmit: 500,
      retransmitCap: 4_000,
      transactionTimeout: 32_000,
      timerD: 32_000,
      timerK: 5_000,
      timerI: 5_000,
      timerJ: 32_000,
    });
  });

  it('drops retransmissions and zeroes D, I, J, K on a reliable transport', () => {
    expect(planTimers(DEFAULT_TIMER_SETTINGS, true)).toMatchObject({
      firstRetransmit: undefined,
      timerD: 0,
      timerK: 0,
      timerI: 0,
      timerJ: 0,
    });
  });

  it('cancels a pending timer through the system adapter', () => {
    vi.useFakeTimers();
    const timers = createSystemTimers();
    const fired: string[] = [];
    const first = timers.setTimeout(() => fired.push('first'), 100);
    timers.setTimeout(() => fired.push('second'), 100);
    timers.clearTimeout(first);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['second']);
  });
});
