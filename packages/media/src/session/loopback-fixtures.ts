import { createSocket, type Socket } from 'node:dgram';
import { RtpPortPool } from './port-pool.ts';
import { type PayloadFormat, RtpSession, type RtpSessionOptions } from './rtp-session.ts';
import { type RtpSessionError } from './session-error.ts';
import { type MediaAddress } from './latch.ts';
import { type RtpPacket } from '../rtp/rtp-packet.ts';

/** Test fixtures for sessions on 127.0.0.1: free port ranges, an inbox, a raw peer. */

/** A queue a test awaits instead of sleeping: next() resolves with the next item. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.items.push(item);
    else waiter(item);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get size(): number {
    return this.items.length;
  }
}

function bindUdp(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

function closeUdp(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/** `count` consecutive UDP ports, starting even, free on 127.0.0.1 right now. */
export async function freeUdpRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await bindUdp(0);
    const port = probe.address().port;
    await closeUdp(probe);
    const base = port - (port % 2);
    if (base + count > 65535) continue;
    const held: Socket[] = [];
    try {
      for (let offset = 0; offset < count; offset++) held.push(await bindUdp(base + offset));
      return base;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
    } finally {
      await Promise.all(held.map(closeUdp));
    }
  }
  throw new Error('no free UDP port range');
}

export async function portPool(pairs: number): Promise<RtpPortPool> {
  const min = await freeUdpRange(pairs * 2);
  return new RtpPortPool({ min, max: min + pairs * 2 - 1 });
}

export const PCMA: PayloadFormat = { clockRate: 8000, timing: 'audio' };
export const payloadTypes = new Map<number, PayloadFormat>([
  [8, PCMA],
  [101, { clockRate: 8000, timing: 'event' }],
]);

export interface SessionProbe {
  readonly session: RtpSession;
  readonly packets: Inbox<{ packet: RtpPacket; source: MediaAddress }>;
  readonly errors: Inbox<RtpSessionError>;
  readonly timeouts: Inbox<number>;
  readonly latches: Inbox<{ remote: MediaAddress; kind: string }>;
  readonly rtcp: Inbox<MediaAddress>;
}

export async function openProbe(
  options: Omit<RtpSessionOptions, 'handlers' | 'payloadTypes' | 'cname' | 'bindAddress'> &
    Partial<Pick<RtpSessionOptions, 'payloadTypes'>>,
): Promise<SessionProbe> {
  const packets = new Inbox<{ packet: RtpPacket; source: MediaAddress }>();
  const errors = new Inbox<RtpSessionError>();
  const timeouts = new Inbox<number>();
  const latches = new Inbox<{ remote: MediaAddress; kind: string }>();
  const rtcp = new Inbox<MediaAddress>();
  const session = await RtpSession.open({
    bindAddress: '127.0.0.1',
    cname: 'test@127.0.0.1',
    payloadTypes,
    ...options,
    handlers: {
      onPacket: (packet, source) => packets.push({ packet, source }),
      onError: (error) => errors.push(error),
      onMediaTimeout: (silentFor) => timeouts.push(silentFor),
      onLatch: (remote, kind) => latches.push({ remote, kind }),
      onRtcp: (_packets, source) => rtcp.push(source),
    },
  });
  return { session, packets, errors, timeouts, latches, rtcp };
}

/** A bare UDP socket that plays a phone: sends raw datagrams, collects what it gets. */
export interface RawPeer {
  readonly port: number;
  readonly received: Inbox<Buffer>;
  send(bytes: Uint8Array, port: number): Promise<void>;
  close(): Promise<void>;
}

export async function openRawPeer(): Promise<RawPeer> {
  const socket = await bindUdp(0);
  const received = new Inbox<Buffer>();
  socket.on('message', (datagram) => received.push(datagram));
  return {
    port: socket.address().port,
    received,
    send: (bytes, port) =>
      new Promise((resolve, reject) =>
        socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      ),
    close: () => closeUdp(socket),
  };
}
