import { type ReceptionReport } from '../rtp/receive-statistics.ts';
import { MediaPacketError, requireUint } from '../rtp/packet-error.ts';

/**
 * The RTCP packet types this package reads and writes (RFC 3550 §6.4–§6.6) and the
 * common header they share (§6.4.1):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|  count  |      PT       |  length (32-bit words − 1)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Other types (APP, RFC 4585 feedback, RFC 3611 XR) are kept as bytes.
 */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

/** A reception report block (§6.4.1): the same values a receiver computes. */
export type ReportBlock = ReceptionReport;

/** §6.4.1 sender info: the NTP time of the report and the sender's counters. */
export interface SenderInfo {
  /** NTP timestamp, seconds since 1900 and fraction in 1/2^32 s. */
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  /** The RTP timestamp of the same instant, in the stream's clock. */
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  /** Payload octets sent (headers and padding not counted). */
  readonly octetCount: number;
}

export interface RtcpSenderReport {
  readonly kind: 'sr';
  readonly ssrc: number;
  readonly sender: SenderInfo;
  readonly reports: readonly ReportBlock[];
  /** Profile-specific extension after the report blocks (§6.4.1), usually empty. */
  readonly extension: Uint8Array;
}

export interface RtcpReceiverReport {
  readonly kind: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];
  readonly extension: Uint8Array;
}

/** §6.5 item types; 1 is CNAME, the only one §6.1 requires. */
export const SDES_CNAME = 1;

export interface SdesItem {
  readonly type: number;
  readonly text: string;
}

export interface SdesChunk {
  readonly ssrc: number;
  readonly items: readonly SdesItem[];
}

export interface RtcpSourceDescription {
  readonly kind: 'sdes';
  readonly chunks: readonly SdesChunk[];
}

export interface RtcpBye {
  readonly kind: 'bye';
  readonly ssrcs: readonly number[];
  readonly reason: string | null;
}

export interface RtcpOtherPacket {
  readonly kind: 'other';
  readonly packetType: number;
  /** The five-bit count/format field of the header. */
  readonly count: number;
  readonly body: Uint8Array;
}

export type RtcpPacket =
  RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpOtherPacket;

/** Prefixes a body (a whole number of words) with the common header. */
export function withRtcpHeader(packetType: number, count: number, body: Uint8Array): Buffer {
  requireUint(count, 31, 'RTCP count');
  if (body.length % 4 !== 0) {
    throw new MediaPacketError('bad_field', 'an RTCP body must be a whole number of words');
  }
  requireUint(body.length / 4, 0xffff, 'RTCP length');
  const out = Buffer.alloc(4 + body.length);
  out[0] = (2 << 6) | count;
  out[1] = packetType;
  out.writeUInt16BE(body.length / 4, 2);
  out.set(body, 4);
  return out;
}
