import { PROMPT_SAMPLE_RATE } from '../audio/prompt.ts';
import { encodeWav } from '../audio/wav-writer.ts';

export interface VoicemailLimits {
  /** The longest message; recording stops there ('max_length'). */
  readonly maxMs: number;
  /** Silence this long after speech ends the message ('silence'). */
  readonly silenceMs: number;
  /**
   * Frames quieter than this (dBFS, RMS) count as silence. −40 dBFS sits well above
   * G.711's idle noise (about −70) and a quiet line's hiss (−55), and below speech at
   * a phone's normal level (−25 to −10).
   */
  readonly silenceDbfs?: number;
}

export type VoicemailStop = 'max_length' | 'silence' | 'stopped';

export interface VoicemailMessage {
  /** The message as a WAV file (8 kHz, 16-bit mono), trailing silence trimmed. */
  readonly wav: Buffer;
  readonly durationMs: number;
  readonly reason: VoicemailStop;
  /** Whether anything louder than silence was heard: without it there is no message. */
  readonly heardSpeech: boolean;
}

const FULL_SCALE = 32768;

/**
 * Records one voicemail message from a caller's decoded audio (8 kHz mono, in whatever
 * chunks the phone's packets hold). It ends itself at the length limit or after a pause
 * once the caller has spoken, and on `stop` (the caller pressed # or hung up). A message
 * is at most ten minutes (the voicemail node's limit), 9.6 MB of PCM, so it is kept in
 * memory and written once.
 */
export class VoicemailRecorder {
  readonly done: Promise<VoicemailMessage>;
  private readonly chunks: Int16Array[] = [];
  private samples = 0;
  /** Samples up to the end of the last loud frame: where trailing silence starts. */
  private lastSpeechEnd = 0;
  private heardSpeech = false;
  private finished = false;
  private settle: ((message: VoicemailMessage) => void) | undefined;
  private readonly threshold: number;
  private readonly maxSamples: number;
  private readonly silenceSamples: number;

  constructor(limits: VoicemailLimits) {
    this.threshold = FULL_SCALE * 10 ** ((limits.silenceDbfs ?? -40) / 20);
    this.maxSamples = (limits.maxMs * PROMPT_SAMPLE_RATE) / 1000;
    this.silenceSamples = (limits.silenceMs * PROMPT_SAMPLE_RATE) / 1000;
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  write(pcm: Int16Array): void {
    if (this.finished || pcm.length === 0) return;
    const room = this.maxSamples - this.samples;
    const chunk = pcm.length > room ? pcm.subarray(0, room) : pcm;
    this.chunks.push(Int16Array.from(chunk));
    this.samples += chunk.length;
    if (rms(chunk) >= this.threshold) {
      this.heardSpeech = true;
      this.lastSpeechEnd = this.samples;
    }
    if (this.samples >= this.maxSamples) this.finish('max_length');
    else if (this.heardSpeech && this.samples - this.lastSpeechEnd >= this.silenceSamples) {
      this.finish('silence');
    }
  }

  /** Ends the message now; later writes are ignored. Resolves as `done` does. */
  stop(reason: VoicemailStop = 'stopped'): Promise<VoicemailMessage> {
    this.finish(reason);
    return this.done;
  }

  private finish(reason: VoicemailStop): void {
    if (!this.finished) {
      this.finished = true;
      const kept = this.heardSpeech ? this.lastSpeechEnd : 0;
      const samples = new Int16Array(kept);
      let offset = 0;
      for (const chunk of this.chunks) {
        if (offset >= kept) break;
        samples.set(chunk.subarray(0, kept - offset), offset);
        offset += chunk.length;
      }
      this.settle?.({
        wav: encodeWav({ encoding: 'pcm16', sampleRate: PROMPT_SAMPLE_RATE, channels: 1, samples }),
        durationMs: (kept * 1000) / PROMPT_SAMPLE_RATE,
        reason,
        heardSpeech: this.heardSpeech,
      });
    }
  }
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / pcm.length);
}
