// RTCP (RFC 3550 §6): packets, compound packets, timing and the reports a session sends.
export {
  type ReportBlock,
  RTCP_BYE,
  RTCP_RR,
  RTCP_SDES,
  RTCP_SR,
  type RtcpBye,
  type RtcpOtherPacket,
  type RtcpPacket,
  type RtcpReceiverReport,
  type RtcpSenderReport,
  type RtcpSourceDescription,
  SDES_CNAME,
  type SdesChunk,
  type SdesItem,
  type SenderInfo,
} from './rtcp-packet.ts';
export { parseRtcpCompound, serializeRtcpCompound, serializeRtcpPacket } from './compound.ts';
export { ntpFromUnixMs, ntpMiddle32, roundTripMs, type NtpTimestamp } from './ntp-time.ts';
export { RTCP_MIN_INTERVAL_MS, rtcpIntervalMs, type RtcpIntervalInput } from './interval.ts';
export {
  buildOutgoingReport,
  type OutgoingReportInput,
  type SenderCounters,
} from './report-builder.ts';
