import { describe, expect, it } from 'vitest';
import { GoertzelFilter } from '../dtmf/goertzel.ts';
import { downmixToMono } from './downmix.ts';
import { resample } from './resample.ts';

function sine(frequency: number, rate: number, seconds: number, amplitude = 10_000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, n) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * frequency * n) / rate)),
  );
}

/** Amplitude of the `frequency` component over the middle of `pcm` (edges hold the filter's ramps). */
function amplitudeAt(pcm: Int16Array, frequency: number, rate: number): number {
  const start = Math.floor(pcm.length / 4);
  const length = Math.floor(pcm.length / 2);
  const energy = new GoertzelFilter(frequency, rate).energy(pcm, start, length);
  return Math.sqrt((2 * energy) / length);
}

/** Positive-going zero crossings per second over the middle half. */
function crossingsPerSecond(pcm: Int16Array, rate: number): number {
  const start = Math.floor(pcm.length / 4);
  const end = start + Math.floor(pcm.length / 2);
  let crossings = 0;
  for (let i = start + 1; i < end; i++) {
    if ((pcm[i - 1] ?? 0) < 0 && (pcm[i] ?? 0) >= 0) crossings++;
  }
  return (crossings * rate) / (end - start);
}

const dB = (ratio: number): number => 20 * Math.log10(ratio);

describe('resample', () => {
  for (const from of [16000, 44100, 48000]) {
    it(`keeps a 1 kHz sine at 1 kHz and its level from ${from} Hz to 8 kHz`, () => {
      const out = resample(sine(1000, from, 1), from, 8000);
      expect(out).toHaveLength(8000);
      expect(Math.abs(crossingsPerSecond(out, 8000) - 1000)).toBeLessThanOrEqual(4);
      expect(Math.abs(dB(amplitudeAt(out, 1000, 8000) / 10_000))).toBeLessThan(0.1);
    });
  }

  it('keeps a 1 kHz sine when interpolating from 8 kHz to 48 kHz', () => {
    const out = resample(sine(1000, 8000, 1), 8000, 48000);
    expect(out).toHaveLength(48000);
    expect(Math.abs(crossingsPerSecond(out, 48000) - 1000)).toBeLessThanOrEqual(4);
    expect(Math.abs(dB(amplitudeAt(out, 1000, 48000) / 10_000))).toBeLessThan(0.1);
    // No images of the 8 kHz grid: 7 kHz (8 − 1) must be gone.
    expect(dB(amplitudeAt(out, 7000, 48000) / 10_000)).toBeLessThan(-60);
  });

  it('passes the voice band and stops what would alias', () => {
    const passband = resample(sine(3000, 48000, 1), 48000, 8000);
    expect(Math.abs(dB(amplitudeAt(passband, 3000, 8000) / 10_000))).toBeLessThan(0.1);
    // 6 kHz at 48 kHz folds onto 8 − 6 = 2 kHz at 8 kHz unless filtered out first.
    const alias = resample(sine(6000, 48000, 1), 48000, 8000);
    expect(dB(amplitudeAt(alias, 2000, 8000) / 10_000)).toBeLessThan(-60);
    // 4.6 kHz at 44.1 kHz would fold onto 3.4 kHz, the top of the voice band.
    const edge = resample(sine(4600, 44100, 1), 44100, 8000);
    expect(dB(amplitudeAt(edge, 3400, 8000) / 10_000)).toBeLessThan(-60);
  });

  it('is not naive decimation, which lets the alias through', () => {
    // The check above can fail: keeping every 6th sample leaves 2 kHz at full level.
    const input = sine(6000, 48000, 1);
    const naive = input.filter((_, i) => i % 6 === 0);
    expect(dB(amplitudeAt(naive, 2000, 8000) / 10_000)).toBeGreaterThan(-1);
  });

  it('does not shift the signal in time (the filter delay is compensated)', () => {
    const impulse = new Int16Array(4800);
    impulse[2400] = 30_000;
    const out = resample(impulse, 48000, 8000);
    const peak = out.reduce((best, x, i) => (x > (out[best] ?? 0) ? i : best), 0);
    expect(peak).toBe(400);
  });

  it('copies when the rates are equal and refuses nonsense rates', () => {
    const input = sine(440, 8000, 0.01);
    const out = resample(input, 8000, 8000);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(() => resample(input, 0, 8000)).toThrow(RangeError);
    expect(() => resample(input, 8000, 44.1)).toThrow(RangeError);
    expect(resample(new Int16Array(0), 48000, 8000)).toHaveLength(0);
  });
});

describe('downmixToMono', () => {
  it('averages the channels of each frame', () => {
    expect([...downmixToMono(Int16Array.of(100, 300, -32768, -32768, 32767, 32767), 2)]).toEqual([
      200, -32768, 32767,
    ]);
    expect([...downmixToMono(Int16Array.of(1, 2, 3), 1)]).toEqual([1, 2, 3]);
  });

  it('refuses a sample count that does not split into the channels', () => {
    expect(() => downmixToMono(Int16Array.of(1, 2, 3), 2)).toThrow(RangeError);
    expect(() => downmixToMono(Int16Array.of(1, 2), 0)).toThrow(RangeError);
  });
});
