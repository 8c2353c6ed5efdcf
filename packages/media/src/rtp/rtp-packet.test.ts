import { describe, expect, it } from 'vitest';
import { isMediaPacketError, type MediaPacketErrorCode } from './packet-error.ts';
import { readPcapDatagrams, SIPP_G711A_PCAP } from './pcap-fixture.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from './rtp-packet.ts';

// Written from the RFC 3550 §5.1 layout: V=2 P=1 X=1 CC=2, M=1 PT=0, two CSRCs, an
// RFC 8285 one-byte extension (one word), payload "abc" and one octet of padding.
const fullHeader = Buffer.from(
  [
    'b2 80 12 34', // V=2 P X CC=2 | M PT=0 | sequence 0x1234
    'de ad be ef', // timestamp
    '01 02 03 04', // SSRC
    '0a 0b 0c 0d 11 12 13 14', // CSRCs
    'be de 00 01 10 aa 00 00', // extension: profile 0xBEDE, 1 word
    '61 62 63 01', // payload "abc", padding count 1
  ]
    .join(' ')
    .replaceAll(' ', ''),
  'hex',
);

function expectPacketError(bytes: Uint8Array, code: MediaPacketErrorCode): void {
  let caught: unknown;
  try {
    parseRtpPacket(bytes);
  } catch (error) {
    caught = error;
  }
  expect(isMediaPacketError(caught) && caught.code).toBe(code);
}

describe('parseRtpPacket / serializeRtpPacket (RFC 3550 §5.1)', () => {
  it('reads every field of a header with CSRCs, extension and padding', () => {
    const packet = parseRtpPacket(fullHeader);
    expect(packet).toMatchObject({
      marker: true,
      payloadType: 0,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
      csrcs: [0x0a0b0c0d, 0x11121314],
      paddingLength: 1,
    });
    expect(packet.extension?.profile).toBe(0xbede);
    expect(Buffer.from(packet.extension?.data ?? []).toString('hex')).toBe('10aa0000');
    expect(Buffer.from(packet.payload).toString()).toBe('abc');
    expect(serializeRtpPacket(packet).equals(fullHeader)).toBe(true);
  });

  it('round-trips every packet of sipp’s G.711 A-law capture byte for byte', () => {
    const datagrams = readPcapDatagrams(SIPP_G711A_PCAP);
    expect(datagrams.length).toBeGreaterThan(200);
    for (const { payload } of datagrams) {
      const packet = parseRtpPacket(payload);
      expect(packet.payloadType).toBe(8);
      // 30 ms of 8 kHz audio per packet in this capture.
      expect(packet.payload.length).toBe(240);
      expect(serializeRtpPacket(packet).equals(payload)).toBe(true);
    }
    const [first, second] = datagrams.map((datagram) => parseRtpPacket(datagram.payload));
    expect(first?.marker).toBe(true);
    expect(second?.marker).toBe(false);
    expect((second?.sequenceNumber ?? 0) - (first?.sequenceNumber ?? 0)).toBe(1);
    expect((second?.timestamp ?? 0) - (first?.timestamp ?? 0)).toBe(240);
  });

  it('rejects every truncation of a header with a typed error', () => {
    // Cutting the packet anywhere inside its header loses a field the first byte announces.
    for (let length = 0; length < 28; length++) {
      let caught: unknown;
      try {
        parseRtpPacket(fullHeader.subarray(0, length));
      } catch (error) {
        caught = error;
      }
      expect(isMediaPacketError(caught), `length ${length}`).toBe(true);
    }
  });

  it('rejects a version other than 2', () => {
    const bytes = Buffer.from(fullHeader);
    bytes[0] = 0x40 | ((bytes[0] ?? 0) & 0x3f);
    expectPacketError(bytes, 'bad_version');
  });

  it('rejects a zero padding count and one longer than the payload', () => {
    const zero = Buffer.from(fullHeader);
    zero[zero.length - 1] = 0;
    expectPacketError(zero, 'bad_padding');
    const long = Buffer.from(fullHeader);
    long[long.length - 1] = 5;
    expectPacketError(long, 'bad_padding');
  });

  it('rejects an extension longer than the packet', () => {
    const bytes = Buffer.from(fullHeader);
    bytes.writeUInt16BE(9, 22);
    expectPacketError(bytes, 'truncated');
  });

  it('refuses to serialize values that do not fit their fields', () => {
    const base: RtpPacket = parseRtpPacket(fullHeader);
    for (const bad of [
      { ...base, payloadType: 128 },
      { ...base, sequenceNumber: 65536 },
      { ...base, timestamp: -1 },
      { ...base, csrcs: new Array<number>(16).fill(1) },
      { ...base, extension: { profile: 1, data: new Uint8Array(3) } },
    ]) {
      let caught: unknown;
      try {
        serializeRtpPacket(bad);
      } catch (error) {
        caught = error;
      }
      expect(isMediaPacketError(caught) && caught.code).toBe('bad_field');
    }
  });
});
