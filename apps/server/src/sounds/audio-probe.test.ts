import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProvodError } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { chunk, id3Tag, mp3Frame, wav } from '../../test/audio-fixtures.ts';
import { probeAudio, probeMp3, probeWav, soundContentTypeOf } from './audio-probe.ts';

function rejection(probe: () => unknown): string {
  try {
    probe();
  } catch (error) {
    if (isProvodError(error) && error.code === 'validation_failed') return error.message;
    throw error;
  }
  throw new Error('expected the probe to reject the bytes');
}

describe('probeWav', () => {
  it('reads 16-bit PCM mono and computes the duration from the data chunk', () => {
    expect(probeWav(wav({ frames: 12_000 }))).toEqual({
      format: 'wav',
      contentType: 'audio/wav',
      encoding: 'pcm_s16le',
      sampleRate: 8000,
      channels: 1,
      durationMs: 1500,
    });
  });

  it('reads µ-law and A-law, stereo, 48 kHz, and skips unknown chunks (odd sizes padded)', () => {
    expect(probeWav(wav({ tag: 7, frames: 4000 }))).toMatchObject({
      encoding: 'mulaw',
      durationMs: 500,
    });
    expect(probeWav(wav({ tag: 6, channels: 2, frames: 8000 }))).toMatchObject({
      encoding: 'alaw',
      channels: 2,
      durationMs: 1000,
    });
    const list = chunk('LIST', Buffer.from('INFOISFT\x03\x00\x00\x00ab\x00', 'latin1'));
    expect(
      probeWav(wav({ sampleRate: 48_000, channels: 2, frames: 24_000, extraChunks: [list] })),
    ).toMatchObject({ sampleRate: 48_000, channels: 2, durationMs: 500 });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with a PCM sub-format', () => {
    const fmt = Buffer.alloc(40);
    fmt.writeUInt16LE(0xfffe, 0);
    fmt.writeUInt16LE(1, 2);
    fmt.writeUInt32LE(16_000, 4);
    fmt.writeUInt32LE(32_000, 8);
    fmt.writeUInt16LE(2, 12);
    fmt.writeUInt16LE(16, 14);
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(16, 18);
    fmt.writeUInt32LE(4, 20);
    // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71
    Buffer.from('0100000000001000800000aa00389b71', 'hex').copy(fmt, 24);
    const file = chunk(
      'RIFF',
      Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), chunk('data', Buffer.alloc(3200))]),
    );
    expect(probeWav(file)).toMatchObject({ encoding: 'pcm_s16le', durationMs: 100 });
  });

  it('rejects what is not a WAV file', () => {
    expect(rejection(() => probeWav(Buffer.alloc(0)))).toBe('not a WAV file: missing RIFF header');
    expect(rejection(() => probeWav(id3Tag()))).toBe('not a WAV file: missing RIFF header');
    const avi = wav();
    avi.write('AVI ', 8, 'latin1');
    expect(rejection(() => probeWav(avi))).toBe('not a WAV file: RIFF form is not WAVE');
  });

  it('rejects truncated files with the place they break', () => {
    const file = wav({ frames: 800 });
    expect(rejection(() => probeWav(file.subarray(0, file.length - 10)))).toBe(
      'WAV data chunk is truncated',
    );
    expect(rejection(() => probeWav(file.subarray(0, 30)))).toBe('WAV fmt chunk is truncated');
    expect(rejection(() => probeWav(file.subarray(0, 40)))).toBe('WAV chunk header is truncated');
    expect(rejection(() => probeWav(file.subarray(0, 36)))).toBe('WAV file has no data chunk');
    expect(rejection(() => probeWav(file.subarray(0, 12)))).toBe('WAV file has no fmt chunk');
    expect(rejection(() => probeWav(wav({ frames: 0 })))).toBe('WAV data chunk is empty');
  });

  it('rejects a data chunk before fmt', () => {
    const file = chunk(
      'RIFF',
      Buffer.concat([Buffer.from('WAVE'), chunk('data', Buffer.alloc(16))]),
    );
    expect(rejection(() => probeWav(file))).toBe('WAV data chunk comes before the fmt chunk');
  });

  it('rejects encodings, sample sizes, channel counts and rates telephony cannot play', () => {
    expect(rejection(() => probeWav(wav({ tag: 3, bitsPerSample: 32 })))).toContain(
      'WAV encoding 3 is not supported',
    );
    expect(rejection(() => probeWav(wav({ bitsPerSample: 8 })))).toBe(
      'WAV pcm_s16le must have 16 bits per sample, not 8',
    );
    expect(rejection(() => probeWav(wav({ channels: 6 })))).toBe(
      'WAV must be mono or stereo, not 6 channels',
    );
    expect(rejection(() => probeWav(wav({ sampleRate: 96_000, frames: 10 })))).toBe(
      'WAV sample rate 96000 Hz is outside 8000–48000 Hz',
    );
    expect(rejection(() => probeWav(wav({ sampleRate: 4000 })))).toContain('sample rate 4000');
  });

  // sox is installed by scripts/install-system-deps.sh, which `npm test` runs first.
  it('reads a file written by sox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provod-sox-'));
    try {
      const file = join(dir, 'tone.wav');
      const made = spawnSync('sox', [
        '-n',
        '-r',
        '8000',
        '-c',
        '1',
        '-b',
        '16',
        '-e',
        'signed',
        file,
        'synth',
        '1.25',
        'sine',
        '440',
      ]);
      expect(made.status).toBe(0);
      expect(probeWav(readFileSync(file))).toMatchObject({ sampleRate: 8000, durationMs: 1250 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('probeMp3', () => {
  it('accepts a bare MPEG audio frame, an ID3v2 tag before it, and tag padding', () => {
    const expected = { format: 'mp3', contentType: 'audio/mpeg', durationMs: null };
    expect(probeMp3(mp3Frame())).toEqual(expected);
    expect(probeMp3(Buffer.concat([id3Tag(), mp3Frame()]))).toEqual(expected);
    expect(probeMp3(Buffer.concat([id3Tag(64), mp3Frame()]))).toEqual(expected);
  });

  it('rejects files without a frame sync or with a broken tag', () => {
    expect(rejection(() => probeMp3(wav()))).toBe(
      'not an MP3 file: no ID3 tag or MPEG audio frame sync at the start',
    );
    const reservedLayer = mp3Frame();
    reservedLayer.writeUInt8(0xf9, 1);
    expect(rejection(() => probeMp3(reservedLayer))).toContain('not an MP3 file');
    const badBitrate = mp3Frame();
    badBitrate.writeUInt8(0xf4, 2);
    expect(rejection(() => probeMp3(badBitrate))).toContain('not an MP3 file');
    expect(rejection(() => probeMp3(Buffer.from('ID3\x04\x00', 'latin1')))).toBe(
      'MP3 ID3 tag is truncated',
    );
    expect(rejection(() => probeMp3(id3Tag().subarray(0, 15)))).toBe('MP3 ID3 tag is truncated');
    expect(rejection(() => probeMp3(id3Tag()))).toBe(
      'MP3 file has no audio frame after its ID3 tag',
    );
    expect(rejection(() => probeMp3(Buffer.concat([id3Tag(), Buffer.from('junk')])))).toBe(
      'MP3 file has no MPEG audio frame sync after its ID3 tag',
    );
  });
});

describe('content types', () => {
  it('maps the accepted upload types to the stored ones', () => {
    expect(soundContentTypeOf('audio/x-wav')).toBe('audio/wav');
    expect(soundContentTypeOf('Audio/WAVE; codecs=1')).toBe('audio/wav');
    expect(soundContentTypeOf('audio/mpeg')).toBe('audio/mpeg');
    expect(soundContentTypeOf('audio/ogg')).toBeUndefined();
    expect(soundContentTypeOf(undefined)).toBeUndefined();
  });

  it('holds the bytes to the declared type', () => {
    expect(probeAudio('audio/wav', wav()).format).toBe('wav');
    expect(rejection(() => probeAudio('audio/mpeg', wav()))).toContain('not an MP3 file');
    expect(rejection(() => probeAudio('audio/wav', mp3Frame()))).toContain('not a WAV file');
  });
});
