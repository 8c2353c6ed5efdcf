import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../message/index.ts';
import { Inbox, inviteRequest, openTcpPeer, type TcpPeer } from './loopback-fixtures.ts';
import { TcpTransport, type TcpTransportOptions } from './tcp-transport.ts';
import { type SipTransportError } from './transport-error.ts';
import { type InboundSipMessage } from './transport.ts';
import { responseDestination } from './via-routing.ts';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  readonly transport: TcpTransport;
  readonly port: number;
  readonly inbound: Inbox<InboundSipMessage>;
  readonly errors: Inbox<SipTransportError>;
  readonly peer: () => Promise<TcpPeer>;
}

async function start(options: Partial<TcpTransportOptions> = {}): Promise<Harness> {
  const inbound = new Inbox<InboundSipMessage>();
  const errors = new Inbox<SipTransportError>();
  const transport = new TcpTransport({
    bind: { address: '127.0.0.1', port: 0 },
    onMessage: (message) => inbound.push(message),
    onError: (error) => errors.push(error),
    ...options,
  });
  const [local] = await transport.listen();
  cleanups.push(() => transport.close());
  const port = local?.port ?? 0;
  return {
    transport,
    port,
    inbound,
    errors,
    peer: async () => {
      const peer = await openTcpPeer(port);
      cleanups.push(() => {
        peer.socket.destroy();
      });
      return peer;
    },
  };
}

function write(peer: TcpPeer, text: string): Promise<void> {
  return new Promise((resolve) => peer.socket.write(text, () => resolve()));
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('TcpTransport inbound', () => {
  it('delivers two messages that arrive in one chunk', async () => {
    const { peer, inbound } = await start();
    const client = await peer();
    await write(client, inviteRequest('first') + inviteRequest('second'));
    const first = await inbound.next();
    const second = await inbound.next();
    expect(first.message.headers.get('call-id')).toBe('first');
    expect(second.message.headers.get('call-id')).toBe('second');
    expect(first.source).toEqual({ transport: 'tcp', address: '127.0.0.1', port: client.port });
    expect(first.connectionId).toBe(second.connectionId);
    expect(first.message.headers.get('via')).toBe(
      'SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=127.0.0.1',
    );
  });

  it('delivers one message split over three chunks', async () => {
    const { peer, inbound } = await start();
    const client = await peer();
    const text = inviteRequest();
    await write(client, text.slice(0, 10));
    await delay(20);
    await write(client, text.slice(10, 200));
    await delay(20);
    expect(inbound.size).toBe(0);
    await write(client, text.slice(200));
    expect((await inbound.next()).message).toMatchObject({ kind: 'request', method: 'INVITE' });
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626 §3.5.1)', async () => {
    const { peer } = await start();
    const client = await peer();
    await write(client, '\r\n\r\n');
    expect(await client.waitFor((text) => text.length >= 2)).toBe('\r\n');
  });

  it('answers a malformed request 400 and keeps the connection', async () => {
    const { peer, inbound, errors } = await start();
    const client = await peer();
    await write(client, inviteRequest('bad call id') + inviteRequest('good'));
    expect(await client.waitFor((text) => text.endsWith('\r\n\r\n'))).toMatch(
      /^SIP\/2.0 400 Bad Request \(bad Call-ID: bad call id\)\r\n/,
    );
    expect((await errors.next()).answeredWith).toBe(400);
    expect((await inbound.next()).message.headers.get('call-id')).toBe('good');
  });

  it('answers 400 and closes when framing is lost (no Content-Length, RFC 3261 §18.3)', async () => {
    const { peer, errors } = await start();
    const client = await peer();
    await write(client, inviteRequest().replace('Content-Length: 0\r\n', ''));
    await client.closed;
    expect(client.text()).toMatch(/^SIP\/2.0 400 Bad Request \(Content-Length is mandatory/);
    expect(await errors.next()).toMatchObject({ code: 'malformed_message', answeredWith: 400 });
  });

  it('still answers a request that came in the same write as a framing error', async () => {
    const { peer, inbound, transport } = await start();
    const client = await peer();
    const good = inviteRequest('good@pc33.atlanta.com');
    const broken = inviteRequest('broken@pc33.atlanta.com').replace('Content-Length: 0\r\n', '');
    await write(client, good + broken);
    const { message, connectionId } = await inbound.next();
    await client.waitFor((text) => text.includes('400 Bad Request'));
    // The transaction user answers a little later, after the 400 went out.
    await delay(50);
    const trying = parseMessage(
      Buffer.from(
        [
          'SIP/2.0 100 Trying',
          `Via: ${message.headers.get('via') ?? ''}`,
          `To: ${message.headers.get('to') ?? ''}`,
          `From: ${message.headers.get('from') ?? ''}`,
          `Call-ID: ${message.headers.get('call-id') ?? ''}`,
          'CSeq: 314159 INVITE',
          '',
          '',
        ].join('\r\n'),
      ),
    );
    if (trying.kind !== 'response') throw new Error('fixture is a response');
    await transport.send(trying, responseDestination(trying, connectionId));
    expect(await client.waitFor((text) => text.includes('100 Trying'))).toContain(
      'Call-ID: good@pc33.atlanta.com',
    );
    await client.closed;
  });

  it('answers 513 and closes on an oversize message', async () => {
    const { peer } = await start({ maxMessageSize: 1000 });
    const client = await peer();
    await write(client, inviteRequest().replace('Content-Length: 0', 'Content-Length: 5000'));
    await client.closed;
    expect(client.text()).toMatch(/^SIP\/2.0 513 Message Too Large/);
  });

  it('sends the response back on the connection the request came in on', async () => {
    const { peer, inbound, transport } = await start();
    const client = await peer();
    await write(client, inviteRequest());
    const { message, connectionId } = await inbound.next();
    const ringing = parseMessage(
      Buffer.from(
        [
          'SIP/2.0 180 Ringing',
          `Via: ${message.headers.get('via') ?? ''}`,
          'To: Bob <sip:bob@biloxi.com>;tag=8321234356',
          `From: ${message.headers.get('from') ?? ''}`,
          `Call-ID: ${message.headers.get('call-id') ?? ''}`,
          'CSeq: 314159 INVITE',
          '',
          '',
        ].join('\r\n'),
      ),
    );
    if (ringing.kind !== 'response') throw new Error('fixture is a response');
    // The Via says pc33.atlanta.com:5060; only the connection id leads back to the client.
    await transport.send(ringing, responseDestination(ringing, connectionId));
    expect(await client.waitFor((text) => text.endsWith('\r\n\r\n'))).toMatch(
      /^SIP\/2.0 180 Ringing\r\n/,
    );
    expect(transport.connectionCount).toBe(1);
  });

  it('closes a connection that stays idle', async () => {
    const { peer, transport } = await start({ idleTimeoutMs: 100 });
    const client = await peer();
    await client.closed;
    await delay(10);
    expect(transport.connectionCount).toBe(0);
  });

  it('refuses connections over the cap', async () => {
    const { peer, errors, transport } = await start({ maxConnections: 1 });
    await peer();
    const second = await peer();
    await second.closed;
    expect(await errors.next()).toMatchObject({ code: 'connection_limit' });
    expect(transport.connectionCount).toBe(1);
  });
});

describe('TcpTransport outbound', () => {
  async function remoteServer(): Promise<{ port: number; accepted: Inbox<Socket> }> {
    const accepted = new Inbox<Socket>();
    const server: Server = createServer((socket) => accepted.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    cleanups.push(async () => {
      server.close();
      await once(server, 'close');
    });
    return { port: typeof address === 'object' && address !== null ? address.port : 0, accepted };
  }

  it('opens one connection and reuses it for later messages to the same address', async () => {
    const { transport } = await start();
    const remote = await remoteServer();
    const invite = parseMessage(Buffer.from(inviteRequest()));
    const destination = { transport: 'tcp', address: '127.0.0.1', port: remote.port } as const;
    await Promise.all([transport.send(invite, destination), transport.send(invite, destination)]);
    const socket = await remote.accepted.next();
    cleanups.push(() => {
      socket.destroy();
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await transport.send(invite, destination);
    await delay(50);
    expect(received.split('INVITE sip:').length - 1).toBe(3);
    expect(remote.accepted.size).toBe(0);
    expect(transport.connectionCount).toBe(1);
  });

  it('rejects a send when the peer refuses the connection', async () => {
    const { transport } = await start();
    const remote = await remoteServer();
    const port = remote.port;
    for (const cleanup of cleanups.splice(1)) await cleanup();
    await expect(
      transport.send(parseMessage(Buffer.from(inviteRequest())), {
        transport: 'tcp',
        address: '127.0.0.1',
        port,
      }),
    ).rejects.toMatchObject({ code: 'socket_error' });
  });
});
