import { describe, expect, it } from 'vitest';
import { samplesPerFrame, timestampUnitsPerFrame, type AudioCodec } from './codec.ts';
import { isCodecError } from './codec-error.ts';
import { CodecRegistry, createDefaultCodecRegistry } from './codec-registry.ts';
import { PCMA_CODEC, PCMU_CODEC } from './g711-codecs.ts';
import { decodeMulaw, encodeAlaw, encodeMulaw } from './g711.ts';
import { createPayloadTranscoder } from './transcode.ts';

// A stand-in with G.722's signalling quirks (RFC 3551 §4.5.2), to check the interface
// carries them; its "coding" is plain 16-bit PCM so the test can see what went through.
const wideband: AudioCodec = {
  encodingName: 'G722',
  staticPayloadType: 9,
  clockRate: 8000,
  pcmSampleRate: 16000,
  channels: 1,
  frameDurationMs: 20,
  createEncoder: () => ({
    encode: (pcm) => Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength),
  }),
  createDecoder: () => ({
    decode: (payload) => new Int16Array(payload.buffer, payload.byteOffset, payload.length / 2),
  }),
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCodecError(error) ? error.code : 'not a CodecError';
  }
  return undefined;
}

describe('CodecRegistry', () => {
  const registry = createDefaultCodecRegistry();

  it('finds codecs by SDP encoding name, case-insensitively', () => {
    expect(registry.find({ encodingName: 'pcmu', clockRate: 8000 })).toBe(PCMU_CODEC);
    expect(registry.find({ encodingName: 'PcMa', clockRate: 8000, channels: 1 })).toBe(PCMA_CODEC);
  });

  it('does not match a different clock rate, channel count or an unknown name', () => {
    expect(registry.find({ encodingName: 'PCMU', clockRate: 16000 })).toBeUndefined();
    expect(registry.find({ encodingName: 'PCMU', clockRate: 8000, channels: 2 })).toBeUndefined();
    expect(registry.find({ encodingName: 'G729', clockRate: 8000 })).toBeUndefined();
  });

  it('finds codecs by static payload type only', () => {
    expect(registry.findByStaticPayloadType(0)).toBe(PCMU_CODEC);
    expect(registry.findByStaticPayloadType(8)).toBe(PCMA_CODEC);
    expect(registry.findByStaticPayloadType(9)).toBeUndefined();
    expect(registry.findByStaticPayloadType(101)).toBeUndefined();
  });

  it('refuses a second codec under the same name or static payload type', () => {
    expect(codeOf(() => registry.register({ ...PCMU_CODEC, encodingName: 'pcmu' }))).toBe(
      'duplicate_codec',
    );
    expect(() => registry.register({ ...PCMU_CODEC, encodingName: 'X-PCMU' })).toThrow(
      /payload type 0/,
    );
  });

  it('takes a codec whose PCM rate differs from its RTP clock rate', () => {
    const extended = new CodecRegistry([PCMU_CODEC, wideband]);
    expect(extended.find({ encodingName: 'g722', clockRate: 8000 })).toBe(wideband);
    expect(samplesPerFrame(wideband)).toBe(320);
    expect(timestampUnitsPerFrame(wideband)).toBe(160);
    expect(samplesPerFrame(PCMU_CODEC)).toBe(160);
    expect(extended.list()).toEqual([PCMU_CODEC, wideband]);
  });
});

describe('createPayloadTranscoder', () => {
  const pcm = Int16Array.from({ length: 160 }, (_, n) => Math.round(9000 * Math.sin(n / 3)));

  it('transcodes PCMU to PCMA and back through the direct tables', () => {
    const pcmu = encodeMulaw(pcm);
    const toPcma = createPayloadTranscoder(PCMU_CODEC, PCMA_CODEC);
    expect(toPcma(pcmu)).toEqual(encodeAlaw(decodeMulaw(pcmu)));
    const back = createPayloadTranscoder(PCMA_CODEC, PCMU_CODEC)(toPcma(pcmu));
    expect(back).toHaveLength(160);
  });

  it('passes payloads through unchanged between equal codecs', () => {
    const payload = encodeMulaw(pcm);
    expect(createPayloadTranscoder(PCMU_CODEC, PCMU_CODEC)(payload)).toBe(payload);
  });

  it('refuses codecs at different PCM rates, which need a resampler', () => {
    expect(codeOf(() => createPayloadTranscoder(PCMU_CODEC, wideband))).toBe(
      'unsupported_transcoding',
    );
  });

  it('goes through PCM between other codecs at the same rate', () => {
    const narrow: AudioCodec = { ...wideband, encodingName: 'L16-test', pcmSampleRate: 8000 };
    const payload = createPayloadTranscoder(
      narrow,
      PCMA_CODEC,
    )(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    expect(payload).toEqual(encodeAlaw(pcm));
  });
});
