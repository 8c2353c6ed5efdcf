import { describe, expect, it } from 'vitest';
import { serializeMessage } from '../message/index.ts';
import { buildNon2xxAck, buildTryingResponse } from './derived-messages.ts';
import { inviteBytes, request, response, responseBytes } from './test-fixtures.ts';

describe('messages the transaction layer writes itself', () => {
  it('builds the ACK for a 486 as RFC 3261 §17.1.1.3 lays it out', () => {
    const busy = response(responseBytes('486 Busy Here', '314159 INVITE', 'a6c85cf'));
    const ack = buildNon2xxAck(request(inviteBytes), busy);
    expect(serializeMessage(ack).toString()).toBe(
      [
        'ACK sip:bob@biloxi.com SIP/2.0',
        'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8',
        'Route: <sip:ss1.atlanta.example.com;lr>',
        'Max-Forwards: 70',
        'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
        'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
        'Call-ID: a84b4c76e66710',
        'CSeq: 314159 ACK',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('builds 100 Trying from the request with its Timestamp (§8.2.6.1)', () => {
    const withTimestamp = inviteBytes
      .toString()
      .replace('Content-Length: 0', 'Timestamp: 54\r\nContent-Length: 0');
    const trying = buildTryingResponse(request(Buffer.from(withTimestamp)));
    expect(serializeMessage(trying).toString()).toBe(
      [
        'SIP/2.0 100 Trying',
        'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8',
        'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
        'To: Bob <sip:bob@biloxi.com>',
        'Call-ID: a84b4c76e66710',
        'CSeq: 314159 INVITE',
        'Timestamp: 54',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });
});
