import { ntpFromUnixMs, ntpMiddle32, roundTripMs } from '../rtcp/ntp-time.ts';
import { type ReportBlock, type RtcpPacket } from '../rtcp/rtcp-packet.ts';
import { type RtpReceiveStatistics } from '../rtp/receive-statistics.ts';

/**
 * What a session learns from the RTCP it receives (RFC 3550 §6.4): an SR from the source
 * we hear sets the LSR/DLSR of our next report; a report block about our own SSRC tells
 * the loss and jitter the far end sees and, with LSR/DLSR, the round-trip time.
 */
export interface RemoteReport {
  readonly fractionLost: number;
  readonly lost: number;
  readonly jitterMs: number;
}

export class RtcpReceiverState {
  rttMs: number | null = null;
  remoteReport: RemoteReport | null = null;

  constructor(private readonly localSsrc: number) {}

  /** `sentClockRate` converts the far end's jitter (in our stream's clock) to ms. */
  apply(
    packets: readonly RtcpPacket[],
    statistics: RtpReceiveStatistics,
    time: { readonly nowMs: number; readonly nowUnixMs: number },
    sentClockRate: number,
  ): void {
    for (const packet of packets) {
      if (packet.kind === 'sr') {
        const middle = ntpMiddle32({
          seconds: packet.sender.ntpSeconds,
          fraction: packet.sender.ntpFraction,
        });
        statistics.noteSenderReport(packet.ssrc, middle, time.nowMs);
      }
      if (packet.kind === 'sr' || packet.kind === 'rr') {
        const aboutUs = packet.reports.find((block) => block.ssrc === this.localSsrc);
        if (aboutUs !== undefined) this.applyBlock(aboutUs, time.nowUnixMs, sentClockRate);
      }
    }
  }

  private applyBlock(block: ReportBlock, nowUnixMs: number, sentClockRate: number): void {
    this.remoteReport = {
      fractionLost: block.fractionLost / 256,
      lost: block.cumulativeLost,
      jitterMs: (block.jitter * 1000) / sentClockRate,
    };
    const arrival = ntpMiddle32(ntpFromUnixMs(nowUnixMs));
    const rtt = roundTripMs(arrival, block.lastSenderReport, block.delaySinceLastSenderReport);
    if (rtt !== null) this.rttMs = rtt;
  }
}
