/**
 * The call as the CRM connector sees it, whatever produced it: an external Asterisk over
 * AMI (src/ami/assembler.ts) or, later, Provod's own PBX events. One record per finished
 * call; everything the connector's rules decide on (direction, who rang, who answered,
 * result, transfers, recording) and nothing protocol-specific.
 *
 * Times are ISO 8601 UTC strings; durations are whole seconds.
 */

/** Seen from the tenant's PBX: from a trunk, to a trunk, or between two extensions. */
export type CallDirection = 'inbound' | 'outbound' | 'internal';

/**
 * What became of the call. `missed`: rang but nobody answered (for an outbound call: the
 * far end did not answer); `busy`: the called side was busy; `failed`: it never rang
 * (unreachable, congestion, no route).
 */
export type CallResult = 'answered' | 'missed' | 'busy' | 'failed';

export type CallSource = 'asterisk_ami' | 'provod_pbx';

export interface CallTransfer {
  readonly kind: 'blind' | 'attended';
  /** The extension that transferred the call, when it was an extension. */
  readonly from: string | null;
  /** The extension (or dialled number) the call was transferred to. */
  readonly to: string | null;
  readonly at: string;
}

/** Q.850 cause of the caller's leg (Asterisk's `Cause` / `Cause-txt`). */
export interface HangupCause {
  readonly code: number;
  readonly text: string;
}

export interface CallRecord {
  /** The call's id in its source (AMI: the Linkedid of the first channel). */
  readonly id: string;
  readonly source: CallSource;
  readonly direction: CallDirection;
  /** The calling party: an outside number (inbound) or an extension. */
  readonly callerNumber: string;
  /** The called party: the dialled DID (inbound), outside number (outbound) or extension. */
  readonly calledNumber: string;
  /** The trunk (channel endpoint such as `PJSIP/trunk`) that carried the call outside. */
  readonly trunk: string | null;
  /** Extensions that rang, in the order they started ringing, each once. */
  readonly extensionsRung: readonly string[];
  /** The first extension that answered (inbound, internal); null for outbound calls. */
  readonly answeredBy: string | null;
  readonly startedAt: string;
  readonly answeredAt: string | null;
  readonly endedAt: string;
  /** From the start to the end of the call. */
  readonly durationSeconds: number;
  /** From the answer to the end of the call; 0 when not answered. */
  readonly talkSeconds: number;
  readonly result: CallResult;
  readonly hangupCause: HangupCause | null;
  readonly transfers: readonly CallTransfer[];
  /** The recording's file name as the PBX wrote it (e.g. MixMonitor's MIXMONITOR_FILENAME). */
  readonly recordingFile: string | null;
}
