import type { CallRecord } from '../call-model.ts';

/** Where the server serves what a call produced; amoCRM stores the links, not the files. */
export interface CallLinks {
  /** The recording's URL, or null when the call has none. */
  recording(call: CallRecord): string | null;
  /** A page about the call: the unsorted entry requires a link even without a recording. */
  callPage(call: CallRecord): string;
  /** The recording's file name with its format (`….wav`): Bitrix24 takes wav and mp3 only. */
  recordingFileName?(call: CallRecord): string | null;
}
