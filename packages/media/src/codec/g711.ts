/**
 * ITU-T G.711 (11/88) companding: 16-bit linear PCM ↔ 8-bit µ-law and A-law codes.
 *
 * Both laws split the magnitude range into 8 segments (chords) whose width doubles from one
 * to the next, and quantize each segment into 16 equal steps (G.711 §2, Tables 1a/2a). A
 * code is sign (1 bit) | segment (3 bits) | step (4 bits), transmitted with bit inversions:
 * µ-law inverts all bits (Table 2a, "character signal" column), A-law the even bits (0x55,
 * Table 1a note). µ-law works on a 14-bit magnitude, A-law on 13 bits; we take 16-bit
 * samples and scale, so decoded values are the G.711 reconstruction values × 4 (µ-law)
 * or × 8 (A-law).
 *
 * Every sample passes through here, so encoding is a table lookup: the 64 Ki-entry
 * tables are computed once at load from the segment rules below (a few ms, 128 KiB).
 */

// µ-law adds a bias of 33 (14-bit units; × 4 in 16-bit) so that the segment is the
// position of the highest set bit (G.711 Table 2a: segment 0 ends at decision value 31).
const MULAW_BIAS = 0x84;
// The largest magnitude whose biased value still fits in segment 7 (0x7fff).
const MULAW_CLIP = 0x7fff - MULAW_BIAS;
const ALAW_EVEN_BITS = 0x55;

/** One sample to its µ-law code (G.711 Table 2a). */
function mulawFromLinear(sample: number): number {
  const negative = sample < 0;
  const magnitude = Math.min(negative ? -sample : sample, MULAW_CLIP) + MULAW_BIAS;
  // Biased magnitudes run from 0x84 (bit 7 set) to 0x7fff (bit 14): segment = bit - 7.
  const segment = 31 - Math.clz32(magnitude) - 7;
  const step = (magnitude >> (segment + 3)) & 0x0f;
  return ~((negative ? 0x80 : 0) | (segment << 4) | step) & 0xff;
}

/** A µ-law code to its reconstruction value (G.711 Table 2a, "decoder output" × 4). */
function linearFromMulaw(code: number): number {
  const bits = ~code & 0xff;
  const segment = (bits >> 4) & 0x07;
  const step = bits & 0x0f;
  const magnitude = (((step << 3) + MULAW_BIAS) << segment) - MULAW_BIAS;
  return bits & 0x80 ? -magnitude : magnitude;
}

/** One sample to its A-law code (G.711 Table 1a). */
function alawFromLinear(sample: number): number {
  const negative = sample < 0;
  // A-law is symmetric around -½: -1…-8 mirror 0…7 (ones' complement), so no clipping is
  // needed — ~(-32768) >> 3 is 4095, the top of segment 7.
  const magnitude = (negative ? ~sample : sample) >> 3;
  // Segments 0 and 1 share a step of 2; from segment 2 on, segment s spans [16·2^s, 32·2^s).
  const segment = magnitude < 32 ? 0 : 31 - Math.clz32(magnitude) - 4;
  const step = (magnitude >> Math.max(segment, 1)) & 0x0f;
  return ((negative ? 0 : 0x80) | (segment << 4) | step) ^ ALAW_EVEN_BITS;
}

/** An A-law code to its reconstruction value (G.711 Table 1a, "decoder output" × 8). */
function linearFromAlaw(code: number): number {
  const bits = code ^ ALAW_EVEN_BITS;
  const segment = (bits >> 4) & 0x07;
  const step = bits & 0x0f;
  // The reconstruction value is the middle of the step: +1 (segment 0) or +33 (½ step
  // above the segment's base of 32) in 13-bit units.
  const magnitude = segment === 0 ? (step << 1) + 1 : ((step << 1) + 33) << (segment - 1);
  return bits & 0x80 ? magnitude << 3 : -(magnitude << 3);
}

function buildEncodeTable(encode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(0x10000);
  // Indexed by the sample's 16-bit two's-complement pattern (sample & 0xffff).
  for (let sample = -0x8000; sample < 0x8000; sample++) table[sample & 0xffff] = encode(sample);
  return table;
}

function buildDecodeTable(decode: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = decode(code);
  return table;
}

const mulawEncodeTable = buildEncodeTable(mulawFromLinear);
const alawEncodeTable = buildEncodeTable(alawFromLinear);
/** Reconstruction values of the 256 µ-law codes, in 16-bit linear PCM. */
export const MULAW_DECODE_TABLE: Readonly<Int16Array> = buildDecodeTable(linearFromMulaw);
/** Reconstruction values of the 256 A-law codes, in 16-bit linear PCM. */
export const ALAW_DECODE_TABLE: Readonly<Int16Array> = buildDecodeTable(linearFromAlaw);

/** µ-law code 0x7f decodes to 0 (G.711's "negative zero"), which encodes as 0xff. */
export const MULAW_NEGATIVE_ZERO = 0x7f;

/**
 * Transcoding tables, µ-law code → A-law code and back, built through the linear
 * reconstruction value: decode with one law, re-encode with the other — the same result as
 * any decode/encode path in the engine. G.711 §3 (Tables 3 and 4) publishes dedicated
 * conversion tables, which we do not reproduce; the tests bound the tandem error of ours
 * (µ→A→µ is exact above the lowest segment; A→µ→A is at most 1.5 A-law steps off).
 */
export const MULAW_TO_ALAW: Readonly<Uint8Array> = Uint8Array.from(MULAW_DECODE_TABLE, (v) =>
  alawFromLinear(v),
);
export const ALAW_TO_MULAW: Readonly<Uint8Array> = Uint8Array.from(ALAW_DECODE_TABLE, (v) =>
  mulawFromLinear(v),
);

function encodeWith(table: Uint8Array, pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[(pcm[i] ?? 0) & 0xffff] ?? 0;
  return out;
}

function decodeWith(table: Readonly<Int16Array>, codes: Uint8Array): Int16Array {
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i] ?? 0] ?? 0;
  return out;
}

function mapWith(table: Readonly<Uint8Array>, codes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i] ?? 0] ?? 0;
  return out;
}

export const encodeMulaw = (pcm: Int16Array): Buffer => encodeWith(mulawEncodeTable, pcm);
export const encodeAlaw = (pcm: Int16Array): Buffer => encodeWith(alawEncodeTable, pcm);
export const decodeMulaw = (codes: Uint8Array): Int16Array => decodeWith(MULAW_DECODE_TABLE, codes);
export const decodeAlaw = (codes: Uint8Array): Int16Array => decodeWith(ALAW_DECODE_TABLE, codes);
/** PCMU payload → PCMA payload, one table lookup per byte. */
export const mulawToAlaw = (codes: Uint8Array): Buffer => mapWith(MULAW_TO_ALAW, codes);
/** PCMA payload → PCMU payload, one table lookup per byte. */
export const alawToMulaw = (codes: Uint8Array): Buffer => mapWith(ALAW_TO_MULAW, codes);
