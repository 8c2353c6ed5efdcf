import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../call-model.ts';
import { CallAssembler } from './assembler.ts';
import type { ChannelClassifierConfig } from './channel-classifier.ts';
import { AmiMessage } from './message.ts';
import { parseTranscript } from './transcript.ts';

const channels: ChannelClassifierConfig = {
  trunks: ['PJSIP/trunk-'],
  extensions: [/^PJSIP\/(?<ext>\d{3})-/],
};

function transcript(name: string): AmiMessage[] {
  const url = new URL(`../../test/fixtures/ami/${name}`, import.meta.url);
  return parseTranscript(readFileSync(url, 'utf8'));
}

/** Feeds a transcript; answers the calls emitted and how many were emitted before flush(). */
function assemble(events: readonly AmiMessage[]): { calls: CallRecord[]; beforeFlush: number } {
  const calls: CallRecord[] = [];
  const assembler = new CallAssembler({ channels, nowMs: () => 0 }, (call) => calls.push(call));
  for (const event of events) assembler.push(event);
  const beforeFlush = calls.length;
  assembler.flush();
  expect(assembler.openCalls).toBe(0);
  return { calls, beforeFlush };
}

const normal = { code: 16, text: 'Normal Clearing' };
/** What most expected calls share; each test spells out the rest. */
const plain = {
  source: 'asterisk_ami',
  hangupCause: normal,
  transfers: [],
  recordingFile: null,
} as const;

describe('CallAssembler on the AMI transcripts', () => {
  it('inbound answered', () => {
    const { calls, beforeFlush } = assemble(transcript('inbound-answered.txt'));
    // The originator's Cdr closes the call; flush() finds nothing left to emit.
    expect(beforeFlush).toBe(1);
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710237600.1',
        direction: 'inbound',
        callerNumber: '79161234567',
        calledNumber: '74951112233',
        trunk: 'PJSIP/trunk',
        extensionsRung: ['101'],
        answeredBy: '101',
        startedAt: '2024-03-12T10:00:00.000Z',
        answeredAt: '2024-03-12T10:00:08.001Z',
        endedAt: '2024-03-12T10:01:35.004Z',
        durationSeconds: 95,
        talkSeconds: 87,
        result: 'answered',
      },
    ]);
  });

  it('inbound missed: two extensions rang, the caller gave up', () => {
    const { calls } = assemble(transcript('inbound-missed.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710241200.5',
        direction: 'inbound',
        callerNumber: '79261112233',
        calledNumber: '74951112233',
        trunk: 'PJSIP/trunk',
        extensionsRung: ['101', '102'],
        answeredBy: null,
        startedAt: '2024-03-12T11:00:00.000Z',
        answeredAt: null,
        endedAt: '2024-03-12T11:00:18.004Z',
        durationSeconds: 18,
        talkSeconds: 0,
        result: 'missed',
      },
    ]);
  });

  it('outbound answered', () => {
    const { calls } = assemble(transcript('outbound-answered.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710244800.16',
        direction: 'outbound',
        callerNumber: '101',
        calledNumber: '79031234567',
        trunk: 'PJSIP/trunk',
        extensionsRung: [],
        answeredBy: null,
        startedAt: '2024-03-12T12:00:00.000Z',
        answeredAt: '2024-03-12T12:00:12.001Z',
        endedAt: '2024-03-12T12:01:12.004Z',
        durationSeconds: 72,
        talkSeconds: 60,
        result: 'answered',
      },
    ]);
  });

  it('outbound busy', () => {
    const { calls } = assemble(transcript('outbound-busy.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710248400.20',
        direction: 'outbound',
        callerNumber: '102',
        calledNumber: '79037654321',
        trunk: 'PJSIP/trunk',
        extensionsRung: [],
        answeredBy: null,
        startedAt: '2024-03-12T13:00:00.000Z',
        answeredAt: null,
        endedAt: '2024-03-12T13:00:05.000Z',
        durationSeconds: 5,
        talkSeconds: 0,
        result: 'busy',
        hangupCause: { code: 17, text: 'User busy' },
      },
    ]);
  });

  it('internal call', () => {
    const { calls } = assemble(transcript('internal.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710252000.32',
        direction: 'internal',
        callerNumber: '101',
        calledNumber: '102',
        trunk: null,
        extensionsRung: ['102'],
        answeredBy: '102',
        startedAt: '2024-03-12T14:00:00.000Z',
        answeredAt: '2024-03-12T14:00:05.001Z',
        endedAt: '2024-03-12T14:00:35.004Z',
        durationSeconds: 35,
        talkSeconds: 30,
        result: 'answered',
      },
    ]);
  });

  it('blind transfer from 101 to 102', () => {
    const { calls } = assemble(transcript('blind-transfer.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710255600.48',
        direction: 'inbound',
        callerNumber: '79161234567',
        calledNumber: '74951112233',
        trunk: 'PJSIP/trunk',
        extensionsRung: ['101', '102'],
        answeredBy: '101',
        startedAt: '2024-03-12T15:00:00.000Z',
        answeredAt: '2024-03-12T15:00:06.001Z',
        endedAt: '2024-03-12T15:01:40.004Z',
        durationSeconds: 100,
        talkSeconds: 94,
        result: 'answered',
        transfers: [{ kind: 'blind', from: '101', to: '102', at: '2024-03-12T15:00:40.000Z' }],
      },
    ]);
  });

  it('attended transfer: the consultation call is folded into the transferred one', () => {
    const { calls } = assemble(transcript('attended-transfer.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710259200.64',
        direction: 'inbound',
        callerNumber: '79161234567',
        calledNumber: '74951112233',
        trunk: 'PJSIP/trunk',
        extensionsRung: ['101', '102'],
        answeredBy: '101',
        startedAt: '2024-03-12T16:00:00.000Z',
        answeredAt: '2024-03-12T16:00:05.001Z',
        endedAt: '2024-03-12T16:01:50.004Z',
        durationSeconds: 110,
        talkSeconds: 105,
        result: 'answered',
        transfers: [{ kind: 'attended', from: '101', to: '102', at: '2024-03-12T16:00:50.003Z' }],
      },
    ]);
  });

  it('MixMonitor recording file from VarSet, ChanVariable lines notwithstanding', () => {
    const { calls } = assemble(transcript('inbound-recorded.txt'));
    expect(calls).toEqual<CallRecord[]>([
      {
        ...plain,
        id: '1710262800.80',
        direction: 'inbound',
        callerNumber: '79991234567',
        calledNumber: '74951112233',
        trunk: 'PJSIP/trunk',
        extensionsRung: ['103'],
        answeredBy: '103',
        startedAt: '2024-03-12T17:00:00.000Z',
        answeredAt: '2024-03-12T17:00:09.001Z',
        endedAt: '2024-03-12T17:00:49.004Z',
        durationSeconds: 49,
        talkSeconds: 40,
        result: 'answered',
        recordingFile:
          '/var/spool/asterisk/monitor/2024/03/12/in-79991234567-74951112233-20240312-170000-1710262800.80.wav',
      },
    ]);
  });

  it('keeps interleaved calls apart', () => {
    const a = transcript('inbound-answered.txt');
    const b = transcript('internal.txt');
    const mixed = a.flatMap((event, index) => [
      event,
      ...(b[index] === undefined ? [] : [b[index]]),
    ]);
    const { calls } = assemble([...mixed, ...b.slice(a.length)]);
    expect(calls.map((call) => [call.id, call.direction, call.result])).toEqual([
      ['1710237600.1', 'inbound', 'answered'],
      ['1710252000.32', 'internal', 'answered'],
    ]);
  });
});

describe('CallAssembler without Cdr events', () => {
  const withoutCdr = transcript('outbound-answered.txt').filter((event) => event.event !== 'Cdr');

  it('holds an ended call until settleMs has passed, then emits it on tick', () => {
    const calls: CallRecord[] = [];
    const assembler = new CallAssembler({ channels, settleMs: 5000 }, (call) => calls.push(call));
    for (const event of withoutCdr) assembler.push(event);
    const endedMs = Date.parse('2024-03-12T12:01:12.004Z');
    assembler.tick(endedMs + 4999);
    expect(calls).toEqual([]);
    assembler.tick(endedMs + 5000);
    expect(calls.map((call) => call.result)).toEqual(['answered']);
  });

  it('never emits a call that is still going on', () => {
    const calls: CallRecord[] = [];
    const assembler = new CallAssembler({ channels }, (call) => calls.push(call));
    const beforeHangup = withoutCdr.findIndex((event) => event.event === 'Hangup');
    for (const event of withoutCdr.slice(0, beforeHangup)) assembler.push(event);
    assembler.flush();
    assembler.tick(Number.MAX_SAFE_INTEGER);
    expect(calls).toEqual([]);
    expect(assembler.openCalls).toBe(1);
  });

  it('ignores events of channels it never saw created and events it does not use', () => {
    const calls: CallRecord[] = [];
    const assembler = new CallAssembler({ channels }, (call) => calls.push(call));
    assembler.push(
      AmiMessage.of([
        ['Event', 'Hangup'],
        ['Uniqueid', '9.9'],
        ['Linkedid', '9.9'],
      ]),
    );
    assembler.push(
      AmiMessage.of([
        ['Event', 'PeerStatus'],
        ['Peer', 'PJSIP/101'],
      ]),
    );
    assembler.push(
      AmiMessage.of([
        ['Event', 'Newchannel'],
        ['Channel', 'PJSIP/101-1'],
      ]),
    );
    assembler.flush();
    expect(calls).toEqual([]);
    expect(assembler.openCalls).toBe(0);
  });
});
