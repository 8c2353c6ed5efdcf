/**
 * What the assembler knows about one call while it is going on, and how that becomes a
 * CallRecord when it ends (the rules are here, the event handling in assembler.ts).
 */
import type {
  CallDirection,
  CallRecord,
  CallResult,
  CallTransfer,
  HangupCause,
} from '../call-model.ts';
import type { ChannelClass } from './channel-classifier.ts';

export interface ChannelState extends ChannelClass {
  readonly uniqueid: string;
  readonly name: string;
  linkedid: string;
  hungUp: boolean;
}

/** DialEnd's DialStatus (app_dial's DIALSTATUS values) for one dialled channel. */
export interface DialOutcome {
  readonly role: ChannelClass['role'];
  readonly status: string;
}

/** A call is `active` until its last channel hangs up, then `ended` until it is emitted. */
export type CallPhase = 'active' | 'ended';

export interface CallState {
  readonly id: string;
  readonly originator: ChannelState;
  readonly startedMs: number;
  readonly callerIdNum: string;
  readonly dialledExten: string;
  readonly channels: Set<string>;
  phase: CallPhase;
  endedMs: number;
  trunk: string | null;
  readonly rung: string[];
  answeredBy: string | null;
  answeredMs: number | null;
  readonly outcomes: DialOutcome[];
  readonly transfers: CallTransfer[];
  recordingFile: string | null;
  hangupCause: HangupCause | null;
  /** Disposition of the originator's CDR, once its Cdr event came. */
  cdrDisposition: string | null;
}

export function directionOf(call: CallState): CallDirection {
  if (call.originator.role === 'trunk') return 'inbound';
  return call.trunk === null ? 'internal' : 'outbound';
}

/**
 * The answer that counts: an extension for inbound and internal calls, the far end (a
 * trunk) for outbound ones. IVR or voicemail answering a trunk call is not an answer.
 */
export function answeringRole(direction: CallDirection): ChannelClass['role'] {
  return direction === 'outbound' ? 'trunk' : 'extension';
}

// app_dial DIALSTATUS values:
// https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/Dialplan_Applications/Dial/
const busyStatuses = new Set(['BUSY']);
const unansweredStatuses = new Set(['NOANSWER', 'CANCEL']);
const failedStatuses = new Set(['CHANUNAVAIL', 'CONGESTION', 'DONTCALL', 'TORTURE', 'INVALIDARGS']);

function resultOf(call: CallState, direction: CallDirection): CallResult {
  if (call.answeredMs !== null) return 'answered';
  const role = answeringRole(direction);
  const statuses = call.outcomes.filter((o) => o.role === role).map((o) => o.status);
  if (statuses.some((s) => busyStatuses.has(s))) return 'busy';
  if (statuses.some((s) => unansweredStatuses.has(s))) return 'missed';
  if (statuses.some((s) => failedStatuses.has(s))) return 'failed';
  // Nothing was dialled: the CDR's disposition is the only witness
  // (https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Events/Cdr/).
  if (call.cdrDisposition === 'BUSY') return 'busy';
  if (call.cdrDisposition === 'FAILED' || call.cdrDisposition === 'CONGESTION') return 'failed';
  return direction === 'inbound' ? 'missed' : 'failed';
}

const iso = (ms: number): string => new Date(ms).toISOString();
const seconds = (ms: number): number => Math.max(0, Math.round(ms / 1000));

export function toCallRecord(call: CallState): CallRecord {
  const direction = directionOf(call);
  const callerNumber =
    direction === 'inbound' ? call.callerIdNum : (call.originator.extension ?? call.callerIdNum);
  return {
    id: call.id,
    source: 'asterisk_ami',
    direction,
    callerNumber,
    calledNumber: call.dialledExten,
    trunk: direction === 'inbound' ? call.originator.endpoint : call.trunk,
    extensionsRung: [...call.rung],
    answeredBy: direction === 'outbound' ? null : call.answeredBy,
    startedAt: iso(call.startedMs),
    answeredAt: call.answeredMs === null ? null : iso(call.answeredMs),
    endedAt: iso(call.endedMs),
    durationSeconds: seconds(call.endedMs - call.startedMs),
    talkSeconds: call.answeredMs === null ? 0 : seconds(call.endedMs - call.answeredMs),
    result: resultOf(call, direction),
    hangupCause: call.hangupCause,
    transfers: [...call.transfers],
    recordingFile: call.recordingFile,
  };
}
