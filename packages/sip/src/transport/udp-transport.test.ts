import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../message/index.ts';
import { Inbox, openUdpPeer, optionsRequest, type UdpPeer } from './loopback-fixtures.ts';
import { type SipTransportError } from './transport-error.ts';
import { type InboundSipMessage } from './transport.ts';
import { UdpTransport } from './udp-transport.ts';
import { responseDestination } from './via-routing.ts';

let transport: UdpTransport;
let port: number;
let peer: UdpPeer;
let inbound: Inbox<InboundSipMessage>;
let errors: Inbox<SipTransportError>;

beforeEach(async () => {
  inbound = new Inbox();
  errors = new Inbox();
  transport = new UdpTransport({
    addresses: [{ address: '127.0.0.1', port: 0 }],
    maxMessageSize: 1500,
    onMessage: (message) => inbound.push(message),
    onError: (error) => errors.push(error),
  });
  const [local] = await transport.listen();
  port = local?.port ?? 0;
  peer = await openUdpPeer();
});

afterEach(async () => {
  await transport.close();
  await peer.close();
});

describe('UdpTransport', () => {
  it('delivers an OPTIONS with received and rport set from the source (RFC 3581 §4)', async () => {
    await peer.send(optionsRequest(), port);
    const { message, source } = await inbound.next();
    expect(source).toEqual({ transport: 'udp', address: '127.0.0.1', port: peer.port });
    expect(message.kind).toBe('request');
    expect(message.headers.getAll('via')).toEqual([
      `SIP/2.0/UDP pc33.atlanta.com;rport=${peer.port};branch=z9hG4bKhjhs8ass877;received=127.0.0.1`,
    ]);
  });

  it('sends a response back to received:rport', async () => {
    await peer.send(optionsRequest(), port);
    const { message } = await inbound.next();
    const okText = [
      'SIP/2.0 200 OK',
      `Via: ${message.headers.get('via') ?? ''}`,
      'To: <sip:carol@chicago.com>;tag=93810874',
      'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710',
      'CSeq: 63104 OPTIONS',
      '',
      '',
    ].join('\r\n');
    const ok = parseMessage(Buffer.from(okText));
    if (ok.kind !== 'response') throw new Error('fixture is a response');
    await transport.send(ok, responseDestination(ok));
    expect(await peer.received.next()).toMatch(/^SIP\/2.0 200 OK\r\n/);
  });

  it('survives a garbage datagram and still delivers the next one', async () => {
    await peer.send(Buffer.from([0x00, 0x01, 0xff, 0x13, 0x37]), port);
    const error = await errors.next();
    expect(error).toMatchObject({ code: 'malformed_message', answeredWith: undefined });
    await peer.send(optionsRequest('second-call'), port);
    expect((await inbound.next()).message.headers.get('call-id')).toBe('second-call');
    expect(peer.received.size).toBe(0);
  });

  it('answers a malformed request with 400 and the reason, to the sender', async () => {
    await peer.send(optionsRequest('not a call id'), port);
    const reply = await peer.received.next();
    expect(reply).toMatch(/^SIP\/2.0 400 Bad Request \(bad Call-ID: not a call id\)\r\n/);
    expect(reply).toContain(`;rport=${peer.port};`);
    expect((await errors.next()).answeredWith).toBe(400);
    expect(inbound.size).toBe(0);
  });

  it('sends the 400 to the Via sent-by port when the client did not ask for rport', async () => {
    const listener = await openUdpPeer();
    const text = optionsRequest('bad id').replace(
      'pc33.atlanta.com;rport;',
      `127.0.0.1:${listener.port};`,
    );
    await peer.send(text, port);
    expect(await listener.received.next()).toMatch(/^SIP\/2.0 400 /);
    expect(peer.received.size).toBe(0);
    await listener.close();
  });

  it('drops a malformed response and reports it', async () => {
    await peer.send('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a.example\r\n\r\n', port);
    expect(await errors.next()).toMatchObject({ code: 'malformed_message' });
    expect(peer.received.size).toBe(0);
  });

  it('answers an oversize request with 513 (RFC 3261 §21.5.14)', async () => {
    const big = optionsRequest().replace('Content-Length: 0', `Subject: ${'x'.repeat(1600)}`);
    await peer.send(big, port);
    expect(await peer.received.next()).toMatch(/^SIP\/2.0 513 Message Too Large/);
  });

  it('ignores CRLF keep-alive datagrams', async () => {
    await peer.send('\r\n\r\n', port);
    await peer.send(optionsRequest(), port);
    await inbound.next();
    expect(errors.size).toBe(0);
  });

  it('rejects a send to a non-IP destination or after close', async () => {
    await expect(
      transport.send(parseMessage(Buffer.from(optionsRequest())), {
        transport: 'udp',
        address: 'example.com',
        port: 5060,
      }),
    ).rejects.toMatchObject({ code: 'bad_destination' });
    await transport.close();
    await expect(
      transport.send(parseMessage(Buffer.from(optionsRequest())), {
        transport: 'udp',
        address: '127.0.0.1',
        port: peer.port,
      }),
    ).rejects.toMatchObject({ code: 'not_listening' });
  });
});
