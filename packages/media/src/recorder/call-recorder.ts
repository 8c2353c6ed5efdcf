import { open, type FileHandle } from 'node:fs/promises';
import { PROMPT_FRAME_SAMPLES, PROMPT_SAMPLE_RATE } from '../audio/prompt.ts';
import { encodeWav } from '../audio/wav-writer.ts';

export type RecordedSide = 'caller' | 'callee';

export interface CallRecording {
  readonly path: string;
  readonly durationMs: number;
  readonly bytes: number;
  /** Why it ended early, when writing failed (the file holds what was written). */
  readonly failure: Error | undefined;
}

const FRAME_MS = 20;
/** A side may run this far ahead of the clock (jitter, bursts) before its oldest audio goes. */
const MAX_QUEUED_SAMPLES = PROMPT_SAMPLE_RATE / 2;
/** Frames gathered before each write: about a second, so the disk sees few large writes. */
const FRAMES_PER_WRITE = 50;
/** The 44-byte header of 8 kHz 16-bit stereo PCM; its sizes are patched when recording ends. */
const HEADER_BYTES = 44;

/**
 * A call recorded as stereo WAV — the caller left, the callee right — written to disk as
 * it goes (an hour is 115 MB; it never sits in memory). Clock-driven: every 20 ms one
 * frame per side is written, that side's audio or silence, so a phone that sends nothing
 * (on hold, VAD) is silence and the two channels stay in step for the whole call; audio
 * arriving faster than real time is bounded (the oldest dropped). Frames are placed on an
 * absolute schedule, so an hour does not drift.
 */
export class CallRecorder {
  private readonly queues: Record<RecordedSide, Int16Array[]> = { caller: [], callee: [] };
  private readonly queued: Record<RecordedSide, number> = { caller: 0, callee: 0 };
  private pending: Buffer[] = [];
  private written = 0;
  private frames = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly start: number;
  private stopped: Promise<CallRecording> | undefined;

  static async create(path: string, now: () => number = () => performance.now()) {
    const file = await open(path, 'wx');
    try {
      const header = encodeWav({
        encoding: 'pcm16',
        sampleRate: PROMPT_SAMPLE_RATE,
        channels: 2,
        samples: new Int16Array(0),
      });
      await file.write(header, 0, HEADER_BYTES, 0);
    } catch (error) {
      await file.close();
      throw error;
    }
    return new CallRecorder(path, file, now);
  }

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private readonly now: () => number,
  ) {
    this.start = now();
    this.timer = setInterval(() => this.tick(), FRAME_MS);
  }

  /** Audio heard from one side's phone: 8 kHz mono PCM in any chunk size. */
  write(side: RecordedSide, pcm: Int16Array): void {
    if (this.stopped !== undefined || this.failure !== undefined) return;
    this.queues[side].push(pcm);
    this.queued[side] += pcm.length;
    while (this.queued[side] > MAX_QUEUED_SAMPLES) {
      const dropped = this.queues[side].shift();
      this.queued[side] -= dropped?.length ?? this.queued[side];
    }
  }

  /** Ends the recording: the last frames written, the header's sizes patched, the file closed. */
  stop(): Promise<CallRecording> {
    this.stopped ??= (async () => {
      clearInterval(this.timer);
      this.tick();
      this.flush();
      await this.writing;
      if (this.failure === undefined) {
        try {
          const sizes = Buffer.alloc(4);
          sizes.writeUInt32LE(36 + this.written);
          await this.file.write(sizes, 0, 4, 4);
          sizes.writeUInt32LE(this.written);
          await this.file.write(sizes, 0, 4, 40);
        } catch (error) {
          this.failure = error instanceof Error ? error : new Error(String(error));
        }
      }
      await this.file.close();
      return {
        path: this.path,
        durationMs: this.frames * FRAME_MS,
        bytes: HEADER_BYTES + this.written,
        failure: this.failure,
      };
    })();
    return this.stopped;
  }

  /** Every frame due by now, on the absolute schedule (start + n·20 ms). */
  private tick(): void {
    if (this.failure !== undefined) return;
    const due = Math.floor((this.now() - this.start) / FRAME_MS);
    while (this.frames < due) {
      this.pending.push(this.stereoFrame());
      this.frames++;
      if (this.pending.length >= FRAMES_PER_WRITE) this.flush();
    }
  }

  private stereoFrame(): Buffer {
    const left = this.take('caller');
    const right = this.take('callee');
    const frame = Buffer.alloc(PROMPT_FRAME_SAMPLES * 4);
    for (let i = 0; i < PROMPT_FRAME_SAMPLES; i++) {
      frame.writeInt16LE(left[i] ?? 0, i * 4);
      frame.writeInt16LE(right[i] ?? 0, i * 4 + 2);
    }
    return frame;
  }

  /** One frame's samples from a side's queue; what is missing is silence. */
  private take(side: RecordedSide): Int16Array {
    const frame = new Int16Array(PROMPT_FRAME_SAMPLES);
    let filled = 0;
    const queue = this.queues[side];
    while (filled < PROMPT_FRAME_SAMPLES && queue.length > 0) {
      const head = queue[0];
      if (head === undefined) break;
      const count = Math.min(head.length, PROMPT_FRAME_SAMPLES - filled);
      frame.set(head.subarray(0, count), filled);
      filled += count;
      this.queued[side] -= count;
      if (count === head.length) queue.shift();
      else queue[0] = head.subarray(count);
    }
    return frame;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    const at = HEADER_BYTES + this.written;
    this.written += chunk.length;
    this.writing = this.writing.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await this.file.write(chunk, 0, chunk.length, at);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.written = at - HEADER_BYTES;
        clearInterval(this.timer);
      }
    });
  }
}
