// The bridge between two call legs: relay with per-leg SSRC/sequence/timestamp, PCMU ↔
// PCMA transcoding, telephone-event pass-through, hold, statistics of both legs.
export {
  RelayBridge,
  type BridgeLegFormat,
  type BridgeSide,
  type RelayBridgeOptions,
} from './relay-bridge.ts';
export { type BridgeLegStats, type DropReason } from './leg-counters.ts';
export { TimestampRewriter, type RewrittenTimestamp } from './timestamp-rewriter.ts';
