import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeAlaw, encodeMulaw } from '../codec/g711.ts';
import { GoertzelFilter } from '../dtmf/goertzel.ts';
import { decodeTelephoneEvent, encodeTelephoneEvent } from '../dtmf/telephone-event.ts';
import { serializeRtpPacket, type RtpPacket } from '../rtp/rtp-packet.ts';
import {
  openProbe,
  openRawPeer,
  portPool,
  type RawPeer,
  type SessionProbe,
} from '../session/loopback-fixtures.ts';
import { type PayloadFormat } from '../session/rtp-session.ts';
import { type RtpSessionError } from '../session/session-error.ts';
import { type BridgeLegFormat, type BridgeSide, RelayBridge } from './relay-bridge.ts';

/**
 * Two loopback "phones" around a bridge: phone A ↔ bridge leg a, bridge leg b ↔ phone B.
 * A phone is either an RtpSession probe (what a real receiver validates) or a raw UDP
 * socket, when the test needs to choose SSRCs, sequence numbers and timestamps itself.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const local = (port: number) => ({ address: '127.0.0.1', port });
const PCMU = { encodingName: 'PCMU', clockRate: 8000, channels: 1 };
const PCMA = { encodingName: 'PCMA', clockRate: 8000, channels: 1 };

function legFormat(port: number, overrides: Partial<BridgeLegFormat> = {}): BridgeLegFormat {
  return {
    codec: PCMA,
    sendPayloadType: 8,
    receivePayloadType: 8,
    telephoneEvent: { sendPayloadType: 101, receivePayloadType: 101 },
    receiving: true,
    remote: local(port),
    remoteRtcp: null,
    ...overrides,
  };
}

/** A bridge (two port pairs) and room in its pool for `phones` probe sessions. */
async function openBridge(phones = 1) {
  const pool = await portPool(2 + phones);
  const errors: { side: BridgeSide; error: RtpSessionError }[] = [];
  const timeouts: BridgeSide[] = [];
  const bridge = await RelayBridge.open({
    pool,
    bindAddress: '127.0.0.1',
    cname: 'bridge@test',
    onMediaTimeout: (side) => timeouts.push(side),
    onError: (side, error) => errors.push({ side, error }),
  });
  cleanup.push(() => bridge.close());
  return { pool, bridge, errors, timeouts };
}

async function rawPeer(): Promise<RawPeer> {
  const peer = await openRawPeer();
  cleanup.push(() => peer.close());
  return peer;
}

async function receiver(
  pool: Awaited<ReturnType<typeof portPool>>,
  payloadTypes?: ReadonlyMap<number, PayloadFormat>,
): Promise<SessionProbe> {
  const probe = await openProbe({
    pool,
    remote: null,
    mediaTimeoutMs: null,
    ...(payloadTypes === undefined ? {} : { payloadTypes }),
  });
  cleanup.push(() => probe.session.close());
  return probe;
}

function rtp(fields: Partial<RtpPacket> & { sequenceNumber: number; ssrc: number }): Buffer {
  return serializeRtpPacket({
    marker: false,
    payloadType: 8,
    timestamp: fields.sequenceNumber * 160,
    csrcs: [],
    extension: null,
    payload: Buffer.alloc(160, 0xd5),
    paddingLength: 0,
    ...fields,
  });
}

async function collect(probe: SessionProbe, count: number): Promise<RtpPacket[]> {
  const packets: RtpPacket[] = [];
  for (let index = 0; index < count; index++) packets.push((await probe.packets.next()).packet);
  return packets;
}

describe('RelayBridge', () => {
  it('relays in order with loss 0, under its own SSRC, and counts both legs', async () => {
    const { pool, bridge } = await openBridge(2);
    const phoneB = await receiver(pool);
    const phoneA = await openProbe({
      pool,
      remote: local(bridge.localPort('a')),
      mediaTimeoutMs: null,
    });
    cleanup.push(() => phoneA.session.close());
    bridge.configure('a', legFormat(phoneA.session.localPort));
    bridge.configure('b', legFormat(phoneB.session.localPort));

    for (let index = 0; index < 50; index++) {
      await phoneA.session.send({
        payloadType: 8,
        payload: Buffer.alloc(160, index),
        timestamp: 1000 + index * 160,
      });
    }
    // Leg a's first packet is on probation (RFC 3550 A.1), so 49 go on; phone B's own
    // session holds back the first of those for the same reason.
    const packets = await collect(phoneB, 48);
    packets.forEach((packet, index) => {
      const previous = packets[index - 1];
      expect(packet.ssrc).not.toBe(phoneA.session.ssrc);
      if (previous === undefined) return;
      expect(packet.ssrc).toBe(previous.ssrc);
      expect(packet.sequenceNumber).toBe((previous.sequenceNumber + 1) % 65536);
      expect((packet.timestamp - previous.timestamp + 2 ** 32) % 2 ** 32).toBe(160);
      expect(packet.payload[0]).toBe((previous.payload[0] ?? 0) + 1);
    });
    const stats = bridge.stats();
    expect(stats.a.rtp.received).toMatchObject({ packets: 49, lost: 0, expected: 49 });
    expect(stats.a).toMatchObject({ relayed: 49, reordered: 0, transcoded: 0 });
    expect(stats.b.rtp.sent.packets).toBe(49);
    expect(phoneB.session.stats().received.lost).toBe(0);
  });

  it('keeps one timeline for the far phone when the sender changes its SSRC', async () => {
    const { pool, bridge } = await openBridge();
    const phoneB = await receiver(pool);
    const phoneA = await rawPeer();
    bridge.configure('a', legFormat(phoneA.port));
    bridge.configure('b', legFormat(phoneB.session.localPort));
    for (let n = 0; n < 6; n++) {
      await phoneA.send(rtp({ ssrc: 0x1111, sequenceNumber: 100 + n }), bridge.localPort('a'));
    }
    const first = await collect(phoneB, 4); // 5 relayed, the first held back by B's probation
    // The phone restarts: new SSRC, sequence numbers and timestamps from elsewhere.
    for (let n = 0; n < 6; n++) {
      await phoneA.send(
        rtp({ ssrc: 0x2222, sequenceNumber: 9000 + n, timestamp: 777_777 + n * 160 }),
        bridge.localPort('a'),
      );
    }
    const second = await collect(phoneB, 5);
    const all = [...first, ...second];
    expect(new Set(all.map((packet) => packet.ssrc)).size).toBe(1);
    for (let index = 1; index < all.length; index++) {
      const [previous, packet] = [all[index - 1], all[index]];
      if (previous === undefined || packet === undefined) throw new Error('missing packet');
      expect(packet.sequenceNumber).toBe((previous.sequenceNumber + 1) % 65536);
      const step = (packet.timestamp - previous.timestamp + 2 ** 32) % 2 ** 32;
      // The new source starts at least one frame after the last packet of the old one.
      if (index === first.length) {
        expect(step).toBeGreaterThanOrEqual(160);
        expect(step).toBeLessThan(8000 * 10);
        expect(packet.marker).toBe(true);
      } else {
        expect(step).toBe(160);
        expect(packet.marker).toBe(false);
      }
    }
    expect(phoneB.session.stats().received).toMatchObject({ lost: 0, ssrcChanges: 0 });
    expect(bridge.stats().a.rtp.received.ssrcChanges).toBe(1);
  });

  it('transcodes PCMU to PCMA: the 1 kHz tone comes out on the other side', async () => {
    const { pool, bridge } = await openBridge();
    const phoneB = await receiver(pool);
    const phoneA = await rawPeer();
    bridge.configure(
      'a',
      legFormat(phoneA.port, { codec: PCMU, sendPayloadType: 0, receivePayloadType: 0 }),
    );
    bridge.configure('b', legFormat(phoneB.session.localPort));
    const tone = Int16Array.from({ length: 160 * 10 }, (_, n) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 1000 * n) / 8000)),
    );
    for (let frame = 0; frame < 10; frame++) {
      const payload = encodeMulaw(tone.subarray(frame * 160, frame * 160 + 160));
      await phoneA.send(
        rtp({ ssrc: 7, sequenceNumber: frame, payloadType: 0, payload }),
        bridge.localPort('a'),
      );
    }
    const packets = await collect(phoneB, 8);
    expect(packets.every((packet) => packet.payloadType === 8)).toBe(true);
    const heard = decodeAlaw(Buffer.concat(packets.map((packet) => packet.payload)));
    const total = heard.reduce((sum, sample) => sum + sample * sample, 0);
    const at1k = new GoertzelFilter(1000, 8000).energy(heard, 0, heard.length);
    const at440 = new GoertzelFilter(440, 8000).energy(heard, 0, heard.length);
    expect(at1k / total).toBeGreaterThan(0.95);
    expect(at440 / total).toBeLessThan(0.01);
    expect(bridge.stats().a.transcoded).toBe(9);
  });

  it('passes telephone-events with the other leg’s payload type, or drops them', async () => {
    const { pool, bridge } = await openBridge();
    const events = new Map<number, PayloadFormat>([
      [8, { clockRate: 8000, timing: 'audio' }],
      [96, { clockRate: 8000, timing: 'event' }],
    ]);
    const phoneB = await receiver(pool, events);
    const phoneA = await rawPeer();
    bridge.configure('a', legFormat(phoneA.port));
    bridge.configure(
      'b',
      legFormat(phoneB.session.localPort, {
        telephoneEvent: { sendPayloadType: 96, receivePayloadType: 96 },
      }),
    );
    // RFC 4733 §2.5.1: one key press, every packet with the key-down timestamp.
    for (let n = 0; n < 5; n++) {
      const payload = encodeTelephoneEvent({
        event: 5,
        end: n >= 3,
        volume: 10,
        duration: 400 * (n + 1),
      });
      await phoneA.send(
        rtp({
          ssrc: 9,
          sequenceNumber: n,
          payloadType: 101,
          timestamp: 4000,
          marker: n === 0,
          payload,
        }),
        bridge.localPort('a'),
      );
    }
    const packets = await collect(phoneB, 3);
    expect(packets.map((packet) => packet.payloadType)).toEqual([96, 96, 96]);
    expect(new Set(packets.map((packet) => packet.timestamp)).size).toBe(1);
    expect(packets.map((packet) => decodeTelephoneEvent(packet.payload).event)).toEqual([5, 5, 5]);
    expect(decodeTelephoneEvent(packets[2]?.payload ?? Buffer.alloc(4)).end).toBe(true);

    // The other leg did not negotiate telephone-event: events stop at the bridge.
    bridge.configure('b', legFormat(phoneB.session.localPort, { telephoneEvent: null }));
    for (let n = 5; n < 8; n++) {
      const payload = encodeTelephoneEvent({ event: 1, end: false, volume: 10, duration: 400 });
      await phoneA.send(
        rtp({ ssrc: 9, sequenceNumber: n, payloadType: 101, timestamp: 9000, payload }),
        bridge.localPort('a'),
      );
    }
    await vi.waitFor(() => expect(bridge.stats().a.dropped.events).toBe(3));
    expect(bridge.stats().a.relayed).toBe(4);
  });

  it('sends nothing to a phone on hold, and relays again after it resumes', async () => {
    const { pool, bridge } = await openBridge();
    const phoneB = await receiver(pool);
    const phoneA = await rawPeer();
    bridge.configure('a', legFormat(phoneA.port));
    bridge.configure('b', legFormat(phoneB.session.localPort, { receiving: false }));
    for (let n = 0; n < 5; n++) {
      await phoneA.send(
        rtp({ ssrc: 3, sequenceNumber: n, payload: Buffer.alloc(160, 1) }),
        bridge.localPort('a'),
      );
    }
    // The first packet was on probation: four reached the bridge's relay, all held back.
    await vi.waitFor(() => expect(bridge.stats().a.dropped.hold).toBe(4));
    bridge.configure('b', legFormat(phoneB.session.localPort));
    for (let n = 5; n < 9; n++) {
      await phoneA.send(
        rtp({ ssrc: 3, sequenceNumber: n, payload: Buffer.alloc(160, 2) }),
        bridge.localPort('a'),
      );
    }
    const packets = await collect(phoneB, 3);
    expect(packets.every((packet) => packet.payload[0] === 2)).toBe(true);
    expect(bridge.stats().b.rtp.sent.packets).toBe(4);
  });

  it('drops voice it cannot transcode and packets before both legs are configured', async () => {
    const { pool, bridge } = await openBridge();
    const phoneB = await receiver(pool);
    const phoneA = await rawPeer();
    bridge.configure('a', legFormat(phoneA.port));
    for (let n = 0; n < 3; n++) {
      await phoneA.send(rtp({ ssrc: 4, sequenceNumber: n }), bridge.localPort('a'));
    }
    await vi.waitFor(() => expect(bridge.stats().a.dropped.unconfigured).toBe(2));
    const g729 = { encodingName: 'G729', clockRate: 8000, channels: 1 };
    bridge.configure(
      'b',
      legFormat(phoneB.session.localPort, {
        codec: g729,
        sendPayloadType: 18,
        receivePayloadType: 18,
      }),
    );
    for (let n = 3; n < 6; n++) {
      await phoneA.send(rtp({ ssrc: 4, sequenceNumber: n }), bridge.localPort('a'));
    }
    await vi.waitFor(() => expect(bridge.stats().a.dropped.untranscodable).toBe(3));
    expect(bridge.stats().b.rtp.sent.packets).toBe(0);
  });

  it('closes both sessions and returns both port pairs; a half-opened bridge gives its pair back', async () => {
    const pool = await portPool(3);
    const handlers = { onMediaTimeout: () => undefined, onError: () => undefined };
    const options = { pool, bindAddress: '127.0.0.1', cname: 'ports@test', ...handlers };
    const bridge = await RelayBridge.open(options);
    expect(pool.allocated).toBe(2);
    await expect(RelayBridge.open(options)).rejects.toMatchObject({ code: 'ports_exhausted' });
    expect(pool.allocated).toBe(2);
    await bridge.close();
    expect(pool.allocated).toBe(0);
  });

  it('reports the media timeout of a silent leg once armed', async () => {
    const { bridge, timeouts } = await openBridge();
    bridge.setMediaTimeout(40);
    await vi.waitFor(() => expect(timeouts.sort()).toEqual(['a', 'b']));
    bridge.setMediaTimeout(null);
  });
});
