import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  getParam,
  parseCSeq,
  parseNameAddr,
  parseVia,
  type SipResponse,
} from '../message/index.ts';
import { InviteClientTransaction } from './invite-client.ts';
import {
  fakeTimers,
  inviteBytes,
  recordingTransport,
  request,
  response,
  responseBytes,
  startLines,
} from './test-fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

function startInvite(reliable: boolean) {
  const timers = fakeTimers();
  const transport = recordingTransport();
  const sentAt: number[] = [];
  const events: string[] = [];
  const delivered: SipResponse[] = [];
  const transaction = new InviteClientTransaction(request(inviteBytes), {
    send: (message) => {
      sentAt.push(Date.now());
      transport.send(message);
    },
    timers,
    reliable,
    user: {
      onResponse: (message) => delivered.push(message),
      onTimeout: () => events.push(`timeout@${Date.now()}`),
      onTransportError: () => events.push('transport_error'),
      onTerminated: () => events.push(`terminated@${Date.now()}`),
    },
  });
  const start = Date.now();
  transaction.start();
  return { transaction, sent: transport.sent, sentAt, events, delivered, start };
}

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  it('retransmits over UDP with Timer A doubling from T1 until Timer B (64*T1) fires', () => {
    const { transaction, sent, sentAt, events, start } = startInvite(false);
    vi.advanceTimersByTime(40_000);
    // §17.1.1.2: A = 500, 1000, 2000, 4000, 8000, 16000 ms; B at 32 s ends it.
    expect(sentAt.map((at) => at - start)).toEqual([0, 500, 1_500, 3_500, 7_500, 15_500, 31_500]);
    expect(startLines(sent).every((line) => line === 'INVITE sip:bob@biloxi.com')).toBe(true);
    expect(events).toEqual([`timeout@${start + 32_000}`, `terminated@${start + 32_000}`]);
    expect(transaction.state).toBe('terminated');
  });

  it('stops retransmitting on a provisional response and passes it up', () => {
    const { transaction, sent, delivered } = startInvite(false);
    vi.advanceTimersByTime(600);
    transaction.receiveResponse(response(responseBytes('180 Ringing', '314159 INVITE', 'a6c85cf')));
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(2);
    expect(transaction.state).toBe('proceeding');
    expect(delivered.map((message) => message.status)).toEqual([180]);
  });

  it('ACKs a 486 itself with the response To tag and the INVITE branch (§17.1.1.3)', () => {
    const { transaction, sent, delivered, events, start } = startInvite(false);
    const busy = response(responseBytes('486 Busy Here', '314159 INVITE', 'a6c85cf'));
    transaction.receiveResponse(busy);
    expect(transaction.state).toBe('completed');
    const ack = sent[1];
    if (ack?.kind !== 'request') throw new Error('expected the ACK to be sent');
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe('sip:bob@biloxi.com');
    expect(ack.headers.getAll('via')).toHaveLength(1);
    expect(parseVia(ack.headers.get('via') ?? '').branch).toBe('z9hG4bKnashds8');
    expect(getParam(parseNameAddr(ack.headers.get('to') ?? '').params, 'tag')).toBe('a6c85cf');
    expect(parseCSeq(ack.headers.get('cseq') ?? '')).toEqual({ seq: 314159, method: 'ACK' });
    expect(ack.headers.get('route')).toBe('<sip:ss1.atlanta.example.com;lr>');
    expect(ack.headers.get('call-id')).toBe('a84b4c76e66710');

    // A retransmitted 486 is ACKed again and not passed up a second time.
    transaction.receiveResponse(busy);
    expect(startLines(sent)).toEqual([
      'INVITE sip:bob@biloxi.com',
      'ACK sip:bob@biloxi.com',
      'ACK sip:bob@biloxi.com',
    ]);
    expect(delivered.map((message) => message.status)).toEqual([486]);

    // Timer D (32 s on UDP) ends the Completed state; no INVITE retransmissions meanwhile.
    vi.advanceTimersByTime(32_000);
    expect(events).toEqual([`terminated@${start + 32_000}`]);
    expect(sent).toHaveLength(3);
  });

  it('ends at once on a 2xx, leaving its ACK to the TU (§13.2.2.4)', () => {
    const { transaction, sent, delivered, events } = startInvite(false);
    transaction.receiveResponse(response(responseBytes('200 OK', '314159 INVITE', 'a6c85cf')));
    expect(transaction.state).toBe('terminated');
    expect(delivered.map((message) => message.status)).toEqual([200]);
    expect(startLines(sent)).toEqual(['INVITE sip:bob@biloxi.com']);
    expect(events).toHaveLength(1);
  });

  it('does not retransmit over a reliable transport, and Timer D is zero', () => {
    const { transaction, sent, events, start } = startInvite(true);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(1);
    transaction.receiveResponse(response(responseBytes('486 Busy Here', '314159 INVITE', 'x')));
    expect(startLines(sent)).toEqual(['INVITE sip:bob@biloxi.com', 'ACK sip:bob@biloxi.com']);
    expect(transaction.state).toBe('terminated');
    expect(events).toEqual([`terminated@${start + 10_000}`]);
  });

  it('still times out with Timer B over a reliable transport', () => {
    const { events, start } = startInvite(true);
    vi.advanceTimersByTime(32_000);
    expect(events).toEqual([`timeout@${start + 32_000}`, `terminated@${start + 32_000}`]);
  });

  it('reports a send that throws as a transport error and terminates (§17.1.4)', () => {
    const timers = fakeTimers();
    const events: string[] = [];
    const transaction = new InviteClientTransaction(request(inviteBytes), {
      send: () => {
        throw new Error('connection refused');
      },
      timers,
      reliable: true,
      user: {
        onTransportError: (error) => events.push(error instanceof Error ? 'error' : 'other'),
        onTerminated: () => events.push('terminated'),
      },
    });
    transaction.start();
    expect(events).toEqual(['error', 'terminated']);
    expect(transaction.state).toBe('terminated');
  });
});
