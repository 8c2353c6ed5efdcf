import { describe, expect, it } from 'vitest';
import { RtpLatch } from './latch.ts';

const sdp = { address: '192.168.1.20', port: 4000 };
const nat = { address: '203.0.113.7', port: 61000 };
const rebound = { address: '203.0.113.7', port: 62000 };
const spoofer = { address: '198.51.100.9', port: 5004 };

describe('RtpLatch (symmetric RTP)', () => {
  it('sends to the SDP address until the first packet, then to its source', () => {
    const latch = new RtpLatch(sdp, 3);
    expect(latch.sendTarget).toEqual(sdp);
    expect(latch.observe(nat, 1, 100)).toBe('latched');
    expect(latch.sendTarget).toEqual(nat);
    expect(latch.observe(nat, 1, 101)).toBe('accept');
  });

  it('drops another source until it sends N packets in sequence, then re-latches', () => {
    const latch = new RtpLatch(sdp, 3);
    latch.observe(nat, 1, 100);
    expect(latch.observe(rebound, 1, 101)).toBe('drop');
    expect(latch.observe(rebound, 1, 102)).toBe('drop');
    expect(latch.sendTarget).toEqual(nat);
    expect(latch.observe(rebound, 1, 103)).toBe('relatched');
    expect(latch.sendTarget).toEqual(rebound);
  });

  it('never hands over while the latched source keeps sending', () => {
    const latch = new RtpLatch(sdp, 3);
    latch.observe(nat, 1, 100);
    for (let index = 0; index < 20; index++) {
      expect(latch.observe(spoofer, 2, 500 + index)).toBe('drop');
      expect(latch.observe(nat, 1, 101 + index)).toBe('accept');
    }
    expect(latch.sendTarget).toEqual(nat);
  });

  it('restarts a candidate run on a sequence gap, an SSRC change or a wrap mismatch', () => {
    const latch = new RtpLatch(sdp, 3);
    latch.observe(nat, 1, 100);
    latch.observe(spoofer, 2, 65534);
    latch.observe(spoofer, 2, 65535);
    expect(latch.observe(spoofer, 3, 0)).toBe('drop');
    latch.observe(spoofer, 3, 1);
    expect(latch.observe(spoofer, 3, 5)).toBe('drop');
    latch.observe(spoofer, 3, 6);
    expect(latch.observe(spoofer, 3, 7)).toBe('relatched');
  });

  it('learns again when a new SDP names a new address', () => {
    const latch = new RtpLatch(sdp, 3);
    latch.observe(nat, 1, 100);
    latch.expect({ address: '10.0.0.5', port: 7000 });
    expect(latch.state.kind).toBe('expected');
    expect(latch.observe(rebound, 9, 1)).toBe('latched');
    expect(latch.sendTarget).toEqual(rebound);
  });
});
