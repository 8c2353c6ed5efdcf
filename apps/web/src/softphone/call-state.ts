/**
 * The softphone's one call, as an explicit state machine: what the dock shows comes from
 * `CallState` alone, and every JsSIP event the phone reports goes through `nextCallState`.
 * A call that ends leaves a history entry behind.
 */

/** Who is on the other end: the extension or number, and the name the caller sent. */
export interface Peer {
  number: string;
  name: string | null;
}

export type CallDirection = 'outgoing' | 'incoming';

export type CallState =
  | { kind: 'idle' }
  | { kind: 'calling'; peer: Peer; startedAt: number; ringing: boolean }
  | { kind: 'incoming'; peer: Peer; startedAt: number }
  | {
      kind: 'in_call';
      peer: Peer;
      direction: CallDirection;
      startedAt: number;
      answeredAt: number;
      /** Put on hold by us (local) or by the other party (remote); both may hold at once. */
      heldBy: { local: boolean; remote: boolean };
      muted: boolean;
    };

/** How a call ended, from this phone's point of view. */
export type CallOutcome =
  | 'completed'
  | 'busy'
  | 'declined'
  | 'rejected'
  | 'not_found'
  | 'unavailable'
  | 'cancelled'
  | 'missed'
  | 'failed';

export type CallEvent =
  | { kind: 'dialed'; peer: Peer; at: number }
  | { kind: 'incoming'; peer: Peer; at: number }
  | { kind: 'ringing' }
  | { kind: 'answered'; at: number }
  | { kind: 'hold'; by: 'local' | 'remote'; held: boolean }
  | { kind: 'mute'; muted: boolean }
  | { kind: 'ended'; outcome: CallOutcome; at: number };

export interface CallHistoryEntry {
  direction: CallDirection;
  peer: Peer;
  startedAt: number;
  /** null when the call was never answered. */
  answeredAt: number | null;
  endedAt: number;
  outcome: CallOutcome;
}

export interface CallTransition {
  state: CallState;
  /** Set when this event ended a call. */
  finished: CallHistoryEntry | null;
}

export const idle: CallState = { kind: 'idle' };

/**
 * The next state for an event. An event that does not fit the state (a late "ringing"
 * after the answer, a hold while idle) leaves the state as it is: JsSIP reports what the
 * network did, and a stray report must not invent a call.
 */
export function nextCallState(state: CallState, event: CallEvent): CallTransition {
  const stay = { state, finished: null };
  switch (event.kind) {
    case 'dialed':
      return state.kind === 'idle'
        ? {
            state: { kind: 'calling', peer: event.peer, startedAt: event.at, ringing: false },
            finished: null,
          }
        : stay;
    case 'incoming':
      return state.kind === 'idle'
        ? { state: { kind: 'incoming', peer: event.peer, startedAt: event.at }, finished: null }
        : stay;
    case 'ringing':
      return state.kind === 'calling'
        ? { state: { ...state, ringing: true }, finished: null }
        : stay;
    case 'answered':
      if (state.kind !== 'calling' && state.kind !== 'incoming') return stay;
      return {
        state: {
          kind: 'in_call',
          peer: state.peer,
          direction: state.kind === 'calling' ? 'outgoing' : 'incoming',
          startedAt: state.startedAt,
          answeredAt: event.at,
          heldBy: { local: false, remote: false },
          muted: false,
        },
        finished: null,
      };
    case 'hold':
      return state.kind === 'in_call'
        ? {
            state: { ...state, heldBy: { ...state.heldBy, [event.by]: event.held } },
            finished: null,
          }
        : stay;
    case 'mute':
      return state.kind === 'in_call'
        ? { state: { ...state, muted: event.muted }, finished: null }
        : stay;
    case 'ended':
      if (state.kind === 'idle') return stay;
      return {
        state: idle,
        finished: {
          direction:
            state.kind === 'in_call'
              ? state.direction
              : state.kind === 'calling'
                ? 'outgoing'
                : 'incoming',
          peer: state.peer,
          startedAt: state.startedAt,
          answeredAt: state.kind === 'in_call' ? state.answeredAt : null,
          endedAt: event.at,
          outcome: event.outcome,
        },
      };
  }
}

/** What a call that failed before it was answered means, from who ended it and how. */
export interface Failure {
  direction: CallDirection;
  /** Who ended it, as JsSIP reports it: this phone, the network's answer, or a timer. */
  originator: 'local' | 'remote' | 'system';
  /** The final SIP status the other side answered, when that is what ended it. */
  statusCode: number | null;
  /** The person pressed reject or hang up (rather than an error ending the call). */
  endedByUser: boolean;
}

/** RFC 3261 §21: the final answers a caller can tell apart on screen. */
export function outcomeOfFailure(failure: Failure): CallOutcome {
  if (failure.direction === 'incoming') {
    if (failure.originator === 'local') return failure.endedByUser ? 'rejected' : 'failed';
    // The caller gave up (CANCEL), or nobody answered in time.
    return 'missed';
  }
  if (failure.originator === 'local') return failure.endedByUser ? 'cancelled' : 'failed';
  switch (failure.statusCode) {
    case 486: // Busy Here
    case 600: // Busy Everywhere
      return 'busy';
    case 603: // Decline
      return 'declined';
    case 404: // Not Found
    case 484: // Address Incomplete
    case 604: // Does Not Exist Anywhere
      return 'not_found';
    case 408: // Request Timeout
    case 410: // Gone
    case 480: // Temporarily Unavailable
      return 'unavailable';
    case 487: // Request Terminated
      return 'cancelled';
    default:
      return 'failed';
  }
}

/** A call's length as the dock shows it: m:ss, or h:mm:ss from an hour on. */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}
