import { describe, expect, it } from 'vitest';
import { isMediaPacketError, type MediaPacketErrorCode } from '../rtp/packet-error.ts';
import { parseRtcpCompound, serializeRtcpCompound } from './compound.ts';
import { type RtcpPacket } from './rtcp-packet.ts';

const hex = (text: string): Buffer => Buffer.from(text.replaceAll(/\s+/g, ''), 'hex');

// Written from the layouts of RFC 3550 §6.4.1 (SR), §6.5 (SDES) and §6.6 (BYE).
const senderReport = hex(
  `
  81 c8 00 0c  11 22 33 44                 # V=2 RC=1 PT=200 length 12 | SSRC
  e0 00 00 00  80 00 00 00                 # NTP seconds | fraction (.5 s)
  00 00 1f 40  00 00 00 64  00 00 3e 80    # RTP ts 8000 | 100 packets | 16000 octets
  55 66 77 88  40 ff ff fe                 # block: SSRC | fraction 64/256, lost −2
  00 01 00 05  00 00 00 12                 # ext. highest seq 65541 | jitter 18
  b7 05 20 00  00 05 40 00                 # LSR | DLSR
`.replaceAll(/#.*$/gm, ''),
);
const sdes = hex('81 ca 00 03  11 22 33 44  01 05 61 6c 69 63 65 00'); // CNAME "alice"
const bye = hex('81 cb 00 02  11 22 33 44  03 62 79 65'); // reason "bye"
const compound = Buffer.concat([senderReport, sdes, bye]);

function expectError(bytes: Uint8Array, code: MediaPacketErrorCode): void {
  let caught: unknown;
  try {
    parseRtcpCompound(bytes);
  } catch (error) {
    caught = error;
  }
  expect(isMediaPacketError(caught) && caught.code).toBe(code);
}

describe('parseRtcpCompound / serializeRtcpCompound (RFC 3550 §6.1, §6.4–§6.6)', () => {
  it('reads an SR with a report block, SDES CNAME and BYE', () => {
    const packets = parseRtcpCompound(compound);
    expect(packets).toEqual([
      {
        kind: 'sr',
        ssrc: 0x11223344,
        sender: {
          ntpSeconds: 0xe0000000,
          ntpFraction: 0x80000000,
          rtpTimestamp: 8000,
          packetCount: 100,
          octetCount: 16000,
        },
        reports: [
          {
            ssrc: 0x55667788,
            fractionLost: 64,
            cumulativeLost: -2,
            extendedHighestSequence: 65541,
            jitter: 18,
            lastSenderReport: 0xb7052000,
            delaySinceLastSenderReport: 0x00054000,
          },
        ],
        extension: Buffer.alloc(0),
      },
      { kind: 'sdes', chunks: [{ ssrc: 0x11223344, items: [{ type: 1, text: 'alice' }] }] },
      { kind: 'bye', ssrcs: [0x11223344], reason: 'bye' },
    ] satisfies RtcpPacket[]);
    expect(serializeRtcpCompound(packets).equals(compound)).toBe(true);
  });

  it('round-trips an RR, a BYE without reason and an unknown type kept as bytes', () => {
    const bytes = hex(`
      80 c9 00 01  aa bb cc dd
      81 cb 00 01  aa bb cc dd
      80 cc 00 02  aa bb cc dd  6e 61 6d 65
    `);
    const packets = parseRtcpCompound(bytes);
    expect(packets.map((packet) => packet.kind)).toEqual(['rr', 'bye', 'other']);
    expect(packets[1]).toEqual({ kind: 'bye', ssrcs: [0xaabbccdd], reason: null });
    expect(serializeRtcpCompound(packets).equals(bytes)).toBe(true);
  });

  it('removes padding from the last packet', () => {
    const packets = parseRtcpCompound(hex('a0 c9 00 02  aa bb cc dd  00 00 00 04'));
    expect(packets).toEqual([
      { kind: 'rr', ssrc: 0xaabbccdd, reports: [], extension: Buffer.alloc(0) },
    ]);
  });

  it('rejects each prefix of a compound packet unless it ends on a packet boundary', () => {
    const boundaries = new Set([senderReport.length, senderReport.length + sdes.length]);
    for (let length = 0; length < compound.length; length++) {
      const prefix = compound.subarray(0, length);
      if (boundaries.has(length)) {
        expect(() => parseRtcpCompound(prefix)).not.toThrow();
        continue;
      }
      let caught: unknown;
      try {
        parseRtcpCompound(prefix);
      } catch (error) {
        caught = error;
      }
      expect(isMediaPacketError(caught), `prefix of ${length} bytes`).toBe(true);
    }
  });

  it('rejects a compound that does not start with an SR or RR (§6.1)', () => {
    expectError(Buffer.concat([sdes, senderReport]), 'bad_compound');
    expect(() => serializeRtcpCompound(parseRtcpCompound(compound).slice(1))).toThrow(
      expect.objectContaining({ code: 'bad_compound' }),
    );
  });

  it('rejects version 1, padding before the last packet, and bad padding counts', () => {
    const version1 = Buffer.from(compound);
    version1[0] = 0x41;
    expectError(version1, 'bad_version');
    const early = Buffer.from(compound);
    early[0] = 0xa1;
    expectError(early, 'bad_compound');
    expectError(hex('a0 c9 00 02  aa bb cc dd  00 00 00 09'), 'bad_padding');
  });

  it('rejects report blocks the length does not hold and malformed items', () => {
    // RC says 2 blocks, the length holds one.
    const twoBlocks = Buffer.from(senderReport);
    twoBlocks[0] = 0x82;
    expectError(twoBlocks, 'truncated');
    // SDES item length 9 runs past its packet.
    expectError(
      Buffer.concat([hex('80 c9 00 01 aa bb cc dd'), hex('81 ca 00 02 11 22 33 44 01 09 61 00')]),
      'truncated',
    );
    // BYE reason length 9 with three octets left.
    expectError(
      Buffer.concat([hex('80 c9 00 01 aa bb cc dd'), hex('81 cb 00 02 11 22 33 44 09 62 79 65')]),
      'bad_item',
    );
    // SDES text that is not UTF-8.
    expectError(
      Buffer.concat([hex('80 c9 00 01 aa bb cc dd'), hex('81 ca 00 02 11 22 33 44 01 01 ff 00')]),
      'bad_item',
    );
  });
});
