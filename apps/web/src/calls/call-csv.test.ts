import type { Call } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { callsCsv, callsCsvFileName, type CallCsvLabels } from './call-csv.ts';
import { utf8Bom } from './csv.ts';

const labels: CallCsvLabels = {
  header: (column) => en.calls.csv[column],
  direction: (direction) => en.calls.direction[direction],
  status: (status) => en.calls.status[status],
};

const call: Call = {
  id: '0195a1b2-0000-4000-8000-000000000001',
  direction: 'inbound',
  status: 'answered',
  caller: '"Иванов, Пётр" <sip:+74951234567@example.ru>',
  callee: '201',
  phoneNumber: '+74957654321',
  extensionNumber: '201',
  sipCallId: null,
  startedAt: '2025-03-09T21:05:09.000Z',
  answeredAt: '2025-03-09T21:05:15.000Z',
  endedAt: '2025-03-09T21:07:00.000Z',
  durationSeconds: 111,
  talkSeconds: 105,
  hangupCause: null,
  schemePath: [
    { nodeId: 'hours', kind: 'schedule', enteredAt: '2025-03-09T21:05:09.000Z', outcome: 'open' },
    { nodeId: 'sales', kind: 'queue', enteredAt: '2025-03-09T21:05:10.000Z' },
  ],
  recordingIds: [],
};

describe('callsCsv', () => {
  it("writes a header and one escaped line a call, on the tenant's clock", () => {
    const text = callsCsv([call], 'Europe/Moscow', labels);
    expect(text.startsWith(utf8Bom)).toBe(true);
    const [header, line, rest] = text.slice(1).split('\r\n');
    expect(header).toBe(
      'Started (Europe/Moscow),Direction,Result,Caller,Callee,Phone number,Extension,' +
        'Duration (s),Talk (s),Hangup cause,Routing path,Call ID',
    );
    expect(line).toBe(
      '2025-03-10 00:05:09,Inbound,Answered,"""Иванов, Пётр"" <sip:+74951234567@example.ru>",' +
        '201,+74957654321,201,111,105,,schedule → queue,0195a1b2-0000-4000-8000-000000000001',
    );
    expect(rest).toBe('');
  });

  it('is the header alone when nothing matched', () => {
    expect(callsCsv([], 'UTC', labels).split('\r\n')).toHaveLength(2);
  });
});

describe('callsCsvFileName', () => {
  it("dates the file on the tenant's calendar", () => {
    expect(callsCsvFileName(new Date('2025-03-09T22:00:00Z'), 'Europe/Moscow')).toBe(
      'calls-2025-03-10.csv',
    );
  });
});
