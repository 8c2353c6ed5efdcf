// RTP sessions over UDP: port pool, latching, media timeout, statistics and MOS.
export {
  isRtpSessionError,
  RtpSessionError,
  rtpSessionErrorCatalogue,
  type RtpSessionErrorCode,
} from './session-error.ts';
export { RtpPortPool, type RtpPortRange } from './port-pool.ts';
export {
  DEFAULT_RELATCH_AFTER_PACKETS,
  type LatchDecision,
  type LatchState,
  type MediaAddress,
  RtpLatch,
} from './latch.ts';
export { MediaTimeoutWatch } from './media-timeout.ts';
export {
  delayImpairment,
  estimateMos,
  lossImpairment,
  type MosInput,
  mosFromR,
  rFactor,
} from './mos.ts';
export { type RemoteReport } from './rtcp-receiver.ts';
export { type RtpStreamStats } from './stream-stats.ts';
export {
  type OutgoingRtp,
  type PayloadFormat,
  RtpSession,
  type RtpSessionHandlers,
  type RtpSessionOptions,
} from './rtp-session.ts';
