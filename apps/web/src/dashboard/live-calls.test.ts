import type { ActiveCall } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { applyCallEvent, feedUrl, reconnectDelayMs } from './live-calls.ts';

const call: ActiveCall = {
  callId: 'c1@phone',
  direction: 'inbound',
  caller: '+79161234567',
  callee: '+74951234567',
  startedAt: '2026-11-24T10:00:00.000Z',
  answeredAt: null,
  answeredBy: null,
};

describe('the live calls list', () => {
  it('follows a call from start through answer to end', () => {
    let calls = applyCallEvent([], { type: 'snapshot', calls: [] });
    calls = applyCallEvent(calls, { type: 'call.started', call });
    expect(calls).toEqual([call]);
    const answered = { ...call, answeredAt: '2026-11-24T10:00:05.000Z', answeredBy: '102' };
    calls = applyCallEvent(calls, { type: 'call.answered', call: answered });
    expect(calls).toEqual([answered]);
    calls = applyCallEvent(calls, {
      type: 'call.ended',
      call: answered,
      endedAt: '2026-11-24T10:01:00.000Z',
      reason: 'caller_hung_up',
    });
    expect(calls).toEqual([]);
  });

  it('starts over from a snapshot, and does not list a call twice', () => {
    const other = { ...call, callId: 'c2@phone' };
    expect(applyCallEvent([call], { type: 'snapshot', calls: [other] })).toEqual([other]);
    expect(applyCallEvent([call], { type: 'call.started', call })).toEqual([call]);
  });

  it('connects on the cabinet’s origin and backs off to 30 s', () => {
    expect(feedUrl({ protocol: 'https:', host: 'pbx.example:8443' })).toBe(
      'wss://pbx.example:8443/api/v1/events',
    );
    expect(feedUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe(
      'ws://localhost:8080/api/v1/events',
    );
    expect([0, 1, 4, 10].map(reconnectDelayMs)).toEqual([1000, 2000, 16000, 30000]);
  });
});
