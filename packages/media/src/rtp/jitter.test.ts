import { describe, expect, it } from 'vitest';
import { JitterEstimator } from './jitter.ts';

describe('JitterEstimator (RFC 3550 Appendix A.8)', () => {
  it('follows J += (|D| − J)/16 over a hand-computed sequence', () => {
    // 8 kHz, 20 ms packets. Arrivals 0, 20, 45, 60 ms → transits (in 1/8000 s):
    // 0, 0, 360 − 320 = 40, 480 − 480 = 0 → D = 0, 40, 40.
    // J = 0 → 0 + 40/16 = 2.5 → 2.5 + (40 − 2.5)/16 = 4.84375.
    const jitter = new JitterEstimator(8000);
    jitter.update(1_000_000, 0);
    jitter.update(1_000_020, 160);
    expect(jitter.timestampUnits).toBe(0);
    jitter.update(1_000_045, 320);
    expect(jitter.timestampUnits).toBe(2.5);
    jitter.update(1_000_060, 480);
    expect(jitter.timestampUnits).toBe(4.84375);
    expect(jitter.milliseconds).toBeCloseTo(4.84375 / 8, 10);
  });

  it('sees no jitter across a timestamp wrap at 2^32', () => {
    const jitter = new JitterEstimator(8000);
    jitter.update(0, 0xffff_ff60);
    jitter.update(20, 0);
    jitter.update(40, 160);
    expect(jitter.timestampUnits).toBe(0);
  });
});
