import { describe, expect, it } from 'vitest';
import { parseMessage, parseVia, serializeVia, type SipResponse } from '../message/index.ts';
import { SipTransportError } from './transport-error.ts';
import { type SipEndpoint } from './transport.ts';
import { responseDestination, stampReceivedRequest, stampTopVia } from './via-routing.ts';
import { optionsRequest } from './loopback-fixtures.ts';

const nat: SipEndpoint = { transport: 'udp', address: '192.0.2.1', port: 9988 };

function response(via: string): SipResponse {
  const message = parseMessage(
    Buffer.from(
      [
        'SIP/2.0 200 OK',
        `Via: ${via}`,
        'To: <sip:carol@chicago.com>;tag=93810874',
        'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
        'Call-ID: a84b4c76e66710',
        'CSeq: 63104 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  );
  if (message.kind !== 'response') throw new Error('fixture is a response');
  return message;
}

describe('stampTopVia', () => {
  it('fills rport and adds received (RFC 3581 §4 example)', () => {
    const via = parseVia('SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff');
    expect(serializeVia(stampTopVia(via, nat))).toBe(
      'SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1',
    );
  });

  it('adds received when sent-by is a name (RFC 3261 §18.2.1 example)', () => {
    const via = parseVia('SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bK776asdhds');
    const stamped = stampTopVia(via, nat);
    expect(stamped.received).toBe('192.0.2.1');
    expect(stamped.rport).toBeUndefined();
  });

  it('leaves a Via alone when sent-by is the source and no rport was asked', () => {
    const via = parseVia('SIP/2.0/UDP 192.0.2.1:9988;branch=z9hG4bK776asdhds');
    expect(stampTopVia(via, nat)).toBe(via);
  });

  it('adds received even when equal to sent-by when rport was asked (RFC 3581 §4)', () => {
    const via = parseVia('SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK776asdhds');
    expect(stampTopVia(via, nat).received).toBe('192.0.2.1');
  });

  it('replaces a received the client wrote itself', () => {
    const via = parseVia('SIP/2.0/UDP a.example;received=10.0.0.1;branch=z9hG4bK1');
    expect(serializeVia(stampTopVia(via, nat))).toBe(
      'SIP/2.0/UDP a.example;branch=z9hG4bK1;received=192.0.2.1',
    );
  });
});

describe('stampReceivedRequest', () => {
  it('stamps only the top Via of a comma-separated Via line', () => {
    const text = optionsRequest().replace(
      'branch=z9hG4bKhjhs8ass877',
      'branch=z9hG4bKhjhs8ass877, SIP/2.0/UDP proxy.example;branch=z9hG4bKx',
    );
    const request = parseMessage(Buffer.from(text));
    if (request.kind !== 'request') throw new Error('fixture is a request');
    const stamped = stampReceivedRequest(request, nat);
    expect(stamped.headers.getAll('via')).toEqual([
      'SIP/2.0/UDP pc33.atlanta.com;rport=9988;branch=z9hG4bKhjhs8ass877;received=192.0.2.1',
      'SIP/2.0/UDP proxy.example;branch=z9hG4bKx',
    ]);
    expect(request.headers.getAll('via')[0]).toContain(';rport;'); // the input is not mutated
  });
});

describe('responseDestination', () => {
  it('goes to received:rport (RFC 3581 §4)', () => {
    const via = 'SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff';
    expect(responseDestination(response(via))).toEqual({
      transport: 'udp',
      address: '192.0.2.1',
      port: 9988,
    });
  });

  it('goes to received at the sent-by port without rport (RFC 3261 §18.2.2)', () => {
    const via = 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877;received=192.0.2.4';
    expect(responseDestination(response(via))).toEqual({
      transport: 'udp',
      address: '192.0.2.4',
      port: 5060,
    });
  });

  it('goes to sent-by, to maddr, and keeps the connection id for TCP', () => {
    expect(responseDestination(response('SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK1'))).toEqual(
      {
        transport: 'udp',
        address: '2001:db8::9',
        port: 5070,
      },
    );
    expect(
      responseDestination(response('SIP/2.0/UDP a.example;maddr=239.255.255.1;branch=z9hG4bK1')),
    ).toMatchObject({ address: '239.255.255.1', port: 5060 });
    expect(
      responseDestination(response('SIP/2.0/TCP 192.0.2.7:5062;branch=z9hG4bK1'), 'tcp-4'),
    ).toEqual({ transport: 'tcp', address: '192.0.2.7', port: 5062, connectionId: 'tcp-4' });
  });

  it('routes TLS, WS and WSS with their own default ports (RFC 3261 §19.1.2, RFC 7118 §5.2)', () => {
    expect(responseDestination(response('SIP/2.0/TLS 192.0.2.7;branch=z9hG4bK1'))).toEqual({
      transport: 'tls',
      address: '192.0.2.7',
      port: 5061,
    });
    // RFC 7118 §8 example Via: the browser's unreachable sent-by, stamped with its source.
    const browser = 'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;received=192.0.2.9';
    expect(responseDestination(response(browser), 'wss-3')).toEqual({
      transport: 'wss',
      address: '192.0.2.9',
      port: 443,
      connectionId: 'wss-3',
    });
    expect(
      responseDestination(
        response('SIP/2.0/WS 192.0.2.7;branch=z9hG4bK1;rport=5555;received=192.0.2.8'),
      ),
    ).toEqual({ transport: 'ws', address: '192.0.2.8', port: 5555 });
  });

  it('refuses a Via transport it has no transport for', () => {
    expect(() => responseDestination(response('SIP/2.0/SCTP 192.0.2.7;branch=z9hG4bK1'))).toThrow(
      SipTransportError,
    );
  });
});
