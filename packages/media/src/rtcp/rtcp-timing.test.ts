import { describe, expect, it } from 'vitest';
import { parseRtcpCompound } from './compound.ts';
import { rtcpIntervalMs } from './interval.ts';
import { ntpFromUnixMs, ntpMiddle32, roundTripMs } from './ntp-time.ts';
import { buildOutgoingReport } from './report-builder.ts';

describe('NTP timestamps and round-trip time (RFC 3550 §4, §6.4.1)', () => {
  it('converts Unix time to NTP seconds since 1900 and a binary fraction', () => {
    expect(ntpFromUnixMs(0)).toEqual({ seconds: 2_208_988_800, fraction: 0 });
    expect(ntpFromUnixMs(1500)).toEqual({ seconds: 2_208_988_801, fraction: 0x8000_0000 });
    expect(ntpMiddle32({ seconds: 0x1234_b710, fraction: 0x8000_1234 })).toBe(0xb710_8000);
  });

  it('computes the round trip of §6.4.1’s own example: 6.125 s', () => {
    // A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000.
    expect(roundTripMs(0xb710_8000, 0xb705_2000, 0x0005_4000)).toBe(6125);
  });

  it('has no round trip before an SR was echoed, or when it comes out negative', () => {
    expect(roundTripMs(0xb710_8000, 0, 0)).toBeNull();
    expect(roundTripMs(0xb705_0000, 0xb705_2000, 0x0005_4000)).toBeNull();
  });
});

describe('rtcpIntervalMs (RFC 3550 §6.2, simplified)', () => {
  const base = { members: 2, averagePacketOctets: 100, sessionBandwidthBps: 80_000 };

  it('uses the 5 s minimum, halved for the first report, randomised by 0.5–1.5', () => {
    expect(rtcpIntervalMs({ ...base, initial: false, random: 0.5 })).toBe(5000);
    expect(rtcpIntervalMs({ ...base, initial: true, random: 0.5 })).toBe(2500);
    expect(rtcpIntervalMs({ ...base, initial: false, random: 0 })).toBe(2500);
    expect(rtcpIntervalMs({ ...base, initial: false, random: 0.999 })).toBeCloseTo(7495, 5);
  });

  it('stretches beyond the minimum when 5 % of the bandwidth cannot carry the reports', () => {
    // 8 kbit/s → 50 bytes/s of RTCP; two members × 1000 bytes → 40 s.
    const input = { members: 2, averagePacketOctets: 1000, sessionBandwidthBps: 8000 };
    expect(rtcpIntervalMs({ ...input, initial: false, random: 0.5 })).toBe(40_000);
  });
});

describe('buildOutgoingReport (RFC 3550 §6.1, §6.4)', () => {
  const reception = {
    ssrc: 0x99,
    fractionLost: 0,
    cumulativeLost: 0,
    extendedHighestSequence: 10,
    jitter: 3,
    lastSenderReport: 0,
    delaySinceLastSenderReport: 0,
  };

  it('sends an SR whose RTP timestamp is advanced to the report instant', () => {
    const bytes = buildOutgoingReport({
      ssrc: 0x42,
      cname: 'leg-1@provod',
      sender: {
        packets: 50,
        octets: 8000,
        lastRtpTimestamp: 1000,
        lastSentAtMs: 100,
        clockRate: 8000,
      },
      reception,
      nowUnixMs: 1500,
      nowMs: 200,
    });
    const [report, sdes, ...rest] = parseRtcpCompound(bytes);
    expect(report).toMatchObject({
      kind: 'sr',
      ssrc: 0x42,
      sender: {
        ntpSeconds: 2_208_988_801,
        ntpFraction: 0x8000_0000,
        rtpTimestamp: 1800,
        packetCount: 50,
        octetCount: 8000,
      },
      reports: [reception],
    });
    expect(sdes).toEqual({
      kind: 'sdes',
      chunks: [{ ssrc: 0x42, items: [{ type: 1, text: 'leg-1@provod' }] }],
    });
    expect(rest).toEqual([]);
  });

  it('sends an RR without a block when nothing was sent or heard, and a BYE when asked', () => {
    const bytes = buildOutgoingReport({
      ssrc: 0x42,
      cname: 'x',
      sender: null,
      reception: null,
      nowUnixMs: 0,
      nowMs: 0,
      bye: { reason: 'hangup' },
    });
    expect(parseRtcpCompound(bytes)).toEqual([
      { kind: 'rr', ssrc: 0x42, reports: [], extension: Buffer.alloc(0) },
      { kind: 'sdes', chunks: [{ ssrc: 0x42, items: [{ type: 1, text: 'x' }] }] },
      { kind: 'bye', ssrcs: [0x42], reason: 'hangup' },
    ]);
  });
});
