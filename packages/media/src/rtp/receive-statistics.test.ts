import { describe, expect, it } from 'vitest';
import { readPcapDatagrams, SIPP_G711A_PCAP } from './pcap-fixture.ts';
import { RtpReceiveStatistics, type ReceivedRtpPacket } from './receive-statistics.ts';
import { parseRtpPacket } from './rtp-packet.ts';

function packet(ssrc: number, sequenceNumber: number, clockRate: number | null = 8000) {
  return {
    ssrc,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    payloadOctets: 160,
    clockRate,
  } satisfies ReceivedRtpPacket;
}

describe('RtpReceiveStatistics', () => {
  it('counts packets and payload octets of a source once it passed probation', () => {
    const stats = new RtpReceiveStatistics();
    for (let sequence = 1; sequence <= 10; sequence++) {
      stats.receive(packet(0xaaaa, sequence), sequence * 20);
    }
    expect(stats.totals()).toMatchObject({
      ssrc: 0xaaaa,
      packets: 9,
      octets: 9 * 160,
      lost: 0,
      jitterMs: 0,
      ssrcChanges: 0,
    });
  });

  it('restarts the counters for a new SSRC and keeps the leg totals', () => {
    const stats = new RtpReceiveStatistics();
    for (let sequence = 1; sequence <= 5; sequence++) stats.receive(packet(1, sequence), 0);
    // The new source starts far away in sequence space and passes its own probation.
    expect(stats.receive(packet(2, 9000), 0)).toBe('probation');
    expect(stats.currentSsrc).toBe(1);
    expect(stats.receive(packet(2, 9001), 0)).toBe('valid');
    expect(stats.currentSsrc).toBe(2);
    expect(stats.receive(packet(2, 9003), 0)).toBe('valid');
    expect(stats.totals()).toMatchObject({ ssrc: 2, packets: 4 + 2, lost: 1, ssrcChanges: 1 });
    const report = stats.takeReceptionReport(0);
    expect(report).toMatchObject({ ssrc: 2, extendedHighestSequence: 9003, cumulativeLost: 1 });
  });

  it('still counts the old source while a new one is on probation', () => {
    const stats = new RtpReceiveStatistics();
    stats.receive(packet(1, 1), 0);
    stats.receive(packet(1, 2), 0);
    stats.receive(packet(2, 500), 0);
    expect(stats.receive(packet(1, 3), 0)).toBe('valid');
    expect(stats.totals()).toMatchObject({ ssrc: 1, packets: 2 });
  });

  it('fills LSR and DLSR from the last sender report of the source (§6.4.1)', () => {
    const stats = new RtpReceiveStatistics();
    expect(stats.takeReceptionReport(0)).toBeNull();
    stats.receive(packet(7, 1), 0);
    stats.receive(packet(7, 2), 20);
    stats.noteSenderReport(7, 0x1234_5678, 1000);
    stats.noteSenderReport(8, 0x0bad_0bad, 1000);
    expect(stats.takeReceptionReport(2500)).toMatchObject({
      lastSenderReport: 0x1234_5678,
      delaySinceLastSenderReport: 1.5 * 65536,
    });
  });

  it('leaves telephone-event packets out of jitter', () => {
    const stats = new RtpReceiveStatistics();
    stats.receive(packet(3, 1), 20);
    stats.receive(packet(3, 2), 40);
    // An RFC 4733 event repeats its start timestamp while arrival time moves on.
    for (let sequence = 3; sequence < 10; sequence++) {
      stats.receive({ ...packet(3, sequence, null), timestamp: 320 }, sequence * 20);
    }
    expect(stats.totals().jitterMs).toBe(0);
    expect(stats.totals().packets).toBe(8);
  });
});

describe('RtpReceiveStatistics on sipp’s G.711 A-law capture', () => {
  it('counts every packet after probation, no loss, little jitter', () => {
    const stats = new RtpReceiveStatistics();
    const datagrams = readPcapDatagrams(SIPP_G711A_PCAP);
    for (const { payload, timeMs } of datagrams) {
      const rtp = parseRtpPacket(payload);
      stats.receive(
        {
          ssrc: rtp.ssrc,
          sequenceNumber: rtp.sequenceNumber,
          timestamp: rtp.timestamp,
          payloadOctets: rtp.payload.length,
          clockRate: 8000,
        },
        timeMs,
      );
    }
    const totals = stats.totals();
    expect(totals).toMatchObject({ packets: datagrams.length - 1, lost: 0, ssrcChanges: 0 });
    expect(totals.octets).toBe((datagrams.length - 1) * 240);
    // Captured on a LAN: well under a packet time of jitter.
    expect(totals.jitterMs).toBeGreaterThanOrEqual(0);
    expect(totals.jitterMs).toBeLessThan(30);
  });
});
