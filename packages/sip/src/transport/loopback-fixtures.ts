import { once } from 'node:events';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';

/**
 * Test fixtures for the transport tests: RFC example messages as the bytes a peer sends,
 * and small loopback peers that collect what comes back. Kept out of the transport code.
 */

/** RFC 3261 §11.2 OPTIONS, with `;rport` added to its Via as RFC 3581 §4 does. */
export function optionsRequest(callId = 'a84b4c76e66710', via = 'pc33.atlanta.com'): string {
  return [
    'OPTIONS sip:carol@chicago.com SIP/2.0',
    `Via: SIP/2.0/UDP ${via};rport;branch=z9hG4bKhjhs8ass877`,
    'Max-Forwards: 70',
    'To: <sip:carol@chicago.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    `Call-ID: ${callId}`,
    'CSeq: 63104 OPTIONS',
    'Contact: <sip:alice@pc33.atlanta.com>',
    'Accept: application/sdp',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** RFC 3261 §24.2 F1 INVITE head without its SDP (Content-Length 0), over TCP. */
export function inviteRequest(callId = 'a84b4c76e66710@pc33.atlanta.com'): string {
  return [
    'INVITE sip:bob@biloxi.com SIP/2.0',
    'Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@biloxi.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    `Call-ID: ${callId}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.atlanta.com>',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.items.push(item);
    else waiter(item);
  }

  get size(): number {
    return this.items.length;
  }

  next(timeoutMs = 2000): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`nothing arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (value: T): void => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(waiter);
    });
  }
}

export interface UdpPeer {
  readonly socket: UdpSocket;
  readonly port: number;
  readonly received: Inbox<string>;
  send(text: string | Buffer, port: number): Promise<void>;
  close(): Promise<void>;
}

export async function openUdpPeer(): Promise<UdpPeer> {
  const socket = createSocket('udp4');
  const received = new Inbox<string>();
  socket.on('message', (datagram) => received.push(datagram.toString('utf8')));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    socket,
    port: socket.address().port,
    received,
    send: (text, port) =>
      new Promise((resolve, reject) => {
        socket.send(text, port, '127.0.0.1', (error) =>
          error === null ? resolve() : reject(error),
        );
      }),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

export interface TcpPeer {
  readonly socket: TcpSocket;
  readonly port: number;
  /** Everything read so far, as text. */
  text(): string;
  waitFor(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  readonly closed: Promise<void>;
}

export async function openTcpPeer(port: number): Promise<TcpPeer> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  let buffer = '';
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const localPort = socket.localPort ?? 0;
  return {
    socket,
    port: localPort,
    text: () => buffer,
    closed,
    waitFor: (predicate, timeoutMs = 2000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(buffer)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(buffer);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out; read so far: ${JSON.stringify(buffer)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}
