import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALAW_DECODE_TABLE, MULAW_DECODE_TABLE } from '../codec/g711.ts';
import { isWavError } from './wav-error.ts';
import { type WavAudio, type WavEncoding } from './wav-format.ts';
import { parseWav } from './wav-reader.ts';
import { encodeWav } from './wav-writer.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isWavError(error) ? error.code : 'not a WavError';
  }
  return undefined;
}

/** A 16-bit PCM mono 8 kHz file with the given data bytes, laid out field by field. */
function pcmFile(
  data: number[],
  { dataSize = data.length, fmtSize = 16, extensible = false } = {},
): Buffer {
  const fields = Buffer.alloc(40);
  fields.writeUInt16LE(extensible ? 0xfffe : 1, 0); // WAVE_FORMAT_PCM or _EXTENSIBLE
  fields.writeUInt16LE(1, 2); // mono
  fields.writeUInt32LE(8000, 4);
  fields.writeUInt32LE(16000, 8); // byte rate
  fields.writeUInt16LE(2, 12); // block align
  fields.writeUInt16LE(16, 14);
  fields.writeUInt16LE(22, 16); // extension size
  fields.writeUInt16LE(16, 18); // valid bits
  fields.writeUInt32LE(0x4, 20); // channel mask: front centre
  // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71
  Buffer.from('0100000000001000800000aa00389b71', 'hex').copy(fields, 24);
  const fmt = fields.subarray(0, extensible ? 40 : fmtSize);
  const chunk = (id: string, body: Buffer, size = body.length): Buffer => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(size, 4);
    return Buffer.concat([header, body]);
  };
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    chunk('fmt ', fmt),
    chunk('LIST', Buffer.from('INFOx')), // odd size: followed by a pad byte
    Buffer.alloc(1),
    chunk('data', Buffer.from(data), dataSize),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

describe('parseWav', () => {
  it('reads a hand-built PCM file, skipping an odd-sized chunk and its pad byte', () => {
    const audio = parseWav(pcmFile([0x01, 0x00, 0xff, 0xff, 0x00, 0x80]));
    expect(audio).toMatchObject({ encoding: 'pcm16', sampleRate: 8000, channels: 1 });
    expect([...audio.samples]).toEqual([1, -1, -32768]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE by its sub-format', () => {
    const audio = parseWav(pcmFile([0x10, 0x00], { extensible: true }));
    expect(audio).toMatchObject({ encoding: 'pcm16', channels: 1, samples: Int16Array.of(16) });
  });

  it('round-trips what encodeWav writes in every encoding and layout', () => {
    const cases: [WavEncoding, 1 | 2, number][] = [
      ['pcm16', 1, 8000],
      ['pcm16', 2, 44100],
      ['mulaw', 1, 8000],
      ['alaw', 2, 16000],
      ['mulaw', 1, 48000],
    ];
    for (const [encoding, channels, sampleRate] of cases) {
      // Values every law reproduces exactly: its own reconstruction levels.
      const levels =
        encoding === 'mulaw' ? MULAW_DECODE_TABLE : encoding === 'alaw' ? ALAW_DECODE_TABLE : null;
      const samples = Int16Array.from({ length: 2 * 101 }, (_, i) =>
        levels ? (levels[(i * 37) % 256] ?? 0) : i * 311 - 30000,
      );
      const audio: WavAudio = { encoding, channels, sampleRate, samples };
      expect(parseWav(encodeWav(audio))).toEqual(audio);
    }
  });

  it('pads an odd-sized 8-bit data chunk to keep the file word-aligned', () => {
    const file = encodeWav({
      encoding: 'alaw',
      channels: 1,
      sampleRate: 8000,
      samples: new Int16Array(3),
    });
    expect(file.length % 2).toBe(0);
    expect(file.readUInt32LE(4)).toBe(file.length - 8);
    expect(parseWav(file).samples).toHaveLength(3);
  });

  it('names the problem in broken files', () => {
    const good = pcmFile([1, 0, 2, 0]);
    expect(codeOf(() => parseWav(Buffer.alloc(0)))).toBe('truncated_header');
    expect(codeOf(() => parseWav(Buffer.from('RIFX....WAVE', 'latin1')))).toBe('not_riff');
    expect(codeOf(() => parseWav(Buffer.from('RIFF\0\0\0\0AVI ', 'latin1')))).toBe('not_wave');
    expect(codeOf(() => parseWav(good.subarray(0, 16)))).toBe('truncated_header');
    expect(codeOf(() => parseWav(good.subarray(0, 30)))).toBe('truncated_chunk');
    expect(codeOf(() => parseWav(pcmFile([1, 0, 2, 0], { dataSize: 400 })))).toBe('truncated_data');
    expect(codeOf(() => parseWav(good.subarray(0, good.length - 1)))).toBe('truncated_data');
    expect(codeOf(() => parseWav(pcmFile([1, 0, 2], { dataSize: 3 })))).toBe('truncated_data');
    expect(codeOf(() => parseWav(pcmFile([1, 0], { fmtSize: 14 })))).toBe('malformed_fmt');
  });

  it('refuses files without fmt or data, and formats it does not take', () => {
    const withoutData = pcmFile([]).subarray(0, 12 + 24 + 14);
    expect(codeOf(() => parseWav(withoutData))).toBe('missing_data');
    const onlyData = Buffer.concat([Buffer.from('RIFF\x0c\0\0\0WAVEdata\0\0\0\0', 'latin1')]);
    expect(codeOf(() => parseWav(onlyData))).toBe('missing_fmt');

    const patched = (offset: number, write: (b: Buffer) => void): Buffer => {
      const file = pcmFile([0, 0]);
      write(file.subarray(20 + offset));
      return file;
    };
    // Format tag 3 (IEEE float), 8-bit PCM, 6 channels, 12345 Hz, a wrong block align.
    expect(codeOf(() => parseWav(patched(0, (b) => b.writeUInt16LE(3, 0))))).toBe(
      'unsupported_encoding',
    );
    expect(codeOf(() => parseWav(patched(14, (b) => b.writeUInt16LE(8, 0))))).toBe(
      'unsupported_encoding',
    );
    expect(codeOf(() => parseWav(patched(2, (b) => b.writeUInt16LE(6, 0))))).toBe(
      'unsupported_channels',
    );
    expect(codeOf(() => parseWav(patched(4, (b) => b.writeUInt32LE(12345, 0))))).toBe(
      'unsupported_sample_rate',
    );
    expect(codeOf(() => parseWav(patched(12, (b) => b.writeUInt16LE(4, 0))))).toBe('malformed_fmt');
  });
});

describe.skipIf(!existsSync('/usr/bin/sox'))('parseWav on files written by sox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provod-wav-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const formats: { encoding: WavEncoding; soxArgs: string[] }[] = [
    { encoding: 'pcm16', soxArgs: ['-e', 'signed-integer', '-b', '16'] },
    { encoding: 'mulaw', soxArgs: ['-e', 'u-law', '-b', '8'] },
    { encoding: 'alaw', soxArgs: ['-e', 'a-law', '-b', '8'] },
  ];
  for (const { encoding, soxArgs } of formats) {
    for (const rate of [8000, 16000, 44100, 48000]) {
      for (const channels of [1, 2] as const) {
        it(`reads ${encoding} ${rate} Hz ${channels === 1 ? 'mono' : 'stereo'}`, () => {
          const file = join(dir, `${encoding}-${rate}-${channels}.wav`);
          execFileSync('sox', [
            ...['-n', '-r', String(rate), '-c', String(channels), ...soxArgs, file],
            ...['synth', '0.25', 'sine', '1000', 'vol', '0.5'],
          ]);
          const audio = parseWav(readFileSync(file));
          expect(audio).toMatchObject({ encoding, sampleRate: rate, channels });
          expect(audio.samples).toHaveLength(rate * 0.25 * channels);
          // A 1 kHz sine at half scale: peak ≈ 16384, mean ≈ 0.
          const peak = audio.samples.reduce((max, x) => Math.max(max, Math.abs(x)), 0);
          expect(peak).toBeGreaterThan(15_000);
          expect(peak).toBeLessThan(17_500);
        });
      }
    }
  }
});
