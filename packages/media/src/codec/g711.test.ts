import { describe, expect, it } from 'vitest';
import {
  ALAW_DECODE_TABLE,
  ALAW_TO_MULAW,
  MULAW_DECODE_TABLE,
  MULAW_NEGATIVE_ZERO,
  MULAW_TO_ALAW,
  alawToMulaw,
  decodeAlaw,
  decodeMulaw,
  encodeAlaw,
  encodeMulaw,
  mulawToAlaw,
} from './g711.ts';

const codes = Array.from({ length: 256 }, (_, code) => code);
const mulaw = (sample: number): number => encodeMulaw(Int16Array.of(sample))[0] ?? -1;
const alaw = (sample: number): number => encodeAlaw(Int16Array.of(sample))[0] ?? -1;
const fromMulaw = (code: number): number => MULAW_DECODE_TABLE[code] ?? NaN;
const fromAlaw = (code: number): number => ALAW_DECODE_TABLE[code] ?? NaN;

/** Width of the quantization step a code stands for, in 16-bit units (G.711 Tables 1a/2a). */
function mulawStep(code: number): number {
  return 8 << ((~code >> 4) & 7);
}
function alawStep(code: number): number {
  const segment = ((code ^ 0x55) >> 4) & 7;
  return segment === 0 ? 16 : 16 << (segment - 1);
}

function sine(amplitude: number, frequency: number, count: number): Int16Array {
  return Int16Array.from({ length: count }, (_, n) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * frequency * n) / 8000)),
  );
}

function snrDb(reference: Int16Array, actual: Int16Array): number {
  let signal = 0;
  let noise = 0;
  reference.forEach((x, i) => {
    signal += x * x;
    noise += (x - (actual[i] ?? 0)) ** 2;
  });
  return 10 * Math.log10(signal / noise);
}

describe('G.711 µ-law (PCMU)', () => {
  it('encodes the known vectors: silence, full scale, the segment 1 boundary', () => {
    expect(mulaw(0)).toBe(0xff);
    expect(mulaw(-1)).toBe(0x7f);
    expect(mulaw(32767)).toBe(0x80);
    expect(mulaw(-32768)).toBe(0x00);
    // Decoder outputs of G.711 Table 2a (14-bit) × 4: 0, 8031 (full scale), 33 (segment 1).
    expect(fromMulaw(0xff)).toBe(0);
    expect(fromMulaw(0x80)).toBe(8031 * 4);
    expect(fromMulaw(0x00)).toBe(-8031 * 4);
    expect(fromMulaw(0xef)).toBe(33 * 4);
    expect(fromMulaw(0x6f)).toBe(-33 * 4);
  });

  it('decodes every code and re-encodes it to itself (0x7f is negative zero → 0xff)', () => {
    for (const code of codes) {
      const expected = code === MULAW_NEGATIVE_ZERO ? 0xff : code;
      expect(mulaw(fromMulaw(code))).toBe(expected);
    }
  });

  it('quantizes every 16-bit sample within half a step of its reconstruction value', () => {
    const outside: number[] = [];
    for (let x = -32635; x <= 32635; x++) {
      const code = mulaw(x);
      if (Math.abs(fromMulaw(code) - x) > mulawStep(code) / 2) outside.push(x);
    }
    expect(outside).toEqual([]);
    // Beyond the top decision value the encoder clips to full scale.
    expect(mulaw(32700)).toBe(0x80);
    expect(mulaw(-32700)).toBe(0x00);
  });

  it('round-trips a sine with companding SNR at loud and quiet levels', () => {
    for (const amplitude of [16000, 500]) {
      const pcm = sine(amplitude, 1004, 8000);
      expect(snrDb(pcm, decodeMulaw(encodeMulaw(pcm)))).toBeGreaterThan(33);
    }
  });
});

describe('G.711 A-law (PCMA)', () => {
  it('encodes the known vectors: silence, full scale, the segment 1 boundary', () => {
    expect(alaw(0)).toBe(0xd5);
    expect(alaw(-1)).toBe(0x55);
    expect(alaw(32767)).toBe(0xaa);
    expect(alaw(-32768)).toBe(0x2a);
    // Decoder outputs of G.711 Table 1a (4096 scale) × 8: 1, 4032 (full scale), 33.
    expect(fromAlaw(0xd5)).toBe(8);
    expect(fromAlaw(0x55)).toBe(-8);
    expect(fromAlaw(0xaa)).toBe(4032 * 8);
    expect(fromAlaw(0x2a)).toBe(-4032 * 8);
    expect(fromAlaw(0x10 ^ 0x80 ^ 0x55)).toBe(33 * 8);
  });

  it('decodes every code and re-encodes it to itself', () => {
    for (const code of codes) expect(alaw(fromAlaw(code))).toBe(code);
  });

  it('quantizes every 16-bit sample within half a step of its reconstruction value', () => {
    const outside: number[] = [];
    for (let x = -32768; x <= 32767; x++) {
      const code = alaw(x);
      if (Math.abs(fromAlaw(code) - x) > alawStep(code) / 2) outside.push(x);
    }
    expect(outside).toEqual([]);
  });

  it('round-trips a sine with companding SNR at loud and quiet levels', () => {
    for (const amplitude of [16000, 500]) {
      const pcm = sine(amplitude, 1004, 8000);
      expect(snrDb(pcm, decodeAlaw(encodeAlaw(pcm)))).toBeGreaterThan(33);
    }
  });
});

describe('PCMU ↔ PCMA transcoding', () => {
  it('maps every code the way decoding and re-encoding does', () => {
    for (const code of codes) {
      expect(MULAW_TO_ALAW[code]).toBe(alaw(fromMulaw(code)));
      expect(ALAW_TO_MULAW[code]).toBe(mulaw(fromAlaw(code)));
    }
  });

  it('keeps the sign and the order of levels', () => {
    const byLevel = [...codes].sort((a, b) => fromMulaw(a) - fromMulaw(b));
    let previous = -Infinity;
    for (const code of byLevel) {
      const level = fromAlaw(MULAW_TO_ALAW[code] ?? 0);
      expect(level).toBeGreaterThanOrEqual(previous);
      if (fromMulaw(code) !== 0) expect(Math.sign(level)).toBe(Math.sign(fromMulaw(code)));
      previous = level;
    }
  });

  it('stays within 1.5 steps after a µ→A→µ or A→µ→A tandem', () => {
    for (const code of codes) {
      const mu = ALAW_TO_MULAW[MULAW_TO_ALAW[code] ?? 0] ?? 0;
      expect(Math.abs(fromMulaw(mu) - fromMulaw(code))).toBeLessThanOrEqual(mulawStep(code));
      const a = MULAW_TO_ALAW[ALAW_TO_MULAW[code] ?? 0] ?? 0;
      expect(Math.abs(fromAlaw(a) - fromAlaw(code))).toBeLessThanOrEqual(1.5 * alawStep(code));
    }
    // Above the lowest segment the tandem is exact.
    for (const code of codes.filter((c) => Math.abs(fromMulaw(c)) > 200)) {
      expect(ALAW_TO_MULAW[MULAW_TO_ALAW[code] ?? 0]).toBe(code);
    }
  });

  it('transcodes whole payloads byte by byte', () => {
    const pcm = sine(12000, 440, 160);
    const pcmu = encodeMulaw(pcm);
    expect(mulawToAlaw(pcmu)).toEqual(encodeAlaw(decodeMulaw(pcmu)));
    const pcma = encodeAlaw(pcm);
    expect(alawToMulaw(pcma)).toEqual(encodeMulaw(decodeAlaw(pcma)));
    expect(mulawToAlaw(Buffer.alloc(0))).toHaveLength(0);
  });
});
