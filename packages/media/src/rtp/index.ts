// RTP data packets and what a receiver learns from them (RFC 3550 §5, Appendix A).
export {
  isMediaPacketError,
  MediaPacketError,
  mediaPacketErrorCatalogue,
  type MediaPacketErrorCode,
} from './packet-error.ts';
export {
  parseRtpPacket,
  serializeRtpPacket,
  type RtpHeaderExtension,
  type RtpPacket,
} from './rtp-packet.ts';
export {
  MAX_DROPOUT,
  MAX_MISORDER,
  MIN_SEQUENTIAL,
  SequenceValidator,
  type LossReport,
  type SequenceVerdict,
} from './sequence.ts';
export { JitterEstimator } from './jitter.ts';
export {
  RtpReceiveStatistics,
  type ReceiveTotals,
  type ReceivedRtpPacket,
  type ReceptionReport,
} from './receive-statistics.ts';
