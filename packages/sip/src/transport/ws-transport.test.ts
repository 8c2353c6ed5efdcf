import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { parseMessage, type SipMessage, type SipResponse } from '../message/index.ts';
import { Inbox, inviteRequest } from './loopback-fixtures.ts';
import { makeSelfSignedCertificate, type TestCertificate } from './tls-fixtures.ts';
import { type SipTransportError } from './transport-error.ts';
import { type InboundSipMessage } from './transport.ts';
import { responseDestination } from './via-routing.ts';
import { WsTransport, type WsServerMode, type WsTransportOptions } from './ws-transport.ts';

let certificate: TestCertificate;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  certificate = makeSelfSignedCertificate();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The REGISTER of RFC 7118 §8.1 (F3): a browser's Via and Contact name an unreachable
 * "df7jal23ls0d.invalid" host, and there is no Content-Length — WebSocket frames it.
 */
function browserRegister(callId = 'aiuy7k9njasd'): string {
  return [
    'REGISTER sip:proxy.example.com SIP/2.0',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf',
    'From: sip:alice@example.com;tag=65bnmj.34asd',
    'To: sip:alice@example.com',
    `Call-ID: ${callId}`,
    'CSeq: 1 REGISTER',
    'Max-Forwards: 70',
    'Supported: path, outbound, gruu',
    'Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;reg-id=1',
    '',
    '',
  ].join('\r\n');
}

function okFor(request: SipMessage): SipResponse {
  const response = parseMessage(
    Buffer.from(
      [
        'SIP/2.0 200 OK',
        `Via: ${request.headers.get('via') ?? ''}`,
        `From: ${request.headers.get('from') ?? ''}`,
        `To: ${request.headers.get('to') ?? ''};tag=7a6d4c`,
        `Call-ID: ${request.headers.get('call-id') ?? ''}`,
        `CSeq: ${request.headers.get('cseq') ?? ''}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  );
  if (response.kind !== 'response') throw new Error('fixture is a response');
  return response;
}

interface Harness {
  readonly transport: WsTransport;
  readonly inbound: Inbox<InboundSipMessage>;
  readonly errors: Inbox<SipTransportError>;
}

async function start(
  server: WsServerMode = { kind: 'listen', bind: { address: '127.0.0.1', port: 0 } },
  options: Partial<WsTransportOptions> = {},
): Promise<Harness & { readonly port: number }> {
  const inbound = new Inbox<InboundSipMessage>();
  const errors = new Inbox<SipTransportError>();
  const transport = new WsTransport({
    server,
    onMessage: (message) => inbound.push(message),
    onError: (error) => errors.push(error),
    ...options,
  });
  const [local] = await transport.listen();
  cleanups.push(() => transport.close());
  return { transport, inbound, errors, port: local?.port ?? 0 };
}

interface Client {
  readonly socket: WebSocket;
  readonly read: Inbox<{ readonly text: string; readonly binary: boolean }>;
  readonly closed: Promise<number>;
}

async function connect(
  url: string,
  protocols: string | string[] = 'sip',
  options: ClientOptions = {},
): Promise<Client> {
  const socket = new WebSocket(url, protocols, options);
  cleanups.push(() => {
    socket.terminate();
  });
  const read = new Inbox<{ text: string; binary: boolean }>();
  socket.on('message', (data: RawData, binary: boolean) =>
    read.push({ text: rawText(data), binary }),
  );
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await once(socket, 'open');
  return { socket, read, closed };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}

/** The HTTP status that answered the handshake: 101 when it was accepted. */
function handshakeStatus(url: string, protocols?: string): Promise<number> {
  const socket = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
  cleanups.push(() => {
    socket.terminate();
  });
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response: IncomingMessage) =>
      resolve(response.statusCode ?? 0),
    );
    socket.once('upgrade', (response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

describe('WsTransport', () => {
  it('round-trips a browser REGISTER and routes the answer by connection id (RFC 7118 §8.1)', async () => {
    const { port, inbound, transport } = await start();
    const client = await connect(`ws://127.0.0.1:${port}`);
    expect(client.socket.protocol).toBe('sip');
    client.socket.send(browserRegister());
    const { message, source, connectionId } = await inbound.next();
    expect(source).toMatchObject({ transport: 'ws', address: '127.0.0.1' });
    expect(connectionId).toMatch(/^ws-\d+$/);
    expect(message.headers.get('via')).toBe(
      'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;received=127.0.0.1',
    );
    const ok = okFor(message);
    // Via leads to 127.0.0.1:443, which is not the browser: only the connection id is.
    expect(responseDestination(ok, connectionId)).toMatchObject({ port: 443 });
    await transport.send(ok, responseDestination(ok, connectionId));
    expect(await client.read.next()).toEqual({
      text: expect.stringMatching(/^SIP\/2.0 200 OK\r\n/) as unknown,
      binary: false,
    });
    await expect(transport.send(ok, responseDestination(ok))).rejects.toMatchObject({
      code: 'bad_destination',
    });
    await expect(
      transport.send(ok, { transport: 'ws', address: 'df7jal23ls0d.invalid', port: 80 }),
    ).rejects.toMatchObject({ code: 'bad_destination' });
  });

  it('sends a later request over the connection the client opened, found by its address', async () => {
    const { port, inbound, transport } = await start();
    const client = await connect(`ws://127.0.0.1:${port}`);
    client.socket.send(Buffer.from(browserRegister()), { binary: true });
    const { source } = await inbound.next();
    await transport.send(parseMessage(Buffer.from(inviteRequest())), source);
    expect((await client.read.next()).text).toMatch(/^INVITE sip:bob@biloxi.com SIP\/2.0\r\n/);
  });

  it('refuses a handshake that does not offer the "sip" subprotocol (RFC 7118 §4.1)', async () => {
    const { port, errors, transport } = await start();
    expect(await handshakeStatus(`ws://127.0.0.1:${port}`)).toBe(400);
    expect(await handshakeStatus(`ws://127.0.0.1:${port}`, 'chat')).toBe(400);
    expect(await errors.next()).toMatchObject({ code: 'handshake_failed' });
    expect(transport.connectionCount).toBe(0);
    // Offering several, sip among them, is fine.
    const client = await connect(`ws://127.0.0.1:${port}`, ['chat', 'sip']);
    expect(client.socket.protocol).toBe('sip');
  });

  it('answers a malformed request 400 on the connection, which stays open', async () => {
    const { port, inbound, errors } = await start();
    const client = await connect(`ws://127.0.0.1:${port}`);
    client.socket.send(inviteRequest('bad call id'));
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 400 Bad Request \(bad Call-ID/);
    expect(await errors.next()).toMatchObject({ code: 'malformed_message', answeredWith: 400 });
    client.socket.send(browserRegister('good'));
    expect((await inbound.next()).message.headers.get('call-id')).toBe('good');
  });

  it('refuses a Content-Length that does not match the WebSocket message (RFC 7118 §5)', async () => {
    const { port, inbound } = await start();
    const client = await connect(`ws://127.0.0.1:${port}`);
    client.socket.send(`${inviteRequest('short')}abc`);
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 400 .*does not match/);
    client.socket.send(inviteRequest('long').replace('Content-Length: 0', 'Content-Length: 9'));
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 400 .*exceeds/);
    client.socket.send(
      `${inviteRequest('exact').replace('Content-Length: 0', 'Content-Length: 3')}abc`,
    );
    expect((await inbound.next()).message.body.toString()).toBe('abc');
  });

  it('answers 513 to an oversize message and closes on one past twice the limit', async () => {
    const { port } = await start(undefined, { maxMessageSize: 1000 });
    const client = await connect(`ws://127.0.0.1:${port}`);
    const body = 'x'.repeat(1200);
    client.socket.send(
      `${inviteRequest().replace('Content-Length: 0', 'Content-Length: 1200')}${body}`,
    );
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 513 Message Too Large/);
    client.socket.send('y'.repeat(2100));
    expect(await client.closed).toBe(1009);
  });

  it('answers a CRLFCRLF keep-alive with CRLF and ignores a lone CRLF', async () => {
    const { port } = await start();
    const client = await connect(`ws://127.0.0.1:${port}`);
    client.socket.send('\r\n');
    client.socket.send('\r\n\r\n');
    client.socket.send(inviteRequest('bad call id'));
    // Answers come in order: one pong, then the 400 — nothing for the lone CRLF.
    expect((await client.read.next()).text).toBe('\r\n');
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 400 /);
  });

  it('keeps a client that answers pings and ends one that does not', async () => {
    const { port, transport } = await start(undefined, { pingIntervalMs: 300 });
    const alive = await connect(`ws://127.0.0.1:${port}`);
    const pings = new Inbox<true>();
    alive.socket.on('ping', () => pings.push(true));
    const silent = await connect(`ws://127.0.0.1:${port}`, 'sip', { autoPong: false });
    expect(await silent.closed).toBe(1006);
    // A second ping means the first one's pong kept the connection; by the third, the
    // silent connection's end (at the second) has been processed on the server too.
    for (let ping = 0; ping < 3; ping += 1) await pings.next(5000);
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    expect(transport.connectionCount).toBe(1);
  });

  it('serves only WebSocket on its own server: plain HTTP gets 426', async () => {
    const { port } = await start();
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(426);
  });
});

describe('WsTransport attached to an HTTP server', () => {
  async function httpServer(): Promise<{ server: Server; port: number }> {
    const server = createServer((_request, response) => response.end('api'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });
    return { server, port: (server.address() as AddressInfo).port };
  }

  it('carries SIP on its path and leaves the rest of the server alone', async () => {
    const { server, port } = await httpServer();
    const { inbound, transport } = await start({ kind: 'attach', server });
    expect(transport.protocol).toBe('ws');
    const client = await connect(`ws://127.0.0.1:${port}/sip`);
    client.socket.send(browserRegister());
    const { message, connectionId } = await inbound.next();
    const ok = okFor(message);
    await transport.send(ok, responseDestination(ok, connectionId));
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 200 OK/);

    expect(await (await fetch(`http://127.0.0.1:${port}/api`)).text()).toBe('api');
    expect(await handshakeStatus(`ws://127.0.0.1:${port}/other`, 'sip')).toBe(404);

    await transport.close();
    expect(await client.closed).toBe(1006);
    expect(server.listenerCount('upgrade')).toBe(0);
    expect(await (await fetch(`http://127.0.0.1:${port}/api`)).text()).toBe('api');
  });
});

describe('WsTransport over TLS (wss)', () => {
  it('round-trips over wss with the server certificate', async () => {
    const { port, inbound, transport } = await start({
      kind: 'listen',
      bind: { address: '127.0.0.1', port: 0 },
      tls: { key: certificate.key, cert: certificate.cert },
    });
    expect(transport.protocol).toBe('wss');
    const client = await connect(`wss://127.0.0.1:${port}`, 'sip', { ca: certificate.cert });
    client.socket.send(browserRegister());
    const { message, source, connectionId } = await inbound.next();
    expect(source.transport).toBe('wss');
    expect(connectionId).toMatch(/^wss-\d+$/);
    const ok = okFor(message);
    await transport.send(ok, responseDestination(ok, connectionId));
    expect((await client.read.next()).text).toMatch(/^SIP\/2.0 200 OK/);
  });
});
