/**
 * When to send the next RTCP report, RFC 3550 §6.2 and §6.3.1, simplified for the
 * sessions a PBX runs — two parties, each usually a sender:
 *
 *   deterministic = members × average RTCP packet size / (5 % of session bandwidth)
 *   interval      = max(deterministic, Tmin) × random in [0.5, 1.5)
 *
 * with Tmin = 5 s, halved for the first report (§6.2: "the initial … minimum"). The
 * randomisation keeps reports of many streams from synchronising (§6.3.1). Timer
 * reconsideration (§6.3.6) and the sender/receiver bandwidth split matter only for large
 * groups and are left out, and so is the e − 3/2 compensation that goes with them.
 */
export interface RtcpIntervalInput {
  /** Session members including us (2 for a call leg). */
  readonly members: number;
  /** Average size of the compound RTCP packets sent and received, with UDP/IP headers. */
  readonly averagePacketOctets: number;
  /** Session bandwidth in bits per second (b=AS from SDP, or the codec's rate). */
  readonly sessionBandwidthBps: number;
  /** True before the first report is sent. */
  readonly initial: boolean;
  /** A uniform random number in [0, 1), injected for tests. */
  readonly random: number;
}

export const RTCP_MIN_INTERVAL_MS = 5000;
const RTCP_BANDWIDTH_FRACTION = 0.05;

export function rtcpIntervalMs(input: RtcpIntervalInput): number {
  const minimum = input.initial ? RTCP_MIN_INTERVAL_MS / 2 : RTCP_MIN_INTERVAL_MS;
  const rtcpBytesPerSecond = (input.sessionBandwidthBps * RTCP_BANDWIDTH_FRACTION) / 8;
  const deterministic =
    rtcpBytesPerSecond > 0
      ? ((input.members * input.averagePacketOctets) / rtcpBytesPerSecond) * 1000
      : minimum;
  return Math.max(deterministic, minimum) * (0.5 + input.random);
}
