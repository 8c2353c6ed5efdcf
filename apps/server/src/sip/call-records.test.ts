import type { CallSummary } from '@provod/pbx';
import { describe, expect, it } from 'vitest';
import { callRecordOf } from './call-records.ts';

const base: CallSummary = {
  tenantId: 't1',
  direction: 'internal',
  caller: '101',
  callee: '102',
  reason: 'caller_hung_up',
  finalStatus: undefined,
  media: undefined,
  sipCallId: 'abc@phone',
  startedAt: new Date('2026-11-23T10:00:00.000Z'),
  answeredAt: new Date('2026-11-23T10:00:04.400Z'),
  endedAt: new Date('2026-11-23T10:01:04.400Z'),
};

describe('the call log row of a bridged call', () => {
  it('an answered call: duration from the INVITE, talk from the answer, both legs answered', () => {
    const record = callRecordOf(base);
    expect(record).toMatchObject({
      direction: 'internal',
      status: 'answered',
      caller: '101',
      callee: '102',
      extensionNumber: '102',
      durationSeconds: 64,
      talkSeconds: 60,
      hangupCause: 'caller_hung_up',
    });
    expect(record.legs.map((leg) => [leg.role, leg.status])).toEqual([
      ['caller', 'answered'],
      ['callee', 'answered'],
    ]);
  });

  it.each([
    { reason: 'cancelled', finalStatus: 487, status: 'missed', leg: 'cancelled' },
    { reason: 'failed', finalStatus: 486, status: 'busy', leg: 'busy' },
    { reason: 'no_answer', finalStatus: 480, status: 'no_answer', leg: 'no_answer' },
    { reason: 'failed', finalStatus: 503, status: 'failed', leg: 'failed' },
  ] as const)('$reason with $finalStatus is $status', ({ reason, finalStatus, status, leg }) => {
    const record = callRecordOf({ ...base, reason, finalStatus, answeredAt: undefined });
    expect(record.status).toBe(status);
    expect(record.talkSeconds).toBe(0);
    expect(record.answeredAt).toBeNull();
    expect(record.hangupCause).toBe(`${reason} (${finalStatus})`);
    expect(record.legs.every((l) => l.status === leg)).toBe(true);
  });
});
