import { decodeAlaw, decodeMulaw } from '../codec/g711.ts';
import { WavError } from './wav-error.ts';
import {
  BITS_PER_SAMPLE,
  FORMAT_TAG,
  SUPPORTED_SAMPLE_RATES,
  type WavAudio,
  type WavEncoding,
} from './wav-format.ts';

/**
 * RIFF WAVE layout (Multimedia Programming Interface and Data Specifications 1.0, "RIFF
 * Waveform Audio Format"):
 *
 *   "RIFF" <u32 size> "WAVE"  then chunks: <4-byte id> <u32 LE size> <data> [pad to even]
 *   fmt  : u16 format tag, u16 channels, u32 sample rate, u32 byte rate, u16 block align,
 *          u16 bits per sample [, u16 extra size, extra…]
 *          (WAVE_FORMAT_EXTENSIBLE extra: u16 valid bits, u32 channel mask, 16-byte GUID
 *          whose first two bytes are the real format tag)
 *   data : the samples, interleaved, little-endian
 * Other chunks (fact, LIST, cue…) are skipped.
 */
interface FmtChunk {
  readonly encoding: WavEncoding;
  readonly channels: 1 | 2;
  readonly sampleRate: number;
  readonly blockAlign: number;
}

const RIFF_HEADER_SIZE = 12;
const CHUNK_HEADER_SIZE = 8;

/** Decodes a WAV file; throws WavError naming the first problem found. */
export function parseWav(file: Uint8Array): WavAudio {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.length < RIFF_HEADER_SIZE) {
    throw new WavError('truncated_header', `file has ${bytes.length} bytes, a RIFF header 12`);
  }
  if (bytes.toString('latin1', 0, 4) !== 'RIFF') {
    throw new WavError('not_riff', 'file does not start with "RIFF"');
  }
  if (bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavError('not_wave', `RIFF form type is "${bytes.toString('latin1', 8, 12)}"`);
  }

  let fmt: FmtChunk | undefined;
  let offset = RIFF_HEADER_SIZE;
  while (offset < bytes.length) {
    if (offset + CHUNK_HEADER_SIZE > bytes.length) {
      throw new WavError('truncated_header', `file ends inside a chunk header at byte ${offset}`);
    }
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + CHUNK_HEADER_SIZE;
    if (id === 'data') {
      if (!fmt) throw new WavError('missing_fmt', 'data chunk comes before any fmt chunk');
      return { ...formatOf(fmt), samples: decodeData(bytes, body, size, fmt) };
    }
    if (body + size > bytes.length) {
      throw new WavError(
        'truncated_chunk',
        `"${id}" chunk at byte ${offset} says ${size} bytes, ${bytes.length - body} remain`,
      );
    }
    if (id === 'fmt ') fmt = parseFmt(bytes.subarray(body, body + size));
    // Chunks are word-aligned: an odd-sized chunk is followed by a pad byte.
    offset = body + size + (size & 1);
  }
  throw new WavError(fmt ? 'missing_data' : 'missing_fmt', 'file has no data chunk');
}

function formatOf(fmt: FmtChunk): Omit<WavAudio, 'samples'> {
  return { encoding: fmt.encoding, sampleRate: fmt.sampleRate, channels: fmt.channels };
}

function parseFmt(chunk: Buffer): FmtChunk {
  if (chunk.length < 16) {
    throw new WavError('malformed_fmt', `fmt chunk has ${chunk.length} bytes, needs 16`);
  }
  let tag = chunk.readUInt16LE(0);
  const channels = chunk.readUInt16LE(2);
  const sampleRate = chunk.readUInt32LE(4);
  const byteRate = chunk.readUInt32LE(8);
  const blockAlign = chunk.readUInt16LE(12);
  const bits = chunk.readUInt16LE(14);
  if (tag === FORMAT_TAG.extensible) {
    if (chunk.length < 40) {
      throw new WavError('malformed_fmt', 'WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40');
    }
    tag = chunk.readUInt16LE(24);
  }
  const encoding = encodingOf(tag, bits);
  if (channels !== 1 && channels !== 2) {
    throw new WavError('unsupported_channels', `${channels} channels; only mono or stereo`);
  }
  if (!SUPPORTED_SAMPLE_RATES.includes(sampleRate)) {
    throw new WavError(
      'unsupported_sample_rate',
      `${sampleRate} Hz; supported: ${SUPPORTED_SAMPLE_RATES.join(', ')}`,
    );
  }
  const expectedAlign = (channels * BITS_PER_SAMPLE[encoding]) / 8;
  if (blockAlign !== expectedAlign || byteRate !== sampleRate * blockAlign) {
    throw new WavError(
      'malformed_fmt',
      `block align ${blockAlign} / byte rate ${byteRate} do not fit ${channels} × ${bits}-bit at ${sampleRate} Hz`,
    );
  }
  return { encoding, channels, sampleRate, blockAlign };
}

function encodingOf(tag: number, bits: number): WavEncoding {
  const encoding: WavEncoding | undefined =
    tag === FORMAT_TAG.pcm
      ? 'pcm16'
      : tag === FORMAT_TAG.mulaw
        ? 'mulaw'
        : tag === FORMAT_TAG.alaw
          ? 'alaw'
          : undefined;
  if (encoding === undefined || bits !== BITS_PER_SAMPLE[encoding]) {
    throw new WavError(
      'unsupported_encoding',
      `format tag 0x${tag.toString(16)} with ${bits} bits; takes 16-bit PCM, 8-bit µ-law or A-law`,
    );
  }
  return encoding;
}

function decodeData(bytes: Buffer, start: number, size: number, fmt: FmtChunk): Int16Array {
  const available = bytes.length - start;
  if (size > available) {
    throw new WavError('truncated_data', `data chunk says ${size} bytes, ${available} remain`);
  }
  if (size % fmt.blockAlign !== 0) {
    throw new WavError(
      'truncated_data',
      `data chunk of ${size} bytes ends inside a ${fmt.blockAlign}-byte sample frame`,
    );
  }
  const data = bytes.subarray(start, start + size);
  if (fmt.encoding === 'mulaw') return decodeMulaw(data);
  if (fmt.encoding === 'alaw') return decodeAlaw(data);
  const samples = new Int16Array(size / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
  return samples;
}
