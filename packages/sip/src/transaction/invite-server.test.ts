import { afterEach, describe, expect, it, vi } from 'vitest';
import { InviteServerTransaction } from './invite-server.ts';
import {
  ackForFailureBytes,
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

function receiveInvite(reliable: boolean) {
  const timers = fakeTimers();
  const transport = recordingTransport();
  const sentAt: number[] = [];
  const events: string[] = [];
  const start = Date.now();
  const transaction = new InviteServerTransaction(request(inviteBytes), {
    send: (message) => {
      sentAt.push(Date.now() - start);
      transport.send(message);
    },
    timers,
    reliable,
    user: {
      onTimeout: () => events.push(`timeout@${Date.now() - start}`),
      onTerminated: () => events.push(`terminated@${Date.now() - start}`),
    },
  });
  return { transaction, sent: transport.sent, sentAt, events };
}

const busy = response(responseBytes('486 Busy Here', '314159 INVITE', 'a6c85cf'));

describe('INVITE server transaction (RFC 3261 §17.2.1)', () => {
  it('sends 100 Trying itself when the TU has not answered within 200 ms', () => {
    const { sent, sentAt } = receiveInvite(false);
    vi.advanceTimersByTime(199);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    const trying = sent[0];
    if (trying?.kind !== 'response') throw new Error('expected 100 Trying');
    expect(trying.status).toBe(100);
    expect(sentAt).toEqual([200]);
    // §8.2.6: Via, From, To, Call-ID and CSeq copied from the INVITE.
    expect(trying.headers.get('via')).toBe('SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8');
    expect(trying.headers.get('cseq')).toBe('314159 INVITE');
    expect(trying.headers.get('to')).toBe('Bob <sip:bob@biloxi.com>');
  });

  it('sends no 100 when the TU answers first', () => {
    const { transaction, sent } = receiveInvite(false);
    vi.advanceTimersByTime(50);
    transaction.respond(response(responseBytes('180 Ringing', '314159 INVITE', 'a6c85cf')));
    vi.advanceTimersByTime(1_000);
    expect(startLines(sent)).toEqual(['180']);
  });

  it('answers a retransmitted INVITE with the last response', () => {
    const { transaction, sent } = receiveInvite(false);
    vi.advanceTimersByTime(300);
    transaction.receiveRequest(request(inviteBytes));
    transaction.respond(response(responseBytes('180 Ringing', '314159 INVITE', 'a6c85cf')));
    transaction.receiveRequest(request(inviteBytes));
    expect(startLines(sent)).toEqual(['100', '100', '180', '180']);
  });

  it('retransmits a 486 on Timer G (capped at T2) and on each INVITE retransmission', () => {
    const { transaction, sentAt, sent } = receiveInvite(false);
    transaction.respond(busy);
    transaction.receiveRequest(request(inviteBytes));
    vi.advanceTimersByTime(15_500);
    expect(sentAt).toEqual([0, 0, 500, 1_500, 3_500, 7_500, 11_500, 15_500]);
    expect(startLines(sent).every((line) => line === '486')).toBe(true);
  });

  it('fires Timer H and reports a timeout when no ACK arrives', () => {
    const { transaction, events } = receiveInvite(false);
    transaction.respond(busy);
    vi.advanceTimersByTime(32_000);
    expect(events).toEqual(['timeout@32000', 'terminated@32000']);
    expect(transaction.state).toBe('terminated');
  });

  it('is confirmed by the ACK, absorbs further ACKs, and ends after Timer I (T4)', () => {
    const { transaction, events, sent } = receiveInvite(false);
    transaction.respond(busy);
    vi.advanceTimersByTime(600);
    transaction.receiveRequest(request(ackForFailureBytes));
    expect(transaction.state).toBe('confirmed');
    transaction.receiveRequest(request(ackForFailureBytes));
    transaction.receiveRequest(request(inviteBytes));
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual(['terminated@5600']);
    expect(startLines(sent)).toEqual(['486', '486']);
  });

  it('ends on a 2xx from the TU: its retransmission is the core’s (§13.3.1.4)', () => {
    const { transaction, events } = receiveInvite(false);
    transaction.respond(response(responseBytes('200 OK', '314159 INVITE', 'a6c85cf')));
    expect(transaction.state).toBe('terminated');
    expect(events).toEqual(['terminated@0']);
  });

  it('does not retransmit over a reliable transport, and Timer I is zero', () => {
    const { transaction, sent, events } = receiveInvite(true);
    transaction.respond(busy);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(1);
    transaction.receiveRequest(request(ackForFailureBytes));
    expect(events).toEqual(['terminated@10000']);
  });

  it('refuses a response after the final one with a typed error', () => {
    const { transaction } = receiveInvite(false);
    transaction.respond(busy);
    expect(() => transaction.respond(busy)).toThrowError(
      expect.objectContaining({ code: 'final_response_already_sent' }),
    );
  });
});
