import { describe, expect, it } from 'vitest';
import { audioStatsOf } from './audio-stats.ts';

// Shapes as Chromium reports them (https://www.w3.org/TR/webrtc-stats/), trimmed.
const report = [
  { id: 'IT01A', type: 'inbound-rtp', kind: 'audio', packetsReceived: 240, packetsLost: 2 },
  { id: 'OT01A', type: 'outbound-rtp', kind: 'audio', packetsSent: 251 },
  { id: 'IT01V', type: 'inbound-rtp', kind: 'video', packetsReceived: 900, packetsLost: 9 },
  { id: 'CP01', type: 'candidate-pair', state: 'succeeded', packetsReceived: 500 },
  { id: 'T01', type: 'transport', bytesReceived: 4096 },
];

describe('audioStatsOf', () => {
  it('counts audio RTP only, each way', () => {
    expect(audioStatsOf(report)).toEqual({
      packetsReceived: 240,
      packetsLost: 2,
      packetsSent: 251,
    });
  });

  it('reads a report with no audio yet, or odd entries, as zero', () => {
    expect(audioStatsOf([])).toEqual({ packetsReceived: 0, packetsLost: 0, packetsSent: 0 });
    expect(
      audioStatsOf([null, 'x', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 'many' }]),
    ).toEqual({ packetsReceived: 0, packetsLost: 0, packetsSent: 0 });
  });

  it('takes a missing packetsLost as none lost', () => {
    expect(
      audioStatsOf([{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 3 }]).packetsLost,
    ).toBe(0);
  });
});
