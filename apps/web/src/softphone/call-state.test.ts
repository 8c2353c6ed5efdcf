import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  idle,
  nextCallState,
  outcomeOfFailure,
  type CallEvent,
  type CallState,
} from './call-state.ts';

const bob = { number: '302', name: 'Bob' };

function run(events: CallEvent[], from: CallState = idle) {
  let state = from;
  const finished = [];
  for (const event of events) {
    const next = nextCallState(state, event);
    state = next.state;
    if (next.finished) finished.push(next.finished);
  }
  return { state, finished };
}

describe('nextCallState', () => {
  it('goes calling → ringing → in call → idle, leaving one answered history entry', () => {
    const { state, finished } = run([
      { kind: 'dialed', peer: bob, at: 1000 },
      { kind: 'ringing' },
      { kind: 'answered', at: 4000 },
      { kind: 'ended', outcome: 'completed', at: 64_000 },
    ]);
    expect(state).toEqual(idle);
    expect(finished).toEqual([
      {
        direction: 'outgoing',
        peer: bob,
        startedAt: 1000,
        answeredAt: 4000,
        endedAt: 64_000,
        outcome: 'completed',
      },
    ]);
  });

  it('shows ringing only after the callee rings', () => {
    const calling = run([{ kind: 'dialed', peer: bob, at: 0 }]).state;
    expect(calling).toMatchObject({ kind: 'calling', ringing: false });
    expect(nextCallState(calling, { kind: 'ringing' }).state).toMatchObject({ ringing: true });
  });

  it('tracks hold from each side and mute while in a call', () => {
    const { state } = run([
      { kind: 'incoming', peer: bob, at: 0 },
      { kind: 'answered', at: 1 },
      { kind: 'hold', by: 'remote', held: true },
      { kind: 'hold', by: 'local', held: true },
      { kind: 'hold', by: 'remote', held: false },
      { kind: 'mute', muted: true },
    ]);
    expect(state).toMatchObject({
      kind: 'in_call',
      direction: 'incoming',
      heldBy: { local: true, remote: false },
      muted: true,
    });
  });

  it('records an unanswered incoming call without an answer time', () => {
    const { finished } = run([
      { kind: 'incoming', peer: bob, at: 5 },
      { kind: 'ended', outcome: 'missed', at: 9 },
    ]);
    expect(finished).toEqual([
      {
        direction: 'incoming',
        peer: bob,
        startedAt: 5,
        answeredAt: null,
        endedAt: 9,
        outcome: 'missed',
      },
    ]);
  });

  it('ignores events that do not fit: no call invented, none replaced', () => {
    for (const event of [
      { kind: 'ringing' },
      { kind: 'answered', at: 1 },
      { kind: 'hold', by: 'local', held: true },
      { kind: 'mute', muted: true },
      { kind: 'ended', outcome: 'completed', at: 1 },
    ] satisfies CallEvent[]) {
      expect(nextCallState(idle, event)).toEqual({ state: idle, finished: null });
    }
    const calling = run([{ kind: 'dialed', peer: bob, at: 0 }]).state;
    const second = nextCallState(calling, {
      kind: 'incoming',
      peer: { number: '303', name: null },
      at: 1,
    });
    expect(second.state).toBe(calling);
    expect(nextCallState(calling, { kind: 'hold', by: 'local', held: true }).state).toBe(calling);
  });
});

describe('outcomeOfFailure', () => {
  const outgoing = { direction: 'outgoing', originator: 'remote', endedByUser: false } as const;

  it('reads the final answer of an outgoing call (RFC 3261 §21)', () => {
    const cases: [number, string][] = [
      [486, 'busy'],
      [600, 'busy'],
      [603, 'declined'],
      [404, 'not_found'],
      [604, 'not_found'],
      [480, 'unavailable'],
      [408, 'unavailable'],
      [487, 'cancelled'],
      [500, 'failed'],
      [488, 'failed'],
    ];
    for (const [statusCode, outcome] of cases) {
      expect(outcomeOfFailure({ ...outgoing, statusCode }), String(statusCode)).toBe(outcome);
    }
    expect(outcomeOfFailure({ ...outgoing, statusCode: null })).toBe('failed');
  });

  it('tells hanging up before the answer from an error on this side', () => {
    const local = { direction: 'outgoing', originator: 'local', statusCode: null } as const;
    expect(outcomeOfFailure({ ...local, endedByUser: true })).toBe('cancelled');
    // e.g. the microphone was refused: the person did not end it.
    expect(outcomeOfFailure({ ...local, endedByUser: false })).toBe('failed');
  });

  it('calls an incoming call rejected here "rejected", and one the caller gave up "missed"', () => {
    const incoming = { direction: 'incoming', statusCode: null } as const;
    expect(outcomeOfFailure({ ...incoming, originator: 'local', endedByUser: true })).toBe(
      'rejected',
    );
    expect(outcomeOfFailure({ ...incoming, originator: 'remote', endedByUser: false })).toBe(
      'missed',
    );
    expect(outcomeOfFailure({ ...incoming, originator: 'system', endedByUser: false })).toBe(
      'missed',
    );
    expect(outcomeOfFailure({ ...incoming, originator: 'local', endedByUser: false })).toBe(
      'failed',
    );
  });
});

describe('formatDuration', () => {
  it('shows m:ss, and h:mm:ss from an hour on', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(59_999)).toBe('0:59');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_600_000 + 5 * 60_000 + 7000)).toBe('1:05:07');
  });

  it('never shows a negative time (a clock that stepped back)', () => {
    expect(formatDuration(-5000)).toBe('0:00');
  });
});
