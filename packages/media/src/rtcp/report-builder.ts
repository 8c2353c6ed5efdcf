import { type ReceptionReport } from '../rtp/receive-statistics.ts';
import { serializeRtcpCompound } from './compound.ts';
import { ntpFromUnixMs } from './ntp-time.ts';
import { type RtcpPacket, SDES_CNAME, type SenderInfo } from './rtcp-packet.ts';

/**
 * The compound report a session sends each RTCP interval (RFC 3550 §6.1, §6.4): an SR
 * when we sent media since the report before last (§6.4), else an RR; a reception report
 * block for the source we hear, if any; and SDES with our CNAME, which every compound
 * packet must carry (§6.1). A BYE is appended when the session ends (§6.6).
 */
export interface SenderCounters {
  readonly packets: number;
  readonly octets: number;
  /** RTP timestamp of the last packet sent and when it went out (monotonic ms). */
  readonly lastRtpTimestamp: number;
  readonly lastSentAtMs: number;
  readonly clockRate: number;
}

export interface OutgoingReportInput {
  readonly ssrc: number;
  readonly cname: string;
  /** Null when we have not sent media recently: the report is then an RR. */
  readonly sender: SenderCounters | null;
  readonly reception: ReceptionReport | null;
  /** Wall-clock time for the NTP timestamp. */
  readonly nowUnixMs: number;
  /** The same instant on the monotonic clock `lastSentAtMs` uses. */
  readonly nowMs: number;
  readonly bye?: { readonly reason: string | null };
}

export function buildOutgoingReport(input: OutgoingReportInput): Buffer {
  const reports = input.reception === null ? [] : [input.reception];
  const packets: RtcpPacket[] = [
    input.sender === null
      ? { kind: 'rr', ssrc: input.ssrc, reports, extension: new Uint8Array(0) }
      : {
          kind: 'sr',
          ssrc: input.ssrc,
          sender: senderInfo(input.sender, input.nowUnixMs, input.nowMs),
          reports,
          extension: new Uint8Array(0),
        },
    {
      kind: 'sdes',
      chunks: [{ ssrc: input.ssrc, items: [{ type: SDES_CNAME, text: input.cname }] }],
    },
  ];
  if (input.bye !== undefined) {
    packets.push({ kind: 'bye', ssrcs: [input.ssrc], reason: input.bye.reason });
  }
  return serializeRtcpCompound(packets);
}

/**
 * §6.4.1: the RTP timestamp in an SR is the instant of the NTP timestamp in the media
 * clock, not the timestamp of the last packet: advance it by the time since that packet.
 */
function senderInfo(sender: SenderCounters, nowUnixMs: number, nowMs: number): SenderInfo {
  const ntp = ntpFromUnixMs(nowUnixMs);
  const elapsed = Math.max(0, nowMs - sender.lastSentAtMs);
  const rtpTimestamp =
    (sender.lastRtpTimestamp + Math.round((elapsed * sender.clockRate) / 1000)) % 0x1_0000_0000;
  return {
    ntpSeconds: ntp.seconds,
    ntpFraction: ntp.fraction,
    rtpTimestamp,
    packetCount: sender.packets % 0x1_0000_0000,
    octetCount: sender.octets % 0x1_0000_0000,
  };
}
