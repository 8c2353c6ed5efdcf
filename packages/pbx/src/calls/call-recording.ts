import { CallRecorder } from '@provod/media';
import type { CallMedia } from './media-anchor.ts';

/** Where a call's recording goes: the file, and the path the database keeps. */
export interface RecordingTarget {
  readonly path: string;
  readonly storagePath: string;
}

/** The tenants' recording policies and storage, as call control needs them. */
export interface CallRecordings {
  /** Where this call is recorded, or undefined when none of its parties records calls. */
  target(tenantId: string, parties: readonly string[]): Promise<RecordingTarget | undefined>;
}

export interface RecordedCall {
  readonly storagePath: string;
  readonly durationMs: number;
  readonly bytes: number;
}

/**
 * One bridged call's recording, from the answer to the end (docs/call-log.md): the
 * policy is asked while the call rings, the recorder taps both legs once answered (stereo:
 * caller left, callee right). A call whose media Provod does not anchor cannot be
 * recorded; a recorder that fails is reported and the call goes on unrecorded.
 */
export class CallRecording {
  private recorder: Promise<CallRecorder | undefined> = Promise.resolve(undefined);
  private stopTaps: (() => void)[] = [];
  private over = false;

  constructor(
    private readonly target: Promise<RecordingTarget | undefined>,
    private readonly media: CallMedia,
    private readonly onError: (error: unknown) => void,
  ) {}

  answered(): void {
    this.recorder = this.target.then(async (target) => {
      if (target === undefined || this.over) return undefined;
      const recorder = await CallRecorder.create(target.path);
      const taps = [
        this.media.tapAudio('caller', (pcm) => recorder.write('caller', pcm)),
        this.media.tapAudio('callee', (pcm) => recorder.write('callee', pcm)),
      ];
      for (const tap of taps) if (tap !== undefined) this.stopTaps.push(tap);
      if (this.over) {
        for (const stop of this.stopTaps) stop();
      }
      return recorder;
    });
    this.recorder.catch((error: unknown) => this.onError(error));
  }

  /** Stops the taps (before the media closes) and finishes the file. */
  async ended(): Promise<RecordedCall | undefined> {
    this.over = true;
    for (const stop of this.stopTaps) stop();
    this.stopTaps = [];
    const recorder = await this.recorder.catch(() => undefined);
    const target = await this.target.catch(() => undefined);
    if (recorder === undefined || target === undefined) return undefined;
    const recording = await recorder.stop();
    if (recording.failure !== undefined) this.onError(recording.failure);
    return {
      storagePath: target.storagePath,
      durationMs: recording.durationMs,
      bytes: recording.bytes,
    };
  }
}
