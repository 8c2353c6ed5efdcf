import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SipRequest, type SipResponse } from '../message/index.ts';
import {
  ackFor2xxBytes,
  ackForFailureBytes,
  cancelBytes,
  fakeTimers,
  inviteBytes,
  recordingTransport,
  registerBytes,
  registerOkBytes,
  request,
  response,
  responseBytes,
  startLines,
} from './test-fixtures.ts';
import { TransactionManager, type ServerTransaction } from './transaction-manager.ts';

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const requests: { request: SipRequest; transaction: ServerTransaction }[] = [];
  const strayResponses: SipResponse[] = [];
  const strayAcks: SipRequest[] = [];
  const failures: string[] = [];
  const manager = new TransactionManager({
    timers: fakeTimers(),
    core: {
      onRequest: (message, transaction) => requests.push({ request: message, transaction }),
      onStrayResponse: (message) => strayResponses.push(message),
      onStrayAck: (message) => strayAcks.push(message),
      onServerTransactionFailure: (_transaction, failure) => failures.push(failure.kind),
    },
  });
  const transport = recordingTransport();
  const udp = { reliable: false, send: transport.send };
  return { manager, requests, strayResponses, strayAcks, failures, sent: transport.sent, udp };
}

describe('TransactionManager: server side (RFC 3261 §17.2.3)', () => {
  it('creates one server transaction per request and absorbs retransmissions', () => {
    const { manager, requests, sent, udp } = setup();
    manager.receive(request(inviteBytes), udp);
    manager.receive(request(inviteBytes), udp);
    expect(requests).toHaveLength(1);
    requests[0]?.transaction.respond(
      response(responseBytes('486 Busy Here', '314159 INVITE', 't')),
    );
    manager.receive(request(inviteBytes), udp);
    expect(startLines(sent)).toEqual(['486', '486']);
  });

  it('matches the ACK for a non-2xx to the INVITE transaction', () => {
    const { manager, requests, strayAcks, udp } = setup();
    manager.receive(request(inviteBytes), udp);
    const invite = requests[0]?.transaction;
    invite?.respond(response(responseBytes('486 Busy Here', '314159 INVITE', 'a6c85cf')));
    manager.receive(request(ackForFailureBytes), udp);
    expect(invite?.state).toBe('confirmed');
    expect(strayAcks).toHaveLength(0);
  });

  it('does not match the ACK for a 2xx: it is end to end and goes to the core (§13.2.2.4)', () => {
    const { manager, requests, strayAcks, udp } = setup();
    manager.receive(request(inviteBytes), udp);
    requests[0]?.transaction.respond(response(responseBytes('200 OK', '314159 INVITE', 'a6c85cf')));
    manager.receive(request(ackFor2xxBytes), udp);
    expect(strayAcks.map((ack) => ack.method)).toEqual(['ACK']);
    expect(manager.size).toBe(0);
  });

  it('keeps a CANCEL with the INVITE branch as its own transaction and finds the INVITE (§9.2)', () => {
    const { manager, requests, udp } = setup();
    manager.receive(request(inviteBytes), udp);
    manager.receive(request(cancelBytes), udp);
    expect(requests.map((entry) => entry.transaction.kind)).toEqual([
      'invite_server',
      'non_invite_server',
    ]);
    expect(manager.findCancelledInvite(request(cancelBytes))).toBe(requests[0]?.transaction);
  });

  it('tells a different sent-by apart even with the same branch', () => {
    const { manager, requests, udp } = setup();
    manager.receive(request(inviteBytes), udp);
    const otherHost = inviteBytes
      .toString()
      .replace('UDP pc33.atlanta.com;', 'UDP pc34.atlanta.com;');
    manager.receive(request(Buffer.from(otherHost)), udp);
    expect(requests).toHaveLength(2);
  });

  it('forgets a transaction when it terminates, and reports Timer H to the core', () => {
    const { manager, requests, failures, udp } = setup();
    manager.receive(request(inviteBytes), udp);
    requests[0]?.transaction.respond(
      response(responseBytes('486 Busy Here', '314159 INVITE', 'x')),
    );
    vi.advanceTimersByTime(32_000);
    expect(failures).toEqual(['timeout']);
    expect(manager.size).toBe(0);
  });
});

describe('TransactionManager: client side (RFC 3261 §17.1.3)', () => {
  it('routes responses by branch and CSeq method: same branch, different method', () => {
    const { manager, sent, udp } = setup();
    const inviteResponses: number[] = [];
    const cancelResponses: number[] = [];
    manager.sendRequest(request(inviteBytes), {
      ...udp,
      user: { onResponse: (message) => inviteResponses.push(message.status) },
    });
    manager.sendRequest(request(cancelBytes), {
      ...udp,
      user: { onResponse: (message) => cancelResponses.push(message.status) },
    });
    manager.receive(response(responseBytes('200 OK', '314159 CANCEL', 'a6c85cf')), udp);
    manager.receive(
      response(responseBytes('487 Request Terminated', '314159 INVITE', 'a6c85cf')),
      udp,
    );
    expect(cancelResponses).toEqual([200]);
    expect(inviteResponses).toEqual([487]);
    expect(startLines(sent)).toEqual([
      'INVITE sip:bob@biloxi.com',
      'CANCEL sip:bob@biloxi.com',
      'ACK sip:bob@biloxi.com',
    ]);
  });

  it('hands responses that match nothing to the core, e.g. a 2xx retransmission', () => {
    const { manager, strayResponses, udp } = setup();
    manager.sendRequest(request(inviteBytes), { ...udp, user: {} });
    const ok = response(responseBytes('200 OK', '314159 INVITE', 'a6c85cf'));
    manager.receive(ok, udp);
    manager.receive(ok, udp);
    manager.receive(response(registerOkBytes), udp);
    expect(strayResponses.map((message) => message.status)).toEqual([200, 200]);
  });

  it('refuses to send an ACK or a duplicate through a transaction', () => {
    const { manager, udp } = setup();
    expect(() => manager.sendRequest(request(ackFor2xxBytes), { ...udp, user: {} })).toThrowError(
      expect.objectContaining({ code: 'ack_not_a_transaction' }),
    );
    manager.sendRequest(request(registerBytes), { ...udp, user: {} });
    expect(() => manager.sendRequest(request(registerBytes), { ...udp, user: {} })).toThrowError(
      expect.objectContaining({ code: 'duplicate_transaction' }),
    );
  });
});
