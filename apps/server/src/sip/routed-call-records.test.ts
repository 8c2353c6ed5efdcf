import type { RoutedCallSummary } from '@provod/pbx';
import { describe, expect, it } from 'vitest';
import { routedCallRecordOf } from './routed-call-records.ts';

const legStats = {
  rtp: {
    localSsrc: 1,
    remoteAddress: '192.0.2.1:4000',
    latched: true,
    sent: { packets: 300, octets: 48000 },
    received: {
      ssrc: 2,
      packets: 250,
      octets: 40000,
      expected: 250,
      lost: 0,
      fractionLost: 0,
      jitterMs: 1.5,
      ssrcChanges: 0,
    },
    remoteReport: null,
    rttMs: null,
    mos: 4.4,
    malformedPackets: 0,
    rejectedPackets: 0,
  },
  relayed: 250,
  transcoded: 0,
  reordered: 0,
  dropped: { hold: 0, events: 0, unconfigured: 0, untranscodable: 0, noRemote: 0 },
  sendFailures: 0,
};

const answered: RoutedCallSummary = {
  tenantId: 't1',
  direction: 'inbound',
  caller: '+79161234567',
  number: '+74951234567',
  schemeId: 's1',
  schemeVersion: 3,
  reason: 'callee_hung_up',
  end: { kind: 'answered', by: '102' },
  path: [
    {
      nodeId: 'menu',
      kind: 'ivr',
      outcome: 'digit 1',
      note: 'key 1',
      enteredAt: '2026-11-23T10:00:01.000Z',
      leftAt: '2026-11-23T10:00:05.000Z',
    },
    {
      nodeId: 'sales',
      kind: 'extension',
      outcome: 'answered',
      note: '102 answered',
      enteredAt: '2026-11-23T10:00:05.000Z',
      leftAt: '2026-11-23T10:00:09.000Z',
    },
  ],
  answeredBy: '102',
  answeredAt: new Date('2026-11-23T10:00:01.000Z'),
  bridgedAt: new Date('2026-11-23T10:00:09.000Z'),
  startedAt: new Date('2026-11-23T10:00:00.000Z'),
  endedAt: new Date('2026-11-23T10:01:09.000Z'),
  sipCallId: 'carrier-1@192.0.2.1',
  media: { caller: legStats, callee: legStats },
  failure: undefined,
};

describe('the call log row of a routed call', () => {
  it('is answered from the bridge on: talk time is the person’s, not the menu’s', () => {
    const record = routedCallRecordOf(answered);
    expect(record).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      caller: '+79161234567',
      callee: '102',
      phoneNumber: '+74951234567',
      extensionNumber: '102',
      answeredAt: '2026-11-23T10:00:09.000Z',
      durationSeconds: 69,
      talkSeconds: 60,
      hangupCause: 'callee_hung_up',
    });
    expect(record.schemePath).toEqual([
      { nodeId: 'menu', kind: 'ivr', enteredAt: '2026-11-23T10:00:01.000Z', outcome: 'digit 1' },
      {
        nodeId: 'sales',
        kind: 'extension',
        enteredAt: '2026-11-23T10:00:05.000Z',
        outcome: 'answered',
      },
    ]);
    expect(record.legs.map((leg) => [leg.role, leg.party, leg.status])).toEqual([
      ['caller', '+79161234567', 'answered'],
      ['callee', '102', 'answered'],
    ]);
    expect(record.legs[0]?.mediaStats).toMatchObject({ packets: 250, lost: 0, mos: 4.4 });
  });

  it.each([
    [{ reason: 'caller_hung_up' as const, end: undefined }, 'missed'],
    [{ reason: 'scheme_ended' as const, end: { kind: 'hung_up', cause: 'busy' } as const }, 'busy'],
    [
      { reason: 'scheme_ended' as const, end: { kind: 'hung_up', cause: 'normal' } as const },
      'missed',
    ],
    [
      {
        reason: 'failed' as const,
        end: undefined,
        failure: 'a queue is not available on calls yet',
      },
      'failed',
    ],
  ])('nobody answered (%o): %s, with the cause', (change, status) => {
    const record = routedCallRecordOf({
      ...answered,
      answeredBy: undefined,
      bridgedAt: undefined,
      ...change,
    });
    expect(record.status).toBe(status);
    expect(record.talkSeconds).toBe(0);
    expect(record.answeredAt).toBeNull();
    expect(record.callee).toBe('+74951234567');
    expect(record.legs).toHaveLength(1);
    if ('failure' in change) {
      expect(record.hangupCause).toBe('failed: a queue is not available on calls yet');
    }
  });
});
