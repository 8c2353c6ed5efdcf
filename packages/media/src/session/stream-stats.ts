import { type ReceiveTotals } from '../rtp/receive-statistics.ts';

/**
 * One stream's statistics, as stored with a call leg at hang-up and shown live: what we
 * sent, what we received (RFC 3550 Appendix A.1/A.3/A.8), what the far end reported about
 * our stream in its last SR/RR (§6.4), the round trip (§6.4.1) and a MOS estimate
 * (mos.ts). Plain JSON, so it can be stored as it is.
 */
export interface RtpStreamStats {
  readonly localSsrc: number;
  /** The latched remote media address as "ip:port", or the SDP's guess before that. */
  readonly remoteAddress: string | null;
  readonly latched: boolean;
  readonly sent: { readonly packets: number; readonly octets: number };
  readonly received: ReceiveTotals;
  /** The far end's last report about our stream, null before one arrived. */
  readonly remoteReport: {
    readonly fractionLost: number;
    readonly lost: number;
    readonly jitterMs: number;
  } | null;
  readonly rttMs: number | null;
  /** MOS estimate of what we receive; null before any packet arrived. */
  readonly mos: number | null;
  /** Datagrams that failed to parse. */
  readonly malformedPackets: number;
  /** Packets dropped by latching (another source) or for a payload type not negotiated. */
  readonly rejectedPackets: number;
}
