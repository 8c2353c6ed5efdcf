import { readFile } from 'node:fs/promises';
import { downmixToMono } from './downmix.ts';
import { resample } from './resample.ts';
import { type WavEncoding } from './wav-format.ts';
import { parseWav } from './wav-reader.ts';

/** The rate and frame size every call leg plays at: G.711's 8 kHz, 20 ms (RFC 3551 §4.5). */
export const PROMPT_SAMPLE_RATE = 8000;
export const PROMPT_FRAME_SAMPLES = 160;

/** A prompt ready to play: 8 kHz mono linear PCM in 20 ms frames. */
export interface Prompt {
  /** 160 samples each; the last is padded with silence. */
  readonly frames: readonly Int16Array[];
  /** Duration of the audio itself, before padding. */
  readonly durationMs: number;
  /** What the file held, for logs and the upload response. */
  readonly source: {
    readonly encoding: WavEncoding;
    readonly sampleRate: number;
    readonly channels: number;
  };
}

/**
 * Any WAV the reader accepts (16-bit PCM, µ-law, A-law; mono or stereo; 8–48 kHz) → a
 * playable prompt: down-mixed to mono, then resampled to 8 kHz (mixing first halves the
 * filtering work), then cut into 20 ms frames. Throws WavError for a file it refuses.
 */
export function promptFromWav(file: Uint8Array): Prompt {
  const audio = parseWav(file);
  const mono = downmixToMono(audio.samples, audio.channels);
  const pcm = resample(mono, audio.sampleRate, PROMPT_SAMPLE_RATE);
  const frames: Int16Array[] = [];
  for (let start = 0; start < pcm.length; start += PROMPT_FRAME_SAMPLES) {
    const frame = new Int16Array(PROMPT_FRAME_SAMPLES);
    frame.set(pcm.subarray(start, start + PROMPT_FRAME_SAMPLES));
    frames.push(frame);
  }
  return {
    frames,
    durationMs: (mono.length * 1000) / audio.sampleRate,
    source: { encoding: audio.encoding, sampleRate: audio.sampleRate, channels: audio.channels },
  };
}

/** Reads and converts a prompt file; the path comes from the caller (config, upload store). */
export async function loadPromptFile(path: string): Promise<Prompt> {
  return promptFromWav(await readFile(path));
}
