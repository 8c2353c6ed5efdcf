import { describe, expect, it } from 'vitest';
import { TimestampRewriter } from './timestamp-rewriter.ts';

describe('TimestampRewriter', () => {
  it('keeps the sender’s steps and gaps, and wraps at 2^32', () => {
    let now = 0;
    const rewriter = new TimestampRewriter(8000, () => now, 0xffff_ff80);
    expect(rewriter.rewrite(1, 500)).toEqual({ timestamp: 0xffff_ff80, newEpoch: false });
    now += 20;
    expect(rewriter.rewrite(1, 660)).toEqual({ timestamp: 0x20, newEpoch: false });
    // Silence suppression: the sender skipped 1 s; the gap stays.
    now += 1000;
    expect(rewriter.rewrite(1, 660 + 8160).timestamp).toBe(0x20 + 8160);
  });

  it('starts a new epoch after the wall-clock gap when the SSRC changes', () => {
    let now = 1_000;
    const rewriter = new TimestampRewriter(8000, () => now, 1000);
    rewriter.rewrite(1, 42);
    now += 500;
    expect(rewriter.rewrite(2, 123_456)).toEqual({ timestamp: 1000 + 4000, newEpoch: true });
    expect(rewriter.rewrite(2, 123_616).timestamp).toBe(5160);
    // A change within the same instant still moves on by one 20 ms frame.
    expect(rewriter.rewrite(3, 7)).toEqual({ timestamp: 5160 + 160, newEpoch: true });
  });
});
