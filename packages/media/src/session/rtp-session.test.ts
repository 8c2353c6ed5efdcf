import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRtcpCompound } from '../rtcp/compound.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../rtp/rtp-packet.ts';
import {
  freeUdpRange,
  openProbe,
  openRawPeer,
  portPool,
  type RawPeer,
  type SessionProbe,
} from './loopback-fixtures.ts';
import { RtpPortPool } from './port-pool.ts';
import { RtpSession } from './rtp-session.ts';
import { isRtpSessionError } from './session-error.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function probe(options: Parameters<typeof openProbe>[0]): Promise<SessionProbe> {
  const opened = await openProbe(options);
  cleanup.push(() => opened.session.close());
  return opened;
}

async function rawPeer(): Promise<RawPeer> {
  const peer = await openRawPeer();
  cleanup.push(() => peer.close());
  return peer;
}

function rtp(ssrc: number, sequenceNumber: number, payloadType = 8): Buffer {
  return serializeRtpPacket({
    marker: false,
    payloadType,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    ssrc,
    csrcs: [],
    extension: null,
    payload: Buffer.alloc(160, 0xd5),
    paddingLength: 0,
  } satisfies RtpPacket);
}

const local = (port: number) => ({ address: '127.0.0.1', port });

describe('RtpSession over loopback', () => {
  it('exchanges RTP both ways and measures the round trip from RTCP', async () => {
    const pool = await portPool(2);
    const a = await probe({ pool, remote: null, mediaTimeoutMs: null });
    const b = await probe({ pool, remote: local(a.session.localPort), mediaTimeoutMs: null });
    expect(b.session.localPort % 2).toBe(0);

    for (let index = 0; index < 3; index++) {
      await b.session.send({
        payloadType: 8,
        payload: Buffer.alloc(160, index),
        timestamp: index * 160,
      });
    }
    // The first packet of a new source is on probation (RFC 3550 A.1).
    const second = await a.packets.next();
    const third = await a.packets.next();
    expect(third.packet.sequenceNumber).toBe((second.packet.sequenceNumber + 1) % 65536);
    expect(third.packet.ssrc).toBe(b.session.ssrc);
    expect(await a.latches.next()).toEqual({ remote: local(b.session.localPort), kind: 'latched' });

    // a knew no address from SDP: it answers where b's media came from.
    await a.session.send({ payloadType: 8, payload: Buffer.alloc(160), timestamp: 0 });
    await a.session.send({ payloadType: 8, payload: Buffer.alloc(160), timestamp: 160 });
    expect((await b.packets.next()).packet.ssrc).toBe(a.session.ssrc);

    await b.session.sendRtcpReport(); // an SR: b has sent
    await a.rtcp.next();
    await a.session.sendRtcpReport(); // a's block about b echoes the SR (LSR/DLSR)
    await b.rtcp.next();
    const stats = b.session.stats();
    expect(stats.rttMs).not.toBeNull();
    expect(stats.rttMs ?? -1).toBeGreaterThanOrEqual(0);
    expect(stats.remoteReport).toMatchObject({ lost: 0, fractionLost: 0 });
    expect(stats.sent).toEqual({ packets: 3, octets: 480 });
    expect(a.session.stats()).toMatchObject({
      latched: true,
      remoteAddress: `127.0.0.1:${b.session.localPort}`,
      received: { ssrc: b.session.ssrc, packets: 2, octets: 320, lost: 0 },
    });
    expect(a.session.stats().mos).toBeCloseTo(4.41, 1);
  });

  it('latches to the port media really comes from, not the one in the SDP', async () => {
    const pool = await portPool(1);
    const advertised = await rawPeer();
    const phone = await rawPeer();
    const { session, packets, latches } = await probe({
      pool,
      remote: local(advertised.port),
      mediaTimeoutMs: null,
    });
    await phone.send(rtp(0x1111, 10), session.localPort);
    await phone.send(rtp(0x1111, 11), session.localPort);
    expect((await packets.next()).source).toEqual(local(phone.port));
    expect((await latches.next()).remote).toEqual(local(phone.port));

    await session.send({ payloadType: 8, payload: Buffer.alloc(160), timestamp: 0 });
    expect(parseRtpPacket(await phone.received.next()).ssrc).toBe(session.ssrc);
    expect(advertised.received.size).toBe(0);
  });

  it('drops a spoofer while the phone talks, and re-latches after N packets of silence', async () => {
    const pool = await portPool(1);
    const phone = await rawPeer();
    const other = await rawPeer();
    const { session, packets, latches } = await probe({
      pool,
      remote: local(phone.port),
      mediaTimeoutMs: null,
      relatchAfterPackets: 3,
    });
    await phone.send(rtp(1, 100), session.localPort);
    await phone.send(rtp(1, 101), session.localPort);
    await packets.next();
    await latches.next();
    for (let index = 0; index < 4; index++) {
      await other.send(rtp(2, 500 + index), session.localPort);
      await phone.send(rtp(1, 102 + index), session.localPort);
      expect((await packets.next()).source).toEqual(local(phone.port));
    }
    expect(session.stats().rejectedPackets).toBe(4);

    // The phone goes quiet and its stream reappears from a new port (NAT rebinding).
    for (let index = 0; index < 3; index++)
      await other.send(rtp(2, 600 + index), session.localPort);
    expect(await latches.next()).toEqual({ remote: local(other.port), kind: 'relatched' });
    await session.send({ payloadType: 8, payload: Buffer.alloc(160), timestamp: 0 });
    expect(parseRtpPacket(await other.received.next()).ssrc).toBe(session.ssrc);
  });

  it('reports malformed datagrams and payload types not negotiated, and keeps going', async () => {
    const pool = await portPool(1);
    const phone = await rawPeer();
    const { session, packets, errors } = await probe({ pool, remote: null, mediaTimeoutMs: null });
    await phone.send(Buffer.from([0x80, 0x08, 0x00]), session.localPort);
    expect((await errors.next()).code).toBe('malformed_packet');
    await phone.send(rtp(5, 1, 0), session.localPort); // PCMU was not negotiated
    await phone.send(rtp(5, 2), session.localPort);
    await phone.send(rtp(5, 3), session.localPort);
    expect((await packets.next()).packet.sequenceNumber).toBe(3);
    expect(session.stats()).toMatchObject({ malformedPackets: 1, rejectedPackets: 1 });
  });

  it('sends RTCP BYE on close, then refuses to send', async () => {
    const pool = await portPool(1);
    const phone = await rawPeer();
    const { session } = await probe({
      pool,
      remote: local(phone.port),
      remoteRtcp: local(phone.port),
      mediaTimeoutMs: null,
    });
    await session.close('hangup');
    const packets = parseRtcpCompound(await phone.received.next());
    expect(packets.map((packet) => packet.kind)).toEqual(['rr', 'sdes', 'bye']);
    expect(packets[2]).toEqual({ kind: 'bye', ssrcs: [session.ssrc], reason: 'hangup' });
    const sent = session.send({ payloadType: 8, payload: Buffer.alloc(1), timestamp: 0 });
    await expect(sent).rejects.toMatchObject({ code: 'not_open' });
  });
});

describe('RtpSession media timeout', () => {
  it('reports silence after the configured time, re-arms on media, and can be turned off', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    const clock = { now: () => Date.now(), unixNow: () => Date.now() };
    const pool = await portPool(1);
    const phone = await rawPeer();
    const { session, packets, timeouts } = await probe({
      pool,
      remote: null,
      mediaTimeoutMs: 3000,
      clock,
    });
    vi.advanceTimersByTime(2000);
    await phone.send(rtp(9, 1), session.localPort);
    await phone.send(rtp(9, 2), session.localPort);
    await packets.next();
    vi.advanceTimersByTime(2000);
    expect(timeouts.size).toBe(0); // media arrived 2 s ago
    // The watch checks every timeout / 4; one check period past the timeout it has fired.
    vi.advanceTimersByTime(1000 + 750);
    expect(timeouts.size).toBe(1);
    expect(await timeouts.next()).toBeGreaterThanOrEqual(3000);
    vi.advanceTimersByTime(10_000);
    expect(timeouts.size).toBe(0); // reported once

    await phone.send(rtp(9, 3), session.localPort);
    await packets.next();
    session.setMediaTimeout(null); // on hold
    vi.advanceTimersByTime(60_000);
    expect(timeouts.size).toBe(0);
  });
});

describe('RtpSession ports', () => {
  it('fails with ports_exhausted when every pair is taken and frees the pair on close', async () => {
    const pool = await portPool(1);
    const first = await RtpSession.open(sessionOptions(pool));
    let caught: unknown;
    try {
      await RtpSession.open(sessionOptions(pool));
    } catch (error) {
      caught = error;
    }
    expect(isRtpSessionError(caught) && caught.code).toBe('ports_exhausted');
    const port = first.localPort;
    await first.close();
    const again = await RtpSession.open(sessionOptions(pool));
    expect(again.localPort).toBe(port);
    await again.close();
    expect(pool.allocated).toBe(0);
  });

  it('skips a pair another process holds', async () => {
    const min = await freeUdpRange(4);
    const squatter = await rawPeerOn(min);
    const pool = new RtpPortPool({ min, max: min + 3 });
    const session = await RtpSession.open(sessionOptions(pool));
    cleanup.push(() => session.close());
    expect(session.localPort).toBe(min + 2);
    await squatter.close();
  });
});

function sessionOptions(pool: RtpPortPool) {
  return {
    pool,
    bindAddress: '127.0.0.1',
    remote: null,
    payloadTypes: new Map(),
    cname: 'ports@test',
    mediaTimeoutMs: null,
    handlers: {
      onPacket: () => undefined,
      onMediaTimeout: () => undefined,
      onError: () => undefined,
    },
  };
}

async function rawPeerOn(port: number): Promise<{ close(): Promise<void> }> {
  const { createSocket } = await import('node:dgram');
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
