import { randomBytes } from 'node:crypto';
import { type AudioEncoder } from '../codec/codec.ts';
import { createDefaultCodecRegistry } from '../codec/codec-registry.ts';
import { PROMPT_FRAME_SAMPLES, PROMPT_SAMPLE_RATE, type Prompt } from '../audio/prompt.ts';
import { type LegFormat } from '../leg/leg-format.ts';
import { type MediaLeg } from '../leg/media-leg.ts';

/** A prompt that cannot be played on a leg; callers branch on `code`. */
export class PlayerError extends Error {
  override readonly name = 'PlayerError';
  constructor(
    readonly code: 'unsupported_codec',
    message: string,
  ) {
    super(message);
  }
}

export function isPlayerError(error: unknown): error is PlayerError {
  return error instanceof PlayerError;
}

export interface PlayOptions {
  /** Stops the playback (the caller hung up, pressed a key, an agent answered). */
  readonly signal?: AbortSignal;
  /** Repeat until the signal stops it: music on hold. */
  readonly loop?: boolean;
  /** Monotonic milliseconds; tests pass their own. */
  readonly now?: () => number;
}

const FRAME_MS = 20;
/** After a stall longer than this, frames are skipped, not sent in a burst the phone drops. */
const MAX_CATCH_UP_FRAMES = 3;
const registry = createDefaultCodecRegistry();

/**
 * Plays prompts (audio/prompt.ts: 8 kHz, 20 ms frames) into a leg as one RTP stream with
 * its own SSRC, so the leg marks its start (leg/media-leg.ts). Frames are paced on an
 * absolute schedule — frame n leaves at start + n·20 ms — so timer jitter never adds up
 * to drift; after the event loop stalled, the late frames are skipped (timestamps move on
 * as if sent) rather than burst. A leg on hold or not yet configured still keeps the
 * clock; its frames are dropped. Resolves 'finished' after the last frame, 'stopped'
 * when the signal aborts (within one frame).
 */
export function playPrompts(
  leg: MediaLeg,
  prompts: readonly Prompt[],
  options: PlayOptions = {},
): Promise<'finished' | 'stopped'> {
  const frames = prompts.flatMap((prompt) => prompt.frames);
  const signal = options.signal;
  if (signal?.aborted === true) return Promise.resolve('stopped');
  if (frames.length === 0) return Promise.resolve('finished');
  const now = options.now ?? (() => performance.now());
  const ssrc = randomBytes(4).readUInt32BE(0);
  let timestamp = randomBytes(4).readUInt32BE(0);
  let encoder: { readonly format: LegFormat; readonly encode: AudioEncoder } | null = null;
  const encode = (format: LegFormat, frame: Int16Array): Buffer => {
    if (encoder?.format !== format) encoder = { format, encode: encoderFor(format) };
    return encoder.encode.encode(frame);
  };

  return new Promise((resolve, reject) => {
    const start = now();
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: 'finished' | 'stopped') => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => finish('stopped');
    signal?.addEventListener('abort', onAbort, { once: true });

    const tick = () => {
      const due = Math.floor((now() - start) / FRAME_MS) + 1;
      if (due - sent > MAX_CATCH_UP_FRAMES) {
        const skipped = due - sent - 1;
        timestamp = (timestamp + skipped * PROMPT_FRAME_SAMPLES) >>> 0;
        sent += skipped;
      }
      try {
        while (sent < due) {
          const index = sent % frames.length;
          if (!options.loop && sent >= frames.length) {
            finish('finished');
            return;
          }
          const frame = frames[index];
          const format = leg.format;
          if (frame !== undefined && format !== null) {
            leg.send(
              { ssrc, timestamp, marker: sent === 0 },
              { kind: 'voice', payload: encode(format, frame) },
            );
          }
          timestamp = (timestamp + PROMPT_FRAME_SAMPLES) >>> 0;
          sent++;
        }
      } catch (error) {
        signal?.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (!options.loop && sent >= frames.length) {
        // The last frame is out; it still has its 20 ms to play.
        timer = setTimeout(() => finish('finished'), FRAME_MS);
        return;
      }
      timer = setTimeout(tick, Math.max(0, start + sent * FRAME_MS - now()));
    };
    tick();
  });
}

function encoderFor(format: LegFormat): AudioEncoder {
  const codec = registry.find(format.codec);
  if (codec === undefined || codec.pcmSampleRate !== PROMPT_SAMPLE_RATE) {
    throw new PlayerError(
      'unsupported_codec',
      `prompts play at 8 kHz; the leg speaks ${format.codec.encodingName}/${format.codec.clockRate}`,
    );
  }
  return codec.createEncoder();
}
