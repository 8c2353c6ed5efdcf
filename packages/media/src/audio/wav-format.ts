/**
 * What the RIFF WAVE format (Microsoft/IBM, "Multimedia Programming Interface and Data
 * Specifications 1.0", 1991, and the WAVE_FORMAT_EXTENSIBLE addendum) says about the
 * encodings we take: format tags in the fmt chunk, and the sample rates we resample from.
 */
export type WavEncoding = 'pcm16' | 'alaw' | 'mulaw';

/** A WAV file's audio, decoded: interleaved 16-bit linear samples. */
export interface WavAudio {
  /** How the samples were (or are to be) stored in the file. */
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Interleaved linear PCM (L, R, L, R… for stereo), whatever the file's encoding. */
  readonly samples: Int16Array;
}

// mmreg.h format tags: WAVE_FORMAT_PCM, WAVE_FORMAT_ALAW, WAVE_FORMAT_MULAW, and
// WAVE_FORMAT_EXTENSIBLE, whose sub-format GUID starts with one of the others.
export const FORMAT_TAG = { pcm: 0x0001, alaw: 0x0006, mulaw: 0x0007, extensible: 0xfffe } as const;

export const BITS_PER_SAMPLE: Record<WavEncoding, number> = { pcm16: 16, alaw: 8, mulaw: 8 };

/** Rates whose ratio to 8 kHz keeps the resampler's filter small (see resample.ts). */
export const SUPPORTED_SAMPLE_RATES: readonly number[] = [
  8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000,
];
