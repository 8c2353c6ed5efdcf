import { z } from 'zod';

/** How much audio went each way on a call, from the peer connection's statistics. */
export interface AudioStats {
  packetsReceived: number;
  packetsLost: number;
  packetsSent: number;
}

// https://www.w3.org/TR/webrtc-stats/#inboundrtpstats-dict* and #outboundrtpstats-dict*
const inboundAudio = z.object({
  type: z.literal('inbound-rtp'),
  kind: z.literal('audio'),
  packetsReceived: z.number(),
  packetsLost: z.number().optional(),
});
const outboundAudio = z.object({
  type: z.literal('outbound-rtp'),
  kind: z.literal('audio'),
  packetsSent: z.number(),
});

/** Sums the audio RTP streams of an RTCStatsReport (pass `report.values()`). */
export function audioStatsOf(stats: Iterable<unknown>): AudioStats {
  const total: AudioStats = { packetsReceived: 0, packetsLost: 0, packetsSent: 0 };
  for (const stat of stats) {
    const inbound = inboundAudio.safeParse(stat);
    if (inbound.success) {
      total.packetsReceived += inbound.data.packetsReceived;
      total.packetsLost += inbound.data.packetsLost ?? 0;
    }
    const outbound = outboundAudio.safeParse(stat);
    if (outbound.success) total.packetsSent += outbound.data.packetsSent;
  }
  return total;
}
