import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../codec/g711.ts';
import { DTMF_DIGITS } from './digits.ts';
import {
  DTMF_COLUMN_FREQUENCIES,
  DTMF_ROW_FREQUENCIES,
  InbandDtmfDetector,
  type InbandDtmfDetectorOptions,
} from './inband-detector.ts';

const RATE = 8000;

/** A seeded PRNG (mulberry32) so noise is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// ITU-T Q.23 keypad, row by row: 1 2 3 A / 4 5 6 B / 7 8 9 C / * 0 # D.
const KEYPAD_ROWS = '123A456B789C*0#D';

function frequenciesOf(digit: string): [number, number] {
  const position = KEYPAD_ROWS.indexOf(digit);
  return [DTMF_ROW_FREQUENCIES[position >> 2] ?? 0, DTMF_COLUMN_FREQUENCIES[position & 3] ?? 0];
}

/** Tone pairs and pauses as float samples, `amplitude` per tone. */
function keySequence(
  digits: string,
  { toneMs = 100, pauseMs = 100, amplitude = 6000, rowGain = 1 } = {},
): Float64Array {
  const parts: number[] = [];
  let n = 0;
  for (const digit of digits) {
    const [row, column] = frequenciesOf(digit);
    for (let i = 0; i < (toneMs * RATE) / 1000; i++, n++) {
      const t = n / RATE;
      parts.push(
        amplitude *
          (rowGain * Math.sin(2 * Math.PI * row * t) + Math.sin(2 * Math.PI * column * t)),
      );
    }
    for (let i = 0; i < (pauseMs * RATE) / 1000; i++, n++) parts.push(0);
  }
  return Float64Array.from(parts);
}

function rms(signal: Float64Array): number {
  let sum = 0;
  for (const x of signal) sum += x * x;
  return Math.sqrt(sum / signal.length);
}

/** Gaussian white noise at `rmsLevel` (Box–Muller). */
function whiteNoise(length: number, rmsLevel: number, seed: number): Float64Array {
  const next = random(seed);
  return Float64Array.from({ length }, () => {
    const u = Math.max(next(), 1e-12);
    return rmsLevel * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  });
}

/**
 * Vowel-like sound: a glottal pulse train (harmonics of a pitch gliding 90–230 Hz) shaped
 * by three formants that move between vowels — energy clustered like speech, with
 * harmonics sweeping across the DTMF frequencies.
 */
function speechLike(seconds: number, seed: number): Float64Array {
  const next = random(seed);
  const out = new Float64Array(seconds * RATE);
  let phase = 0;
  const formants = [
    [700, 1200, 2500],
    [300, 2200, 2900],
    [500, 900, 2400],
    [400, 1700, 2600],
  ];
  for (let n = 0; n < out.length; n++) {
    const t = n / RATE;
    const pitch = 160 + 70 * Math.sin(2 * Math.PI * 0.7 * t) + 10 * (next() - 0.5);
    phase += (2 * Math.PI * pitch) / RATE;
    const vowel = formants[Math.floor(t * 4) % formants.length] ?? [];
    let sample = 0;
    for (let h = 1; pitch * h < 3800; h++) {
      const f = pitch * h;
      const gain = vowel.reduce((g, formant) => g + 1 / (1 + ((f - formant) / 120) ** 2), 0);
      sample += (gain / h) * Math.sin(h * phase);
    }
    // Syllables: 4 per second, with short gaps.
    out[n] = 3000 * sample * Math.max(0, Math.sin(Math.PI * 4 * t));
  }
  return out;
}

function toPcm(...signals: Float64Array[]): Int16Array {
  const length = Math.max(...signals.map((s) => s.length));
  return Int16Array.from({ length }, (_, i) => {
    const sum = signals.reduce((acc, s) => acc + (s[i] ?? 0), 0);
    return Math.max(-32768, Math.min(32767, Math.round(sum)));
  });
}

/** Runs the detector over 20 ms frames, as the RTP path would. */
function detect(pcm: Int16Array, options?: InbandDtmfDetectorOptions): string {
  const detector = new InbandDtmfDetector(options);
  let digits = '';
  for (let i = 0; i < pcm.length; i += 160) {
    for (const d of detector.process(pcm.subarray(i, i + 160))) digits += d.digit;
  }
  return digits;
}

const allKeys = DTMF_DIGITS.join('');

describe('InbandDtmfDetector', () => {
  it('detects all 16 keys, once each, in a clean sequence', () => {
    expect(detect(toPcm(keySequence(allKeys)))).toBe(allKeys);
  });

  it('detects all keys after G.711 µ-law and A-law coding, as a trunk delivers them', () => {
    const pcm = toPcm(keySequence(allKeys, { amplitude: 3000 }));
    expect(detect(decodeMulaw(encodeMulaw(pcm)))).toBe(allKeys);
    expect(detect(decodeAlaw(encodeAlaw(pcm)))).toBe(allKeys);
  });

  it('detects repeated presses of one key as separate keys', () => {
    expect(detect(toPcm(keySequence('5555', { toneMs: 60, pauseMs: 60 })))).toBe('5555');
  });

  it('reports a long press once', () => {
    expect(detect(toPcm(keySequence('9', { toneMs: 2000 })))).toBe('9');
  });

  it('reports where the tone started, in samples', () => {
    const tone = keySequence('#');
    const pcm = toPcm(
      Float64Array.from({ length: 1000 + tone.length }, (_, i) =>
        i < 1000 ? 0 : (tone[i - 1000] ?? 0),
      ),
    );
    const [hit, ...rest] = new InbandDtmfDetector().process(pcm);
    expect(rest).toEqual([]);
    expect(hit?.digit).toBe('#');
    // On the 205-sample grid the tone starts inside block 820–1025; that block holds only
    // 25 tone samples, so the first block counted is it or the next.
    expect(hit?.startSample).toBeGreaterThanOrEqual(820);
    expect(hit?.startSample).toBeLessThanOrEqual(1025);
  });

  it('detects all keys in white noise at 15 dB SNR', () => {
    const tones = keySequence(allKeys, { amplitude: 4000 });
    // SNR over the tone bursts (half the signal is pause, hence the √2).
    const noise = whiteNoise(tones.length, (rms(tones) * Math.SQRT2) / 10 ** (15 / 20), 7);
    expect(detect(toPcm(tones, noise))).toBe(allKeys);
  });

  it('reports a long noisy press once', () => {
    const tones = keySequence('0', { toneMs: 3000, amplitude: 3000 });
    const noise = whiteNoise(tones.length, (rms(tones) * Math.SQRT2) / 10 ** (12 / 20), 11);
    expect(detect(toPcm(tones, noise))).toBe('0');
  });

  it('detects keys over speech-like sound at 10 dB', () => {
    const tones = keySequence('147*', { amplitude: 5000, toneMs: 120, pauseMs: 380 });
    const speech = speechLike(2, 3);
    const gain = (rms(tones) * Math.SQRT2) / rms(speech) / 10 ** (10 / 20);
    const scaled = speech.map((x) => x * gain);
    expect(detect(toPcm(tones, scaled))).toBe('147*');
  });

  it('stays silent on white noise, speech-like sound and single tones', () => {
    expect(detect(toPcm(whiteNoise(5 * RATE, 3000, 5)))).toBe('');
    expect(detect(toPcm(speechLike(6, 9)))).toBe('');
    const single = Float64Array.from(
      { length: RATE },
      (_, n) => 8000 * Math.sin((2 * Math.PI * 770 * n) / RATE),
    );
    expect(detect(toPcm(single))).toBe('');
  });

  it('rejects tones shorter than the minimum duration and accepts 60 ms ones', () => {
    expect(detect(toPcm(keySequence('123', { toneMs: 20, pauseMs: 100 })))).toBe('');
    expect(detect(toPcm(keySequence('123', { toneMs: 60, pauseMs: 60 })))).toBe('123');
  });

  it('catches a 60 ms tone and never a 30 ms one, wherever it falls on the block grid', () => {
    const tone = (ms: number, offset: number): Int16Array => {
      const pcm = new Float64Array(offset + ms * 8 + 400);
      pcm.set(keySequence('1', { toneMs: ms, pauseMs: 0 }), offset);
      return toPcm(pcm);
    };
    for (let offset = 0; offset < 205; offset += 15) {
      expect(detect(tone(60, offset))).toBe('1');
      expect(detect(tone(30, offset))).toBe('');
    }
  });

  it('applies the twist limits', () => {
    // Row 6 dB louder than column: within the 8 dB normal twist.
    expect(detect(toPcm(keySequence('8', { rowGain: 2 })))).toBe('8');
    // Row 12 dB louder: too much normal twist.
    expect(detect(toPcm(keySequence('8', { rowGain: 4 })))).toBe('');
    // Column 6 dB louder: beyond the 4 dB reverse twist.
    expect(detect(toPcm(keySequence('8', { rowGain: 0.5 })))).toBe('');
  });

  it('ignores tones below the minimum level', () => {
    expect(detect(toPcm(keySequence('2', { amplitude: 100 })))).toBe('');
    expect(detect(toPcm(keySequence('2', { amplitude: 100 })), { minToneLevelDbm0: -50 })).toBe(
      '2',
    );
  });

  it.skipIf(!existsSync('/usr/bin/sox'))('detects a key generated by sox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provod-dtmf-'));
    try {
      const file = join(dir, 'key.raw');
      // "1" (697 + 1209 Hz) then "9" (852 + 1477 Hz), as raw signed 16-bit samples.
      const synth = (low: string, high: string): Int16Array => {
        execFileSync('sox', [
          ...['-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', file],
          ...['synth', '0.1', 'sine', low, 'sine', high, 'pad', '0', '0.1'],
        ]);
        const bytes = readFileSync(file);
        return new Int16Array(bytes.length / 2).map((_, i) => bytes.readInt16LE(i * 2));
      };
      const one = synth('697', '1209');
      const nine = synth('852', '1477');
      const pcm = new Int16Array(one.length + nine.length);
      pcm.set(one);
      pcm.set(nine, one.length);
      expect(detect(pcm)).toBe('19');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
