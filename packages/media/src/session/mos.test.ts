import { describe, expect, it } from 'vitest';
import { delayImpairment, estimateMos, lossImpairment, mosFromR, rFactor } from './mos.ts';

describe('MOS estimate (ITU-T G.107 E-model, simplified for G.711)', () => {
  it('maps R to MOS per G.107 Annex B at known points', () => {
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2);
    expect(mosFromR(50)).toBeCloseTo(2.58, 2);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
  });

  it('charges no delay impairment up to 100 ms and a growing one beyond', () => {
    expect(delayImpairment(100)).toBe(0);
    // X = 1 at 200 ms: 25 × (2^(1/6) − 3 × (1 + 3^-6)^(1/6) + 2) ≈ 3.04.
    expect(delayImpairment(200)).toBeCloseTo(3.04, 2);
    expect(delayImpairment(400)).toBeGreaterThan(20);
  });

  it('computes the loss impairment of G.711 with concealment (Bpl 25.1)', () => {
    expect(lossImpairment(0)).toBe(0);
    // 1 % random loss: 95 × 1 / (1 + 25.1) ≈ 3.64.
    expect(lossImpairment(1)).toBeCloseTo(3.64, 2);
  });

  it('gives a clean LAN call 4.41 and degrades with loss, jitter and RTT', () => {
    const clean = { lossFraction: 0, jitterMs: 0, rttMs: 0 };
    expect(rFactor(clean)).toBe(93.2);
    expect(estimateMos(clean)).toBeCloseTo(4.41, 2);
    expect(estimateMos({ ...clean, rttMs: null })).toBeCloseTo(4.41, 2);
    const lossy = estimateMos({ ...clean, lossFraction: 0.05 });
    expect(lossy).toBeLessThan(4);
    expect(estimateMos({ lossFraction: 0.05, jitterMs: 40, rttMs: 400 })).toBeLessThan(lossy);
  });
});
