import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, type SipResponse } from '../message/index.ts';
import { Inbox, inviteRequest } from './loopback-fixtures.ts';
import { makeSelfSignedCertificate, type TestCertificate } from './tls-fixtures.ts';
import { TlsTransport, type TlsTransportOptions } from './tls-transport.ts';
import { type SipTransportError } from './transport-error.ts';
import { type InboundSipMessage, type SipDestination } from './transport.ts';
import { responseDestination } from './via-routing.ts';

let certificate: TestCertificate;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  certificate = makeSelfSignedCertificate();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  readonly transport: TlsTransport;
  readonly port: number;
  readonly inbound: Inbox<InboundSipMessage>;
  readonly errors: Inbox<SipTransportError>;
}

async function start(options: Partial<TlsTransportOptions> = {}): Promise<Harness> {
  const inbound = new Inbox<InboundSipMessage>();
  const errors = new Inbox<SipTransportError>();
  const transport = new TlsTransport({
    bind: { address: '127.0.0.1', port: 0 },
    key: certificate.key,
    cert: certificate.cert,
    onMessage: (message) => inbound.push(message),
    onError: (error) => errors.push(error),
    ...options,
  });
  const [local] = await transport.listen();
  cleanups.push(() => transport.close());
  return { transport, port: local?.port ?? 0, inbound, errors };
}

/** A TLS client that trusts the test certificate and collects what it reads. */
async function tlsClient(port: number): Promise<{ socket: TLSSocket; read: Inbox<string> }> {
  const socket = connectTls({ host: '127.0.0.1', port, ca: certificate.cert });
  cleanups.push(() => {
    socket.destroy();
  });
  await once(socket, 'secureConnect');
  const read = new Inbox<string>();
  socket.on('data', (chunk: Buffer) => read.push(chunk.toString('utf8')));
  return { socket, read };
}

/** RFC 3261 §24.2 F1 INVITE as sent over TLS. */
const tlsInvite = (callId?: string): string =>
  inviteRequest(callId).replace('SIP/2.0/TCP', 'SIP/2.0/TLS');

function ringing(request: InboundSipMessage['message']): SipResponse {
  const response = parseMessage(
    Buffer.from(
      [
        'SIP/2.0 180 Ringing',
        `Via: ${request.headers.get('via') ?? ''}`,
        'To: Bob <sip:bob@biloxi.com>;tag=8321234356',
        `From: ${request.headers.get('from') ?? ''}`,
        `Call-ID: ${request.headers.get('call-id') ?? ''}`,
        'CSeq: 314159 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  );
  if (response.kind !== 'response') throw new Error('fixture is a response');
  return response;
}

describe('TlsTransport inbound', () => {
  it('receives a message with source transport tls and answers on the same connection', async () => {
    const { port, inbound, transport } = await start();
    const client = await tlsClient(port);
    client.socket.write(tlsInvite());
    const { message, source, connectionId } = await inbound.next();
    expect(source).toEqual({
      transport: 'tls',
      address: '127.0.0.1',
      port: client.socket.localPort,
    });
    expect(connectionId).toMatch(/^tls-\d+$/);
    expect(message.headers.get('via')).toBe(
      'SIP/2.0/TLS pc33.atlanta.com;branch=z9hG4bK776asdhds;received=127.0.0.1',
    );
    // The Via says pc33.atlanta.com:5061; only the connection id leads back to the client.
    const response = ringing(message);
    expect(responseDestination(response, connectionId)).toMatchObject({
      transport: 'tls',
      port: 5061,
    });
    await transport.send(response, responseDestination(response, connectionId));
    expect(await client.read.next()).toMatch(/^SIP\/2.0 180 Ringing\r\n/);
    expect(transport.connectionCount).toBe(1);
  });

  it('answers a CRLFCRLF keep-alive and a malformed request as TCP does', async () => {
    const { port, errors } = await start();
    const client = await tlsClient(port);
    client.socket.write('\r\n\r\n');
    expect(await client.read.next()).toBe('\r\n');
    client.socket.write(tlsInvite('bad call id'));
    expect(await client.read.next()).toMatch(/^SIP\/2.0 400 Bad Request/);
    expect(await errors.next()).toMatchObject({ code: 'malformed_message', answeredWith: 400 });
  });

  it('drops a client that does not speak TLS and keeps serving others', async () => {
    const { port, inbound, errors, transport } = await start();
    const plain = connectTcp({ host: '127.0.0.1', port });
    cleanups.push(() => {
      plain.destroy();
    });
    await once(plain, 'connect');
    let answered = '';
    plain.on('data', (chunk: Buffer) => (answered += chunk.toString('latin1')));
    plain.write(tlsInvite());
    await once(plain, 'close');
    expect(answered).not.toContain('SIP/2.0');
    expect(await errors.next()).toMatchObject({ code: 'handshake_failed' });
    expect(inbound.size).toBe(0);
    expect(transport.connectionCount).toBe(0);

    const client = await tlsClient(port);
    client.socket.write(tlsInvite('after-plain'));
    expect((await inbound.next()).message.headers.get('call-id')).toBe('after-plain');
  });
});

describe('TlsTransport outbound', () => {
  const invite = (): ReturnType<typeof parseMessage> => parseMessage(Buffer.from(tlsInvite()));

  it('connects to a peer whose certificate verifies against the CA, by address or name', async () => {
    const server = await start();
    const client = await start({ ca: certificate.cert });
    const byAddress: SipDestination = { transport: 'tls', address: '127.0.0.1', port: server.port };
    await client.transport.send(invite(), byAddress);
    expect((await server.inbound.next()).source.transport).toBe('tls');

    const named = await start({ ca: certificate.cert });
    await named.transport.send(invite(), { ...byAddress, serverName: 'localhost' });
    expect((await server.inbound.next()).message.kind).toBe('request');
  });

  it('refuses a peer whose certificate does not verify, unless told not to check', async () => {
    const server = await start();
    const destination: SipDestination = {
      transport: 'tls',
      address: '127.0.0.1',
      port: server.port,
    };
    // Self-signed and not in the trusted CAs.
    const untrusting = await start();
    await expect(untrusting.transport.send(invite(), destination)).rejects.toMatchObject({
      code: 'socket_error',
    });
    // Trusted CA, but the certificate does not name the server expected.
    const wrongName = await start({ ca: certificate.cert });
    await expect(
      wrongName.transport.send(invite(), { ...destination, serverName: 'sip.example.com' }),
    ).rejects.toMatchObject({ code: 'socket_error' });
    expect(server.inbound.size).toBe(0);

    const lenient = await start({ rejectUnauthorized: false });
    await lenient.transport.send(invite(), destination);
    expect((await server.inbound.next()).source.transport).toBe('tls');
  });
});
